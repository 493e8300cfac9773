/*
 * live_out.h - how the live findings are printed: one line per finding,
 * as text or as JSON Lines (every field of the finding's row, named as in
 * its view, plus kind and wall), or on a terminal a compact view redrawn
 * once a second (counts per kind, the latest findings, the oldest
 * zombies).
 *
 * JSON Lines kinds (the `kind` field, stable): start, the finding kinds of
 * live_find.h, end.  Ids are the database's (recording_id, *_call_id,
 * *upid, utid), so a line joins the rows of `analyze -o`.
 *
 * Write errors (a closed pipe) are sticky: wt_live_out_error() says so and
 * the caller stops following.
 */
#ifndef WT_LIVE_OUT_H
#define WT_LIVE_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "live_find.h"

enum wt_live_format { WT_LIVE_TEXT, WT_LIVE_JSONL };

/* "text" | "jsonl" -> @fmt; -1 if unknown. */
int wt_live_format_parse(const char *name, enum wt_live_format *fmt);

struct wt_live_out;

/* Print to @f; @view: the terminal view (text only).  NULL on ENOMEM. */
struct wt_live_out *wt_live_out_new(FILE *f, enum wt_live_format fmt,
				    bool view);

/* Wall clock = trace time + @offset_ns (META wall anchors); until it is
 * known (WT_DB_NULL) times print as trace-clock seconds. */
void wt_live_out_set_wall(struct wt_live_out *o, int64_t offset_ns);

/* The follow of @path, a recording begun at @start_ns (trace clock,
 * WT_DB_NULL unknown), is under way: JSON Lines' start line. */
void wt_live_out_start(struct wt_live_out *o, const char *path,
		       int64_t start_ns);

/* A finding (a line, or the view's latest list). */
void wt_live_out_finding(struct wt_live_out *o, const struct wt_finding *f);

/* What the view shows besides the findings. */
struct wt_live_status {
	const char *path;
	int64_t now_ns, start_ns;   /* trace clock; WT_DB_NULL unknown */
	int64_t events, lost;       /* lost: -1 unknown */
	const int64_t *counts;      /* WT_LK_COUNT findings by kind */
	/* the oldest zombies: pid, comm, age, parent pid and comm */
	int nzombies;
	struct wt_live_zombie {
		int64_t pid, ppid, age_ns;
		char comm[16], parent_comm[16];
	} zombies[5];
	int64_t zombies_total;
	bool final;
	const char *end_note;       /* final: "complete", "damaged"... */
	int64_t late_events;        /* final: out of order (follow.h) */
};

/* Redraw the view (when it is one); once a second is the caller's. */
void wt_live_out_view(struct wt_live_out *o, const struct wt_live_status *s);

/* The end: the last view, or the end line. */
void wt_live_out_end(struct wt_live_out *o, const struct wt_live_status *s);

/* True once a write failed. */
bool wt_live_out_error(const struct wt_live_out *o);

void wt_live_out_free(struct wt_live_out *o);

#endif /* WT_LIVE_OUT_H */
