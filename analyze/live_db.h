/*
 * live_db.h - the live findings' own database: an in-memory SQLite
 * database of the schema of sql/schema.sql, filled from the model's
 * observer (model.h) while a recording is followed, so that the findings
 * are the SQL views of the schema, defined once, run on what is known so
 * far (live_find.c).
 *
 * What it holds: the recording row (provisional until the model
 * finishes: end_ns is the follower's "now"), every wait_call row but
 * those whose outcome is 'nothing' (WNOHANG polls that found no child:
 * no view reads them; polling_v counts them in thread rows, and a poller
 * makes millions), every fork_failure row, and the process and thread
 * rows as the model last described them.  Process and thread rows change many times: they are
 * kept in memory, one per instance, and written together by
 * wt_live_db_sync() (a few times a second), so a process that forks,
 * exits and is reaped within one look costs one row write.
 *
 * Errors: 0 / -1 with a message in wt_live_db_error(); the first error
 * is kept and later calls do nothing.
 */
#ifndef WT_LIVE_DB_H
#define WT_LIVE_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>
#include "db.h"

struct wt_live_db;

/* A new, empty database.  NULL with a message in @err. */
struct wt_live_db *wt_live_db_new(char *err, size_t errlen);

/* The connection, for the finding queries (owned by the live db). */
sqlite3 *wt_live_db_handle(struct wt_live_db *ldb);

/* Observer rows (their strings are copied). */
void wt_live_db_call(struct wt_live_db *ldb, const struct wt_call_row *r);
void wt_live_db_process(struct wt_live_db *ldb, const struct wt_process_row *r);
void wt_live_db_thread(struct wt_live_db *ldb, const struct wt_thread_row *r);
void wt_live_db_fork_failure(struct wt_live_db *ldb,
			     const struct wt_fork_failure_row *r);
/* The final recording row (the model finished). */
void wt_live_db_recording(struct wt_live_db *ldb,
			  const struct wt_recording_row *r);

/* Until the final row: the recording began at @start_ns (META start_ns,
 * WT_DB_NULL unknown) and what is known reaches @now_ns. */
void wt_live_db_set_times(struct wt_live_db *ldb, int64_t start_ns,
			  int64_t now_ns);

/* Write the rows kept since the last sync.  0 or -1. */
int wt_live_db_sync(struct wt_live_db *ldb);

/* Save a copy at @path (--live-db; an existing file is replaced).  0 or
 * -1 with the message in @err. */
int wt_live_db_save(struct wt_live_db *ldb, const char *path, char *err,
		    size_t errlen);

/* The first error, "" when none. */
const char *wt_live_db_error(const struct wt_live_db *ldb);

/* Free; accepts NULL. */
void wt_live_db_free(struct wt_live_db *ldb);

#endif /* WT_LIVE_DB_H */
