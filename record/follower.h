/*
 * follower.h - `wtrec record --live`: the recorder and a follower
 * together.  The follower is this same binary run as `wtrec analyze
 * --follow FILE` in a child process: record and analyze stay separate
 * programs that meet only in the file (DESIGN.md), and a follower that is
 * slow or fails cannot stall or crash the recording.
 *
 * Lifecycle: start (once the file exists: its header and META are in) ->
 * the recording runs; the follower prints findings on our stdout -> wait
 * (after the TRAILER is written the follower reads to it and exits; a
 * second stop signal kills it) -> free.  The child ignores SIGINT,
 * SIGTERM and SIGHUP (a terminal's Ctrl-C reaches the whole process
 * group): the recorder decides when the recording ends, the follower
 * follows it to the trailer, and stops by itself when the recorder is
 * gone (--writer-pid).
 */
#ifndef WT_REC_FOLLOWER_H
#define WT_REC_FOLLOWER_H

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"

struct wt_rec_follower;

/* The follower's nice value (follower.c says why). */
#define WT_REC_FOLLOWER_NICE 10

struct wt_rec_follower_opts {
	const char *path;         /* the recording (a series: its first) */
	const char *format;       /* "text" | "jsonl" */
	double zombie_age_s;      /* 0: the follower's default */
};

/* Fork and exec the follower.  NULL with @d set on failure. */
struct wt_rec_follower *wt_rec_follower_start(const struct wt_rec_follower_opts *o,
					      struct wt_diag *d);

/*
 * Wait until the follower has exited; @stop_count() is polled, and a rise
 * over its value at the call (another stop signal) kills the follower.
 * Returns its exit status (0 ok), 128 + signal when killed, -1 when it
 * was not started.
 */
int wt_rec_follower_wait(struct wt_rec_follower *f, int (*stop_count)(void));

/* Kill (SIGKILL) and reap a follower still running, free.  Accepts NULL. */
void wt_rec_follower_free(struct wt_rec_follower *f);

#endif
