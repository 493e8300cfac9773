/*
 * progress.h - the progress line of `wtrec analyze` on a terminal:
 *
 *   wtrec analyze: big.wtrec: 412.0/1024.0 MiB (40%), 1.9M events/s, ETA 0:31
 *
 * shown only when standard error is a terminal and the file has taken
 * more than a second, redrawn at most a few times a second, erased when
 * done.  Nothing at all is written when stderr is not a terminal (logs,
 * pipes, tests).
 *
 * Lifecycle: wt_progress_start -> wt_progress_update (from the decoder's
 * progress callback; count events in @events meanwhile) -> wt_progress_end.
 * Nothing is allocated; no function fails.
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
	double start, last; /* monotonic seconds: begun, last drawn */
	bool shown;         /* a line is on the screen */
};

/* Begin timing the file @label.  The line goes to @f only if @f is a
 * terminal; @f NULL disables it. */
void wt_progress_start(struct wt_progress *p, FILE *f, const char *label);

/* @done of @total bytes of the file decoded: redraw if it is time. */
void wt_progress_update(struct wt_progress *p, uint64_t done, uint64_t total);

/* Erase the line, if one was drawn. */
void wt_progress_end(struct wt_progress *p);

/*
 * The text of the line (no "\r", no newline) into @buf: @done / @total
 * bytes after @elapsed seconds with @events decoded.  Exposed for tests.
 */
void wt_progress_format(char *buf, size_t len, const char *label,
			uint64_t done, uint64_t total, uint64_t events,
			double elapsed);

#endif /* WT_PROGRESS_H */
