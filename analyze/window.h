/*
 * window.h - the part of a recording `--html` and `--timeline` draw:
 * `--since S` / `--until S` (seconds from the start of the earliest
 * recording in the database) and `--pid PID` (that pid's process
 * instances, their parents and their children).
 *
 * Queries take the window as named parameters, bound by wt_window_bind:
 *   :from_ns, :to_ns  absolute trace-clock ns, NULL when not limited
 *   :pid              the pid, NULL when not limited
 */
#ifndef WT_WINDOW_H
#define WT_WINDOW_H

#include <stdbool.h>
#include <sqlite3.h>

struct wt_window {
	bool since_set, until_set, pid_set;
	double since_s, until_s;
	int pid;
};

/* "1.5" -> seconds (>= 0, finite); -1 if not a number of seconds. */
int wt_window_parse_seconds(const char *s, double *out);

/*
 * Bind @w to whichever of :from_ns, :to_ns and :pid the prepared
 * statement @st has (the others are left alone).  @t0 is the start of
 * the earliest recording (wt_window_origin).
 */
void wt_window_bind(sqlite3_stmt *st, const struct wt_window *w,
		    sqlite3_int64 t0);

/* The earliest recording start of @db, 0 if none. */
sqlite3_int64 wt_window_origin(sqlite3 *db);

#endif /* WT_WINDOW_H */
