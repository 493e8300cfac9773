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

/* Free; accepts NULL.  Rows already written stay in the database. */
void wt_model_free(struct wt_model *m);

#endif /* WT_MODEL_H */
