/*
 * result_format.h - print query results as an aligned table, CSV (RFC 4180),
 * JSON or JSON Lines.  The machine formats' shapes (documented for users
 * in the README and wtrec(1)):
 *
 *   csv    a header row of the SQL's column names, then one record per
 *          row; NULL and '' are empty fields (as sqlite3's csv mode has
 *          them), or with csv_empty (--export) '' is a quoted empty
 *          field ("") and only NULL an empty one.
 *   json   one array of objects, one object per row, keys = the SQL's
 *          column names (a repeated name gets ":1", ":2"), NULL = null;
 *          a column whose values are all numbers (INTEGER, REAL or text
 *          spelling a number) gives JSON numbers, any other column
 *          strings - so each key has one type throughout.
 *   jsonl  the same objects, one per line, no enclosing array.
 *
 * One wt_out prints one or more result sets ("sets": one per report):
 * table output titles each set when there are several.  Several sets in
 * one machine-format stream (CSV blocks separated by an empty line, JSON
 * wrapped in an object keyed by title) are what this module does when
 * asked, but `wtrec analyze` never asks: it writes each set to a file of
 * its own (report.h, wt_report_write_dir) or refuses.
 *
 * Table output on a terminal fits the terminal's width: the widest
 * columns are narrowed and their values cut with an ellipsis (the full
 * values are in csv/json).  Not on a terminal, nothing is cut.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_RESULT_FORMAT_H
#define WT_RESULT_FORMAT_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

enum wt_format { WT_FMT_TABLE, WT_FMT_CSV, WT_FMT_JSON, WT_FMT_JSONL };

/* "table" | "csv" | "json" | "jsonl" -> @fmt; -1 if unknown. */
int wt_format_parse(const char *name, enum wt_format *fmt);

/* File name extension of @fmt: "txt", "csv", "json", "jsonl" (static). */
const char *wt_format_ext(enum wt_format fmt);

struct wt_out {
	FILE *f;
	enum wt_format fmt;
	int nsets;   /* sets announced: > 1 titles them */
	int done;    /* sets printed so far */
	int width;   /* table: the terminal's columns, 0 = no limit */
	bool csv_empty; /* csv: write '' as "" (set after wt_out_begin) */
};

/* Start printing @nsets result sets to @f (table output: fitted to the
 * terminal's width if @f is one).  Nothing to free. */
void wt_out_begin(struct wt_out *o, FILE *f, enum wt_format fmt, int nsets);

/*
 * Step the prepared, not yet stepped statement @st to its end, printing
 * its rows as set @title.  The statement is not finalized (the caller owns
 * it); it is reset on return.
 */
int wt_out_stmt(struct wt_out *o, const char *title, sqlite3_stmt *st,
		char *err, size_t errlen);

/* Close the output (JSON: the enclosing object).  0, or -1 on a write
 * error (EPIPE, ENOSPC). */
int wt_out_end(struct wt_out *o);

#endif /* WT_RESULT_FORMAT_H */
