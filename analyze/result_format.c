/*
 * result_format.c - result sets as table, CSV, JSON or JSON Lines (see result_format.h).
 *
 * Workload: reports of a few to a few thousand rows, and `--sql` queries
 * that may return millions.  Table, JSON and JSON Lines buffer the first
 * BUFFER_ROWS rows (as protected sqlite3_value copies) to learn each
 * column's shape - its width, and whether every value in it is a number -
 * then print them and stream the rest with what was learnt.  CSV streams
 * row by row from the start: it has no types and no widths.
 *
 * A column is numeric when each of its non-NULL buffered values is an
 * INTEGER or REAL, or TEXT spelling a JSON number (the reports format
 * milliseconds with printf('%.3f')).  Table output right-aligns such a
 * column; JSON gives its values as numbers, and every value of any other
 * column as a string, so a key has one JSON type in every row.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "errf.h"
#include "result_format.h"

#define BUFFER_ROWS 10000
#define JSON_MAX_COLS 63   /* json_object() takes at most 127 arguments */
#define MIN_CUT_WIDTH 3    /* text is never cut narrower: "ab…" */

static const char *const format_names[] = { "table", "csv", "json", "jsonl" };

int wt_format_parse(const char *name, enum wt_format *fmt)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(name, format_names[i])) {
			*fmt = (enum wt_format)i;
			return 0;
		}
	return -1;
}

const char *wt_format_ext(enum wt_format fmt)
{
	return fmt == WT_FMT_TABLE ? "txt" : format_names[fmt];
}

/* The terminal's width when @f is one (0: no limit).  $COLUMNS is used
 * when the terminal does not say (as ls does). */
static int terminal_width(FILE *f)
{
	struct winsize ws;
	if (!isatty(fileno(f)))
		return 0;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *c = getenv("COLUMNS");
	return c && atoi(c) > 0 ? atoi(c) : 0;
}

void wt_out_begin(struct wt_out *o, FILE *f, enum wt_format fmt, int nsets)
{
	*o = (struct wt_out){ .f = f, .fmt = fmt, .nsets = nsets,
			      .width = fmt == WT_FMT_TABLE ? terminal_width(f) :
							     0 };
}

/* ---- buffered rows and column shapes ------------------------------------ */

struct rows {
	int ncol;
	size_t n, cap;
	sqlite3_value **v;  /* n * ncol protected copies (sqlite3_value_dup) */
	bool *numeric;      /* per column: every non-NULL value a number */
	bool *seen;         /* per column: a non-NULL value was seen */
};

/* JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number_text(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		if (!(*++s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == 0;
}

static bool value_is_number(sqlite3_value *v)
{
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		return true;
	case SQLITE_TEXT:
		return json_number_text((const char *)sqlite3_value_text(v));
	default:
		return false;
	}
}

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n * (size_t)r->ncol; i++)
		sqlite3_value_free(r->v[i]);
	free(r->v);
	free(r->numeric);
	free(r->seen);
	memset(r, 0, sizeof(*r));
}

/* Copy the statement's current row to the end of @r, learning the
 * columns' shapes from it if @learn; -1 on ENOMEM. */
static int rows_add(struct rows *r, sqlite3_stmt *st, bool learn)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		sqlite3_value **n = realloc(r->v, ncap * r->ncol * sizeof(*n));
		if (!n)
			return -1;
		r->v = n;
		r->cap = ncap;
	}
	sqlite3_value **row = r->v + r->n * r->ncol;
	for (int i = 0; i < r->ncol; i++) {
		row[i] = sqlite3_value_dup(sqlite3_column_value(st, i));
		if (!row[i]) {
			while (i--)
				sqlite3_value_free(row[i]);
			return -1;
		}
		if (!learn || sqlite3_value_type(row[i]) == SQLITE_NULL)
			continue;
		r->seen[i] = true;
		if (!value_is_number(row[i]))
			r->numeric[i] = false;
	}
	r->n++;
	return 0;
}

/* Buffer up to BUFFER_ROWS rows of @st.  Returns the last sqlite3_step()
 * result (SQLITE_ROW: more rows follow, the current one not buffered),
 * or -1 on ENOMEM. */
static int rows_fill(struct rows *r, sqlite3_stmt *st)
{
	int step = SQLITE_DONE;
	r->ncol = sqlite3_column_count(st);
	r->numeric = malloc((r->ncol + 1) * sizeof(*r->numeric));
	r->seen = calloc(r->ncol + 1, sizeof(*r->seen));
	if (!r->numeric || !r->seen)
		return -1;
	for (int i = 0; i < r->ncol; i++)
		r->numeric[i] = true;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && r->n < BUFFER_ROWS)
		if (rows_add(r, st, true) < 0)
			return -1;
	/* an all-NULL column has no shape: call it text */
	for (int i = 0; i < r->ncol; i++)
		r->numeric[i] = r->numeric[i] && r->seen[i];
	return step;
}

/* The row to print after the buffer: the statement's current row, copied
 * into a one-row @one (same shapes as @r).  -1 on ENOMEM. */
static int rows_current(struct rows *one, const struct rows *r,
			sqlite3_stmt *st)
{
	*one = (struct rows){ .ncol = r->ncol, .numeric = r->numeric,
			      .seen = r->seen };
	return rows_add(one, st, false);
}

static void rows_free_one(struct rows *one)
{
	one->numeric = one->seen = NULL;
	rows_free(one);
}

/* ---- table -------------------------------------------------------------- */

/* Display width in terminal columns: UTF-8 code points. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; s && *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

/* The printable text of a value, malloc'ed (NULL for SQL NULL): control
 * characters would break the grid. */
static char *cell_text(sqlite3_value *v)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_value_text(v);
	char *s = strdup(t ? (const char *)t : "");
	for (char *p = s; p && *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return s;
}

/* Cut @s (malloc'ed) to @width columns, the last one an ellipsis. */
static char *cut(char *s, size_t width)
{
	if (!s || text_width(s) <= width || width == 0)
		return s;
	size_t w = 0;
	char *p = s;
	for (; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && w++ == width - 1)
			break;
	}
	size_t keep = p - s;
	char *n = malloc(keep + 4);
	if (!n)
		return s;
	memcpy(n, s, keep);
	memcpy(n + keep, "\u2026", 4); /* "…", 3 bytes + NUL */
	free(s);
	return n;
}

/* The widths with every column capped at @cap but kept at least its
 * @floor (and never wider than it was), into @out if not NULL; returns
 * their sum. */
static size_t capped(const size_t *width, const size_t *floor, int ncol,
		     size_t cap, size_t *out)
{
	size_t sum = 0;
	for (int i = 0; i < ncol; i++) {
		size_t w = width[i] < cap ? width[i] : cap;
		w = w > floor[i] ? w : floor[i];
		w = w < width[i] ? w : width[i];
		if (out)
			out[i] = w;
		sum += w;
	}
	return sum;
}

/* Narrow the widest columns until the line fits @limit terminal columns:
 * the largest cap that fits.  Numbers keep their width (@floor: a cut
 * number reads as a wrong one) unless nothing else makes the line fit;
 * then every column may go down to MIN_CUT_WIDTH. */
static void fit_widths(size_t *width, size_t *floor, int ncol, int limit)
{
	if (limit <= 0 || ncol == 0)
		return;
	size_t room = (size_t)limit > 2 * (size_t)(ncol - 1) ?
		      (size_t)limit - 2 * (ncol - 1) : 0, widest = 0;
	for (int i = 0; i < ncol; i++)
		widest = width[i] > widest ? width[i] : widest;
	for (int pass = 0; pass < 2; pass++) {
		size_t cap = widest;
		while (cap > 1 && capped(width, floor, ncol, cap, NULL) > room)
			cap--;
		if (capped(width, floor, ncol, cap, NULL) <= room || pass) {
			capped(width, floor, ncol, cap, width);
			return;
		}
		for (int i = 0; i < ncol; i++)
			floor[i] = MIN_CUT_WIDTH;
	}
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

/* Print row @k of @r with @width, cutting what does not fit. */
static void print_table_row(FILE *f, const struct rows *r, size_t k,
			    const size_t *width)
{
	for (int i = 0; i < r->ncol; i++) {
		char *s = cut(cell_text(r->v[k * r->ncol + i]), width[i]);
		print_cell(f, s, width[i], r->numeric[i], i == r->ncol - 1);
		free(s);
	}
}

static void print_header(FILE *f, sqlite3_stmt *st, const struct rows *r,
			 const size_t *width)
{
	for (int i = 0; i < r->ncol; i++) {
		char *s = cut(strdup(sqlite3_column_name(st, i)), width[i]);
		print_cell(f, s, width[i], r->numeric[i], i == r->ncol - 1);
		free(s);
	}
	for (int i = 0; i < r->ncol; i++) {
		for (size_t k = 0; k < width[i]; k++)
			fputc('-', f);
		fputs(i == r->ncol - 1 ? "\n" : "  ", f);
	}
}

/* Column widths from the header and the buffered rows, fitted to @limit;
 * NULL on ENOMEM. */
static size_t *table_widths(sqlite3_stmt *st, const struct rows *r, int limit)
{
	size_t *width = calloc(r->ncol + 1, sizeof(*width));
	size_t *floor = calloc(r->ncol + 1, sizeof(*floor));
	for (int i = 0; width && floor && i < r->ncol; i++) {
		size_t widest = 0;
		for (size_t k = 0; k < r->n; k++) {
			char *s = cell_text(r->v[k * r->ncol + i]);
			size_t w = text_width(s);
			widest = w > widest ? w : widest;
			free(s);
		}
		width[i] = text_width(sqlite3_column_name(st, i));
		width[i] = widest > width[i] ? widest : width[i];
		floor[i] = r->numeric[i] ? widest : MIN_CUT_WIDTH;
	}
	if (width && floor)
		fit_widths(width, floor, r->ncol, limit);
	free(floor);
	return width;
}

/* ---- json --------------------------------------------------------------- */

/* Key names of a result: SQLite's own convention for duplicates
 * ("pid", "pid:1") so every key of an object is distinct. */
static char **json_keys(sqlite3_stmt *st, int ncol)
{
	char **k = calloc(ncol + 1, sizeof(*k));
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

static void json_keys_free(char **k, int ncol)
{
	for (int i = 0; k && i < ncol; i++)
		free(k[i]);
	free(k);
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

/* Bind @v as a number (@numeric column) or as a string. */
static void bind_json_value(sqlite3_stmt *js, int idx, sqlite3_value *v,
			    bool numeric)
{
	int type = sqlite3_value_type(v);
	if (type == SQLITE_NULL) {
		sqlite3_bind_null(js, idx);
	} else if (type == SQLITE_BLOB) {
		/* JSON cannot hold a blob: give its hex text. */
		const unsigned char *b = sqlite3_value_blob(v);
		int n = sqlite3_value_bytes(v);
		char *hex = malloc((size_t)n * 2 + 1);
		for (int i = 0; hex && i < n; i++)
			sprintf(hex + 2 * i, "%02x", b[i]);
		if (hex)
			hex[2 * n] = 0;
		sqlite3_bind_text(js, idx, hex, hex ? 2 * n : 0,
				  hex ? free : SQLITE_STATIC);
	} else if (numeric && value_is_number(v)) {
		if (type == SQLITE_TEXT) {
			const char *s = (const char *)sqlite3_value_text(v);
			if (strpbrk(s, ".eE"))
				sqlite3_bind_double(js, idx, strtod(s, NULL));
			else
				sqlite3_bind_int64(js, idx, strtoll(s, NULL, 10));
		} else {
			sqlite3_bind_value(js, idx, v);
		}
	} else {
		/* text of an INTEGER/REAL is SQLite's own spelling */
		sqlite3_bind_text(js, idx, (const char *)sqlite3_value_text(v),
				  -1, SQLITE_TRANSIENT);
	}
}

struct json_ctx {
	sqlite3_stmt *js;
	char **keys;
	size_t n;    /* objects written */
};

static int json_row(struct wt_out *o, struct json_ctx *c,
		    const struct rows *r, size_t k)
{
	for (int i = 0; i < r->ncol; i++) {
		sqlite3_bind_text(c->js, 2 * i + 1, c->keys[i], -1,
				  SQLITE_STATIC);
		bind_json_value(c->js, 2 * i + 2, r->v[k * r->ncol + i],
				r->numeric[i]);
	}
	if (sqlite3_step(c->js) != SQLITE_ROW)
		return -1;
	const char *obj = (const char *)sqlite3_column_text(c->js, 0);
	if (o->fmt == WT_FMT_JSONL)
		fprintf(o->f, "%s\n", obj);
	else
		fprintf(o->f, "%s\n  %s", c->n ? "," : "", obj);
	c->n++;
	sqlite3_reset(c->js);
	sqlite3_clear_bindings(c->js);
	return 0;
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

/* ---- one buffered result set: table, json, jsonl ----------------------- */

struct printer {
	struct wt_out *o;
	sqlite3_stmt *st;
	size_t *width;       /* table */
	struct json_ctx json;
};

static int printer_begin(struct printer *p, const char *title,
			 const struct rows *r)
{
	struct wt_out *o = p->o;
	sqlite3 *db = sqlite3_db_handle(p->st);
	if (o->fmt == WT_FMT_TABLE) {
		if (!(p->width = table_widths(p->st, r, o->width)))
			return -1;
		if (o->nsets > 1)
			fprintf(o->f, "%s== %s ==\n", o->done ? "\n" : "",
				title);
		print_header(o->f, p->st, r, p->width);
		return 0;
	}
	p->json.keys = json_keys(p->st, r->ncol);
	p->json.js = r->ncol ? json_row_stmt(db, r->ncol) : NULL;
	if (!p->json.keys || (r->ncol && !p->json.js))
		return -1;
	if (o->fmt == WT_FMT_JSON && o->nsets > 1) {
		/* several sets on one stream: an object keyed by title (the
		 * command line refuses this; see result_format.h) */
		fputs(o->done ? ",\n" : "{\n", o->f);
		if (json_string(db, o->f, title) < 0)
			return -1;
		fputs(": ", o->f);
	}
	if (o->fmt == WT_FMT_JSON)
		fputc('[', o->f);
	return 0;
}

static int printer_row(struct printer *p, const struct rows *r, size_t k)
{
	if (p->o->fmt == WT_FMT_TABLE) {
		print_table_row(p->o->f, r, k, p->width);
		return 0;
	}
	return json_row(p->o, &p->json, r, k);
}

static void printer_end(struct printer *p, size_t nrows)
{
	struct wt_out *o = p->o;
	if (o->fmt == WT_FMT_TABLE && nrows == 0)
		fputs("(no rows)\n", o->f);
	if (o->fmt == WT_FMT_JSON)
		fputs(p->json.n ? "\n]" : "]", o->f);
	if (o->fmt == WT_FMT_JSON && o->nsets <= 1)
		fputc('\n', o->f);
}

static void printer_free(struct printer *p)
{
	free(p->width);
	sqlite3_finalize(p->json.js);
	json_keys_free(p->json.keys, sqlite3_column_count(p->st));
}

static int print_buffered(struct wt_out *o, const char *title,
			  sqlite3_stmt *st, char *err, size_t errlen)
{
	struct rows r = { 0 };
	struct printer p = { .o = o, .st = st };
	sqlite3 *db = sqlite3_db_handle(st);
	int ncol = sqlite3_column_count(st), rc = -1;
	size_t nrows = 0;
	if (o->fmt != WT_FMT_TABLE && ncol > JSON_MAX_COLS)
		return wt_errf(err, errlen, "json output supports at most %d "
			       "columns (query has %d)", JSON_MAX_COLS, ncol);
	int step = rows_fill(&r, st);
	if (step < 0 || printer_begin(&p, title, &r) < 0)
		goto fail;
	for (size_t k = 0; k < r.n; k++, nrows++)
		if (printer_row(&p, &r, k) < 0)
			goto fail;
	for (; step == SQLITE_ROW; step = sqlite3_step(st), nrows++) {
		struct rows one;
		if (rows_current(&one, &r, st) < 0)
			goto fail;
		int prc = printer_row(&p, &one, 0);
		rows_free_one(&one);
		if (prc < 0)
			goto fail;
	}
	if (step != SQLITE_DONE) {
		wt_errf(err, errlen, "%s", sqlite3_errmsg(db));
		goto out;
	}
	printer_end(&p, nrows);
	rc = 0;
	goto out;
fail:
	wt_errf(err, errlen, "out of memory");
out:
	printer_free(&p);
	rows_free(&r);
	return rc;
}

/* ---- csv ---------------------------------------------------------------- */

/* One field: NULL is an empty field; '' too, or a quoted empty one ("")
 * with @quote_empty, so a reader that knows the difference (DuckDB with
 * allow_quoted_nulls = false, Python's csv) can tell them apart. */
static void csv_field(FILE *f, const char *s, bool quote_empty)
{
	if (!s || (!*s && !quote_empty))
		return;
	if (*s && !strpbrk(s, ",\"\r\n")) {
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
		csv_field(o->f, sqlite3_column_name(st, i), false);
		fputs(i == ncol - 1 ? "\r\n" : ",", o->f);
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		for (int i = 0; i < ncol; i++) {
			csv_field(o->f, value_text(st, i), o->csv_empty);
			fputs(i == ncol - 1 ? "\r\n" : ",", o->f);
		}
	if (step != SQLITE_DONE)
		return wt_errf(err, errlen, "%s",
			       sqlite3_errmsg(sqlite3_db_handle(st)));
	return 0;
}

/* ---- dispatch ----------------------------------------------------------- */

int wt_out_stmt(struct wt_out *o, const char *title, sqlite3_stmt *st,
		char *err, size_t errlen)
{
	int rc = o->fmt == WT_FMT_CSV ? print_csv(o, st, err, errlen) :
		 print_buffered(o, title, st, err, errlen);
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
