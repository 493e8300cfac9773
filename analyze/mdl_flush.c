/*
 * mdl_flush.c - the end of a recording's model: decide how each process
 * that no traced wait reaped left the process table (from the evidence
 * the recording holds), then write the rows of process, thread, reparent,
 * pidns, model_check, stats and recording.
 *
 * How a process that no traced wait reaped is judged (release_kind):
 *  - a zombie in the stop snapshot: still a zombie (no release);
 *  - gone by the end (sched_process_free, absent from the stop snapshot,
 *    its pid taken by a later process, or its parent's wait got ECHILD):
 *    'parent_ignores_sigchld' when the parent's SigIgn had SIGCHLD in a
 *    snapshot, or when no SIGCHLD was generated for its exit although
 *    signal_generate was recorded (do_notify_parent() sends none for
 *    SIG_IGN); 'unseen' otherwise: released without a traced wait, which
 *    leaves SA_NOCLDWAIT, a wait the recording does not show (another
 *    scope, io_uring's IORING_OP_WAITID, a 32-bit caller) and lost events;
 *  - released earlier by a rule the model applied (pid namespace teardown,
 *    reparenting to a parent that ignores SIGCHLD): kept as decided.
 */
#include <stdlib.h>
#include <string.h>
#include "mdl.h"

static const struct mdl_check_name check_names[CHK_COUNT] = {
	[CHK_REAP_RETURN] = { "reap_by_return", "count",
		"reaps named by the call's return value (wait4, kprobe waitid)" },
	[CHK_REAP_TARGET] = { "reap_by_target", "count",
		"waitid reaps of a P_PID/P_PIDFD call's known target" },
	[CHK_REAP_REPLAY] = { "reap_inferred_by_replay", "inference",
		"waitid(P_ALL/P_PGID) reaps whose child the replayed scan chose "
		"(the tracepoint does not name it)" },
	[CHK_REAP_REPLAY_AMBIG] = { "reap_inferred_among_several", "count",
		"of those, with more than one child waitable" },
	[CHK_REAP_DEFERRED] = { "reap_inferred_later", "inference",
		"WNOHANG waitid reaps decided by later evidence (the child became "
		"waitable during the call)" },
	[CHK_REPLAY_AGREE] = { "replay_agrees", "count",
		"returned children that the replayed scan chose too" },
	[CHK_REPLAY_DISAGREE] = { "replay_disagrees", "disagreement",
		"returned children other than the replayed scan's choice" },
	[CHK_REPLAY_NONE] = { "replay_saw_none", "disagreement",
		"returns of a child the replay did not see waitable (its exit or "
		"SIGCHLD not recorded)" },
	[CHK_EMPTY_BUT_WAITABLE] = { "empty_but_waitable", "disagreement",
		"calls that found nothing although the model had a child waitable "
		"since before they began" },
	[CHK_ECHILD_WITH_CHILD] = { "echild_with_child", "disagreement",
		"ECHILD although the model had a live eligible child" },
	[CHK_RETURN_UNSEEN] = { "returned_unseen_pid", "disagreement",
		"returned pids no recorded task had" },
	[CHK_EXIT_UNSEEN] = { "exit_unseen", "disagreement",
		"returns of a child the trace shows alive, to a wait that asked "
		"for no stops, that had notified none: its exit is missing "
		"from the trace (presumed)" },
	[CHK_TARGET_UNKNOWN] = { "target_unknown", "inference",
		"P_PID/P_PIDFD waits whose target process is not known" },
	[CHK_NSPID_SEQUENCE] = { "nspid_by_sequence", "inference",
		"namespace pids inferred from the kernel's allocation order" },
	[CHK_NSPID_LEARNED] = { "nspid_from_wait", "count",
		"namespace pids learned from a wait's argument or return" },
	[CHK_NSPID_CONFLICT] = { "nspid_conflict", "disagreement",
		"waits that contradicted a namespace pid the model had" },
	[CHK_REPARENT_RULE] = { "reparent_by_rule", "count",
		"children moved to a new parent by the kernel's rule at exit" },
	[CHK_REPARENT_CORRECTED] = { "reparent_corrected", "disagreement",
		"moves whose new parent a SIGCHLD or a wait showed to be another" },
	[CHK_SUBREAPER_LEARNED] = { "subreaper_from_evidence", "inference",
		"processes known to be subreapers only from such evidence" },
	[CHK_TRACER_NOTICE] = { "tracer_exit_notice", "count",
		"exits reported to a ptrace tracer (not reaps)" },
	[CHK_TEARDOWN_WAIT] = { "teardown_wait_calls", "count",
		"kernel_wait4() calls of a dying pid namespace init after its "
		"exit (zap_pid_ns_processes(), seen by a kprobe on "
		"kernel_wait4): the kernel's teardown, not the program's "
		"waits, left out of wait_call" },
	[CHK_SNAPSHOT_THREAD] = { "snapshot_parent_thread", "inference",
		"children from a snapshot put on their multi-threaded parent's "
		"main thread's list (/proc does not say which thread forked "
		"them)" },
};

static const char *const release_names[] = {
	[REL_IGNORED] = "parent_ignores_sigchld",
	[REL_REPARENT] = "reparented_to_ignoring_parent",
	[REL_TEARDOWN] = "pidns_teardown",
	[REL_UNSEEN] = "unseen",
};

static const char *const nspid_names[] = {
	[NSPID_ROOT] = "root", [NSPID_SNAPSHOT] = "snapshot",
	[NSPID_INIT] = "init", [NSPID_WAIT] = "wait",
	[NSPID_SEQUENCE] = "sequence",
};

static const char *const move_names[] = {
	[MV_THREAD] = "thread", [MV_SUBREAPER] = "subreaper",
	[MV_NS_INIT] = "ns_init", [MV_INIT] = "init", [MV_UNKNOWN] = "wait",
};

static const char *const ns_names[] = {
	[NS_ROOT] = "root", [NS_SNAPSHOT] = "snapshot", [NS_CLONE] = "clone",
	[NS_UNSHARE] = "unshare", [NS_SETNS] = "setns",
};

static const char *source_name(int src)
{
	static const char *const names[] = {
		[SRC_EXIT_GROUP] = "exit_group", [SRC_EXIT] = "exit",
		[SRC_SIGNAL] = "signal", [SRC_DO_EXIT] = "do_exit",
		[SRC_WAIT_STATUS] = "wait_status", [SRC_SIGINFO] = "siginfo",
		[SRC_SIGNAL_SENT] = "signal_generate",
		[SRC_SNAPSHOT] = "snapshot",
	};
	return src > SRC_NONE && src <= SRC_SNAPSHOT ? names[src] : NULL;
}

static int64_t opt_i(int64_t v)
{
	return v < 0 ? WT_NONE : v;
}

/* ---- how processes that no traced wait reaped left ---------------------- */

static bool exited(const struct wt_mproc *p)
{
	return p->exit_ns != WT_NONE || p->zombie_at_start;
}

/* Gone by the end of the recording, and the first fact that says so. */
static bool gone_by_end(struct wt_model *m, const struct wt_mproc *p,
			const char **why)
{
	if (p->freed_ns != WT_NONE) {
		*why = "freed (sched_process_free)";
		return true;
	}
	if (wt_ptab_find_pid(&m->pt, p->pid) != p->self) {
		*why = "its pid was taken by a later process";
		return true;
	}
	if (m->stop_snap_ns != WT_NONE && !p->in_stop) {
		*why = "absent from the stop snapshot";
		return true;
	}
	return false;
}

/* How @p left, if the recording ended now: its release fields, judged
 * from what is known so far (the model itself keeps them unset). */
struct verdict {
	uint8_t kind;
	const char *evidence;
	int64_t released_ns;
};

static void judge_release(struct wt_model *m, const struct wt_mproc *p,
			  struct verdict *v)
{
	const char *why = NULL;
	struct wt_mproc *par = proc_at(m, p->parent);
	bool no_sigchld = m->sigchld_recorded && p->exit_ns != WT_NONE &&
			  p->sigchld_ns == WT_NONE;

	*v = (struct verdict){ p->release_kind, p->release_evidence,
			       p->released_ns };
	if (!exited(p) || p->reap_call_id != WT_NONE)
		return;
	if (p->released_ns != WT_NONE && p->release_kind != REL_UNSEEN)
		return; /* decided by a rule */
	bool gone = p->released_ns != WT_NONE || gone_by_end(m, p, &why);
	if (!gone || (p->in_stop && p->stop_leader_z && !p->stop_other_alive))
		return;
	if (par && par->ignores_sigchld == 1) {
		v->kind = REL_IGNORED;
		v->evidence = "the parent ignores SIGCHLD (SigIgn in a "
			      "snapshot): released at its exit";
		v->released_ns = p->exit_ns;
	} else if (no_sigchld) {
		v->kind = REL_IGNORED;
		v->evidence = "no SIGCHLD was generated for its exit: "
			      "the parent's SIGCHLD is SIG_IGN, so the "
			      "kernel released it at once";
		v->released_ns = p->exit_ns;
	} else if (p->release_evidence == mdl_echild_evidence &&
		   p->sigchld_ns != WT_NONE) {
		/* A SIGCHLD went to the parent, yet its scan found the child
		 * gone: exit_notify() released it (do_notify_parent()
		 * returns autoreap for SA_NOCLDWAIT too), unless a wait no
		 * syscall tracepoint shows took it. */
		v->kind = REL_IGNORED;
		v->evidence = "SIGCHLD was sent for its exit, yet its "
			      "parent's next wait got ECHILD: released "
			      "at exit by SA_NOCLDWAIT (or taken by a "
			      "wait the syscall tracepoints do not "
			      "show: io_uring, a 32-bit call)";
		v->released_ns = p->exit_ns;
	} else if (p->released_ns == WT_NONE) {
		v->kind = REL_UNSEEN;
		v->evidence = why;
		v->released_ns = p->freed_ns;
	}
}

/* ---- rows ----------------------------------------------------------------- */

static int64_t upid_of(struct wt_model *m, uint32_t pi)
{
	struct wt_mproc *p = proc_at(m, pi);
	return p ? p->upid : WT_NONE;
}

static int64_t tid_of(struct wt_model *m, uint32_t ti)
{
	struct wt_mthread *th = thread_at(m, ti);
	return th ? th->tid : WT_NONE;
}

static int64_t ns_id(struct wt_model *m, uint32_t ns)
{
	struct wt_mns *n = ns_at(m, ns);
	return n ? n->id : WT_NONE;
}

void mdl_proc_row(struct wt_model *m, struct wt_mproc *p,
		  struct wt_process_row *out)
{
	bool stop = m->stop_snap_ns != WT_NONE;
	bool zstop = p->in_stop && p->stop_leader_z && !p->stop_other_alive;
	struct verdict v;

	judge_release(m, p, &v);
	struct wt_process_row row = {
		.upid = p->upid, .recording_id = m->rec_id, .pid = p->pid,
		.comm = p->comm[0] ? p->comm : NULL,
		.parent_upid = upid_of(m, p->parent), .ppid = opt_i(p->ppid),
		.original_parent_upid = upid_of(m, p->orig_parent),
		.parent_tid = tid_of(m, p->parent_thread),
		.start_ns = p->start_ns, .fork_ns = p->fork_ns,
		.fork_tid = opt_i(p->fork_tid), .exec_ns = p->exec_ns,
		.exit_ns = p->exit_ns,
		.exit_code = p->status_kind == ST_CODE ? p->status_val :
			     WT_NONE,
		.exit_signal = p->status_kind == ST_SIGNAL ? p->status_val :
			       WT_NONE,
		.exit_source = source_name(p->exit_source),
		.waitable_ns = p->waitable_ns,
		.reaped_ns = p->reaped_ns, .reaper_tid = opt_i(p->reaper_tid),
		.reaper_upid = p->reaper_upid, .reap_call_id = p->reap_call_id,
		.released_ns = v.released_ns,
		.release_kind = v.kind ? release_names[v.kind] : NULL,
		.release_evidence = v.kind ? v.evidence : NULL,
		.freed_ns = p->freed_ns, .from_snapshot = p->from_snapshot,
		.zombie_at_start = p->zombie_at_start,
		.zombie_at_stop = stop ? zstop : WT_NONE,
		.in_stop_snapshot = stop ? p->in_stop : WT_NONE,
		.ppid_at_stop = opt_i(p->ppid_at_stop),
		.ignores_sigchld = opt_i(p->ignores_sigchld),
		.sigchld_ns = p->sigchld_ns,
		.sigchld_code = opt_i(p->sigchld_code),
		.sigchld_result = opt_i(p->sigchld_result),
		.sigchld_target_tid = p->sigchld_ns != WT_NONE ?
				      p->sigchld_target : WT_NONE,
		.sigchld_received = p->sigchld_received,
		.traced = p->traced,
		.wait_calls = p->wait_calls, .last_wait_ns = p->last_wait_ns,
		.pidns_id = ns_id(m, p->pidns),
		.ns_pid = p->ns_pid ? p->ns_pid : WT_NONE,
		.ns_pid_source = p->ns_pid ? nspid_names[p->ns_pid_src] : NULL,
		.ns_init = p->ns_init, .pgid = opt_i(p->pgid),
		.subreaper = opt_i(p->subreaper), .reparents = p->reparents,
		.ptraced = p->is_ptracee,
	};
	mdl_cg_row(m, p, &row);
	if (p->global_pid_unknown)
		row.pid = -(int64_t)p->pid; /* see schema.sql: pid */
	*out = row;
}

void mdl_thread_row(struct wt_model *m, struct wt_mthread *th,
		    struct wt_thread_row *out)
{
	struct wt_thread_row row = {
		.utid = th->utid, .upid = proc_at(m, th->proc)->upid,
		.tid = th->tid, .comm = th->comm[0] ? th->comm : NULL,
		.start_ns = th->start_ns, .end_ns = th->end_ns,
		.from_snapshot = th->from_snapshot,
		.wnohang_calls = (int64_t)th->poll.calls,
		.wnohang_empty = (int64_t)th->poll.empty,
		.wnohang_echild = (int64_t)th->poll.echild,
		.wnohang_reaped = (int64_t)th->poll.reaped,
		.wnohang_undriven = (int64_t)th->poll.undriven,
		.wnohang_first_ns = th->poll.first_ns,
		.wnohang_last_ns = th->poll.last_ns,
	};
	*out = row;
}

/* Threads, then processes (each also to the observer: its last look). */
static int flush_tasks(struct wt_model *m)
{
	const struct wt_model_observer *o = m->obs;

	for (uint32_t i = 0; i < m->pt.nthread; i++) {
		struct wt_thread_row row;

		mdl_thread_row(m, thread_at(m, i), &row);
		if (wt_db_put_thread(m->db, &row) < 0)
			return mdl_fail_db(m);
		if (o && o->thread)
			o->thread(o->ctx, &row);
	}
	for (uint32_t i = 0; i < m->pt.nproc; i++) {
		struct wt_process_row row;

		mdl_proc_row(m, proc_at(m, i), &row);
		if (wt_db_put_process(m->db, &row) < 0)
			return mdl_fail_db(m);
		if (o && o->process)
			o->process(o->ctx, &row);
	}
	return 0;
}

static int flush_moves(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->nmoves; i++) {
		const struct mdl_move *mv = &m->moves[i];
		struct wt_mthread *from = thread_at(m, mv->from_thread);
		struct wt_mthread *to = thread_at(m, mv->to_thread);
		struct wt_reparent_row row = {
			.recording_id = m->rec_id,
			.upid = proc_at(m, mv->child)->upid, .ts_ns = mv->ts,
			.from_upid = from ? proc_at(m, from->proc)->upid :
				     WT_NONE,
			.from_tid = from ? from->tid : WT_NONE,
			.to_upid = to ? proc_at(m, to->proc)->upid : WT_NONE,
			.to_tid = to ? to->tid : WT_NONE,
			.reason = move_names[mv->reason],
			.evidence = mv->evidence, .zombie = mv->zombie,
			.released = mv->released,
		};
		if (wt_db_put_reparent(m->db, &row) < 0)
			return mdl_fail_db(m);
	}
	return 0;
}

static int flush_namespaces(struct wt_model *m)
{
	for (uint32_t i = 0; i < m->pt.nns; i++) {
		struct wt_mns *n = ns_at(m, i);
		struct wt_pidns_row row = {
			.id = n->id, .recording_id = m->rec_id,
			.inode = n->ino ? (int64_t)n->ino : WT_NONE,
			.level = n->level, .parent_id = ns_id(m, n->parent),
			.init_upid = upid_of(m, n->init),
			.created_ns = n->created_ns,
			.teardown_ns = n->teardown_ns,
			.source = ns_names[n->source],
		};
		if (n->source == NS_SETNS)
			row.level = WT_NONE;
		if (wt_db_put_pidns(m->db, &row) < 0)
			return mdl_fail_db(m);
	}
	return 0;
}

static int flush_checks(struct wt_model *m)
{
	for (int i = 0; i < CHK_COUNT; i++) {
		struct wt_check_row row = {
			.recording_id = m->rec_id, .name = check_names[i].name,
			.kind = check_names[i].kind, .count = m->checks[i],
			.meaning = check_names[i].meaning,
		};
		if (wt_db_put_check(m->db, &row) < 0)
			return mdl_fail_db(m);
	}
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
			return mdl_fail_db(m);
	}
	return 0;
}

static int64_t parse_i64(const char *s)
{
	if (!s || !*s)
		return WT_NONE;
	char *end;
	long long v = strtoll(s, &end, 10);
	return *end ? WT_NONE : v;
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

/* recording.wait_memory: the recorder's META, or what a recording made
 * before that key existed can be said to hold. */
static const char *wait_memory(const struct wt_model *m)
{
	const char *b = m->meta[MK_BACKEND];

	if (m->meta[MK_WAIT_MEMORY])
		return m->meta[MK_WAIT_MEMORY];
	if (b && !strcmp(b, "tracepoint"))
		return "pointers only: the syscall tracepoints carry the "
		       "stat_addr/infop and rusage pointers, not what the "
		       "kernel wrote there";
	return "not recorded: the recording does not say (made by a wtrec "
	       "before wait_memory; its kprobes did not read the rusage)";
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
		.wait_memory = wait_memory(m),
	};
	if (wt_db_put_recording(m->db, &row) < 0)
		return mdl_fail_db(m);
	if (m->obs && m->obs->recording)
		m->obs->recording(m->obs->ctx, &row);
	return 0;
}

int mdl_flush(struct wt_model *m, const struct wt_decode_result *res)
{
	if (flush_tasks(m) < 0 || flush_moves(m) < 0 ||
	    flush_namespaces(m) < 0 || flush_checks(m) < 0 ||
	    mdl_cg_flush(m) < 0 || mdl_flush_outcomes(m) < 0 || flush_stats(m) < 0 ||
	    flush_recording(m, res) < 0)
		return -1;
	return 0;
}
