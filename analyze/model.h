/*
 * model.h - the state machine that turns one recording's normalized event
 * stream (event.h, via the decoder's sink) into rows of the wtrec model:
 * recording, meta, process, thread, wait_call, stats (sql/schema.sql).
 *
 * Workload: tens of millions of events.  Processes and threads are kept in
 * memory (they grow with the number of tasks, not events) and written at
 * wt_model_finish(); each wait_call row is written as soon as the call
 * returns, so memory does not grow with the number of calls.
 *
 * Call order (the decoder's): meta..., start-snapshot proc entries, start
 * cgroup entries, events in time order, stop-snapshot proc entries, stop
 * cgroup entries, stats, then finish.
 * Tests may call the wt_model_* functions directly in that order.
 *
 * Errors: 0 / -1; the message is in wt_model_error().  After a failure the
 * model only accepts wt_model_free().
 */
#ifndef WT_MODEL_H
#define WT_MODEL_H

#include <stdint.h>
#include "decode.h"
#include "db.h"

struct wt_model;

/*
 * A model writing one recording (input file @path) into @db, which must be
 * in its load state (wt_db_create) and outlive the model.  Returns NULL on
 * ENOMEM.  Free with wt_model_free().
 */
struct wt_model *wt_model_new(struct wt_db *db, const char *path);

/* Point @sink's callbacks at the model (sink->ctx = m). */
void wt_model_sink(struct wt_model *m, struct wt_sink *sink);

int wt_model_meta(struct wt_model *m, const char *key, const char *value);
int wt_model_proc(struct wt_model *m, const struct wt_proc_entry *p);
int wt_model_event(struct wt_model *m, const struct wt_event *ev);
int wt_model_stats(struct wt_model *m, const struct wt_cpu_stats *s);
/* A line of a CGROUP chunk (decode.h): the pids limits at start or stop. */
int wt_model_cgroup(struct wt_model *m, const struct wt_cgroup_entry *e);

/*
 * End of input: close calls still blocked, write processes, threads, stats
 * and the recording row (with counts from @res, which may be NULL when the
 * caller has none, e.g. tests).  Call once, also after damage.
 */
int wt_model_finish(struct wt_model *m, const struct wt_decode_result *res);

const char *wt_model_error(const struct wt_model *m);

/*
 * An observer of the model while it runs (the live findings of `analyze
 * --follow`, live.c).  It is told of
 *  - every wait_call row, as it is written (@call);
 *  - the row a process would get if the input ended now (@process), each
 *    time the process changes state: seen born or first known, exec,
 *    exit, waitable (its SIGCHLD), reaped, released, reparented, freed,
 *    a wait call of its threads, a SIGCHLD it received; every process
 *    once when the start snapshot is in; every one at finish;
 *  - likewise a thread's row when its WNOHANG counters move, and every
 *    thread at finish (@thread);
 *  - every fork_failure row, as it is written: a fork, vfork, clone or
 *    clone3 that failed, with the cgroup and container its process was in
 *    then (@fork_failure);
 *  - the recording row at finish (@recording).
 * Process and thread rows come at the end of the event that changed them
 * (a process may come more than once per event).  Strings in the rows
 * are valid during the call only.  Any callback may be NULL.  Without an
 * observer the model does exactly what it does with one; with one, the
 * rows it writes to the database are the same.
 */
struct wt_model_observer {
	void *ctx;
	void (*call)(void *ctx, const struct wt_call_row *row);
	void (*process)(void *ctx, const struct wt_process_row *row);
	void (*thread)(void *ctx, const struct wt_thread_row *row);
	void (*fork_failure)(void *ctx, const struct wt_fork_failure_row *row);
	void (*recording)(void *ctx, const struct wt_recording_row *row);
};

/* Attach @obs (which must outlive the model), or detach with NULL.  Call
 * before the first meta/proc/event. */
void wt_model_set_observer(struct wt_model *m,
			   const struct wt_model_observer *obs);

/* Free; accepts NULL.  Rows already written stay in the database. */
void wt_model_free(struct wt_model *m);

#endif /* WT_MODEL_H */
