/*
 * html.c - the HTML incident report: the template with its style, script
 * and data put in (see html.h).
 *
 * Steps: open the database read-only on a connection of our own (the
 * caller's is query_only, which forbids even TEMP tables; html/data.sql
 * builds a few) -> write html/report.html, replacing each @@NAME@@ by the
 * embedded file NAME and @@DATA@@ by the data -> rename into place.
 *
 * The data is one JSON object: the window and budgets, the summary report
 * (sql/summary.sql, as `wtrec analyze` prints it), then one member per
 * "-- @section NAME" statement of html/data.sql (drawdata.h), and "calls"
 * from its "-- @calls" statement, as spans (wait_runs.h).
 */
#include <stdlib.h>
#include <string.h>
#include "errf.h"
#include "drawdata.h"
#include "html.h"
#include "html_json.h"
#include "wait_runs.h"
#include "atomic_file.h"
#include "result_format.h"
#include "sql_embed.h"

struct ctx {
	long max_procs, max_items;  /* the budgets (html.h) */
	sqlite3 *db;
	FILE *f;
	const struct wt_window *win;
	struct wt_jb jb;
	int members;     /* of the data object, written so far */
	long nitems;     /* calls spans written */
	char *err;
	size_t errlen;
};

static int db_error(struct ctx *c, const char *what)
{
	return wt_errf(c->err, c->errlen, "html: %s: %s", what,
		       sqlite3_errmsg(c->db));
}

/* "NAME": before the next member of the data object. */
static void member(struct ctx *c, const char *name)
{
	wt_jb_puts(&c->jb, c->members++ ? ",\n" : "\n");
	wt_jb_string(&c->jb, name);
	wt_jb_puts(&c->jb, ":");
}

/* Step @st to its end as {"cols": [...], "rows": [[...], ...]}. */
static int write_rows(struct ctx *c, sqlite3_stmt *st, const char *what)
{
	int ncol = sqlite3_column_count(st), step;
	long n = 0;
	wt_jb_puts(&c->jb, "{\"cols\":");
	wt_jb_cols(&c->jb, st, ncol);
	wt_jb_puts(&c->jb, ",\"rows\":[");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		wt_jb_puts(&c->jb, n++ ? ",\n" : "\n");
		wt_jb_row(&c->jb, st, ncol);
		if (wt_jb_flush(&c->jb, c->f) < 0)
			return wt_errf(c->err, c->errlen, "html: out of memory "
				       "or write error");
	}
	if (step != SQLITE_DONE)
		return db_error(c, what);
	wt_jb_puts(&c->jb, "]}");
	return 0;
}

/* One span of the @calls query as a JSON array (item_cols below). */
static int write_run(void *ctx, const struct wt_run *r)
{
	struct ctx *c = ctx;
	char num[200];
	wt_jb_puts(&c->jb, c->nitems++ ? ",\n[" : "\n[");
	snprintf(num, sizeof(num), "%lld,\"%s\",%ld,%lld,%lld,%lld,%lld,%ld,"
		 "%ld,%ld,%ld,%ld,", (long long)r->utid,
		 wt_run_kind_name[r->kind], r->n, (long long)r->first_id,
		 (long long)r->last_id, (long long)r->b, (long long)r->e,
		 r->nothing, r->echild, r->error, r->reaped, r->other);
	wt_jb_puts(&c->jb, num);
	wt_jb_puts(&c->jb, r->row_json ? r->row_json : "null");
	wt_jb_puts(&c->jb, "]");
	return wt_jb_flush(&c->jb, c->f) < 0 ?
	       wt_errf(c->err, c->errlen, "html: out of memory or write error")
	       : 0;
}

/* "calls": {"cols", "item_cols", "items", "info"} (wait_runs.h). */
static int calls_section(void *ctx, sqlite3_stmt *st)
{
	struct ctx *c = ctx;
	struct wt_runs_info info;
	char tail[320];
	member(c, "calls");
	wt_jb_puts(&c->jb, "{\"cols\":");
	wt_jb_cols(&c->jb, st, sqlite3_column_count(st));
	wt_jb_puts(&c->jb, ",\n\"item_cols\":[\"utid\",\"kind\",\"n\","
		   "\"first_id\",\"last_id\",\"b_rel\",\"e_rel\",\"nothing\","
		   "\"echild\",\"error\",\"reaped\",\"other\",\"row\"],\n"
		   "\"items\":[");
	if (wt_jb_flush(&c->jb, c->f) < 0)
		return wt_errf(c->err, c->errlen, "html: out of memory");
	if (wt_runs_scan(st, c->max_items, true, write_run, c, &info, c->err,
			 c->errlen) < 0)
		return -1;
	snprintf(tail, sizeof(tail), "],\n\"info\":{\"rows\":%ld,\"runs\":%ld,"
		 "\"calls_in_runs\":%ld,\"items_before_budget\":%ld,"
		 "\"budget\":%ld,\"group_size\":%ld,\"items\":%ld}}",
		 info.rows, info.runs, info.calls_in_runs, info.items_l1,
		 info.budget, info.group_size, info.items);
	wt_jb_puts(&c->jb, tail);
	return 0;
}

static int rows_section(void *ctx, const char *name, sqlite3_stmt *st)
{
	struct ctx *c = ctx;
	member(c, name);
	return write_rows(c, st, name);
}

/* The summary report, exactly as `wtrec analyze` runs it. */
static int summary_section(struct ctx *c)
{
	sqlite3_stmt *st = NULL;
	const char *sql = wt_sql_get("summary");
	if (!sql || sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK
	    || !st) {
		sqlite3_finalize(st);
		return db_error(c, "summary");
	}
	member(c, "summary");
	int rc = write_rows(c, st, "summary");
	sqlite3_finalize(st);
	return rc;
}

static void window_member(struct ctx *c)
{
	char buf[256];
	const struct wt_window *w = c->win;
	member(c, "window");
	snprintf(buf, sizeof(buf), "{\"since_s\":%.9g,\"until_s\":%.9g,"
		 "\"pid\":%d,\"max_procs\":%ld,\"max_items\":%ld}",
		 w->since_set ? w->since_s : -1, w->until_set ? w->until_s : -1,
		 w->pid_set ? w->pid : -1, c->max_procs, c->max_items);
	wt_jb_puts(&c->jb, buf);
	member(c, "generator");
	wt_jb_string(&c->jb, "wtrec " WT_VERSION);
}

static int write_data(struct ctx *c)
{
	wt_jb_puts(&c->jb, "{");
	window_member(c);
	static const struct wt_drawdata_ops ops = { rows_section,
						    calls_section };
	if (summary_section(c) < 0 ||
	    wt_drawdata_run(c->db, c->win, c->max_procs, &ops, c, c->err,
			    c->errlen) < 0)
		return -1;
	wt_jb_puts(&c->jb, "\n}");
	return wt_jb_flush(&c->jb, c->f) < 0 ?
	       wt_errf(c->err, c->errlen, "html: out of memory") : 0;
}

/* The template, with its @@NAME@@ places filled. */
static int write_page(struct ctx *c)
{
	const char *t = wt_drawdata_file("report.html");
	if (!t)
		return wt_errf(c->err, c->errlen, "html: report.html not "
			       "embedded");
	for (const char *p; (p = strstr(t, "@@"));) {
		const char *name = p + 2, *end = strstr(name, "@@");
		if (!end)
			break;
		fwrite(t, 1, p - t, c->f);
		size_t len = end - name;
		char fname[64];
		snprintf(fname, sizeof(fname), "%.*s", (int)len, name);
		const char *file = wt_drawdata_file(fname);
		if (len == 4 && !strncmp(name, "DATA", 4)) {
			if (write_data(c) < 0)
				return -1;
		} else if (file) {
			fputs(file, c->f);
		} else {
			return wt_errf(c->err, c->errlen, "html: report.html "
				       "names @@%.*s@@, not embedded", (int)len,
				       name);
		}
		t = end + 2;
	}
	fputs(t, c->f);
	return 0;
}

/* A budget: @dflt, or (test hook) a smaller positive value from the
 * environment variable @name, so the tests can make a small recording
 * go over it. */
static long budget(const char *name, long dflt)
{
	const char *v = getenv(name);
	long n = v ? strtol(v, NULL, 10) : 0;
	return n > 0 && n < dflt ? n : dflt;
}

int wt_html_write(const char *dbpath, const char *path,
		  const struct wt_window *win, int (*stop)(void *),
		  char *err, size_t errlen)
{
	struct ctx c = { .win = win, .err = err, .errlen = errlen };
	c.max_procs = budget("WTREC_HTML_MAX_PROCS", WT_HTML_MAX_PROCS);
	c.max_items = budget("WTREC_HTML_MAX_ITEMS", WT_HTML_MAX_ITEMS);
	struct wt_atomic_file of;
	int rc = -1;
	if (!(c.db = wt_drawdata_open(dbpath, err, errlen)))
		goto out;
	if (stop)
		sqlite3_progress_handler(c.db, 1000, stop, NULL);
	if (wt_atomic_file_open(&of, path, err, errlen) < 0)
		goto out;
	c.f = of.f;
	if (write_page(&c) < 0) {
		wt_atomic_file_abort(&of);
		goto out;
	}
	rc = wt_atomic_file_commit(&of, err, errlen);
out:
	wt_jb_free(&c.jb);
	sqlite3_close(c.db);
	return rc;
}
