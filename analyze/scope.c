/*
 * scope.c - the --container cut of the reports (see scope.h).
 *
 * Writes only to the connection's temp schema: the database file is
 * opened read-only (SQLITE_OPEN_READONLY) and stays untouched; query_only
 * is lifted for the two temp objects and set again before any report or
 * --sql statement is prepared.
 */
#include <stdio.h>
#include "scope.h"

static const char make_table[] =
	"CREATE TEMP TABLE scope_arg(value TEXT NOT NULL)";
static const char insert_arg[] = "INSERT INTO temp.scope_arg VALUES (?1)";
/* c: the value with a "pids:" / "v2:" prefix taken off, and which
 * hierarchy it names (NULL: either) */
static const char make_view[] =
	"CREATE TEMP VIEW scope_process AS "
	"WITH a AS (SELECT value, "
	"  CASE WHEN value LIKE 'pids:/%' THEN substr(value, 6) "
	"       WHEN value LIKE 'v2:/%' THEN substr(value, 4) "
	"       ELSE value END AS path, "
	"  CASE WHEN value LIKE 'pids:/%' THEN 'pids' "
	"       WHEN value LIKE 'v2:/%' THEN 'v2' END AS hier "
	"  FROM temp.scope_arg) "
	"SELECT p.upid FROM main.process p, a "
	"WHERE p.container_id = a.value "
	"   OR (length(a.value) >= 4 AND length(p.container_id) = 64 "
	"       AND substr(p.container_id, 1, length(a.value)) = a.value) "
	"   OR (a.hier IS NOT 'pids' AND (p.cgroup = a.path OR "
	"       substr(p.cgroup, 1, length(a.path) + 1) = a.path || '/')) "
	"   OR (a.hier IS NOT 'v2' AND (p.cgroup_pids = a.path OR "
	"       substr(p.cgroup_pids, 1, length(a.path) + 1) = a.path || '/'))";
static const char count_sql[] = "SELECT count(*) FROM temp.scope_process";

static int fail(sqlite3 *h, char *err, size_t errlen)
{
	snprintf(err, errlen, "--container: %s", sqlite3_errmsg(h));
	sqlite3_exec(h, "PRAGMA query_only = 1", NULL, NULL, NULL);
	return -1;
}

/* Prepare @sql, bind @arg (if not NULL) as ?1, step once; the first
 * column of a returned row into *@out. */
static int step(sqlite3 *h, const char *sql, const char *arg, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc == SQLITE_OK && arg)
		rc = sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW && out)
			*out = sqlite3_column_int64(st, 0);
		rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

int wt_scope_container(sqlite3 *h, const char *what, char *err, size_t errlen)
{
	long long n = 0;

	if (sqlite3_exec(h, "PRAGMA query_only = 0", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    step(h, make_table, NULL, NULL) < 0 ||
	    step(h, insert_arg, what, NULL) < 0 ||
	    step(h, make_view, NULL, NULL) < 0)
		return fail(h, err, errlen);
	if (sqlite3_exec(h, "PRAGMA query_only = 1", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    step(h, count_sql, NULL, &n) < 0)
		return fail(h, err, errlen);
	return (int)(n > 0x7fffffff ? 0x7fffffff : n);
}
