/*
 * db.h - the SQLite database behind `wtrec analyze`: create it with the
 * schema of sql/schema.sql, load rows through prepared inserts inside one
 * transaction, then add the indexes; or open an existing wtrec database
 * read-only for reports.
 *
 * The model (model.c) hands over plain row structs and never sees SQL.
 * Nullable integer columns use WT_DB_NULL; nullable strings use NULL.
 *
 * Each table's INSERT and its binding are generated from one column table
 * in db.c.  Adding a column: the field in its row struct here (int64_t or
 * const char *), one line in that table, the column in sql/schema.sql at
 * the same position (the test db_columns checks the names and the order).
 *
 * Threads: the load's rows are executed by a writer thread (db_writer.c)
 * while the caller decodes and models the next ones; the caller's thread
 * creates the schema before and runs the after-load part (indexes,
 * ANALYZE) after joining it.  A put returns once its row is copied, so a
 * failed insert surfaces on a later put or on wt_db_finish_load (then
 * every put fails: the load is over).  WTREC_DB_THREADS=0 in the
 * environment executes every put on the caller's thread, as before the
 * writer existed (tests/e2e/db_threads.sh compares the two databases).
 * The database file's page writes are done by a third thread (db_vfs.c),
 * also not with WTREC_DB_THREADS=0.  A db created without a path never
 * starts a thread.
 *
 * Errors: functions return 0 / -1 (or NULL); the message is in
 * wt_db_error() or, for the open functions, in the caller's buffer.
 */
#ifndef WT_DB_H
#define WT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#define WT_DB_NULL INT64_MIN
#define WT_DB_APP_ID 0x77747263   /* "wtrc": PRAGMA application_id */
#define WT_DB_SCHEMA_VERSION 4    /* PRAGMA user_version */

struct wt_db;

enum wt_db_id_kind { WT_ID_RECORDING, WT_ID_PROCESS, WT_ID_THREAD, WT_ID_CALL,
		     WT_ID_PIDNS, WT_ID_KINDS };

struct wt_recording_row {
	int64_t id;
	const char *path, *host, *kernel, *arch, *backend, *clock;
	int64_t start_ns, end_ns, wall_offset_ns;
	int64_t events, lost_events, complete, damaged;
	const char *damage;
	int64_t unknown_events, cpus;
	const char *scope, *command, *command_status;
	const char *enabled_events, *missing_events;
	int64_t start_snapshot_ns, stop_snapshot_ns;
	const char *wait_memory;
};

struct wt_process_row {
	int64_t upid, recording_id, pid;
	const char *comm;
	int64_t parent_upid, ppid, original_parent_upid, parent_tid;
	int64_t start_ns, fork_ns, fork_tid, exec_ns;
	int64_t exit_ns;
	int64_t exit_code, exit_signal;
	const char *exit_source;
	int64_t waitable_ns;
	int64_t reaped_ns, reaper_tid, reaper_upid, reap_call_id;
	int64_t released_ns;
	const char *release_kind, *release_evidence;
	int64_t freed_ns;
	int64_t from_snapshot, zombie_at_start, zombie_at_stop;
	int64_t in_stop_snapshot, ppid_at_stop, ignores_sigchld;
	int64_t sigchld_ns, sigchld_code, sigchld_result, sigchld_target_tid;
	int64_t sigchld_received, traced;
	int64_t wait_calls, last_wait_ns;
	int64_t pidns_id, ns_pid;
	const char *ns_pid_source;
	int64_t ns_init, pgid, subreaper, reparents, ptraced;
	const char *cgroup, *cgroup_pids;
	const char *cgroup_basis, *container_id, *container_runtime;
};

struct wt_thread_row {
	int64_t utid, upid, tid;
	const char *comm;
	int64_t start_ns, end_ns, from_snapshot;
	int64_t wnohang_calls, wnohang_empty, wnohang_echild, wnohang_reaped;
	int64_t wnohang_undriven;
	int64_t wnohang_first_ns, wnohang_last_ns;
};

struct wt_outcome_row {
	int64_t recording_id;
	const char *syscall, *idtype, *outcome, *errno_name;
	int64_t calls, reap_inferred;
};

struct wt_call_row {
	int64_t id, recording_id, utid, upid, tid, pid;
	const char *syscall, *idtype;
	int64_t target, pid_arg, options;
	const char *options_text;
	int64_t enter_ns, exit_ns, dur_ns, ret;
	const char *errno_name, *outcome;
	int64_t reaped_upid, reap_inferred, status;
	int64_t target_upid, target_gpid;
	const char *target_basis, *reap_basis;
	int64_t replay_upid, child_upid;
	const char *error_class;
	int64_t status_addr, infop_addr, rusage_addr;
	const char *status_text;
	/* columns si_signo ... si_status (<signal.h> defines si_* as
	 * macros, hence the names) */
	int64_t info_signo, info_code, info_pid, info_uid, info_status;
	const char *siginfo_text;
	int64_t ru_utime_us, ru_stime_us, ru_maxrss_kb, ru_minflt, ru_majflt;
	int64_t ru_nvcsw, ru_nivcsw;
	const char *rusage_text;
};

struct wt_reparent_row {
	int64_t recording_id, upid, ts_ns, from_upid, from_tid, to_upid;
	int64_t to_tid;
	const char *reason, *evidence;
	int64_t zombie, released;
};

struct wt_pidns_row {
	int64_t id, recording_id, inode, level, parent_id, init_upid;
	int64_t created_ns, teardown_ns;
	const char *source;
};

/* A fork, clone, clone3 or vfork that failed (mdl_cgroup.c). */
struct wt_fork_failure_row {
	int64_t recording_id, ts_ns, utid, upid, tid, pid;
	const char *comm, *syscall;
	int64_t ret;
	const char *errno_name;
	int64_t pidns_id;
	const char *cgroup, *cgroup_pids, *container_id, *container_runtime;
};

/* A cgroup's pids.* files at the start or stop of the recording. */
struct wt_cgroup_limit_row {
	int64_t recording_id;
	const char *snapshot;  /* "start" | "stop" */
	int64_t ts_ns;
	const char *hierarchy, *path;
	int64_t pids_read, pids_current, pids_max, pids_peak, pids_events_max;
	const char *container_id, *container_runtime;
};

/* A process moved to another cgroup during the recording. */
struct wt_cgroup_move_row {
	int64_t recording_id, ts_ns, upid, tid;
	const char *hierarchy, *path;
	int64_t thread_only, transfer;
};

struct wt_check_row {
	int64_t recording_id;
	const char *name;
	const char *kind;       /* disagreement | inference | count */
	int64_t count;
	const char *meaning;
};

struct wt_stats_row {
	int64_t recording_id, cpu, entries, overrun, commit_overrun, dropped;
	int64_t read_events, missed_in_pages, lost_markers;
};

/* A column of a table wt_db_put_* writes: its name and the offset of its
 * field in the row struct. */
enum wt_db_col_type {
	WT_COL_INT,     /* int64_t; WT_DB_NULL binds NULL */
	WT_COL_TEXT,    /* const char *; NULL binds NULL */
	WT_COL_NEXT_ID, /* int64_t rowid, bound NULL when it is the next one */
};
struct wt_db_column {
	const char *name;
	size_t offset;
	enum wt_db_col_type type;
	bool own; /* wait_call: bound per row even in a uniform batch */
};

/* The columns of @table in schema order, their number in @n; NULL (and 0)
 * for a table no put writes.  Static: never freed. */
const struct wt_db_column *wt_db_columns(const char *table, int *n);
/* The name of the @i-th table the puts write (from 0); NULL past the last. */
const char *wt_db_table_name(int i);

/*
 * Create a new database at @path (an existing file is overwritten only if
 * it is empty: callers pass a fresh temporary name), create the schema and
 * begin the load transaction with journal_mode=OFF and synchronous=OFF
 * (a crash leaves garbage, which is why callers load into a temporary
 * name).  Returns NULL with a message in @err.  Free with wt_db_close().
 * With @path NULL, a database that hands out ids and keeps no rows (every
 * put succeeds): `analyze --follow` without a database to keep.
 */
struct wt_db *wt_db_create(const char *path, char *err, size_t errlen);

/* A new id of @kind: ids are unique across the recordings of this db. */
int64_t wt_db_new_id(struct wt_db *db, enum wt_db_id_kind kind);

int wt_db_put_recording(struct wt_db *db, const struct wt_recording_row *r);
int wt_db_put_meta(struct wt_db *db, int64_t recording_id, const char *key,
		   const char *value);
int wt_db_put_process(struct wt_db *db, const struct wt_process_row *r);
int wt_db_put_thread(struct wt_db *db, const struct wt_thread_row *r);
/* Every put copies its row (strings too: the caller keeps @r).  wait_call
 * rows are also buffered and written in batches; a failure of any put may
 * surface on a later put or wt_db_finish_load. */
int wt_db_put_call(struct wt_db *db, const struct wt_call_row *r);
int wt_db_put_stats(struct wt_db *db, const struct wt_stats_row *r);
int wt_db_put_outcome(struct wt_db *db, const struct wt_outcome_row *r);
int wt_db_put_reparent(struct wt_db *db, const struct wt_reparent_row *r);
int wt_db_put_pidns(struct wt_db *db, const struct wt_pidns_row *r);
int wt_db_put_check(struct wt_db *db, const struct wt_check_row *r);
int wt_db_put_fork_failure(struct wt_db *db,
			   const struct wt_fork_failure_row *r);
int wt_db_put_cgroup_limit(struct wt_db *db,
			   const struct wt_cgroup_limit_row *r);
int wt_db_put_cgroup_move(struct wt_db *db, const struct wt_cgroup_move_row *r);

/* Wait for the writer to execute every row and join it; then create the
 * indexes, commit, and gather planner statistics. */
int wt_db_finish_load(struct wt_db *db);

/* Message of the last failure, "" when none. */
const char *wt_db_error(const struct wt_db *db);

/* Close; an unfinished load is rolled back (the writer drops what it has
 * not executed, and is joined).  Accepts NULL. */
void wt_db_close(struct wt_db *db);

/*
 * What kind of file @path is: 1 = an SQLite database written by wtrec,
 * 0 = not an SQLite database at all (try it as a recording), -1 = an SQLite
 * database of another schema, or unreadable (message in @err).
 */
int wt_db_probe(const char *path, char *err, size_t errlen);

/*
 * Open a wtrec database read-only (SQLITE_OPEN_READONLY and query_only),
 * checking it is one.  Returns NULL with a message in @err.  The caller
 * closes the handle with sqlite3_close().
 */
sqlite3 *wt_db_open_readonly(const char *path, char *err, size_t errlen);

#endif /* WT_DB_H */
