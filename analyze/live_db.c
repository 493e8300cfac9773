/*
 * live_db.c - the live findings' in-memory database (see live_db.h).
 *
 * Workload: a followed recording with up to ~1 M wait calls and tens of
 * thousands of process changes a second.  Calls that found nothing are
 * dropped at once; other calls, and failed forks, are inserted as they
 * come (a reaping call per child at most); process and thread rows are
 * kept, one per instance, by id in a hash map until the next sync.  Every row is bound through
 * the column tables of db.c (wt_db_columns), so this file names no
 * column but the recording's times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "live_db.h"
#include "model_proc.h"
#include "sql_embed.h"

/* One column's value of a kept row: strings are copies. */
struct val {
	int64_t i;
	char *s;
};

/* The process or thread rows changed since the last sync. */
struct rowset {
	const char *table;
	const struct wt_db_column *cols;
	int ncols;
	sqlite3_stmt *put;        /* INSERT OR REPLACE of one row */
	struct wt_imap where;     /* id -> index in rows */
	struct val **rows;        /* ncols values each */
	size_t n, cap;
};

struct wt_live_db {
	sqlite3 *h;
	struct rowset procs, threads;
	const struct wt_db_column *call_cols, *fail_cols;
	int ncall_cols, nfail_cols;
	sqlite3_stmt *call, *fail_put, *rec;
	int64_t rec_id;           /* WT_DB_NULL until a row named it */
	bool rec_final;
	int64_t start_ns, now_ns;
	char err[512];
};

/* Indexes of the live database only, for the looks of live_find.c: the
 * offline schema has no need of them. */
static const char live_indexes[] =
	"CREATE INDEX live_failed ON wait_call(exit_ns) WHERE ret < 0;"
	"CREATE INDEX live_released ON process(release_kind)"
	"  WHERE release_kind IS NOT NULL;"
	"CREATE INDEX live_unreaped ON process(exit_ns)"
	"  WHERE reap_call_id IS NULL;"
	"CREATE INDEX live_polls ON thread(wnohang_undriven)"
	"  WHERE wnohang_undriven >= 100;";

static int fail(struct wt_live_db *ldb, const char *what)
{
	if (!ldb->err[0])
		snprintf(ldb->err, sizeof(ldb->err), "live database: %s: %s",
			 what, ldb->h ? sqlite3_errmsg(ldb->h) : "no memory");
	return -1;
}

/* "INSERT OR REPLACE INTO @table (cols) VALUES (?, ...)" prepared; the
 * names (db.c's column tables) quoted as identifiers. */
static int prepare_put(struct wt_live_db *ldb, const char *table,
		       const struct wt_db_column *cols, int ncols,
		       sqlite3_stmt **st)
{
	sqlite3_str *s = sqlite3_str_new(ldb->h);
	char *sql;
	int rc;

	sqlite3_str_appendf(s, "INSERT OR REPLACE INTO \"%w\" (", table);
	for (int c = 0; c < ncols; c++)
		sqlite3_str_appendf(s, "%s\"%w\"", c ? ", " : "", cols[c].name);
	sqlite3_str_appendall(s, ") VALUES (");
	for (int c = 0; c < ncols; c++)
		sqlite3_str_appendall(s, c ? ", ?" : "?");
	sqlite3_str_appendall(s, ")");
	sql = sqlite3_str_finish(s);
	if (!sql)
		return fail(ldb, "out of memory");
	rc = sqlite3_prepare_v2(ldb->h, sql, -1, st, NULL);
	sqlite3_free(sql);
	return rc == SQLITE_OK ? 0 : fail(ldb, table);
}

static int rowset_init(struct wt_live_db *ldb, struct rowset *rs,
		       const char *table)
{
	rs->table = table;
	rs->cols = wt_db_columns(table, &rs->ncols);
	if (!rs->cols)
		return fail(ldb, table);
	return prepare_put(ldb, table, rs->cols, rs->ncols, &rs->put);
}

struct wt_live_db *wt_live_db_new(char *err, size_t errlen)
{
	struct wt_live_db *ldb = calloc(1, sizeof(*ldb));

	if (!ldb) {
		snprintf(err, errlen, "live database: out of memory");
		return NULL;
	}
	ldb->rec_id = ldb->start_ns = ldb->now_ns = WT_DB_NULL;
	if (sqlite3_open_v2(":memory:", &ldb->h, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) ||
	    sqlite3_exec(ldb->h, wt_sql_get("schema"), NULL, NULL, NULL) ||
	    sqlite3_exec(ldb->h, live_indexes, NULL, NULL, NULL)) {
		fail(ldb, "schema");
		goto fail;
	}
	ldb->call_cols = wt_db_columns("wait_call", &ldb->ncall_cols);
	ldb->fail_cols = wt_db_columns("fork_failure", &ldb->nfail_cols);
	if (rowset_init(ldb, &ldb->procs, "process") < 0 ||
	    rowset_init(ldb, &ldb->threads, "thread") < 0 ||
	    prepare_put(ldb, "wait_call", ldb->call_cols, ldb->ncall_cols,
			&ldb->call) < 0 ||
	    prepare_put(ldb, "fork_failure", ldb->fail_cols, ldb->nfail_cols,
			&ldb->fail_put) < 0 ||
	    sqlite3_prepare_v2(ldb->h, "INSERT OR REPLACE INTO recording "
			       "(id, start_ns, end_ns) VALUES (?, ?, ?)", -1,
			       &ldb->rec, NULL) != SQLITE_OK) {
		fail(ldb, "statements");
		goto fail;
	}
	return ldb;
fail:
	snprintf(err, errlen, "%s", ldb->err);
	wt_live_db_free(ldb);
	return NULL;
}

sqlite3 *wt_live_db_handle(struct wt_live_db *ldb)
{
	return ldb->h;
}

const char *wt_live_db_error(const struct wt_live_db *ldb)
{
	return ldb->err;
}

/* ---- binding ------------------------------------------------------------ */

static int64_t int_at(const void *row, size_t off)
{
	return *(const int64_t *)((const char *)row + off);
}

static const char *text_at(const void *row, size_t off)
{
	return *(const char *const *)((const char *)row + off);
}

static void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == WT_DB_NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

/* Column @c of a row struct or of kept values into parameter @c + 1. */
static void bind_col(sqlite3_stmt *st, const struct wt_db_column *col,
		     int c, int64_t i, const char *s)
{
	if (col->type != WT_COL_TEXT)
		bind_int(st, c + 1, i);
	else if (!s)
		sqlite3_bind_null(st, c + 1);
	else
		sqlite3_bind_text(st, c + 1, s, -1, SQLITE_TRANSIENT);
}

static int step(struct wt_live_db *ldb, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fail(ldb, what);
}

/* ---- the recording row --------------------------------------------------- */

static void know_recording(struct wt_live_db *ldb, int64_t id)
{
	if (ldb->rec_id == WT_DB_NULL)
		ldb->rec_id = id;
}

void wt_live_db_set_times(struct wt_live_db *ldb, int64_t start_ns,
			  int64_t now_ns)
{
	ldb->start_ns = start_ns;
	ldb->now_ns = now_ns;
}

static int put_recording(struct wt_live_db *ldb)
{
	if (ldb->rec_final || ldb->rec_id == WT_DB_NULL)
		return 0;
	bind_int(ldb->rec, 1, ldb->rec_id);
	bind_int(ldb->rec, 2, ldb->start_ns);
	bind_int(ldb->rec, 3, ldb->now_ns);
	return step(ldb, ldb->rec, "recording");
}

void wt_live_db_recording(struct wt_live_db *ldb,
			  const struct wt_recording_row *r)
{
	int n;
	const struct wt_db_column *cols = wt_db_columns("recording", &n);
	sqlite3_stmt *st = NULL;

	if (ldb->err[0] || prepare_put(ldb, "recording", cols, n, &st) < 0)
		return;
	for (int c = 0; c < n; c++)
		bind_col(st, &cols[c], c, int_at(r, cols[c].offset),
			 text_at(r, cols[c].offset));
	if (step(ldb, st, "recording") == 0)
		ldb->rec_final = true;
	sqlite3_finalize(st);
}

/* ---- rows written as they come: calls, failed forks ---------------------- */

/* Row struct @row, of @ncols columns @cols, through @st (prepare_put). */
static void put_now(struct wt_live_db *ldb, sqlite3_stmt *st,
		    const struct wt_db_column *cols, int ncols,
		    const void *row, const char *table)
{
	for (int c = 0; c < ncols; c++) {
		const struct wt_db_column *col = &cols[c];

		bind_col(st, col, c,
			 col->type == WT_COL_TEXT ? 0 : int_at(row, col->offset),
			 col->type == WT_COL_TEXT ? text_at(row, col->offset)
						  : NULL);
	}
	step(ldb, st, table);
}

void wt_live_db_call(struct wt_live_db *ldb, const struct wt_call_row *r)
{
	if (ldb->err[0] || (r->outcome && !strcmp(r->outcome, "nothing")))
		return;
	know_recording(ldb, r->recording_id);
	put_now(ldb, ldb->call, ldb->call_cols, ldb->ncall_cols, r,
		"wait_call");
}

/* Appended in the model's order: the rowid says which came first (the
 * looks of live_find.c keep to that; the table has no id). */
void wt_live_db_fork_failure(struct wt_live_db *ldb,
			     const struct wt_fork_failure_row *r)
{
	if (ldb->err[0])
		return;
	know_recording(ldb, r->recording_id);
	put_now(ldb, ldb->fail_put, ldb->fail_cols, ldb->nfail_cols, r,
		"fork_failure");
}

/* ---- kept rows ------------------------------------------------------------ */

static void free_vals(const struct rowset *rs, struct val *v)
{
	for (int c = 0; v && c < rs->ncols; c++)
		free(v[c].s);
	free(v);
}

/* Row struct @row into the values @v: strings copied, and only when
 * they changed (a poller's row comes once per call).  0 or -1 (ENOMEM). */
static int set_row(const struct rowset *rs, struct val *v, const void *row)
{
	for (int c = 0; c < rs->ncols; c++) {
		const struct wt_db_column *col = &rs->cols[c];
		const char *s;

		if (col->type != WT_COL_TEXT) {
			v[c].i = int_at(row, col->offset);
			continue;
		}
		s = text_at(row, col->offset);
		if (s && v[c].s && !strcmp(s, v[c].s))
			continue;
		free(v[c].s);
		v[c].s = s ? strdup(s) : NULL;
		if (s && !v[c].s)
			return -1;
	}
	return 0;
}

/* Keep @row (id @id) for the next sync, replacing an earlier one. */
static void keep(struct wt_live_db *ldb, struct rowset *rs, int64_t id,
		 const void *row)
{
	struct val *v;
	uint64_t at;

	if (ldb->err[0])
		return;
	if (id > 0 && id <= INT32_MAX &&
	    wt_imap_get(&rs->where, (int32_t)id, &at)) {
		if (set_row(rs, rs->rows[at], row) < 0)
			fail(ldb, "out of memory");
		return;
	}
	v = calloc(rs->ncols, sizeof(*v));
	if (!v || set_row(rs, v, row) < 0) {
		free_vals(rs, v);
		fail(ldb, "out of memory");
		return;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 256;
		struct val **p = realloc(rs->rows, cap * sizeof(*p));

		if (!p) {
			free_vals(rs, v);
			fail(ldb, "out of memory");
			return;
		}
		rs->rows = p;
		rs->cap = cap;
	}
	/* an id the map cannot hold is kept twice: the later row wins */
	if (id > 0 && id <= INT32_MAX &&
	    wt_imap_put(&rs->where, (int32_t)id, rs->n) < 0) {
		free_vals(rs, v);
		fail(ldb, "out of memory");
		return;
	}
	rs->rows[rs->n++] = v;
}

void wt_live_db_process(struct wt_live_db *ldb, const struct wt_process_row *r)
{
	know_recording(ldb, r->recording_id);
	keep(ldb, &ldb->procs, r->upid, r);
}

void wt_live_db_thread(struct wt_live_db *ldb, const struct wt_thread_row *r)
{
	keep(ldb, &ldb->threads, r->utid, r);
}

static int write_kept(struct wt_live_db *ldb, struct rowset *rs)
{
	int rc = 0;

	for (size_t k = 0; k < rs->n; k++) {
		for (int c = 0; !rc && c < rs->ncols; c++)
			bind_col(rs->put, &rs->cols[c], c, rs->rows[k][c].i,
				 rs->rows[k][c].s);
		if (!rc)
			rc = step(ldb, rs->put, rs->table);
		free_vals(rs, rs->rows[k]);
	}
	rs->n = 0;
	wt_imap_free(&rs->where);
	return rc;
}

int wt_live_db_sync(struct wt_live_db *ldb)
{
	int rc;

	if (ldb->err[0])
		return -1;
	if (sqlite3_exec(ldb->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(ldb, "begin");
	rc = write_kept(ldb, &ldb->procs);
	if (!rc)
		rc = write_kept(ldb, &ldb->threads);
	if (!rc)
		rc = put_recording(ldb);
	if (sqlite3_exec(ldb->h, rc ? "ROLLBACK" : "COMMIT", NULL, NULL,
			 NULL) != SQLITE_OK)
		rc = fail(ldb, "commit");
	return rc;
}

int wt_live_db_save(struct wt_live_db *ldb, const char *path, char *err,
		    size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	remove(path);
	if (sqlite3_prepare_v2(ldb->h, "VACUUM INTO ?", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_DONE)
			rc = 0;
	}
	if (rc < 0)
		snprintf(err, errlen, "--live-db %s: %s", path,
			 sqlite3_errmsg(ldb->h));
	sqlite3_finalize(st);
	return rc;
}

static void rowset_free(struct rowset *rs)
{
	for (size_t k = 0; k < rs->n; k++)
		free_vals(rs, rs->rows[k]);
	free(rs->rows);
	wt_imap_free(&rs->where);
	sqlite3_finalize(rs->put);
}

void wt_live_db_free(struct wt_live_db *ldb)
{
	if (!ldb)
		return;
	rowset_free(&ldb->procs);
	rowset_free(&ldb->threads);
	sqlite3_finalize(ldb->call);
	sqlite3_finalize(ldb->fail_put);
	sqlite3_finalize(ldb->rec);
	sqlite3_close(ldb->h);
	free(ldb);
}
