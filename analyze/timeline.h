/*
 * timeline.h - `wtrec analyze --timeline FILE`: the database as a
 * Chrome / Perfetto trace-event JSON file (the "JSON Object Format":
 * {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}),
 * to open in ui.perfetto.dev or chrome://tracing.
 *
 * Tracks: one trace process per process instance ("pid" = process.upid,
 * so a recycled pid never merges two processes; named "comm (pid N)"),
 * holding a "lifecycle" track (its life fork -> exit, then its zombie
 * time exit -> reap) and one track per thread that called wait ("tid" =
 * thread.utid; named "comm tid N") with a slice per wait call.  Flow
 * arrows go from a child's exit to the wait that reaped it; instant
 * events mark ECHILD failures, stolen reaps and auto-reaps.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_TIMELINE_H
#define WT_TIMELINE_H

#include <stddef.h>
#include <sqlite3.h>

/*
 * Write the timeline of the wtrec database @db (opened read-only by the
 * caller, who keeps it) to @path, "-" for standard output.  Rows stream
 * from SQLite one event at a time, so memory does not grow with the
 * database.  The file appears at @path only when complete.
 */
int wt_timeline_write(sqlite3 *db, const char *path, char *err,
		      size_t errlen);

#endif /* WT_TIMELINE_H */
