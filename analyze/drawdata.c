/*
 * drawdata.c - run html/data.sql for --html and --timeline (see
 * drawdata.h).
 *
 * A statement's label is found in its text and the comments before it,
 * i.e. between the previous statement's end and its own: sqlite3_prepare
 * says where each statement ends, so a ';' in a comment never misleads.
 */
#include <string.h>
#include "errf.h"
#include "drawdata.h"
#include "html_embed.h"
#include "result_format.h"

const char *wt_drawdata_file(const char *name)
{
	for (const struct wt_embed_file *f = wt_html_files; f->name; f++)
		if (!strcmp(f->name, name))
			return f->text;
	return NULL;
}

sqlite3 *wt_drawdata_open(const char *dbpath, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK)
		return db;
	wt_errf(err, errlen, "cannot open %s: %s", dbpath,
		db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	return NULL;
}

/* A line "-- @section NAME" -> NAME into @name, "-- @calls" -> "@calls",
 * none -> "", in @seg's @len bytes (only at the start of a line: the
 * file's header quotes them indented). */
static void label_of(const char *seg, size_t len, char *name, size_t nlen)
{
	static const char sec[] = "-- @section ", calls[] = "-- @calls";
	*name = 0;
	for (const char *p = seg; p < seg + len; p++) {
		if (p > seg && p[-1] != '\n')
			continue;
		if (!strncmp(p, calls, sizeof(calls) - 1)) {
			snprintf(name, nlen, "@calls");
			return;
		}
		if (!strncmp(p, sec, sizeof(sec) - 1)) {
			const char *b = p + sizeof(sec) - 1, *e = b;
			while (e < seg + len && *e != '\n' && *e != ' ')
				e++;
			snprintf(name, nlen, "%.*s", (int)(e - b), b);
			return;
		}
	}
}

static void bind_params(sqlite3_stmt *st, const struct wt_window *win,
			sqlite3_int64 t0, long max_procs)
{
	wt_window_bind(st, win, t0);
	int i = sqlite3_bind_parameter_index(st, ":max_procs");
	if (i && max_procs > 0)
		sqlite3_bind_int64(st, i, max_procs);
	else if (i)
		sqlite3_bind_null(st, i);
}

static int run_one(sqlite3 *db, sqlite3_stmt *st, const char *label,
		   const struct wt_drawdata_ops *ops, void *ctx, char *err,
		   size_t errlen)
{
	if (!strcmp(label, "@calls"))
		return ops->calls ? ops->calls(ctx, st) : 0;
	if (*label)
		return ops->section ? ops->section(ctx, label, st) : 0;
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		;
	return step == SQLITE_DONE ? 0 : wt_errf(err, errlen, "data.sql: %s",
						 sqlite3_errmsg(db));
}

int wt_drawdata_run(sqlite3 *db, const struct wt_window *win, long max_procs,
		    const struct wt_drawdata_ops *ops, void *ctx, char *err,
		    size_t errlen)
{
	const char *sql = wt_drawdata_file("data.sql");
	sqlite3_int64 t0 = wt_window_origin(db);
	if (!sql)
		return wt_errf(err, errlen, "data.sql is not embedded");
	for (const char *tail = sql; *tail;) {
		sqlite3_stmt *st = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &st, &next) != SQLITE_OK)
			return wt_errf(err, errlen, "data.sql: %s",
				       sqlite3_errmsg(db));
		if (!st)
			break; /* only comments left */
		char label[64];
		label_of(tail, next - tail, label, sizeof(label));
		bind_params(st, win, t0, max_procs);
		int rc = run_one(db, st, label, ops, ctx, err, errlen);
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
		tail = next;
	}
	return 0;
}
