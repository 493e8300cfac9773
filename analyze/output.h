/*
 * output.h - print query results as an aligned table, CSV (RFC 4180) or
 * JSON (an array of objects built with SQLite's json_object()).
 *
 * One wt_out prints one or more result sets ("sets": one per report):
 * table output titles each set when there are several, CSV separates them
 * with an empty line, JSON wraps several sets in an object keyed by title.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_OUTPUT_H
#define WT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>

enum wt_format { WT_FMT_TABLE, WT_FMT_CSV, WT_FMT_JSON };

/* "table" | "csv" | "json" -> @fmt; -1 if unknown. */
int wt_format_parse(const char *name, enum wt_format *fmt);

struct wt_out {
	FILE *f;
	enum wt_format fmt;
	int nsets;   /* sets announced: > 1 titles them */
	int done;    /* sets printed so far */
};

/* Start printing @nsets result sets to @f.  Nothing to free. */
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

#endif /* WT_OUTPUT_H */
