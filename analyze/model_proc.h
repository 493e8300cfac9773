/*
 * model_proc.h - storage of the model's task table: process, thread and pid
 * namespace instances in block arrays, int -> index hash maps, and small
 * growable index vectors (children lists, thread lists).
 *
 * Memory grows with the number of tasks seen, never with the number of
 * events: instances live in blocks that never move once allocated, so the
 * model keeps plain pointers to them across inserts.  A recycled pid/tid
 * points its map entry at the new instance; the old one stays in the table
 * until the final flush.
 *
 * What the fields MEAN is the business of the parts that own them (see
 * mdl.h); this file only stores them.
 */
#ifndef WT_MODEL_PROC_H
#define WT_MODEL_PROC_H

#include <stdbool.h>
#include <stdint.h>

#define WT_NONE INT64_MIN     /* unknown time/id (same value as WT_DB_NULL) */
#define WT_NOIDX UINT32_MAX   /* no instance */

/* int32 key -> uint64 value, open addressing with linear probing. */
struct wt_imap {
	struct wt_imap_slot *slots;
	uint32_t cap, used, tombs;
};

int wt_imap_put(struct wt_imap *m, int32_t key, uint64_t val);
bool wt_imap_get(const struct wt_imap *m, int32_t key, uint64_t *val);
bool wt_imap_del(struct wt_imap *m, int32_t key, uint64_t *val);
void wt_imap_free(struct wt_imap *m);

/* A growable array of instance indexes.  Zero-initialized is empty. */
struct wt_vec32 {
	uint32_t *v;
	uint32_t len, cap;
};

/* Append @x; 0 or -1 (ENOMEM). */
int wt_vec32_push(struct wt_vec32 *a, uint32_t x);
void wt_vec32_free(struct wt_vec32 *a);

enum wt_status_kind { ST_NONE, ST_CODE, ST_SIGNAL };

/* How strong a pending exit status is: a leader's thread exit() is
 * overridden by a later group exit (exit_group or a fatal signal); among
 * group exits the first wins (sibling threads then see SIGKILL). */
enum { STR_NONE, STR_THREAD_EXIT, STR_GROUP, STR_FINAL };

enum wt_exit_source { SRC_NONE, SRC_EXIT_GROUP, SRC_EXIT, SRC_SIGNAL,
		      SRC_DO_EXIT, SRC_WAIT_STATUS, SRC_SIGINFO,
		      SRC_SIGNAL_SENT, SRC_SNAPSHOT };

/* How a process that no traced wait reaped left the process table. */
enum wt_release_kind {
	REL_NONE,
	REL_IGNORED,   /* at its exit: the parent ignores SIGCHLD
			  (exit_notify() autoreap) */
	REL_REPARENT,  /* when reparented as a zombie to a parent that
			  ignores SIGCHLD (reparent_leader()) */
	REL_TEARDOWN,  /* by the kernel when its pid namespace's init died
			  (zap_pid_ns_processes()) */
	REL_UNSEEN,    /* gone, but no recorded fact says how: a wait the
			  recording does not show (another scope, io_uring,
			  a 32-bit caller, lost events) or SA_NOCLDWAIT */
};

/* Where the pid of a process in its own pid namespace comes from. */
enum wt_nspid_src { NSPID_NONE, NSPID_ROOT, NSPID_SNAPSHOT, NSPID_INIT,
		    NSPID_WAIT, NSPID_SEQUENCE };

struct wt_mproc {
	uint32_t self;              /* its own index in the table */
	int64_t upid;
	int32_t pid;                /* global (recorder's namespace) tgid */
	char comm[16];
	/* lineage: the real_parent thread and its process, now and at fork */
	uint32_t parent, parent_thread, orig_parent;
	/* The instance that had this pid before, when this one was forked
	 * while that one was released but not yet seen freed; WT_NOIDX if
	 * none.  release_task() frees the pid number at once but the task
	 * an RCU grace period later (delayed_put_task_struct(), where
	 * sched_process_free fires), so the pid's next free is that
	 * instance's; and a scoped recording's pid filter drops the pid at
	 * that free (event-fork), so this instance's own events may be
	 * missing (mdl_tasks.c). */
	uint32_t pid_prev;
	int32_t ppid, ppid_at_stop, fork_tid, pgid;
	int8_t subreaper;           /* is_child_subreaper: -1 unknown, 0, 1 */
	bool subreaper_seen;        /* set by a traced prctl */
	uint32_t pidns;             /* its pid namespace (index) */
	int32_t ns_pid;             /* pid in that namespace, 0 unknown */
	uint8_t ns_pid_src;         /* enum wt_nspid_src */
	struct wt_vec32 threads;    /* its threads, creation order */
	int32_t live_threads;
	bool threads_known;         /* live_threads is a real count */
	/* life */
	int64_t start_ns, fork_ns, exec_ns, exit_ns, freed_ns;
	int64_t waitable_ns;        /* became a waitable zombie (its SIGCHLD,
				       or its exit when SIGCHLD is not
				       recorded) */
	/* exit status evidence (mdl_signals.c) */
	int32_t pend_val;
	uint8_t pend_kind, pend_strength, pend_source;
	uint8_t status_kind;        /* final: ST_CODE / ST_SIGNAL / ST_NONE */
	int32_t status_val;
	uint8_t exit_source;
	int32_t do_exit_code;
	bool has_do_exit;
	int8_t last_fatal_gen;      /* last default-fatal signal sent to it */
	/* SIGCHLD of its exit: when, si_code, trace result, notified thread */
	int64_t sigchld_ns;
	int8_t sigchld_code, sigchld_result;
	int32_t sigchld_target;
	int64_t sigchld_received;   /* SIGCHLDs the kernel sent to it */
	int64_t last_sigchld_rx_ns; /* ... the last of them */
	int8_t ignores_sigchld;     /* -1 unknown, 0, 1 (SigIgn bit) */
	/* end: a traced wait reaped it, or the kernel released it */
	int64_t reaped_ns, reaper_upid, reap_call_id;
	int32_t reaper_tid;
	int64_t released_ns;
	uint8_t release_kind;       /* enum wt_release_kind */
	const char *release_evidence; /* static text */
	int64_t pending_call;       /* an undecided WNOHANG waitid that may
				       have reaped it (mdl_wait.c) */
	/* snapshots and scope */
	uint8_t from_snapshot;      /* 0, 1 start, 2 stop only */
	uint8_t traced;             /* in the recording's scope */
	bool zombie_at_start, in_stop;
	bool start_leader_z, start_other_alive;
	bool stop_leader_z, stop_other_alive;
	bool ns_init;               /* pid 1 of its namespace */
	bool is_ptracee;            /* a tracer was told of its exit */
	bool notice_elsewhere;      /* its exit's SIGCHLD went to another
				       process than its parent (a ptrace
				       tracer): no wait of the parent can
				       take it until the tracer hands it on */
	bool global_pid_unknown;    /* known only by its namespace pid */
	int64_t wait_calls, last_wait_ns;
	int64_t reparents;          /* moves of it to another parent */
	/* the children this process handed on when it exited: moves
	 * [zmove_first, zmove_end) of the model's list; zmove_left of the
	 * zombies among them still owe their SIGCHLD notice to the new
	 * parent (reparent_leader()) */
	uint32_t zmove_first, zmove_end, zmove_left;
	/* a change to any of its children (linked, moved away, exited,
	 * waitable, reaped, released, claimed) bumps child_gen; a P_ALL scan
	 * that found nothing waitable remembers the generation it saw, so a
	 * poller's next empty scan is free (mdl_wait.c replay()) */
	uint32_t child_gen, scan_gen;
	bool scan_cached, scan_any_eligible, scan_any_alive;
	/* cgroup v2 and v1 pids paths, interned by mdl_cgroup.c (not
	 * owned); cg_basis: how they are known (mdl_cgroup.c) */
	const char *cgroup, *cgroup_pids;
	uint8_t cg_basis;
	int32_t *nspid_chain;       /* snapshot NSpid, outermost first, when
				       it has more than one level (owned) */
	uint8_t nspid_n;
};

/* A wait call entered and not yet returned: at most one per thread. */
struct wt_open_call {
	int64_t id, enter_ns;
	int32_t which, arg, options;
	uint8_t sys;                /* enum wt_syscall, 0 = none open */
	bool uaddr_null;            /* status/siginfo pointer known NULL */
	bool user_ptrs;             /* uaddr, ru_addr are the caller's */
	uint64_t uaddr, ru_addr;    /* stat_addr or infop; rusage (0 NULL) */
	int32_t target_gpid;        /* sched_process_wait's pid, 0 none */
	int32_t handoff_tid;        /* a SIGCHLD this thread sent during the
				       call, to this thread: a ptrace tracer
				       handing an exited tracee to its real
				       parent (wait_task_zombie(), EXIT_TRACE) */
	int64_t handoff_ns;         /* ... when */
};

/* WNOHANG calls of a thread, for the polling report. */
struct wt_poll_stats {
	uint64_t calls, empty, echild, reaped, undriven;
	int64_t first_ns, last_ns;
};

struct wt_mthread {
	int64_t utid, start_ns, end_ns;
	struct wt_poll_stats poll;
	uint32_t proc;              /* index of its process instance */
	int32_t tid;
	bool from_snapshot, ended;
	char comm[16];
	int32_t stops_notified;     /* stop/continue SIGCHLDs it sent
				       (do_notify_parent_cldstop()): it has
				       been stopped, or traced */
	struct wt_open_call call;
	/* children whose real_parent is this thread, in the order of the
	 * kernel's children list (fork order, reparented ones appended);
	 * entries that left are skipped and dropped lazily */
	struct wt_vec32 children;
	/* nsproxy->pid_ns_for_children of this thread (unshare/setns) */
	uint32_t ns_for_children;
	bool ns_unshared;           /* unshare(CLONE_NEWPID) pending: its
				       next child process is the init */
};

/* A pid namespace.  Index 0 is the recorder's own (the root). */
struct wt_mns {
	int64_t id;
	uint64_t ino;               /* inode, 0 unknown */
	int level;                  /* 0 = the recorder's namespace */
	uint32_t parent;            /* enclosing namespace, WT_NOIDX */
	uint32_t init;              /* its pid 1 (process index) */
	int64_t created_ns, teardown_ns;
	uint8_t source;             /* enum wt_ns_source (mdl.h) */
	bool dead;                  /* init gone: no more pids */
	bool seq_exact;             /* every pid allocation since its
				       creation was seen (in scope) */
	int32_t last_pid;           /* last pid allocated (sequence) */
	struct wt_imap by_nspid;    /* pid in this namespace -> process */
};

struct wt_ptab {
	struct wt_mproc **pblk;
	struct wt_mthread **tblk;
	struct wt_mns **nblk;
	uint32_t nproc, nthread, nns, pblk_cap, tblk_cap, nblk_cap;
	struct wt_imap by_pid;      /* global pid -> current process index */
	struct wt_imap by_tid;      /* global tid -> current thread index */
};

struct wt_mproc *wt_ptab_proc(struct wt_ptab *t, uint32_t idx);
struct wt_mthread *wt_ptab_thread(struct wt_ptab *t, uint32_t idx);
struct wt_mns *wt_ptab_ns(struct wt_ptab *t, uint32_t idx);

/* Current instance of @pid / @tid, or WT_NOIDX. */
uint32_t wt_ptab_find_pid(const struct wt_ptab *t, int32_t pid);
uint32_t wt_ptab_find_tid(const struct wt_ptab *t, int32_t tid);

/* A new process instance (times unknown, in namespace 0) that becomes the
 * current instance of @pid.  Returns its index or WT_NOIDX on ENOMEM. */
uint32_t wt_ptab_new_proc(struct wt_ptab *t, int32_t pid, int64_t upid);

/* A new thread of process @proc that becomes the current one of @tid. */
uint32_t wt_ptab_new_thread(struct wt_ptab *t, uint32_t proc, int32_t tid,
			    int64_t utid);

/* A new pid namespace (zeroed, no init).  Its index or WT_NOIDX. */
uint32_t wt_ptab_new_ns(struct wt_ptab *t, int64_t id);

/* Make @idx the current thread of @tid (a non-leader exec takes the
 * leader's tid). */
int wt_ptab_rekey_thread(struct wt_ptab *t, uint32_t idx, int32_t tid);

void wt_ptab_free(struct wt_ptab *t);

/* Copy bytes of a comm into a 16-byte field, NUL-terminated. */
void wt_comm_set(char dst[16], const char *src);

#endif /* WT_MODEL_PROC_H */
