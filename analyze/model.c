/*
 * model.c - from normalized events to the rows of the wtrec model.
 *
 * The kernel facts this state machine relies on (Linux 6.x):
 *  - task_newtask fires in copy_process(), just before sched_process_fork
 *    of the same child: it carries the clone flags (CLONE_THREAD = thread,
 *    CLONE_PARENT = the caller's parent becomes the parent).
 *  - sched_process_exit fires in do_exit() before exit_notify(); group_dead
 *    marks the last thread: from then on the process is a zombie (or is
 *    released at once when its parent ignores SIGCHLD / has SA_NOCLDWAIT).
 *  - No tracepoint carries the exit status: exit_group()/exit() arguments
 *    and fatal default-action signal deliveries stand in for it, first
 *    group-terminating event wins (after exit_group, sibling threads see a
 *    SIGKILL delivery).  The kprobe backend's do_exit code is exact.
 *  - complete_signal() turns a fatal signal that does not dump core into
 *    SIGKILL for every thread of the group, so signal_deliver shows SIGKILL
 *    whether the process got SIGKILL or SIGTERM (process_status says so).
 *  - waitid's tracepoint does not say which child it returned; the kernel
 *    returns the first eligible child in its children list, i.e. the
 *    earliest started one: that is what is inferred (reap_inferred = 1).
 *  - The start snapshot is read just after tracing starts, so a fork seen
 *    in the trace may already be in the snapshot (same instance when the
 *    snapshot start time is within SAME_TASK_NS of the fork).  The /proc
 *    scan is not atomic either: a task read late may show its parent
 *    already dead (ppid 1) or itself already 'Z'.  Traced events win over
 *    snapshot lines.
 *
 * Wait calls and reaps are in model_wait.c; the state both share is in
 * model_impl.h.
 *
 * Invariants: every thread belongs to exactly one process instance; each
 * pid/tid maps to its current instance; a thread has at most one open wait
 * call; a process is reaped by at most one call (a later return of the same
 * instance, as with a ptrace tracer first, moves the reap to the later call).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_impl.h"

#define CLONE_PARENT_FL 0x00008000u
#define CLONE_THREAD_FL 0x00010000u

/* /proc start times are in clock ticks and the snapshot races with forks
 * traced just before it: within this window a fork and a snapshot task of
 * the same pid are the same instance. */
#define SAME_TASK_NS (20 * 1000 * 1000LL)

static const char *const meta_names[MK_COUNT] = {
	"host", "kernel", "arch", "backend", "clock", "scope", "command",
	"command_status", "events", "missing_events", "cpus", "start_ns",
	"stop_ns", "wall_realtime_ns", "wall_trace_ns", "scope_pids",
};

int wt_mdl_fail(struct wt_model *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	m->failed = true;
	return -1;
}

int wt_mdl_fail_db(struct wt_model *m)
{
	return wt_mdl_fail(m, "%s", wt_db_error(m->db));
}

int wt_mdl_fail_nomem(struct wt_model *m)
{
	return wt_mdl_fail(m, "out of memory");
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
	free(m->cpus);
	free(m->oc);
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

void wt_model_sink(struct wt_model *m, struct wt_sink *sink)
{
	sink->ctx = m;
	sink->meta = sink_meta;
	sink->proc = sink_proc;
	sink->event = sink_event;
	sink->stats = sink_stats;
}

/* ---- small helpers ------------------------------------------------------ */

static int64_t parse_i64(const char *s)
{
	if (!s || !*s)
		return WT_NONE;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return WT_NONE;
	return v;
}

static bool is_dead_state(char s)
{
	return s == 'Z' || s == 'X' || s == 'x';
}

static void comm_from_path(char dst[16], const char *filename)
{
	const char *base = filename ? strrchr(filename, '/') : NULL;
	wt_comm_set(dst, base ? base + 1 : filename);
}

/* A new process instance of @pid, current from now on. */
uint32_t wt_mdl_new_proc(struct wt_model *m, int32_t pid)
{
	uint32_t idx = wt_ptab_new_proc(&m->pt, pid,
					wt_db_new_id(m->db, WT_ID_PROCESS));
	if (idx == WT_NOIDX)
		wt_mdl_fail_nomem(m);
	else /* a task the trace shows is in scope; snapshots decide theirs */
		proc_at(m, idx)->traced = 1;
	return idx;
}

static uint32_t new_thread(struct wt_model *m, uint32_t proc, int32_t tid,
			   int64_t start_ns, const char *comm)
{
	uint32_t idx = wt_ptab_new_thread(&m->pt, proc, tid,
					  wt_db_new_id(m->db, WT_ID_THREAD));
	if (idx == WT_NOIDX) {
		wt_mdl_fail_nomem(m);
		return idx;
	}
	struct wt_mthread *th = thread_at(m, idx);
	th->start_ns = start_ns;
	wt_comm_set(th->comm, comm);
	return idx;
}

void wt_mdl_set_parent(struct wt_model *m, struct wt_mproc *p, uint32_t par)
{
	struct wt_mproc *pp = proc_at(m, par);
	p->parent = par;
	p->parent_upid = pp ? pp->upid : WT_NONE;
	if (pp)
		p->ppid = pp->pid;
}

/*
 * The current thread of @tid; one is created (with a process of pid = tid)
 * when the tid was never seen: a task born before the recording that the
 * start snapshot missed, or whose fork was lost.
 */
uint32_t wt_mdl_thread_of(struct wt_model *m, int32_t tid, const char *comm)
{
	uint32_t ti = wt_ptab_find_tid(&m->pt, tid);
	if (ti != WT_NOIDX) {
		/* It ran while traced: in scope, whatever the snapshot said. */
		proc_at(m, thread_at(m, ti)->proc)->traced = 1;
		return ti;
	}
	uint32_t pi = wt_ptab_find_pid(&m->pt, tid);
	if (pi == WT_NOIDX && (pi = wt_mdl_new_proc(m, tid)) == WT_NOIDX)
		return WT_NOIDX;
	struct wt_mproc *p = proc_at(m, pi);
	if (comm && !p->comm[0])
		wt_comm_set(p->comm, comm);
	return new_thread(m, pi, tid, WT_NONE, comm ? comm : p->comm);
}

static struct wt_mproc *proc_of_thread(struct wt_model *m, uint32_t ti)
{
	return proc_at(m, thread_at(m, ti)->proc);
}

/* ---- meta and snapshots ------------------------------------------------- */

int wt_model_meta(struct wt_model *m, const char *key, const char *value)
{
	if (m->failed)
		return -1;
	for (int i = 0; i < MK_COUNT; i++) {
		if (strcmp(key, meta_names[i]))
			continue;
		free(m->meta[i]);
		if (!(m->meta[i] = strdup(value ? value : "")))
			return wt_mdl_fail_nomem(m);
	}
	if (wt_db_put_meta(m->db, m->rec_id, key, value) < 0)
		return wt_mdl_fail_db(m);
	return 0;
}

static int snap_start_entry(struct wt_model *m, const struct wt_proc_entry *e)
{
	m->phase = SNAP_START;
	m->start_snap_ns = (int64_t)e->snap_ts;
	uint32_t pi = wt_ptab_find_pid(&m->pt, e->tgid);
	if (pi == WT_NOIDX) {
		if ((pi = wt_mdl_new_proc(m, e->tgid)) == WT_NOIDX)
			return -1;
		struct wt_mproc *p = proc_at(m, pi);
		p->from_snapshot = 1;
		p->threads_known = true;
	}
	struct wt_mproc *p = proc_at(m, pi);
	bool dead = is_dead_state(e->state);
	if (e->tid == e->tgid) {
		wt_comm_set(p->comm, e->comm);
		p->ppid = e->ppid;
		p->start_ns = (int64_t)e->start_ns;
		p->ignores_sigchld = (e->sig_ign >> (SIGCHLD_NR - 1)) & 1;
		p->start_leader_z = dead;
	} else if (!dead) {
		p->start_other_alive = true;
	}
	if (wt_ptab_find_tid(&m->pt, e->tid) != WT_NOIDX)
		return 0; /* duplicate line */
	uint32_t ti = new_thread(m, pi, e->tid, (int64_t)e->start_ns, e->comm);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	th->from_snapshot = true;
	th->ended = dead;
	if (!dead)
		p->live_threads++;
	return 0;
}

/* Does the recording trace only some processes (-p / command scope)? */
static bool scoped(const struct wt_model *m)
{
	const char *s = m->meta[MK_SCOPE];
	return s && (!strcmp(s, "pid") || !strcmp(s, "command"));
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

/*
 * Which snapshot processes are in the recording's scope: all of them
 * system-wide; else the scope pids and their descendants (the recorder
 * traces those).  Out-of-scope processes stay in the tables (they are
 * parents and reapers) but the reports leave them out.
 */
static void mark_scope(struct wt_model *m)
{
	bool all = !scoped(m);
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

/*
 * All start-snapshot lines are in: link parents (a parent may be listed
 * after its child) and list zombies-at-start with their parents, where a
 * P_ALL waitid may find them.
 */
static int close_start_snapshot(struct wt_model *m)
{
	if (m->phase == SNAP_EVENTS)
		return 0;
	m->phase = SNAP_EVENTS;
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		if (p->from_snapshot == 1 && p->ppid > 0)
			wt_mdl_set_parent(m, p,
					  wt_ptab_find_pid(&m->pt, p->ppid));
	}
	mark_scope(m);
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		if (p->from_snapshot != 1)
			continue;
		p->zombie_at_start = p->start_leader_z && !p->start_other_alive;
		struct wt_mproc *par = proc_at(m, p->parent);
		if (p->zombie_at_start && par &&
		    wt_zlist_add(&m->pt, par, i) < 0)
			return wt_mdl_fail_nomem(m);
	}
	return 0;
}

/* Is the stop-snapshot task starting at @start_ns the instance @p? */
static bool same_instance(const struct wt_mproc *p, int64_t start_ns)
{
	if (p->freed_ns != WT_NONE)
		return false;
	if (p->start_ns == WT_NONE)
		return true;
	int64_t d = p->start_ns - start_ns;
	return d <= SAME_TASK_NS && d >= -SAME_TASK_NS;
}

static int snap_stop_entry(struct wt_model *m, const struct wt_proc_entry *e)
{
	m->stop_snap_ns = (int64_t)e->snap_ts;
	uint32_t pi = wt_ptab_find_pid(&m->pt, e->tgid);
	struct wt_mproc *p = proc_at(m, pi);
	if (!p || (!p->in_stop && !same_instance(p, (int64_t)e->start_ns))) {
		/* A process whose birth the trace did not show. */
		if ((pi = wt_mdl_new_proc(m, e->tgid)) == WT_NOIDX)
			return -1;
		p = proc_at(m, pi);
		p->from_snapshot = 2;
		p->start_ns = (int64_t)e->start_ns;
		wt_comm_set(p->comm, e->comm);
		p->ppid = e->ppid;
		if (e->ppid > 0)
			wt_mdl_set_parent(m, p,
					  wt_ptab_find_pid(&m->pt, e->ppid));
		p->ppid = e->ppid;
		struct wt_mproc *par = proc_at(m, p->parent);
		p->traced = !scoped(m) || (par && par->traced);
	}
	p->in_stop = true;
	bool dead = is_dead_state(e->state);
	if (e->tid == e->tgid) {
		p->stop_leader_z = dead;
		p->ppid_at_stop = e->ppid;
		int8_t ign = (e->sig_ign >> (SIGCHLD_NR - 1)) & 1;
		if (p->ignores_sigchld != 1)
			p->ignores_sigchld = ign;
		if (!p->comm[0])
			wt_comm_set(p->comm, e->comm);
	} else if (!dead) {
		p->stop_other_alive = true;
	}
	return 0;
}

int wt_model_proc(struct wt_model *m, const struct wt_proc_entry *e)
{
	if (m->failed)
		return -1;
	if (e->at_start && m->phase != SNAP_EVENTS)
		return snap_start_entry(m, e);
	if (close_start_snapshot(m) < 0)
		return -1;
	if (e->at_start)
		return 0; /* a start line after events: ignore, not trusted */
	return snap_stop_entry(m, e);
}

/* ---- process life: fork, exec, exit, free ------------------------------- */

static int on_newtask(struct wt_model *m, const struct wt_event *ev)
{
	if (wt_imap_put(&m->newtask, ev->newtask.child_tid,
			ev->newtask.clone_flags) < 0)
		return wt_mdl_fail_nomem(m);
	return 0;
}

static int fork_thread(struct wt_model *m, uint32_t ppi,
		       const struct wt_event *ev)
{
	int32_t tid = ev->fork.child_tid;
	struct wt_mthread *old = thread_at(m, wt_ptab_find_tid(&m->pt, tid));
	if (old && old->from_snapshot && old->proc == ppi &&
	    old->start_ns != WT_NONE &&
	    old->start_ns >= (int64_t)ev->ts - SAME_TASK_NS)
		return 0; /* already known from the snapshot */
	if (new_thread(m, ppi, tid, (int64_t)ev->ts, ev->str) == WT_NOIDX)
		return -1;
	proc_at(m, ppi)->live_threads++;
	return 0;
}

/* The parent a fork by process @ppi gives (CLONE_PARENT: its parent). */
static void fork_parent(struct wt_model *m, struct wt_mproc *c, uint32_t ppi,
			uint64_t flags)
{
	struct wt_mproc *pp = proc_at(m, ppi);
	if (flags & CLONE_PARENT_FL) {
		wt_mdl_set_parent(m, c, pp->parent);
		c->ppid = pp->ppid;
	} else {
		wt_mdl_set_parent(m, c, ppi);
	}
}

static int fork_process(struct wt_model *m, uint32_t pti, uint64_t flags,
			const struct wt_event *ev)
{
	int32_t pid = ev->fork.child_tid;
	uint32_t ppi = thread_at(m, pti)->proc;
	uint32_t oi = wt_ptab_find_pid(&m->pt, pid);
	struct wt_mproc *old = proc_at(m, oi);
	if (old && old->from_snapshot == 1 && old->fork_ns == WT_NONE &&
	    old->start_ns != WT_NONE &&
	    old->start_ns >= (int64_t)ev->ts - SAME_TASK_NS) {
		/* The /proc scan is not atomic: it may read this task after
		 * its parent died (ppid 1) or after it died itself ('Z').
		 * The traced fork is the truth. */
		old->fork_ns = (int64_t)ev->ts;
		old->fork_tid = ev->fork.parent_tid;
		old->zombie_at_start = false;
		old->traced = 1;
		fork_parent(m, old, ppi, flags);
		return 0;
	}
	uint32_t ci = wt_mdl_new_proc(m, pid);
	if (ci == WT_NOIDX)
		return -1;
	struct wt_mproc *c = proc_at(m, ci);
	struct wt_mproc *pp = proc_at(m, ppi);
	if (old && old->freed_ns == WT_NONE &&
	    (old->exit_ns != WT_NONE || old->reap_call_id != WT_NONE))
		c->pid_prev = oi;
	fork_parent(m, c, ppi, flags);
	c->start_ns = c->fork_ns = (int64_t)ev->ts;
	c->fork_tid = ev->fork.parent_tid;
	c->threads_known = true;
	c->live_threads = 1;
	wt_comm_set(c->comm, ev->str ? ev->str : pp->comm);
	if (new_thread(m, ci, pid, (int64_t)ev->ts, c->comm) == WT_NOIDX)
		return -1;
	return 0;
}

static int on_fork(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t pti = wt_mdl_thread_of(m, ev->fork.parent_tid, NULL);
	if (pti == WT_NOIDX)
		return -1;
	uint64_t flags = 0;
	/* Without task_newtask (not recorded, or lost), assume a process. */
	wt_imap_del(&m->newtask, ev->fork.child_tid, &flags);
	if (flags & CLONE_THREAD_FL)
		return fork_thread(m, thread_at(m, pti)->proc, ev);
	return fork_process(m, pti, flags, ev);
}

static int on_exec(struct wt_model *m, const struct wt_event *ev)
{
	int32_t old = ev->exec.old_tid;
	bool moved = old > 0 && old != ev->tid;
	uint32_t ti = moved ? wt_ptab_find_tid(&m->pt, old) : WT_NOIDX;
	if (ti == WT_NOIDX)
		ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *p = proc_at(m, th->proc);
	p->exec_ns = (int64_t)ev->ts;
	comm_from_path(p->comm, ev->str);
	memcpy(th->comm, p->comm, sizeof(th->comm));
	/* A non-leader exec: de_thread() killed the old leader (its exit was
	 * traced) and this thread now has the leader's tid. */
	if (moved && wt_ptab_rekey_thread(&m->pt, ti, ev->tid) < 0)
		return wt_mdl_fail_nomem(m);
	return 0;
}

/* Only these default actions do not terminate: ignore (CHLD, CONT, URG,
 * WINCH) and stop (STOP, TSTP, TTIN, TTOU). */
static bool sig_is_fatal(int sig)
{
	switch (sig) {
	case 17: case 18: case 19: case 20: case 21: case 22: case 23: case 28:
		return false;
	default:
		return sig > 0 && sig <= 64;
	}
}

static void set_pending(struct wt_mproc *p, int kind, int32_t val,
			int strength, int source)
{
	if (strength <= p->pend_strength)
		return;
	p->pend_kind = kind;
	p->pend_val = val;
	p->pend_strength = strength;
	p->pend_source = source;
}

/* A full wait status word -> kind/value of the exit (or none for a
 * stop/continue report). */
int wt_mdl_status_decode(int32_t st, int32_t *val)
{
	if ((st & 0x7f) == 0) {
		*val = (st >> 8) & 0xff;
		return ST_CODE;
	}
	if ((st & 0xff) == 0x7f || st == 0xffff)
		return ST_NONE; /* stopped / continued */
	*val = st & 0x7f;
	return ST_SIGNAL;
}

static void finalize_status(struct wt_mproc *p)
{
	int32_t val = 0;
	int kind = ST_NONE;
	if (p->has_do_exit)
		kind = wt_mdl_status_decode(p->do_exit_code, &val);
	if (kind != ST_NONE) {
		p->status_kind = kind;
		p->status_val = val;
		p->exit_source = SRC_DO_EXIT;
		return;
	}
	if (p->pend_kind != ST_NONE) {
		p->status_kind = p->pend_kind;
		p->status_val = p->pend_val;
		p->exit_source = p->pend_source;
	}
}

static int process_exited(struct wt_model *m, uint32_t pi, int64_t ts)
{
	struct wt_mproc *p = proc_at(m, pi);
	if (p->exit_ns != WT_NONE)
		return 0;
	p->exit_ns = ts;
	p->zombie_at_start = false; /* it exited during the recording */
	finalize_status(p);
	struct wt_mproc *par = proc_at(m, p->parent);
	if (par && par->exit_ns == WT_NONE && !p->in_zlist &&
	    wt_zlist_add(&m->pt, par, pi) < 0)
		return wt_mdl_fail_nomem(m);
	return 0;
}

static int on_exit_ev(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, ev->str);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *p = proc_at(m, th->proc);
	if (!th->ended && p->live_threads > 0)
		p->live_threads--;
	th->ended = true;
	th->end_ns = (int64_t)ev->ts;
	if (ev->exit.group_dead)
		m->saw_group_dead = true;
	/* Kernels without group_dead in the tracepoint: count threads. */
	bool dead = ev->exit.group_dead ||
		    (!m->saw_group_dead && p->threads_known &&
		     p->live_threads == 0);
	return dead ? process_exited(m, th->proc, (int64_t)ev->ts) : 0;
}

static int on_exit_call(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mproc *p = proc_of_thread(m, ti);
	int32_t code = ev->exit_call.code & 0xff;
	if (ev->exit_call.group)
		set_pending(p, ST_CODE, code, STR_GROUP, SRC_EXIT_GROUP);
	else if (ev->tid == p->pid)
		set_pending(p, ST_CODE, code, STR_THREAD_EXIT, SRC_EXIT);
	return 0;
}

static int on_sig_deliver(struct wt_model *m, const struct wt_event *ev)
{
	if (!sig_is_fatal(ev->sig_deliver.sig))
		return 0;
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mproc *p = proc_of_thread(m, ti);
	int sig = ev->sig_deliver.sig, src = SRC_SIGNAL;
	if (sig == 9 && p->last_fatal_gen > 0) {
		sig = p->last_fatal_gen;
		src = SRC_SIGNAL_SENT;
	}
	set_pending(p, ST_SIGNAL, sig, STR_GROUP, src);
	return 0;
}

/*
 * A default-fatal signal sent to a task (the recorder keeps those next to
 * SIGCHLD).  TRACE_SIGNAL_DELIVERED (0) and ALREADY_PENDING (2) mean it is
 * queued; the latest one before the death wins, so a SIGTERM that a
 * handler caught and a SIGKILL after it gives SIGKILL.
 */
static int on_fatal_generate(struct wt_model *m, const struct wt_event *ev)
{
	int res = ev->sig_generate.result;
	if (res != 0 && res != 2)
		return 0;
	uint32_t ti = wt_ptab_find_tid(&m->pt, ev->sig_generate.target_pid);
	if (ti == WT_NOIDX)
		return 0;
	struct wt_mproc *p = proc_of_thread(m, ti);
	if (p->exit_ns == WT_NONE)
		p->last_fatal_gen = (int8_t)ev->sig_generate.sig;
	return 0;
}

static int on_do_exit(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	/* The thread that kills the group (group_dead) runs do_exit last;
	 * its code is the group's status. */
	struct wt_mproc *p = proc_of_thread(m, ti);
	p->has_do_exit = true;
	p->do_exit_code = ev->do_exit.code;
	return 0;
}

/*
 * SIGCHLD for an exit: sent by exit_notify() in the context of the exiting
 * task (or of the last thread, for a leader that exited first), to the
 * parent (target_pid).  Notifications of reparented zombies or to a ptrace
 * tracer carry another target and are not the exit's evidence.
 */
static int on_sig_generate(struct wt_model *m, const struct wt_event *ev)
{
	int code = ev->sig_generate.code;
	if (ev->sig_generate.sig != SIGCHLD_NR && sig_is_fatal(ev->sig_generate.sig))
		return on_fatal_generate(m, ev);
	if (ev->sig_generate.sig != SIGCHLD_NR || code < CLD_EXITED_CODE ||
	    code > CLD_DUMPED_CODE)
		return 0;
	uint32_t ti = wt_ptab_find_tid(&m->pt, ev->tid);
	if (ti == WT_NOIDX)
		return 0;
	struct wt_mproc *p = proc_of_thread(m, ti);
	if (p->sigchld_ns != WT_NONE || p->exit_ns == WT_NONE)
		return 0;
	struct wt_mproc *par = proc_at(m, p->parent);
	bool orphan = par && par->exit_ns != WT_NONE;
	if (p->ppid > 0 && ev->sig_generate.target_pid != p->ppid && !orphan)
		return 0;
	p->sigchld_ns = (int64_t)ev->ts;
	p->sigchld_code = code;
	p->sigchld_result = ev->sig_generate.result;
	return 0;
}

static int on_free(struct wt_model *m, const struct wt_event *ev)
{
	int32_t pid = ev->free.pid;
	struct wt_mproc *cur = proc_at(m, wt_ptab_find_pid(&m->pt, pid));
	struct wt_mproc *prev = cur ? proc_at(m, cur->pid_prev) : NULL;
	/* Tasks are freed in the order they were released: while the one
	 * that had the pid before is not freed, this free is its (late, an
	 * RCU grace period after its reap; see pid_prev). */
	if (prev && prev->freed_ns == WT_NONE) {
		prev->freed_ns = (int64_t)ev->ts;
		return 0;
	}
	struct wt_mthread *th = thread_at(m, wt_ptab_find_tid(&m->pt, pid));
	if (th && !th->ended) {
		th->ended = true;
		struct wt_mproc *tp = proc_at(m, th->proc);
		if (tp->live_threads > 0)
			tp->live_threads--;
	}
	struct wt_mproc *p = proc_at(m, wt_ptab_find_pid(&m->pt, pid));
	if (p && p->freed_ns == WT_NONE)
		p->freed_ns = (int64_t)ev->ts;
	return 0;
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
			wt_mdl_fail_nomem(m);
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

int wt_model_event(struct wt_model *m, const struct wt_event *ev)
{
	if (m->failed)
		return -1;
	if (close_start_snapshot(m) < 0)
		return -1;
	int64_t ts = (int64_t)ev->ts;
	if (m->first_ts == WT_NONE || ts < m->first_ts)
		m->first_ts = ts;
	if (m->last_ts == WT_NONE || ts > m->last_ts)
		m->last_ts = ts;
	switch (ev->type) {
	case WT_EV_WAIT_ENTER: return wt_mdl_wait_enter(m, ev);
	case WT_EV_WAIT_EXIT: return wt_mdl_wait_exit(m, ev);
	case WT_EV_FORK: return on_fork(m, ev);
	case WT_EV_NEWTASK: return on_newtask(m, ev);
	case WT_EV_EXEC: return on_exec(m, ev);
	case WT_EV_EXIT: return on_exit_ev(m, ev);
	case WT_EV_FREE: return on_free(m, ev);
	case WT_EV_EXIT_CALL: return on_exit_call(m, ev);
	case WT_EV_SIG_DELIVER: return on_sig_deliver(m, ev);
	case WT_EV_SIG_GENERATE: return on_sig_generate(m, ev);
	case WT_EV_DO_EXIT: return on_do_exit(m, ev);
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

/* ---- finish: flush processes, threads, stats, recording ----------------- */

static const char *source_name(int src)
{
	static const char *const names[] = {
		[SRC_EXIT_GROUP] = "exit_group", [SRC_EXIT] = "exit",
		[SRC_SIGNAL] = "signal", [SRC_DO_EXIT] = "do_exit",
		[SRC_WAIT_STATUS] = "wait_status", [SRC_SIGINFO] = "siginfo",
		[SRC_SIGNAL_SENT] = "signal_generate",
	};
	return src > SRC_NONE && src <= SRC_SIGNAL_SENT ? names[src] : NULL;
}

static int64_t opt_i(int64_t v)
{
	return v < 0 ? WT_NONE : v;
}

static int flush_proc(struct wt_model *m, struct wt_mproc *p)
{
	bool stop = m->stop_snap_ns != WT_NONE;
	bool zstop = p->in_stop && p->stop_leader_z && !p->stop_other_alive;
	struct wt_process_row row = {
		.upid = p->upid, .recording_id = m->rec_id, .pid = p->pid,
		.comm = p->comm[0] ? p->comm : NULL,
		.parent_upid = p->parent_upid, .ppid = opt_i(p->ppid),
		.start_ns = p->start_ns, .fork_ns = p->fork_ns,
		.fork_tid = opt_i(p->fork_tid), .exec_ns = p->exec_ns,
		.exit_ns = p->exit_ns,
		.exit_code = p->status_kind == ST_CODE ? p->status_val :
			     WT_NONE,
		.exit_signal = p->status_kind == ST_SIGNAL ? p->status_val :
			       WT_NONE,
		.exit_source = source_name(p->exit_source),
		.reaped_ns = p->reaped_ns, .reaper_tid = opt_i(p->reaper_tid),
		.reaper_upid = p->reaper_upid, .reap_call_id = p->reap_call_id,
		.freed_ns = p->freed_ns, .from_snapshot = p->from_snapshot,
		.zombie_at_start = p->zombie_at_start,
		.zombie_at_stop = stop ? zstop : WT_NONE,
		.in_stop_snapshot = stop ? p->in_stop : WT_NONE,
		.ppid_at_stop = opt_i(p->ppid_at_stop),
		.ignores_sigchld = opt_i(p->ignores_sigchld),
		.sigchld_ns = p->sigchld_ns,
		.sigchld_code = opt_i(p->sigchld_code),
		.sigchld_result = opt_i(p->sigchld_result),
		.traced = p->traced,
		.wait_calls = p->wait_calls, .last_wait_ns = p->last_wait_ns,
	};
	return wt_db_put_process(m->db, &row);
}

static int flush_tasks(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->pt.nthread; i++) {
		struct wt_mthread *th = thread_at(m, i);
		if (th->call.sys && wt_mdl_close_unfinished(m, th) < 0)
			return -1;
		struct wt_thread_row row = {
			.utid = th->utid, .upid = proc_at(m, th->proc)->upid,
			.tid = th->tid, .comm = th->comm[0] ? th->comm : NULL,
			.start_ns = th->start_ns, .end_ns = th->end_ns,
			.from_snapshot = th->from_snapshot,
			.wnohang_calls = (int64_t)th->poll.calls,
			.wnohang_empty = (int64_t)th->poll.empty,
			.wnohang_echild = (int64_t)th->poll.echild,
			.wnohang_first_ns = th->poll.first_ns,
			.wnohang_last_ns = th->poll.last_ns,
		};
		if (wt_db_put_thread(m->db, &row) < 0)
			return wt_mdl_fail_db(m);
	}
	for (uint32_t i = 0; i < m->pt.nproc; i++)
		if (flush_proc(m, proc_at(m, i)) < 0)
			return wt_mdl_fail_db(m);
	return 0;
}

static int64_t stat_i(bool has, int64_t v)
{
	return has && v >= 0 ? v : WT_NONE;
}

static int flush_stats(struct wt_model *m)
{
	for (uint32_t cpu = 0; cpu < m->ncpu; cpu++) {
		const struct cpu_acc *a = &m->cpus[cpu];
		bool h = a->has_stats;
		if (!h && !a->lost_markers)
			continue;
		struct wt_stats_row row = {
			.recording_id = m->rec_id, .cpu = cpu,
			.entries = stat_i(h, a->st.entries),
			.overrun = stat_i(h, a->st.overrun),
			.commit_overrun = stat_i(h, a->st.commit_overrun),
			.dropped = stat_i(h, a->st.dropped),
			.read_events = stat_i(h, a->st.read_events),
			.missed_in_pages = h ? (int64_t)a->st.missed_in_pages :
				WT_NONE,
			.lost_markers = a->lost_markers,
		};
		if (wt_db_put_stats(m->db, &row) < 0)
			return wt_mdl_fail_db(m);
	}
	return 0;
}

static int64_t min_known(int64_t a, int64_t b)
{
	if (a == WT_NONE)
		return b;
	return b == WT_NONE || a < b ? a : b;
}

static int64_t max_known(int64_t a, int64_t b)
{
	if (a == WT_NONE)
		return b;
	return b == WT_NONE || a > b ? a : b;
}

static int flush_recording(struct wt_model *m,
			   const struct wt_decode_result *res)
{
	int64_t rt = parse_i64(m->meta[MK_WALL_RT]);
	int64_t tr = parse_i64(m->meta[MK_WALL_TRACE]);
	struct wt_recording_row row = {
		.id = m->rec_id, .path = m->path, .host = m->meta[MK_HOST],
		.kernel = m->meta[MK_KERNEL], .arch = m->meta[MK_ARCH],
		.backend = m->meta[MK_BACKEND], .clock = m->meta[MK_CLOCK],
		.start_ns = min_known(parse_i64(m->meta[MK_START]),
				      m->first_ts),
		.end_ns = max_known(parse_i64(m->meta[MK_STOP]), m->last_ts),
		.wall_offset_ns = rt != WT_NONE && tr != WT_NONE ?
				  rt - tr : WT_NONE,
		.events = res ? (int64_t)res->events : WT_NONE,
		.lost_events = res ? (int64_t)res->lost_events : WT_NONE,
		.complete = res ? res->complete : WT_NONE,
		.damaged = res ? res->damaged : WT_NONE,
		.damage = res && res->damaged ? res->damage : NULL,
		.unknown_events = res ? (int64_t)res->unknown_events : WT_NONE,
		.cpus = parse_i64(m->meta[MK_CPUS]),
		.scope = m->meta[MK_SCOPE], .command = m->meta[MK_COMMAND],
		.command_status = m->meta[MK_COMMAND_STATUS],
		.enabled_events = m->meta[MK_EVENTS],
		.missing_events = m->meta[MK_MISSING],
		.start_snapshot_ns = m->start_snap_ns,
		.stop_snapshot_ns = m->stop_snap_ns,
	};
	if (wt_db_put_recording(m->db, &row) < 0)
		return wt_mdl_fail_db(m);
	return 0;
}

int wt_model_finish(struct wt_model *m, const struct wt_decode_result *res)
{
	if (m->failed || m->finished)
		return -1;
	m->finished = true;
	if (close_start_snapshot(m) < 0 || flush_tasks(m) < 0 ||
	    wt_mdl_flush_outcomes(m) < 0 || flush_stats(m) < 0 ||
	    flush_recording(m, res) < 0)
		return -1;
	return 0;
}
