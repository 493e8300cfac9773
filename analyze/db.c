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
 * wait_call rows are the bulk (one per call: tens of millions for a WNOHANG
 * poller) and go in CALL_BATCH at a time through one multi-row INSERT: a
 * statement execution (cursor open, seek to the end of the table, halt)
 * costs about as much as the row itself, so batching removes ~20% of the
 * instructions of the insert path (callgrind, 96k rows of 21 columns).
 * Pending rows are flushed at the end of the load.  A row whose id is one
 * past the largest inserted so far (the common case: one poller's calls
 * return in the order they entered) is inserted with a NULL id, which
 * SQLite turns into that same max(id) + 1 without the uniqueness seek an
 * explicit rowid costs (~875 instructions a row, 13% of the insert).
 * Binding is the next big share (~110 instructions per bound column):
 * when the rows of a batch differ only in id and times, as a poller's do,
 * a second statement takes their 17 common columns once (numbered
 * parameters shared by every row) and only 4 per row.
 *
 * States: created (schema made, transaction open) -> loaded (indexes,
 * committed) -> closed.  Puts are only valid while created.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "db.h"
#include "sql_embed.h"

enum { ST_RECORDING, ST_META, ST_PROCESS, ST_THREAD, ST_CALL, ST_STATS,
       ST_OUTCOME, ST_REPARENT, ST_PIDNS, ST_CHECK, ST_COUNT };

static const char *const stmt_sql[ST_COUNT] = {
	[ST_RECORDING] =
	"INSERT INTO recording (id, path, host, kernel, arch, backend, clock,"
	" start_ns, end_ns, wall_offset_ns, events, lost_events, complete,"
	" damaged, damage, unknown_events, cpus, scope, command,"
	" command_status, enabled_events, missing_events, start_snapshot_ns,"
	" stop_snapshot_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	"?,?,?,?)",
	[ST_META] = "INSERT OR REPLACE INTO meta (recording_id, key, value)"
	" VALUES (?,?,?)",
	[ST_PROCESS] =
	"INSERT INTO process (upid, recording_id, pid, comm, parent_upid, ppid,"
	" original_parent_upid, parent_tid, start_ns, fork_ns, fork_tid,"
	" exec_ns, exit_ns, exit_code, exit_signal, exit_source, waitable_ns,"
	" reaped_ns, reaper_tid, reaper_upid, reap_call_id, released_ns,"
	" release_kind, release_evidence, freed_ns, from_snapshot,"
	" zombie_at_start, zombie_at_stop, in_stop_snapshot, ppid_at_stop,"
	" ignores_sigchld, sigchld_ns, sigchld_code, sigchld_result,"
	" sigchld_target_tid, sigchld_received, traced, wait_calls,"
	" last_wait_ns, pidns_id, ns_pid, ns_pid_source, ns_init, pgid,"
	" subreaper, reparents, ptraced, cgroup, cgroup_pids) VALUES"
	" (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
	"?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_THREAD] =
	"INSERT INTO thread (utid, upid, tid, comm, start_ns, end_ns,"
	" from_snapshot, wnohang_calls, wnohang_empty, wnohang_echild,"
	" wnohang_reaped, wnohang_undriven, wnohang_first_ns,"
	" wnohang_last_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_CALL] =
	"INSERT INTO wait_call (id, recording_id, utid, upid, tid, pid,"
	" syscall, idtype, target, pid_arg, options, options_text, enter_ns,"
	" exit_ns, dur_ns, ret, errno_name, outcome, reaped_upid,"
	" reap_inferred, status, target_upid, target_gpid, target_basis,"
	" reap_basis, replay_upid, child_upid, error_class)"
	" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_STATS] =
	"INSERT OR REPLACE INTO stats (recording_id, cpu, entries, overrun,"
	" commit_overrun, dropped, read_events, missed_in_pages, lost_markers)"
	" VALUES (?,?,?,?,?,?,?,?,?)",
	[ST_OUTCOME] = "INSERT INTO wait_outcome (recording_id, syscall,"
	" idtype, outcome, errno_name, calls, reap_inferred)"
	" VALUES (?,?,?,?,?,?,?)",
	[ST_REPARENT] = "INSERT INTO reparent (recording_id, upid, ts_ns,"
	" from_upid, from_tid, to_upid, to_tid, reason, evidence, zombie,"
	" released) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	[ST_PIDNS] = "INSERT INTO pidns (id, recording_id, inode, level,"
	" parent_id, init_upid, created_ns, teardown_ns, source)"
	" VALUES (?,?,?,?,?,?,?,?,?)",
	[ST_CHECK] = "INSERT INTO model_check (recording_id, name, count,"
	" meaning) VALUES (?,?,?,?)",
};

#define CALL_COLS 28
#define CALL_BATCH 32
#define CALL_TEXT 256 /* bytes of text per buffered row; longer: unbuffered */

/* A wait_call row waiting for its batch, its strings copied into text[]
 * in column order (nulls: bits of @nulls), @used bytes of it. */
struct pending_call {
	struct wt_call_row row;
	size_t used;
	unsigned nulls;
	char text[CALL_TEXT];
};

struct wt_db {
	sqlite3 *h;
	sqlite3_stmt *st[ST_COUNT];
	sqlite3_stmt *call_batch;     /* CALL_BATCH rows per execution */
	sqlite3_stmt *call_uniform;   /* same, common columns bound once */
	struct pending_call *pending; /* CALL_BATCH slots */
	int npending;
	int64_t max_call_id;          /* largest wait_call id inserted */
	int64_t next_id[WT_ID_KINDS];
	int loaded;
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

/* Columns of ST_CALL that differ between a poller's calls: id, enter_ns,
 * exit_ns, dur_ns.  The other CALL_SHARED are "common" (bind_shared()
 * binds them in column order). */
#define CALL_OWN 4
#define CALL_SHARED (CALL_COLS - CALL_OWN)
static bool own_column(int c)
{
	return c == 0 || (c >= 12 && c <= 14);
}

/*
 * ST_CALL's INSERT with CALL_BATCH rows of placeholders; malloc'ed.
 * @uniform: common column k is ?k in every row (bound once, k = 1 ..
 * CALL_SHARED in column order) and row r's own columns are the 4 numbers
 * after CALL_SHARED + CALL_OWN * r, also in column order.
 */
static char *call_batch_sql(bool uniform)
{
	const char *values = strstr(stmt_sql[ST_CALL], "VALUES");
	size_t head = (size_t)(values - stmt_sql[ST_CALL]) + 7;
	size_t row = 2 + 7 * CALL_COLS; /* "(?NNNNN,...)," */
	char *sql = malloc(head + CALL_BATCH * row + 1), *p;

	if (!sql)
		return NULL;
	memcpy(sql, stmt_sql[ST_CALL], head);
	p = sql + head;
	for (int r = 0; r < CALL_BATCH; r++) {
		int shared = 0, own = CALL_SHARED + CALL_OWN * r;

		*p++ = r ? ',' : ' ';
		*p++ = '(';
		for (int c = 0; c < CALL_COLS; c++) {
			if (c)
				*p++ = ',';
			if (!uniform)
				*p++ = '?';
			else
				p += sprintf(p, "?%d", own_column(c) ? ++own
								      : ++shared);
		}
		*p++ = ')';
	}
	*p = '\0';
	return sql;
}

static int prepare_all(struct wt_db *db)
{
	char *batch = call_batch_sql(false), *uniform = call_batch_sql(true);
	int rc = 0;

	for (int i = 0; i < ST_COUNT && rc == 0; i++)
		rc = sqlite3_prepare_v3(db->h, stmt_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT, &db->st[i],
					NULL);
	if (rc == 0 && batch)
		rc = sqlite3_prepare_v3(db->h, batch, -1,
					SQLITE_PREPARE_PERSISTENT,
					&db->call_batch, NULL);
	if (rc == 0 && uniform)
		rc = sqlite3_prepare_v3(db->h, uniform, -1,
					SQLITE_PREPARE_PERSISTENT,
					&db->call_uniform, NULL);
	free(batch);
	free(uniform);
	db->pending = calloc(CALL_BATCH, sizeof(*db->pending));
	if (!batch || !uniform || !db->pending) {
		set_err(db, "out of memory");
		return -1;
	}
	if (rc != SQLITE_OK) {
		set_err(db, "sqlite: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	return 0;
}

struct wt_db *wt_db_create(const char *path, char *err, size_t errlen)
{
	struct wt_db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	for (int k = 0; k < WT_ID_KINDS; k++)
		db->next_id[k] = 1;
	/* SQLite's allocation statistics take a global mutex around every
	 * malloc; nothing here reads them.  Refused (harmlessly) once SQLite
	 * is initialized, e.g. by a second database in the same process. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* One thread uses this connection: no mutexes. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
		    SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		set_err(db, "%s", db->h ? sqlite3_errmsg(db->h) : "no memory");
		goto fail;
	}
	/* No journal and no fsync: the file is new, written under a
	 * temporary name, and renamed only once complete.  16 KiB pages cost
	 * ~4% fewer instructions per appended row than 4 KiB ones. */
	if (exec_sql(db, "PRAGMA page_size=16384;"
		     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
		     "PRAGMA cache_size=-32768; PRAGMA temp_store=FILE;") < 0)
		goto fail;
	if (exec_sql(db, "BEGIN") < 0 || exec_schema(db, 0) < 0 ||
	    prepare_all(db) < 0)
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

/* Binding helpers: columns are bound in order, NULL for WT_DB_NULL. */
struct binder {
	sqlite3_stmt *st;
	int i;
};

static void b_int(struct binder *b, int64_t v)
{
	b->i++;
	if (v == WT_DB_NULL)
		sqlite3_bind_null(b->st, b->i);
	else
		sqlite3_bind_int64(b->st, b->i, v);
}

static void b_text(struct binder *b, const char *s)
{
	b->i++;
	if (!s)
		sqlite3_bind_null(b->st, b->i);
	else
		sqlite3_bind_text(b->st, b->i, s, -1, SQLITE_STATIC);
}

static int run(struct wt_db *db, sqlite3_stmt *st)
{
	/* Every put binds every column: no need to clear the bindings. */
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		set_err(db, "sqlite: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	return 0;
}

int wt_db_put_recording(struct wt_db *db, const struct wt_recording_row *r)
{
	struct binder b = { db->st[ST_RECORDING], 0 };
	b_int(&b, r->id);
	b_text(&b, r->path);
	b_text(&b, r->host);
	b_text(&b, r->kernel);
	b_text(&b, r->arch);
	b_text(&b, r->backend);
	b_text(&b, r->clock);
	b_int(&b, r->start_ns);
	b_int(&b, r->end_ns);
	b_int(&b, r->wall_offset_ns);
	b_int(&b, r->events);
	b_int(&b, r->lost_events);
	b_int(&b, r->complete);
	b_int(&b, r->damaged);
	b_text(&b, r->damage);
	b_int(&b, r->unknown_events);
	b_int(&b, r->cpus);
	b_text(&b, r->scope);
	b_text(&b, r->command);
	b_text(&b, r->command_status);
	b_text(&b, r->enabled_events);
	b_text(&b, r->missing_events);
	b_int(&b, r->start_snapshot_ns);
	b_int(&b, r->stop_snapshot_ns);
	return run(db, b.st);
}

int wt_db_put_meta(struct wt_db *db, int64_t recording_id, const char *key,
		   const char *value)
{
	struct binder b = { db->st[ST_META], 0 };
	b_int(&b, recording_id);
	b_text(&b, key);
	b_text(&b, value);
	return run(db, b.st);
}

int wt_db_put_process(struct wt_db *db, const struct wt_process_row *r)
{
	struct binder b = { db->st[ST_PROCESS], 0 };
	b_int(&b, r->upid);
	b_int(&b, r->recording_id);
	b_int(&b, r->pid);
	b_text(&b, r->comm);
	b_int(&b, r->parent_upid);
	b_int(&b, r->ppid);
	b_int(&b, r->original_parent_upid);
	b_int(&b, r->parent_tid);
	b_int(&b, r->start_ns);
	b_int(&b, r->fork_ns);
	b_int(&b, r->fork_tid);
	b_int(&b, r->exec_ns);
	b_int(&b, r->exit_ns);
	b_int(&b, r->exit_code);
	b_int(&b, r->exit_signal);
	b_text(&b, r->exit_source);
	b_int(&b, r->waitable_ns);
	b_int(&b, r->reaped_ns);
	b_int(&b, r->reaper_tid);
	b_int(&b, r->reaper_upid);
	b_int(&b, r->reap_call_id);
	b_int(&b, r->released_ns);
	b_text(&b, r->release_kind);
	b_text(&b, r->release_evidence);
	b_int(&b, r->freed_ns);
	b_int(&b, r->from_snapshot);
	b_int(&b, r->zombie_at_start);
	b_int(&b, r->zombie_at_stop);
	b_int(&b, r->in_stop_snapshot);
	b_int(&b, r->ppid_at_stop);
	b_int(&b, r->ignores_sigchld);
	b_int(&b, r->sigchld_ns);
	b_int(&b, r->sigchld_code);
	b_int(&b, r->sigchld_result);
	b_int(&b, r->sigchld_target_tid);
	b_int(&b, r->sigchld_received);
	b_int(&b, r->traced);
	b_int(&b, r->wait_calls);
	b_int(&b, r->last_wait_ns);
	b_int(&b, r->pidns_id);
	b_int(&b, r->ns_pid);
	b_text(&b, r->ns_pid_source);
	b_int(&b, r->ns_init);
	b_int(&b, r->pgid);
	b_int(&b, r->subreaper);
	b_int(&b, r->reparents);
	b_int(&b, r->ptraced);
	b_text(&b, r->cgroup);
	b_text(&b, r->cgroup_pids);
	return run(db, b.st);
}

int wt_db_put_reparent(struct wt_db *db, const struct wt_reparent_row *r)
{
	struct binder b = { db->st[ST_REPARENT], 0 };
	b_int(&b, r->recording_id);
	b_int(&b, r->upid);
	b_int(&b, r->ts_ns);
	b_int(&b, r->from_upid);
	b_int(&b, r->from_tid);
	b_int(&b, r->to_upid);
	b_int(&b, r->to_tid);
	b_text(&b, r->reason);
	b_text(&b, r->evidence);
	b_int(&b, r->zombie);
	b_int(&b, r->released);
	return run(db, b.st);
}

int wt_db_put_pidns(struct wt_db *db, const struct wt_pidns_row *r)
{
	struct binder b = { db->st[ST_PIDNS], 0 };
	b_int(&b, r->id);
	b_int(&b, r->recording_id);
	b_int(&b, r->inode);
	b_int(&b, r->level);
	b_int(&b, r->parent_id);
	b_int(&b, r->init_upid);
	b_int(&b, r->created_ns);
	b_int(&b, r->teardown_ns);
	b_text(&b, r->source);
	return run(db, b.st);
}

int wt_db_put_check(struct wt_db *db, const struct wt_check_row *r)
{
	struct binder b = { db->st[ST_CHECK], 0 };
	b_int(&b, r->recording_id);
	b_text(&b, r->name);
	b_int(&b, r->count);
	b_text(&b, r->meaning);
	return run(db, b.st);
}

int wt_db_put_thread(struct wt_db *db, const struct wt_thread_row *r)
{
	struct binder b = { db->st[ST_THREAD], 0 };
	b_int(&b, r->utid);
	b_int(&b, r->upid);
	b_int(&b, r->tid);
	b_text(&b, r->comm);
	b_int(&b, r->start_ns);
	b_int(&b, r->end_ns);
	b_int(&b, r->from_snapshot);
	b_int(&b, r->wnohang_calls);
	b_int(&b, r->wnohang_empty);
	b_int(&b, r->wnohang_echild);
	b_int(&b, r->wnohang_reaped);
	b_int(&b, r->wnohang_undriven);
	b_int(&b, r->wnohang_first_ns);
	b_int(&b, r->wnohang_last_ns);
	return run(db, b.st);
}

int wt_db_put_outcome(struct wt_db *db, const struct wt_outcome_row *r)
{
	struct binder b = { db->st[ST_OUTCOME], 0 };
	b_int(&b, r->recording_id);
	b_text(&b, r->syscall);
	b_text(&b, r->idtype);
	b_text(&b, r->outcome);
	b_text(&b, r->errno_name);
	b_int(&b, r->calls);
	b_int(&b, r->reap_inferred);
	return run(db, b.st);
}

static void bind_call(struct wt_db *db, struct binder *b,
		      const struct wt_call_row *r);
static void bind_shared(struct binder *b, const struct wt_call_row *r);
static void bind_own(struct wt_db *db, struct binder *b,
		     const struct wt_call_row *r);

/* Do @a and @b agree on every common column? */
static bool same_shared(const struct pending_call *a,
			const struct pending_call *b)
{
	const struct wt_call_row *x = &a->row, *y = &b->row;

	return x->recording_id == y->recording_id && x->utid == y->utid &&
	       x->upid == y->upid && x->tid == y->tid && x->pid == y->pid &&
	       x->target == y->target && x->pid_arg == y->pid_arg &&
	       x->options == y->options && x->ret == y->ret &&
	       x->reaped_upid == y->reaped_upid &&
	       x->reap_inferred == y->reap_inferred &&
	       x->status == y->status && x->target_upid == y->target_upid &&
	       x->target_gpid == y->target_gpid &&
	       x->replay_upid == y->replay_upid &&
	       x->child_upid == y->child_upid && a->nulls == b->nulls &&
	       a->used == b->used && !memcmp(a->text, b->text, a->used);
}

/* Execute the pending wait_call rows: one batch, or one by one. */
static int flush_calls(struct wt_db *db)
{
	int n = db->npending, same = 1;
	struct binder b = { db->call_batch, 0 };

	db->npending = 0;
	while (same < n && same_shared(&db->pending[0], &db->pending[same]))
		same++;
	if (n == CALL_BATCH && same == n) {
		b.st = db->call_uniform;
		bind_shared(&b, &db->pending[0].row);
		for (int i = 0; i < n; i++)
			bind_own(db, &b, &db->pending[i].row);
		return run(db, b.st);
	}
	if (n == CALL_BATCH) {
		for (int i = 0; i < n; i++)
			bind_call(db, &b, &db->pending[i].row);
		return run(db, b.st);
	}
	for (int i = 0; i < n; i++) {
		b = (struct binder){ db->st[ST_CALL], 0 };
		bind_call(db, &b, &db->pending[i].row);
		if (run(db, b.st) < 0)
			return -1;
	}
	return 0;
}

/* Copy string @s into @p's text; false when it does not fit. */
static bool stash(const char **s, struct pending_call *p, unsigned bit)
{
	size_t n;

	if (!*s) {
		p->nulls |= bit;
		return true;
	}
	n = strlen(*s) + 1;
	if (n > CALL_TEXT - p->used)
		return false;
	memcpy(p->text + p->used, *s, n);
	*s = p->text + p->used;
	p->used += n;
	return true;
}

/* The row is buffered (its strings copied) and written in a batch. */
int wt_db_put_call(struct wt_db *db, const struct wt_call_row *r)
{
	struct pending_call *p = &db->pending[db->npending];

	p->row = *r;
	p->used = 0;
	p->nulls = 0;
	if (!stash(&p->row.syscall, p, 1) || !stash(&p->row.idtype, p, 2) ||
	    !stash(&p->row.options_text, p, 4) ||
	    !stash(&p->row.errno_name, p, 8) || !stash(&p->row.outcome, p, 16) ||
	    !stash(&p->row.target_basis, p, 32) ||
	    !stash(&p->row.reap_basis, p, 64) ||
	    !stash(&p->row.error_class, p, 128)) {
		/* too long to buffer: keep the order, write it now */
		struct binder b = { db->st[ST_CALL], 0 };

		if (flush_calls(db) < 0)
			return -1;
		bind_call(db, &b, r);
		return run(db, b.st);
	}
	if (++db->npending == CALL_BATCH)
		return flush_calls(db);
	return 0;
}

/* The id, or NULL when SQLite's max(id) + 1 is that id.  Rows must be
 * bound in the order they are inserted. */
static void b_id(struct wt_db *db, struct binder *b, int64_t id)
{
	b_int(b, id == db->max_call_id + 1 ? WT_DB_NULL : id);
	if (id > db->max_call_id)
		db->max_call_id = id;
}

/* The CALL_SHARED common columns, in column order (see own_column). */
static void bind_shared(struct binder *b, const struct wt_call_row *r)
{
	b_int(b, r->recording_id);
	b_int(b, r->utid);
	b_int(b, r->upid);
	b_int(b, r->tid);
	b_int(b, r->pid);
	b_text(b, r->syscall);
	b_text(b, r->idtype);
	b_int(b, r->target);
	b_int(b, r->pid_arg);
	b_int(b, r->options);
	b_text(b, r->options_text);
	b_int(b, r->ret);
	b_text(b, r->errno_name);
	b_text(b, r->outcome);
	b_int(b, r->reaped_upid);
	b_int(b, r->reap_inferred);
	b_int(b, r->status);
	b_int(b, r->target_upid);
	b_int(b, r->target_gpid);
	b_text(b, r->target_basis);
	b_text(b, r->reap_basis);
	b_int(b, r->replay_upid);
	b_int(b, r->child_upid);
	b_text(b, r->error_class);
}

/* The CALL_OWN columns of one row, in column order. */
static void bind_own(struct wt_db *db, struct binder *b,
		     const struct wt_call_row *r)
{
	b_id(db, b, r->id);
	b_int(b, r->enter_ns);
	b_int(b, r->exit_ns);
	b_int(b, r->dur_ns);
}

static void bind_call(struct wt_db *db, struct binder *b,
		      const struct wt_call_row *r)
{
	b_id(db, b, r->id);
	b_int(b, r->recording_id);
	b_int(b, r->utid);
	b_int(b, r->upid);
	b_int(b, r->tid);
	b_int(b, r->pid);
	b_text(b, r->syscall);
	b_text(b, r->idtype);
	b_int(b, r->target);
	b_int(b, r->pid_arg);
	b_int(b, r->options);
	b_text(b, r->options_text);
	b_int(b, r->enter_ns);
	b_int(b, r->exit_ns);
	b_int(b, r->dur_ns);
	b_int(b, r->ret);
	b_text(b, r->errno_name);
	b_text(b, r->outcome);
	b_int(b, r->reaped_upid);
	b_int(b, r->reap_inferred);
	b_int(b, r->status);
	b_int(b, r->target_upid);
	b_int(b, r->target_gpid);
	b_text(b, r->target_basis);
	b_text(b, r->reap_basis);
	b_int(b, r->replay_upid);
	b_int(b, r->child_upid);
	b_text(b, r->error_class);
}

int wt_db_put_stats(struct wt_db *db, const struct wt_stats_row *r)
{
	struct binder b = { db->st[ST_STATS], 0 };
	b_int(&b, r->recording_id);
	b_int(&b, r->cpu);
	b_int(&b, r->entries);
	b_int(&b, r->overrun);
	b_int(&b, r->commit_overrun);
	b_int(&b, r->dropped);
	b_int(&b, r->read_events);
	b_int(&b, r->missed_in_pages);
	b_int(&b, r->lost_markers);
	return run(db, b.st);
}

int wt_db_finish_load(struct wt_db *db)
{
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
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_finalize(db->call_batch);
	sqlite3_finalize(db->call_uniform);
	free(db->pending);
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
