/*
 * mdl_signals.c - signal facts: how each process ended (its exit status,
 * from exit_group()/exit() arguments, fatal signals and, with the kprobe
 * backend, do_exit()), and the SIGCHLD the kernel sends for each exit.
 *
 * The kernel's rules (Linux 6.x):
 *  - No tracepoint carries the exit status.  exit_group(code) gives
 *    (code & 0xff) << 8 (kernel/exit.c SYSCALL_DEFINE1(exit_group)); a
 *    leader's exit() is overridden by a later group exit; among group
 *    exits the first wins (the other threads then die of SIGKILL).
 *  - kernel/signal.c complete_signal() turns a fatal signal that no
 *    handler catches into SIGKILL for every thread of the group, so
 *    signal_deliver shows SIGKILL whatever was sent: the last
 *    default-fatal signal_generate to the process before its death is the
 *    signal that killed it.  Which signals kill by default is the table in
 *    common/sigtab.c.
 *  - do_notify_parent() (kernel/signal.c) sends the exit's SIGCHLD to
 *    tsk->parent (the ptrace tracer if there is one, else the real
 *    parent) from inside exit_notify(), in the same tasklist_lock section
 *    that makes the task a zombie: no wait can see the zombie before that
 *    SIGCHLD's timestamp.  It sends none at all when the parent's SIGCHLD
 *    is SIG_IGN (and then the child is released at once); with
 *    SA_NOCLDWAIT it sends one and releases the child too.  The trace
 *    result "ignored" (1) means the parent's disposition is SIG_DFL
 *    (possibly with SA_NOCLDWAIT); "delivered" (0) means a handler.
 *  - The same function, called from reparent_leader() by an exiting
 *    father, notifies the new parent of each zombie it inherits, before
 *    the father's own notice; called from wait_task_zombie() by a ptrace
 *    tracer that consumed a tracee's exit, it hands the zombie to the real
 *    parent (a SIGCHLD sent from inside the tracer's wait).
 *  - A delayed group leader (its threads outlived it) is notified for in
 *    release_task() of the last thread, in that thread's context.
 */
#include "mdl.h"
#include "sigtab.h"

static void set_pending(struct wt_mproc *p, int kind, int32_t val,
			int strength, int source)
{
	if (strength <= p->pend_strength)
		return;
	p->pend_kind = (uint8_t)kind;
	p->pend_val = val;
	p->pend_strength = (uint8_t)strength;
	p->pend_source = (uint8_t)source;
}

/* A full wait status word -> kind/value of the exit (or none for a
 * stop/continue report). */
int mdl_status_decode(int32_t st, int32_t *val)
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

void mdl_finalize_status(struct wt_mproc *p)
{
	int32_t val = 0;
	int kind = ST_NONE;
	if (p->has_do_exit)
		kind = mdl_status_decode(p->do_exit_code, &val);
	if (kind != ST_NONE) {
		p->status_kind = (uint8_t)kind;
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

int mdl_on_exit_call(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mproc *p = proc_of(m, ti);
	int32_t code = ev->exit_call.code & 0xff;
	if (ev->exit_call.group)
		set_pending(p, ST_CODE, code, STR_GROUP, SRC_EXIT_GROUP);
	else if (ev->tid == p->pid)
		set_pending(p, ST_CODE, code, STR_THREAD_EXIT, SRC_EXIT);
	return 0;
}

int mdl_on_sig_deliver(struct wt_model *m, const struct wt_event *ev)
{
	if (!wt_sig_kills(ev->sig_deliver.sig))
		return 0;
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	struct wt_mproc *p = proc_of(m, ti);
	int sig = ev->sig_deliver.sig, src = SRC_SIGNAL;
	if (sig == 9 && p->last_fatal_gen > 0) {
		sig = p->last_fatal_gen;
		src = SRC_SIGNAL_SENT;
	}
	set_pending(p, ST_SIGNAL, sig, STR_GROUP, src);
	return 0;
}

/*
 * A default-fatal signal sent to a task.  TRACE_SIGNAL_DELIVERED (0) and
 * ALREADY_PENDING (2) mean it is queued; the latest one before the death
 * wins, so a SIGTERM that a handler caught and a SIGKILL after it gives
 * SIGKILL.
 */
static int on_fatal_generate(struct wt_model *m, const struct wt_event *ev)
{
	int res = ev->sig_generate.result;
	if (res != 0 && res != 2)
		return 0;
	uint32_t ti = wt_ptab_find_tid(&m->pt, ev->sig_generate.target_pid);
	if (ti == WT_NOIDX)
		return 0;
	struct wt_mproc *p = proc_of(m, ti);
	if (p->exit_ns == WT_NONE)
		p->last_fatal_gen = (int8_t)ev->sig_generate.sig;
	return 0;
}

int mdl_on_do_exit(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	if (ti == WT_NOIDX)
		return -1;
	/* The thread that kills the group (group_dead) runs do_exit last;
	 * its code is the group's status. */
	struct wt_mproc *p = proc_of(m, ti);
	p->has_do_exit = true;
	p->do_exit_code = ev->do_exit.code;
	return 0;
}

/*
 * An exiting father's notice for the next zombie it handed on
 * (reparent_leader()).  The notice goes to the thread the kernel really
 * chose: when that is not the one the rule gave (a subreaper born before
 * the recording, say), every child of that move goes there instead.
 */
static int reparent_notice(struct wt_model *m, struct wt_mproc *f,
			   uint32_t target_ti, int64_t ts)
{
	struct mdl_move *mv = NULL;

	for (uint32_t i = f->zmove_first; i < f->zmove_end && !mv; i++)
		if (m->moves[i].zombie && !m->moves[i].released &&
		    !m->moves[i].noticed)
			mv = &m->moves[i];
	f->zmove_left--;
	if (!mv)
		return 0;
	mv->noticed = true;
	if (mv->late_exit) {
		/* it became the new parent's zombie only now (until this
		 * notice, waitable_ns was its own exit notice's time) */
		proc_at(m, mv->child)->waitable_ns = ts;
		mdl_child_changed(m, mv->child);
	}
	if (target_ti == WT_NOIDX || target_ti == mv->to_thread)
		return 0;
	/* The kernel's reaper was another thread: every child this exit
	 * handed on went there (one find_new_reaper() per exit). */
	uint32_t wrong = mv->to_thread, end = f->zmove_end;
	for (uint32_t i = f->zmove_first; i < end; i++) {
		struct mdl_move *x = &m->moves[i];
		if (x->to_thread != wrong || !mdl_is_child_of(m, x->child, wrong))
			continue;
		if (mdl_move_child(m, x->child, target_ti, x->ts, MV_SUBREAPER,
				   "SIGCHLD") < 0)
			return -1;
		m->checks[CHK_REPARENT_CORRECTED]++;
	}
	struct wt_mproc *tp = proc_of(m, target_ti);
	if (tp->subreaper != 1 && !tp->ns_init) {
		tp->subreaper = 1;
		m->checks[CHK_SUBREAPER_LEARNED]++;
	}
	return 0;
}

/*
 * A child's exit notice went to thread @target, the father the model
 * moved it away from at that father's exit event: the father had not yet
 * reached exit_notify(), whose forget_original_parent() does the move
 * (kernel/exit.c), so the child died still its child and is handed on as
 * a zombie, with a notice of its own to the new parent
 * (reparent_leader()).  The move of that exit, or NULL.
 */
static struct mdl_move *late_move(struct wt_model *m, uint32_t child,
				  uint32_t target)
{
	if (target == WT_NOIDX)
		return NULL;
	struct wt_mproc *f = proc_of(m, target);
	if (!f || f->exit_ns == WT_NONE)
		return NULL;
	for (uint32_t i = f->zmove_first; i < f->zmove_end; i++) {
		struct mdl_move *mv = &m->moves[i];
		if (mv->child == child && mv->from_thread == target &&
		    !mv->zombie && mv->reason != MV_THREAD)
			return mv;
	}
	return NULL;
}

/* Which thread is notified (the trace's target pid), or WT_NOIDX. */
static uint32_t notified_thread(struct wt_model *m, const struct wt_event *ev)
{
	return wt_ptab_find_tid(&m->pt, ev->sig_generate.target_pid);
}

static int on_sigchld(struct wt_model *m, const struct wt_event *ev)
{
	int code = ev->sig_generate.code;
	int64_t ts = (int64_t)ev->ts;
	uint32_t target = notified_thread(m, ev);

	if (target != WT_NOIDX) {
		proc_of(m, target)->sigchld_received++;
		proc_of(m, target)->last_sigchld_rx_ns = ts;
	}
	if (code >= CLD_TRAPPED_CODE && code <= CLD_CONTINUED_CODE) {
		/* a stop or continue notice (do_notify_parent_cldstop(), a
		 * ptrace stop's to the tracer too): a wait may report this
		 * task alive (mdl_wait.c) */
		struct wt_mthread *s = thread_at(m, wt_ptab_find_tid(&m->pt,
								     ev->tid));
		if (s)
			s->stops_notified++;
		return 0;
	}
	if (code < CLD_EXITED_CODE || code > CLD_DUMPED_CODE)
		return 0;
	uint32_t ti = wt_ptab_find_tid(&m->pt, ev->tid);
	if (ti == WT_NOIDX)
		return 0;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *p = proc_at(m, th->proc);

	if (p->exit_ns != WT_NONE && p->zmove_left > 0)
		return reparent_notice(m, p, target, ts);
	if (p->exit_ns != WT_NONE && p->sigchld_ns == WT_NONE) {
		struct mdl_move *late = late_move(m, th->proc, target);
		if (late) {
			mdl_move_late_exit(m, late, ts);
			if (!late->released)
				proc_of(m, target)->zmove_left++;
		}
		p->sigchld_ns = ts;
		p->sigchld_code = (int8_t)code;
		p->sigchld_result = (int8_t)ev->sig_generate.result;
		p->sigchld_target = ev->sig_generate.target_pid;
		p->waitable_ns = ts;
		mdl_child_changed(m, th->proc);
		/* exit_notify() tells only a ptrace tracer of a traced task,
		 * and the zombie is visible to the tracer alone
		 * (wait_consider_task()) until its wait hands it on */
		p->notice_elsewhere = !late && target != WT_NOIDX &&
				      p->parent != WT_NOIDX &&
				      thread_at(m, target)->proc != p->parent;
		return 0;
	}
	/* Sent from inside a wait by a live process: a tracer handing a
	 * tracee's exit on to the real parent. */
	if (th->call.sys && p->exit_ns == WT_NONE) {
		th->call.handoff_tid = ev->sig_generate.target_pid;
		th->call.handoff_ns = ts;
	}
	return 0;
}

int mdl_on_sig_generate(struct wt_model *m, const struct wt_event *ev)
{
	if (ev->sig_generate.sig == WT_SIGCHLD)
		return on_sigchld(m, ev);
	if (wt_sig_kills(ev->sig_generate.sig))
		return on_fatal_generate(m, ev);
	return 0;
}
