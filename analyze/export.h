/*
 * export.h - `wtrec analyze --export DIR`: every table of a wtrec
 * database as DIR/<table>.csv (RFC 4180, header row, NULL = empty field)
 * or DIR/<table>.jsonl (one JSON object per row, built by SQLite's
 * json_object(), NULL = null), for DuckDB, ClickHouse, pandas and the like.
 *
 * "Every table" is read from the database itself (sqlite_schema), so a
 * table added to sql/schema.sql is exported without a change here;
 * SQLite's internal tables (sqlite_stat1...) are left out.  Beside the
 * tables' files go DIR/load_duckdb.sql and DIR/load_clickhouse.sql:
 * CREATE TABLE with the schema's column types, then the load of each
 * file (export_load.c).  CSV fields: NULL empty, '' quoted ("").
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_EXPORT_H
#define WT_EXPORT_H

#include <stddef.h>
#include <sqlite3.h>

enum wt_export_format { WT_EXPORT_CSV, WT_EXPORT_JSONL };

/* "csv" | "jsonl" -> @fmt; -1 if unknown. */
int wt_export_format_parse(const char *name, enum wt_export_format *fmt);

/*
 * Write every table of @db (the caller's, read-only is enough) into
 * @dir, created if missing, and the two load scripts.  Each file appears
 * only when complete; files of other names in @dir are left alone.  On
 * success *@ntables (may be NULL) is the number of tables written.
 */
int wt_export_write(sqlite3 *db, const char *dir, enum wt_export_format fmt,
		    int *ntables, char *err, size_t errlen);

/* Write DIR/load_duckdb.sql and DIR/load_clickhouse.sql for the @ntables
 * @tables exported in @fmt (export_load.c). */
int wt_export_load_scripts(sqlite3 *db, const char *dir, char *const *tables,
			   int ntables, enum wt_export_format fmt, char *err,
			   size_t errlen);

#endif /* WT_EXPORT_H */
