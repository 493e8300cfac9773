/*
 * window.c - the --since/--until/--pid window of --html and --timeline
 * (see window.h).
 */
#include <math.h>
#include <stdlib.h>
#include "window.h"

int wt_window_parse_seconds(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < 0 || v > 1e9)
		return -1;
	*out = v;
	return 0;
}

static void bind_ns(sqlite3_stmt *st, const char *name, bool set,
		    double seconds, sqlite3_int64 t0)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (!i)
		return;
	if (set)
		sqlite3_bind_int64(st, i, t0 + (sqlite3_int64)llround(seconds *
								      1e9));
	else
		sqlite3_bind_null(st, i);
}

void wt_window_bind(sqlite3_stmt *st, const struct wt_window *w,
		    sqlite3_int64 t0)
{
	bind_ns(st, ":from_ns", w->since_set, w->since_s, t0);
	bind_ns(st, ":to_ns", w->until_set, w->until_s, t0);
	int i = sqlite3_bind_parameter_index(st, ":pid");
	if (i && w->pid_set)
		sqlite3_bind_int(st, i, w->pid);
	else if (i)
		sqlite3_bind_null(st, i);
}

sqlite3_int64 wt_window_origin(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 t0 = 0;
	if (sqlite3_prepare_v2(db, "SELECT min(start_ns) FROM recording", -1,
			       &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		t0 = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return t0;
}
