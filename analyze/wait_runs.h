/*
 * wait_runs.h - the wait calls drawn by --html and --timeline, as spans
 * ("runs"): every call alone, except consecutive calls of one thread with
 * the same non-NULL poll_key (empty WNOHANG polls, or polls failing the
 * same way), which become one span with a count; and beyond a budget,
 * every K consecutive spans of a thread become one "group" (wait_runs.c).
 *
 * Input: the prepared "-- @calls" statement of html/data.sql, whose rows
 * (in wait_call.id order) have the columns utid, id, poll_key, b_rel,
 * e_rel, outcome and errno_name, found by name.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_WAIT_RUNS_H
#define WT_WAIT_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include "html_json.h"

enum wt_run_kind { WT_RUN_CALL, WT_RUN_RUN, WT_RUN_GROUP };

/* "call", "run", "group" */
extern const char *const wt_run_kind_name[];

/* One span: valid during the callback only. */
struct wt_run {
	enum wt_run_kind kind;
	sqlite3_int64 utid;
	long n;                          /* wait calls in it */
	sqlite3_int64 first_id, last_id; /* wait_call.id of the first, last */
	sqlite3_int64 b, e;              /* first b_rel, largest e_rel */
	long nothing, echild, error, reaped, other; /* the calls by outcome */
	const char *row_json;            /* the first call's row as a JSON
					  * array (keep_row), else NULL */
};

/* Called for each span; returns 0, or -1 to stop the scan (with its
 * message wherever its @ctx keeps one). */
typedef int (*wt_run_fn)(void *ctx, const struct wt_run *r);

/* What the scan did. */
struct wt_runs_info {
	long rows;           /* wait calls read */
	long runs;           /* runs of >= 2 calls drawn as one span */
	long calls_in_runs;  /* the calls in them */
	long items_l1;       /* spans after the runs, before the budget */
	long budget;         /* the budget asked for, 0 none */
	long group_size;     /* K: spans per group beyond the budget, 1 none */
	long items;          /* spans passed to the callback */
};

/*
 * Stream @st twice (it is reset in between): count, then call @fn for
 * each span, at most about @max_items of them (0: no budget; a thread's
 * last, partial group adds one each).  With @keep_row each span has its
 * first call's row as JSON.  *@info (may be NULL) says what was done.
 */
int wt_runs_scan(sqlite3_stmt *st, long max_items, bool keep_row,
		 wt_run_fn fn, void *ctx, struct wt_runs_info *info, char *err,
		 size_t errlen);

#endif /* WT_WAIT_RUNS_H */
