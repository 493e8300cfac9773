/*
 * export_load.c - the load scripts of `--export DIR`: DIR/load_duckdb.sql
 * and DIR/load_clickhouse.sql, each a CREATE TABLE per exported table
 * with the types sql/schema.sql declares, then the statement that loads
 * the table's file (see export.h).
 *
 * Why: an engine that guesses types from the files guesses wrong - a
 * column that is all NULL becomes VARCHAR (CSV) or JSON (JSON Lines), a
 * column with negative and positive integers HUGEINT - and CSV alone
 * cannot say '' from NULL unless the reader is told how.
 *
 * The types come from the database itself (pragma_table_info: the
 * declared type, NOT NULL and the primary key, as schema.sql created
 * them), mapped by SQLite's own affinity rules (sqlite.org/datatype3.html
 * 3.1): a type containing "INT" is an INTEGER (64-bit), one containing
 * "CHAR", "CLOB" or "TEXT" is TEXT, "BLOB" or none is a BLOB, "REAL",
 * "FLOA" or "DOUB" is REAL, anything else NUMERIC (given as a double).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "errf.h"
#include "export.h"
#include "atomic_file.h"
#include "result_format.h"

enum affinity { AFF_INTEGER, AFF_TEXT, AFF_BLOB, AFF_REAL, AFF_NUMERIC };

static enum affinity affinity_of(const char *decl)
{
	if (!decl || !*decl)
		return AFF_BLOB;
	if (strcasestr(decl, "INT"))
		return AFF_INTEGER;
	if (strcasestr(decl, "CHAR") || strcasestr(decl, "CLOB") ||
	    strcasestr(decl, "TEXT"))
		return AFF_TEXT;
	if (strcasestr(decl, "BLOB"))
		return AFF_BLOB;
	if (strcasestr(decl, "REAL") || strcasestr(decl, "FLOA") ||
	    strcasestr(decl, "DOUB"))
		return AFF_REAL;
	return AFF_NUMERIC;
}

/* The two engines' names for each affinity. */
static const char *const duckdb_type[] = {
	[AFF_INTEGER] = "BIGINT", [AFF_TEXT] = "VARCHAR", [AFF_BLOB] = "BLOB",
	[AFF_REAL] = "DOUBLE", [AFF_NUMERIC] = "DOUBLE",
};
static const char *const clickhouse_type[] = {
	[AFF_INTEGER] = "Int64", [AFF_TEXT] = "String", [AFF_BLOB] = "String",
	[AFF_REAL] = "Float64", [AFF_NUMERIC] = "Float64",
};

enum engine { DUCKDB, CLICKHOUSE };

/* CREATE TABLE "t" (...) for @engine into @s; the primary key columns
 * (pk > 0 in pragma_table_info) are never NULL, whatever notnull says
 * (an INTEGER PRIMARY KEY is the rowid).  Returns the number of
 * columns, -1 on a SQLite error. */
static int create_table(sqlite3 *db, sqlite3_str *s, const char *t,
			enum engine engine)
{
	sqlite3_stmt *st = NULL;
	sqlite3_str *pk = sqlite3_str_new(db);
	int n = 0, npk = 0, step;
	if (sqlite3_prepare_v2(db, "SELECT name, type, \"notnull\", pk FROM"
			       " pragma_table_info(?) ORDER BY cid", -1, &st,
			       NULL) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(pk));
		return -1;
	}
	sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
	sqlite3_str_appendf(s, "CREATE TABLE \"%w\" (", t);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(st, 0);
		enum affinity a = affinity_of(
			(const char *)sqlite3_column_text(st, 1));
		bool notnull = sqlite3_column_int(st, 2) ||
			       sqlite3_column_int(st, 3) > 0;
		sqlite3_str_appendf(s, "%s\n  \"%w\" ", n++ ? "," : "", c);
		if (engine == DUCKDB)
			sqlite3_str_appendf(s, "%s%s", duckdb_type[a],
					    notnull ? " NOT NULL" : "");
		else
			sqlite3_str_appendf(s, notnull ? "%s" : "Nullable(%s)",
					    clickhouse_type[a]);
		/* pragma_table_info gives pk as the column's place in the
		 * key: assumed in cid order, as schema.sql writes them */
		if (sqlite3_column_int(st, 3) > 0)
			sqlite3_str_appendf(pk, "%s\"%w\"", npk++ ? ", " : "",
					    c);
	}
	sqlite3_finalize(st);
	/* @keys is SQL text: identifiers quoted with %w above */
	char *keys = sqlite3_str_finish(pk);
	if (engine == DUCKDB && npk)
		sqlite3_str_appendall(s, ",\n  PRIMARY KEY (");
	else if (engine == CLICKHOUSE)
		sqlite3_str_appendall(s, npk ? "\n) ENGINE = MergeTree ORDER BY ("
				      : "\n) ENGINE = MergeTree ORDER BY tuple()");
	if (npk) {
		sqlite3_str_appendall(s, keys);
		sqlite3_str_appendall(s, engine == DUCKDB ? ")\n" : ")");
	}
	sqlite3_str_appendall(s, engine == DUCKDB ? (npk ? ");\n" : "\n);\n")
						  : ";\n");
	sqlite3_free(keys);
	return step == SQLITE_DONE ? n : -1;
}

/* The statement loading the file of table @t (DIR/t.csv or t.jsonl). */
static void load_stmt(sqlite3_str *s, const char *t, enum engine engine,
		      enum wt_export_format fmt)
{
	bool csv = fmt == WT_EXPORT_CSV;
	if (engine == DUCKDB && csv)
		/* our CSV: NULL is an empty field, '' a quoted "" */
		sqlite3_str_appendf(s, "COPY \"%w\" FROM '%q.csv' (FORMAT csv, "
				    "HEADER true, NULLSTR '', "
				    "ALLOW_QUOTED_NULLS false);\n\n", t, t);
	else if (engine == DUCKDB)
		sqlite3_str_appendf(s, "COPY \"%w\" FROM '%q.jsonl' (FORMAT "
				    "json);\n\n", t, t);
	else if (csv)
		sqlite3_str_appendf(s, "INSERT INTO \"%w\" FROM INFILE '%q.csv' "
				    "FORMAT CSVWithNames;\n\n", t, t);
	else
		sqlite3_str_appendf(s, "INSERT INTO \"%w\" FROM INFILE "
				    "'%q.jsonl' FORMAT JSONEachRow;\n\n", t, t);
}

static const char duckdb_head[] =
	"-- load_duckdb.sql - this directory's wtrec export into DuckDB, with\n"
	"-- the column types of wtrec's sql/schema.sql (INTEGER -> BIGINT,\n"
	"-- TEXT -> VARCHAR).  Run it here:  duckdb wtrec.duckdb < load_duckdb.sql\n"
	"-- (file names are relative to the current directory).\n\n";

static const char clickhouse_head[] =
	"-- load_clickhouse.sql - this directory's wtrec export into\n"
	"-- ClickHouse, with the column types of wtrec's sql/schema.sql\n"
	"-- (INTEGER -> Int64, TEXT -> String; Nullable unless NOT NULL or part\n"
	"-- of the primary key).  Run it here:\n"
	"--   clickhouse local --queries-file load_clickhouse.sql   (or clickhouse client)\n"
	"-- For CSV, ClickHouse reads an empty field of a Nullable column as\n"
	"-- NULL (input_format_csv_empty_as_default); --export-format jsonl\n"
	"-- keeps '' and NULL apart exactly.\n\n";

static int write_script(sqlite3 *db, const char *dir, const char *name,
			char *const *tables, int ntables, enum engine engine,
			enum wt_export_format fmt, char *err, size_t errlen)
{
	struct wt_atomic_file of;
	char *path = NULL;
	sqlite3_str *s = sqlite3_str_new(db);
	sqlite3_str_appendall(s, engine == DUCKDB ? duckdb_head :
						    clickhouse_head);
	if (engine == CLICKHOUSE && fmt == WT_EXPORT_CSV)
		sqlite3_str_appendall(s, "SET input_format_csv_empty_as_default"
				      " = 1;\n\n");
	for (int i = 0; i < ntables; i++) {
		if (create_table(db, s, tables[i], engine) <= 0) {
			sqlite3_free(sqlite3_str_finish(s));
			return wt_errf(err, errlen, "export: %s: %s", tables[i],
				       sqlite3_errmsg(db));
		}
		load_stmt(s, tables[i], engine, fmt);
	}
	char *text = sqlite3_str_finish(s);
	if (!text || asprintf(&path, "%s/%s", dir, name) < 0) {
		sqlite3_free(text);
		return wt_errf(err, errlen, "out of memory");
	}
	int rc = wt_atomic_file_open(&of, path, err, errlen);
	free(path);
	if (rc == 0) {
		fputs(text, of.f);
		rc = wt_atomic_file_commit(&of, err, errlen);
	}
	sqlite3_free(text);
	return rc;
}

int wt_export_load_scripts(sqlite3 *db, const char *dir, char *const *tables,
			   int ntables, enum wt_export_format fmt, char *err,
			   size_t errlen)
{
	if (write_script(db, dir, "load_duckdb.sql", tables, ntables, DUCKDB,
			 fmt, err, errlen) < 0)
		return -1;
	return write_script(db, dir, "load_clickhouse.sql", tables, ntables,
			    CLICKHOUSE, fmt, err, errlen);
}
