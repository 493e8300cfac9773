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
 * caller passed and got them (pids of its namespace).
 */
#include "waitcall.h"
#include "gid.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long seq;

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

static void log_call(const char *sys, const char *idtype, long target,
		     int options, const struct wc_result *r)
{
	long n = __atomic_add_fetch(&seq, 1, __ATOMIC_SEQ_CST);

	wl_line("call\t%ld\t%d\t%s\t%s\t%ld\t%d\t%ld\t%s\t%d\t%s\t%d",
		n, gid_tid(), sys, idtype, target, options, r->ret,
		wl_errno_name(r->err), gid_global(r->reaped), r->status,
		gid_global(r->child));
}

long wc_wait4(pid_t upid, int options, struct wc_result *r)
{
	int status = 0;

	memset(r, 0, sizeof(*r));
	strcpy(r->status, "-");
	r->ret = syscall(SYS_wait4, upid, &status, options, NULL);
	r->err = r->ret < 0 ? errno : 0;
	if (r->ret > 0) {
		r->child = r->ret;
		wl_status_text(status, r->status, sizeof(r->status));
		if (WIFEXITED(status) || WIFSIGNALED(status))
			r->reaped = r->ret;
	}
	log_call("wait4", wait4_idtype(upid), upid, options, r);
	return r->ret;
}

long wc_waitid(int idtype, int id, int options, struct wc_result *r)
{
	siginfo_t si;

	memset(r, 0, sizeof(*r));
	memset(&si, 0, sizeof(si));  /* WNOHANG with nothing ready leaves it */
	strcpy(r->status, "-");
	r->ret = syscall(SYS_waitid, idtype, id, &si, options, NULL);
	r->err = r->ret < 0 ? errno : 0;
	if (r->ret == 0 && si.si_pid != 0) {
		r->child = si.si_pid;
		wl_siginfo_text(&si, r->status, sizeof(r->status));
		int dead = si.si_code == CLD_EXITED || si.si_code == CLD_KILLED ||
			   si.si_code == CLD_DUMPED;
		if (dead && !(options & WNOWAIT))
			r->reaped = si.si_pid;
	}
	log_call("waitid", waitid_idtype(idtype), id, options, r);
	return r->ret;
}

long wc_poll_any(void)
{
	long ret = syscall(SYS_wait4, -1, NULL, WNOHANG, NULL);

	return ret < 0 ? -errno : ret;
}
