/*
 * model_wait.c - wait4/waitid calls: open a call at entry, resolve it at
 * return (which child was reaped, or reported, or nothing), write its
 * wait_call row, and keep the counters the summary and polling reports read.
 *
 * Kernel facts used here:
 *  - wait4 returns the child's pid; the child is reaped unless it only
 *    stopped/continued (WUNTRACED/WCONTINUED, or ptrace stops).
 *  - waitid returns 0: its tracepoint does not say which child.  do_wait()
 *    scans the caller's children list, oldest first, and returns the first
 *    eligible one; so the earliest started exited child is inferred
 *    (reap_inferred = 1).  WNOWAIT peeks without reaping; no WEXITED means
 *    no exit is reported at all.
 *  - A ptrace tracer is told of a tracee's exit before the real parent; the
 *    parent's wait is the real reap, so a later return of the same instance
 *    takes the reap over.
 *  - Without WUNTRACED/WCONTINUED a returned child is an exit (ptrace stops
 *    aside), also when the trace never showed that exit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model_impl.h"

static const char *errno_name(int64_t ret)
{
	static const struct { int e; const char *name; } tab[] = {
		{ 1, "EPERM" }, { 3, "ESRCH" }, { 4, "EINTR" }, { 9, "EBADF" },
		{ 10, "ECHILD" }, { 11, "EAGAIN" }, { 12, "ENOMEM" },
		{ 14, "EFAULT" }, { 22, "EINVAL" }, { 512, "ERESTARTSYS" },
		{ 513, "ERESTARTNOINTR" }, { 514, "ERESTARTNOHAND" },
		{ 515, "ENOIOCTLCMD" }, { 516, "ERESTART_RESTARTBLOCK" },
	};
	int e = (int)-ret;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].e == e)
			return tab[i].name;
	const char *n = e > 0 && e < 4096 ? strerrorname_np(e) : NULL;
	return n ? n : "E?";
}

/* strace-like option names; wait4's 2 is WUNTRACED, waitid's WSTOPPED. */
static void options_text(int sys, uint32_t opt, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
		int only;
	} t[] = {
		{ 0x1, "WNOHANG", 0 }, { 0x2, "WUNTRACED", WT_SYS_WAIT4 },
		{ 0x8, "WCONTINUED", 0 }, { 0x4, "WEXITED", 0 },
		{ 0x2, "WSTOPPED", WT_SYS_WAITID },
		{ 0x01000000, "WNOWAIT", 0 },
		{ 0x20000000, "__WNOTHREAD", 0 }, { 0x40000000, "__WALL", 0 },
		{ 0x80000000, "__WCLONE", 0 },
	};
	size_t n = 0;
	buf[0] = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!(opt & t[i].bit) || (t[i].only && t[i].only != sys))
			continue;
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			      n ? "|" : "", t[i].name);
		opt &= ~t[i].bit;
	}
	if (opt)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%#x",
			      n ? "|" : "", opt);
	if (!n)
		snprintf(buf, len, "0");
}

static const char *idtype_name(int which)
{
	switch (which) {
	case WT_P_ALL: return "P_ALL";
	case WT_P_PID: return "P_PID";
	case WT_P_PGID: return "P_PGID";
	case WT_P_PIDFD: return "P_PIDFD";
	default: return NULL;
	}
}

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
		*target = -(int64_t)c->arg;
		return WT_P_PGID;
	}
	if (c->which != WT_P_ALL)
		*target = c->arg;
	return c->which;
}

/* What a returning call did, filled by resolve_*(). */
struct wait_result {
	const char *outcome;
	uint32_t child;         /* reaped instance, WT_NOIDX if none */
	bool inferred;
	int64_t status;
	int status_kind;        /* exit seen by the waiter (status/siginfo) */
	int32_t status_val;
	uint8_t status_src;
};

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
				return wt_mdl_fail_nomem(m);
			m->oc = o;
			m->coc = n;
		}
		a = &m->oc[m->noc++];
		*a = (struct outcome_acc){ sys, which, outcome, err, 0, 0 };
	}
	a->calls++;
	a->inferred += inferred;
	return 0;
}

static void count_poll(struct wt_mthread *th, const struct wt_open_call *c,
		       int64_t exit_ns, int64_t ret, const char *outcome)
{
	if (c->enter_ns == WT_NONE || !((uint32_t)c->options & WNOHANG_FL))
		return;
	struct wt_poll_stats *p = &th->poll;
	p->calls++;
	p->empty += !strcmp(outcome, "nothing");
	p->echild += exit_ns != WT_NONE && ret == -10;
	if (p->first_ns == WT_NONE || c->enter_ns < p->first_ns)
		p->first_ns = c->enter_ns;
	int64_t last = exit_ns != WT_NONE ? exit_ns : c->enter_ns;
	if (last > p->last_ns)
		p->last_ns = last;
}

static int put_call(struct wt_model *m, struct wt_mthread *th,
		    const struct wt_open_call *c, int64_t exit_ns,
		    int64_t ret, const struct wait_result *r)
{
	struct wt_mproc *p = proc_at(m, th->proc);
	int64_t target;
	int which = call_idtype(c, &target);
	if (m->opts_sys != c->sys || m->opts_val != (uint32_t)c->options) {
		options_text(c->sys, (uint32_t)c->options, m->opts,
			     sizeof(m->opts));
		m->opts_sys = c->sys;
		m->opts_val = (uint32_t)c->options;
	}
	const char *opts = m->opts;
	bool entered = c->enter_ns != WT_NONE;
	struct wt_mproc *child = proc_at(m, r->child);
	struct wt_call_row row = {
		.id = c->id, .recording_id = m->rec_id, .utid = th->utid,
		.upid = p->upid, .tid = th->tid, .pid = p->pid,
		.syscall = c->sys == WT_SYS_WAIT4 ? "wait4" : "waitid",
		.idtype = idtype_name(which), .target = target,
		.pid_arg = entered ? c->arg : WT_NONE,
		.options = entered ? (int64_t)c->options : WT_NONE,
		.options_text = entered ? opts : NULL,
		.enter_ns = c->enter_ns, .exit_ns = exit_ns,
		.dur_ns = entered && exit_ns != WT_NONE ?
			  exit_ns - c->enter_ns : WT_NONE,
		.ret = exit_ns != WT_NONE ? ret : WT_NONE,
		.errno_name = exit_ns != WT_NONE && ret < 0 ?
			      errno_name(ret) : NULL,
		.outcome = r->outcome,
		.reaped_upid = child ? child->upid : WT_NONE,
		.reap_inferred = r->inferred, .status = r->status,
	};
	if (wt_db_put_call(m->db, &row) < 0)
		return wt_mdl_fail_db(m);
	p->wait_calls++;
	int64_t last = entered ? c->enter_ns : exit_ns;
	if (last > p->last_wait_ns)
		p->last_wait_ns = last;
	count_poll(th, c, exit_ns, ret, r->outcome);
	return count_outcome(m, c->sys, which, r->outcome, row.errno_name,
			     r->inferred);
}

/* A call whose return was never seen: blocked at the end, or superseded
 * by a new entry on the same thread (its exit event was lost). */
int wt_mdl_close_unfinished(struct wt_model *m, struct wt_mthread *th)
{
	struct wait_result r = { "blocked", WT_NOIDX, false, WT_NONE, 0, 0, 0 };
	int rc = put_call(m, th, &th->call, WT_NONE, 0, &r);
	th->call.sys = 0;
	return rc;
}

int wt_mdl_wait_enter(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	if (th->call.sys && wt_mdl_close_unfinished(m, th) < 0)
		return -1;
	th->call = (struct wt_open_call){
		.id = wt_db_new_id(m->db, WT_ID_CALL),
		.enter_ns = (int64_t)ev->ts,
		.which = ev->wait_enter.which, .arg = ev->wait_enter.upid,
		.options = ev->wait_enter.options, .sys = ev->wait_enter.sys,
		.uaddr_null = ev->wait_enter.has_uaddr &&
			      ev->wait_enter.uaddr == 0,
	};
	return 0;
}

/* Has @c exited (and not been released) so that a wait may reap it? */
static bool reapable(const struct wt_mproc *c, int64_t enter_ns)
{
	if (c->exit_ns == WT_NONE && !c->zombie_at_start)
		return false;
	if (c->reap_call_id != WT_NONE)
		return false;
	/* Freed before this call began: auto-reaped or reaped unseen. */
	return !(c->freed_ns != WT_NONE && enter_ns != WT_NONE &&
		 c->freed_ns < enter_ns);
}

/* The first reapable child in the caller's zombie list (start order). */
static uint32_t first_zombie(struct wt_model *m, struct wt_mproc *par,
			     int64_t enter_ns)
{
	struct wt_zlist *z = par->zombies;
	if (!z)
		return WT_NOIDX;
	for (uint32_t i = z->head; i < z->len; i++) {
		struct wt_mproc *c = proc_at(m, z->v[i]);
		if (reapable(c, enter_ns))
			return z->v[i];
		/* Gone for good: drop it when at the head. */
		if (i == z->head && (c->reap_call_id != WT_NONE ||
				     c->freed_ns != WT_NONE)) {
			c->in_zlist = false;
			z->head++;
		}
	}
	return WT_NOIDX;
}

/* waitid() returned 0 and the tracepoint does not say which child. */
static void resolve_waitid_inferred(struct wt_model *m, struct wt_mproc *caller,
				    const struct wt_open_call *c,
				    struct wait_result *r)
{
	uint32_t opt = (uint32_t)c->options;
	int64_t target;
	int which = call_idtype(c, &target);
	uint32_t cand = WT_NOIDX;
	if (caller->ignores_sigchld == 1)
		cand = WT_NOIDX; /* its children never become zombies */
	else if (which == WT_P_PID) {
		uint32_t ci = wt_ptab_find_pid(&m->pt, (int32_t)target);
		if (ci != WT_NOIDX && reapable(proc_at(m, ci), c->enter_ns))
			cand = ci;
	} else if (which >= 0) {
		cand = first_zombie(m, caller, c->enter_ns);
	}
	if (!(opt & WEXITED_FL)) {
		r->outcome = (opt & WNOHANG_FL) ? "unknown" : "report";
	} else if (cand != WT_NOIDX) {
		r->outcome = (opt & WNOWAIT_FL) ? "report" : "reaped";
		if (!(opt & WNOWAIT_FL)) {
			r->child = cand;
			r->inferred = true;
		}
	} else {
		r->outcome = (opt & WNOHANG_FL) ? "nothing" : "unknown";
	}
}

/* A child instance for a pid a wait returned but the model never saw. */
static uint32_t unseen_child(struct wt_model *m, uint32_t caller_idx,
			     int32_t pid)
{
	uint32_t ci = wt_mdl_new_proc(m, pid);
	if (ci == WT_NOIDX)
		return ci;
	wt_mdl_set_parent(m, proc_at(m, ci), caller_idx);
	return ci;
}

/*
 * The waiter got child @pid back.  @kind is what the status said
 * (ST_CODE/ST_SIGNAL = an exit, ST_NONE = stop/continue) or -1 if the
 * backend did not read it.
 */
static int resolve_returned_pid(struct wt_model *m, uint32_t caller_idx,
				const struct wt_open_call *c, int32_t pid,
				int kind, struct wait_result *r)
{
	uint32_t ci = wt_ptab_find_pid(&m->pt, pid);
	struct wt_mproc *ch = proc_at(m, ci);
	bool nowait = (uint32_t)c->options & WNOWAIT_FL;
	/* Reaped before and released before this call: another instance. */
	if (!ch || (ch->reap_call_id != WT_NONE && ch->freed_ns != WT_NONE &&
		    c->enter_ns != WT_NONE && ch->freed_ns < c->enter_ns)) {
		if ((ci = unseen_child(m, caller_idx, pid)) == WT_NOIDX)
			return -1;
		ch = proc_at(m, ci);
	}
	bool exited = kind > 0 || (kind < 0 && (ch->exit_ns != WT_NONE ||
						ch->zombie_at_start));
	/* No stop reports asked, and the child's exit may have gone
	 * untraced: a child never seen before, or one that reused a pid
	 * whose earlier task was not yet freed (the scoped recording's pid
	 * filter then dropped its events: see pid_prev). */
	if (kind < 0 && ch->exit_ns == WT_NONE && !ch->zombie_at_start &&
	    !((uint32_t)c->options & (WUNTRACED_FL | WCONTINUED_FL)) &&
	    ((ch->fork_ns == WT_NONE && ch->from_snapshot == 0) ||
	     ch->pid_prev != WT_NOIDX))
		exited = true;
	if (!exited || nowait) {
		r->outcome = "report";
		return 0;
	}
	r->outcome = "reaped";
	r->child = ci;
	return 0;
}

static int resolve(struct wt_model *m, uint32_t caller_idx,
		   const struct wt_open_call *c, const struct wt_event *ev,
		   struct wait_result *r)
{
	int64_t ret = ev->wait_exit.ret;
	if (ret < 0) {
		r->outcome = "error";
		return 0;
	}
	if (ev->wait_exit.sys == WT_SYS_WAIT4) {
		if (ret == 0) {
			r->outcome = "nothing";
			return 0;
		}
		int kind = -1;
		/* a kprobe reads the status back from stat_addr: with
		 * NULL there the read failed and the field is garbage */
		if (ev->wait_exit.has_status && !c->uaddr_null) {
			r->status = ev->wait_exit.status;
			kind = wt_mdl_status_decode(ev->wait_exit.status,
					     &r->status_val);
			r->status_kind = kind;
			r->status_src = SRC_WAIT_STATUS;
		}
		return resolve_returned_pid(m, caller_idx, c, (int32_t)ret,
					    kind, r);
	}
	if (ev->wait_exit.has_siginfo && !c->uaddr_null) {
		int32_t pid = ev->wait_exit.info_pid;
		int32_t code = ev->wait_exit.info_code;
		if (pid == 0) {
			r->outcome = "nothing";
			return 0;
		}
		/* code 0: the pid is known, not how the child ended */
		int kind = code == 0 ? -1 : ST_NONE;
		if (code >= CLD_EXITED_CODE && code <= CLD_DUMPED_CODE) {
			kind = code == CLD_EXITED_CODE ? ST_CODE : ST_SIGNAL;
			r->status_kind = kind;
			r->status_val = ev->wait_exit.info_status;
			r->status_src = SRC_SIGINFO;
		}
		return resolve_returned_pid(m, caller_idx, c, pid, kind, r);
	}
	resolve_waitid_inferred(m, proc_at(m, caller_idx), c, r);
	return 0;
}

/* Record the reap on the child; a second reaper of the same instance
 * (ptrace: the tracer is told first) takes the reap over. */
static int apply_reap(struct wt_model *m, struct wt_mthread *th,
		      const struct wt_open_call *c, int64_t ts,
		      const struct wait_result *r)
{
	struct wt_mproc *ch = proc_at(m, r->child);
	if (ch->reap_call_id != WT_NONE &&
	    wt_db_unreap_call(m->db, ch->reap_call_id) < 0)
		return wt_mdl_fail_db(m);
	ch->reaped_ns = ts;
	ch->reaper_tid = th->tid;
	ch->reaper_upid = proc_at(m, th->proc)->upid;
	ch->reap_call_id = c->id;
	if (r->status_kind > 0) {
		ch->status_kind = r->status_kind;
		ch->status_val = r->status_val;
		ch->exit_source = r->status_src;
	}
	return 0;
}

int wt_mdl_wait_exit(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = wt_mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mthread *th = thread_at(m, ti);
	if (th->call.sys && th->call.sys != ev->wait_exit.sys &&
	    wt_mdl_close_unfinished(m, th) < 0)
		return -1;
	if (!th->call.sys) /* entered before the recording began */
		th->call = (struct wt_open_call){
			.id = wt_db_new_id(m->db, WT_ID_CALL),
			.enter_ns = WT_NONE, .which = -1,
			.sys = ev->wait_exit.sys,
		};
	struct wt_open_call c = th->call;
	th->call.sys = 0;
	struct wait_result r = { NULL, WT_NOIDX, false, WT_NONE, 0, 0, 0 };
	if (resolve(m, th->proc, &c, ev, &r) < 0)
		return -1;
	if (r.child != WT_NOIDX &&
	    apply_reap(m, th, &c, (int64_t)ev->ts, &r) < 0)
		return -1;
	return put_call(m, th, &c, (int64_t)ev->ts, ev->wait_exit.ret, &r);
}

int wt_mdl_flush_outcomes(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->noc; i++) {
		const struct outcome_acc *a = &m->oc[i];
		struct wt_outcome_row row = {
			.recording_id = m->rec_id,
			.syscall = a->sys == WT_SYS_WAIT4 ? "wait4" : "waitid",
			.idtype = idtype_name(a->which), .outcome = a->outcome,
			.errno_name = a->errno_name, .calls = a->calls,
			.reap_inferred = a->inferred,
		};
		if (wt_db_put_outcome(m->db, &row) < 0)
			return wt_mdl_fail_db(m);
	}
	return 0;
}

