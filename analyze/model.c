/*
 * model.c - the model's dispatcher: routes each normalized event to the
 * part that owns its state (mdl.h), takes the recording's META and /proc
 * snapshots, and finishes by writing the rows.
 *
 * Snapshots (the recorder's /proc scans at start and stop) give what the
 * trace cannot: the processes born before the recording, their parents,
 * pid namespaces (NSpid, the namespace inode), SIGCHLD dispositions
 * (SigIgn), the exit status of zombies already there (stat field 52) and
 * which tasks still exist at the end.  The start snapshot is read just
 * after tracing starts, so a fork seen in the trace may already be in it
 * (mdl_tasks.c matches the two), and the scan is not atomic: a task read
 * late may show its parent already dead (ppid 1) or itself already 'Z'.
 * Traced events win over snapshot lines.
 *
 * What /proc does not say, and is inferred here: which THREAD of a parent
 * forked a child that predates the recording (taken to be the parent's
 * main thread, counted as a check) and the order of the children lists
 * (taken to be the order of the children's start times: a child
 * reparented before the recording may really sit later in its list).
 *
 * Invariants: every thread belongs to exactly one process instance; each
 * pid/tid maps to its current instance; a thread has at most one open wait
 * call; a process is reaped by at most one call, or released once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl.h"

#define SIGCHLD_BIT (1ull << 16) /* SigIgn bit of signal 17 */

static const char *const meta_names[MK_COUNT] = {
	"host", "kernel", "arch", "backend", "clock", "scope", "command",
	"command_status", "events", "missing_events", "cpus", "start_ns",
	"stop_ns", "wall_realtime_ns", "wall_trace_ns", "scope_pids",
	"wait_memory",
};

int mdl_fail(struct wt_model *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	m->failed = true;
	return -1;
}

int mdl_fail_db(struct wt_model *m)
{
	return mdl_fail(m, "%s", wt_db_error(m->db));
}

int mdl_fail_nomem(struct wt_model *m)
{
	return mdl_fail(m, "out of memory");
}

/* ---- lifecycle ---------------------------------------------------------- */

struct wt_model *wt_model_new(struct wt_db *db, const char *path)
{
	struct wt_model *m = calloc(1, sizeof(*m));
	if (!m || !(m->path = strdup(path ? path : ""))) {
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	m->db = db;
	m->rec_id = wt_db_new_id(db, WT_ID_RECORDING);
	m->start_snap_ns = m->stop_snap_ns = WT_NONE;
	m->first_ts = m->last_ts = WT_NONE;
	if (mdl_ns_init_root(m) < 0) {
		wt_model_free(m);
		errno = ENOMEM;
		return NULL;
	}
	return m;
}

const char *wt_model_error(const struct wt_model *m)
{
	return m->err;
}

void wt_model_free(struct wt_model *m)
{
	if (!m)
		return;
	wt_ptab_free(&m->pt);
	wt_imap_free(&m->newtask);
	for (int i = 0; i < MK_COUNT; i++)
		free(m->meta[i]);
	mdl_wait_free(m);
	mdl_cg_free(m);
	wt_vec32_free(&m->obs_procs);
	wt_vec32_free(&m->obs_threads);
	free(m->cpus);
	free(m->oc);
	free(m->moves);
	free(m->path);
	free(m);
}

static int sink_meta(void *ctx, const char *k, const char *v)
{
	return wt_model_meta(ctx, k, v);
}

static int sink_proc(void *ctx, const struct wt_proc_entry *p)
{
	return wt_model_proc(ctx, p);
}

static int sink_event(void *ctx, const struct wt_event *ev)
{
	return wt_model_event(ctx, ev);
}

static int sink_stats(void *ctx, const struct wt_cpu_stats *s)
{
	return wt_model_stats(ctx, s);
}

static int sink_cgroup(void *ctx, const struct wt_cgroup_entry *e)
{
	return wt_model_cgroup(ctx, e);
}

void wt_model_sink(struct wt_model *m, struct wt_sink *sink)
{
	sink->ctx = m;
	sink->meta = sink_meta;
	sink->proc = sink_proc;
	sink->event = sink_event;
	sink->stats = sink_stats;
	sink->cgroup = sink_cgroup;
}

/* ---- the observer ------------------------------------------------------- */

void wt_model_set_observer(struct wt_model *m,
			   const struct wt_model_observer *obs)
{
	m->obs = obs;
}

void mdl_observe(struct wt_model *m, struct wt_vec32 *v, uint32_t idx)
{
	if (wt_vec32_push(v, idx) < 0)
		mdl_fail_nomem(m);
}

/* The rows of what the event changed, now that all of it is applied. */
static void observe_rows(struct wt_model *m)
{
	const struct wt_model_observer *o = m->obs;

	for (uint32_t i = 0; i < m->obs_procs.len; i++) {
		struct wt_process_row row;

		mdl_proc_row(m, proc_at(m, m->obs_procs.v[i]), &row);
		if (o->process)
			o->process(o->ctx, &row);
	}
	for (uint32_t i = 0; i < m->obs_threads.len; i++) {
		struct wt_thread_row row;

		mdl_thread_row(m, thread_at(m, m->obs_threads.v[i]), &row);
		if (o->thread)
			o->thread(o->ctx, &row);
	}
	m->obs_procs.len = m->obs_threads.len = 0;
}

/* ---- meta --------------------------------------------------------------- */

int wt_model_meta(struct wt_model *m, const char *key, const char *value)
{
	if (m->failed)
		return -1;
	for (int i = 0; i < MK_COUNT; i++) {
		if (strcmp(key, meta_names[i]))
			continue;
		free(m->meta[i]);
		if (!(m->meta[i] = strdup(value ? value : "")))
			return mdl_fail_nomem(m);
	}
	if (wt_db_put_meta(m->db, m->rec_id, key, value) < 0)
		return mdl_fail_db(m);
	return 0;
}

/* Is system:name in the comma list @list? */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *s = list; s && *s;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == n && !memcmp(s, name, n))
			return true;
		s = e ? e + 1 : NULL;
	}
	return false;
}

/* Does the recording trace only some processes (-p / command / cgroup
 * scope)? */
bool mdl_scoped(const struct wt_model *m)
{
	const char *s = m->meta[MK_SCOPE];
	return s && (!strcmp(s, "pid") || !strcmp(s, "command") ||
		     !strcmp(s, "cgroup"));
}

static bool in_scope_pids(const struct wt_model *m, int32_t pid)
{
	const char *s = m->meta[MK_SCOPE_PIDS];
	while (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (end == s)
			break;
		if (v == pid)
			return true;
		s = *end == ',' ? end + 1 : end;
	}
	return false;
}

/* ---- snapshots ---------------------------------------------------------- */

static bool is_dead_state(char s)
{
	return s == 'Z' || s == 'X' || s == 'x';
}

/* Namespace facts of a snapshot line: its namespace, its pid there. */
static void snap_pidns(struct wt_model *m, struct wt_mproc *p,
		       const struct wt_proc_entry *e)
{
	if (e->nspid_n <= 1) {
		p->pidns = 0;
		p->ns_pid = p->pid;
		p->ns_pid_src = NSPID_ROOT;
		return;
	}
	uint32_t ns = mdl_ns_of_inode(m, e->pidns_ino, e->nspid_n - 1);
	if (ns == WT_NOIDX)
		return;
	p->pidns = ns;
	p->ns_pid = e->nspid[e->nspid_n - 1];
	p->ns_pid_src = NSPID_SNAPSHOT;
	free(p->nspid_chain);
	p->nspid_chain = malloc((size_t)e->nspid_n * sizeof(int32_t));
	if (p->nspid_chain) {
		memcpy(p->nspid_chain, e->nspid,
		       (size_t)e->nspid_n * sizeof(int32_t));
		p->nspid_n = (uint8_t)e->nspid_n;
	}
	if (p->ns_pid == 1) {
		p->ns_init = true;
		ns_at(m, ns)->init = p->self;
	}
}

static int snap_leader(struct wt_model *m, struct wt_mproc *p,
		       const struct wt_proc_entry *e)
{
	bool dead = is_dead_state(e->state);

	wt_comm_set(p->comm, e->comm);
	p->ppid = e->ppid;
	p->pgid = e->pgid;
	p->start_ns = (int64_t)e->start_ns;
	p->ignores_sigchld = (e->sig_ign & SIGCHLD_BIT) ? 1 : 0;
	p->start_leader_z = dead;
	if (dead && e->has_exit_code) {
		/* the status its waiter will get (stat field 52) */
		int32_t val;
		int kind = mdl_status_decode(e->exit_code, &val);
		if (kind != ST_NONE) {
			p->status_kind = (uint8_t)kind;
			p->status_val = val;
			p->exit_source = SRC_SNAPSHOT;
		}
	}
	snap_pidns(m, p, e);
	return mdl_cg_snapshot(m, p, e, true);
}

static int snap_start_entry(struct wt_model *m, const struct wt_proc_entry *e)
{
	m->phase = SNAP_START;
	m->start_snap_ns = (int64_t)e->snap_ts;
	uint32_t pi = wt_ptab_find_pid(&m->pt, e->tgid);
	if (pi == WT_NOIDX) {
		if ((pi = mdl_proc_new(m, e->tgid)) == WT_NOIDX)
			return -1;
		struct wt_mproc *p = proc_at(m, pi);
		p->from_snapshot = 1;
		p->threads_known = true;
	}
	struct wt_mproc *p = proc_at(m, pi);
	bool dead = is_dead_state(e->state);
	if (e->tid == e->tgid && snap_leader(m, p, e) < 0)
		return -1;
	if (e->tid != e->tgid && !dead)
		p->start_other_alive = true;
	if (wt_ptab_find_tid(&m->pt, e->tid) != WT_NOIDX)
		return 0; /* duplicate line */
	uint32_t ti = mdl_thread_new(m, pi, e->tid, (int64_t)e->start_ns,
				     e->comm);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	th->from_snapshot = true;
	th->ended = dead;
	if (!dead)
		p->live_threads++;
	return 0;
}

/*
 * Which snapshot processes are in the recording's scope: all of them
 * system-wide; else the scope pids and their descendants (the recorder
 * traces those).  Out-of-scope processes stay in the tables (they are
 * parents and reapers) but the reports leave them out.
 */
static void mark_scope(struct wt_model *m)
{
	bool all = !mdl_scoped(m);
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		if (p->from_snapshot != 1)
			continue;
		p->traced = all;
		/* Walk up; the depth bound guards against a bogus ppid loop. */
		struct wt_mproc *a = p;
		for (int depth = 0; !all && a && depth < 1024; depth++) {
			if (in_scope_pids(m, a->pid)) {
				p->traced = 1;
				break;
			}
			a = proc_at(m, a->parent);
		}
	}
}

/* Children of one parent thread in start order (see the top). */
static int cmp_start(const void *a, const void *b, void *ctx)
{
	struct wt_model *m = ctx;
	const struct wt_mproc *x = proc_at(m, *(const uint32_t *)a);
	const struct wt_mproc *y = proc_at(m, *(const uint32_t *)b);
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->upid < y->upid ? -1 : x->upid > y->upid;
}

/* Snapshot processes: parents, children lists, namespace links. */
static int link_snapshot(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		if (p->from_snapshot != 1 || p->ppid <= 0)
			continue;
		uint32_t par = wt_ptab_find_pid(&m->pt, p->ppid);
		struct wt_mproc *pp = proc_at(m, par);
		if (!pp || !pp->threads.len)
			continue;
		if (mdl_link_child(m, i, pp->threads.v[0]) < 0)
			return -1;
		p->orig_parent = par;
	}
	for (uint32_t t = 0; t < m->pt.nthread; t++) {
		struct wt_mthread *th = thread_at(m, t);
		if (th->children.len > 1)
			qsort_r(th->children.v, th->children.len,
				sizeof(uint32_t), cmp_start, m);
	}
	/* A namespace's parent is the namespace of its init's parent. */
	for (uint32_t n = 1; n < m->pt.nns; n++) {
		struct wt_mns *ns = ns_at(m, n);
		struct wt_mproc *init = proc_at(m, ns->init);
		struct wt_mproc *ip = init ? proc_at(m, init->parent) : NULL;
		if (ns->source == NS_SNAPSHOT && ip && ip->pidns != n)
			ns->parent = ip->pidns;
		else if (ns->source == NS_SNAPSHOT && ns->level == 1)
			ns->parent = 0;
	}
	return 0;
}

/* Each snapshot process's pids in its namespace and those above it
 * (their parents are linked by now). */
static void map_snapshot_nspids(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		uint32_t ns = p->pidns;
		for (int k = p->nspid_n - 1; k >= 1 && ns != 0 &&
		     ns != WT_NOIDX; k--) {
			mdl_ns_learn(m, ns, p->nspid_chain[k], i,
				     NSPID_SNAPSHOT);
			ns = ns_at(m, ns)->parent;
		}
	}
}

/*
 * All start-snapshot lines are in: link parents (a parent may be listed
 * after its child), and settle the zombies that were there already.
 */
static int close_start_snapshot(struct wt_model *m)
{
	if (m->phase == SNAP_EVENTS)
		return 0;
	m->phase = SNAP_EVENTS;
	m->sigchld_recorded =
		listed(m->meta[MK_EVENTS], "signal:signal_generate") &&
		!listed(m->meta[MK_MISSING], "signal:signal_generate");
	if (link_snapshot(m) < 0)
		return -1;
	map_snapshot_nspids(m);
	mark_scope(m);
	/* counted for the processes the recording speaks for */
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i), *pp = proc_at(m, p->parent);
		if (p->from_snapshot == 1 && p->traced && pp &&
		    pp->threads.len > 1)
			m->checks[CHK_SNAPSHOT_THREAD]++;
	}
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		mdl_touch_proc(m, i); /* every one: the observer starts here */
		if (p->from_snapshot != 1)
			continue;
		p->zombie_at_start = p->start_leader_z && !p->start_other_alive;
	}
	return 0;
}

/* Is the stop-snapshot task starting at @start_ns the instance @p? */
static bool same_instance(const struct wt_mproc *p, int64_t start_ns)
{
	/* /proc start times are in clock ticks */
	const int64_t slack = 20 * 1000 * 1000LL;
	if (p->freed_ns != WT_NONE)
		return false;
	if (p->start_ns == WT_NONE)
		return true;
	int64_t d = p->start_ns - start_ns;
	return d <= slack && d >= -slack;
}

static int snap_stop_entry(struct wt_model *m, const struct wt_proc_entry *e)
{
	m->stop_snap_ns = (int64_t)e->snap_ts;
	uint32_t pi = wt_ptab_find_pid(&m->pt, e->tgid);
	struct wt_mproc *p = proc_at(m, pi);
	if (!p || (!p->in_stop && !same_instance(p, (int64_t)e->start_ns))) {
		/* A process whose birth the trace did not show. */
		if ((pi = mdl_proc_new(m, e->tgid)) == WT_NOIDX)
			return -1;
		p = proc_at(m, pi);
		p->from_snapshot = 2;
		p->start_ns = (int64_t)e->start_ns;
		wt_comm_set(p->comm, e->comm);
		struct wt_mproc *par =
			proc_at(m, wt_ptab_find_pid(&m->pt, e->ppid));
		if (par && par->threads.len &&
		    mdl_link_child(m, pi, par->threads.v[0]) < 0)
			return -1;
		p->ppid = e->ppid;
		p->orig_parent = p->parent;
		p->traced = !mdl_scoped(m) || (par && par->traced);
	}
	p->in_stop = true;
	bool dead = is_dead_state(e->state);
	if (e->tid == e->tgid) {
		p->stop_leader_z = dead;
		p->ppid_at_stop = e->ppid;
		if (mdl_cg_snapshot(m, p, e, false) < 0)
			return -1;
		int8_t ign = (e->sig_ign & SIGCHLD_BIT) ? 1 : 0;
		if (p->ignores_sigchld != 1)
			p->ignores_sigchld = ign;
		if (!p->comm[0])
			wt_comm_set(p->comm, e->comm);
		if (p->status_kind == ST_NONE && dead && e->has_exit_code) {
			int32_t val;
			int kind = mdl_status_decode(e->exit_code, &val);
			if (kind != ST_NONE) {
				p->status_kind = (uint8_t)kind;
				p->status_val = val;
				p->exit_source = SRC_SNAPSHOT;
			}
		}
	} else if (!dead) {
		p->stop_other_alive = true;
	}
	return 0;
}

int wt_model_proc(struct wt_model *m, const struct wt_proc_entry *e)
{
	if (m->failed)
		return -1;
	if (e->at_start && m->phase != SNAP_EVENTS) {
		return snap_start_entry(m, e);
	}
	if (close_start_snapshot(m) < 0)
		return -1;
	if (e->at_start)
		return 0; /* a start line after events: ignore, not trusted */
	return snap_stop_entry(m, e);
}

/* ---- event dispatch ----------------------------------------------------- */

/* The accumulator of @cpu, growing the table; NULL for a bogus cpu. */
static struct cpu_acc *cpu_slot(struct wt_model *m, int cpu)
{
	if (cpu < 0 || cpu >= 65536)
		return NULL;
	if ((uint32_t)cpu >= m->ncpu) {
		uint32_t n = (uint32_t)cpu + 1;
		struct cpu_acc *a = realloc(m->cpus, n * sizeof(*a));
		if (!a) {
			mdl_fail_nomem(m);
			return NULL;
		}
		memset(a + m->ncpu, 0, (n - m->ncpu) * sizeof(*a));
		m->cpus = a;
		m->ncpu = n;
	}
	return &m->cpus[cpu];
}

static int on_lost(struct wt_model *m, const struct wt_event *ev)
{
	struct cpu_acc *a = cpu_slot(m, ev->cpu);
	if (a)
		a->lost_markers++;
	return m->failed ? -1 : 0;
}

static int dispatch(struct wt_model *m, const struct wt_event *ev);

int wt_model_event(struct wt_model *m, const struct wt_event *ev)
{
	if (m->failed)
		return -1;
	if (close_start_snapshot(m) < 0)
		return -1;
	int rc = dispatch(m, ev);
	if (m->obs && !m->failed)
		observe_rows(m);
	return m->failed ? -1 : rc;
}

static int dispatch(struct wt_model *m, const struct wt_event *ev)
{
	int64_t ts = (int64_t)ev->ts;
	if (m->first_ts == WT_NONE || ts < m->first_ts)
		m->first_ts = ts;
	if (m->last_ts == WT_NONE || ts > m->last_ts)
		m->last_ts = ts;
	switch (ev->type) {
	case WT_EV_WAIT_ENTER: return mdl_wait_enter(m, ev);
	case WT_EV_WAIT_TARGET: return mdl_wait_target(m, ev);
	case WT_EV_WAIT_EXIT: return mdl_wait_exit(m, ev);
	case WT_EV_FORK: return mdl_on_fork(m, ev);
	case WT_EV_NEWTASK: return mdl_on_newtask(m, ev);
	case WT_EV_EXEC: return mdl_on_exec(m, ev);
	case WT_EV_EXIT: return mdl_on_exit(m, ev);
	case WT_EV_FREE: return mdl_on_free(m, ev);
	case WT_EV_EXIT_CALL: return mdl_on_exit_call(m, ev);
	case WT_EV_SIG_DELIVER: return mdl_on_sig_deliver(m, ev);
	case WT_EV_SIG_GENERATE: return mdl_on_sig_generate(m, ev);
	case WT_EV_DO_EXIT: return mdl_on_do_exit(m, ev);
	case WT_EV_SUBREAPER: return mdl_on_subreaper(m, ev);
	case WT_EV_PIDNS: return mdl_on_pidns(m, ev);
	case WT_EV_PIDNS_FAIL: return mdl_on_pidns_fail(m, ev);
	case WT_EV_FORK_FAIL: return mdl_on_fork_fail(m, ev);
	case WT_EV_CGROUP_MOVE: return mdl_on_cgroup_move(m, ev);
	case WT_EV_LOST: return on_lost(m, ev);
	}
	return 0;
}

int wt_model_stats(struct wt_model *m, const struct wt_cpu_stats *s)
{
	if (m->failed)
		return -1;
	if (close_start_snapshot(m) < 0)
		return -1;
	struct cpu_acc *a = cpu_slot(m, s->cpu);
	if (!a)
		return m->failed ? -1 : 0;
	a->has_stats = true;
	a->st = *s;
	return 0;
}

int wt_model_cgroup(struct wt_model *m, const struct wt_cgroup_entry *e)
{
	if (m->failed)
		return -1;
	if (close_start_snapshot(m) < 0)
		return -1;
	return mdl_cg_limit(m, e);
}

int wt_model_finish(struct wt_model *m, const struct wt_decode_result *res)
{
	if (m->failed || m->finished)
		return -1;
	m->finished = true;
	if (close_start_snapshot(m) < 0)
		return -1;
	for (uint32_t i = 0; i < m->pt.nthread; i++)
		if (thread_at(m, i)->call.sys && mdl_close_unfinished(m, i) < 0)
			return -1;
	if (mdl_wait_settle_all(m) < 0)
		return -1;
	return mdl_flush(m, res);
}
