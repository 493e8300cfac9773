/*
 * mdl_pidns.c - pid namespaces: in which namespace each process lives, its
 * pid there, which process is a namespace's pid 1, and what happens when
 * that init exits.
 *
 * The kernel's rules (Linux 6.x):
 *  - kernel/fork.c copy_process() allocates the child's pid in
 *    p->nsproxy->pid_ns_for_children (kernel/pid.c alloc_pid(): one pid in
 *    that namespace and one in each enclosing one).  CLONE_NEWPID makes a
 *    new namespace below the forker's pid_ns_for_children
 *    (kernel/nsproxy.c copy_namespaces() -> copy_pid_ns()); its first
 *    process gets pid 1 and becomes child_reaper (is_child_reaper()).
 *  - unshare(CLONE_NEWPID) changes only the caller's
 *    pid_ns_for_children: the caller stays where it is, its next child
 *    process is the new namespace's init.  setns() into a pid namespace
 *    does the same for an existing namespace (which one, the event's fd
 *    does not say: such a namespace is "unknown" here).
 *  - alloc_pid() takes pids with idr_alloc_cyclic(), the next free number
 *    after the last one given: in a namespace the recording saw born,
 *    pids run 1, 2, 3... over every task (threads too) created in it or
 *    below it.  That sequence is the last resort for a namespace pid
 *    (marked NSPID_SEQUENCE and counted); snapshots (NSpid) and waits
 *    (sched_process_wait's global pid next to the caller's argument, a
 *    return value next to the child the replay chose) say it for sure.
 *  - kernel/pid_namespace.c zap_pid_ns_processes(), run by the last thread
 *    of an init on its way out: SIGCHLD is set to SIG_IGN, every task in
 *    the namespace gets SIGKILL, and kernel_wait4(-1, __WALL) in a loop
 *    reaps the zombies (a do_wait() without a syscall); those killed
 *    later are released at their exit (their parent ignores SIGCHLD).
 *
 * Index 0 is the recorder's own namespace; its pids are the global ones
 * that every trace event carries.
 */
#include <stdlib.h>
#include "mdl.h"

int mdl_ns_init_root(struct wt_model *m)
{
	uint32_t i = wt_ptab_new_ns(&m->pt, wt_db_new_id(m->db, WT_ID_PIDNS));
	if (i == WT_NOIDX)
		return mdl_fail_nomem(m);
	struct wt_mns *ns = ns_at(m, i);
	ns->source = NS_ROOT;
	ns->level = 0;
	return 0;
}

static uint32_t ns_new(struct wt_model *m, uint32_t parent, int source,
		       int64_t ts)
{
	uint32_t i = wt_ptab_new_ns(&m->pt, wt_db_new_id(m->db, WT_ID_PIDNS));
	if (i == WT_NOIDX) {
		mdl_fail_nomem(m);
		return i;
	}
	struct wt_mns *ns = ns_at(m, i), *par = ns_at(m, parent);
	ns->parent = parent;
	ns->level = par ? par->level + 1 : 1;
	ns->source = (uint8_t)source;
	ns->created_ns = ts;
	/* Born in the recording: every allocation in it will be seen, as
	 * long as its tasks are in scope (they are: their ancestor is). */
	ns->seq_exact = source != NS_SETNS && source != NS_SNAPSHOT;
	return i;
}

uint32_t mdl_ns_of_inode(struct wt_model *m, uint64_t ino, int level)
{
	if (level <= 0)
		return 0;
	for (uint32_t i = 1; i < m->pt.nns; i++)
		if (ns_at(m, i)->ino == ino && ino)
			return i;
	uint32_t i = ns_new(m, WT_NOIDX, NS_SNAPSHOT, WT_NONE);
	if (i != WT_NOIDX) {
		ns_at(m, i)->ino = ino;
		ns_at(m, i)->level = level;
	}
	return i;
}

bool mdl_ns_within(struct wt_model *m, uint32_t ns, uint32_t anc)
{
	for (int depth = 0; ns != WT_NOIDX && depth < 64; depth++) {
		if (ns == anc)
			return true;
		ns = ns_at(m, ns)->parent;
	}
	return false;
}

uint32_t mdl_ns_lookup(struct wt_model *m, uint32_t ns, int32_t nspid)
{
	uint64_t v;

	if (ns == 0)
		return wt_ptab_find_pid(&m->pt, nspid);
	struct wt_mns *n = ns_at(m, ns);
	if (!n || !wt_imap_get(&n->by_nspid, nspid, &v))
		return WT_NOIDX;
	return (uint32_t)v;
}

/* Still holding its pid: not released (reaping releases the pid). */
static bool holds_pid(const struct wt_mproc *p)
{
	return p->reap_call_id == WT_NONE && p->released_ns == WT_NONE &&
	       p->freed_ns == WT_NONE;
}

int mdl_ns_learn(struct wt_model *m, uint32_t ns, int32_t nspid, uint32_t pi,
		 int src)
{
	struct wt_mproc *p = proc_at(m, pi);
	struct wt_mns *n = ns_at(m, ns);

	if (!n || nspid <= 0 || ns == 0)
		return 0;
	uint32_t cur = mdl_ns_lookup(m, ns, nspid);
	if (cur == pi)
		return 0;
	if (cur != WT_NOIDX && holds_pid(proc_at(m, cur)))
		return -1;
	if (wt_imap_put(&n->by_nspid, nspid, pi) < 0) {
		mdl_fail_nomem(m);
		return 0;
	}
	if (p->pidns == ns && (!p->ns_pid || src == NSPID_SNAPSHOT ||
			       src == NSPID_WAIT)) {
		p->ns_pid = nspid;
		p->ns_pid_src = (uint8_t)src;
	}
	return 1;
}

/* The next pid alloc_pid() gives in @ns, if the recording saw every one
 * before it; 0 when that is not known. */
static int32_t next_pid(struct wt_model *m, uint32_t ns)
{
	struct wt_mns *n = ns_at(m, ns);

	if (!n || ns == 0 || !n->seq_exact || n->dead)
		return 0;
	return ++n->last_pid;
}

/* A task was born in @ns: it takes a pid there and in each enclosing
 * namespace (the root's is the global one, known from the event). */
static void take_pids(struct wt_model *m, uint32_t ns, uint32_t pi)
{
	for (int depth = 0; ns != 0 && ns != WT_NOIDX && depth < 64; depth++) {
		int32_t nr = next_pid(m, ns);
		if (nr && pi != WT_NOIDX && mdl_ns_lookup(m, ns, nr) != pi &&
		    mdl_ns_learn(m, ns, nr, pi, NSPID_SEQUENCE) > 0)
			m->checks[CHK_NSPID_SEQUENCE]++;
		ns = ns_at(m, ns)->parent;
	}
}

bool mdl_ns_failed_fork(struct wt_model *m, uint32_t fti, bool took_pid)
{
	uint32_t ns = thread_at(m, fti)->ns_for_children;
	bool in_ns = ns != 0 && ns != WT_NOIDX;

	for (int depth = 0; ns != 0 && ns != WT_NOIDX && depth < 64; depth++) {
		struct wt_mns *n = ns_at(m, ns);
		if (!took_pid)
			n->seq_exact = false;
		else if (n->seq_exact && !n->dead)
			n->last_pid++;
		ns = n->parent;
	}
	return in_ns;
}

void mdl_ns_thread(struct wt_model *m, uint32_t pi)
{
	/* A thread's pid is no process's: only the counters move. */
	take_pids(m, proc_at(m, pi)->pidns, WT_NOIDX);
}

static int become_init(struct wt_model *m, uint32_t ns, uint32_t ci,
		       int64_t ts)
{
	struct wt_mns *n = ns_at(m, ns);
	struct wt_mproc *c = proc_at(m, ci);

	n->init = ci;
	if (n->created_ns == WT_NONE)
		n->created_ns = ts;
	c->ns_init = true;
	c->pidns = ns;
	n->last_pid = 1;
	if (mdl_ns_learn(m, ns, 1, ci, NSPID_INIT) < 0)
		return 0;
	c->ns_pid = 1;
	c->ns_pid_src = NSPID_INIT;
	/* ...and a pid in every enclosing namespace */
	take_pids(m, n->parent, ci);
	return 0;
}

int mdl_ns_fork(struct wt_model *m, uint32_t ci, uint32_t fti,
		uint64_t flags, int64_t ts)
{
	struct wt_mthread *ft = thread_at(m, fti);
	struct wt_mproc *c = proc_at(m, ci);
	uint32_t ns = ft->ns_for_children;

	if (flags & CLONE_NEWPID_FL) {
		uint32_t nn = ns_new(m, ns, NS_CLONE, ts);
		if (nn == WT_NOIDX)
			return -1;
		return become_init(m, nn, ci, ts);
	}
	c->pidns = ns;
	struct wt_mns *n = ns_at(m, ns);
	if (ns != 0 && n->init == WT_NOIDX && ft->ns_unshared) {
		/* the first child after unshare(CLONE_NEWPID) */
		ft->ns_unshared = false;
		return become_init(m, ns, ci, ts);
	}
	if (ns == 0) {
		c->ns_pid = c->pid;
		c->ns_pid_src = NSPID_ROOT;
		return 0;
	}
	take_pids(m, ns, ci);
	return 0;
}

int mdl_on_pidns(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	uint32_t cur = th->ns_for_children;
	uint32_t nn = ns_new(m, cur, ev->pidns.unshare ? NS_UNSHARE : NS_SETNS,
			     (int64_t)ev->ts);

	if (nn == WT_NOIDX)
		return -1;
	if (!ev->pidns.unshare) {
		/* setns(): an existing namespace we cannot name; its level
		 * and parent are unknown too */
		ns_at(m, nn)->parent = WT_NOIDX;
		ns_at(m, nn)->created_ns = WT_NONE;
	}
	th->ns_for_children = nn;
	th->ns_unshared = ev->pidns.unshare;
	return 0;
}

/* The call failed: the thread's namespace for children is what it was. */
int mdl_on_pidns_fail(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mns *n = ns_at(m, th->ns_for_children);
	if (th->ns_for_children != 0 && n->init == WT_NOIDX) {
		th->ns_for_children = n->parent != WT_NOIDX ? n->parent
						       : proc_at(m, th->proc)->pidns;
		th->ns_unshared = false;
	}
	return 0;
}

int mdl_ns_teardown(struct wt_model *m, uint32_t ns, int64_t ts)
{
	struct wt_mns *n = ns_at(m, ns);

	if (!n || n->teardown_ns != WT_NONE)
		return 0;
	n->teardown_ns = ts;
	n->dead = true;
	/* Every zombie in it (or below it) is reaped by the init's
	 * in-kernel kernel_wait4() loop; the live ones are killed and
	 * released when they exit (mdl_tasks.c process_exited()). */
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_mproc *p = proc_at(m, i);
		if (p->ns_init && p->pidns == ns)
			continue;
		if (!mdl_ns_within(m, p->pidns, ns))
			continue;
		if (p->exit_ns != WT_NONE || p->zombie_at_start)
			mdl_release(m, i, ts, REL_TEARDOWN,
				    "a zombie when its pid namespace's init "
				    "exited: the kernel reaped it "
				    "(zap_pid_ns_processes)");
	}
	for (uint32_t i = 0; i < m->pt.nns; i++)
		if (i != ns && mdl_ns_within(m, i, ns))
			ns_at(m, i)->teardown_ns = ts;
	return 0;
}
