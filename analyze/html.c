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
 * "-- @section NAME" statement of html/data.sql, and "calls" from its
 * "-- @calls" statement (html_calls.c).
 */
#include <stdlib.h>
#include <string.h>
#include "html.h"
#include "html_embed.h"
#include "html_json.h"
#include "outfile.h"
#include "output.h"
#include "sql_embed.h"

static const char *html_file(const char *name, size_t len)
{
	for (const struct wt_embed_file *f = wt_html_files; f->name; f++)
		if (strlen(f->name) == len && !strncmp(f->name, name, len))
			return f->text;
	return NULL;
}

struct ctx {
	long max_procs, max_items;  /* the budgets (html.h) */
	sqlite3 *db;
	FILE *f;
	const struct wt_window *win;
	sqlite3_int64 t0;
	struct wt_jb jb;
	int members;     /* of the data object, written so far */
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

static void bind_params(struct ctx *c, sqlite3_stmt *st)
{
	wt_window_bind(st, c->win, c->t0);
	int i = sqlite3_bind_parameter_index(st, ":max_procs");
	if (i)
		sqlite3_bind_int64(st, i, c->max_procs);
}

/* The label of the statement in @seg (its text and the comments before
 * it): "-- @section NAME" -> NAME into @name, "-- @calls" -> "@calls",
 * none -> "". */
static void label_of(const char *seg, size_t len, char *name, size_t nlen)
{
	static const char sec[] = "-- @section ", calls[] = "-- @calls";
	*name = 0;
	for (const char *p = seg; p < seg + len; p++) {
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

static int run_statement(struct ctx *c, sqlite3_stmt *st, const char *label)
{
	bind_params(c, st);
	if (!strcmp(label, "@calls")) {
		member(c, "calls");
		if (wt_jb_flush(&c->jb, c->f) < 0)
			return wt_errf(c->err, c->errlen, "html: out of memory");
		return wt_html_calls(st, c->f, c->max_items, NULL, c->err,
				     c->errlen);
	}
	if (*label) {
		member(c, label);
		return write_rows(c, st, label);
	}
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		;
	return step == SQLITE_DONE ? 0 : db_error(c, "data.sql");
}

/* Every statement of html/data.sql, in order. */
static int data_sections(struct ctx *c)
{
	const char *sql = html_file("data.sql", 8);
	if (!sql)
		return wt_errf(c->err, c->errlen, "html: data.sql not embedded");
	for (const char *tail = sql; *tail;) {
		sqlite3_stmt *st = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(c->db, tail, -1, &st, &next) != SQLITE_OK)
			return db_error(c, "data.sql");
		if (!st)
			break; /* only comments left */
		char label[64];
		label_of(tail, next - tail, label, sizeof(label));
		int rc = run_statement(c, st, label);
		sqlite3_finalize(st);
		if (rc < 0)
			return -1;
		tail = next;
	}
	return 0;
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
	if (summary_section(c) < 0 || data_sections(c) < 0)
		return -1;
	wt_jb_puts(&c->jb, "\n}");
	return wt_jb_flush(&c->jb, c->f) < 0 ?
	       wt_errf(c->err, c->errlen, "html: out of memory") : 0;
}

/* The template, with its @@NAME@@ places filled. */
static int write_page(struct ctx *c)
{
	const char *t = html_file("report.html", 11);
	if (!t)
		return wt_errf(c->err, c->errlen, "html: report.html not "
			       "embedded");
	for (const char *p; (p = strstr(t, "@@"));) {
		const char *name = p + 2, *end = strstr(name, "@@");
		if (!end)
			break;
		fwrite(t, 1, p - t, c->f);
		size_t len = end - name;
		const char *file = html_file(name, len);
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
		  const struct wt_window *win, sqlite3 *volatile *live,
		  char *err, size_t errlen)
{
	struct ctx c = { .win = win, .err = err, .errlen = errlen };
	c.max_procs = budget("WTREC_HTML_MAX_PROCS", WT_HTML_MAX_PROCS);
	c.max_items = budget("WTREC_HTML_MAX_ITEMS", WT_HTML_MAX_ITEMS);
	struct wt_outfile of;
	int rc = -1;
	/* SQLITE_OPEN_READONLY: the file cannot be written through this
	 * connection; its TEMP schema (data.sql's tables) can. */
	if (sqlite3_open_v2(dbpath, &c.db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		wt_errf(err, errlen, "html: cannot open %s: %s", dbpath,
			c.db ? sqlite3_errmsg(c.db) : "out of memory");
		goto out;
	}
	if (live)
		*live = c.db;
	c.t0 = wt_window_origin(c.db);
	if (wt_outfile_open(&of, path, err, errlen) < 0)
		goto out;
	c.f = of.f;
	if (write_page(&c) < 0) {
		wt_outfile_abort(&of);
		goto out;
	}
	rc = wt_outfile_commit(&of, err, errlen);
out:
	if (live)
		*live = NULL;
	wt_jb_free(&c.jb);
	sqlite3_close(c.db);
	return rc;
}
