/*
 * follow.h - `wtrec analyze --follow FILE`: decode a recording while
 * another `wtrec record` is writing it, like `tail -f`, into a model.
 *
 * The file is read chunk by chunk as it grows.  Events reach the model in
 * steps: after each WATERMARK chunk, those up to the time the recorder
 * promised every CPU complete (docs/FORMAT.md), so the model sees exactly
 * the stream the offline analysis of the finished file would give it, in
 * the same order, and ends with the same rows.  A file without WATERMARK
 * chunks (an older recorder's) is delivered at its end.  At a TRAILER
 * that names the next file of a --rotate series (continued_in) the follow
 * goes on in that file, as one recording.
 *
 * The follow ends when the recording is complete (a TRAILER not
 * continued), when the writer (--writer-pid) is gone and the file has
 * stopped growing, on damage, or when *@stop becomes non-zero.
 */
#ifndef WT_FOLLOW_H
#define WT_FOLLOW_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "decode.h"
#include "model.h"

/* How long the follower sleeps when the file has nothing new. */
#define WT_FOLLOW_POLL_MS 50

/* What the live layer (live.h) is told; every member may be NULL. */
struct wt_follow_hooks {
	void *ctx;
	/* A META pair, as the model gets it. */
	void (*meta)(void *ctx, const char *key, const char *value);
	/* An event, before the model gets it. */
	void (*event)(void *ctx, const struct wt_event *ev);
	/* The model has every event up to @now_ns (trace clock; 0 before
	 * the first WATERMARK); @kernel_lost is the last WATERMARK's loss
	 * count (UINT64_MAX unknown).  Also called about every
	 * WT_FOLLOW_POLL_MS while the file does not grow.  Non-zero stops
	 * the follow (an error of the caller's). */
	int (*tick)(void *ctx, uint64_t now_ns, uint64_t kernel_lost);
};

struct wt_follow_opts {
	const char *path;
	pid_t writer_pid;                 /* 0: none */
	const volatile sig_atomic_t *stop; /* may be NULL */
	const struct wt_follow_hooks *hooks;
};

/*
 * Follow @o->path into model @m (which must be new), filling @res as the
 * decoder does.  The model is not finished (the caller calls
 * wt_model_finish).  Returns 0 when the recording was read to its end, 1
 * when it was read up to damage or a cut (the message in @res->damage),
 * 2 on an error (message in @err: the file cannot be read, the model
 * failed, out of memory), 130 when stopped by *@o->stop.
 */
int wt_follow(const struct wt_follow_opts *o, struct wt_model *m,
	      struct wt_decode_result *res, char *err, size_t errlen);

#endif /* WT_FOLLOW_H */
