/*
 * test_db.c - analyze/db.c's column tables and its wait_call batching.
 *
 *   columns  every table the puts write has, in sql/schema.sql, the same
 *            columns in the same order (pragma_table_info of a database
 *            made from the embedded schema), of the type the row field
 *            has (INTEGER for int64_t, TEXT for strings)
 *   load     a row of every table, each column a different value or NULL,
 *            reads back column by column; then wait_call rows through each
 *            way db.c writes them (a uniform batch of 32, one whose ids
 *            skip, a mixed batch, a short tail, a row too long to buffer,
 *            an id lower than the last, a uniform and a mixed batch whose
 *            rows end in NULL columns, each its own number of them)
 *   failure  a failed insert (a duplicate upid) ends the load: the put
 *            that made it, or one after it once the writer thread got
 *            there (db_writer.c queues ~2048 rows a batch, 4 batches),
 *            or the finish returns -1 with SQLite's message, and every
 *            put after it fails too
 *   unfinished  closed with rows still queued (an interrupted analyze):
 *            returns, the writer joined (ASan: nothing leaked)
 *
 * ctest runs it twice: with the writer thread, and WTREC_DB_THREADS=0.
 *
 * The values read back are compared with the values the test put, not
 * with anything db.c computes.  usage: test_db [DIR] (temporary files).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "tcheck.h"

static char path[4096];
static int case_id;

/* ---- rows built from the column tables ----------------------------------- */

#define ROW_MAX 512 /* bytes: larger than every row struct */

/* A row of some table with its strings: the struct the put takes. */
struct row {
	_Alignas(8) char bytes[ROW_MAX];
	char text[64][300];
};

static void set_int(struct row *r, const struct wt_db_column *c, int64_t v)
{
	memcpy(r->bytes + c->offset, &v, sizeof(v));
}

static void set_text(struct row *r, int col, const struct wt_db_column *c,
		     const char *s)
{
	const char *p = NULL;

	if (s) {
		snprintf(r->text[col], sizeof(r->text[col]), "%s", s);
		p = r->text[col];
	}
	memcpy(r->bytes + c->offset, &p, sizeof(p));
}

/* The expected text of a column read back: "NULL", a number, a string. */
static void value_text(const struct row *r, const struct wt_db_column *c,
		       char *out, size_t len)
{
	int64_t v;
	const char *s;

	if (c->type == WT_COL_TEXT) {
		memcpy(&s, r->bytes + c->offset, sizeof(s));
		snprintf(out, len, "%s", s ? s : "NULL");
		return;
	}
	memcpy(&v, r->bytes + c->offset, sizeof(v));
	if (v == WT_DB_NULL)
		snprintf(out, len, "NULL");
	else
		snprintf(out, len, "%lld", (long long)v);
}

/* Row number @n of a table: column c is 1000 * n + c (a string "n.c"),
 * every seventh column from the fourth NULL (none is NOT NULL). */
static void fill(struct row *r, const struct wt_db_column *cols, int ncols,
		 int n)
{
	char s[32];

	memset(r, 0, sizeof(*r));
	for (int c = 0; c < ncols; c++) {
		bool null = c % 7 == 3;

		snprintf(s, sizeof(s), "%d.%d", n, c);
		if (cols[c].type == WT_COL_TEXT)
			set_text(r, c, &cols[c], null ? NULL : s);
		else
			set_int(r, &cols[c], c == 0 || !null ? 1000 * n + c
							      : WT_DB_NULL);
	}
}

/* A row of any table but wait_call (put_calls). */
static int put(struct wt_db *db, const char *table, const struct row *r)
{
	const void *b = r->bytes;

	if (!strcmp(table, "recording"))
		return wt_db_put_recording(db, b);
	if (!strcmp(table, "process"))
		return wt_db_put_process(db, b);
	if (!strcmp(table, "thread"))
		return wt_db_put_thread(db, b);
	if (!strcmp(table, "stats"))
		return wt_db_put_stats(db, b);
	if (!strcmp(table, "wait_outcome"))
		return wt_db_put_outcome(db, b);
	if (!strcmp(table, "reparent"))
		return wt_db_put_reparent(db, b);
	if (!strcmp(table, "pidns"))
		return wt_db_put_pidns(db, b);
	if (!strcmp(table, "model_check"))
		return wt_db_put_check(db, b);
	if (!strcmp(table, "fork_failure"))
		return wt_db_put_fork_failure(db, b);
	if (!strcmp(table, "cgroup_limit"))
		return wt_db_put_cgroup_limit(db, b);
	if (!strcmp(table, "cgroup_move"))
		return wt_db_put_cgroup_move(db, b);
	if (!strcmp(table, "meta")) {
		int n;
		const struct wt_db_column *c = wt_db_columns("meta", &n);
		int64_t id;
		const char *k, *v;

		memcpy(&id, r->bytes + c[0].offset, sizeof(id));
		memcpy(&k, r->bytes + c[1].offset, sizeof(k));
		memcpy(&v, r->bytes + c[2].offset, sizeof(v));
		return wt_db_put_meta(db, id, k, v);
	}
	return -1;
}

/* Read back the rows of @table in rowid/key order and compare them with
 * @want (@n rows), column by column. */
static void check_rows(sqlite3 *h, const char *table, const struct row *want,
		       int n, const char *order)
{
	int ncols, got = 0;
	const struct wt_db_column *cols = wt_db_columns(table, &ncols);
	char sql[256], what[128], exp[400];
	sqlite3_stmt *st = NULL;

	snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s", table,
		 order);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK) {
		check(false, case_id, sql, sqlite3_errmsg(h), "prepared");
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW && got < n) {
		for (int c = 0; c < ncols; c++) {
			const char *v =
				(const char *)sqlite3_column_text(st, c);

			value_text(&want[got], &cols[c], exp, sizeof(exp));
			snprintf(what, sizeof(what), "%s row %d column %s",
				 table, got, cols[c].name);
			check(!strcmp(v ? v : "NULL", exp), case_id, what,
			      v ? v : "NULL", exp);
		}
		got++;
	}
	sqlite3_finalize(st);
	snprintf(what, sizeof(what), "%s: rows read back", table);
	snprintf(exp, sizeof(exp), "%d", n);
	snprintf(sql, sizeof(sql), "%d", got);
	check(got == n, case_id, what, sql, exp);
}

/* ---- columns: the tables against the schema ------------------------------ */

static void check_columns(sqlite3 *h)
{
	case_id = 1;
	for (int t = 0; wt_db_table_name(t); t++) {
		const char *name = wt_db_table_name(t);
		int n, i = 0;
		const struct wt_db_column *cols = wt_db_columns(name, &n);
		sqlite3_stmt *st = NULL;
		char what[128], got[128], want[128];

		sqlite3_prepare_v2(h, "SELECT name, type, pk FROM"
				   " pragma_table_info(?) ORDER BY cid", -1,
				   &st, NULL);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		for (; sqlite3_step(st) == SQLITE_ROW; i++) {
			const char *col =
				(const char *)sqlite3_column_text(st, 0);
			const char *type =
				(const char *)sqlite3_column_text(st, 1);
			bool pk = sqlite3_column_int(st, 2) == 1;

			snprintf(what, sizeof(what), "%s column %d", name, i);
			if (i >= n) {
				check(false, case_id, what, "(missing in db.c)",
				      col);
				continue;
			}
			snprintf(got, sizeof(got), "%s %s", cols[i].name,
				 cols[i].type == WT_COL_TEXT ? "TEXT"
							     : "INTEGER");
			snprintf(want, sizeof(want), "%s %s", col, type);
			check(!strcmp(got, want), case_id, what, got, want);
			/* a NULL id becomes max(id) + 1 only for the rowid */
			if (cols[i].type == WT_COL_NEXT_ID)
				check(pk && !strcmp(type, "INTEGER"), case_id,
				      what, "a NULL id", "INTEGER PRIMARY KEY");
		}
		sqlite3_finalize(st);
		snprintf(what, sizeof(what), "%s: number of columns", name);
		snprintf(got, sizeof(got), "%d", n);
		snprintf(want, sizeof(want), "%d", i);
		check(n == i && n > 0, case_id, what, got, want);
	}
}

/* ---- load: one row per table, then wait_call's batches ------------------- */

#define NCALLS 200
static struct row calls[NCALLS];

/* Columns @from.. of wait_call row @r NULL (db.c names only the columns up
 * to a batch's last non-NULL one); only own ones with @own. */
static void null_from(struct row *r, int from, bool own)
{
	int n;
	const struct wt_db_column *cols = wt_db_columns("wait_call", &n);

	for (int c = from; c < n; c++) {
		if (cols[c].own && !own)
			continue;
		if (cols[c].type == WT_COL_TEXT)
			set_text(r, c, &cols[c], NULL);
		else
			set_int(r, &cols[c], WT_DB_NULL);
	}
}

/* wait_call row @k of the case: own columns from @k, shared ones from
 * @group (rows of one group may form a uniform batch); id @id. */
static void fill_call(struct row *r, int k, int group, int64_t id)
{
	int n;
	const struct wt_db_column *cols = wt_db_columns("wait_call", &n);
	struct row shared;

	fill(r, cols, n, k);
	fill(&shared, cols, n, 100 + group);
	for (int c = 0; c < n; c++) {
		if (cols[c].own)
			continue;
		if (cols[c].type == WT_COL_TEXT) {
			const char *s;

			memcpy(&s, shared.bytes + cols[c].offset, sizeof(s));
			set_text(r, c, &cols[c], s);
		} else {
			memcpy(r->bytes + cols[c].offset,
			       shared.bytes + cols[c].offset, 8);
		}
	}
	set_int(r, &cols[0], id);
}

static int put_calls(struct wt_db *db, int from, int to)
{
	for (int k = from; k < to; k++) {
		/* the put must copy the strings: spoil the caller's after */
		struct row tmp = calls[k];
		int n, rc;
		const struct wt_db_column *cols =
			wt_db_columns("wait_call", &n);

		for (int c = 0; c < n; c++)
			if (cols[c].type == WT_COL_TEXT) {
				const char *s;

				memcpy(&s, calls[k].bytes + cols[c].offset,
				       sizeof(s));
				set_text(&tmp, c, &cols[c], s);
			}
		rc = wt_db_put_call(db, (const void *)tmp.bytes);
		memset(tmp.text, 'x', sizeof(tmp.text) - 1);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void load(void)
{
	char err[512];
	struct wt_db *db;
	sqlite3 *h;
	static struct row one[16];
	int ntables = 0, c_errno = -1, ncall;
	const struct wt_db_column *ccols = wt_db_columns("wait_call", &ncall);
	int64_t id = 1;

	unlink(path);
	db = wt_db_create(path, err, sizeof(err));
	check(db != NULL, 2, "wt_db_create", err, "a database");
	if (!db)
		return;
	case_id = 2;
	for (int t = 0; wt_db_table_name(t); t++, ntables++) {
		const char *name = wt_db_table_name(t);
		int n;
		const struct wt_db_column *cols = wt_db_columns(name, &n);

		if (!strcmp(name, "wait_call"))
			continue;
		fill(&one[t], cols, n, t + 1);
		check(put(db, name, &one[t]) == 0, case_id, name,
		      wt_db_error(db), "put");
	}

	for (int c = 0; c < ncall; c++) {
		if (!strcmp(ccols[c].name, "errno_name"))
			c_errno = c;
	}
	/* 0-31: uniform, ids the next ones; 32-63: uniform values, one id
	 * skipped (the skipped id comes last, lower than the others);
	 * 64-95: two groups alternating; 96-99: a short tail before a row
	 * too long to buffer (100); 101-132: one group, but row 120 differs
	 * only in a NULL string where the others have ""; 133: the skipped
	 * id, last */
	for (int k = 0; k < 32; k++)
		fill_call(&calls[k], k, 0, id++);
	int64_t gap = id++;
	for (int k = 32; k < 64; k++)
		fill_call(&calls[k], k, 1, id++);
	for (int k = 64; k < 96; k++)
		fill_call(&calls[k], k, k % 2 + 2, id++);
	for (int k = 96; k < 101; k++)
		fill_call(&calls[k], k, 4, id++);
	/* too long to buffer: three 299-byte strings (db.c's CALL_TEXT: 768) */
	for (int c = 0, longs = 0; c < ncall && longs < 3; c++)
		if (ccols[c].type == WT_COL_TEXT && !ccols[c].own &&
		    calls[100].text[c][0]) {
			memset(calls[100].text[c], 'w', 299);
			calls[100].text[c][299] = '\0';
			longs++;
		}
	for (int k = 101; k < 133; k++) {
		fill_call(&calls[k], k, 5, id++);
		set_text(&calls[k], c_errno, &ccols[c_errno],
			 k == 120 ? NULL : "");
	}
	fill_call(&calls[133], 133, 6, gap);
	/* 134-165: uniform, every shared column from 20 on NULL; 166-197: two
	 * groups alternating, row k NULL from column 2 + k % 45 on (own ones
	 * too) */
	for (int k = 134; k < 166; k++) {
		fill_call(&calls[k], k, 7, id++);
		null_from(&calls[k], 20, false);
	}
	for (int k = 166; k < 198; k++) {
		fill_call(&calls[k], k, k % 2 + 8, id++);
		null_from(&calls[k], 2 + k % 45, true);
	}
	case_id = 3;
	check(put_calls(db, 0, 198) == 0, case_id, "put_call",
	      wt_db_error(db), "ok");
	check(wt_db_finish_load(db) == 0, case_id, "finish_load",
	      wt_db_error(db), "ok");
	wt_db_close(db);

	h = wt_db_open_readonly(path, err, sizeof(err));
	check(h != NULL, case_id, "open_readonly", err, "a database");
	if (!h)
		return;
	check_columns(h);
	case_id = 2;
	for (int t = 0; t < ntables; t++) {
		const char *name = wt_db_table_name(t);

		if (strcmp(name, "wait_call"))
			check_rows(h, name, &one[t], 1, "1");
	}
	/* in id order: row 133 holds the id after row 31's */
	static struct row byid[198];
	memcpy(byid, calls, 32 * sizeof(struct row));
	byid[32] = calls[133];
	memcpy(byid + 33, calls + 32, 101 * sizeof(struct row));
	memcpy(byid + 134, calls + 134, 64 * sizeof(struct row));
	case_id = 3;
	check_rows(h, "wait_call", byid, 198, "id");
	sqlite3_close(h);
}

#define FAIL_PUTS 20000 /* more than the writer's queue holds */

static void failure(void)
{
	char err[512];
	struct wt_process_row p = { .upid = 7 };
	struct wt_db *db;
	int first = -1, later = 0;

	case_id = 4;
	unlink(path);
	db = wt_db_create(path, err, sizeof(err));
	check(db != NULL, case_id, "wt_db_create", err, "a database");
	if (!db)
		return;
	check(wt_db_put_process(db, &p) == 0, case_id, "first upid 7",
	      wt_db_error(db), "put");
	for (int k = 0; k < FAIL_PUTS; k++) {
		int rc = k ? wt_db_put_call(db, (const void *)calls[k % 32].bytes)
			   : wt_db_put_process(db, &p);

		if (rc < 0 && first < 0)
			first = k;
		else if (rc == 0 && first >= 0)
			later++;
	}
	check(first >= 0 || wt_db_finish_load(db) < 0, case_id,
	      "a put or the finish", first >= 0 ? "-1" : "0", "-1");
	check(later == 0, case_id, "puts that succeeded after a -1",
	      later ? "some" : "none", "none");
	check(strstr(wt_db_error(db), "UNIQUE constraint failed: process.upid"),
	      case_id, "the message", wt_db_error(db), "SQLite's");
	check(wt_db_finish_load(db) < 0, case_id, "finish after a failure",
	      "0", "-1");
	wt_db_close(db);
	unlink(path);
}

/* The strings of the rows in calls[] point into their own text: a copy's
 * point into the original's, which stays. */
static void unfinished(void)
{
	char err[512];
	struct wt_db *db;

	case_id = 5;
	unlink(path);
	db = wt_db_create(path, err, sizeof(err));
	check(db != NULL, case_id, "wt_db_create", err, "a database");
	if (!db)
		return;
	int n, ok = 0;
	const struct wt_db_column *cols = wt_db_columns("wait_call", &n);
	static struct row r;

	for (int k = 0; k < FAIL_PUTS; k++) {
		r = calls[k % 32];
		set_int(&r, &cols[0], k + 1);
		ok += wt_db_put_call(db, (const void *)r.bytes) == 0;
	}
	check(ok == FAIL_PUTS, case_id, "puts before the close", ok == FAIL_PUTS
	      ? "all 0" : "some -1", "all 0");
	/* what is queued is dropped; a hang here is ctest's timeout */
	wt_db_close(db);
	unlink(path);
}

int main(int argc, char **argv)
{
	snprintf(path, sizeof(path), "%s/test_db.%d.db",
		 argc > 1 ? argv[1] : "/tmp", (int)getpid());
	load();
	unlink(path);
	failure();
	unfinished();
	return tcheck_report();
}
