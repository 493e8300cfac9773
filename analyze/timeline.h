/*
 * timeline.h - `wtrec analyze --timeline FILE`: the database as a
 * Chrome / Perfetto trace-event JSON file (the "JSON Object Format":
 * {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}),
 * to open in ui.perfetto.dev (or, offline, speedscope: slices only).
 *
 * Tracks: one trace process per process instance drawn (those of
 * html/data.sql: in the recording's scope or making wait calls, inside
 * the --since/--until/--pid window) ("pid" = process.upid,
 * so a recycled pid never merges two processes; named "comm (pid N)"),
 * holding a "lifecycle" track (its life fork -> exit, then its zombie
 * time exit -> reap) and one track per thread that called wait ("tid" =
 * thread.utid; named "comm tid N") with a slice per wait call, except
 * that a run of empty WNOHANG polls is one slice "NAME xN" with its
 * counts in args (wait_runs.h), so the size follows the findings.  Flow
 * arrows go from a child's exit to the wait that reaped it; instant
 * events mark ECHILD failures, stolen reaps and auto-reaps.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_TIMELINE_H
#define WT_TIMELINE_H

#include <stddef.h>
#include <sqlite3.h>
#include "window.h"

/*
 * Write the timeline of the wtrec database at @dbpath (opened read-only
 * here, on a connection of its own: html/data.sql builds TEMP tables) to
 * @path, "-" for standard output, limited to @win.  Events stream one at
 * a time, so memory does not grow with the database.  The file appears at
 * @path only when complete.  @stop (may be NULL) becomes the
 * connection's progress handler: a non-zero return interrupts the query
 * (the caller's signal flag).
 */
int wt_timeline_write(const char *dbpath, const char *path,
		      const struct wt_window *win, int (*stop)(void *),
		      char *err, size_t errlen);

#endif /* WT_TIMELINE_H */
