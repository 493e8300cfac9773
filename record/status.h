/*
 * status.h - what the user sees while and after recording: a status line
 * refreshed about once a second on a terminal, and always one summary line
 * at the end that states the loss, "lost 0 events" included: a recorder
 * must never be silent about what it missed.
 */
#ifndef WT_REC_STATUS_H
#define WT_REC_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"

/* Rewrite the status line on @f ("\r" + clear to end of line):
 *   wtrec: recording 12s (48s left)  81234 events  1.2 MB written  lost 0
 * "(... left)" only with -d (@left_s >= 0). */
void wt_rec_status_line(FILE *f, double elapsed_s, double left_s,
			uint64_t events, uint64_t bytes, uint64_t lost);

/* Erase the status line before the summary. */
void wt_rec_status_clear(FILE *f);

struct wt_rec_summary {
	const struct wt_rec_events *ev;
	uint64_t counts[WT_REC_MAX_EVENTS + 1]; /* [WT_REC_MAX_EVENTS] = other */
	double elapsed_s;
	uint64_t file_bytes;
	uint64_t raw_bytes;      /* uncompressed payloads */
	uint64_t overrun;        /* kernel: overwritten before read */
	uint64_t commit_overrun; /* kernel: could not be reserved */
	uint64_t dropped;        /* kernel: dropped events */
	bool stats_known;        /* false if the stats could not be read */
	const char *path;        /* a series: its first file */
	unsigned files;          /* --rotate: files written (0: one file) */
};

/* Print the one summary line on @f. */
void wt_rec_summary_print(FILE *f, const struct wt_rec_summary *s);

#endif
