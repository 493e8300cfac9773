/*
 * rotate.c - when the flight recorder arms, switches and finishes files
 * (see rotate.h).
 *
 * Workload: one tick every WT_REC_WATERMARK_MS on the main thread; a
 * switch costs one /proc scan (tens of ms on a busy host: the readers go
 * on meanwhile, into the new file) and an fsync of the old file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec_file.h"
#include "proc_snapshot.h"
#include "rec_meta.h"
#include "rotate.h"
#include "series.h"
#include "signals.h"

/* A file's head (META, header_page/event, formats) is a few KiB; this is
 * what the first file's limit assumes for its successor's until one is
 * armed and its real size known. */
#define HEAD_GUESS (32u << 10)

struct wt_rec_rotate {
	struct wt_rec_series *series;
	struct wt_rec_rotate_ops ops;
	uint64_t size;            /* --rotate SIZE, 0 for a DURATION */
	double secs;              /* --rotate DURATION, 0 for a SIZE */
	unsigned long keep;       /* --keep, 0: all */
	int ncpu;
	unsigned seq;             /* the current file's number, from 1 */
	char *first;
	struct wt_rec_output *next; /* armed */
	char *next_path;
	uint64_t next_head;       /* its bytes so far: its head */
	uint64_t reserve;         /* room kept for a file's tail */
	double deadline;          /* DURATION: the current file ends then */
	uint64_t closed_bytes, closed_raw;
};

struct wt_rec_rotate *wt_rec_rotate_new(const struct wt_record_opts *o,
					const struct wt_rec_rotate_ops *ops,
					int ncpu, struct wt_diag *d)
{
	struct wt_rec_rotate *r = calloc(1, sizeof(*r));

	if (!r || !(r->series = wt_rec_series_new(o->output)) ||
	    !(r->first = wt_rec_series_path(r->series, 1))) {
		wt_diag_errno(d, 1, "--rotate");
		wt_rec_rotate_free(r);
		return NULL;
	}
	r->ops = *ops;
	r->size = o->rotate_size;
	r->secs = o->rotate_secs;
	r->keep = o->keep;
	r->ncpu = ncpu;
	r->seq = 1;
	return r;
}

const char *wt_rec_rotate_first(const struct wt_rec_rotate *r)
{
	return r->first;
}

const char *wt_rec_rotate_id(const struct wt_rec_rotate *r)
{
	return wt_rec_series_id(r->series);
}

/* Room for a tail: CPU_STATS, a stop snapshot like @snap_len (its text
 * length bounds what it compresses to), META, TRAILER, and the few
 * WATERMARKs the main thread may add; twice the snapshot for growth. */
static uint64_t tail_reserve(const struct wt_rec_rotate *r, size_t snap_len)
{
	return 2 * (uint64_t)snap_len + (uint64_t)r->ncpu * 512 + (16u << 10);
}

/* The current file's limit: SIZE less its successor's head and room for
 * its own tail. */
static uint64_t limit(const struct wt_rec_rotate *r)
{
	uint64_t head = r->next ? r->next_head : HEAD_GUESS;

	return r->size > head + r->reserve ? r->size - head - r->reserve : 1;
}

/* The armed file's limit from the switch until it is finished: room for
 * its own start snapshot too, which the main thread writes then (about
 * as long as a tail's: @reserve holds two of them). */
static uint64_t limit_after(const struct wt_rec_rotate *r)
{
	uint64_t need = HEAD_GUESS + r->reserve + r->reserve / 2;

	return r->size > need ? r->size - need : 1;
}

int wt_rec_rotate_begin(struct wt_rec_rotate *r, struct wt_rec_output *out,
			size_t snap_len, double now, struct wt_diag *d)
{
	struct wt_rec_output_totals t;

	r->reserve = tail_reserve(r, snap_len);
	r->deadline = now + r->secs;
	if (!r->size)
		return 0;
	wt_rec_output_totals(out, &t);
	if (limit(r) <= t.file_bytes + (64u << 10)) {
		wt_diag_set(d, 2, "--rotate %llu: too small for this recording: "
			    "a file's head, snapshots and tail take about %llu "
			    "bytes here; give at least %lluk",
			    (unsigned long long)r->size,
			    (unsigned long long)(t.file_bytes + HEAD_GUESS +
						 r->reserve),
			    (unsigned long long)((t.file_bytes + HEAD_GUESS +
						  r->reserve) * 2 >> 10) + 1);
		return -1;
	}
	wt_rec_output_set_limit(out, limit(r));
	return 0;
}

/* Open the next file, write its head, give it to @out.  Before it
 * exists, older files go: the current, the armed and N-2 complete ones
 * at most (a switch then leaves N-1 complete ones and the new current). */
static int arm(struct wt_rec_rotate *r, struct wt_rec_output *out,
	       struct wt_diag *d)
{
	struct wt_rec_output_totals t;

	if (r->keep)
		wt_rec_series_prune(r->series, r->keep >= 2 ? r->keep - 2 : 0);
	r->next_path = wt_rec_series_path(r->series, r->seq + 1);
	if (!r->next_path) {
		wt_diag_errno(d, 1, "--rotate");
		return -1;
	}
	r->next = wt_rec_output_open(r->next_path, wt_rec_output_codec(out),
				     wt_rec_signals_wake_fd(), d);
	if (!r->next)
		return -1;
	if (r->ops.head(r->ops.ctx, r->next, wt_rec_series_id(r->series),
			r->seq + 1) < 0) {
		wt_diag_errno(d, 1, "writing %s", r->next_path);
		return -1;
	}
	wt_rec_output_totals(r->next, &t);
	r->next_head = t.file_bytes;
	wt_rec_output_arm(out, r->next, r->size ? limit(r) : 0,
			  r->size ? limit_after(r) : 0);
	return 0;
}

/* The one /proc scan, as the old file's stop snapshot and as the new
 * file's start snapshot (the same text but for its when= line). */
static int snapshots(struct wt_buf *stop, struct wt_buf *start)
{
	static const char from[] = "\nwhen=stop\n", to[] = "\nwhen=start\n";
	const char *at;

	if (wt_rec_proc_snapshot(stop, "stop", wt_rec_trace_clock_ns()) < 0 ||
	    wt_buf_reserve(stop, 1) < 0)
		return -1;
	stop->data[stop->len] = '\0';
	at = strstr((const char *)stop->data, from);
	if (!at)
		return -1;
	size_t pre = (size_t)(at - (const char *)stop->data);
	if (wt_buf_append(start, stop->data, pre) < 0 ||
	    wt_buf_append(start, to, sizeof(to) - 1) < 0 ||
	    wt_buf_append(start, at + sizeof(from) - 1,
			  stop->len - pre - (sizeof(from) - 1)) < 0)
		return -1;
	return 0;
}

/* The old file @done: its tail, closed; the new one: its real start. */
static int finish(struct wt_rec_rotate *r, struct wt_rec_output *out,
		  struct wt_rec_output *done, uint64_t switch_ns,
		  struct wt_diag *d)
{
	struct wt_buf stop = { 0 }, start = { 0 };
	struct wt_rec_output_totals t;
	char *path = strdup(wt_rec_output_path(done));
	const char *next = wt_rec_series_base(wt_rec_output_path(out));
	int rc = -1;

	if (!path || snapshots(&stop, &start) < 0) {
		wt_diag_errno(d, 1, "--rotate: the /proc snapshot");
		goto out;
	}
	wt_rec_output_totals(done, &t);
	/* the stop snapshot only where it fits: the file stays within SIZE */
	bool fits = !r->size || t.file_bytes + 2 * stop.len + (16u << 10) <=
				      r->size;
	if (r->ops.tail(r->ops.ctx, done, switch_ns, fits ? &stop : NULL,
			next) < 0) {
		wt_diag_errno(d, 1, "writing %s", path);
		goto out;
	}
	wt_rec_output_totals(done, &t);
	r->closed_bytes += t.file_bytes;
	r->closed_raw += t.raw_bytes;
	if (wt_rec_output_close(done) < 0) {
		done = NULL;
		wt_diag_errno(d, 1, "closing %s", path);
		goto out;
	}
	done = NULL;
	wt_rec_series_closed(r->series, path);
	if (r->ops.start(r->ops.ctx, out, switch_ns, &start) < 0) {
		wt_diag_errno(d, 1, "writing %s", wt_rec_output_path(out));
		goto out;
	}
	wt_rec_output_head_done(out);
	r->reserve = tail_reserve(r, stop.len);
	r->seq++;
	r->next = NULL;
	free(r->next_path);
	r->next_path = NULL;
	if (r->size)
		wt_rec_output_set_limit(out, limit(r));
	rc = 0;
out:
	wt_rec_output_close(done);
	wt_buf_free(&stop);
	wt_buf_free(&start);
	free(path);
	return rc;
}

int wt_rec_rotate_tick(struct wt_rec_rotate *r, struct wt_rec_output *out,
		       double now, struct wt_diag *d)
{
	uint64_t switch_ns, bytes;
	struct wt_rec_output *done;
	bool waiting, armed;

	if ((done = wt_rec_output_take_done(out, &switch_ns)))
		return finish(r, out, done, switch_ns, d);
	armed = wt_rec_output_armed(out, &bytes, &waiting);
	if (r->secs) {
		if (now < r->deadline)
			return 0;
		r->deadline = now + r->secs;
		if (!armed && arm(r, out, d) < 0)
			return -1;
		wt_rec_output_switch(out);
		done = wt_rec_output_take_done(out, &switch_ns);
		return done ? finish(r, out, done, switch_ns, d) : 0;
	}
	/* a SIZE: armed in the second half of a file, or at once when a
	 * reader waits at the limit */
	if (!armed && (waiting || bytes >= r->size / 2))
		return arm(r, out, d);
	return 0;
}

int wt_rec_rotate_stop(struct wt_rec_rotate *r, struct wt_rec_output *out,
		       struct wt_diag *d)
{
	struct wt_rec_output *unused = wt_rec_output_disarm(out);
	uint64_t switch_ns;
	struct wt_rec_output *done = wt_rec_output_take_done(out, &switch_ns);
	int rc = 0;

	if (done)
		rc = finish(r, out, done, switch_ns, d);
	if (unused) {
		wt_rec_output_close(unused);
		wt_rec_series_discard(r->next_path);
		r->next = NULL;
	}
	return rc;
}

void wt_rec_rotate_abort(struct wt_rec_rotate *r, struct wt_rec_output *out)
{
	uint64_t switch_ns;

	if (!out)
		return;
	wt_rec_output_disarm(out); /* r->next: closed and deleted by free */
	wt_rec_output_close(wt_rec_output_take_done(out, &switch_ns));
	(void)r;
}

void wt_rec_rotate_totals(const struct wt_rec_rotate *r, uint64_t *bytes,
			  uint64_t *raw, unsigned *files)
{
	*bytes = r->closed_bytes;
	*raw = r->closed_raw;
	*files = r->seq;
}

void wt_rec_rotate_free(struct wt_rec_rotate *r)
{
	if (!r)
		return;
	if (r->next) {
		wt_rec_output_close(r->next);
		wt_rec_series_discard(r->next_path);
	}
	free(r->next_path);
	wt_rec_series_free(r->series);
	free(r->first);
	free(r);
}
