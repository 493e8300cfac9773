/*
 * sc_basic.c - `wtwork basic [N]`: N held children (default 13: one per row
 * of the table below) with distinct fates, each reaped by a different kind
 * of wait, then one wait4(-1) that fails with ECHILD.
 *
 * Only one child is ever dead-but-unreaped, so even "any child" waits
 * (wait4(-1), waitid(P_ALL), process-group waits) reap a known child.  Some
 * steps first poll with WNOHANG while the child is still parked (the poll
 * must return 0); the "poll" methods then keep polling after the release
 * until the child is reaped (how many polls that takes varies; each is
 * logged).  Children beyond the table's 13 reuse its methods with exit code
 * 10 + index.
 */
#include "scenario.h"
#include "held.h"
#include "pidfd.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum method {
	M_WAIT4_PID,       /* wait4(pid, 0)                     */
	M_WAIT4_ANY,       /* wait4(-1, 0)                      */
	M_WAITID_PID,      /* waitid(P_PID, pid, WEXITED)       */
	M_WAITID_ALL,      /* waitid(P_ALL, 0, WEXITED)         */
	M_WAIT4_PGRP0,     /* wait4(0, 0): own process group    */
	M_WAITID_PIDFD,    /* waitid(P_PIDFD, fd, WEXITED)      */
	M_WAITID_PID_POLL, /* waitid(P_PID, pid, WEXITED|WNOHANG) until reaped */
	M_WAIT4_PID_WALL,  /* wait4(pid, __WALL)                */
	M_WAIT4_NEGPGID,   /* wait4(-pgid, 0)                   */
	M_WAITID_PGID,     /* waitid(P_PGID, pgid, WEXITED)     */
	M_WAIT4_PID_POLL,  /* wait4(pid, WNOHANG) until reaped  */
};

struct step {
	enum fate fate;
	int value;
	enum method method;
	int poll_first;    /* a WNOHANG poll before the release: must miss */
};

static const struct step table[] = {
	{ FATE_EXIT,  10,      M_WAIT4_PID,       1 },
	{ FATE_EXIT,  11,      M_WAIT4_ANY,       0 },
	{ FATE_KILL,  SIGTERM, M_WAITID_PID,      0 },
	{ FATE_EXIT,  13,      M_WAITID_ALL,      1 },
	{ FATE_KILL,  SIGKILL, M_WAIT4_PID,       0 },
	{ FATE_RAISE, SIGSEGV, M_WAIT4_ANY,       0 },
	{ FATE_EXIT,  16,      M_WAIT4_PGRP0,     0 },
	{ FATE_EXIT,  17,      M_WAITID_PIDFD,    0 },
	{ FATE_EXIT,  18,      M_WAITID_PID_POLL, 1 },
	{ FATE_EXIT,  0,       M_WAIT4_PID_WALL,  0 },
	{ FATE_EXIT,  20,      M_WAIT4_NEGPGID,   0 },
	{ FATE_EXIT,  21,      M_WAITID_PGID,     0 },
	{ FATE_EXIT,  22,      M_WAIT4_PID_POLL,  1 },
};
#define TABLE_LEN ((int)(sizeof(table) / sizeof(table[0])))

static struct step step_for(int i)
{
	struct step s = table[i % TABLE_LEN];

	if (i >= TABLE_LEN) {
		s.fate = FATE_EXIT;
		s.value = 10 + i;
	}
	return s;
}

static int is_waitid(enum method m)
{
	return m == M_WAITID_PID || m == M_WAITID_ALL || m == M_WAITID_PIDFD ||
	       m == M_WAITID_PID_POLL || m == M_WAITID_PGID;
}

/* One wait of kind m for child h; extra options are or-ed in. */
static long wait_by(enum method m, const struct held *h, int pidfd,
		    int extra, struct wc_result *r)
{
	pid_t pg = getpgrp();

	switch (m) {
	case M_WAIT4_PID:
	case M_WAIT4_PID_POLL:
		return wc_wait4(h->pid, extra, r);
	case M_WAIT4_ANY:	return wc_wait4(-1, extra, r);
	case M_WAIT4_PGRP0:	return wc_wait4(0, extra, r);
	case M_WAIT4_PID_WALL:	return wc_wait4(h->pid, __WALL | extra, r);
	case M_WAIT4_NEGPGID:	return wc_wait4(-pg, extra, r);
	case M_WAITID_PID:
	case M_WAITID_PID_POLL:
		return wc_waitid(P_PID, h->pid, WEXITED | extra, r);
	case M_WAITID_ALL:	return wc_waitid(P_ALL, 0, WEXITED | extra, r);
	case M_WAITID_PIDFD:
		return wc_waitid(WC_P_PIDFD, pidfd, WEXITED | extra, r);
	case M_WAITID_PGID:	return wc_waitid(P_PGID, pg, WEXITED | extra, r);
	}
	return -1;
}

static int poll_must_miss(const struct step *s, const struct held *h, int fd)
{
	struct wc_result r;

	wait_by(s->method, h, fd, WNOHANG, &r);
	if (r.ret != 0 || r.child != 0) {
		wl_mismatch("child %d parked, WNOHANG poll returned %ld (%s)",
			    h->pid, r.ret, wl_errno_name(r.err));
		return -1;
	}
	return 0;
}

/* Poll with WNOHANG every millisecond until the child is reaped (5 s). */
static int poll_until_reaped(const struct step *s, const struct held *h,
			     struct wc_result *r)
{
	struct timespec ms = { 0, 1000 * 1000 };

	for (int i = 0; i < 5000; i++) {
		wait_by(s->method, h, -1, WNOHANG, r);
		if (r->ret != 0 || (is_waitid(s->method) && r->child))
			return 0;
		nanosleep(&ms, NULL);
	}
	return -1;
}

static int run_step(const struct step *s, struct held *h)
{
	struct wc_result r;
	int fd = -1, ret = -1;

	if (s->method == M_WAITID_PIDFD) {
		fd = pidfd_get(h->pid);
		if (fd < 0) {
			wl_mismatch("pidfd_open(%d): errno %d", h->pid, errno);
			goto out;
		}
		wl_line("pidfd\t%d\t%d", fd, h->pid);
	}
	if (s->poll_first && poll_must_miss(s, h, fd) < 0)
		goto out;
	if (held_release(h) < 0) {
		wl_mismatch("cannot release child %d", h->pid);
		goto out;
	}
	if (s->method == M_WAITID_PID_POLL || s->method == M_WAIT4_PID_POLL) {
		if (poll_until_reaped(s, h, &r) < 0) {
			wl_mismatch("child %d not reaped after 5 s of polls",
				    h->pid);
			goto out;
		}
	} else {
		wait_by(s->method, h, fd, 0, &r);
	}
	ret = held_verify(h, &r);
out:
	if (fd >= 0)
		close(fd);
	return ret;
}

int sc_basic(int argc, char **argv)
{
	long n = sc_arg(argc, argv, 1, TABLE_LEN, 1, 240);
	struct held *kids;
	struct wc_result r;
	int failed = 0;

	if (n < 0)
		return 2;
	kids = calloc(n, sizeof(*kids));
	if (!kids)
		return 1;
	for (int i = 0; i < n; i++) {
		struct step s = step_for(i);
		if (held_fork(&kids[i], s.fate, s.value) < 0) {
			wl_mismatch("fork %d failed: errno %d", i, errno);
			n = i;  /* reap what was forked */
			failed = 1;
			break;
		}
	}
	for (int i = 0; i < n; i++) {
		struct step s = step_for(i);
		if (run_step(&s, &kids[i]) < 0)
			failed = 1;
	}
	wc_wait4(-1, 0, &r);
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("final wait4(-1) returned %ld (%s), want ECHILD",
			    r.ret, wl_errno_name(r.err));
		failed = 1;
	}
	free(kids);
	return failed;
}
