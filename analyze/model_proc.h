/*
 * model_proc.h - the in-memory process and thread instances of one
 * recording, used only by model.c.
 *
 * Memory grows with the number of processes and threads seen, never with
 * the number of events: instances live in block arrays (no realloc copies
 * of the whole table), found through pid -> current process and tid ->
 * current thread hash maps.  A recycled pid/tid simply points the map at
 * the new instance; the old one stays in the table until the final flush.
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

/* Exited, not yet reaped children of a process, in start order (the order
 * of the kernel's children list, which a P_ALL wait scans).  Reaped
 * entries are skipped lazily and dropped when they reach the head. */
struct wt_zlist {
	uint32_t *v;
	uint32_t head, len, cap;
};

enum wt_status_kind { ST_NONE, ST_CODE, ST_SIGNAL };

/* How strong a pending exit status is: a leader's thread exit() is
 * overridden by a later group exit (exit_group or a fatal signal); among
 * group exits the first wins (sibling threads then see SIGKILL). */
enum { STR_NONE, STR_THREAD_EXIT, STR_GROUP, STR_FINAL };

enum wt_exit_source { SRC_NONE, SRC_EXIT_GROUP, SRC_EXIT, SRC_SIGNAL,
		      SRC_DO_EXIT, SRC_WAIT_STATUS, SRC_SIGINFO,
		      SRC_SIGNAL_SENT };

struct wt_mproc {
	int64_t upid, parent_upid;
	uint32_t parent;            /* index of the parent instance */
	int32_t pid, ppid, fork_tid, reaper_tid, ppid_at_stop;
	int64_t start_ns, fork_ns, exec_ns, exit_ns, reaped_ns, freed_ns;
	int64_t reaper_upid, reap_call_id, sigchld_ns;
	int64_t wait_calls, last_wait_ns; /* its threads' wait calls */
	int32_t live_threads;
	int32_t pend_val;           /* pending exit code or signal */
	uint8_t pend_kind, pend_strength, pend_source;
	uint8_t status_kind;        /* final: ST_CODE / ST_SIGNAL / ST_NONE */
	int32_t status_val;
	int32_t do_exit_code;        /* latest do_exit() argument (kprobe) */
	bool has_do_exit;
	uint8_t exit_source;
	int8_t sigchld_code, sigchld_result; /* -1: none seen */
	/* Last default-fatal signal generated to this process (0: none).
	 * The kernel turns such a signal into SIGKILL for every thread
	 * (complete_signal), so signal_deliver only ever shows SIGKILL;
	 * this is the signal that really killed it. */
	int8_t last_fatal_gen;
	int8_t ignores_sigchld;     /* -1 unknown, 0, 1 */
	uint8_t from_snapshot;      /* 0, 1 start, 2 stop only */
	uint8_t traced;             /* in the recording's scope */
	bool zombie_at_start, zombie_at_stop, in_stop;
	bool start_leader_z, start_other_alive; /* start snapshot evidence */
	bool stop_leader_z, stop_other_alive;   /* stop snapshot evidence */
	bool threads_known;         /* live_threads is a real count */
	bool in_zlist;              /* listed in its parent's zombie list */
	/* The instance that had this pid before, when this one was forked
	 * while that one was dead but not yet seen freed; WT_NOIDX if none.
	 * The kernel frees a reaped task an RCU grace period later, so the
	 * pid's next sched_process_free is that instance's, not this one's;
	 * and a scoped recording's pid filter drops the pid at that free
	 * (event-fork), so this instance's own events may be missing. */
	uint32_t pid_prev;
	char comm[16];
	struct wt_zlist *zombies;
};

/* A wait call entered and not yet returned: at most one per thread. */
struct wt_open_call {
	int64_t id, enter_ns;
	int32_t which, arg, options;
	uint8_t sys;                /* enum wt_syscall, 0 = none open */
	bool uaddr_null;            /* status/siginfo pointer known NULL */
};

/* WNOHANG calls of a thread, for the polling report (kept here so that
 * report needs no pass over millions of wait_call rows). */
struct wt_poll_stats {
	uint64_t calls, empty, echild;
	int64_t first_ns, last_ns;
};

struct wt_mthread {
	int64_t utid, start_ns, end_ns;
	struct wt_poll_stats poll;
	uint32_t proc;              /* index of its process instance */
	int32_t tid;
	bool from_snapshot, ended;
	char comm[16];
	struct wt_open_call call;
};

struct wt_ptab {
	struct wt_mproc **pblk;
	struct wt_mthread **tblk;
	uint32_t nproc, nthread, pblk_cap, tblk_cap;
	struct wt_imap by_pid;      /* pid -> current process index */
	struct wt_imap by_tid;      /* tid -> current thread index */
};

struct wt_mproc *wt_ptab_proc(struct wt_ptab *t, uint32_t idx);
struct wt_mthread *wt_ptab_thread(struct wt_ptab *t, uint32_t idx);

/* Current instance of @pid / @tid, or WT_NOIDX. */
uint32_t wt_ptab_find_pid(const struct wt_ptab *t, int32_t pid);
uint32_t wt_ptab_find_tid(const struct wt_ptab *t, int32_t tid);

/* A new process instance (zeroed, times unknown) that becomes the current
 * instance of @pid.  Returns its index or WT_NOIDX on ENOMEM. */
uint32_t wt_ptab_new_proc(struct wt_ptab *t, int32_t pid, int64_t upid);

/* A new thread of process @proc that becomes the current one of @tid. */
uint32_t wt_ptab_new_thread(struct wt_ptab *t, uint32_t proc, int32_t tid,
			    int64_t utid);

/* Make @idx the current thread of @tid (a non-leader exec takes the
 * leader's tid). */
int wt_ptab_rekey_thread(struct wt_ptab *t, uint32_t idx, int32_t tid);

void wt_ptab_free(struct wt_ptab *t);

/* Zombie list of @parent: add child @child (kept in start order). */
int wt_zlist_add(struct wt_ptab *t, struct wt_mproc *parent, uint32_t child);

/* Copy bytes of a comm into a 16-byte field, NUL-terminated. */
void wt_comm_set(char dst[16], const char *src);

#endif /* WT_MODEL_PROC_H */
