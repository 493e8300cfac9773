/*
 * rotate.h - the flight recorder: `wtrec record --rotate SIZE|DURATION
 * [--keep N]` writes a series of whole .wtrec files (series.h) and switches
 * from one to the next while the readers keep appending.
 *
 * A switch, in order (the main thread, at its ticks):
 *   arm    delete the oldest complete files down to N-2, open the next
 *          file and write its head (META with the series keys, header
 *          page/event, formats), give it to the output with the current
 *          file's limit (SIZE less that head and room for the tail);
 *   switch the output swaps files when an append would pass the limit (a
 *          reader's) or when the DURATION is over (here);
 *   finish one /proc scan is the old file's stop snapshot and the new
 *          one's start snapshot; the old file gets CPU_STATS, its stop
 *          snapshot, a stop META (stop_reason=rotated) and a TRAILER with
 *          continued_in; it is closed; the new one gets a META with its
 *          real start_ns and its start snapshot, then WATERMARKs again.
 * So every file is within SIZE and at most N exist (one of them, while
 * armed, only a head): the series never takes more than N x SIZE.  The
 * stop snapshot is left out of a file it would push past SIZE.
 *
 * The session writes the parts (the ops below); this file decides when.
 * Functions return 0 or -1 with @d set.
 */
#ifndef WT_REC_ROTATE_H
#define WT_REC_ROTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "options.h"
#include "wtfile.h"

struct wt_rec_output;

/* The parts of a file the session writes (each 0 or -1 with errno). */
struct wt_rec_rotate_ops {
	void *ctx;
	/* META (with series=@id, series_file=@seq), header_page, header_event
	 * and the formats, into the new file @out */
	int (*head)(void *ctx, struct wt_rec_output *out, const char *id,
		    unsigned seq);
	/* the old file's end: CPU_STATS, @snap (NULL: left out), the stop
	 * META at @stop_ns, the TRAILER naming @next */
	int (*tail)(void *ctx, struct wt_rec_output *out, uint64_t stop_ns,
		    const struct wt_buf *snap, const char *next);
	/* the new file's real start: META start_ns=@start_ns and wall
	 * anchors, then @snap (its start snapshot) */
	int (*start)(void *ctx, struct wt_rec_output *out, uint64_t start_ns,
		     const struct wt_buf *snap);
};

struct wt_rec_rotate;

/* For the options @o (--rotate given).  @ncpu: per-CPU streams (the
 * tail's CPU_STATS).  NULL with @d set. */
struct wt_rec_rotate *wt_rec_rotate_new(const struct wt_record_opts *o,
					const struct wt_rec_rotate_ops *ops,
					int ncpu, struct wt_diag *d);

/* The first file's name (the session opens it) and the series id. */
const char *wt_rec_rotate_first(const struct wt_rec_rotate *r);
const char *wt_rec_rotate_id(const struct wt_rec_rotate *r);

/* The first file @out is open with its head and start snapshot (@snap_len
 * bytes of it): set its limit.  @now: monotonic seconds. */
int wt_rec_rotate_begin(struct wt_rec_rotate *r, struct wt_rec_output *out,
			size_t snap_len, double now, struct wt_diag *d);

/* Arm, switch (DURATION) and finish switches when due. */
int wt_rec_rotate_tick(struct wt_rec_rotate *r, struct wt_rec_output *out,
		       double now, struct wt_diag *d);

/* The recording stops: nothing is armed any more (the readers' final
 * drain goes to the current file) and a switch not yet finished is. */
int wt_rec_rotate_stop(struct wt_rec_rotate *r, struct wt_rec_output *out,
		       struct wt_diag *d);

/* A failure: nothing armed, a switch not finished is only closed (its
 * file ends without a tail, like a killed recording's). */
void wt_rec_rotate_abort(struct wt_rec_rotate *r, struct wt_rec_output *out);

/* Totals of the files closed so far, and how many files were written. */
void wt_rec_rotate_totals(const struct wt_rec_rotate *r, uint64_t *bytes,
			  uint64_t *raw, unsigned *files);

void wt_rec_rotate_free(struct wt_rec_rotate *r);

#endif
