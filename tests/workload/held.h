/*
 * held.h - "held" children: forked, then parked on a pipe until the parent
 * releases them by writing one byte to it (the exit code, so a plan may
 * still change after the fork, as pidreuse needs), so the parent decides exactly when each child dies.  That
 * is what makes wtwork deterministic: a WNOHANG poll made before the release
 * must return 0, and a wait for "any child" made after releasing a single
 * child can only reap that child.
 */
#ifndef HELD_H
#define HELD_H

#include <sys/types.h>
#include "waitcall.h"

enum fate {
	FATE_EXIT,   /* on release: _exit(value)                           */
	FATE_RAISE,  /* on release: raise(value) with the default action   */
	FATE_KILL,   /* never wakes: the parent's release is kill(pid, value) */
};

struct held {
	pid_t pid;       /* as fork() returned it: a pid of our namespace */
	pid_t gpid;      /* its global pid, for the log (gid.h) */
	int go;          /* write end of the child's pipe, -1 once released */
	enum fate fate;
	int value;       /* exit code or signal number */
};

/* Fork a held child and log `fork GPID GTID` (global pids: gid.h).
 * Returns 0, or -1 with errno (nothing forked).  The child never returns
 * from this call. */
int held_fork(struct held *h, enum fate fate, int value);

/* fork() that logs `fork GPID GTID GPID_OF_FORKER` (global pids, gid.h):
 * returns as fork() does; *@gpid gets the child's global pid in the
 * parent.  The child continues (no hold). */
pid_t held_raw_fork(pid_t *gpid);

/* Let the child die as planned (write its pipe, or kill it; logs
 * `signal_sent PID SIG` for FATE_KILL).  Returns 0 or -1. */
int held_release(struct held *h);

/* Check a reaping wait's result against the plan: logs
 * `child_exit PID exited CODE|killed SIG` when r reaped this child with the
 * planned status, else a `mismatch` line.  Returns 0 or -1. */
int held_verify(const struct held *h, const struct wc_result *r);

/* The status text the plan predicts ("exited 3" / "killed 15"). */
const char *held_expected(const struct held *h, char *buf, size_t n);

/* Seconds after which a still-parked child kills itself (SIGALRM), so a
 * failed run never leaves children behind.  Default 30. */
void held_set_lifetime(unsigned seconds);

#endif
