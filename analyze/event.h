/*
 * event.h - the normalized event stream between the decoder (decode.c, which
 * knows tracefs formats, kbuffer pages and backends) and the model builder
 * (model.c, which knows processes, waits and reaps).  Both backends
 * (tracepoint and kprobe) decode to these same events, so the model and the
 * reports never care which backend recorded.
 *
 * All integers are already converted to what the kernel meant: syscall
 * tracepoint arguments arrive as 8-byte unsigned fields and are cast to
 * 32-bit signed here (upid -1 arrives as 0xffffffffffffffff).
 */
#ifndef WT_EVENT_H
#define WT_EVENT_H

#include <stdint.h>
#include <stdbool.h>

enum wt_syscall { WT_SYS_WAIT4 = 1, WT_SYS_WAITID = 2 };

/* waitid idtype values, as in <linux/wait.h> */
enum { WT_P_ALL = 0, WT_P_PID = 1, WT_P_PGID = 2, WT_P_PIDFD = 3 };

enum wt_ev_type {
	WT_EV_WAIT_ENTER = 1, /* sys_enter_wait4/waitid, kprobe entry        */
	WT_EV_WAIT_EXIT,      /* sys_exit_wait4/waitid, kretprobe           */
	WT_EV_FORK,           /* sched_process_fork (current = parent)      */
	WT_EV_NEWTASK,        /* task_newtask: clone flags of a new task    */
	WT_EV_EXEC,           /* sched_process_exec                         */
	WT_EV_EXIT,           /* sched_process_exit (a task is exiting)     */
	WT_EV_FREE,           /* sched_process_free (RCU-delayed after reap) */
	WT_EV_EXIT_CALL,      /* sys_enter_exit_group / sys_enter_exit      */
	WT_EV_SIG_DELIVER,    /* signal_deliver with default handler        */
	WT_EV_SIG_GENERATE,   /* signal_generate of SIGCHLD                 */
	WT_EV_DO_EXIT,        /* kprobe on do_exit: full exit code          */
	WT_EV_WAIT_TARGET,    /* sched_process_wait: do_wait()'s target     */
	WT_EV_SUBREAPER,      /* prctl(PR_SET_CHILD_SUBREAPER, on)          */
	WT_EV_PIDNS,          /* unshare(CLONE_NEWPID) / setns() entered    */
	WT_EV_PIDNS_FAIL,     /* ... and failed (only failures are recorded) */
	WT_EV_FORK_FAIL,      /* sys_exit_clone/clone3/fork/vfork < 0        */
	WT_EV_CGROUP_MOVE,    /* cgroup_attach_task / cgroup_transfer_tasks  */
	WT_EV_LOST,           /* the ring buffer dropped events here        */
};

/* The syscall of a failed fork (WT_EV_FORK_FAIL). */
enum wt_fork_sys { WT_FORK_CLONE = 1, WT_FORK_CLONE3, WT_FORK_FORK,
		   WT_FORK_VFORK };

struct wt_event {
	uint64_t ts;  /* ns, recording's trace clock */
	int cpu;
	enum wt_ev_type type;
	int32_t tid;  /* common_pid: the task that was running */
	union {
		struct {
			enum wt_syscall sys;
			int32_t which;  /* waitid idtype; wait4: mapped, see below */
			int32_t upid;   /* raw pid argument (wait4 upid / waitid upid) */
			int32_t options;
			/* stat_addr (wait4) / infop (waitid): where the
			 * status or siginfo goes; 0 = the caller passed
			 * NULL, so a kprobe backend's read-back of it at
			 * return is garbage.  has_uaddr false: unknown. */
			bool has_uaddr;
			uint64_t uaddr;
			/* has_user_ptrs: the event carries every pointer
			 * the caller passed (the syscall tracepoints, the
			 * kprobe backend's syscall-function entry probes):
			 * uaddr is the caller's and ru_addr its rusage
			 * buffer (0 = NULL).  Older kprobe recordings
			 * probed kernel_waitid(), whose infop is a kernel
			 * struct: false there. */
			bool has_user_ptrs;
			uint64_t ru_addr;
		} wait_enter;   /* wait4 maps upid: >0 P_PID, -1 P_ALL,
				   0 P_PGID own group (upid 0), <-1 P_PGID -upid */
		struct {
			enum wt_syscall sys;
			int64_t ret;
			bool has_status;  /* kprobe backend, kernel >= 6.9 */
			int32_t status;   /* wait4: the status word */
			/* waitid via kprobe: what the kernel put in the
			 * siginfo (si_pid, si_status, si_code).  Named
			 * info_* because <signal.h> defines si_* as macros.
			 * info_code 0 (no CLD_* value): only the pid is
			 * known (kernel_waitid's return value, kernels
			 * whose return probes cannot read the siginfo).
			 * has_full_siginfo: all five fields the kernel
			 * writes were read (info_signo, info_uid too);
			 * info_user: read back from the caller's memory,
			 * so garbage when its infop was NULL (else from
			 * kernel_waitid's own struct waitid_info). */
			bool has_siginfo, has_full_siginfo, info_user;
			int32_t info_pid, info_status, info_code;
			int32_t info_signo;
			uint32_t info_uid;
			/* kprobe, kernel >= 6.9: the struct rusage the
			 * kernel fills for a reported child, read at
			 * return (garbage unless the caller passed a
			 * buffer and a child was reported) */
			bool has_rusage;
			struct wt_rusage {
				int64_t utime_sec, utime_usec, stime_sec,
					stime_usec, maxrss, minflt, majflt,
					nvcsw, nivcsw;
			} ru;
		} wait_exit;
		struct {
			int32_t parent_tid, child_tid;
		} fork;         /* str = child comm */
		struct {
			int32_t child_tid;
			uint64_t clone_flags; /* CLONE_THREAD = 0x10000 */
		} newtask;      /* str = comm */
		struct {
			int32_t old_tid; /* tid before exec (a non-leader execs) */
		} exec;         /* str = filename */
		struct {
			bool group_dead; /* last thread of the process */
			bool has_group_dead; /* the kernel's tracepoint has
						the field (6.13+); without
						it group_dead is true and
						the model counts threads */
		} exit;         /* str = comm */
		struct {
			int32_t pid;
		} free;         /* str = comm */
		struct {
			bool group;   /* exit_group (true) or exit (false) */
			int32_t code; /* the argument: status = (code & 0xff) << 8 */
		} exit_call;
		struct {
			int32_t sig, code;
		} sig_deliver;
		struct {
			int32_t sig, code, target_pid, group, result;
		} sig_generate; /* str = target comm; result 1 = ignored */
		struct {
			int32_t code; /* do_exit argument: a full wait status */
		} do_exit;
		struct {
			/* global pid of the target: the pid (P_PID), the
			 * group (P_PGID), the pidfd's process (P_PIDFD);
			 * fired in the waiter's context (tid), inside its
			 * syscall, before the scan for children */
			int32_t pid;
		} wait_target;
		struct {
			bool on;      /* arg2 != 0 */
		} subreaper;
		struct {
			bool unshare; /* unshare (true) or setns (false) */
			uint64_t flags; /* unshare_flags / setns nstype */
			int32_t fd;     /* setns: the namespace or pidfd fd */
		} pidns;
		struct {
			bool unshare;
			int64_t ret;    /* -errno */
		} pidns_fail;
		struct {
			uint8_t sys;    /* enum wt_fork_sys */
			int64_t ret;    /* -errno (the recorder keeps only
					   failures) */
		} fork_fail;    /* tid = the thread whose fork failed */
		struct {
			/* hierarchy: 0 = cgroup v2, else a v1 hierarchy's id
			 * (the first field of /proc/PID/cgroup) */
			int32_t root;
			int32_t pid;    /* the task moved: the leader when a
					   whole process moved */
			bool transfer;  /* cgroup_transfer_tasks (v1 cpuset) */
		} cgroup_move;  /* str = the destination path */
		struct {
			uint64_t count; /* events lost; 0 = unknown amount */
		} lost;
	};
	const char *str; /* see above; valid only during the callback */
};

#endif /* WT_EVENT_H */
