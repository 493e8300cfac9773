/*
 * mdl_wait.c - the wait engine: each wait4/waitid call is opened at entry,
 * gets its target from sched_process_wait, and is decided at return by
 * replaying the kernel's do_wait() against the task table.
 *
 * The kernel's rules (kernel/exit.c, Linux 6.x):
 *  - kernel_wait4()/kernel_waitid_prepare(): wait4's pid > 0 is P_PID, -1
 *    P_ALL, 0 the caller's group, < -1 the group -pid, INT_MIN fails with
 *    ESRCH before anything; wait4 always has WEXITED.  Pid arguments and
 *    return values are pids of the CALLER's pid namespace; the
 *    sched_process_wait event in do_wait() carries the global pid of the
 *    target (pid_nr(): the group for P_PGID, the pidfd's process for
 *    P_PIDFD, 0 for P_ALL, and 0 when the pid has no task any more).
 *  - __do_wait(): for P_PID, do_wait_pid() looks at the target alone (it
 *    must be a child of the calling thread, or of any thread of its
 *    process unless __WNOTHREAD: is_effectively_child()).  Otherwise
 *    do_wait_thread() walks the CALLING thread's children list in order,
 *    then ptrace_do_wait() its tracees, then the same for each other
 *    thread of the process in thread-list order after it (while_each_thread,
 *    wrapping round), unless __WNOTHREAD.  The first child that
 *    wait_consider_task() can report ends the scan.  ECHILD means no
 *    eligible child at all (notask_error); a blocking wait sleeps until a
 *    child changes state and scans again.
 *  - eligible_child(): without __WALL, a "clone" child (exit_signal other
 *    than SIGCHLD) needs __WCLONE and a normal one must not have it.  The
 *    exit signal is not in any event; every child is taken to be a normal
 *    one (inferred: clone(2) with exit signal 0 is rare outside threads).
 *  - wait_task_zombie(): WNOWAIT peeks without reaping; a ptrace tracer
 *    that is not the real parent only consumes the exit (EXIT_TRACE) and
 *    hands the zombie on to the real parent with a SIGCHLD
 *    (do_notify_parent()), which then reaps it.
 *  - A zombie becomes waitable in exit_notify(), in the same locked
 *    section as its SIGCHLD (mdl_signals.c): waitable_ns.  A child whose
 *    waitable_ns is before the call's entry was there for the first scan
 *    ("definite"); one that became waitable during the call may or may
 *    not have been seen.
 *
 * What each backend tells at return: wait4 returns the child's pid (in the
 * caller's namespace), so the reap is exact; the kprobe backend's waitid
 * gives the pid too.  The waitid tracepoint returns 0 for a reap, a
 * stop/continue report and (WNOHANG) for nothing: the child is the target
 * for P_PID/P_PIDFD, and for P_ALL/P_PGID the replay's choice (marked
 * reap_basis 'replay', reap_inferred 1, counted).  A WNOHANG waitid that
 * may or may not have taken a child that became waitable during it is not
 * guessed at: it stays undecided until later evidence (another wait
 * returns the child: it took nothing; the child is freed, its pid reused,
 * absent at stop, or a later scan of the process gets ECHILD: it took the
 * child) and is then decided as 'deferred'.
 *
 * A replayed choice is compared with the return value whenever the
 * syscall names the child; every agreement and disagreement is counted in
 * model_check, never silent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mdl.h"
#include "wait_mem.h"
#include "wait_text.h"

#define INT32_MIN_PID ((int32_t)0x80000000)

enum reap_basis { RB_NONE, RB_RETURN, RB_TARGET, RB_REPLAY, RB_DEFERRED };
enum target_basis { TB_NONE, TB_EVENT, TB_PID, TB_NSPID };

static const char *const reap_basis_names[] = {
	[RB_RETURN] = "return", [RB_TARGET] = "target",
	[RB_REPLAY] = "replay", [RB_DEFERRED] = "deferred",
};
static const char *const target_basis_names[] = {
	[TB_EVENT] = "event", [TB_PID] = "pid", [TB_NSPID] = "nspid",
};

/* A returning call and what was decided about it. */
struct call_ctx {
	uint32_t ti;
	struct wt_open_call c;
	int64_t exit_ns, ret;
	int which;                /* idtype as the kernel sees it, -1 */
	int64_t target_arg;       /* pid/pgid/fd as passed, WT_NONE */
	uint32_t target;          /* the targeted instance (P_PID/PIDFD) */
	uint8_t target_basis;
	int32_t target_pgid;      /* P_PGID: the global group, 0 unknown */
	const char *outcome;
	uint32_t child;           /* reaped / reported / traced instance */
	uint8_t reap_basis;
	uint32_t replay;          /* the replay's choice, WT_NOIDX */
	int64_t status;
	int status_kind;
	int32_t status_val;
	uint8_t status_src;
	struct wt_wait_mem mem;   /* its buffers (wait_mem.h) */
};

/* What a scan of the caller's children found (see replay()). */
struct scan {
	uint32_t first_definite;  /* waitable before the call began */
	uint32_t earliest;        /* became waitable first */
	uint32_t choice;          /* what do_wait() took, by the rule */
	int n_waitable;
	bool any_eligible, any_alive;
	uint32_t pending_hit;     /* a definite child an undecided call may
				     have taken */
};

/* An undecided WNOHANG waitid call (see the top of the file) and the
 * child it may have taken.  Few at a time: a plain list in the model. */
struct mdl_pending {
	struct call_ctx cx;
	uint32_t cand;
};

/* ---- rows ---------------------------------------------------------------- */

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static int count_outcome(struct wt_model *m, int sys, int which,
			 const char *outcome, const char *err, bool inferred)
{
	struct outcome_acc *a = NULL;
	for (uint32_t i = 0; i < m->noc && !a; i++)
		if (m->oc[i].sys == sys && m->oc[i].which == which &&
		    same_str(m->oc[i].outcome, outcome) &&
		    same_str(m->oc[i].errno_name, err))
			a = &m->oc[i];
	if (!a) {
		if (m->noc == m->coc) {
			uint32_t n = m->coc ? m->coc * 2 : 16;
			struct outcome_acc *o = realloc(m->oc, n * sizeof(*o));
			if (!o)
				return mdl_fail_nomem(m);
			m->oc = o;
			m->coc = n;
		}
		a = &m->oc[m->noc++];
		*a = (struct outcome_acc){ (uint8_t)sys, (int8_t)which, outcome,
					   err, 0, 0 };
	}
	a->calls++;
	a->inferred += inferred;
	return 0;
}

/* A poll more than this long after the process's last SIGCHLD was not
 * driven by one (polling_v). */
#define SIGCHLD_DRIVE_NS (50 * 1000 * 1000LL)

static void count_poll(struct wt_mthread *th, const struct wt_mproc *proc,
		       const struct call_ctx *cx)
{
	const struct wt_open_call *c = &cx->c;
	if (c->enter_ns == WT_NONE || !((uint32_t)c->options & WNOHANG_FL))
		return;
	struct wt_poll_stats *p = &th->poll;
	bool empty = !strcmp(cx->outcome, "nothing");
	p->calls++;
	p->empty += empty;
	p->undriven += empty && (proc->last_sigchld_rx_ns == WT_NONE ||
				 c->enter_ns - proc->last_sigchld_rx_ns >
					 SIGCHLD_DRIVE_NS);
	p->echild += cx->exit_ns != WT_NONE && cx->ret == -10;
	p->reaped += !strcmp(cx->outcome, "reaped");
	if (p->first_ns == WT_NONE || c->enter_ns < p->first_ns)
		p->first_ns = c->enter_ns;
	int64_t last = cx->exit_ns != WT_NONE ? cx->exit_ns : c->enter_ns;
	if (last > p->last_ns)
		p->last_ns = last;
}

static const char *opts_text(struct wt_model *m, const struct wt_open_call *c)
{
	if (m->opts_sys != c->sys || m->opts_val != (uint32_t)c->options) {
		wt_options_text((uint32_t)c->options, m->opts, sizeof(m->opts));
		m->opts_sys = c->sys;
		m->opts_val = (uint32_t)c->options;
	}
	return m->opts;
}

static int64_t upid_of(struct wt_model *m, uint32_t pi)
{
	struct wt_mproc *p = proc_at(m, pi);
	return p ? p->upid : WT_NONE;
}

/* The buffer columns of @row from @cx->mem; the texts go in @text. */
static void put_mem(struct wt_call_row *row, const struct call_ctx *cx,
		    char text[3][256])
{
	const struct wt_wait_mem *mem = &cx->mem;

	row->status_addr = mem->status_addr;
	row->infop_addr = mem->infop_addr;
	row->rusage_addr = mem->rusage_addr;
	row->info_signo = mem->info_signo;
	row->info_code = mem->info_code;
	row->info_pid = mem->info_pid;
	row->info_uid = mem->info_uid;
	row->info_status = mem->info_status;
	row->ru_utime_us = mem->ru_utime_us;
	row->ru_stime_us = mem->ru_stime_us;
	row->ru_maxrss_kb = mem->ru_maxrss_kb;
	row->ru_minflt = mem->ru_minflt;
	row->ru_majflt = mem->ru_majflt;
	row->ru_nvcsw = mem->ru_nvcsw;
	row->ru_nivcsw = mem->ru_nivcsw;
	/* most calls (a poller's) have none of them */
	row->status_text = cx->status == WT_NONE ? NULL :
			   wt_status_text(cx->status, text[0], 256);
	row->siginfo_text = mem->info_signo == WT_MEM_NONE ? NULL :
			    wt_siginfo_text(mem, text[1], 256);
	row->rusage_text = mem->ru_utime_us == WT_MEM_NONE ? NULL :
			   wt_rusage_text(mem, text[2], 256);
}

static int put_call(struct wt_model *m, const struct call_ctx *cx)
{
	struct wt_mthread *th = thread_at(m, cx->ti);
	struct wt_mproc *p = proc_at(m, th->proc);
	const struct wt_open_call *c = &cx->c;
	bool entered = c->enter_ns != WT_NONE, done = cx->exit_ns != WT_NONE;
	bool inferred = cx->reap_basis == RB_REPLAY ||
			cx->reap_basis == RB_DEFERRED;
	struct wt_call_row row = {
		.id = c->id, .recording_id = m->rec_id, .utid = th->utid,
		.upid = p->upid, .tid = th->tid, .pid = p->pid,
		.syscall = c->sys == WT_SYS_WAIT4 ? "wait4" : "waitid",
		.idtype = wt_idtype_name(cx->which), .target = cx->target_arg,
		.pid_arg = entered ? c->arg : WT_NONE,
		.options = entered ? (int64_t)c->options : WT_NONE,
		.options_text = entered ? opts_text(m, c) : NULL,
		.enter_ns = c->enter_ns, .exit_ns = cx->exit_ns,
		.dur_ns = entered && done ? cx->exit_ns - c->enter_ns : WT_NONE,
		.ret = done ? cx->ret : WT_NONE,
		.errno_name = done && cx->ret < 0 ? wt_errno_name(cx->ret) : NULL,
		.outcome = cx->outcome,
		.reaped_upid = !strcmp(cx->outcome, "reaped") ?
			       upid_of(m, cx->child) : WT_NONE,
		.reap_inferred = inferred, .status = cx->status,
		.target_upid = upid_of(m, cx->target),
		.target_gpid = c->target_gpid ? c->target_gpid : WT_NONE,
		.target_basis = cx->target_basis ?
				target_basis_names[cx->target_basis] : NULL,
		.reap_basis = cx->reap_basis ?
			      reap_basis_names[cx->reap_basis] : NULL,
		.replay_upid = upid_of(m, cx->replay),
		.child_upid = !strcmp(cx->outcome, "reaped") ? WT_NONE :
			      upid_of(m, cx->child),
		.error_class = done ? wt_error_class(cx->ret, cx->which) : NULL,
	};
	char text[3][256];
	put_mem(&row, cx, text);
	if (wt_db_put_call(m->db, &row) < 0)
		return mdl_fail_db(m);
	if (m->obs && m->obs->call)
		m->obs->call(m->obs->ctx, &row);
	p->wait_calls++;
	int64_t last = entered ? c->enter_ns : cx->exit_ns;
	if (last > p->last_wait_ns)
		p->last_wait_ns = last;
	count_poll(th, p, cx);
	mdl_touch_proc(m, th->proc);
	if (entered && ((uint32_t)c->options & WNOHANG_FL))
		mdl_touch_thread(m, cx->ti);
	return count_outcome(m, c->sys, cx->which, cx->outcome,
			     row.errno_name, inferred);
}

/* ---- entry, target ------------------------------------------------------- */

static void resolve_target(struct wt_model *m, struct call_ctx *cx);

/* idtype and target as the kernel sees them (wait4's pid mapped). */
static int call_idtype(const struct wt_open_call *c, int64_t *target)
{
	*target = WT_NONE;
	if (c->enter_ns == WT_NONE)
		return -1;
	if (c->sys == WT_SYS_WAIT4) {
		if (c->arg > 0) {
			*target = c->arg;
			return WT_P_PID;
		}
		if (c->arg == -1)
			return WT_P_ALL;
		if (c->arg == INT32_MIN_PID)
			return -1; /* ESRCH: "-INT_MIN is not defined" */
		*target = -(int64_t)c->arg;
		return WT_P_PGID;
	}
	if (c->which != WT_P_ALL)
		*target = c->arg;
	return c->which;
}

int mdl_close_unfinished(struct wt_model *m, uint32_t ti)
{
	struct wt_mthread *th = thread_at(m, ti);
	struct call_ctx cx = {
		.ti = ti, .c = th->call, .exit_ns = WT_NONE,
		.outcome = "blocked", .child = WT_NOIDX, .target = WT_NOIDX,
		.replay = WT_NOIDX, .status = WT_NONE,
	};
	cx.which = call_idtype(&cx.c, &cx.target_arg);
	wt_mem_pointers(&cx.mem, cx.c.sys, cx.c.user_ptrs, cx.c.uaddr,
			cx.c.ru_addr);
	th->call.sys = 0;
	resolve_target(m, &cx); /* the victim of a steal may be blocked */
	return put_call(m, &cx);
}

int mdl_wait_enter(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	/* A thread past its exit event makes no system call: this is
	 * kernel/pid_namespace.c zap_pid_ns_processes()'s kernel_wait4(-1,
	 * NULL, __WALL) loop (its only caller inside the kernel), run by a
	 * namespace's init from exit_notify(), which a kprobe on
	 * kernel_wait4 sees.  mdl_ns_teardown() models what it does. */
	if (th->ended) {
		m->checks[CHK_TEARDOWN_WAIT]++;
		return 0;
	}
	if (th->call.sys && mdl_close_unfinished(m, ti) < 0)
		return -1;
	th->call = (struct wt_open_call){
		.id = wt_db_new_id(m->db, WT_ID_CALL),
		.enter_ns = (int64_t)ev->ts,
		.which = ev->wait_enter.which, .arg = ev->wait_enter.upid,
		.options = ev->wait_enter.options, .sys = ev->wait_enter.sys,
		.uaddr_null = ev->wait_enter.has_uaddr &&
			      ev->wait_enter.uaddr == 0,
		.user_ptrs = ev->wait_enter.has_user_ptrs,
		.uaddr = ev->wait_enter.uaddr, .ru_addr = ev->wait_enter.ru_addr,
	};
	return 0;
}

int mdl_wait_target(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_ptab_find_tid(&m->pt, ev->tid);
	struct wt_mthread *th = thread_at(m, ti);

	/* Outside a traced call: a do_wait() of the kernel's own (a
	 * usermode helper's kernel_wait()), or the entry was lost. */
	if (th && th->call.sys && !th->call.target_gpid)
		th->call.target_gpid = ev->wait_target.pid;
	return 0;
}

/* The instance the pid @nr names in namespace @ns: the current holder, or
 * the last one (a released child's pid still names it until another
 * process takes the number: the victim of a steal meant that child). */
static uint32_t named(struct wt_model *m, uint32_t ns, int32_t nr)
{
	return nr > 0 ? mdl_ns_lookup(m, ns, nr) : WT_NOIDX;
}

/* P_PID / P_PIDFD target and P_PGID group of the call. */
static void resolve_target(struct wt_model *m, struct call_ctx *cx)
{
	struct wt_mproc *p = proc_of(m, cx->ti);
	int32_t g = cx->c.target_gpid;

	cx->target = WT_NOIDX;
	if (cx->which == WT_P_PGID) {
		cx->target_pgid = g ? g : (cx->target_arg == 0 ? p->pgid : 0);
		if (!g && cx->target_arg > 0 && p->pidns == 0)
			cx->target_pgid = (int32_t)cx->target_arg;
		return;
	}
	if (cx->which != WT_P_PID && cx->which != WT_P_PIDFD)
		return;
	if (g) {
		cx->target = wt_ptab_find_pid(&m->pt, g);
		cx->target_basis = TB_EVENT;
		/* the argument is that process's pid in the caller's
		 * namespace: learn it */
		if (cx->which == WT_P_PID && cx->target != WT_NOIDX &&
		    p->pidns != 0) {
			int r = mdl_ns_learn(m, p->pidns, (int32_t)cx->target_arg,
					     cx->target, NSPID_WAIT);
			if (r > 0)
				m->checks[CHK_NSPID_LEARNED]++;
			else if (r < 0)
				m->checks[CHK_NSPID_CONFLICT]++;
		}
		return;
	}
	if (cx->which == WT_P_PID) {
		cx->target = named(m, p->pidns, (int32_t)cx->target_arg);
		cx->target_basis = cx->target == WT_NOIDX ? TB_NONE :
				   p->pidns == 0 ? TB_PID : TB_NSPID;
	}
	if (cx->target == WT_NOIDX)
		m->checks[CHK_TARGET_UNKNOWN]++;
}

/* ---- the replay ------------------------------------------------------------ */

static bool exited(const struct wt_mproc *c)
{
	return c->exit_ns != WT_NONE || c->zombie_at_start;
}

/* Could the call's filter (idtype, target, options) take child @c? */
static bool eligible(const struct call_ctx *cx, const struct wt_mproc *c,
		     uint32_t ci)
{
	uint32_t opt = (uint32_t)cx->c.options;

	if ((opt & WCLONE_FL) && !(opt & WALL_FL))
		return false; /* every child is taken to be a SIGCHLD one */
	switch (cx->which) {
	case WT_P_PID:
	case WT_P_PIDFD:
		return cx->target == WT_NOIDX || cx->target == ci;
	case WT_P_PGID:
		return !cx->target_pgid || c->pgid < 0 ||
		       c->pgid == cx->target_pgid;
	default:
		return true;
	}
}

/* Is @c a zombie a scan ending at @t could take (and nobody else did)? */
static bool waitable_by(const struct wt_mproc *c, int64_t t, int64_t call_id)
{
	if (!exited(c) || c->reap_call_id != WT_NONE ||
	    c->released_ns != WT_NONE)
		return false;
	if (c->pending_call != WT_NONE && c->pending_call != call_id)
		return false; /* an earlier undecided call had it first */
	if (c->notice_elsewhere)
		return false; /* its tracer's until handed on */
	if (c->zombie_at_start)
		return true;
	return c->waitable_ns != WT_NONE && (t == WT_NONE || c->waitable_ns <= t);
}

static void consider(struct wt_model *m, const struct call_ctx *cx,
		     uint32_t ci, struct scan *s)
{
	struct wt_mproc *c = proc_at(m, ci);
	int64_t enter = cx->c.enter_ns;

	if (!eligible(cx, c, ci))
		return;
	s->any_eligible = true;
	if (!exited(c)) {
		s->any_alive = true;
		return;
	}
	if (c->pending_call != WT_NONE && c->pending_call != cx->c.id &&
	    (c->zombie_at_start || (enter != WT_NONE && c->waitable_ns < enter)))
		s->pending_hit = ci;
	if (!waitable_by(c, cx->exit_ns, cx->c.id))
		return;
	s->n_waitable++;
	bool definite = c->zombie_at_start ||
			(enter != WT_NONE && c->waitable_ns < enter);
	if (definite && s->first_definite == WT_NOIDX)
		s->first_definite = ci;
	if (s->earliest == WT_NOIDX ||
	    c->waitable_ns < proc_at(m, s->earliest)->waitable_ns)
		s->earliest = ci;
}

/* One thread's children list, in order; drops stale entries at its head. */
static void scan_thread(struct wt_model *m, const struct call_ctx *cx,
			uint32_t ti, struct scan *s)
{
	struct wt_mthread *th = thread_at(m, ti);
	uint32_t keep = 0;

	for (uint32_t i = 0; i < th->children.len; i++) {
		uint32_t ci = th->children.v[i];
		if (!mdl_is_child_of(m, ci, ti))
			continue;
		th->children.v[keep++] = ci;
		consider(m, cx, ci, s);
	}
	th->children.len = keep;
}

/*
 * __do_wait() replayed: the calling thread's children, then (without
 * __WNOTHREAD) the other threads' in thread-list order after it.  The
 * choice is the first child in that order that was waitable when the call
 * began (the first scan finds it); failing that the one that became
 * waitable first (its SIGCHLD woke the sleeping waiter).
 */
static void replay(struct wt_model *m, const struct call_ctx *cx,
		   struct scan *s)
{
	struct wt_mproc *p = proc_of(m, cx->ti);
	bool nothread = (uint32_t)cx->c.options & WNOTHREAD_FL;
	uint32_t self = 0;

	memset(s, 0, sizeof(*s));
	s->first_definite = s->earliest = s->choice = WT_NOIDX;
	s->pending_hit = WT_NOIDX;
	/* do_wait_pid(): a known target is looked at alone (it must be a
	 * child of the caller, or of its process without __WNOTHREAD) */
	if ((cx->which == WT_P_PID || cx->which == WT_P_PIDFD) &&
	    cx->target != WT_NOIDX) {
		struct wt_mproc *c = proc_at(m, cx->target);
		bool mine = nothread ? mdl_is_child_of(m, cx->target, cx->ti)
				     : c->parent == thread_at(m, cx->ti)->proc &&
				       mdl_is_child_of(m, cx->target,
						       c->parent_thread);
		if (mine)
			consider(m, cx, cx->target, s);
		s->choice = s->first_definite != WT_NOIDX ? s->first_definite
							  : s->earliest;
		return;
	}
	/* A P_ALL scan of a process whose children did not change since a
	 * scan that found none waitable finds none again. */
	bool cacheable = cx->which == WT_P_ALL && !nothread &&
			 (!((uint32_t)cx->c.options & WCLONE_FL) ||
			  ((uint32_t)cx->c.options & WALL_FL));
	if (cacheable && p->scan_cached && p->scan_gen == p->child_gen) {
		s->any_eligible = p->scan_any_eligible;
		s->any_alive = p->scan_any_alive;
		return;
	}
	for (uint32_t i = 0; i < p->threads.len; i++)
		if (p->threads.v[i] == cx->ti)
			self = i;
	for (uint32_t k = 0; k < p->threads.len; k++) {
		uint32_t ti = p->threads.v[(self + k) % p->threads.len];
		if (k > 0 && nothread)
			break;
		scan_thread(m, cx, ti, s);
	}
	if (!p->threads.len)
		scan_thread(m, cx, cx->ti, s);
	s->choice = s->first_definite != WT_NOIDX ? s->first_definite
						  : s->earliest;
	p->scan_cached = cacheable && !s->n_waitable &&
			 s->pending_hit == WT_NOIDX;
	p->scan_gen = p->child_gen;
	p->scan_any_eligible = s->any_eligible;
	p->scan_any_alive = s->any_alive;
}

/* ---- reaps ------------------------------------------------------------------ */

static void apply_reap(struct wt_model *m, struct call_ctx *cx, uint32_t ci)
{
	struct wt_mproc *ch = proc_at(m, ci);
	struct wt_mthread *th = thread_at(m, cx->ti);

	mdl_child_changed(m, ci);
	ch->reaped_ns = cx->exit_ns;
	ch->reaper_tid = th->tid;
	mdl_touch_proc(m, ci);
	ch->reaper_upid = proc_at(m, th->proc)->upid;
	ch->reap_call_id = cx->c.id;
	if (cx->status_kind > 0) {
		ch->status_kind = (uint8_t)cx->status_kind;
		ch->status_val = cx->status_val;
		ch->exit_source = cx->status_src;
	}
	cx->outcome = "reaped";
	cx->child = ci;
	if (cx->reap_basis == RB_RETURN)
		m->checks[CHK_REAP_RETURN]++;
	else if (cx->reap_basis == RB_TARGET)
		m->checks[CHK_REAP_TARGET]++;
	else if (cx->reap_basis == RB_REPLAY)
		m->checks[CHK_REAP_REPLAY]++;
	else if (cx->reap_basis == RB_DEFERRED)
		m->checks[CHK_REAP_DEFERRED]++;
}

static struct mdl_pending *pending_of(struct wt_model *m, uint32_t ci,
				      int64_t call_id)
{
	for (uint32_t i = 0; i < m->npend; i++)
		if (m->pend[i].cand == ci && m->pend[i].cx.c.id == call_id)
			return &m->pend[i];
	return NULL;
}

static void drop_pending(struct wt_model *m, struct mdl_pending *pd)
{
	*pd = m->pend[--m->npend];
}

/* Decide the undecided call that may have taken @ci: it did (@took) or
 * it found nothing.  Writes its row. */
static int settle(struct wt_model *m, uint32_t ci, bool took)
{
	struct wt_mproc *c = proc_at(m, ci);
	struct mdl_pending *pd = pending_of(m, ci, c->pending_call);

	mdl_child_changed(m, ci);
	c->pending_call = WT_NONE;
	if (!pd)
		return 0;
	struct call_ctx cx = pd->cx;
	drop_pending(m, pd);
	if (took) {
		cx.reap_basis = RB_DEFERRED;
		apply_reap(m, &cx, ci);
	} else {
		cx.outcome = "nothing";
		cx.child = WT_NOIDX;
	}
	return put_call(m, &cx) < 0 ? -1 : took;
}

int mdl_wait_settle_gone(struct wt_model *m, uint32_t child, int64_t ts)
{
	(void)ts;
	if (proc_at(m, child)->pending_call == WT_NONE)
		return 0;
	return settle(m, child, true);
}

int mdl_wait_settle_all(struct wt_model *m)
{
	bool stop = m->stop_snap_ns != WT_NONE;

	while (m->npend) {
		struct mdl_pending *pd = &m->pend[m->npend - 1];
		struct wt_mproc *c = proc_at(m, pd->cand);
		bool zstop = c->in_stop && c->stop_leader_z;

		/* at stop: still a zombie = it was not taken; gone = it was;
		 * without a stop snapshot nobody knows */
		if (stop) {
			if (settle(m, pd->cand, !zstop) < 0)
				return -1;
			continue;
		}
		struct call_ctx cx = pd->cx;
		c->pending_call = WT_NONE;
		drop_pending(m, pd);
		if (put_call(m, &cx) < 0) /* stays "unknown" */
			return -1;
	}
	return 0;
}

void mdl_wait_free(struct wt_model *m)
{
	free(m->pend);
	m->pend = NULL;
	m->npend = m->cpend = 0;
}

static int defer(struct wt_model *m, const struct call_ctx *cx, uint32_t ci)
{
	if (m->npend == m->cpend) {
		uint32_t n = m->cpend ? m->cpend * 2 : 16;
		struct mdl_pending *v = realloc(m->pend, n * sizeof(*v));
		if (!v)
			return mdl_fail_nomem(m);
		m->pend = v;
		m->cpend = n;
	}
	m->pend[m->npend++] = (struct mdl_pending){ *cx, ci };
	proc_at(m, ci)->pending_call = cx->c.id;
	mdl_child_changed(m, ci);
	return 1;
}

/* ---- deciding a call -------------------------------------------------------- */

/* An instance for a pid a wait returned that no recorded task had. */
static uint32_t unseen_child(struct wt_model *m, struct call_ctx *cx,
			     int32_t nr)
{
	struct wt_mproc *p = proc_of(m, cx->ti);
	uint32_t ci = mdl_proc_new(m, nr);

	m->checks[CHK_RETURN_UNSEEN]++;
	if (ci == WT_NOIDX)
		return ci;
	struct wt_mproc *c = proc_at(m, ci);
	c->pidns = p->pidns;
	c->global_pid_unknown = p->pidns != 0;
	if (p->pidns != 0)
		mdl_ns_learn(m, p->pidns, nr, ci, NSPID_WAIT);
	if (mdl_link_child(m, ci, cx->ti) < 0)
		return WT_NOIDX;
	c->orig_parent = c->parent;
	return ci;
}

/* The child a returned pid @nr (caller's namespace) names. */
static uint32_t returned_child(struct wt_model *m, struct call_ctx *cx,
			       int32_t nr, const struct scan *s)
{
	struct wt_mproc *p = proc_of(m, cx->ti);
	uint32_t ci = mdl_ns_lookup(m, p->pidns, nr);

	if (ci != WT_NOIDX)
		return ci;
	if (p->pidns != 0 && s->choice != WT_NOIDX) {
		/* the replay says which child: learn its pid there */
		if (mdl_ns_learn(m, p->pidns, nr, s->choice, NSPID_WAIT) > 0)
			m->checks[CHK_NSPID_LEARNED]++;
		return s->choice;
	}
	return unseen_child(m, cx, nr);
}

/* The returned child's real parent is another process: a ptrace tracer's
 * notice, or the model had its parent wrong (a subreaper it did not
 * know).  Returns true for a tracer's notice. */
static bool tracer_notice(struct wt_model *m, struct call_ctx *cx,
			  uint32_t ci)
{
	struct wt_mproc *c = proc_at(m, ci);
	struct wt_mproc *p = proc_of(m, cx->ti);

	if (c->parent == thread_at(m, cx->ti)->proc)
		return false;
	if (cx->c.handoff_tid || ((uint32_t)cx->c.options & WALL_FL)) {
		c->is_ptracee = true;
		if (c->notice_elsewhere) { /* the hand-off: now the parent's */
			mdl_child_changed(m, ci);
			c->notice_elsewhere = false;
			if (cx->c.handoff_ns)
				c->waitable_ns = cx->c.handoff_ns;
		}
		m->checks[CHK_TRACER_NOTICE]++;
		return true;
	}
	/* The kernel gave it to this process: follow the kernel. */
	bool by_rule = c->reparents > 0;
	if (mdl_move_child(m, ci, cx->ti, cx->exit_ns, MV_UNKNOWN, "wait") < 0)
		return false;
	m->checks[CHK_REPARENT_CORRECTED]++;
	if (by_rule && p->subreaper != 1 && !p->ns_init) {
		p->subreaper = 1;
		m->checks[CHK_SUBREAPER_LEARNED]++;
	}
	return false;
}

/* Count how the replay's choice compares with the child the kernel
 * returned (for waits that scan: P_ALL, P_PGID). */
static void compare_replay(struct wt_model *m, const struct call_ctx *cx,
			   const struct scan *s, uint32_t ci)
{
	if (cx->which != WT_P_ALL && cx->which != WT_P_PGID)
		return;
	if (s->choice == WT_NOIDX)
		m->checks[CHK_REPLAY_NONE]++;
	else if (s->choice == ci)
		m->checks[CHK_REPLAY_AGREE]++;
	else
		m->checks[CHK_REPLAY_DISAGREE]++;
}

/* Has task @tid notified a stop or continue (so a wait may report it
 * alive)?  The notice is sent after the stop is visible (ptrace_stop()
 * drops the siglock first), so a WNOHANG scan may return the stop just
 * before it: "ever", not "one per report". */
static bool stop_notified(struct wt_model *m, int32_t tid)
{
	struct wt_mthread *th = thread_at(m, wt_ptab_find_tid(&m->pt, tid));
	return th && th->stops_notified > 0;
}

/*
 * A ptrace tracer's wait with __WALL reports each traced task on its own
 * (ptrace_do_wait() walks the tracee list, threads included): @nr may be
 * the tid of a thread, for its stop or its exit.  Neither reaps a
 * process.  True when @nr is such a thread (of a process other than a
 * pid @nr names); the call is then decided.
 */
static bool thread_report(struct wt_model *m, struct call_ctx *cx, int32_t nr)
{
	if (proc_of(m, cx->ti)->pidns != 0 || mdl_ns_lookup(m, 0, nr) != WT_NOIDX)
		return false; /* tids are looked up in the root namespace only */
	struct wt_mthread *th = thread_at(m, wt_ptab_find_tid(&m->pt, nr));
	if (!th || proc_at(m, th->proc)->pid == nr)
		return false;
	cx->child = th->proc;
	if (th->end_ns == WT_NONE) {
		cx->outcome = "report";
		return true;
	}
	cx->outcome = "traced";
	m->checks[CHK_TRACER_NOTICE]++;
	return true;
}

/*
 * The kernel returned child pid @nr (@kind: ST_CODE/ST_SIGNAL from the
 * status it wrote, ST_NONE a stop/continue, -1 not read).
 */
static int returned(struct wt_model *m, struct call_ctx *cx, int32_t nr,
		    int kind, const struct scan *s)
{
	if (thread_report(m, cx, nr))
		return 0;
	uint32_t ci = returned_child(m, cx, nr, s);
	if (ci == WT_NOIDX)
		return m->failed ? -1 : 0;
	struct wt_mproc *c = proc_at(m, ci);
	uint32_t opt = (uint32_t)cx->c.options;

	cx->child = ci;
	if (c->pending_call != WT_NONE && c->pending_call != cx->c.id &&
	    settle(m, ci, false) < 0)
		return -1;
	/* The status was not read (tracepoint backend) and the trace shows
	 * the child alive: a stop report if stops were asked for (a parent
	 * with SA_NOCLDSTOP is not notified of them), if the caller waits
	 * like a ptrace tracer (__WALL: strace, gdb; a tracer gets its
	 * tracees' stops without WSTOPPED and is often their real parent
	 * too), or if the child has notified stops.  Otherwise its exit is
	 * missing from the trace (the recorder's pid filter drops a reused
	 * pid when the old task is freed, an RCU grace period late).
	 * Without SIGCHLD in the recording, only a child it never saw born
	 * nor in a snapshot, or one that reused a pid whose previous holder
	 * was not yet freed (pid_prev: the filter's window), is presumed
	 * exited. */
	bool ex = kind > 0 || (kind < 0 && exited(c));
	if (kind < 0 && !exited(c) &&
	    !(opt & (WSTOPPED_FL | WCONTINUED_FL | WALL_FL)) &&
	    !stop_notified(m, c->pid)) {
		bool reused = c->pid_prev != WT_NOIDX;
		ex = m->sigchld_recorded || reused ||
		     (c->fork_ns == WT_NONE && !c->from_snapshot);
		if (m->sigchld_recorded || reused)
			m->checks[CHK_EXIT_UNSEEN]++;
	}
	/* The replay chooses among exited children: a stop or a tracer's
	 * notice of a tracee (not on the caller's lists) is no test of it. */
	if (!ex) {
		cx->outcome = "report";
		return 0;
	}
	if (opt & WNOWAIT_FL) {
		cx->replay = s->choice;
		compare_replay(m, cx, s, ci);
		cx->outcome = "report";
		return 0;
	}
	if (tracer_notice(m, cx, ci)) {
		cx->outcome = "traced";
		return 0;
	}
	if (m->failed)
		return -1;
	cx->replay = s->choice;
	compare_replay(m, cx, s, ci);
	cx->reap_basis = RB_RETURN;
	apply_reap(m, cx, ci);
	return 0;
}

const char mdl_echild_evidence[] =
	"its parent's wait got ECHILD: gone without a traced wait";

/* Is a wait call of another thread of the caller's process in the kernel
 * now?  It may have taken, inside its own syscall, the child this call
 * expected (wait_task_zombie() -> release_task() under the thief's
 * call), and on two CPUs its return can be recorded after this call's. */
static bool other_wait_in_flight(struct wt_model *m, const struct call_ctx *cx)
{
	struct wt_mproc *p = proc_of(m, cx->ti);

	for (uint32_t k = 0; k < p->threads.len; k++) {
		const struct wt_mthread *th = thread_at(m, p->threads.v[k]);
		if (p->threads.v[k] != cx->ti && th->call.sys &&
		    (th->call.enter_ns == WT_NONE ||
		     th->call.enter_ns <= cx->exit_ns))
			return true;
	}
	return false;
}

/* A WNOHANG call found nothing, or a scan failed with ECHILD: children
 * the model had as waitable since before the call were not there.  With
 * another thread's wait in flight that is the race, not a disagreement:
 * undo_raced_release() settles it when that call returns. */
static int empty_scan(struct wt_model *m, struct call_ctx *cx,
		      const struct scan *s, bool echild)
{
	if (s->pending_hit != WT_NOIDX) /* an undecided call took it */
		return settle(m, s->pending_hit, true) < 0 ? -1 : 0;
	if (s->first_definite != WT_NOIDX && !other_wait_in_flight(m, cx))
		m->checks[CHK_EMPTY_BUT_WAITABLE]++;
	if (!echild)
		return 0;
	if (s->any_alive)
		m->checks[CHK_ECHILD_WITH_CHILD]++;
	/* ECHILD: no eligible child at all, so every zombie the model
	 * still had for this scan was already gone. */
	struct wt_mproc *p = proc_of(m, cx->ti);
	for (uint32_t k = 0; k < p->threads.len; k++) {
		struct wt_mthread *th = thread_at(m, p->threads.v[k]);
		for (uint32_t i = 0; i < th->children.len; i++) {
			uint32_t ci = th->children.v[i];
			struct wt_mproc *c = proc_at(m, ci);
			if (!mdl_is_child_of(m, ci, p->threads.v[k]) ||
			    !exited(c) || !eligible(cx, c, ci))
				continue;
			mdl_release(m, ci, cx->exit_ns, REL_UNSEEN,
				    mdl_echild_evidence);
		}
	}
	return 0;
}

/* Was @ci released by another thread's ECHILD (empty_scan()) while this
 * call was in the kernel, and could this call have taken it? */
static bool raced_release(struct wt_model *m, const struct call_ctx *cx,
			  uint32_t ci)
{
	const struct wt_mproc *c = proc_at(m, ci);

	return c->parent == thread_at(m, cx->ti)->proc &&
	       c->reap_call_id == WT_NONE && c->release_kind == REL_UNSEEN &&
	       c->release_evidence == mdl_echild_evidence &&
	       (cx->c.enter_ns == WT_NONE || c->released_ns >= cx->c.enter_ns) &&
	       eligible(cx, c, ci);
}

/* The one child raced_release() allows for this call, or WT_NOIDX when
 * none or several. */
static uint32_t sole_raced(struct wt_model *m, const struct call_ctx *cx)
{
	struct wt_mproc *p = proc_of(m, cx->ti);
	uint32_t found = WT_NOIDX;

	for (uint32_t k = 0; k < p->threads.len; k++) {
		const struct wt_mthread *th = thread_at(m, p->threads.v[k]);
		for (uint32_t i = 0; i < th->children.len; i++) {
			uint32_t ci = th->children.v[i];
			if (proc_at(m, ci)->parent_thread != p->threads.v[k] ||
			    !raced_release(m, cx, ci))
				continue;
			if (found != WT_NOIDX)
				return WT_NOIDX;
			found = ci;
		}
	}
	return found;
}

/*
 * The overlapping steal: another thread's targeted wait got ECHILD while
 * this call was in the kernel, so empty_scan() took the child for gone;
 * but the kernel gave it to this call (the reap happened inside it) and
 * its return was recorded later.  When this call's return names the child
 * (@nr, in the caller's namespace), or it is a blocking waitid that took
 * one child and exactly one such child exists, the release is undone so
 * that the replay sees what the kernel saw.
 */
static void undo_raced_release(struct wt_model *m, const struct call_ctx *cx,
			       int32_t nr)
{
	uint32_t ci = WT_NOIDX;
	uint32_t opt = (uint32_t)cx->c.options;

	if (nr > 0)
		ci = mdl_ns_lookup(m, proc_of(m, cx->ti)->pidns, nr);
	else if (nr == 0 && (opt & WEXITED_FL) && !(opt & WNOHANG_FL))
		ci = sole_raced(m, cx);
	if (ci != WT_NOIDX && raced_release(m, cx, ci))
		mdl_release_undo(m, ci);
}

/* waitid through the tracepoint returned 0: which child, if any? */
static int waitid_zero(struct wt_model *m, struct call_ctx *cx,
		       const struct scan *s)
{
	uint32_t opt = (uint32_t)cx->c.options;
	bool targeted = (cx->which == WT_P_PID || cx->which == WT_P_PIDFD) &&
			cx->target != WT_NOIDX;
	bool wnohang = opt & WNOHANG_FL;

	cx->replay = s->choice;
	if (!(opt & WEXITED_FL)) {
		cx->outcome = wnohang ? "unknown" : "report";
		return 0;
	}
	if (s->first_definite == WT_NOIDX && s->choice != WT_NOIDX &&
	    wnohang && !(opt & WNOWAIT_FL)) {
		/* became waitable during the call: wait for evidence */
		cx->outcome = "unknown";
		return defer(m, cx, s->choice);
	}
	uint32_t ci = wnohang ? s->first_definite : s->choice;
	if (ci == WT_NOIDX) {
		cx->outcome = wnohang ? "nothing" : "unknown";
		if (wnohang)
			return empty_scan(m, cx, s, false);
		if (!(opt & (WSTOPPED_FL | WCONTINUED_FL)))
			m->checks[CHK_REPLAY_NONE]++;
		return 0;
	}
	cx->child = ci;
	if (opt & WNOWAIT_FL) {
		cx->outcome = "report";
		return 0;
	}
	cx->reap_basis = targeted ? RB_TARGET : RB_REPLAY;
	if (!targeted && s->n_waitable > 1)
		m->checks[CHK_REAP_REPLAY_AMBIG]++;
	apply_reap(m, cx, ci);
	return 0;
}

/* Can waitid's siginfo be believed?  A read-back of the caller's memory
 * through a NULL infop is garbage; kernel_waitid's own struct is not. */
static bool info_ok(const struct call_ctx *cx, const struct wt_event *ev)
{
	return ev->wait_exit.has_siginfo &&
	       (!ev->wait_exit.info_user || !cx->c.uaddr_null);
}

/* The pid the call's return names: wait4's return, kprobe waitid's
 * siginfo; 0 for the tracepoint's waitid (it names none), -1 nothing. */
static int32_t returned_nr(const struct call_ctx *cx, const struct wt_event *ev)
{
	if (ev->wait_exit.sys == WT_SYS_WAIT4)
		return ev->wait_exit.ret > 0 ? (int32_t)ev->wait_exit.ret : -1;
	if (info_ok(cx, ev))
		return ev->wait_exit.info_pid > 0 ? ev->wait_exit.info_pid : -1;
	return 0;
}

static int decide(struct wt_model *m, struct call_ctx *cx,
		  const struct wt_event *ev)
{
	struct scan s;
	int64_t ret = ev->wait_exit.ret;

	wt_mem_pointers(&cx->mem, cx->c.sys, cx->c.user_ptrs, cx->c.uaddr,
			cx->c.ru_addr);
	wt_mem_contents(&cx->mem, ev, info_ok(cx, ev));
	resolve_target(m, cx);
	if (ret >= 0)
		undo_raced_release(m, cx, returned_nr(cx, ev));
	replay(m, cx, &s);
	if (ret < 0) {
		cx->outcome = "error";
		if (ret == -10)
			return empty_scan(m, cx, &s, true);
		return 0;
	}
	if (ev->wait_exit.sys == WT_SYS_WAIT4) {
		if (ret == 0) {
			cx->outcome = "nothing";
			return empty_scan(m, cx, &s, false);
		}
		int kind = -1;
		/* a kprobe reads the status back from stat_addr: with
		 * NULL there the read failed and the field is garbage */
		if (ev->wait_exit.has_status && !cx->c.uaddr_null) {
			cx->status = ev->wait_exit.status;
			kind = mdl_status_decode(ev->wait_exit.status,
						 &cx->status_val);
			cx->status_kind = kind;
			cx->status_src = SRC_WAIT_STATUS;
		}
		return returned(m, cx, (int32_t)ret, kind, &s);
	}
	if (info_ok(cx, ev)) {
		int32_t pid = ev->wait_exit.info_pid;
		int32_t code = ev->wait_exit.info_code;
		if (pid == 0) {
			cx->outcome = "nothing";
			return empty_scan(m, cx, &s, false);
		}
		/* code 0: the pid is known, not how the child ended */
		int kind = code == 0 ? -1 : ST_NONE;
		if (code >= CLD_EXITED_CODE && code <= CLD_DUMPED_CODE) {
			kind = code == CLD_EXITED_CODE ? ST_CODE : ST_SIGNAL;
			cx->status_kind = kind;
			cx->status_val = ev->wait_exit.info_status;
			cx->status_src = SRC_SIGINFO;
		}
		return returned(m, cx, pid, kind, &s);
	}
	return waitid_zero(m, cx, &s);
}

int mdl_wait_exit(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	if (th->ended && !th->call.sys)
		return 0; /* the teardown's kernel_wait4() (mdl_wait_enter) */
	if (th->call.sys && th->call.sys != ev->wait_exit.sys &&
	    mdl_close_unfinished(m, ti) < 0)
		return -1;
	if (!th->call.sys) /* entered before the recording began */
		th->call = (struct wt_open_call){
			.id = wt_db_new_id(m->db, WT_ID_CALL),
			.enter_ns = WT_NONE, .which = -1,
			.sys = ev->wait_exit.sys,
		};
	struct call_ctx cx = {
		.ti = ti, .c = th->call, .exit_ns = (int64_t)ev->ts,
		.ret = ev->wait_exit.ret, .child = WT_NOIDX,
		.target = WT_NOIDX, .replay = WT_NOIDX, .status = WT_NONE,
	};
	th->call.sys = 0;
	cx.which = call_idtype(&cx.c, &cx.target_arg);
	int rc = decide(m, &cx, ev);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return 0; /* undecided: its row is written when settled */
	return put_call(m, &cx);
}

int mdl_flush_outcomes(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->noc; i++) {
		const struct outcome_acc *a = &m->oc[i];
		struct wt_outcome_row row = {
			.recording_id = m->rec_id,
			.syscall = a->sys == WT_SYS_WAIT4 ? "wait4" : "waitid",
			.idtype = wt_idtype_name(a->which), .outcome = a->outcome,
			.errno_name = a->errno_name, .calls = a->calls,
			.reap_inferred = a->inferred,
		};
		if (wt_db_put_outcome(m->db, &row) < 0)
			return mdl_fail_db(m);
	}
	return 0;
}
