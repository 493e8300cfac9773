/*
 * output.c - result sets as table, CSV or JSON (see output.h).
 *
 * Workload: reports of a few to a few thousand rows, and `--sql` queries
 * that may return millions.  Table output needs column widths from the
 * data, so it buffers the first TABLE_ROWS rows, sizes the columns on them
 * and streams the rest with those widths (wider cells just push their line
 * out).  CSV and JSON stream row by row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "errf.h"
#include "output.h"

#define TABLE_ROWS 10000
#define JSON_MAX_COLS 63   /* json_object() takes at most 127 arguments */

int wt_format_parse(const char *name, enum wt_format *fmt)
{
	static const char *const names[] = { "table", "csv", "json" };
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, names[i])) {
			*fmt = (enum wt_format)i;
			return 0;
		}
	return -1;
}

void wt_out_begin(struct wt_out *o, FILE *f, enum wt_format fmt, int nsets)
{
	*o = (struct wt_out){ .f = f, .fmt = fmt, .nsets = nsets };
}

/* ---- table -------------------------------------------------------------- */

struct table {
	int ncol;
	size_t nrow, cap;
	char **cell;      /* nrow * ncol, NULL for SQL NULL */
	size_t *width;
	bool *numeric;    /* every non-NULL cell of the column is a number */
	bool *textual;
};

/* Display width in terminal columns: UTF-8 code points. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; s && *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static bool looks_numeric(const char *s)
{
	if (!*s)
		return false;
	char *end;
	strtod(s, &end);
	return *end == 0;
}

/* A printable copy of a cell: control characters would break the grid. */
static char *cell_text(sqlite3_stmt *st, int i, int type)
{
	if (type == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(st, i);
	char *s = strdup(t ? (const char *)t : "");
	for (char *p = s; p && *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return s;
}

static void note_cell(struct table *t, int i, const char *s, int type)
{
	if (!s)
		return;
	size_t w = text_width(s);
	if (w > t->width[i])
		t->width[i] = w;
	bool num = type == SQLITE_INTEGER || type == SQLITE_FLOAT ||
		   (type == SQLITE_TEXT && looks_numeric(s));
	if (!num)
		t->textual[i] = true;
	t->numeric[i] = !t->textual[i];
}

static void print_cell(FILE *f, const char *s, size_t width, bool right,
		       bool last)
{
	size_t w = text_width(s ? s : "");
	size_t pad = w < width ? width - w : 0;
	if (right)
		fprintf(f, "%*s%s", (int)pad, "", s ? s : "");
	else if (last)
		fputs(s ? s : "", f);
	else
		fprintf(f, "%s%*s", s ? s : "", (int)pad, "");
	fputs(last ? "\n" : "  ", f);
}

static void print_row(const struct table *t, FILE *f, char *const *cells)
{
	for (int i = 0; i < t->ncol; i++)
		print_cell(f, cells[i], t->width[i], t->numeric[i],
			   i == t->ncol - 1);
}

static void print_header(const struct table *t, FILE *f, sqlite3_stmt *st)
{
	for (int i = 0; i < t->ncol; i++)
		print_cell(f, sqlite3_column_name(st, i), t->width[i],
			   t->numeric[i], i == t->ncol - 1);
	for (int i = 0; i < t->ncol; i++) {
		for (size_t k = 0; k < t->width[i]; k++)
			fputc('-', f);
		fputs(i == t->ncol - 1 ? "\n" : "  ", f);
	}
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrow * (size_t)t->ncol; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->width);
	free(t->numeric);
	free(t->textual);
}

/* Buffer one row; -1 on ENOMEM. */
static int table_add(struct table *t, sqlite3_stmt *st)
{
	if (t->nrow == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		char **n = realloc(t->cell, ncap * t->ncol * sizeof(*n));
		if (!n)
			return -1;
		t->cell = n;
		t->cap = ncap;
	}
	char **row = t->cell + t->nrow * t->ncol;
	for (int i = 0; i < t->ncol; i++) {
		/* The type first: reading the text may convert the value. */
		int type = sqlite3_column_type(st, i);
		row[i] = cell_text(st, i, type);
		note_cell(t, i, row[i], type);
	}
	t->nrow++;
	return 0;
}

static int print_table(struct wt_out *o, const char *title, sqlite3_stmt *st,
		       char *err, size_t errlen)
{
	struct table t = { .ncol = sqlite3_column_count(st) };
	int rc = -1, step = SQLITE_DONE;
	t.width = calloc(t.ncol + 1, sizeof(*t.width));
	t.numeric = calloc(t.ncol + 1, sizeof(*t.numeric));
	t.textual = calloc(t.ncol + 1, sizeof(*t.textual));
	if (!t.width || !t.numeric || !t.textual)
		goto nomem;
	for (int i = 0; i < t.ncol; i++)
		t.width[i] = text_width(sqlite3_column_name(st, i));
	while (t.nrow < TABLE_ROWS && (step = sqlite3_step(st)) == SQLITE_ROW)
		if (table_add(&t, st) < 0)
			goto nomem;
	if (o->nsets > 1)
		fprintf(o->f, "%s== %s ==\n", o->done ? "\n" : "", title);
	print_header(&t, o->f, st);
	for (size_t r = 0; r < t.nrow; r++)
		print_row(&t, o->f, t.cell + r * t.ncol);
	if (t.nrow == TABLE_ROWS)
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			char *cells[t.ncol];
			for (int i = 0; i < t.ncol; i++)
				cells[i] = cell_text(st, i,
						sqlite3_column_type(st, i));
			print_row(&t, o->f, cells);
			for (int i = 0; i < t.ncol; i++)
				free(cells[i]);
		}
	if (step != SQLITE_DONE) {
		wt_errf(err, errlen, "%s",
			sqlite3_errmsg(sqlite3_db_handle(st)));
		goto out;
	}
	if (t.nrow == 0)
		fputs("(no rows)\n", o->f);
	rc = 0;
	goto out;
nomem:
	wt_errf(err, errlen, "out of memory");
out:
	table_free(&t);
	return rc;
}

/* ---- csv ---------------------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *value_text(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static int print_csv(struct wt_out *o, sqlite3_stmt *st, char *err,
		     size_t errlen)
{
	int ncol = sqlite3_column_count(st), step;
	if (o->done)
		fputs("\r\n", o->f);
	for (int i = 0; i < ncol; i++) {
		csv_field(o->f, sqlite3_column_name(st, i));
		fputs(i == ncol - 1 ? "\r\n" : ",", o->f);
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		for (int i = 0; i < ncol; i++) {
			csv_field(o->f, value_text(st, i));
			fputs(i == ncol - 1 ? "\r\n" : ",", o->f);
		}
	if (step != SQLITE_DONE)
		return wt_errf(err, errlen, "%s",
			       sqlite3_errmsg(sqlite3_db_handle(st)));
	return 0;
}

/* ---- json --------------------------------------------------------------- */

/* Key names of a result: SQLite's own convention for duplicates
 * ("pid", "pid:1") so every key of an object is distinct. */
static char **json_keys(sqlite3_stmt *st, int ncol)
{
	char **k = calloc(ncol, sizeof(*k));
	for (int i = 0; k && i < ncol; i++) {
		const char *name = sqlite3_column_name(st, i);
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup += !strcmp(sqlite3_column_name(st, j), name);
		if (dup ? asprintf(&k[i], "%s:%d", name, dup) < 0 :
			  !(k[i] = strdup(name)))
			k[i] = NULL;
	}
	return k;
}

/* SELECT json_object(?1, ?2, ?3, ?4, ...): keys and values are bound,
 * never formatted into the SQL. */
static sqlite3_stmt *json_row_stmt(sqlite3 *db, int ncol)
{
	size_t len = 32 + (size_t)ncol * 4;
	char *sql = malloc(len);
	sqlite3_stmt *js = NULL;
	if (!sql)
		return NULL;
	size_t n = snprintf(sql, len, "SELECT json_object(");
	for (int i = 0; i < ncol; i++)
		n += snprintf(sql + n, len - n, "%s?,?", i ? "," : "");
	snprintf(sql + n, len - n, ")");
	if (sqlite3_prepare_v2(db, sql, -1, &js, NULL) != SQLITE_OK)
		js = NULL;
	free(sql);
	return js;
}

static void bind_json_value(sqlite3_stmt *js, int idx, sqlite3_stmt *st,
			    int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_BLOB) {
		sqlite3_bind_value(js, idx, sqlite3_column_value(st, col));
		return;
	}
	/* JSON cannot hold a blob: give its hex text. */
	const unsigned char *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);
	char *hex = malloc((size_t)n * 2 + 1);
	if (!hex) {
		sqlite3_bind_null(js, idx);
		return;
	}
	for (int i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", b[i]);
	hex[2 * n] = 0;
	sqlite3_bind_text(js, idx, hex, 2 * n, free);
}

/* The JSON string literal of @s (used for a set's title). */
static int json_string(sqlite3 *db, FILE *f, const char *s)
{
	sqlite3_stmt *q = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT json_quote(?)", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(q, 1, s, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW) {
			fputs((const char *)sqlite3_column_text(q, 0), f);
			rc = 0;
		}
	}
	sqlite3_finalize(q);
	return rc;
}

static int json_rows(FILE *f, sqlite3_stmt *st, sqlite3_stmt *js,
		     char **keys, int ncol)
{
	int step;
	size_t n = 0;
	fputc('[', f);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			sqlite3_bind_text(js, 2 * i + 1, keys[i], -1,
					  SQLITE_STATIC);
			bind_json_value(js, 2 * i + 2, st, i);
		}
		if (sqlite3_step(js) != SQLITE_ROW)
			return -1;
		fprintf(f, "%s\n  %s", n++ ? "," : "",
			(const char *)sqlite3_column_text(js, 0));
		sqlite3_reset(js);
		sqlite3_clear_bindings(js);
	}
	fputs(n ? "\n]" : "]", f);
	return step == SQLITE_DONE ? 0 : -1;
}

static int print_json(struct wt_out *o, const char *title, sqlite3_stmt *st,
		      char *err, size_t errlen)
{
	sqlite3 *db = sqlite3_db_handle(st);
	int ncol = sqlite3_column_count(st), rc = -1;
	if (ncol > JSON_MAX_COLS)
		return wt_errf(err, errlen, "json output supports at most %d "
			       "columns (query has %d)", JSON_MAX_COLS, ncol);
	char **keys = json_keys(st, ncol);
	sqlite3_stmt *js = ncol ? json_row_stmt(db, ncol) : NULL;
	if (!keys || (ncol && !js)) {
		wt_errf(err, errlen, "json: %s", sqlite3_errmsg(db));
		goto out;
	}
	if (o->nsets > 1) {
		fputs(o->done ? ",\n" : "{\n", o->f);
		if (json_string(db, o->f, title) < 0) {
			wt_errf(err, errlen, "json: %s", sqlite3_errmsg(db));
			goto out;
		}
		fputs(": ", o->f);
	}
	if (json_rows(o->f, st, js, keys, ncol) < 0) {
		wt_errf(err, errlen, "%s", sqlite3_errmsg(db));
		goto out;
	}
	if (o->nsets <= 1)
		fputc('\n', o->f);
	rc = 0;
out:
	sqlite3_finalize(js);
	for (int i = 0; keys && i < ncol; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int wt_out_stmt(struct wt_out *o, const char *title, sqlite3_stmt *st,
		char *err, size_t errlen)
{
	int rc;
	switch (o->fmt) {
	case WT_FMT_CSV: rc = print_csv(o, st, err, errlen); break;
	case WT_FMT_JSON: rc = print_json(o, title, st, err, errlen); break;
	default: rc = print_table(o, title, st, err, errlen); break;
	}
	sqlite3_reset(st);
	o->done++;
	return rc;
}

int wt_out_end(struct wt_out *o)
{
	if (o->fmt == WT_FMT_JSON && o->nsets > 1)
		fputs(o->done ? "\n}\n" : "{}\n", o->f);
	if (fflush(o->f) != 0 || ferror(o->f))
		return -1;
	return 0;
}
