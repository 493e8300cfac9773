/*
 * wait_runs.c - the wait calls of the HTML report and the timeline,
 * bounded (see wait_runs.h).
 *
 * Workload: the @calls query of html/data.sql, one row per wait call in
 * wait_call.id order - a few dozen for an incident, tens of millions for
 * a WNOHANG poller.  A page or a trace must stay small whatever the
 * count, so the rows are run-length encoded here, streaming, in two
 * passes over the same query:
 *
 *   level 1  consecutive calls of one thread with the same non-NULL
 *            poll_key (empty WNOHANG polls, or polls failing the same way)
 *            become one item: a "run" with a count.  Every other call is
 *            an item of its own ("call").
 *   level 2  pass 1 only counts level-1 items.  If there are more than
 *            the budget, pass 2 merges every K consecutive level-1 items
 *            of a thread into one "group" (K = ceil(items / budget)),
 *            keeping the counts of what it holds by outcome.
 *
 * Each item can carry the full row of its first call as JSON (the HTML
 * details pane shows it).  Only the per-thread state of the item being
 * built is held in memory: a hash table by utid.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "errf.h"
#include "result_format.h"
#include "wait_runs.h"

const char *const wt_run_kind_name[] = { "call", "run", "group" };

/* A wt_run being built, with what it owns. */
struct item {
	bool open;
	struct wt_run r;
	char *key;                      /* poll_key of a run, NULL otherwise */
	struct wt_jb row;               /* its first call's row (if kept) */
};

struct tstate {
	sqlite3_int64 utid;
	bool used;
	struct item cur;                /* level 1, being built */
	struct item grp;                /* level 2, being built */
	long grp_items;
};

/* The query's columns this file reads, found by name. */
struct cols {
	int ncol, utid, id, key, b, e, outcome, errno_name;
};

struct calls {
	struct cols c;
	struct tstate *t;               /* open-addressing table by utid */
	size_t tcap, tused;
	long k;                         /* level-2 grouping, 1 = none */
	bool emit;                      /* pass 2 */
	bool keep_row;
	wt_run_fn fn;
	void *ctx;
	int fn_rc;                      /* first failure of fn */
	struct wt_runs_info info;
};

static int col_index(sqlite3_stmt *st, const char *name)
{
	for (int i = 0; i < sqlite3_column_count(st); i++)
		if (!strcmp(sqlite3_column_name(st, i), name))
			return i;
	return -1;
}

static int find_cols(struct cols *c, sqlite3_stmt *st)
{
	c->ncol = sqlite3_column_count(st);
	c->utid = col_index(st, "utid");
	c->id = col_index(st, "id");
	c->key = col_index(st, "poll_key");
	c->b = col_index(st, "b_rel");
	c->e = col_index(st, "e_rel");
	c->outcome = col_index(st, "outcome");
	c->errno_name = col_index(st, "errno_name");
	return c->utid < 0 || c->id < 0 || c->key < 0 || c->b < 0 ||
	       c->e < 0 || c->outcome < 0 ||
	       c->errno_name < 0 ? -1 : 0;
}

static void item_clear(struct item *it)
{
	free(it->key);
	wt_jb_free(&it->row);
	memset(it, 0, sizeof(*it));
}

/* ---- the per-thread table ------------------------------------------------ */

static size_t slot_of(const struct calls *cs, sqlite3_int64 utid)
{
	size_t h = (size_t)((uint64_t)utid * 0x9e3779b97f4a7c15ull);
	for (size_t i = h & (cs->tcap - 1);; i = (i + 1) & (cs->tcap - 1))
		if (!cs->t[i].used || cs->t[i].utid == utid)
			return i;
}

static int grow(struct calls *cs)
{
	size_t ncap = cs->tcap ? cs->tcap * 2 : 64;
	struct tstate *old = cs->t;
	size_t ocap = cs->tcap;
	if (!(cs->t = calloc(ncap, sizeof(*cs->t)))) {
		cs->t = old;
		return -1;
	}
	cs->tcap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].used)
			cs->t[slot_of(cs, old[i].utid)] = old[i];
	free(old);
	return 0;
}

static struct tstate *thread_state(struct calls *cs, sqlite3_int64 utid)
{
	if ((cs->tused + 1) * 2 > cs->tcap && grow(cs) < 0)
		return NULL;
	struct tstate *ts = &cs->t[slot_of(cs, utid)];
	if (!ts->used) {
		ts->used = true;
		ts->utid = utid;
		cs->tused++;
	}
	return ts;
}

/* ---- items --------------------------------------------------------------- */

static void emit(struct calls *cs, struct item *it)
{
	cs->info.items++;
	if (cs->fn_rc)
		return;
	it->r.row_json = it->row.n ? it->row.p : NULL;
	cs->fn_rc = cs->fn(cs->ctx, &it->r);
}

/* Add @from's counts and extent to @to. */
static void merge(struct wt_run *to, const struct wt_run *from)
{
	to->n += from->n;
	to->last_id = from->last_id;
	to->e = from->e > to->e ? from->e : to->e;
	to->b = from->b < to->b ? from->b : to->b;
	to->nothing += from->nothing;
	to->echild += from->echild;
	to->error += from->error;
	to->reaped += from->reaped;
	to->other += from->other;
}

static void flush_group(struct calls *cs, struct tstate *ts)
{
	if (!ts->grp_items)
		return;
	if (ts->grp_items > 1)
		ts->grp.r.kind = WT_RUN_GROUP;
	emit(cs, &ts->grp);
	item_clear(&ts->grp);
	ts->grp_items = 0;
}

/* The level-1 item of @ts is complete: count it, and (pass 2) emit it or
 * add it to the thread's group. */
static void close_item(struct calls *cs, struct tstate *ts)
{
	struct item *it = &ts->cur;
	if (!it->open)
		return;
	cs->info.items_l1++;
	if (it->r.kind == WT_RUN_RUN) {
		cs->info.runs++;
		cs->info.calls_in_runs += it->r.n;
	}
	if (!cs->emit) {
		item_clear(it);
		return;
	}
	if (cs->k <= 1) {
		emit(cs, it);
		item_clear(it);
		return;
	}
	if (ts->grp_items++ == 0) {
		ts->grp = *it;  /* takes over key and row */
		memset(it, 0, sizeof(*it));
	} else {
		merge(&ts->grp.r, &it->r);
		item_clear(it);
	}
	if (ts->grp_items == cs->k)
		flush_group(cs, ts);
}

static void count_outcome(struct wt_run *it, sqlite3_stmt *st,
			  const struct cols *c)
{
	const char *o = (const char *)sqlite3_column_text(st, c->outcome);
	const char *e = (const char *)sqlite3_column_text(st, c->errno_name);
	if (o && !strcmp(o, "nothing"))
		it->nothing++;
	else if (o && !strcmp(o, "reaped"))
		it->reaped++;
	else if (o && !strcmp(o, "error"))
		it->error++;
	else
		it->other++;
	if (e && !strcmp(e, "ECHILD"))
		it->echild++;
}

static char *dup_text(sqlite3_stmt *st, int i, bool *nomem)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*nomem = true;
	return d;
}

/* One row of the query.  -1 on ENOMEM. */
static int add_row(struct calls *cs, sqlite3_stmt *st)
{
	const struct cols *c = &cs->c;
	struct tstate *ts = thread_state(cs, sqlite3_column_int64(st, c->utid));
	if (!ts)
		return -1;
	const char *key = (const char *)sqlite3_column_text(st, c->key);
	struct item *it = &ts->cur;
	cs->info.rows++;
	struct wt_run *r = &it->r;
	if (it->open && key && it->key && !strcmp(key, it->key)) {
		r->kind = WT_RUN_RUN;
		r->n++;
		r->last_id = sqlite3_column_int64(st, c->id);
		sqlite3_int64 e = sqlite3_column_int64(st, c->e);
		r->e = e > r->e ? e : r->e;
		count_outcome(r, st, c);
		return 0;
	}
	close_item(cs, ts);
	bool nomem = false;
	*it = (struct item){ .open = true };
	*r = (struct wt_run){ .kind = WT_RUN_CALL, .n = 1, .utid = ts->utid };
	r->first_id = r->last_id = sqlite3_column_int64(st, c->id);
	r->b = sqlite3_column_int64(st, c->b);
	r->e = sqlite3_column_int64(st, c->e);
	it->key = dup_text(st, c->key, &nomem);
	count_outcome(r, st, c);
	if (cs->emit && cs->keep_row && (cs->k <= 1 || ts->grp_items == 0)) {
		wt_jb_row(&it->row, st, c->ncol);
		nomem |= it->row.failed;
	}
	return nomem ? -1 : 0;
}

static void free_states(struct calls *cs)
{
	for (size_t i = 0; i < cs->tcap; i++) {
		item_clear(&cs->t[i].cur);
		item_clear(&cs->t[i].grp);
	}
	free(cs->t);
	cs->t = NULL;
	cs->tcap = cs->tused = 0;
}

/* One pass over @st: count (pass 1) or emit (pass 2). */
static int pass(struct calls *cs, sqlite3_stmt *st, char *err, size_t errlen)
{
	int step;
	memset(&cs->info, 0, sizeof(cs->info));
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (add_row(cs, st) < 0) {
			free_states(cs);
			return wt_errf(err, errlen, "wait calls: out of memory");
		}
	for (size_t i = 0; i < cs->tcap; i++)
		if (cs->t[i].used) {
			close_item(cs, &cs->t[i]);
			if (cs->emit)
				flush_group(cs, &cs->t[i]);
		}
	free_states(cs);
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wt_errf(err, errlen, "wait calls: %s",
			       sqlite3_errmsg(sqlite3_db_handle(st)));
	return cs->fn_rc ? -1 : 0;
}

int wt_runs_scan(sqlite3_stmt *st, long max_items, bool keep_row,
		 wt_run_fn fn, void *ctx, struct wt_runs_info *info, char *err,
		 size_t errlen)
{
	struct calls cs = { .k = 1, .keep_row = keep_row, .fn = fn,
			    .ctx = ctx };
	if (find_cols(&cs.c, st) < 0)
		return wt_errf(err, errlen, "the @calls query lacks one of"
			       " utid, id, poll_key, b_rel, e_rel, outcome, "
			       "errno_name");
	if (pass(&cs, st, err, errlen) < 0)
		return -1;
	long l1 = cs.info.items_l1;
	if (max_items > 0 && l1 > max_items)
		cs.k = (l1 + max_items - 1) / max_items;
	cs.emit = true;
	if (pass(&cs, st, err, errlen) < 0)
		return -1; /* fn's message, if it failed, is in err */
	cs.info.group_size = cs.k;
	cs.info.budget = max_items;
	if (info)
		*info = cs.info;
	return 0;
}
