/*
 * progress.h - the progress line of `wtrec analyze` on a terminal:
 *
 *   wtrec analyze: big.wtrec: 1.2M/3.0M events (40%), 1.9M events/s, ETA 0:01
 *
 * shown only when standard error is a terminal and the file has taken
 * more than a second, redrawn at most a few times a second, erased when
 * done.  Nothing at all is written when stderr is not a terminal (logs,
 * pipes, tests).
 *
 * The estimate follows events, not bytes: the decoder reads the file's
 * chunk index first and then the events, so bytes advance unevenly (the
 * ETA sat at "0:01" for most of a long analysis).  The number of events
 * to come is what the kernel says it handed the recorder ("read events"
 * of each CPU_STATS chunk, summed by wt_progress_expect before decoding);
 * the rate is that of the events decoded since the first one.  A file
 * without CPU_STATS (cut short) falls back to bytes:
 *
 *   wtrec analyze: big.wtrec: 412.0/1024.0 MiB (40%), 1.9M events/s, ETA 0:31
 *
 * Lifecycle: wt_progress_start -> wt_progress_expect -> wt_progress_update
 * (from the decoder's progress callback; count events in @events
 * meanwhile) -> wt_progress_end.  Nothing is allocated; no function fails.
 */
#ifndef WT_PROGRESS_H
#define WT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wt_progress {
	FILE *f;            /* NULL: disabled */
	const char *label;  /* the file name; must outlive the progress */
	uint64_t events;    /* events decoded so far: the caller counts */
	uint64_t expected;  /* events the file holds (0: unknown) */
	double start, last; /* monotonic seconds: begun, last drawn */
	double first_event; /* when @events was first seen > 0, 0 before */
	bool shown;         /* a line is on the screen */
};

/* Begin timing the file @label.  The line goes to @f only if @f is a
 * terminal; @f NULL disables it. */
void wt_progress_start(struct wt_progress *p, FILE *f, const char *label);

/* Read the recording @path's CPU_STATS chunks (skipping its data) for the
 * number of events to expect; only when the line is enabled. */
void wt_progress_expect(struct wt_progress *p, const char *path);

/* @done of @total bytes of the file decoded: redraw if it is time. */
void wt_progress_update(struct wt_progress *p, uint64_t done, uint64_t total);

/* Erase the line, if one was drawn. */
void wt_progress_end(struct wt_progress *p);

/* What the line is computed from. */
struct wt_progress_state {
	uint64_t done, total;   /* bytes */
	uint64_t events, expected;
	double elapsed;         /* seconds since start */
	double events_elapsed;  /* seconds since the first event */
};

/* The text of the line (no "\r", no newline) into @buf.  Exposed for
 * tests. */
void wt_progress_format(char *buf, size_t len, const char *label,
			const struct wt_progress_state *s);

#endif /* WT_PROGRESS_H */
