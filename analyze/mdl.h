/*
 * mdl.h - the parts of the model and the state they share.  Internal to
 * analyze/mdl_*.c and model.c; nothing else includes it.
 *
 * The model replays what the kernel did, from the kernel's own rules, and
 * each part owns one kind of state (DESIGN.md, "The model"):
 *
 *   model.c         the dispatcher: routes each normalized event to the
 *                   part that owns its state; META, snapshots, finish.
 *   mdl_tasks.c     the task table: processes, threads, each thread's
 *                   children list in the kernel's order, fork/exec/exit,
 *                   reparenting at exit (kernel/exit.c
 *                   forget_original_parent(), find_new_reaper()).
 *   mdl_pidns.c     pid namespaces: which namespace a task is born in, its
 *                   pid there, pid 1, teardown (kernel/pid_namespace.c).
 *   mdl_signals.c   signal facts: exit statuses (exit_group, fatal
 *                   signals, do_exit), SIGCHLD as sent by
 *                   do_notify_parent() (kernel/signal.c).
 *   mdl_wait.c      the wait engine: replays do_wait() (kernel/exit.c
 *                   __do_wait(), do_wait_thread(), wait_consider_task())
 *                   against the task table and decides each call.
 *   mdl_cgroup.c    cgroups and containers: each process's cgroup
 *                   (snapshots, inherited at fork, cgroup_attach_task),
 *                   failed forks, the pids limits of the CGROUP chunks.
 *   mdl_flush.c     writing the rows at the end.
 *
 * Findings (zombies, steals, auto-reaps, polling) are computed from the
 * rows by the SQL views in sql/schema.sql, not here.
 *
 * Everything the model infers instead of reading from an event is marked
 * in its row (reap_basis, ns_pid_source, reparent evidence) and counted in
 * the model_check table, as is every disagreement between an inference and
 * what an event later said.
 *
 * Errors follow model.h: 0 / -1, the message in m->err, m->failed set.
 */
#ifndef WT_MDL_H
#define WT_MDL_H

#include <stdbool.h>
#include <stdint.h>
#include "model.h"
#include "model_proc.h"

#define CLD_EXITED_CODE 1
#define CLD_DUMPED_CODE 3
#define CLD_TRAPPED_CODE 4
#define CLD_CONTINUED_CODE 6

#define WNOHANG_FL 0x00000001u
#define WSTOPPED_FL 0x00000002u     /* WUNTRACED for wait4 */
#define WEXITED_FL 0x00000004u
#define WCONTINUED_FL 0x00000008u
#define WNOWAIT_FL 0x01000000u
#define WNOTHREAD_FL 0x20000000u
#define WALL_FL 0x40000000u
#define WCLONE_FL 0x80000000u

#define CLONE_PARENT_FL 0x00008000u
#define CLONE_THREAD_FL 0x00010000u
#define CLONE_NEWPID_FL 0x20000000u

enum meta_key { MK_HOST, MK_KERNEL, MK_ARCH, MK_BACKEND, MK_CLOCK, MK_SCOPE,
		MK_COMMAND, MK_COMMAND_STATUS, MK_EVENTS, MK_MISSING, MK_CPUS,
		MK_START, MK_STOP, MK_WALL_RT, MK_WALL_TRACE, MK_SCOPE_PIDS,
		MK_WAIT_MEMORY, MK_COUNT };

enum wt_ns_source { NS_ROOT, NS_SNAPSHOT, NS_CLONE, NS_UNSHARE, NS_SETNS };

/*
 * What the model checked or inferred, per recording (table model_check).
 * Each is a count; the names and meanings are in mdl_flush.c (the cgroup
 * ones in mdl_cgroup.c).
 */
enum mdl_check {
	CHK_REAP_RETURN,        /* reaps named by the call's return value */
	CHK_REAP_TARGET,        /* reaps of a targeted wait's known target */
	CHK_REAP_REPLAY,        /* reaps inferred by replaying the scan */
	CHK_REAP_REPLAY_AMBIG,  /* ... with several children waitable */
	CHK_REAP_DEFERRED,      /* WNOHANG reaps decided by later evidence */
	CHK_REPLAY_AGREE,       /* returned child = the replay's choice */
	CHK_REPLAY_DISAGREE,    /* returned child != the replay's choice */
	CHK_REPLAY_NONE,        /* returned a child the replay did not see
				   waitable (its exit or SIGCHLD unseen) */
	CHK_EMPTY_BUT_WAITABLE, /* nothing / ECHILD although a child had been
				   waitable since before the call began */
	CHK_ECHILD_WITH_CHILD,  /* ECHILD although the model had a child */
	CHK_RETURN_UNSEEN,      /* returned a pid no recorded task had */
	CHK_EXIT_UNSEEN,        /* returned a child the trace shows alive,
				   no stop asked for nor notified: its exit
				   is not in the trace */
	CHK_TARGET_UNKNOWN,     /* targeted waits whose target is unknown */
	CHK_NSPID_SEQUENCE,     /* namespace pids inferred from allocation
				   order */
	CHK_NSPID_LEARNED,      /* namespace pids learned from a wait */
	CHK_NSPID_CONFLICT,     /* a wait contradicted a namespace pid */
	CHK_REPARENT_RULE,      /* reparents decided by the kernel's rule */
	CHK_REPARENT_CORRECTED, /* reparent targets corrected by a SIGCHLD
				   or a wait */
	CHK_SUBREAPER_LEARNED,  /* subreapers known only from such evidence */
	CHK_TRACER_NOTICE,      /* exit notices to a ptrace tracer */
	CHK_TEARDOWN_WAIT,      /* a dying namespace init's in-kernel
				   kernel_wait4() calls, seen by a kprobe */
	CHK_SNAPSHOT_THREAD,    /* snapshot children put on the parent's
				   main thread's list (which thread forked
				   them is not in /proc) */
	CHK_COUNT
};

/* A model_check row's name, kind and meaning.  kind: "disagreement" (an
 * inference a recorded fact contradicted), "inference" (a fact the model
 * supplied that the recording does not hold) or "count" (a plain count,
 * or a breakdown of another row): the summary sums the first two by kind. */
struct mdl_check_name {
	const char *name, *kind, *meaning;
};

struct cpu_acc {
	bool has_stats;
	struct wt_cpu_stats st;
	int64_t lost_markers;
};

enum snap_phase { SNAP_NONE, SNAP_START, SNAP_EVENTS };

/* Calls per (syscall, idtype, outcome, errno): a few dozen combinations,
 * counted so the summary needs no pass over every wait_call row. */
struct outcome_acc {
	uint8_t sys;
	int8_t which;
	const char *outcome, *errno_name; /* static strings */
	int64_t calls, inferred;
};

/* One move of a child to another parent (table reparent). */
struct mdl_move {
	int64_t ts;
	uint32_t child, from_thread, to_thread;
	uint8_t reason;          /* enum mdl_move_reason */
	const char *evidence;    /* static: "rule", "SIGCHLD", "wait", ... */
	bool zombie;             /* the child had exited already */
	bool released;           /* ... and the new parent released it */
	bool noticed;            /* its SIGCHLD to the new parent was seen */
	bool late_exit;          /* the child exited after the father's exit
				    event but before its exit_notify() moved
				    it (its SIGCHLD went to the father): a
				    zombie when really moved (mdl_signals.c) */
};

enum mdl_move_reason { MV_THREAD, MV_SUBREAPER, MV_NS_INIT, MV_INIT,
		       MV_UNKNOWN };

struct mdl_pending; /* mdl_wait.c */
struct mdl_cgroups; /* mdl_cgroup.c */

struct wt_model {
	struct wt_db *db;
	struct wt_ptab pt;
	struct wt_imap newtask;       /* child tid -> clone flags */
	int64_t rec_id;
	char *path;
	char *meta[MK_COUNT];
	enum snap_phase phase;
	int64_t start_snap_ns, stop_snap_ns;
	bool sigchld_recorded;        /* signal_generate was enabled */
	int64_t first_ts, last_ts;
	struct cpu_acc *cpus;
	uint32_t ncpu;
	struct outcome_acc *oc;
	uint32_t noc, coc;
	struct mdl_move *moves;
	uint32_t nmoves, cmoves;
	int64_t checks[CHK_COUNT];
	struct mdl_pending *pend;     /* undecided calls (mdl_wait.c) */
	struct mdl_cgroups *cg;       /* interned cgroup paths (mdl_cgroup.c) */
	uint32_t npend, cpend;
	/* options_text of the last call: pollers repeat the same options */
	char opts[160];
	int opts_sys;
	uint32_t opts_val;
	bool failed, finished;
	char err[512];
	/* the observer (model.h) and what the current event changed */
	const struct wt_model_observer *obs;
	struct wt_vec32 obs_procs, obs_threads;
};

static inline struct wt_mproc *proc_at(struct wt_model *m, uint32_t idx)
{
	return idx == WT_NOIDX ? NULL : wt_ptab_proc(&m->pt, idx);
}

static inline struct wt_mthread *thread_at(struct wt_model *m, uint32_t idx)
{
	return idx == WT_NOIDX ? NULL : wt_ptab_thread(&m->pt, idx);
}

static inline struct wt_mns *ns_at(struct wt_model *m, uint32_t idx)
{
	return idx == WT_NOIDX ? NULL : wt_ptab_ns(&m->pt, idx);
}

/* The process of thread @ti (never NULL for a valid index). */
static inline struct wt_mproc *proc_of(struct wt_model *m, uint32_t ti)
{
	return proc_at(m, thread_at(m, ti)->proc);
}

/* Index of process @p in the table. */
uint32_t mdl_proc_index(struct wt_model *m, const struct wt_mproc *p);

/* model.c: the observer's rows go out at the end of the event */
void mdl_observe(struct wt_model *m, struct wt_vec32 *v, uint32_t idx);
static inline void mdl_touch_proc(struct wt_model *m, uint32_t pi)
{
	if (m->obs && pi != WT_NOIDX)
		mdl_observe(m, &m->obs_procs, pi);
}
static inline void mdl_touch_thread(struct wt_model *m, uint32_t ti)
{
	if (m->obs && ti != WT_NOIDX)
		mdl_observe(m, &m->obs_threads, ti);
}

/* model.c */
int mdl_fail(struct wt_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mdl_fail_db(struct wt_model *m);
int mdl_fail_nomem(struct wt_model *m);
bool mdl_scoped(const struct wt_model *m);

/* mdl_tasks.c: the task table */
uint32_t mdl_proc_new(struct wt_model *m, int32_t pid);
uint32_t mdl_thread_new(struct wt_model *m, uint32_t proc, int32_t tid,
			int64_t start_ns, const char *comm);
uint32_t mdl_thread_of(struct wt_model *m, int32_t tid, const char *comm);
/* Make thread @ti the real parent of @child, at the tail of its list. */
int mdl_link_child(struct wt_model *m, uint32_t child, uint32_t ti);
/* The first thread of process @pi that has not exited, or WT_NOIDX. */
uint32_t mdl_alive_thread(struct wt_model *m, uint32_t pi);
/* Is @child still on the children list of thread @ti? */
bool mdl_is_child_of(struct wt_model *m, uint32_t child, uint32_t ti);
/* Move @child to thread @to (a reparent the rule did not foresee or a
 * correction), recording the move with @evidence. */
int mdl_move_child(struct wt_model *m, uint32_t child, uint32_t to,
		   int64_t ts, int reason, const char *evidence);
/* The child of move @mv exited before the move really happened: it is
 * handed on as a zombie (released at once to a parent that ignores
 * SIGCHLD, as reparent_leader() does). */
void mdl_move_late_exit(struct wt_model *m, struct mdl_move *mv, int64_t ts);
/* Something changed about @child that a scan of its parent's children
 * would see (see wt_mproc.child_gen). */
static inline void mdl_child_changed(struct wt_model *m, uint32_t child)
{
	struct wt_mproc *c = proc_at(m, child);
	struct wt_mproc *par = c ? proc_at(m, c->parent) : NULL;
	if (par)
		par->child_gen++;
}

/* The kernel released @child without a traced wait. */
void mdl_release(struct wt_model *m, uint32_t child, int64_t ts, int kind,
		 const char *evidence);
/* Take back an mdl_release() that a later fact contradicts: the child is
 * a zombie again (mdl_wait.c: a wait in flight at the ECHILD that
 * released it returns it).  Nothing for a child reaped since. */
void mdl_release_undo(struct wt_model *m, uint32_t child);
int mdl_on_newtask(struct wt_model *m, const struct wt_event *ev);
int mdl_on_fork(struct wt_model *m, const struct wt_event *ev);
int mdl_on_exec(struct wt_model *m, const struct wt_event *ev);
int mdl_on_exit(struct wt_model *m, const struct wt_event *ev);
int mdl_on_free(struct wt_model *m, const struct wt_event *ev);
int mdl_on_subreaper(struct wt_model *m, const struct wt_event *ev);

/* mdl_pidns.c: pid namespaces */
int mdl_ns_init_root(struct wt_model *m);
/* The namespace of inode @ino at @level (a snapshot's), made if new. */
uint32_t mdl_ns_of_inode(struct wt_model *m, uint64_t ino, int level);
/* A process just forked by thread @fti with @flags: its namespace, pid 1
 * or the next pid of a fully seen namespace. */
int mdl_ns_fork(struct wt_model *m, uint32_t child, uint32_t fti,
		uint64_t flags, int64_t ts);
/* A fork by thread @fti failed.  kernel/fork.c copy_process() calls
 * alloc_pid() before cgroup_can_fork(), so a fork the pids controller
 * refused used up a pid in the child's namespace and each enclosing one,
 * one refused earlier (RLIMIT_NPROC, threads-max) did not.  @took_pid:
 * the caller's assumption; the sequence moves on by one, or without it
 * stops being exact.  True when the fork was in a pid namespace. */
bool mdl_ns_failed_fork(struct wt_model *m, uint32_t fti, bool took_pid);
/* A new thread of a process: it takes a pid in each namespace too. */
void mdl_ns_thread(struct wt_model *m, uint32_t pi);
/* The process whose pid in namespace @ns is @nspid (current), or
 * WT_NOIDX. */
uint32_t mdl_ns_lookup(struct wt_model *m, uint32_t ns, int32_t nspid);
/* Learn that @pi has pid @nspid in namespace @ns.  1 new, 0 known, -1
 * when the namespace already maps @nspid to another live process (a
 * conflict; not overwritten). */
int mdl_ns_learn(struct wt_model *m, uint32_t ns, int32_t nspid, uint32_t pi,
		 int src);
/* The init of namespace @ns exited: it and every namespace below it are
 * torn down. */
int mdl_ns_teardown(struct wt_model *m, uint32_t ns, int64_t ts);
/* Is @ns @anc or inside it? */
bool mdl_ns_within(struct wt_model *m, uint32_t ns, uint32_t anc);
int mdl_on_pidns(struct wt_model *m, const struct wt_event *ev);
int mdl_on_pidns_fail(struct wt_model *m, const struct wt_event *ev);

/* mdl_signals.c: exit statuses and SIGCHLD */
int mdl_status_decode(int32_t st, int32_t *val);
void mdl_finalize_status(struct wt_mproc *p);
int mdl_on_exit_call(struct wt_model *m, const struct wt_event *ev);
int mdl_on_sig_deliver(struct wt_model *m, const struct wt_event *ev);
int mdl_on_sig_generate(struct wt_model *m, const struct wt_event *ev);
int mdl_on_do_exit(struct wt_model *m, const struct wt_event *ev);

/* mdl_wait.c: the wait engine */
int mdl_wait_enter(struct wt_model *m, const struct wt_event *ev);
int mdl_wait_target(struct wt_model *m, const struct wt_event *ev);
int mdl_wait_exit(struct wt_model *m, const struct wt_event *ev);
int mdl_close_unfinished(struct wt_model *m, uint32_t ti);
/* Evidence that @child is gone: settle a deferred call that may have
 * reaped it (1 settled as its reap, 0 nothing pending). */
int mdl_wait_settle_gone(struct wt_model *m, uint32_t child, int64_t ts);
/* End of input: settle every deferred call. */
int mdl_wait_settle_all(struct wt_model *m);
void mdl_wait_free(struct wt_model *m);
int mdl_flush_outcomes(struct wt_model *m);

/* The evidence text of a release seen as a parent's ECHILD (mdl_wait.c
 * sets it, mdl_flush.c refines it). */
extern const char mdl_echild_evidence[];

/* mdl_cgroup.c: cgroups, containers, failed forks */
/* The cgroups of snapshot leader line @e, for @p (start or stop). */
int mdl_cg_snapshot(struct wt_model *m, struct wt_mproc *p,
		    const struct wt_proc_entry *e, bool at_start);
/* Child @c forked by a thread of @forker with clone @flags. */
void mdl_cg_fork(struct wt_model *m, struct wt_mproc *c,
		 const struct wt_mproc *forker, uint64_t flags);
int mdl_on_cgroup_move(struct wt_model *m, const struct wt_event *ev);
int mdl_on_fork_fail(struct wt_model *m, const struct wt_event *ev);
/* A line (or, path NULL, the header) of a CGROUP chunk. */
int mdl_cg_limit(struct wt_model *m, const struct wt_cgroup_entry *e);
/* @p's cgroup and container columns of its process row. */
void mdl_cg_row(struct wt_model *m, const struct wt_mproc *p,
		struct wt_process_row *row);
/* The cgroup checks (model_check rows). */
int mdl_cg_flush(struct wt_model *m);
void mdl_cg_free(struct wt_model *m);

/* mdl_flush.c */
int mdl_flush(struct wt_model *m, const struct wt_decode_result *res);
/* The row process @p / thread @th would be written with now. */
void mdl_proc_row(struct wt_model *m, struct wt_mproc *p,
		  struct wt_process_row *row);
void mdl_thread_row(struct wt_model *m, struct wt_mthread *th,
		    struct wt_thread_row *row);

#endif /* WT_MDL_H */
