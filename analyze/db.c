/*
 * db.c - create and load the wtrec SQLite database; open existing ones.
 *
 * Workload: one bulk load of up to tens of millions of wait_call rows, then
 * read-only reports.  The load runs in ONE transaction with journal_mode=OFF
 * and synchronous=OFF (nothing to roll back to: the database is new and is
 * written under a temporary name), through prepared statements; the large
 * indexes are created after the rows are in, the small partial ones on
 * wait_call before (sql/schema.sql says why).
 *
 * Every INSERT and its binding come from one column table per SQL table
 * (below): name, offset of the field in the row struct, type (from the
 * field's C type) and, for wait_call, whether the column is bound per row
 * or shared by a batch.  Adding a column is its field in db.h, one line in
 * the table and the column in sql/schema.sql (test db_columns).
 *
 * wait_call rows are the bulk (one per call: tens of millions for a WNOHANG
 * poller) and go in CALL_BATCH at a time through one multi-row INSERT: a
 * statement execution (cursor open, seek to the end of the table, halt)
 * costs about as much as the row itself.  Pending rows are flushed at the
 * end of the load.  A row whose id is one past the largest inserted so far (the
 * common case: one poller's calls return in the order they entered) is
 * inserted with a NULL id, which SQLite turns into that same max(id) + 1
 * without the uniqueness seek an explicit rowid costs.  Binding is the next
 * big share: when the rows of a batch differ only in their OWN columns (id
 * and times, as a poller's do) and their ids are the next ones, a second
 * statement takes the SHARED columns once (numbered parameters shared by
 * every row), the own ones per row and NULL for every id.  And a batch's
 * INSERT names only the columns up to the last one any of its rows has
 * non-NULL: the rest take their default, NULL, at one cheap opcode each
 * instead of a parameter copied per row (a poller's rows end in a dozen
 * NULL target/reap columns and eighteen NULL buffer columns).  The
 * measured instruction counts behind each of these are in bench/README.md.
 *
 * Threads (db.h): the public puts hand their row to the writer thread
 * (db_writer.c): a copy, or for wait_call its place in a batch the
 * producer fills and surveys and then queues by reference (see "wait_call
 * batches through the writer").  The writer executes them with the *_now
 * functions and flush_group(), in put order, exactly as one thread does
 * (WTREC_DB_THREADS=0 calls them directly): so max_call_id and the
 * statements are the writer's during the load, and the same rows go in
 * in the same order either way.  next_id stays with the producer: ids are
 * handed out as the model asks for them, before any row reaches SQLite.
 * The file's page writes are a third thread's (db_vfs.c).
 *
 * States: created (schema made, transaction open, writer running) ->
 * loaded (writer joined, indexes, committed) -> closed; failed (a put or
 * the finish failed, writer joined) -> closed.  Puts are only valid while
 * created.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "db_vfs.h"
#include "db_writer.h"
#include "sql_embed.h"

/* ---- the column tables --------------------------------------------------- */

/*
 * One table per SQL table, in the column order of sql/schema.sql (the test
 * db_columns compares them with pragma_table_info).  A column's type comes
 * from its field: int64_t binds an integer (WT_DB_NULL: NULL), const char *
 * a string (NULL: NULL); a field of any other type does not compile.
 */
#define COL_TYPE(S, f) \
	_Generic(((struct S *)0)->f, int64_t: WT_COL_INT, \
		 const char *: WT_COL_TEXT)
#define COL(S, f, own) { #f, offsetof(struct S, f), COL_TYPE(S, f), own }

/* meta has no row struct in db.h: wt_db_put_meta takes its three values */
struct meta_row {
	int64_t recording_id;
	const char *key, *value;
};

#define REC(f) COL(wt_recording_row, f, false)
static const struct wt_db_column recording_cols[] = {
	REC(id),
	REC(path),
	REC(host),
	REC(kernel),
	REC(arch),
	REC(backend),
	REC(clock),
	REC(start_ns),
	REC(end_ns),
	REC(wall_offset_ns),
	REC(events),
	REC(lost_events),
	REC(complete),
	REC(damaged),
	REC(damage),
	REC(unknown_events),
	REC(cpus),
	REC(scope),
	REC(command),
	REC(command_status),
	REC(enabled_events),
	REC(missing_events),
	REC(start_snapshot_ns),
	REC(stop_snapshot_ns),
	REC(wait_memory),
};

#define META(f) COL(meta_row, f, false)
static const struct wt_db_column meta_cols[] = {
	META(recording_id),
	META(key),
	META(value),
};

#define PROC(f) COL(wt_process_row, f, false)
static const struct wt_db_column process_cols[] = {
	PROC(upid),
	PROC(recording_id),
	PROC(pid),
	PROC(comm),
	PROC(parent_upid),
	PROC(ppid),
	PROC(original_parent_upid),
	PROC(parent_tid),
	PROC(start_ns),
	PROC(fork_ns),
	PROC(fork_tid),
	PROC(exec_ns),
	PROC(exit_ns),
	PROC(exit_code),
	PROC(exit_signal),
	PROC(exit_source),
	PROC(waitable_ns),
	PROC(reaped_ns),
	PROC(reaper_tid),
	PROC(reaper_upid),
	PROC(reap_call_id),
	PROC(released_ns),
	PROC(release_kind),
	PROC(release_evidence),
	PROC(freed_ns),
	PROC(from_snapshot),
	PROC(zombie_at_start),
	PROC(zombie_at_stop),
	PROC(in_stop_snapshot),
	PROC(ppid_at_stop),
	PROC(ignores_sigchld),
	PROC(sigchld_ns),
	PROC(sigchld_code),
	PROC(sigchld_result),
	PROC(sigchld_target_tid),
	PROC(sigchld_received),
	PROC(traced),
	PROC(wait_calls),
	PROC(last_wait_ns),
	PROC(pidns_id),
	PROC(ns_pid),
	PROC(ns_pid_source),
	PROC(ns_init),
	PROC(pgid),
	PROC(subreaper),
	PROC(reparents),
	PROC(ptraced),
	PROC(cgroup),
	PROC(cgroup_pids),
	PROC(cgroup_basis),
	PROC(container_id),
	PROC(container_runtime),
};

#define THR(f) COL(wt_thread_row, f, false)
static const struct wt_db_column thread_cols[] = {
	THR(utid),
	THR(upid),
	THR(tid),
	THR(comm),
	THR(start_ns),
	THR(end_ns),
	THR(from_snapshot),
	THR(wnohang_calls),
	THR(wnohang_empty),
	THR(wnohang_echild),
	THR(wnohang_reaped),
	THR(wnohang_undriven),
	THR(wnohang_first_ns),
	THR(wnohang_last_ns),
};

/*
 * wait_call: OWN columns are bound for every row of a batch, SHARED ones
 * once when every row of the batch has the same values (a poller's calls
 * differ only in id and times).  CALL_ID is the rowid: bound NULL when it
 * is the next one, a literal NULL in a uniform batch (see the top of this
 * file).
 */
#define OWN true
#define SHARED false
#define CALL(f, share) COL(wt_call_row, f, share)
/* a column whose field has another name (see struct wt_call_row) */
#define CALL_AS(name, f, share) \
	{ name, offsetof(struct wt_call_row, f), COL_TYPE(wt_call_row, f), share }
#define CALL_ID(f) { #f, offsetof(struct wt_call_row, f), \
	_Generic(((struct wt_call_row *)0)->f, int64_t: WT_COL_NEXT_ID), OWN }
static const struct wt_db_column call_cols[] = {
	CALL_ID(id),
	CALL(recording_id, SHARED),
	CALL(utid, SHARED),
	CALL(upid, SHARED),
	CALL(tid, SHARED),
	CALL(pid, SHARED),
	CALL(syscall, SHARED),
	CALL(idtype, SHARED),
	CALL(target, SHARED),
	CALL(pid_arg, SHARED),
	CALL(options, SHARED),
	CALL(options_text, SHARED),
	CALL(enter_ns, OWN),
	CALL(exit_ns, OWN),
	CALL(dur_ns, OWN),
	CALL(ret, SHARED),
	CALL(errno_name, SHARED),
	CALL(outcome, SHARED),
	CALL(reaped_upid, SHARED),
	CALL(reap_inferred, SHARED),
	CALL(status, SHARED),
	CALL(target_upid, SHARED),
	CALL(target_gpid, SHARED),
	CALL(target_basis, SHARED),
	CALL(reap_basis, SHARED),
	CALL(replay_upid, SHARED),
	CALL(child_upid, SHARED),
	CALL(error_class, SHARED),
	/* The buffers: a poller passes the same pointers every time and
	 * gets nothing written (NULL contents, or waitid's zeroed siginfo),
	 * so they are shared by its uniform batches; rows that differ here
	 * reaped a child and differ in ret and reaped_upid anyway. */
	CALL(status_addr, SHARED),
	CALL(infop_addr, SHARED),
	CALL(rusage_addr, SHARED),
	CALL(status_text, SHARED),
	CALL_AS("si_signo", info_signo, SHARED),
	CALL_AS("si_code", info_code, SHARED),
	CALL_AS("si_pid", info_pid, SHARED),
	CALL_AS("si_uid", info_uid, SHARED),
	CALL_AS("si_status", info_status, SHARED),
	CALL(siginfo_text, SHARED),
	CALL(ru_utime_us, SHARED),
	CALL(ru_stime_us, SHARED),
	CALL(ru_maxrss_kb, SHARED),
	CALL(ru_minflt, SHARED),
	CALL(ru_majflt, SHARED),
	CALL(ru_nvcsw, SHARED),
	CALL(ru_nivcsw, SHARED),
	CALL(rusage_text, SHARED),
};

#define STAT(f) COL(wt_stats_row, f, false)
static const struct wt_db_column stats_cols[] = {
	STAT(recording_id),
	STAT(cpu),
	STAT(entries),
	STAT(overrun),
	STAT(commit_overrun),
	STAT(dropped),
	STAT(read_events),
	STAT(missed_in_pages),
	STAT(lost_markers),
};

#define OUTC(f) COL(wt_outcome_row, f, false)
static const struct wt_db_column outcome_cols[] = {
	OUTC(recording_id),
	OUTC(syscall),
	OUTC(idtype),
	OUTC(outcome),
	OUTC(errno_name),
	OUTC(calls),
	OUTC(reap_inferred),
};

#define REPA(f) COL(wt_reparent_row, f, false)
static const struct wt_db_column reparent_cols[] = {
	REPA(recording_id),
	REPA(upid),
	REPA(ts_ns),
	REPA(from_upid),
	REPA(from_tid),
	REPA(to_upid),
	REPA(to_tid),
	REPA(reason),
	REPA(evidence),
	REPA(zombie),
	REPA(released),
};

#define PIDNS(f) COL(wt_pidns_row, f, false)
static const struct wt_db_column pidns_cols[] = {
	PIDNS(id),
	PIDNS(recording_id),
	PIDNS(inode),
	PIDNS(level),
	PIDNS(parent_id),
	PIDNS(init_upid),
	PIDNS(created_ns),
	PIDNS(teardown_ns),
	PIDNS(source),
};

#define CHECK_COL(f) COL(wt_check_row, f, false)
static const struct wt_db_column check_cols[] = {
	CHECK_COL(recording_id),
	CHECK_COL(name),
	CHECK_COL(kind),
	CHECK_COL(count),
	CHECK_COL(meaning),
};

#define FFAIL(f) COL(wt_fork_failure_row, f, false)
static const struct wt_db_column fork_failure_cols[] = {
	FFAIL(recording_id),
	FFAIL(ts_ns),
	FFAIL(utid),
	FFAIL(upid),
	FFAIL(tid),
	FFAIL(pid),
	FFAIL(comm),
	FFAIL(syscall),
	FFAIL(ret),
	FFAIL(errno_name),
	FFAIL(pidns_id),
	FFAIL(cgroup),
	FFAIL(cgroup_pids),
	FFAIL(container_id),
	FFAIL(container_runtime),
};

#define CGLIM(f) COL(wt_cgroup_limit_row, f, false)
static const struct wt_db_column cgroup_limit_cols[] = {
	CGLIM(recording_id),
	CGLIM(snapshot),
	CGLIM(ts_ns),
	CGLIM(hierarchy),
	CGLIM(path),
	CGLIM(pids_read),
	CGLIM(pids_current),
	CGLIM(pids_max),
	CGLIM(pids_peak),
	CGLIM(pids_events_max),
	CGLIM(container_id),
	CGLIM(container_runtime),
};

#define CGMOV(f) COL(wt_cgroup_move_row, f, false)
static const struct wt_db_column cgroup_move_cols[] = {
	CGMOV(recording_id),
	CGMOV(ts_ns),
	CGMOV(upid),
	CGMOV(tid),
	CGMOV(hierarchy),
	CGMOV(path),
	CGMOV(thread_only),
	CGMOV(transfer),
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define CALL_COLS NCOLS(call_cols)

struct table {
	const char *name;
	const char *insert; /* "INSERT", "INSERT OR REPLACE" */
	const struct wt_db_column *cols;
	int ncols;
	size_t size;        /* of its row struct (the writer copies rows) */
};

/* Indexed by the statement of its single-row INSERT. */
enum { ST_RECORDING, ST_META, ST_PROCESS, ST_THREAD, ST_CALL, ST_STATS,
       ST_OUTCOME, ST_REPARENT, ST_PIDNS, ST_CHECK, ST_FORK_FAILURE,
       ST_CGROUP_LIMIT, ST_CGROUP_MOVE, ST_TABLES,
       ST_COUNT = ST_TABLES };

#define TABLE(n, verb, c, S) { n, verb, c, NCOLS(c), sizeof(struct S) }
static const struct table tables[ST_TABLES] = {
	[ST_RECORDING] = TABLE("recording", "INSERT", recording_cols,
		wt_recording_row),
	[ST_META] = TABLE("meta", "INSERT OR REPLACE", meta_cols, meta_row),
	[ST_PROCESS] = TABLE("process", "INSERT", process_cols, wt_process_row),
	[ST_THREAD] = TABLE("thread", "INSERT", thread_cols, wt_thread_row),
	[ST_CALL] = TABLE("wait_call", "INSERT", call_cols, wt_call_row),
	[ST_STATS] = TABLE("stats", "INSERT OR REPLACE", stats_cols,
		wt_stats_row),
	[ST_OUTCOME] = TABLE("wait_outcome", "INSERT", outcome_cols,
		wt_outcome_row),
	[ST_REPARENT] = TABLE("reparent", "INSERT", reparent_cols,
		wt_reparent_row),
	[ST_PIDNS] = TABLE("pidns", "INSERT", pidns_cols, wt_pidns_row),
	[ST_CHECK] = TABLE("model_check", "INSERT", check_cols, wt_check_row),
	[ST_FORK_FAILURE] = TABLE("fork_failure", "INSERT", fork_failure_cols,
		wt_fork_failure_row),
	[ST_CGROUP_LIMIT] = TABLE("cgroup_limit", "INSERT", cgroup_limit_cols,
		wt_cgroup_limit_row),
	[ST_CGROUP_MOVE] = TABLE("cgroup_move", "INSERT", cgroup_move_cols,
		wt_cgroup_move_row),
};

const struct wt_db_column *wt_db_columns(const char *table, int *n)
{
	for (int t = 0; t < ST_TABLES; t++)
		if (!strcmp(tables[t].name, table)) {
			*n = tables[t].ncols;
			return tables[t].cols;
		}
	*n = 0;
	return NULL;
}

const char *wt_db_table_name(int i)
{
	return i >= 0 && i < ST_TABLES ? tables[i].name : NULL;
}

/* ---- creating the database ----------------------------------------------- */

#define CALL_BATCH 32
#define CALL_TEXT 768 /* bytes of text per buffered row (a reap's siginfo
			 and rusage texts: ~350); longer: unbuffered */

/* A wait_call row waiting for its batch.  Its strings are copies in
 * text[], @used bytes of it, or, where equal to the first pending row's,
 * point to that row's copy: rows that agree on a string hold the same
 * pointer. */
struct pending_call {
	struct wt_call_row row;
	size_t used;
	char text[CALL_TEXT];
};

/* wait_call columns bound together: the integers, then the strings, each
 * group in column order. */
struct colset {
	int nint, ntext;
	size_t ints[CALL_COLS], texts[CALL_COLS];
};

/*
 * wait_call's columns split for a uniform batch: the shared ones are bound
 * once, the own ones per row, and the id (at @id_off, if @id) is a literal
 * NULL: a batch is uniform only when its ids are the next ones.
 * @param[c] is column c's place in the bind order of its set (from 1; 0
 * for the id).
 */
struct call_split {
	struct colset shared, own;
	bool id;
	size_t id_off;
	int param[CALL_COLS];
};

/* Up to CALL_BATCH wait_call rows, flushed together; uniform, first_width
 * and widest are survey()'s, for a full group. */
#define OWN_PACKED 4 /* own integer columns a group packs (wait_call: 3) */

struct call_group {
	int n;
	bool uniform;     /* every row agrees with the first on the shared
			     columns */
	int first_width, widest;
	/* A uniform group's ids and own integers, row by row, contiguous:
	 * all the writer reads of its rows but the first (each row's are
	 * two cache lines of its own, written on the other CPU); packed:
	 * when the own columns are integers only, OWN_PACKED at most. */
	bool packed;
	int64_t ids[CALL_BATCH];
	int64_t own[CALL_BATCH * OWN_PACKED];
	struct pending_call rows[CALL_BATCH];
};

#define GROUPS_PER_BATCH 32 /* of the writer's (db_writer.c) */
#define GROUPS (WT_DBW_BATCHES * GROUPS_PER_BATCH + 1) /* ~5 MiB */

/* wt_dbw_apply's table argument for a queued group */
enum { APPLY_GROUP = ST_TABLES };

struct wt_db {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT];
	/* CALL_BATCH rows per execution, by the number of leading columns
	 * named (call_stmt()); and the same with shared columns bound once */
	sqlite3_stmt *call_batch[CALL_COLS + 1];
	sqlite3_stmt *call_uniform[CALL_COLS + 1];
	int own_end;                  /* 1 + index of the last OWN column */
	struct call_split split;
	struct call_group *group;     /* one thread's pending rows */
	int64_t max_call_id;          /* largest wait_call id inserted */
	int64_t next_id[WT_ID_KINDS];
	int loaded;
	bool discard;                 /* created without a path: no rows */
	/* The load's second thread: while it runs it owns everything above
	 * but next_id (h, the statements, group, max_call_id) and err; NULL
	 * when WTREC_DB_THREADS=0, or once joined. */
	struct wt_dbw *writer;
	struct call_group *ring;      /* GROUPS: the producer's, then each
				       * the writer's while queued */
	int64_t opened;               /* groups queued; the current one is
				       * ring[opened % GROUPS] */
	atomic_llong groups_done;     /* queued groups the writer executed */
	bool failed;                  /* a put failed: the load is over */
	char err[512];
};

static void set_err(struct wt_db *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(struct wt_db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
}

/* The schema text before (@after == 0) or after (1) the "@after-load"
 * marker, malloc'ed; NULL on ENOMEM or if schema.sql is missing. */
static char *schema_part(int after)
{
	const char *text = wt_sql_get("schema");
	if (!text) {
		errno = ENOENT;
		return NULL;
	}
	const char *mark = strstr(text, "-- @after-load");
	size_t len = mark ? (size_t)(mark - text) : strlen(text);
	if (after)
		return strdup(mark ? mark : "");
	return strndup(text, len);
}

static int exec_sql(struct wt_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		set_err(db, "sqlite: %s", msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int exec_schema(struct wt_db *db, int after)
{
	char *part = schema_part(after);
	if (!part) {
		set_err(db, "schema.sql is not embedded in this binary");
		return -1;
	}
	int rc = exec_sql(db, part);
	free(part);
	return rc;
}

static void split_calls(struct call_split *s)
{
	memset(s, 0, sizeof(*s));
	for (int c = 0; c < CALL_COLS; c++) {
		const struct wt_db_column *col = &call_cols[c];
		struct colset *set = col->own ? &s->own : &s->shared;

		if (col->type == WT_COL_NEXT_ID) {
			s->id = true;
			s->id_off = col->offset;
		} else if (col->type == WT_COL_INT) {
			set->ints[set->nint++] = col->offset;
			s->param[c] = set->nint;
		} else {
			set->texts[set->ntext++] = col->offset;
			s->param[c] = -set->ntext; /* after the integers: */
		}
	}
	for (int c = 0; c < CALL_COLS; c++)
		if (s->param[c] < 0)
			s->param[c] = (call_cols[c].own ? s->own.nint
						       : s->shared.nint) -
				      s->param[c];
}

static int colset_size(const struct colset *set)
{
	return set->nint + set->ntext;
}

/*
 * @t's INSERT of its first @ncols columns (the others take their default,
 * NULL) with @rows rows of placeholders; malloc'ed, NULL on ENOMEM.
 * With @s (a uniform batch of wait_call): shared column c is ?param[c] in
 * every row (bound once, first), own column c of row r is
 * ?(nshared + nown * r + param[c]) (the order flush_group binds them in)
 * and the id is NULL.
 */
static char *insert_sql(const struct table *t, int ncols, int rows,
			const struct call_split *s)
{
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);

	if (!f)
		return NULL;
	fprintf(f, "%s INTO %s (", t->insert, t->name);
	for (int c = 0; c < ncols; c++)
		fprintf(f, "%s%s", c ? ", " : "", t->cols[c].name);
	fputs(") VALUES ", f);
	for (int r = 0; r < rows; r++) {
		int own = s ? colset_size(&s->shared) +
				      colset_size(&s->own) * r : 0;

		fputs(r ? ",(" : "(", f);
		for (int c = 0; c < ncols; c++) {
			if (c)
				fputc(',', f);
			if (!s)
				fputc('?', f);
			else if (!s->param[c])
				fputs("NULL", f);
			else
				fprintf(f, "?%d", s->param[c] +
						  (t->cols[c].own ? own : 0));
		}
		fputc(')', f);
	}
	if (fclose(f) != 0) {
		free(sql);
		return NULL;
	}
	return sql;
}

static int prepare(struct wt_db *db, char *sql, sqlite3_stmt **st)
{
	int rc;

	if (!sql) {
		set_err(db, "out of memory");
		return -1;
	}
	rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
				NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		set_err(db, "sqlite: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	return 0;
}

/* The batch INSERT of wait_call's first @ncols columns, uniform (shared
 * columns bound once) or not, prepared the first time it is needed. */
static sqlite3_stmt *call_stmt(struct wt_db *db, int ncols, bool uniform)
{
	sqlite3_stmt **st = uniform ? &db->call_uniform[ncols]
				    : &db->call_batch[ncols];

	if (!*st && prepare(db, insert_sql(&tables[ST_CALL], ncols, CALL_BATCH,
					   uniform ? &db->split : NULL), st) < 0)
		return NULL;
	return *st;
}

static int prepare_all(struct wt_db *db)
{
	split_calls(&db->split);
	for (int c = 0; c < CALL_COLS; c++)
		if (call_cols[c].own)
			db->own_end = c + 1;
	for (int i = 0; i < ST_TABLES; i++)
		if (prepare(db, insert_sql(&tables[i], tables[i].ncols, 1, NULL),
			    &db->st[i]) < 0)
			return -1;
	db->group = calloc(1, sizeof(*db->group));
	if (!db->group) {
		set_err(db, "out of memory");
		return -1;
	}
	return 0;
}

static int apply(void *ctx, int i, const void *row);

/* The writer and I/O threads, unless WTREC_DB_THREADS=0 (db.h). */
static bool want_threads(void)
{
	const char *env = getenv("WTREC_DB_THREADS");

	return !env || strcmp(env, "0");
}

static int start_writer(struct wt_db *db)
{
	if (!want_threads())
		return 0;
	if (!(db->ring = calloc(GROUPS, sizeof(*db->ring))) ||
	    !(db->writer = wt_dbw_start(apply, db))) {
		set_err(db, "cannot start the writer thread: %s",
			strerror(errno));
		return -1;
	}
	return 0;
}

struct wt_db *wt_db_create(const char *path, char *err, size_t errlen)
{
	struct wt_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "%s: out of memory", path ? path : "db");
		return NULL;
	}
	for (int k = 0; k < WT_ID_KINDS; k++)
		db->next_id[k] = 1;
	if (!path) {
		db->discard = true;
		return db;
	}
	/* SQLite's allocation statistics take a global mutex around every
	 * malloc; nothing here reads them.  Refused (harmlessly) once SQLite
	 * is initialized, e.g. by a second database in the same process. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* One thread at a time uses this connection (this one, the writer
	 * during the load, this one again after joining it): no mutexes. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOMUTEX;
	/* the page writes on a thread of their own (db_vfs.c) */
	const char *vfs = want_threads() ? wt_db_vfs_name() : NULL;
	if (sqlite3_open_v2(path, &db->h, flags, vfs) != SQLITE_OK) {
		set_err(db, "%s", db->h ? sqlite3_errmsg(db->h) : "no memory");
		goto fail;
	}
	/* No journal and no fsync: the file is new, written under a
	 * temporary name, and renamed only once complete.  16 KiB pages:
	 * fewer instructions per appended row than 4 KiB (bench/README.md). */
	if (exec_sql(db, "PRAGMA page_size=16384;"
		     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		     "PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;") < 0)
		goto fail;
	if (exec_sql(db, "BEGIN") < 0 || exec_schema(db, 0) < 0 ||
	    prepare_all(db) < 0 || start_writer(db) < 0)
		goto fail;
	return db;
fail:
	snprintf(err, errlen, "%s: cannot create database: %s", path, db->err);
	wt_db_close(db);
	return NULL;
}

int64_t wt_db_new_id(struct wt_db *db, enum wt_db_id_kind kind)
{
	return db->next_id[kind]++;
}

/* ---- binding ------------------------------------------------------------- */

static int64_t int_at(const void *row, size_t off)
{
	return *(const int64_t *)((const char *)row + off);
}

static const char *text_at(const void *row, size_t off)
{
	return *(const char *const *)((const char *)row + off);
}

/* The binders set parameter @i of @st.  Every put binds every parameter:
 * no statement needs its bindings cleared. */
static inline void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == WT_DB_NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static inline void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* The id, or NULL when SQLite's max(id) + 1 is that id.  Rows must be
 * bound in the order they are inserted. */
static inline void bind_next_id(struct wt_db *db, sqlite3_stmt *st, int i,
				int64_t id)
{
	bind_int(st, i, id == db->max_call_id + 1 ? WT_DB_NULL : id);
	if (id > db->max_call_id)
		db->max_call_id = id;
}

/* The first @ncols columns of @t from @row into parameters @i + 1.. of
 * @st. */
static void bind_row(struct wt_db *db, sqlite3_stmt *st, int i,
		     const struct table *t, int ncols, const void *row)
{
	for (int c = 0; c < ncols; c++) {
		const struct wt_db_column *col = &t->cols[c];

		if (col->type == WT_COL_TEXT)
			bind_text(st, ++i, text_at(row, col->offset));
		else if (col->type == WT_COL_INT)
			bind_int(st, ++i, int_at(row, col->offset));
		else
			bind_next_id(db, st, ++i, int_at(row, col->offset));
	}
}

/* The columns of @set from @row into parameters @i + 1.. of @st, in the
 * set's order; returns the last parameter bound. */
static inline int bind_set(sqlite3_stmt *st, int i,
			   const struct colset *set,
			   const struct wt_call_row *row)
{
	for (int k = 0; k < set->nint; k++)
		bind_int(st, ++i, int_at(row, set->ints[k]));
	for (int k = 0; k < set->ntext; k++)
		bind_text(st, ++i, text_at(row, set->texts[k]));
	return i;
}

static int run(struct wt_db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		set_err(db, "sqlite: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	return 0;
}

/* One row of table @i through its single-row INSERT (on the thread that
 * owns the connection, as every *_now function). */
static int put_now(struct wt_db *db, int i, const void *row)
{
	bind_row(db, db->st[i], 0, &tables[i], tables[i].ncols, row);
	return run(db, db->st[i]);
}

static int put(struct wt_db *db, int i, const void *row);

int wt_db_put_recording(struct wt_db *db, const struct wt_recording_row *r)
{
	return put(db, ST_RECORDING, r);
}

int wt_db_put_meta(struct wt_db *db, int64_t recording_id, const char *key,
		   const char *value)
{
	struct meta_row r = { recording_id, key, value };

	return put(db, ST_META, &r);
}

int wt_db_put_process(struct wt_db *db, const struct wt_process_row *r)
{
	return put(db, ST_PROCESS, r);
}

int wt_db_put_thread(struct wt_db *db, const struct wt_thread_row *r)
{
	return put(db, ST_THREAD, r);
}

int wt_db_put_outcome(struct wt_db *db, const struct wt_outcome_row *r)
{
	return put(db, ST_OUTCOME, r);
}

int wt_db_put_stats(struct wt_db *db, const struct wt_stats_row *r)
{
	return put(db, ST_STATS, r);
}

int wt_db_put_reparent(struct wt_db *db, const struct wt_reparent_row *r)
{
	return put(db, ST_REPARENT, r);
}

int wt_db_put_pidns(struct wt_db *db, const struct wt_pidns_row *r)
{
	return put(db, ST_PIDNS, r);
}

int wt_db_put_check(struct wt_db *db, const struct wt_check_row *r)
{
	return put(db, ST_CHECK, r);
}

int wt_db_put_fork_failure(struct wt_db *db,
			   const struct wt_fork_failure_row *r)
{
	return put(db, ST_FORK_FAILURE, r);
}

int wt_db_put_cgroup_limit(struct wt_db *db,
			   const struct wt_cgroup_limit_row *r)
{
	return put(db, ST_CGROUP_LIMIT, r);
}

int wt_db_put_cgroup_move(struct wt_db *db, const struct wt_cgroup_move_row *r)
{
	return put(db, ST_CGROUP_MOVE, r);
}

/* ---- wait_call batches --------------------------------------------------- */

static void set_int(void *row, size_t off, int64_t v)
{
	*(int64_t *)((char *)row + off) = v;
}

static void set_text(void *row, size_t off, const char *v)
{
	*(const char **)((char *)row + off) = v;
}

/* Do @a and @b agree on every shared column?  Then @b with @a's own
 * columns is @a byte for byte: equal strings are the same pointer (see
 * struct pending_call).  Padding, had a row struct any, could only make
 * equal rows look different (a batch bound row by row), never the reverse;
 * one memcmp costs less than a comparison per column. */
static bool same_shared(const struct call_split *s,
			const struct wt_call_row *a,
			const struct wt_call_row *b)
{
	struct wt_call_row probe = *b;

	if (s->id)
		set_int(&probe, s->id_off, int_at(a, s->id_off));
	for (int k = 0; k < s->own.nint; k++)
		set_int(&probe, s->own.ints[k], int_at(a, s->own.ints[k]));
	for (int k = 0; k < s->own.ntext; k++)
		set_text(&probe, s->own.texts[k], text_at(a, s->own.texts[k]));
	return !memcmp(&probe, a, sizeof(probe));
}

/* Are the ids of @g's first @n rows the next ones, max(id) + 1 onwards
 * (then each is the one SQLite gives a NULL id)? */
static bool next_ids(const struct wt_db *db, const struct call_group *g,
		     int n)
{
	const struct call_split *s = &db->split;

	for (int i = 0; s->id && i < n; i++)
		if ((g->packed ? g->ids[i] : int_at(&g->rows[i].row, s->id_off))
		    != db->max_call_id + 1 + i)
			return false;
	return true;
}

/* 1 + the index of @row's last non-NULL column (the id counts). */
static int row_width(const struct wt_call_row *row)
{
	int n = CALL_COLS;

	for (; n > 1; n--) {
		const struct wt_db_column *col = &call_cols[n - 1];

		if (col->type == WT_COL_TEXT ? text_at(row, col->offset) != NULL
					     : int_at(row, col->offset) != WT_DB_NULL)
			break;
	}
	return n;
}

/* The ids and own integers of uniform @g's rows into g->ids and g->own. */
static void pack(const struct call_split *s, struct call_group *g)
{
	const int nint = s->own.nint;

	g->packed = g->uniform && !s->own.ntext && nint <= OWN_PACKED;
	for (int i = 0; g->packed && i < g->n; i++) {
		const struct wt_call_row *r = &g->rows[i].row;

		g->ids[i] = s->id ? int_at(r, s->id_off) : 0;
		for (int k = 0; k < nint; k++)
			g->own[i * nint + k] = int_at(r, s->own.ints[k]);
	}
}

/* What flushing a full @g needs to know of its rows, from them alone (so
 * the producer can work it out: the less of a row the writer reads, the
 * less crosses between the CPUs): whether they agree on the shared
 * columns, the first row's width and the widest. */
static void survey(const struct call_split *s, struct call_group *g)
{
	int n = g->n, same = 1;

	g->uniform = g->packed = false; /* a partial group is neither */
	if (n != CALL_BATCH)
		return;
	while (same < n && same_shared(s, &g->rows[0].row, &g->rows[same].row))
		same++;
	g->uniform = same == n;
	g->first_width = row_width(&g->rows[0].row);
	g->widest = 1;
	for (int i = 0; !g->uniform && i < n; i++) {
		int rw = row_width(&g->rows[i].row);
		g->widest = rw > g->widest ? rw : g->widest;
	}
	pack(s, g);
}

/* A uniform batch can also go in as a mixed one when its ids are not the
 * next ones: it needs its widest row then. */
static int widest(const struct call_group *g)
{
	int w = 1;

	if (!g->uniform)
		return g->widest;
	for (int i = 0; i < g->n; i++) {
		int rw = row_width(&g->rows[i].row);
		w = rw > w ? rw : w;
	}
	return w;
}

/* Execute @g's rows (surveyed): one batch, or one by one.  A batch names
 * the columns up to the widest row's last non-NULL one (in a uniform
 * batch: the first row's, the own columns always). */
static int flush_group(struct wt_db *db, const struct call_group *g)
{
	const struct call_split *s = &db->split;
	int n = g->n, p = 0, w;
	sqlite3_stmt *st;

	if (n == CALL_BATCH && g->uniform && next_ids(db, g, n)) {
		w = g->first_width;
		if (!(st = call_stmt(db, w > db->own_end ? w : db->own_end, true)))
			return -1;
		p = bind_set(st, p, &s->shared, &g->rows[0].row);
		if (g->packed) /* what bind_set() of each row's own binds */
			for (int k = 0; k < n * s->own.nint; k++)
				bind_int(st, ++p, g->own[k]);
		else
			for (int i = 0; i < n; i++)
				p = bind_set(st, p, &s->own, &g->rows[i].row);
		db->max_call_id += n;
		return run(db, st);
	}
	if (n == CALL_BATCH) {
		w = widest(g);
		if (!(st = call_stmt(db, w, false)))
			return -1;
		for (int i = 0; i < n; i++, p += w)
			bind_row(db, st, p, &tables[ST_CALL], w, &g->rows[i].row);
		return run(db, st);
	}
	for (int i = 0; i < n; i++)
		if (put_now(db, ST_CALL, &g->rows[i].row) < 0)
			return -1;
	return 0;
}

/* Make the string at @off of @p's row one that lives as long as @p: the
 * same string of @first (the batch's first row) when equal, else a copy
 * in @p's text; false when it does not fit. */
static inline bool stash(struct pending_call *p,
			 const struct pending_call *first, size_t off)
{
	const char **s = (const char **)((char *)&p->row + off);
	size_t n;

	if (!*s)
		return true;
	if (first) {
		const char *f = text_at(&first->row, off);

		if (f && !strcmp(f, *s)) {
			*s = f;
			return true;
		}
	}
	n = strlen(*s) + 1;
	if (n > CALL_TEXT - p->used)
		return false;
	memcpy(p->text + p->used, *s, n);
	*s = p->text + p->used;
	p->used += n;
	return true;
}

/* stash() every string of @set. */
static inline bool stash_set(struct pending_call *p,
			     const struct pending_call *first,
			     const struct colset *set)
{
	for (int k = 0; k < set->ntext; k++)
		if (!stash(p, first, set->texts[k]))
			return false;
	return true;
}

/* @r as @g's next row, its strings stashed; false (not added) when they
 * do not fit. */
static bool group_add(const struct call_split *s, struct call_group *g,
		      const struct wt_call_row *r)
{
	struct pending_call *p = &g->rows[g->n];
	const struct pending_call *first = g->n ? g->rows : NULL;

	p->row = *r;
	p->used = 0;
	if (!stash_set(p, first, &s->shared) || !stash_set(p, NULL, &s->own))
		return false;
	g->n++;
	return true;
}

/* Execute the pending wait_call rows (one thread, or the finish). */
static int flush_calls(struct wt_db *db)
{
	int rc;

	survey(&db->split, db->group);
	rc = flush_group(db, db->group);
	db->group->n = 0;
	return rc;
}

/* The row is buffered (its strings kept) and written in a batch. */
static int put_call_now(struct wt_db *db, const struct wt_call_row *r)
{
	if (!group_add(&db->split, db->group, r)) {
		/* too long to buffer: keep the order, write it now */
		if (flush_calls(db) < 0)
			return -1;
		return put_now(db, ST_CALL, r);
	}
	if (db->group->n == CALL_BATCH)
		return flush_calls(db);
	return 0;
}

/* ---- wait_call batches through the writer -------------------------------- */

/*
 * With the writer, the producer fills the batches (group_add, survey) in
 * a ring of GROUPS and queues each full one by reference (APPLY_GROUP):
 * the writer reads only what it binds.  Where one thread flushes, the
 * producer closes a group, so the same batches go in.  A queued group is
 * the writer's until it counts it in groups_done (release; the producer
 * reads it with acquire before it refills that group).  The producer
 * pushes the writer's batch after every GROUPS_PER_BATCH groups, so no
 * more than WT_DBW_BATCHES * GROUPS_PER_BATCH groups are ever queued: the
 * next group of the ring is always done with (the loop in close_group()
 * only guards that).
 */

/* Queue the producer's current group and open the next. */
static int close_group(struct wt_db *db)
{
	struct call_group *g = &db->ring[db->opened % GROUPS];

	survey(&db->split, g);
	if (wt_dbw_put_ref(db->writer, APPLY_GROUP, g) < 0)
		return -1;
	db->opened++;
	if (db->opened % GROUPS_PER_BATCH == 0 && wt_dbw_push(db->writer) < 0)
		return -1;
	while (atomic_load_explicit(&db->groups_done, memory_order_acquire) +
	       GROUPS <= db->opened)
		if (wt_dbw_push(db->writer) < 0)
			return -1;
	db->ring[db->opened % GROUPS].n = 0;
	return 0;
}

static int queue_call(struct wt_db *db, const struct wt_call_row *r)
{
	struct call_group *g = &db->ring[db->opened % GROUPS];

	if (!group_add(&db->split, g, r)) {
		/* too long to buffer: after the rows before it, copied */
		if (g->n && close_group(db) < 0)
			return -1;
		return wt_dbw_put(db->writer, ST_CALL, r, tables[ST_CALL].size,
				  call_cols, CALL_COLS);
	}
	if (g->n == CALL_BATCH)
		return close_group(db);
	return 0;
}

/* The writer thread's wt_dbw_apply: a row of table @i (wait_call's: one
 * too long to buffer), or a group of wait_call rows. */
static int apply(void *ctx, int i, const void *row)
{
	struct wt_db *db = ctx;
	int rc;

	if (i != APPLY_GROUP)
		return put_now(db, i, row);
	rc = flush_group(db, row);
	atomic_fetch_add_explicit(&db->groups_done, 1, memory_order_release);
	return rc;
}

/* The writer has failed (its message in err) or could not take the row:
 * join it; every later put and the finish fail. */
static int writer_failed(struct wt_db *db)
{
	wt_dbw_stop(db->writer);
	db->writer = NULL;
	if (!db->err[0])
		set_err(db, "out of memory");
	return -1;
}

/* A row of table @i: executed now (one thread), or queued for the writer
 * (wait_call's in a group, the others copied). */
static int put(struct wt_db *db, int i, const void *row)
{
	int rc;

	if (db->discard)
		return 0;
	if (db->failed)
		return -1;
	if (!db->writer)
		rc = i == ST_CALL ? put_call_now(db, row) : put_now(db, i, row);
	else if (i == ST_CALL)
		rc = queue_call(db, row);
	else
		rc = wt_dbw_put(db->writer, i, row, tables[i].size,
				tables[i].cols, tables[i].ncols);
	if (rc < 0) {
		db->failed = true;
		if (db->writer)
			writer_failed(db);
	}
	return rc;
}

int wt_db_put_call(struct wt_db *db, const struct wt_call_row *r)
{
	return put(db, ST_CALL, r);
}

/* The writer applies what is queued and is joined: from here on this
 * thread owns the connection again. */
static int join_writer(struct wt_db *db)
{
	int rc = 0;

	if (db->ring[db->opened % GROUPS].n)
		rc = close_group(db);
	if (rc < 0) {
		writer_failed(db);
		db->failed = true;
		return -1;
	}
	rc = wt_dbw_finish(db->writer);

	db->writer = NULL;
	if (rc < 0)
		db->failed = true;
	return rc;
}

int wt_db_finish_load(struct wt_db *db)
{
	if (db->discard)
		return 0;
	if (db->failed || (db->writer && join_writer(db) < 0))
		return -1;
	if (flush_calls(db) < 0 || exec_schema(db, 1) < 0 ||
	    exec_sql(db, "COMMIT") < 0)
		return -1;
	db->loaded = 1;
	/* Cheap sampled statistics so the reports' joins pick indexes. */
	return exec_sql(db, "PRAGMA analysis_limit=1000; ANALYZE;");
}

const char *wt_db_error(const struct wt_db *db)
{
	return db->err;
}

void wt_db_close(struct wt_db *db)
{
	if (!db)
		return;
	wt_dbw_stop(db->writer); /* interrupted or failed: what is queued goes */
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	for (int i = 0; i <= CALL_COLS; i++) {
		sqlite3_finalize(db->call_batch[i]);
		sqlite3_finalize(db->call_uniform[i]);
	}
	free(db->group);
	free(db->ring);
	if (db->h && !db->loaded && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db->h);
	free(db);
}

/* ---- existing databases -------------------------------------------------- */

static const char sqlite_magic[16] = "SQLite format 3";

int wt_db_probe(const char *path, char *err, size_t errlen)
{
	char head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t n = read(fd, head, sizeof(head));
	close(fd);
	if (n != (ssize_t)sizeof(head) || memcmp(head, sqlite_magic, 16))
		return 0;
	sqlite3 *h = wt_db_open_readonly(path, err, errlen);
	if (!h)
		return -1;
	sqlite3_close(h);
	return 1;
}

static int64_t pragma_int(sqlite3 *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A wtrec database: our application_id, our schema version, and the
 * recording table with the columns the reports use. */
static int check_schema(sqlite3 *h, const char *path, char *err,
			size_t errlen)
{
	int64_t app = pragma_int(h, "PRAGMA application_id");
	int64_t ver = pragma_int(h, "PRAGMA user_version");
	int64_t cols = pragma_int(h, "SELECT count(*) FROM pragma_table_info"
				  "('recording') WHERE name IN ('id', 'path',"
				  " 'start_ns', 'lost_events')");
	if (app == -1 && ver == -1) {
		snprintf(err, errlen, "%s: cannot read database: %s", path,
			 sqlite3_errmsg(h));
		return -1;
	}
	if (app != WT_DB_APP_ID || cols != 4) {
		snprintf(err, errlen, "%s: an SQLite database, but not one "
			 "written by wtrec", path);
		return -1;
	}
	if (ver != WT_DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: wtrec database of schema version "
			 "%lld, this wtrec reads version %d", path,
			 (long long)ver, WT_DB_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

sqlite3 *wt_db_open_readonly(const char *path, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
			 h ? sqlite3_errmsg(h) : "out of memory");
		goto fail;
	}
	if (check_schema(h, path, err, errlen) < 0)
		goto fail;
	/* Belt and braces for --sql: even a statement that slipped past
	 * sqlite3_stmt_readonly() cannot write. */
	sqlite3_exec(h, "PRAGMA query_only=1", NULL, NULL, NULL);
	return h;
fail:
	sqlite3_close(h);
	return NULL;
}
