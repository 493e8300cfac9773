/*
 * export.c - every table of the database to CSV or JSON Lines files (see
 * export.h).
 *
 * Workload: tables of up to hundreds of millions of rows; each is
 * streamed row by row from one SELECT.  CSV goes through result_format.c's
 * writer (the same quoting as `-f csv`); JSON Lines are one json_object()
 * per row, its keys the table's column names from pragma_table_info.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "export.h"
#include "atomic_file.h"
#include "errf.h"
#include "result_format.h"

/* json_object() takes at most 127 arguments (SQLITE_MAX_FUNCTION_ARG). */
#define JSONL_MAX_COLS 63

int wt_export_format_parse(const char *name, enum wt_export_format *fmt)
{
	if (!strcmp(name, "csv"))
		*fmt = WT_EXPORT_CSV;
	else if (!strcmp(name, "jsonl"))
		*fmt = WT_EXPORT_JSONL;
	else
		return -1;
	return 0;
}

/* "SELECT json_object('c1', "c1", ...) FROM "t"" for table @t,
 * sqlite3_malloc'ed; NULL (message in @err) on failure. */
static char *jsonl_sql(sqlite3 *db, const char *t, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	sqlite3_str *s = sqlite3_str_new(db);
	int ncol = 0;
	sqlite3_str_appendall(s, "SELECT json_object(");
	if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?)"
			       " ORDER BY cid", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *c = (const char *)sqlite3_column_text(st, 0);
			sqlite3_str_appendf(s, "%s%Q, \"%w\"", ncol++ ? ", " : "",
					    c, c);
		}
	}
	sqlite3_finalize(st);
	sqlite3_str_appendf(s, ") FROM \"%w\"", t);
	char *sql = sqlite3_str_finish(s);
	if (!sql || ncol == 0 || ncol > JSONL_MAX_COLS) {
		wt_errf(err, errlen, "%s: %s", t, !sql ? "out of memory" :
		       ncol ? "too many columns for jsonl" : "no columns");
		sqlite3_free(sql);
		return NULL;
	}
	return sql;
}

static int write_jsonl(sqlite3 *db, const char *t, FILE *f, char *err,
		       size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char *sql = jsonl_sql(db, t, err, errlen);
	int step = SQLITE_ERROR;
	if (!sql)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK)
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			fputs((const char *)sqlite3_column_text(st, 0), f);
			fputc('\n', f);
		}
	if (step != SQLITE_DONE)
		wt_errf(err, errlen, "%s: %s", t, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return step == SQLITE_DONE ? 0 : -1;
}

static int write_csv(sqlite3 *db, const char *t, FILE *f, char *err,
		     size_t errlen)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", t);
	struct wt_out o;
	int rc = -1;
	if (!sql)
		return wt_errf(err, errlen, "out of memory");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		wt_errf(err, errlen, "%s: %s", t, sqlite3_errmsg(db));
		goto out;
	}
	wt_out_begin(&o, f, WT_FMT_CSV, 1);
	o.csv_empty = true; /* '' and NULL must load as what they are */
	if (wt_out_stmt(&o, t, st, err, errlen) == 0)
		rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return rc;
}

static int export_table(sqlite3 *db, const char *dir, const char *t,
			enum wt_export_format fmt, char *err, size_t errlen)
{
	struct wt_atomic_file of;
	char *path = NULL;
	if (asprintf(&path, "%s/%s.%s", dir, t,
		     fmt == WT_EXPORT_CSV ? "csv" : "jsonl") < 0)
		return wt_errf(err, errlen, "out of memory");
	int rc = wt_atomic_file_open(&of, path, err, errlen);
	free(path);
	if (rc < 0)
		return -1;
	rc = fmt == WT_EXPORT_CSV ? write_csv(db, t, of.f, err, errlen) :
				    write_jsonl(db, t, of.f, err, errlen);
	if (rc < 0) {
		wt_atomic_file_abort(&of);
		return -1;
	}
	return wt_atomic_file_commit(&of, err, errlen);
}

/* The names of the tables to export, malloc'ed (NULL-terminated,
 * *@n of them); NULL with a message on failure. */
static char **table_names(sqlite3 *db, int *n, char *err, size_t errlen)
{
	static const char tables[] =
		"SELECT name FROM sqlite_schema WHERE type = 'table'"
		" AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		" AND instr(name, '/') = 0 ORDER BY name";
	sqlite3_stmt *st = NULL;
	char **names = NULL;
	int step = SQLITE_ERROR;
	*n = 0;
	if (sqlite3_prepare_v2(db, tables, -1, &st, NULL) == SQLITE_OK)
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			char **nn = realloc(names, (*n + 2) * sizeof(*nn));
			char *t = strdup((const char *)sqlite3_column_text(st,
									   0));
			if (!nn || !t) {
				free(t);
				names = nn ? nn : names;
				step = SQLITE_NOMEM;
				break;
			}
			names = nn;
			names[(*n)++] = t;
			names[*n] = NULL;
		}
	if (step != SQLITE_DONE)
		wt_errf(err, errlen, "export: %s", step == SQLITE_NOMEM ?
			"out of memory" : sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (step == SQLITE_DONE && !names)
		names = calloc(1, sizeof(*names));
	if (step != SQLITE_DONE || !names) {
		for (int i = 0; names && i < *n; i++)
			free(names[i]);
		free(names);
		return NULL;
	}
	return names;
}

int wt_export_write(sqlite3 *db, const char *dir, enum wt_export_format fmt,
		    int *ntables, char *err, size_t errlen)
{
	int n = 0, rc = -1;
	if (wt_atomic_file_mkdir(dir, err, errlen) < 0)
		return -1;
	char **tables = table_names(db, &n, err, errlen);
	if (!tables)
		return -1;
	for (int i = 0; i < n; i++)
		if (export_table(db, dir, tables[i], fmt, err, errlen) < 0)
			goto out;
	if (wt_export_load_scripts(db, dir, tables, n, fmt, err, errlen) < 0)
		goto out;
	if (ntables)
		*ntables = n;
	rc = 0;
out:
	for (int i = 0; i < n; i++)
		free(tables[i]);
	free(tables);
	return rc;
}
