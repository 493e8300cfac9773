/*
 * scope.h - `wtrec analyze --container ID|PATH`: cut the reports that
 * honour view scope_process (tree, containers) to one container.
 *
 * The database's scope_process view lists every process (sql/schema.sql);
 * a TEMP view of the same name, made on the read connection, shadows it
 * (SQLite resolves unqualified names in temp first).  The value reaches
 * SQL as a bound parameter, kept in a TEMP table the view reads.
 */
#ifndef WT_SCOPE_H
#define WT_SCOPE_H

#include <stddef.h>
#include <sqlite3.h>

/*
 * On read connection @h (opened by wt_db_open_readonly), make
 * scope_process the processes of container @what: those whose
 * container_id is @what (or, for a 64-hex id, starts with it: 4 digits at
 * least), or whose cgroup (v2 or pids) is @what or below it ("pids:/p" and
 * "v2:/p", as the containers report writes them, name one hierarchy).
 * Returns the number of processes in it (0: nothing matched), or -1 with a
 * message in @err.  The connection is query_only again afterwards.
 */
int wt_scope_container(sqlite3 *h, const char *what, char *err, size_t errlen);

#endif
