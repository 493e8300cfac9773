/*
 * live_find.c - the looks of the live findings (see live_find.h).
 *
 * Each look is one statement over a view of sql/schema.sql (or table
 * fork_failure), joined with live_seen (what was reported) and, for
 * names, with process.  They run a few times a second: the views they
 * read stay small (victims of failed targeted waits, released children,
 * unreaped ones, threads past the polling threshold) or are reached
 * through the live database's own indexes (live_db.c); failed forks are
 * read past the last one reported.  Failed calls are looked at once
 * each, in order of return, after a grace period: a steal's thief may
 * return after its victim's ECHILD (schema.sql, stolen_v), and a failed
 * call explained by a steal or a double wait is reported as that.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "live_find.h"

/* How long a failed targeted wait waits for the steal that explains it. */
#define ECHILD_GRACE_NS (50 * 1000 * 1000LL)

static const char *const kind_names[WT_LK_COUNT] = {
	[WT_LK_STEAL] = "steal", [WT_LK_DOUBLE_WAIT] = "double_wait",
	[WT_LK_AUTOREAP] = "autoreap", [WT_LK_ECHILD] = "echild",
	[WT_LK_ZOMBIE] = "zombie", [WT_LK_ORPHAN_INIT] = "orphan_init",
	[WT_LK_POLLER] = "poller", [WT_LK_FORK_FAILURE] = "fork_failure",
	[WT_LK_LOST] = "lost",
};

const char *wt_live_kind_name(int kind)
{
	return kind >= 0 && kind < WT_LK_COUNT ? kind_names[kind] : "unknown";
}

#define NOT_SEEN(k, id) \
	" NOT EXISTS (SELECT 1 FROM live_seen WHERE kind = '" k "'" \
	" AND id = " id ")"

/* Each look: its columns are the finding's fields; "key" is the id it is
 * remembered by, "ts_ns" when it became known.  ?1 is now, ?2 a bound
 * explained per look. */
static const char *const looks[WT_LK_COUNT] = {
	[WT_LK_STEAL] =
	"SELECT s.recording_id, s.victim_call_id, s.victim_tid, s.victim_pid,"
	" s.victim_syscall, s.victim_idtype, s.victim_result,"
	" s.victim_enter_ns, s.victim_exit_ns, s.child_upid, s.child_pid,"
	" c.comm AS child_comm, s.thief_call_id, s.thief_tid, s.thief_upid,"
	" s.thief_syscall, s.thief_idtype, s.thief_exit_ns, s.gap_ns,"
	" max(COALESCE(s.victim_exit_ns, 0), COALESCE(s.thief_exit_ns, 0))"
	"   AS ts_ns, s.victim_call_id AS key"
	" FROM stolen_v s LEFT JOIN process c ON c.upid = s.child_upid"
	" WHERE" NOT_SEEN("steal", "s.victim_call_id") " ORDER BY ts_ns",
	[WT_LK_DOUBLE_WAIT] =
	"SELECT d.recording_id, d.call_id, d.tid, d.pid, d.syscall, d.idtype,"
	" d.result, d.enter_ns, d.exit_ns, d.child_upid, d.child_pid,"
	" c.comm AS child_comm, d.first_call_id, d.first_exit_ns,"
	" COALESCE(d.exit_ns, d.enter_ns) AS ts_ns, d.call_id AS key"
	" FROM double_wait_v d LEFT JOIN process c ON c.upid = d.child_upid"
	" WHERE" NOT_SEEN("double_wait", "d.call_id") " ORDER BY ts_ns",
	[WT_LK_AUTOREAP] =
	"SELECT a.recording_id, a.upid, a.pid, a.comm, a.parent_upid,"
	" a.ppid AS parent_pid, par.comm AS parent_comm, a.exit_ns,"
	" a.released_ns, a.release_kind, a.evidence,"
	" COALESCE(a.released_ns, a.exit_ns) AS ts_ns, a.upid AS key"
	" FROM autoreap_v a LEFT JOIN process par ON par.upid = a.parent_upid"
	" WHERE" NOT_SEEN("autoreap", "a.upid") " ORDER BY ts_ns",
	/* ?2: every failed call that returned up to here was looked at */
	[WT_LK_ECHILD] =
	"SELECT w.recording_id, w.id AS call_id, w.tid, w.pid, w.syscall,"
	" w.idtype, w.target, w.enter_ns, w.exit_ns,"
	" w.target_upid AS child_upid, c.pid AS child_pid,"
	" c.comm AS child_comm, c.reap_call_id AS child_reap_call_id,"
	" c.reaper_tid AS child_reaper_tid,"
	" c.release_kind AS child_release_kind, w.exit_ns AS ts_ns,"
	" w.id AS key"
	" FROM wait_call w LEFT JOIN process c ON c.upid = w.target_upid"
	" WHERE w.ret < 0 AND w.exit_ns > ?2 AND w.exit_ns <= ?3"
	"  AND w.error_class = 'lost_child'"
	"  AND w.id NOT IN (SELECT victim_call_id FROM stolen_v)"
	"  AND w.id NOT IN (SELECT call_id FROM double_wait_v)"
	"  AND" NOT_SEEN("echild", "w.id") " ORDER BY w.exit_ns",
	/* every zombie at least ?2 old, with the level last reported */
	[WT_LK_ZOMBIE] =
	"SELECT z.recording_id, z.upid, z.pid, z.comm, z.parent_upid,"
	" z.ppid AS parent_pid, par.comm AS parent_comm,"
	" par.wait_calls AS parent_wait_calls,"
	" par.last_wait_ns AS parent_last_wait_ns, z.exit_ns,"
	" z.zombie_at_start, ?1 - COALESCE(z.exit_ns, r.start_ns) AS age_ns,"
	" ?1 AS ts_ns, z.upid AS key, s.level AS seen_level"
	" FROM zombie_v z JOIN recording r ON r.id = z.recording_id"
	" LEFT JOIN process par ON par.upid = z.parent_upid"
	" LEFT JOIN live_seen s ON s.kind = 'zombie' AND s.id = z.upid"
	" WHERE ?1 - COALESCE(z.exit_ns, r.start_ns) >= ?2"
	" ORDER BY age_ns DESC",
	[WT_LK_ORPHAN_INIT] =
	"SELECT o.*, ?1 AS ts_ns, o.init_upid AS key FROM orphan_init_v o"
	" WHERE" NOT_SEEN("orphan_init", "o.init_upid"),
	[WT_LK_POLLER] =
	"SELECT p.recording_id, p.utid, p.upid, p.tid, p.pid, t.comm,"
	" p.calls, p.empty, p.undriven, p.sigchlds, p.first_ns, p.last_ns,"
	" p.rate_per_s, p.last_ns AS ts_ns, p.utid AS key"
	" FROM polling_v p JOIN thread t ON t.utid = p.utid"
	" WHERE" NOT_SEEN("poller", "p.utid") " ORDER BY ts_ns",
	/* the table's rows as they are; ?2: rowids up to here were reported
	 * (rows are only appended, in the model's order: live_db.c) */
	[WT_LK_FORK_FAILURE] =
	"SELECT f.*, f.rowid AS key"
	" FROM fork_failure f"
	" WHERE f.rowid > ?2 ORDER BY f.rowid",
	[WT_LK_LOST] =
	"SELECT ?1 AS ts_ns, ?2 AS new_events, ?3 AS lost_events, ?4 AS source",
};

/* What a look reported, remembered once its statement is reset. */
struct seen_key {
	int64_t key;
	int level;
};

struct wt_live_find {
	sqlite3 *h;
	struct seen_key *keys;
	size_t nkeys, ckeys;
	sqlite3_stmt *st[WT_LK_COUNT];
	sqlite3_stmt *seen;          /* INSERT OR REPLACE INTO live_seen */
	int64_t zombie_age_ns;
	int64_t echild_done;         /* failed calls up to here looked at */
	int64_t forks_done;          /* fork_failure rowids reported */
	int64_t count[WT_LK_COUNT];
};

static int sql_fail(sqlite3 *h, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "live findings: %s: %s", what, sqlite3_errmsg(h));
	return -1;
}

struct wt_live_find *wt_live_find_new(sqlite3 *h, int64_t zombie_age_ns,
				      char *err, size_t errlen)
{
	struct wt_live_find *lf = calloc(1, sizeof(*lf));

	if (!lf) {
		snprintf(err, errlen, "live findings: out of memory");
		return NULL;
	}
	lf->h = h;
	lf->zombie_age_ns = zombie_age_ns > 0 ? zombie_age_ns : 1;
	lf->echild_done = INT64_MIN;
	if (sqlite3_exec(h, "CREATE TEMP TABLE live_seen (kind TEXT, id INTEGER,"
			 " level INTEGER, PRIMARY KEY (kind, id))", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, "INSERT OR REPLACE INTO live_seen VALUES "
			       "(?, ?, ?)", -1, &lf->seen, NULL) != SQLITE_OK) {
		sql_fail(h, "live_seen", err, errlen);
		goto fail;
	}
	for (int k = 0; k < WT_LK_COUNT; k++)
		if (sqlite3_prepare_v2(h, looks[k], -1, &lf->st[k], NULL) !=
		    SQLITE_OK) {
			sql_fail(h, kind_names[k], err, errlen);
			goto fail;
		}
	return lf;
fail:
	wt_live_find_free(lf);
	return NULL;
}

static int64_t col_int(sqlite3_stmt *st, const char *name)
{
	for (int c = 0; c < sqlite3_column_count(st); c++)
		if (!strcmp(sqlite3_column_name(st, c), name))
			return sqlite3_column_int64(st, c);
	return 0;
}

static bool col_null(sqlite3_stmt *st, const char *name)
{
	for (int c = 0; c < sqlite3_column_count(st); c++)
		if (!strcmp(sqlite3_column_name(st, c), name))
			return sqlite3_column_type(st, c) == SQLITE_NULL;
	return true;
}

/* Remember finding @key of @kind (at @level) as reported. */
static int remember(struct wt_live_find *lf, int kind, int64_t key,
		    int level)
{
	sqlite3_bind_text(lf->seen, 1, kind_names[kind], -1, SQLITE_STATIC);
	sqlite3_bind_int64(lf->seen, 2, key);
	sqlite3_bind_int(lf->seen, 3, level);
	int rc = sqlite3_step(lf->seen);
	sqlite3_reset(lf->seen);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The zombie level of @age: 0 from one zombie age, 1 from twice... */
static int zombie_level(const struct wt_live_find *lf, int64_t age)
{
	int level = 0;

	for (int64_t a = lf->zombie_age_ns * 2; a <= age && level < 60; a *= 2)
		level++;
	return level;
}

static void emit_row(struct wt_live_find *lf, int kind, sqlite3_stmt *st,
		     wt_finding_fn emit, void *ctx)
{
	struct wt_finding f = { kind, col_int(st, "ts_ns"), st };

	lf->count[kind]++;
	emit(ctx, &f);
}

static int note_key(struct wt_live_find *lf, int64_t key, int level)
{
	if (lf->nkeys == lf->ckeys) {
		size_t cap = lf->ckeys ? lf->ckeys * 2 : 64;
		struct seen_key *k = realloc(lf->keys, cap * sizeof(*k));

		if (!k)
			return -1;
		lf->keys = k;
		lf->ckeys = cap;
	}
	lf->keys[lf->nkeys++] = (struct seen_key){ key, level };
	return 0;
}

/* Rows of look @kind, already bound, each new one reported; live_seen is
 * written after the look (it is read by it). */
static int run_look(struct wt_live_find *lf, int kind, wt_finding_fn emit,
		    void *ctx, char *err, size_t errlen)
{
	sqlite3_stmt *st = lf->st[kind];
	int rc, bad = 0;

	lf->nkeys = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int level = 0;

		if (kind == WT_LK_ZOMBIE) {
			level = zombie_level(lf, col_int(st, "age_ns"));
			if (!col_null(st, "seen_level") &&
			    col_int(st, "seen_level") >= level)
				continue;
		}
		emit_row(lf, kind, st, emit, ctx);
		bad |= note_key(lf, col_int(st, "key"), level);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sql_fail(lf->h, kind_names[kind], err, errlen);
	for (size_t i = 0; i < lf->nkeys && !bad; i++)
		bad |= remember(lf, kind, lf->keys[i].key, lf->keys[i].level);
	if (bad) {
		snprintf(err, errlen, "live findings: cannot remember a %s",
			 kind_names[kind]);
		return -1;
	}
	return 0;
}

int wt_live_find_look(struct wt_live_find *lf, int64_t now_ns, bool final,
		      wt_finding_fn emit, void *ctx, char *err, size_t errlen)
{
	int64_t echild_upto = final ? INT64_MAX : now_ns - ECHILD_GRACE_NS;

	for (int k = 0; k < WT_LK_COUNT; k++) {
		sqlite3_stmt *st = lf->st[k];

		if (k == WT_LK_LOST)
			continue;
		sqlite3_clear_bindings(st);
		sqlite3_bind_int64(st, 1, now_ns);
		if (k == WT_LK_ZOMBIE)
			sqlite3_bind_int64(st, 2, lf->zombie_age_ns);
		if (k == WT_LK_ECHILD) {
			sqlite3_bind_int64(st, 2, lf->echild_done);
			sqlite3_bind_int64(st, 3, echild_upto);
		}
		if (k == WT_LK_FORK_FAILURE)
			sqlite3_bind_int64(st, 2, lf->forks_done);
		if (run_look(lf, k, emit, ctx, err, errlen) < 0)
			return -1;
		/* the keys of this look, in rowid order: the last is the most */
		if (k == WT_LK_FORK_FAILURE && lf->nkeys)
			lf->forks_done = lf->keys[lf->nkeys - 1].key;
	}
	if (echild_upto > lf->echild_done)
		lf->echild_done = echild_upto;
	return 0;
}

int wt_live_find_lost(struct wt_live_find *lf, int64_t now_ns,
		      int64_t new_events, int64_t total, const char *source,
		      wt_finding_fn emit, void *ctx, char *err, size_t errlen)
{
	sqlite3_stmt *st = lf->st[WT_LK_LOST];
	int rc;

	sqlite3_bind_int64(st, 1, now_ns);
	sqlite3_bind_int64(st, 2, new_events);
	sqlite3_bind_int64(st, 3, total);
	sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		emit_row(lf, WT_LK_LOST, st, emit, ctx);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : sql_fail(lf->h, "lost", err, errlen);
}

int64_t wt_live_find_count(const struct wt_live_find *lf, int kind)
{
	return kind >= 0 && kind < WT_LK_COUNT ? lf->count[kind] : 0;
}

void wt_live_find_free(struct wt_live_find *lf)
{
	if (!lf)
		return;
	for (int k = 0; k < WT_LK_COUNT; k++)
		sqlite3_finalize(lf->st[k]);
	sqlite3_finalize(lf->seen);
	free(lf->keys);
	free(lf);
}
