/*
 * mdl_tasks.c - the task table: processes, threads, and each thread's
 * children list in the kernel's order; fork, exec, exit and the reparenting
 * that exit does.
 *
 * The kernel's rules (Linux 6.x; cited by function):
 *  - kernel/fork.c copy_process(): a child's real_parent is the THREAD that
 *    forked it (CLONE_PARENT or CLONE_THREAD: the forker's real_parent), and
 *    the child is appended to that thread's children list
 *    (list_add_tail(&p->sibling, &p->real_parent->children)).
 *  - kernel/exit.c exit_notify() -> forget_original_parent(): EVERY exiting
 *    thread hands its children on, in list order, to the tail of the new
 *    parent's list (list_splice_tail_init).  find_new_reaper() picks: a
 *    live thread of the same process (find_alive_thread(): the first one
 *    not PF_EXITING, in thread-list order); else, when an ancestor set
 *    PR_SET_CHILD_SUBREAPER, the first such ancestor in the same pid
 *    namespace that has a live thread; else the namespace's init
 *    (pid_ns->child_reaper).  When the exiting process IS that init,
 *    find_child_reaper() tears the namespace down (zap_pid_ns_processes()).
 *  - reparent_leader(): a child that is already a zombie is notified to
 *    its new parent (do_notify_parent()); a new parent that ignores
 *    SIGCHLD releases it on the spot.  Moves between threads of one
 *    process notify nobody.
 *  - sched_process_exit fires in do_exit() before exit_notify(), so the
 *    moves happen just after the event; PF_EXITING is set before it, so a
 *    thread whose exit event was seen is not a live thread any more
 *    (inferred for threads exiting at the same instant on two CPUs).
 *
 * Children lists are kept lazily: a child that moved away, was reaped or
 * was released stays in its old list until a scan skips over it (the
 * entry no longer matches: its parent_thread is another, or it is gone).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "mdl.h"

/* /proc start times are in clock ticks and the start snapshot races with
 * forks traced just before it: within this window a fork and a snapshot
 * task of the same pid are the same instance. */
#define SAME_TASK_NS (20 * 1000 * 1000LL)

uint32_t mdl_proc_index(struct wt_model *m, const struct wt_mproc *p)
{
	(void)m;
	return p->self;
}

uint32_t mdl_proc_new(struct wt_model *m, int32_t pid)
{
	uint32_t idx = wt_ptab_new_proc(&m->pt, pid,
					wt_db_new_id(m->db, WT_ID_PROCESS));
	if (idx == WT_NOIDX)
		mdl_fail_nomem(m);
	else /* a task the trace shows is in scope; snapshots decide theirs */
		proc_at(m, idx)->traced = 1;
	mdl_touch_proc(m, idx);
	return idx;
}

uint32_t mdl_thread_new(struct wt_model *m, uint32_t proc, int32_t tid,
			int64_t start_ns, const char *comm)
{
	uint32_t idx = wt_ptab_new_thread(&m->pt, proc, tid,
					  wt_db_new_id(m->db, WT_ID_THREAD));
	struct wt_mproc *p = proc_at(m, proc);

	if (idx == WT_NOIDX || wt_vec32_push(&p->threads, idx) < 0) {
		mdl_fail_nomem(m);
		return WT_NOIDX;
	}
	struct wt_mthread *th = thread_at(m, idx);
	th->start_ns = start_ns;
	th->ns_for_children = p->pidns;
	wt_comm_set(th->comm, comm);
	return idx;
}

/*
 * The current thread of @tid; one is created (with a process of pid = tid)
 * when the tid was never seen: a task born before the recording that the
 * start snapshot missed, or whose fork was lost.
 */
uint32_t mdl_thread_of(struct wt_model *m, int32_t tid, const char *comm)
{
	uint32_t ti = wt_ptab_find_tid(&m->pt, tid);
	if (ti != WT_NOIDX) {
		/* It ran while traced: in scope, whatever the snapshot said. */
		if (!proc_of(m, ti)->traced)
			mdl_touch_proc(m, thread_at(m, ti)->proc);
		proc_of(m, ti)->traced = 1;
		return ti;
	}
	uint32_t pi = wt_ptab_find_pid(&m->pt, tid);
	if (pi == WT_NOIDX && (pi = mdl_proc_new(m, tid)) == WT_NOIDX)
		return WT_NOIDX;
	struct wt_mproc *p = proc_at(m, pi);
	if (comm && !p->comm[0])
		wt_comm_set(p->comm, comm);
	return mdl_thread_new(m, pi, tid, WT_NONE, comm ? comm : p->comm);
}

/* Gone from every children list: reaped by a wait or released. */
static bool gone(const struct wt_mproc *c)
{
	return c->reap_call_id != WT_NONE || c->released_ns != WT_NONE;
}

int mdl_link_child(struct wt_model *m, uint32_t child, uint32_t ti)
{
	struct wt_mproc *c = proc_at(m, child);
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *par = proc_at(m, th->proc);

	mdl_child_changed(m, child);  /* the old parent loses it */
	par->child_gen++;
	c->parent_thread = ti;
	c->parent = th->proc;
	c->ppid = par->pid;
	mdl_touch_proc(m, child);
	if (wt_vec32_push(&th->children, child) < 0)
		return mdl_fail_nomem(m);
	return 0;
}

bool mdl_is_child_of(struct wt_model *m, uint32_t child, uint32_t ti)
{
	const struct wt_mproc *c = proc_at(m, child);

	return c && c->parent_thread == ti && !gone(c);
}

uint32_t mdl_alive_thread(struct wt_model *m, uint32_t pi)
{
	struct wt_mproc *p = proc_at(m, pi);

	for (uint32_t i = 0; p && i < p->threads.len; i++)
		if (!thread_at(m, p->threads.v[i])->ended)
			return p->threads.v[i];
	return WT_NOIDX;
}

void mdl_release(struct wt_model *m, uint32_t child, int64_t ts, int kind,
		 const char *evidence)
{
	struct wt_mproc *c = proc_at(m, child);

	if (gone(c))
		return;
	mdl_child_changed(m, child);
	c->released_ns = ts;
	c->release_kind = (uint8_t)kind;
	c->release_evidence = evidence;
	mdl_touch_proc(m, child);
}

void mdl_release_undo(struct wt_model *m, uint32_t child)
{
	struct wt_mproc *c = proc_at(m, child);

	if (c->released_ns == WT_NONE || c->reap_call_id != WT_NONE)
		return;
	mdl_child_changed(m, child);
	c->released_ns = WT_NONE;
	c->release_kind = REL_NONE;
	c->release_evidence = NULL;
	mdl_touch_proc(m, child);
}

static int add_move(struct wt_model *m, const struct mdl_move *mv)
{
	if (m->nmoves == m->cmoves) {
		uint32_t n = m->cmoves ? m->cmoves * 2 : 64;
		struct mdl_move *v = realloc(m->moves, n * sizeof(*v));
		if (!v)
			return mdl_fail_nomem(m);
		m->moves = v;
		m->cmoves = n;
	}
	m->moves[m->nmoves++] = *mv;
	return 0;
}

/* Does the thread's process ignore SIGCHLD, so that a zombie handed to it
 * is released at once?  Known from a snapshot's SigIgn, or by the kernel
 * setting SIG_IGN itself in a dying namespace's init. */
static bool ignores_sigchld(struct wt_model *m, uint32_t ti)
{
	struct wt_mproc *p = proc_of(m, ti);
	struct wt_mns *ns = ns_at(m, p->pidns);

	if (p->ns_init && ns && ns->teardown_ns != WT_NONE)
		return true; /* zap_pid_ns_processes() */
	return p->ignores_sigchld == 1;
}

static int move_one(struct wt_model *m, uint32_t child, uint32_t to,
		    int64_t ts, int reason, const char *evidence)
{
	struct wt_mproc *c = proc_at(m, child);
	struct mdl_move mv = {
		.ts = ts, .child = child, .from_thread = c->parent_thread,
		.to_thread = to, .reason = (uint8_t)reason,
		.evidence = evidence,
		.zombie = c->exit_ns != WT_NONE || c->zombie_at_start,
	};

	if (mdl_link_child(m, child, to) < 0)
		return -1;
	c->reparents++;
	/* reparent_leader(): a zombie handed to a parent that ignores
	 * SIGCHLD is released; threaded moves notify nobody. */
	if (mv.zombie && reason != MV_THREAD && ignores_sigchld(m, to)) {
		mv.released = true;
		mdl_release(m, child, ts, REL_REPARENT,
			    "reparented as a zombie to a parent that ignores "
			    "SIGCHLD");
	}
	return add_move(m, &mv);
}

void mdl_move_late_exit(struct wt_model *m, struct mdl_move *mv, int64_t ts)
{
	mv->zombie = true;
	mv->late_exit = true;
	if (mv->reason != MV_THREAD && ignores_sigchld(m, mv->to_thread)) {
		mv->released = true;
		mdl_release(m, mv->child, ts, REL_REPARENT,
			    "reparented as a zombie to a parent that ignores "
			    "SIGCHLD");
	}
}

int mdl_move_child(struct wt_model *m, uint32_t child, uint32_t to,
		   int64_t ts, int reason, const char *evidence)
{
	return move_one(m, child, to, ts, reason, evidence);
}

/*
 * find_new_reaper() for the last thread of process @fi: the nearest
 * subreaper ancestor in the same pid namespace with a live thread, else
 * the namespace's init.  *@reason says which.  WT_NOIDX when the init is
 * unknown (a namespace whose pid 1 the recording never saw).
 */
static uint32_t find_new_reaper(struct wt_model *m, uint32_t fi, int *reason)
{
	struct wt_mproc *f = proc_at(m, fi);
	struct wt_mns *ns = ns_at(m, f->pidns);
	uint32_t a = f->parent;

	for (int depth = 0; a != WT_NOIDX && depth < 4096; depth++) {
		struct wt_mproc *ap = proc_at(m, a);
		if (ap->pidns != f->pidns || ap->ns_init)
			break; /* the walk stays in the father's namespace */
		if (ap->subreaper == 1) {
			uint32_t t = mdl_alive_thread(m, a);
			if (t != WT_NOIDX) {
				*reason = MV_SUBREAPER;
				return t;
			}
		}
		a = ap->parent;
	}
	*reason = f->pidns == 0 ? MV_INIT : MV_NS_INIT;
	uint32_t init = ns ? ns->init : WT_NOIDX;
	if (init == WT_NOIDX && f->pidns == 0)
		init = wt_ptab_find_pid(&m->pt, 1);
	if (init == WT_NOIDX) {
		*reason = MV_UNKNOWN;
		return WT_NOIDX;
	}
	/* find_child_reaper(): a dying init's first live thread takes over */
	return mdl_alive_thread(m, init);
}

/* Hand every child on thread @ti's list to @to (list order kept). */
static int move_children(struct wt_model *m, uint32_t ti, uint32_t to,
			 int64_t ts, int reason)
{
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_vec32 list = th->children;

	/* The list is replaced before the moves append to @to's list: @to
	 * may be this very thread's process but never this thread. */
	memset(&th->children, 0, sizeof(th->children));
	for (uint32_t i = 0; i < list.len; i++) {
		if (!mdl_is_child_of(m, list.v[i], ti))
			continue;
		if (move_one(m, list.v[i], to, ts, reason, "rule") < 0) {
			wt_vec32_free(&list);
			return -1;
		}
		if (reason != MV_THREAD)
			m->checks[CHK_REPARENT_RULE]++;
	}
	wt_vec32_free(&list);
	return 0;
}

/* Does thread @ti have any child still on its list? */
static bool has_children(struct wt_model *m, uint32_t ti)
{
	struct wt_mthread *th = thread_at(m, ti);

	for (uint32_t i = 0; i < th->children.len; i++)
		if (mdl_is_child_of(m, th->children.v[i], ti))
			return true;
	return false;
}

/*
 * The last thread @ti of process @fi exits: its children go to the new
 * reaper.  The zombies among them owe SIGCHLD notices to it, sent in this
 * thread's context (mdl_signals.c matches them to the moves).
 */
static int orphan_children(struct wt_model *m, uint32_t fi, uint32_t ti,
			   int64_t ts)
{
	struct wt_mproc *f = proc_at(m, fi);
	int reason;
	uint32_t first = m->nmoves;

	if (!has_children(m, ti))
		return 0;
	if (f->ns_init) /* zap_pid_ns_processes(): they die with it */
		return 0;
	uint32_t to = find_new_reaper(m, fi, &reason);
	if (to == WT_NOIDX)
		return 0; /* the new parent is not in the recording */
	if (move_children(m, ti, to, ts, reason) < 0)
		return -1;
	f->zmove_first = first;
	f->zmove_end = m->nmoves;
	f->zmove_left = 0;
	for (uint32_t i = first; i < m->nmoves; i++)
		f->zmove_left += m->moves[i].zombie && !m->moves[i].released;
	return 0;
}

/* ---- fork --------------------------------------------------------------- */

int mdl_on_newtask(struct wt_model *m, const struct wt_event *ev)
{
	if (wt_imap_put(&m->newtask, ev->newtask.child_tid,
			ev->newtask.clone_flags) < 0)
		return mdl_fail_nomem(m);
	return 0;
}

static int fork_thread(struct wt_model *m, uint32_t fti,
		       const struct wt_event *ev)
{
	uint32_t pi = thread_at(m, fti)->proc;
	int32_t tid = ev->fork.child_tid;
	struct wt_mthread *old = thread_at(m, wt_ptab_find_tid(&m->pt, tid));
	if (old && old->from_snapshot && old->proc == pi &&
	    old->start_ns != WT_NONE &&
	    old->start_ns >= (int64_t)ev->ts - SAME_TASK_NS)
		return 0; /* already known from the snapshot */
	uint32_t ti = mdl_thread_new(m, pi, tid, (int64_t)ev->ts, ev->str);
	if (ti == WT_NOIDX)
		return -1;
	/* copy_namespaces(): a CLONE_THREAD child shares the nsproxy */
	thread_at(m, ti)->ns_for_children =
		thread_at(m, fti)->ns_for_children;
	proc_at(m, pi)->live_threads++;
	mdl_ns_thread(m, pi);
	return 0;
}

/* The real parent thread of a child forked by thread @fti with @flags:
 * the forker, or with CLONE_PARENT the forker's own real parent. */
static uint32_t fork_parent_thread(struct wt_model *m, uint32_t fti,
				   uint64_t flags)
{
	if (flags & CLONE_PARENT_FL)
		return proc_of(m, fti)->parent_thread;
	return fti;
}

/* A process forked by thread @fti was already in the start snapshot
 * (the /proc scan ran after the fork): the traced fork is the truth. */
static int fork_seen_in_snapshot(struct wt_model *m, struct wt_mproc *c,
				 uint32_t fti, uint64_t flags,
				 const struct wt_event *ev)
{
	uint32_t pt = fork_parent_thread(m, fti, flags);

	c->fork_ns = (int64_t)ev->ts;
	c->fork_tid = ev->fork.parent_tid;
	c->zombie_at_start = false;
	mdl_touch_proc(m, c->self);
	c->traced = 1;
	c->subreaper = 0;
	if (pt != WT_NOIDX && c->parent_thread != pt) {
		if (mdl_link_child(m, c->self, pt) < 0)
			return -1;
		c->orig_parent = c->parent;
	}
	return 0;
}

static int fork_process(struct wt_model *m, uint32_t fti, uint64_t flags,
			const struct wt_event *ev)
{
	int32_t pid = ev->fork.child_tid;
	struct wt_mproc *fp = proc_of(m, fti);
	struct wt_mproc *old = proc_at(m, wt_ptab_find_pid(&m->pt, pid));

	if (old && old->from_snapshot == 1 && old->fork_ns == WT_NONE &&
	    old->start_ns != WT_NONE &&
	    old->start_ns >= (int64_t)ev->ts - SAME_TASK_NS)
		return fork_seen_in_snapshot(m, old, fti, flags, ev);
	/* The pid is free again: its previous holder was released. */
	if (old && old->exit_ns != WT_NONE &&
	    mdl_wait_settle_gone(m, old->self, (int64_t)ev->ts) < 0)
		return -1;
	uint32_t ci = mdl_proc_new(m, pid);
	if (ci == WT_NOIDX)
		return -1;
	struct wt_mproc *c = proc_at(m, ci);
	if (old && old->freed_ns == WT_NONE &&
	    (old->exit_ns != WT_NONE || old->reap_call_id != WT_NONE ||
	     old->released_ns != WT_NONE))
		c->pid_prev = old->self; /* its free is still to come (the
					     table's blocks keep @old valid) */
	c->start_ns = c->fork_ns = (int64_t)ev->ts;
	c->fork_tid = ev->fork.parent_tid;
	c->threads_known = true;
	c->live_threads = 1;
	c->subreaper = 0;                 /* copy_signal(): not inherited */
	c->pgid = fp->pgid;               /* init_task_pid(PIDTYPE_PGID) */
	c->ignores_sigchld = fp->ignores_sigchld; /* sighand is copied */
	wt_comm_set(c->comm, ev->str ? ev->str : fp->comm);
	uint32_t pt = fork_parent_thread(m, fti, flags);
	if (pt != WT_NOIDX && mdl_link_child(m, ci, pt) < 0)
		return -1;
	c->orig_parent = c->parent;
	if (pt == WT_NOIDX)
		c->ppid = fp->ppid;
	if (mdl_ns_fork(m, ci, fti, flags, (int64_t)ev->ts) < 0)
		return -1;
	mdl_cg_fork(m, c, fp, flags);
	uint32_t ti = mdl_thread_new(m, ci, pid, (int64_t)ev->ts, c->comm);
	return ti == WT_NOIDX ? -1 : 0;
}

int mdl_on_fork(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t fti = mdl_thread_of(m, ev->fork.parent_tid, NULL);
	if (fti == WT_NOIDX)
		return -1;
	uint64_t flags = 0;
	/* Without task_newtask (not recorded, or lost), assume a process. */
	wt_imap_del(&m->newtask, ev->fork.child_tid, &flags);
	if (flags & CLONE_THREAD_FL)
		return fork_thread(m, fti, ev);
	return fork_process(m, fti, flags, ev);
}

/* ---- exec --------------------------------------------------------------- */

static void comm_from_path(char dst[16], const char *filename)
{
	const char *base = filename ? strrchr(filename, '/') : NULL;
	wt_comm_set(dst, base ? base + 1 : filename);
}

int mdl_on_exec(struct wt_model *m, const struct wt_event *ev)
{
	int32_t old = ev->exec.old_tid;
	bool moved = old > 0 && old != ev->tid;
	uint32_t ti = moved ? wt_ptab_find_tid(&m->pt, old) : WT_NOIDX;
	if (ti == WT_NOIDX)
		ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *p = proc_at(m, th->proc);
	p->exec_ns = (int64_t)ev->ts;
	comm_from_path(p->comm, ev->str);
	mdl_touch_proc(m, th->proc);
	memcpy(th->comm, p->comm, sizeof(th->comm));
	/* A non-leader exec: de_thread() killed the old leader (its exit was
	 * traced, its children went to a live thread) and this thread now
	 * has the leader's tid. */
	if (moved && wt_ptab_rekey_thread(&m->pt, ti, ev->tid) < 0)
		return mdl_fail_nomem(m);
	return 0;
}

/* ---- exit --------------------------------------------------------------- */

/* Is @p in a namespace whose init is gone (or inside one)? */
static bool ns_torn_down(struct wt_model *m, const struct wt_mproc *p)
{
	for (uint32_t n = p->pidns; n != WT_NOIDX; n = ns_at(m, n)->parent)
		if (ns_at(m, n)->teardown_ns != WT_NONE)
			return true;
	return false;
}

static int process_exited(struct wt_model *m, uint32_t pi, int64_t ts)
{
	struct wt_mproc *p = proc_at(m, pi);

	if (p->exit_ns != WT_NONE)
		return 0;
	p->exit_ns = ts;
	mdl_child_changed(m, pi);
	p->zombie_at_start = false; /* it exited during the recording */
	mdl_touch_proc(m, pi);
	mdl_finalize_status(p);
	/* Without SIGCHLD in the recording, the exit is the best estimate
	 * of when it became waitable (exit_notify() just after). */
	if (!m->sigchld_recorded)
		p->waitable_ns = ts;
	if (p->ns_init)
		return mdl_ns_teardown(m, p->pidns, ts);
	if (ns_torn_down(m, p)) /* killed by the teardown: autoreaped */
		mdl_release(m, pi, ts, REL_TEARDOWN,
			    "its pid namespace's init had exited: the kernel "
			    "killed and released it (zap_pid_ns_processes)");
	return 0;
}

int mdl_on_exit(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, ev->str);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	uint32_t pi = th->proc;
	struct wt_mproc *p = proc_at(m, pi);
	int64_t ts = (int64_t)ev->ts;

	if (!th->ended && p->live_threads > 0)
		p->live_threads--;
	th->ended = true;
	th->end_ns = ts;
	/* Kernels without group_dead in the tracepoint (before 6.13): the
	 * last live thread the model knows of; a process whose threads it
	 * does not know dies with any of them (inferred). */
	bool dead = ev->exit.has_group_dead ? ev->exit.group_dead
		    : !p->threads_known || p->live_threads == 0;
	if (!dead) {
		uint32_t to = mdl_alive_thread(m, pi);
		if (to != WT_NOIDX && has_children(m, ti) &&
		    move_children(m, ti, to, ts, MV_THREAD) < 0)
			return -1;
		return 0;
	}
	if (orphan_children(m, pi, ti, ts) < 0)
		return -1;
	return process_exited(m, pi, ts);
}

int mdl_on_free(struct wt_model *m, const struct wt_event *ev)
{
	int32_t pid = ev->free.pid;
	struct wt_mproc *cur = proc_at(m, wt_ptab_find_pid(&m->pt, pid));
	struct wt_mproc *prev = cur ? proc_at(m, cur->pid_prev) : NULL;
	/* Tasks are freed in the order they were released: while the pid's
	 * previous holder is not freed, this free is its (see pid_prev). */
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
	if (!p || p->freed_ns != WT_NONE)
		return 0;
	p->freed_ns = (int64_t)ev->ts;
	mdl_touch_proc(m, p->self);
	/* The task is gone: an undecided WNOHANG waitid took it, if any. */
	if ((p->exit_ns != WT_NONE || p->zombie_at_start) &&
	    mdl_wait_settle_gone(m, p->self, p->freed_ns) < 0)
		return -1;
	return 0;
}

int mdl_on_subreaper(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mproc *p = proc_of(m, ti);
	p->subreaper = ev->subreaper.on;
	p->subreaper_seen = true;
	return 0;
}
