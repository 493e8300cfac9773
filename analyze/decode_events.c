/*
 * decode_events.c - (system, name) -> handler, and raw record -> wt_event.
 *
 * The table `specs` below is the whole knowledge of which tracepoints wtrec
 * models.  To add an event (the kprobe backend adds its probes here), add a
 * row: a system pattern (fnmatch(3): kprobe groups are "wtrec_<pid>"), the
 * event name, a handler, a handler argument and the names of the fields the
 * handler reads, in the order it reads them from s->f[].  A name starting
 * with '?' is optional (absent in some kernels' formats): its wt_evfield then
 * has off < 0 and the handler must cope.  A modeled event whose stored format
 * lacks a required field is left unmodeled (its records count as unknown)
 * rather than guessed at.
 *
 * Workload: called once per record, millions of times per second; handlers
 * do a handful of bounds-checked loads and nothing else.
 *
 * Also here: the canonicalization of stored format and header_page text
 * before libtraceevent parses it (libtraceevent trusts its input; files may
 * be hostile).
 */
#include <byteswap.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/event-parse.h>
#include "decode_events.h"
#include "lines.h"
#include "meta.h"

/* ---- bounds-checked field access ----------------------------------------- */

static inline bool inside(const struct wt_evfield *f, unsigned size)
{
	return f->off >= 0 && (unsigned)f->off + (unsigned)f->size <= size;
}

/* Read an unsigned number of 1, 2, 4 or 8 bytes; false when the field is
 * absent, has another size, or does not lie inside the record. */
static inline bool get_u(const struct wt_evfield *f, const uint8_t *rec,
			 unsigned size, bool swap, uint64_t *v)
{
	uint64_t v8;
	uint32_t v4;
	uint16_t v2;

	if (!inside(f, size))
		return false;
	switch (f->size) {
	case 8:
		memcpy(&v8, rec + f->off, 8);
		*v = swap ? bswap_64(v8) : v8;
		return true;
	case 4:
		memcpy(&v4, rec + f->off, 4);
		*v = swap ? bswap_32(v4) : v4;
		return true;
	case 2:
		memcpy(&v2, rec + f->off, 2);
		*v = swap ? bswap_16(v2) : v2;
		return true;
	case 1:
		*v = rec[f->off];
		return true;
	}
	return false;
}

/* Same, sign-extended when the format says the field is signed. */
static inline bool get_s(const struct wt_evfield *f, const uint8_t *rec,
			 unsigned size, bool swap, int64_t *v)
{
	uint64_t u;
	int bits = f->size * 8;

	if (!get_u(f, rec, size, swap, &u))
		return false;
	if ((f->flags & TEP_FIELD_IS_SIGNED) && bits < 64 &&
	    (u & (1ull << (bits - 1))))
		u |= ~0ull << bits;
	*v = (int64_t)u;
	return true;
}

/*
 * The kernel's pid_t / int, whatever width the format stores it in.  Syscall
 * tracepoint arguments are 8-byte unsigned (upid -1 arrives as
 * 0xffffffffffffffff): the low 32 bits are the value.
 */
static inline bool get_i32(const struct wt_evfield *f, const uint8_t *rec,
			   unsigned size, bool swap, int32_t *v)
{
	uint64_t u;

	if (!get_u(f, rec, size, swap, &u))
		return false;
	*v = (int32_t)(uint32_t)u;
	return true;
}

/* Copy @n bytes at @p as a string: stop at NUL, truncate, terminate. */
static void copy_str(char *dst, size_t dstsz, const uint8_t *p, size_t n)
{
	const uint8_t *nul = memchr(p, 0, n);

	if (nul)
		n = (size_t)(nul - p);
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/*
 * A string field: fixed char[N] or __data_loc / __rel_loc char[] (a u32 of
 * offset | length << 16).  The location comes from the record and is checked
 * against the record's size before anything is copied.
 */
static bool get_str(const struct wt_evfield *f, const uint8_t *rec,
		    unsigned size, bool swap, char *dst, size_t dstsz)
{
	uint64_t loc, off, len;

	if (!(f->flags & TEP_FIELD_IS_DYNAMIC)) {
		if (!inside(f, size))
			return false;
		copy_str(dst, dstsz, rec + f->off, (size_t)f->size);
		return true;
	}
	if (f->size != 4 || !get_u(f, rec, size, swap, &loc))
		return false;
	off = loc & 0xffff;
	len = loc >> 16;
	if (f->flags & TEP_FIELD_IS_RELATIVE)
		off += (uint64_t)f->off + (uint64_t)f->size;
	if (off + len > size)
		return false;
	copy_str(dst, dstsz, rec + off, (size_t)len);
	return true;
}

/* ---- handlers ------------------------------------------------------------ */

#define HANDLER(fn)                                                          \
	static int fn(const struct wt_evslot *s, const uint8_t *rec,        \
		      unsigned size, bool swap, struct wt_event *ev,        \
		      char *str, size_t strsz)
#define U(i, v) get_u(&s->f[i], rec, size, swap, v)
#define S(i, v) get_s(&s->f[i], rec, size, swap, v)
#define I(i, v) get_i32(&s->f[i], rec, size, swap, v)
#define STR(i) get_str(&s->f[i], rec, size, swap, str, strsz)

/* wait4's upid as a waitid idtype (see event.h). */
static int32_t wait4_which(int32_t upid)
{
	if (upid > 0)
		return WT_P_PID;
	if (upid == -1)
		return WT_P_ALL;
	return WT_P_PGID;
}

/* The optional user pointers: stat_addr / infop in field @i, the rusage
 * buffer in field @i + 1 (see event.h). */
static bool get_uaddr(const struct wt_evslot *s, int i, const uint8_t *rec,
		      unsigned size, bool swap, struct wt_event *ev)
{
	ev->wait_enter.has_uaddr = ev->wait_enter.has_user_ptrs = false;
	ev->wait_enter.uaddr = ev->wait_enter.ru_addr = 0;
	if (s->f[i].off < 0)
		return true;
	if (!get_u(&s->f[i], rec, size, swap, &ev->wait_enter.uaddr))
		return false;
	ev->wait_enter.has_uaddr = true;
	if (s->f[i + 1].off < 0)
		return true;
	if (!get_u(&s->f[i + 1], rec, size, swap, &ev->wait_enter.ru_addr))
		return false;
	ev->wait_enter.has_user_ptrs = true;
	return true;
}

/* Both backends: syscall tracepoint (8-byte fields) and kprobe (s32 upid,
 * u64 stat_addr, s32 options, u64 ru). */
HANDLER(dec_wait4_enter) /* upid, options, ?stat_addr, ?ru */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_ENTER;
	ev->wait_enter.sys = WT_SYS_WAIT4;
	if (!I(0, &ev->wait_enter.upid) || !I(1, &ev->wait_enter.options) ||
	    !get_uaddr(s, 2, rec, size, swap, ev))
		return -1;
	ev->wait_enter.which = wait4_which(ev->wait_enter.upid);
	return 1;
}

HANDLER(dec_waitid_enter) /* which, upid, options, ?infop, ?ru */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_ENTER;
	ev->wait_enter.sys = WT_SYS_WAITID;
	if (!I(0, &ev->wait_enter.which) || !I(1, &ev->wait_enter.upid) ||
	    !I(2, &ev->wait_enter.options) ||
	    !get_uaddr(s, 3, rec, size, swap, ev))
		return -1;
	return 1;
}

static void no_memory(struct wt_event *ev)
{
	ev->wait_exit.has_status = ev->wait_exit.has_siginfo = false;
	ev->wait_exit.has_full_siginfo = ev->wait_exit.has_rusage = false;
	ev->wait_exit.info_user = false;
}

HANDLER(dec_wait_exit) /* ret; arg = enum wt_syscall */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_EXIT;
	ev->wait_exit.sys = (enum wt_syscall)s->arg;
	no_memory(ev);
	if (!S(0, &ev->wait_exit.ret))
		return -1;
	return 1;
}

/*
 * The nine struct rusage fields of a return probe, from field @i on
 * (record/kprobe_plan.h: ru_utime_sec ... ru_nivcsw), all or none: 1 read,
 * 0 absent (older recordings, kernels < 6.9), -1 out of the record.
 */
static int get_rusage(const struct wt_evslot *s, int i, const uint8_t *rec,
		      unsigned size, bool swap, struct wt_rusage *ru)
{
	int64_t *v[9] = { &ru->utime_sec, &ru->utime_usec, &ru->stime_sec,
			  &ru->stime_usec, &ru->maxrss, &ru->minflt,
			  &ru->majflt, &ru->nvcsw, &ru->nivcsw };

	for (int k = 0; k < 9; k++)
		if (s->f[i + k].off < 0)
			return 0;
	for (int k = 0; k < 9; k++)
		if (!get_s(&s->f[i + k], rec, size, swap, v[k]))
			return -1;
	return 1;
}

#define RU_FIELDS "?ru_utime_sec", "?ru_utime_usec", "?ru_stime_sec", \
	"?ru_stime_usec", "?ru_maxrss", "?ru_minflt", "?ru_majflt", \
	"?ru_nvcsw", "?ru_nivcsw"

/*
 * kretprobe on __x64_sys_wait4 & co. (record/kprobe_plan.h): ret, and where
 * the kernel lets return probes read entry arguments (Linux >= 6.9) the
 * status word read back from the caller's stat_addr and the rusage.
 */
HANDLER(dec_kp_wait4_exit) /* ret, ?status, RU_FIELDS */
{
	int r;

	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_EXIT;
	ev->wait_exit.sys = WT_SYS_WAIT4;
	no_memory(ev);
	if (!S(0, &ev->wait_exit.ret))
		return -1;
	if (s->f[1].off >= 0) {
		if (!I(1, &ev->wait_exit.status))
			return -1;
		ev->wait_exit.has_status = true;
	}
	if ((r = get_rusage(s, 2, rec, size, swap, &ev->wait_exit.ru)) < 0)
		return -1;
	ev->wait_exit.has_rusage = r > 0;
	return 1;
}

/* SIGCHLD on the architectures the kprobe backend plans for (x86_64,
 * arm64: asm-generic numbering). */
#define KP_SIGCHLD 17

/*
 * The siginfo of a waitid return probe (fields 1..5: si_pid, si_status,
 * si_code, si_signo, si_uid).  Where it comes from (record/kprobe_plan.c):
 *  - kernel_waitid's struct waitid_info (si_uid but no si_signo: that is
 *    SIGCHLD when kernel_waitid returns > 0, else 0, as sys_waitid()
 *    writes it): kernel memory, good whatever the caller passed;
 *  - the caller's siginfo_t (si_signo too, or an older recording without
 *    si_uid): its memory, garbage where its infop was NULL.
 */
static bool get_siginfo(const struct wt_evslot *s, const uint8_t *rec,
			unsigned size, bool swap, int64_t ret,
			struct wt_event *ev)
{
	bool signo = s->f[4].off >= 0, uid = s->f[5].off >= 0;
	uint64_t u = 0;

	if (!I(1, &ev->wait_exit.info_pid) || !I(2, &ev->wait_exit.info_status) ||
	    !I(3, &ev->wait_exit.info_code) ||
	    (signo && !I(4, &ev->wait_exit.info_signo)) ||
	    (uid && !U(5, &u)))
		return false;
	ev->wait_exit.info_uid = (uint32_t)u;
	ev->wait_exit.has_siginfo = true;
	ev->wait_exit.info_user = signo || !uid;
	ev->wait_exit.has_full_siginfo = uid;
	if (!signo)
		ev->wait_exit.info_signo = ret > 0 ? KP_SIGCHLD : 0;
	return true;
}

/*
 * kretprobe on waitid.  What its return value says depends on the function
 * probed (record/kprobe_plan.c picks one; the slot's arg says which, see
 * waitid_ret_kind()), read in kernel/exit.c (Linux 4.13 to 6.12 alike):
 *  - kernel_waitid() returns do_wait()'s result: the reported child's pid
 *    (> 0), or 0 only when WNOHANG found nothing waitable (do_wait's
 *    notask_error is 0 once an eligible child exists; without WNOHANG it
 *    sleeps instead, or returns -EAGAIN for a non-blocking pidfd).  So 0
 *    is "nothing", known for certain.
 *  - __do_sys_waitid, sys_waitid and the syscall wrappers return the
 *    syscall's result, 0 both for a report and for nothing: only the
 *    siginfo (si_pid 0 = nothing) tells, and without it the model must
 *    infer, as with the tracepoint.
 *  - a recording without the probe definitions in its META: the function
 *    is unknown, so 0 is treated as the syscall's (inference); > 0 can only
 *    come from kernel_waitid.
 * The return value is normalized to the syscall's (> 0 becomes 0), and the
 * pid kept as the siginfo's pid when the probe could not read the siginfo
 * itself (info_code 0).
 */
HANDLER(dec_kp_waitid_exit) /* ret, ?si_pid, ?si_status, ?si_code,
			       ?si_signo, ?si_uid, RU_FIELDS */
{
	bool info = s->f[1].off >= 0 && s->f[2].off >= 0 && s->f[3].off >= 0;
	int64_t ret;
	int r;

	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_EXIT;
	ev->wait_exit.sys = WT_SYS_WAITID;
	no_memory(ev);
	ev->wait_exit.info_code = 0;
	if (!S(0, &ret))
		return -1;
	if (info) {
		if (!get_siginfo(s, rec, size, swap, ret, ev))
			return -1;
	} else if (ret > 0 && ret <= INT32_MAX) {
		/* the return value: the caller's pointers do not matter */
		ev->wait_exit.info_pid = (int32_t)ret;
		ev->wait_exit.has_siginfo = true;
	} else if (ret == 0 && s->arg == WT_KP_RET_PID) {
		ev->wait_exit.info_pid = 0; /* nothing was waitable */
		ev->wait_exit.has_siginfo = true;
	}
	if ((r = get_rusage(s, 6, rec, size, swap, &ev->wait_exit.ru)) < 0)
		return -1;
	ev->wait_exit.has_rusage = r > 0;
	ev->wait_exit.ret = ret > 0 ? 0 : ret;
	return 1;
}

/* kprobe on do_exit(long code): the task's whole wait status. */
HANDLER(dec_do_exit) /* code */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_DO_EXIT;
	if (!I(0, &ev->do_exit.code))
		return -1;
	return 1;
}

HANDLER(dec_fork) /* parent_pid, child_pid, child_comm */
{
	ev->type = WT_EV_FORK;
	if (!I(0, &ev->fork.parent_tid) || !I(1, &ev->fork.child_tid) || !STR(2))
		return -1;
	ev->str = str;
	return 1;
}

HANDLER(dec_newtask) /* pid, comm, clone_flags */
{
	ev->type = WT_EV_NEWTASK;
	if (!I(0, &ev->newtask.child_tid) || !STR(1) ||
	    !U(2, &ev->newtask.clone_flags))
		return -1;
	ev->str = str;
	return 1;
}

HANDLER(dec_exec) /* filename, old_pid */
{
	ev->type = WT_EV_EXEC;
	if (!STR(0) || !I(1, &ev->exec.old_tid))
		return -1;
	ev->str = str;
	return 1;
}

/*
 * group_dead appeared in sched_process_exit in Linux 6.13 (6.12 has no
 * such field); older kernels do not say whether the exiting task was the
 * last of its process.  Nothing in the record can tell then, so the event
 * is reported as a group death with has_group_dead false, and the model
 * counts the process's live threads (mdl_tasks.c mdl_on_exit()).
 */
HANDLER(dec_exit) /* comm, ?group_dead */
{
	uint64_t dead = 1;

	ev->type = WT_EV_EXIT;
	if (!STR(0))
		return -1;
	if (s->f[1].off >= 0 && !U(1, &dead))
		return -1;
	ev->exit.group_dead = dead != 0;
	ev->exit.has_group_dead = s->f[1].off >= 0;
	ev->str = str;
	return 1;
}

HANDLER(dec_free) /* pid, comm */
{
	ev->type = WT_EV_FREE;
	if (!I(0, &ev->free.pid) || !STR(1))
		return -1;
	ev->str = str;
	return 1;
}

HANDLER(dec_exit_call) /* error_code; arg = 1 for exit_group */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_EXIT_CALL;
	ev->exit_call.group = s->arg != 0;
	if (!I(0, &ev->exit_call.code))
		return -1;
	return 1;
}

HANDLER(dec_sig_deliver) /* sig, code */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_SIG_DELIVER;
	if (!I(0, &ev->sig_deliver.sig) || !I(1, &ev->sig_deliver.code))
		return -1;
	return 1;
}

HANDLER(dec_sig_generate) /* sig, code, pid, group, result, comm */
{
	ev->type = WT_EV_SIG_GENERATE;
	if (!I(0, &ev->sig_generate.sig) || !I(1, &ev->sig_generate.code) ||
	    !I(2, &ev->sig_generate.target_pid) ||
	    !I(3, &ev->sig_generate.group) || !I(4, &ev->sig_generate.result) ||
	    !STR(5))
		return -1;
	ev->str = str;
	return 1;
}

HANDLER(dec_wait_target) /* pid */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_WAIT_TARGET;
	if (!I(0, &ev->wait_target.pid))
		return -1;
	return 1;
}

/* sys_enter_prctl, filtered in the kernel to PR_SET_CHILD_SUBREAPER; the
 * check here keeps an unfiltered recording from misreading other options. */
HANDLER(dec_prctl) /* option, arg2 */
{
	uint64_t opt, arg2;

	(void)str, (void)strsz;
	ev->type = WT_EV_SUBREAPER;
	if (!U(0, &opt) || !U(1, &arg2))
		return -1;
	if ((uint32_t)opt != 36) /* PR_SET_CHILD_SUBREAPER */
		return 0;
	ev->subreaper.on = arg2 != 0;
	return 1;
}

#define CLONE_NEWPID_FL 0x20000000u

HANDLER(dec_unshare) /* unshare_flags */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_PIDNS;
	ev->pidns.unshare = true;
	ev->pidns.fd = -1;
	if (!U(0, &ev->pidns.flags))
		return -1;
	return (ev->pidns.flags & CLONE_NEWPID_FL) ? 1 : 0;
}

/* setns(fd, nstype) with CLONE_NEWPID in nstype (a namespace fd of that
 * type, or a pidfd with that flag) moves the caller's future children's
 * pid namespace.  nstype 0 ("whatever fd is") is left out: it is how
 * other namespace types are usually joined, and the fd does not say. */
HANDLER(dec_setns) /* fd, flags */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_PIDNS;
	ev->pidns.unshare = false;
	if (!I(0, &ev->pidns.fd) || !U(1, &ev->pidns.flags))
		return -1;
	ev->pidns.flags = (uint32_t)ev->pidns.flags;
	return (ev->pidns.flags & CLONE_NEWPID_FL) ? 1 : 0;
}

HANDLER(dec_pidns_fail) /* ret; arg = 1 for unshare */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_PIDNS_FAIL;
	ev->pidns_fail.unshare = s->arg != 0;
	if (!S(0, &ev->pidns_fail.ret))
		return -1;
	return ev->pidns_fail.ret < 0 ? 1 : 0;
}

/* sys_exit_clone & co., filtered in the kernel to failures; the check
 * here keeps an unfiltered recording from counting successes. */
HANDLER(dec_fork_fail) /* ret; arg = enum wt_fork_sys */
{
	(void)str, (void)strsz;
	ev->type = WT_EV_FORK_FAIL;
	ev->fork_fail.sys = (uint8_t)s->arg;
	if (!S(0, &ev->fork_fail.ret))
		return -1;
	return ev->fork_fail.ret < 0 ? 1 : 0;
}

HANDLER(dec_cgroup_move) /* dst_root, pid, dst_path; arg = 1: transfer */
{
	ev->type = WT_EV_CGROUP_MOVE;
	ev->cgroup_move.transfer = s->arg != 0;
	if (!I(0, &ev->cgroup_move.root) || !I(1, &ev->cgroup_move.pid) ||
	    !STR(2))
		return -1;
	ev->str = str;
	return 1;
}

/* ---- the table ------------------------------------------------------------ */

struct ev_spec {
	const char *system; /* fnmatch pattern */
	const char *name;
	wt_evdecode_fn decode;
	int arg;
	const char *fields[WT_EVF_MAX]; /* "?name": optional */
};

static const struct ev_spec specs[] = {
	{ "syscalls", "sys_enter_wait4", dec_wait4_enter, 0,
	  { "upid", "options", "?stat_addr", "?ru" } },
	{ "syscalls", "sys_exit_wait4", dec_wait_exit, WT_SYS_WAIT4, { "ret" } },
	{ "syscalls", "sys_enter_waitid", dec_waitid_enter, 0,
	  { "which", "upid", "options", "?infop", "?ru" } },
	{ "syscalls", "sys_exit_waitid", dec_wait_exit, WT_SYS_WAITID, { "ret" } },
	{ "sched", "sched_process_fork", dec_fork, 0,
	  { "parent_pid", "child_pid", "child_comm" } },
	{ "sched", "sched_process_exec", dec_exec, 0, { "filename", "old_pid" } },
	{ "sched", "sched_process_exit", dec_exit, 0, { "comm", "?group_dead" } },
	{ "sched", "sched_process_free", dec_free, 0, { "pid", "comm" } },
	{ "task", "task_newtask", dec_newtask, 0,
	  { "pid", "comm", "clone_flags" } },
	{ "syscalls", "sys_enter_exit_group", dec_exit_call, 1, { "error_code" } },
	{ "syscalls", "sys_enter_exit", dec_exit_call, 0, { "error_code" } },
	{ "signal", "signal_deliver", dec_sig_deliver, 0, { "sig", "code" } },
	{ "signal", "signal_generate", dec_sig_generate, 0,
	  { "sig", "code", "pid", "group", "result", "comm" } },
	{ "sched", "sched_process_wait", dec_wait_target, 0, { "pid" } },
	{ "syscalls", "sys_enter_prctl", dec_prctl, 0, { "option", "arg2" } },
	{ "syscalls", "sys_enter_unshare", dec_unshare, 0, { "unshare_flags" } },
	{ "syscalls", "sys_exit_unshare", dec_pidns_fail, 1, { "ret" } },
	{ "syscalls", "sys_enter_setns", dec_setns, 0, { "fd", "flags" } },
	{ "syscalls", "sys_exit_setns", dec_pidns_fail, 0, { "ret" } },
	{ "syscalls", "sys_exit_clone", dec_fork_fail, WT_FORK_CLONE, { "ret" } },
	{ "syscalls", "sys_exit_clone3", dec_fork_fail, WT_FORK_CLONE3,
	  { "ret" } },
	{ "syscalls", "sys_exit_fork", dec_fork_fail, WT_FORK_FORK, { "ret" } },
	{ "syscalls", "sys_exit_vfork", dec_fork_fail, WT_FORK_VFORK, { "ret" } },
	{ "cgroup", "cgroup_attach_task", dec_cgroup_move, 0,
	  { "dst_root", "pid", "dst_path" } },
	{ "cgroup", "cgroup_transfer_tasks", dec_cgroup_move, 1,
	  { "dst_root", "pid", "dst_path" } },
	/* the kprobe backend: group wtrec_<recorder pid>, events and fields
	 * as record/kprobe_plan.h defines them */
	{ "wtrec_*", "wait4_enter", dec_wait4_enter, 0,
	  { "upid", "options", "?stat_addr", "?ru" } },
	{ "wtrec_*", "wait4_exit", dec_kp_wait4_exit, 0,
	  { "ret", "?status", RU_FIELDS } },
	{ "wtrec_*", "waitid_enter", dec_waitid_enter, 0,
	  { "which", "upid", "options", "?infop", "?ru" } },
	{ "wtrec_*", "waitid_exit", dec_kp_waitid_exit, 0,
	  { "ret", "?si_pid", "?si_status", "?si_code", "?si_signo",
	    "?si_uid", RU_FIELDS } },
	{ "wtrec_*", "do_exit", dec_do_exit, 0, { "code" } },
};

/* ---- building ------------------------------------------------------------ */

/* Offsets in a format are parsed from text: keep only sane ones. */
static void resolve(struct wt_evfield *dst, const struct tep_format_field *f)
{
	dst->off = -1;
	dst->size = 0;
	dst->flags = 0;
	if (!f || f->offset < 0 || f->size <= 0 || f->offset > (1 << 20) ||
	    f->size > (1 << 20))
		return;
	dst->off = f->offset;
	dst->size = f->size;
	dst->flags = f->flags;
}

static const struct ev_spec *find_spec(const struct tep_event *e)
{
	if (!e->name || !e->system)
		return NULL;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (!strcmp(specs[i].name, e->name) &&
		    !fnmatch(specs[i].system, e->system, 0))
			return &specs[i];
	return NULL;
}

/* Fill @slot for @e; NULL, or the required field its format lacks. */
static const char *make_slot(struct wt_evslot *slot,
			     const struct ev_spec *sp, struct tep_event *e)
{
	memset(slot, 0, sizeof(*slot));
	slot->decode = sp->decode;
	slot->arg = sp->arg;
	for (int i = 0; i < WT_EVF_MAX; i++) {
		const char *name = sp->fields[i];
		bool optional;

		slot->f[i].off = -1;
		if (!name)
			continue;
		optional = name[0] == '?';
		resolve(&slot->f[i], tep_find_field(e, name + optional));
		if (slot->f[i].off < 0 && !optional)
			return name;
	}
	return NULL;
}

/* common_type / common_pid from any event: they are the same in all. */
static void resolve_common(struct wt_evtab *t, struct tep_event *e)
{
	if (t->type_f.off < 0)
		resolve(&t->type_f, tep_find_common_field(e, "common_type"));
	if (t->pid_f.off < 0)
		resolve(&t->pid_f, tep_find_common_field(e, "common_pid"));
}

/*
 * The function the kprobe @system/@event was put on, from the recording's
 * META "probe.N=r1024:wtrec_123/waitid_exit kernel_waitid ret=..." lines
 * (the definitions as written to kprobe_events); false when none names it.
 */
static bool probed_symbol(const struct wt_meta *meta, const char *system,
			  const char *event, char *sym, size_t symlen)
{
	size_t sl = strlen(system), el = strlen(event);

	for (size_t i = 0; meta && i < meta->n; i++) {
		const char *v = meta->pairs[i].value, *p, *end;

		if (strncmp(meta->pairs[i].key, "probe.", 6))
			continue;
		p = strchr(v, ':');
		if (!p || strncmp(p + 1, system, sl) || p[1 + sl] != '/' ||
		    strncmp(p + 2 + sl, event, el) || p[2 + sl + el] != ' ')
			continue;
		p += 3 + sl + el;
		end = strchr(p, ' ');
		if (!end)
			end = p + strlen(p);
		if (end == p || (size_t)(end - p) >= symlen)
			return false;
		memcpy(sym, p, (size_t)(end - p));
		sym[end - p] = '\0';
		return true;
	}
	return false;
}

/* The slot argument of a waitid return probe: what its ret 0 means (see
 * dec_kp_waitid_exit). */
static int waitid_ret_kind(const struct wt_meta *meta, const char *system)
{
	char sym[128];

	if (probed_symbol(meta, system, "waitid_exit", sym, sizeof(sym)) &&
	    !strcmp(sym, "kernel_waitid"))
		return WT_KP_RET_PID;
	return WT_KP_RET_SYSCALL;
}

static int add_slot(struct wt_evtab *t, struct tep_event *e,
		    const struct wt_meta *meta)
{
	const struct ev_spec *sp = find_spec(e);
	struct wt_evslot slot;
	const char *lacks;

	if (!sp || e->id < 0 || (size_t)e->id >= t->nids ||
	    t->nslots >= UINT16_MAX)
		return 0;
	if ((lacks = make_slot(&slot, sp, e))) {
		/* its records stay unknown: the caller reports it */
		if (!t->unusable++) {
			snprintf(t->unusable_event, sizeof(t->unusable_event),
				 "%s:%s", e->system, e->name);
			snprintf(t->unusable_field, sizeof(t->unusable_field),
				 "%s", lacks);
		}
		return 0;
	}
	if (sp->decode == dec_kp_waitid_exit)
		slot.arg = waitid_ret_kind(meta, e->system);
	t->slots[t->nslots++] = slot;
	t->by_id[e->id] = (uint16_t)t->nslots;
	return 0;
}

int wt_evtab_build(struct wt_evtab *t, struct tep_handle *tep, bool file_le,
		   const struct wt_meta *meta)
{
	struct tep_event **events = tep_list_events(tep, TEP_EVENT_SORT_ID);
	size_t n = 0;
	int maxid = -1;

	memset(t, 0, sizeof(*t));
	t->type_f.off = t->pid_f.off = -1;
	t->swap = file_le != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);
	for (; events && events[n]; n++) {
		resolve_common(t, events[n]);
		/* common_type is a u16: larger ids can never match a record */
		if (events[n]->id > maxid && events[n]->id <= UINT16_MAX)
			maxid = events[n]->id;
	}
	t->nids = (size_t)(maxid + 1);
	t->by_id = calloc(t->nids ? t->nids : 1, sizeof(*t->by_id));
	t->slots = calloc(n ? n : 1, sizeof(*t->slots));
	if (!t->by_id || !t->slots)
		goto fail;
	for (size_t i = 0; i < n; i++)
		add_slot(t, events[i], meta);
	return 0;
fail:
	wt_evtab_free(t);
	errno = ENOMEM;
	return -1;
}

void wt_evtab_free(struct wt_evtab *t)
{
	if (!t)
		return;
	free(t->by_id);
	free(t->slots);
	memset(t, 0, sizeof(*t));
	t->type_f.off = t->pid_f.off = -1;
}

int wt_evtab_decode(const struct wt_evtab *t, const uint8_t *rec,
		    unsigned size, struct wt_event *ev, char *str, size_t strsz)
{
	const struct wt_evslot *s;
	uint64_t id;
	int32_t tid;

	if (!get_u(&t->type_f, rec, size, t->swap, &id) || id >= t->nids ||
	    !t->by_id[id])
		return 0;
	s = &t->slots[t->by_id[id] - 1];
	if (!get_i32(&t->pid_f, rec, size, t->swap, &tid))
		return -1;
	ev->tid = tid;
	ev->str = NULL;
	return s->decode(s, rec, size, t->swap, ev, str, strsz);
}

/* ---- format text canonicalization (see decode_events.h) ------------------ */

#define DECL_MAX 128
#define EVNAME_MAX 64

static bool ident_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

static bool is_ident(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ident_char(s[i], i == 0))
			return false;
	return n > 0;
}

/* [s, s + n) is one or more decimal digits. */
static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* "ident", "ident[]", "ident[16]", "ident[TASK_COMM_LEN]" or "*". */
static bool decl_token_ok(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 1 && s[0] == '*')
		return true;
	while (i < n && ident_char(s[i], i == 0))
		i++;
	if (i == 0)
		return false;
	if (i == n)
		return true;
	if (s[i] != '[' || s[n - 1] != ']' || n - i - 2 > 16)
		return false;
	return n - i == 2 || is_ident(s + i + 1, n - i - 2) ||
	       all_digits(s + i + 1, n - i - 2);
}

/* "type ... name": tokens separated by single spaces, at least two, the
 * last one not a bare '*'. */
static bool decl_ok(const char *s, size_t n)
{
	size_t start = 0, tokens = 0;

	if (n == 0 || n > DECL_MAX || s[n - 1] == '*')
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != ' ')
			continue;
		if (!decl_token_ok(s + start, i - start))
			return false;
		tokens++;
		start = i + 1;
	}
	return tokens >= 2;
}

/* @prefix, 1..7 decimal digits (value <= @max), ';'.  Advances *@p. */
static bool expect_num(const char **p, const char *end, const char *prefix,
		       unsigned max, unsigned *v)
{
	size_t plen = strlen(prefix), digits = 0;
	const char *s = *p;

	if ((size_t)(end - s) < plen || memcmp(s, prefix, plen))
		return false;
	s += plen;
	*v = 0;
	while (s < end && *s >= '0' && *s <= '9' && digits < 7) {
		*v = *v * 10 + (unsigned)(*s++ - '0');
		digits++;
	}
	if (!digits || *v > max || s >= end || *s != ';')
		return false;
	*p = s + 1;
	return true;
}

/* "<prefix>DECL;\toffset:N;\tsize:N;[\tsigned:N;]" -> canonical at @out.
 * @prefix: "\tfield:" in event formats, "\tfield: " in header_page.
 * Returns the bytes written, 0 when the line does not match. */
static size_t field_line(const char *prefix, const char *s, const char *e,
			 char *out)
{
	size_t plen = strlen(prefix);
	unsigned off, size, sign = 0;
	const char *semi, *p;

	if ((size_t)(e - s) < plen || memcmp(s, prefix, plen))
		return 0;
	s += plen;
	semi = memchr(s, ';', (size_t)(e - s));
	if (!semi || !decl_ok(s, (size_t)(semi - s)))
		return 0;
	p = semi + 1;
	if (!expect_num(&p, e, "\toffset:", 1u << 20, &off) ||
	    !expect_num(&p, e, "\tsize:", 1u << 20, &size))
		return 0;
	if (p < e && !expect_num(&p, e, "\tsigned:", 1, &sign))
		return 0;
	if (p != e)
		return 0;
	return (size_t)sprintf(out, "%s%.*s;\toffset:%u;\tsize:%u;"
			       "\tsigned:%u;\n", prefix, (int)(semi - s), s, off,
			       size, sign);
}

/* The header lines: "name: IDENT", "ID: N", "format:".  Returns the bytes
 * written at @out, 0 when the line does not match what @state expects. */
static size_t header_line(int state, const char *s, const char *e, char *out)
{
	size_t n = (size_t)(e - s);
	unsigned id = 0;

	if (state == 0 && n > 6 && n - 6 <= EVNAME_MAX &&
	    !memcmp(s, "name: ", 6) && is_ident(s + 6, n - 6))
		return (size_t)sprintf(out, "name: %.*s\n", (int)(n - 6), s + 6);
	if (state == 1 && n > 4 && n - 4 <= 5 && !memcmp(s, "ID: ", 4) &&
	    all_digits(s + 4, n - 4)) {
		for (size_t i = 4; i < n; i++)
			id = id * 10 + (unsigned)(s[i] - '0');
		if (id <= UINT16_MAX)
			return (size_t)sprintf(out, "ID: %u\n", id);
	}
	if (state == 2 && n == 7 && !memcmp(s, "format:", 7))
		return (size_t)sprintf(out, "format:\n");
	return 0;
}

static void set_why(char *why, size_t whylen, const char *what, size_t line)
{
	if (why && whylen)
		snprintf(why, whylen, "%s (line %zu)", what, line);
}

char *wt_format_canonical(const char *text, size_t len, size_t *outlen,
			  char *why, size_t whylen)
{
	/* a canonical line is at most ~20 bytes longer than its source */
	char *out = malloc(2 * len + 256);
	struct wt_lines it = wt_lines_of(text, len);
	const char *s;
	size_t n = 0, lineno = 0, w, ln;
	int state = 0, groups = 1;

	if (!out) {
		set_why(why, whylen, "out of memory", 0);
		return NULL;
	}
	while (wt_lines_next(&it, &s, &ln)) {
		const char *e = s + ln;

		lineno++;
		if (state < 3) {
			w = header_line(state++, s, e, out + n);
		} else if (e == s) {
			/* a blank line ends the common fields; later ones
			 * are dropped so there are exactly two groups */
			w = groups == 1 ? (size_t)sprintf(out + n, "\n") : 0;
			groups = 2;
			n += w;
			continue;
		} else if (ln >= 10 && !memcmp(s, "print fmt:", 10)) {
			break;
		} else {
			w = field_line("\tfield:", s, e, out + n);
		}
		if (!w) {
			set_why(why, whylen, "line not in the kernel's format "
				"grammar", lineno);
			free(out);
			return NULL;
		}
		n += w;
	}
	if (state < 3) {
		set_why(why, whylen, "name, ID or format line missing", lineno);
		free(out);
		return NULL;
	}
	n += (size_t)sprintf(out + n, "%s\nprint fmt: \"\"\n",
			     groups == 1 ? "\n" : "");
	*outlen = n;
	return out;
}

char *wt_header_page_canonical(const char *text, size_t len, size_t *outlen)
{
	char *out = malloc(2 * len + 64);
	struct wt_lines it = wt_lines_of(text, len);
	const char *s;
	size_t n = 0, w, ln;

	if (!out)
		return NULL;
	while (wt_lines_next(&it, &s, &ln)) {
		const char *e = s + ln;

		if (e == s) /* blank lines carry nothing */
			continue;
		w = field_line("\tfield: ", s, e, out + n);
		if (!w) {
			free(out);
			errno = EINVAL;
			return NULL;
		}
		n += w;
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* ---- names --------------------------------------------------------------- */

const char *wt_event_name(const struct wt_event *ev)
{
	switch (ev->type) {
	case WT_EV_WAIT_ENTER:
		return ev->wait_enter.sys == WT_SYS_WAITID ? "sys_enter_waitid"
							  : "sys_enter_wait4";
	case WT_EV_WAIT_EXIT:
		return ev->wait_exit.sys == WT_SYS_WAITID ? "sys_exit_waitid"
							 : "sys_exit_wait4";
	case WT_EV_FORK: return "sched_process_fork";
	case WT_EV_NEWTASK: return "task_newtask";
	case WT_EV_EXEC: return "sched_process_exec";
	case WT_EV_EXIT: return "sched_process_exit";
	case WT_EV_FREE: return "sched_process_free";
	case WT_EV_EXIT_CALL:
		return ev->exit_call.group ? "sys_enter_exit_group"
					   : "sys_enter_exit";
	case WT_EV_SIG_DELIVER: return "signal_deliver";
	case WT_EV_SIG_GENERATE: return "signal_generate";
	case WT_EV_DO_EXIT: return "do_exit";
	case WT_EV_WAIT_TARGET: return "sched_process_wait";
	case WT_EV_SUBREAPER: return "sys_enter_prctl";
	case WT_EV_PIDNS:
		return ev->pidns.unshare ? "sys_enter_unshare" : "sys_enter_setns";
	case WT_EV_PIDNS_FAIL:
		return ev->pidns_fail.unshare ? "sys_exit_unshare" : "sys_exit_setns";
	case WT_EV_FORK_FAIL: {
		static const char *const names[] = {
			[WT_FORK_CLONE] = "sys_exit_clone",
			[WT_FORK_CLONE3] = "sys_exit_clone3",
			[WT_FORK_FORK] = "sys_exit_fork",
			[WT_FORK_VFORK] = "sys_exit_vfork",
		};
		uint8_t k = ev->fork_fail.sys;
		return k >= WT_FORK_CLONE && k <= WT_FORK_VFORK ? names[k]
								: "unknown";
	}
	case WT_EV_CGROUP_MOVE:
		return ev->cgroup_move.transfer ? "cgroup_transfer_tasks"
						: "cgroup_attach_task";
	case WT_EV_LOST: return "lost";
	}
	return "unknown";
}

const char *wt_event_kprobe_name(const struct wt_event *ev)
{
	bool waitid;

	switch (ev->type) {
	case WT_EV_WAIT_ENTER:
		waitid = ev->wait_enter.sys == WT_SYS_WAITID;
		return waitid ? "waitid_enter" : "wait4_enter";
	case WT_EV_WAIT_EXIT:
		waitid = ev->wait_exit.sys == WT_SYS_WAITID;
		return waitid ? "waitid_exit" : "wait4_exit";
	default:
		return wt_event_name(ev);
	}
}
