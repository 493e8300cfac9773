/*
 * waitcall.h - one raw wait4/waitid system call, logged as a `call` line
 * and a `callmem` line (the buffers it passed and what the kernel wrote).
 *
 * Each wrapper makes exactly one syscall(2) (never a libc wrapper that might
 * retry or pick another syscall), so the log's calls correspond one to one
 * with the sys_enter/sys_exit events a tracer sees.  By default a call
 * passes every buffer (status or siginfo, and a struct rusage); the
 * *_bufs variants leave some NULL.
 */
#ifndef WAITCALL_H
#define WAITCALL_H

#include <sys/types.h>
#include <sys/wait.h>

#define WC_P_PIDFD 3   /* <linux/wait.h>; glibc 2.36 may lack the name */

struct wc_result {
	long ret;          /* the syscall's return value (-1 on error)        */
	int err;           /* errno when ret == -1, else 0                     */
	pid_t child;       /* child reported: wait4 ret > 0, waitid si_pid     */
	pid_t reaped;      /* child really reaped (exit reported, no WNOWAIT)  */
	char status[32];   /* "exited 3", "killed 15", "stopped 19", or "-"    */
};

/* Buffers a call leaves NULL (the *_bufs variants' @bufs). */
#define WC_NO_STATUS 1  /* wait4's stat_addr, waitid's infop */
#define WC_NO_RUSAGE 2

/* wait4(upid, &status, options, &ru), logged.  Returns r->ret. */
long wc_wait4(pid_t upid, int options, struct wc_result *r);
long wc_wait4_bufs(pid_t upid, int options, int bufs, struct wc_result *r);

/* waitid(idtype, id, &info, options, &ru), logged.  Returns r->ret.
 * With WC_NO_STATUS nothing names the child: only a blocking P_PID wait
 * for exits (WEXITED alone) may leave it out (its 0 reaps that child). */
long wc_waitid(int idtype, int id, int options, struct wc_result *r);
long wc_waitid_bufs(int idtype, int id, int options, int bufs,
		    struct wc_result *r);

/* wait4(-1, NULL, WNOHANG, NULL) without logging, for pollstorm's loop:
 * returns the raw result (0, a pid, or -errno). */
long wc_poll_any(void);

#endif
