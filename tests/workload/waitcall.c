/*
 * waitcall.c - raw wait4/waitid calls and their `call` log lines:
 *
 *   call SEQ TID SYSCALL IDTYPE TARGET OPTIONS RET ERRNO REAPED STATUS CHILD
 *
 * SEQ grows by one per call within a process (threads share it; a forked
 * process continues from its parent's value), so sorting one thread's calls
 * by SEQ gives the order in which that thread made them.  TARGET is the raw
 * argument as passed (wait4's upid, waitid's id); IDTYPE is P_PID / P_ALL /
 * P_PGID / P_PIDFD (wait4 maps upid > 0 to P_PID, -1 to P_ALL, 0 and < -1 to
 * P_PGID).  REAPED is the pid whose exit the call consumed (0 if none: a
 * WNOHANG miss, an error, a stop/continue report, a WNOWAIT peek); CHILD is
 * the pid the call reported at all (wait4's return, waitid's si_pid).
 * TID, REAPED and CHILD are global pids (gid.h); TARGET and RET are as the
 * caller passed and got them (pids of its namespace).  STATUS is "-" when
 * the call wrote none (or its stat_addr/infop was NULL).
 *
 * Right after it, the same call's buffers:
 *
 *   callmem SEQ TID ADDR RU_ADDR STATUS SI_SIGNO SI_CODE SI_PID SI_UID
 *           SI_STATUS RU_UTIME_US RU_STIME_US RU_MAXRSS RU_MINFLT RU_MAJFLT
 *           RU_NVCSW RU_NIVCSW
 *
 * ADDR is the stat_addr (wait4) or infop (waitid) passed and RU_ADDR the
 * struct rusage pointer, as unsigned decimals, 0 for NULL.  The rest is
 * what the kernel wrote, "-" for what it did not write: each buffer is
 * filled with a pattern before the call, and a field counts as written
 * when the pattern is gone (no value the kernel writes equals it).
 * STATUS is the raw wait4 status word; SI_PID is as the kernel wrote it (a
 * pid of the caller's namespace); RU_UTIME_US/RU_STIME_US are tv_sec *
 * 10^6 + tv_usec; RU_MAXRSS is in KiB.
 */
#include "waitcall.h"
#include "gid.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static long seq;

#define PATTERN 0xa5 /* every byte of a buffer before the call */

/* A call's buffers: what it passed, and room for what came back. */
struct bufs {
	int status;
	siginfo_t si;
	struct rusage ru;
	void *addr;           /* &status, &si or NULL */
	struct rusage *ru_p;  /* &ru or NULL */
};

static void bufs_init(struct bufs *b, bool waitid, int which)
{
	memset(b, PATTERN, sizeof(*b));
	b->addr = (which & WC_NO_STATUS) ? NULL :
		  waitid ? (void *)&b->si : (void *)&b->status;
	b->ru_p = (which & WC_NO_RUSAGE) ? NULL : &b->ru;
}

static bool written(const void *field, size_t n)
{
	const unsigned char *p = field;

	for (size_t i = 0; i < n; i++)
		if (p[i] != PATTERN)
			return true;
	return false;
}

#define WROTE(b, f) written(&(b)->f, sizeof((b)->f))

/* "%d" of @v into @buf when @yes, else "-" */
static const char *num(bool yes, long long v, char *buf, size_t n)
{
	if (!yes)
		return "-";
	snprintf(buf, n, "%lld", v);
	return buf;
}

static void log_mem(long n, bool waitid, const struct bufs *b)
{
	bool st = !waitid && b->addr && WROTE(b, status);
	bool si = waitid && b->addr && WROTE(b, si.si_signo);
	bool ru = b->ru_p && WROTE(b, ru.ru_utime.tv_sec);
	const struct rusage *u = &b->ru;
	char v[13][24];

	wl_line("callmem\t%ld\t%d\t%lu\t%lu\t%s\t%s\t%s\t%s\t%s\t%s"
		"\t%s\t%s\t%s\t%s\t%s\t%s\t%s",
		n, gid_tid(), (unsigned long)(uintptr_t)b->addr,
		(unsigned long)(uintptr_t)b->ru_p,
		num(st, b->status, v[0], 24),
		num(si, b->si.si_signo, v[1], 24), num(si, b->si.si_code, v[2], 24),
		num(si, b->si.si_pid, v[3], 24),
		num(si, (unsigned)b->si.si_uid, v[4], 24),
		num(si, b->si.si_status, v[5], 24),
		num(ru, (long long)u->ru_utime.tv_sec * 1000000 +
			u->ru_utime.tv_usec, v[6], 24),
		num(ru, (long long)u->ru_stime.tv_sec * 1000000 +
			u->ru_stime.tv_usec, v[7], 24),
		num(ru, u->ru_maxrss, v[8], 24), num(ru, u->ru_minflt, v[9], 24),
		num(ru, u->ru_majflt, v[10], 24), num(ru, u->ru_nvcsw, v[11], 24),
		num(ru, u->ru_nivcsw, v[12], 24));
}

static const char *wait4_idtype(pid_t upid)
{
	if (upid > 0)
		return "P_PID";
	if (upid == -1)
		return "P_ALL";
	return "P_PGID";
}

static const char *waitid_idtype(int idtype)
{
	switch (idtype) {
	case P_ALL:		return "P_ALL";
	case P_PID:		return "P_PID";
	case P_PGID:		return "P_PGID";
	case WC_P_PIDFD:	return "P_PIDFD";
	}
	return "P_UNKNOWN";
}

static void log_call(bool waitid, const char *idtype, long target,
		     int options, const struct wc_result *r,
		     const struct bufs *b)
{
	long n = __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);

	wl_line("call\t%ld\t%d\t%s\t%s\t%ld\t%d\t%ld\t%s\t%d\t%s\t%d",
		n, gid_tid(), waitid ? "waitid" : "wait4", idtype, target,
		options, r->ret,
		wl_errno_name(r->err), gid_global(r->reaped), r->status,
		gid_global(r->child));
	log_mem(n, waitid, b);
}

long wc_wait4_bufs(pid_t upid, int options, int which, struct wc_result *r)
{
	struct bufs b;

	bufs_init(&b, false, which);
	memset(r, 0, sizeof(*r));
	strcpy(r->status, "-");
	r->ret = syscall(SYS_wait4, upid, b.addr, options, b.ru_p);
	r->err = r->ret < 0 ? errno : 0;
	if (r->ret > 0) {
		r->child = r->ret;
		/* a stop/continue report leaves no exit to consume; without
		 * the status a reported child was an exit unless stops were
		 * asked for */
		if (b.addr) {
			wl_status_text(b.status, r->status, sizeof(r->status));
			if (WIFEXITED(b.status) || WIFSIGNALED(b.status))
				r->reaped = r->ret;
		} else if (!(options & (WUNTRACED | WCONTINUED))) {
			r->reaped = r->ret;
		} else {
			wl_mismatch("wait4 with a NULL status and stop reports: "
				    "what it reported is unknowable");
		}
	}
	log_call(false, wait4_idtype(upid), upid, options, r, &b);
	return r->ret;
}

long wc_wait4(pid_t upid, int options, struct wc_result *r)
{
	return wc_wait4_bufs(upid, options, 0, r);
}

/* waitid's result without a siginfo: only a blocking P_PID wait for exits
 * alone says which child (its 0 reaped that one). */
static void waitid_blind(int idtype, int id, int options, struct wc_result *r)
{
	if (idtype == P_PID && options == WEXITED) {
		r->child = r->reaped = id;
		return;
	}
	wl_mismatch("waitid with a NULL infop and options %#x: what it "
		    "reported is unknowable", (unsigned)options);
}

long wc_waitid_bufs(int idtype, int id, int options, int which,
		    struct wc_result *r)
{
	struct bufs b;

	bufs_init(&b, true, which);
	memset(r, 0, sizeof(*r));
	strcpy(r->status, "-");
	r->ret = syscall(SYS_waitid, idtype, id, b.addr, options, b.ru_p);
	r->err = r->ret < 0 ? errno : 0;
	if (r->ret == 0 && !b.addr) {
		waitid_blind(idtype, id, options, r);
	} else if (r->ret == 0 && b.si.si_pid != 0) {
		/* the kernel wrote the siginfo: SIGCHLD and the child, or
		 * zeros when nothing was waitable */
		if (b.si.si_signo != SIGCHLD)
			wl_mismatch("waitid returned 0 with si_signo %d",
				    b.si.si_signo);
		r->child = b.si.si_pid;
		wl_siginfo_text(&b.si, r->status, sizeof(r->status));
		int dead = b.si.si_code == CLD_EXITED ||
			   b.si.si_code == CLD_KILLED ||
			   b.si.si_code == CLD_DUMPED;
		if (dead && !(options & WNOWAIT))
			r->reaped = b.si.si_pid;
	} else if (r->ret == 0 && b.si.si_signo != 0) {
		wl_mismatch("waitid returned 0, si_pid 0, si_signo %d: the "
			    "kernel did not write the siginfo", b.si.si_signo);
	}
	log_call(true, waitid_idtype(idtype), id, options, r, &b);
	return r->ret;
}

long wc_waitid(int idtype, int id, int options, struct wc_result *r)
{
	return wc_waitid_bufs(idtype, id, options, 0, r);
}

long wc_poll_any(void)
{
	long ret = syscall(SYS_wait4, -1, NULL, WNOHANG, NULL);

	return ret < 0 ? -errno : ret;
}
