/*
 * html_json.h - JSON text for the HTML report's data island: a growable
 * buffer and SQLite values written into it.
 *
 * The data sits inside <script type="application/json"> in the page, so
 * every string escapes '<' (as \u003c): no "</script>" can end the island
 * early, whatever a comm or a path holds.
 *
 * Errors: the buffer remembers running out of memory (jb.failed); every
 * append after that is a no-op, the caller checks once at the end.
 */
#ifndef WT_HTML_JSON_H
#define WT_HTML_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sqlite3.h>

/* Zero-initialize; release with wt_jb_free. */
struct wt_jb {
	char *p;
	size_t n, cap;
	bool failed;
};

void wt_jb_free(struct wt_jb *b);
void wt_jb_reset(struct wt_jb *b);                  /* empty, keep memory */
void wt_jb_put(struct wt_jb *b, const char *s, size_t n);
void wt_jb_puts(struct wt_jb *b, const char *s);
void wt_jb_int(struct wt_jb *b, sqlite3_int64 v);
void wt_jb_string(struct wt_jb *b, const char *s);  /* NULL -> null */

/* Column @i of @st's current row as a JSON value (INTEGER and REAL as
 * numbers, TEXT as a string, BLOB as its hex string, NULL as null). */
void wt_jb_column(struct wt_jb *b, sqlite3_stmt *st, int i);

/* The current row of @st as a JSON array of its first @ncol columns. */
void wt_jb_row(struct wt_jb *b, sqlite3_stmt *st, int ncol);

/* The column names of @st (the first @ncol) as a JSON array. */
void wt_jb_cols(struct wt_jb *b, sqlite3_stmt *st, int ncol);

/* Write the buffer to @f and empty it; -1 on ENOMEM before or a write
 * error. */
int wt_jb_flush(struct wt_jb *b, FILE *f);

#endif /* WT_HTML_JSON_H */
