/*
 * drawdata.h - html/data.sql, the queries behind the drawings of
 * `--html` and `--timeline`, run on a read-only connection of their own.
 *
 * The file's statements run in order with the window (window.h) and
 * :max_procs bound.  Those that return no rows build TEMP tables that
 * later queries (the file's and the caller's) read: html_win (the origin
 * t0 and the window lo..hi), html_cand (every process that may be drawn,
 * its life, zombie span and fate), html_proc (the upids drawn).  A
 * statement labeled "-- @section NAME" goes to ops->section, the one
 * labeled "-- @calls" to ops->calls (wait_runs.h reads it); either may be
 * NULL, and the statement is then not run.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_DRAWDATA_H
#define WT_DRAWDATA_H

#include <stddef.h>
#include <sqlite3.h>
#include "window.h"

/* Open @dbpath read-only (SQLITE_OPEN_READONLY: the file cannot be
 * written, the connection's TEMP schema can).  Close with sqlite3_close;
 * NULL with a message on failure. */
sqlite3 *wt_drawdata_open(const char *dbpath, char *err, size_t errlen);

struct wt_drawdata_ops {
	int (*section)(void *ctx, const char *name, sqlite3_stmt *st);
	int (*calls)(void *ctx, sqlite3_stmt *st);
};

/* Run html/data.sql on @db (from wt_drawdata_open); @max_procs <= 0: no
 * limit on the lanes.  The callbacks return 0, or -1 with their message
 * in @err. */
int wt_drawdata_run(sqlite3 *db, const struct wt_window *win, long max_procs,
		    const struct wt_drawdata_ops *ops, void *ctx, char *err,
		    size_t errlen);

/* The embedded html/ file @name (report.html, data.sql...), or NULL. */
const char *wt_drawdata_file(const char *name);

#endif /* WT_DRAWDATA_H */
