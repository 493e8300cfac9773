/*
 * sc_buffers.c - `wtwork buffers`: wait calls with each combination of the
 * buffers the kernel writes into (wait4's status, waitid's siginfo, the
 * struct rusage of both), some NULL, and a child that used some CPU time
 * and memory, so that the callmem lines (waitcall.c) hold every case of
 * what the kernel writes and what it does not (kernel/exit.c):
 *
 *   A  burns ~30 ms of CPU and touches 16 MiB, exits 21;
 *        wait4(A, &st, 0, &ru): status and rusage
 *   B  exits 22; waitid(P_PID, B, &si, WEXITED|WNOWAIT, &ru) peeks (siginfo
 *        and rusage: a report fills both), wait4(B, NULL, 0, &ru) reaps:
 *        the rusage only
 *   C  exits 23; waitid(P_PID, C, &si, WEXITED|WNOWAIT, NULL) peeks,
 *        waitid(P_PID, C, NULL, WEXITED, &ru) reaps: the rusage only
 *   D  killed by SIGTERM; wait4(-1, &st, 0, NULL): the status only
 *   E  parked: wait4(E, &st, WNOHANG, &ru) and waitid(P_PID, E, &si,
 *        WEXITED|WNOHANG, &ru) find nothing (the siginfo is zeroed, nothing
 *        else written), wait4(-1, NULL, WNOHANG, NULL) too; released (exit
 *        25), waitid(P_PID, E, &si, WEXITED, &ru) reaps it
 *   then wait4(-1, &st, 0, &ru) and waitid(P_ALL, &si, WEXITED, &ru) get
 *        ECHILD (waitid still zeroes the siginfo), waitid(P_ALL, NULL,
 *        WEXITED, NULL) too.
 * A peek's status verifies the child_exit of a reap that passed no status
 * buffer.
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BURN_NS (30 * 1000 * 1000L)
#define TOUCH_BYTES (16 << 20)

/* The child A: CPU time and a resident set its parent's rusage shows. */
static void burn(void)
{
	struct timespec t;
	char *mem = malloc(TOUCH_BYTES);
	volatile unsigned long x = 0;

	if (!mem)
		_exit(98);
	memset(mem, 1, TOUCH_BYTES);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * mem[i % TOUCH_BYTES];
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	} while (t.tv_sec == 0 && t.tv_nsec < BURN_NS);
	_exit(x == 1 ? 99 : 21); /* x is read: the loop cannot be dropped */
}

static int fork_burner(struct held *h)
{
	pid_t g;
	pid_t pid = held_raw_fork(&g);

	if (pid < 0)
		return -1;
	if (pid == 0)
		burn();
	*h = (struct held){ .pid = pid, .gpid = g, .go = -1,
			    .fate = FATE_EXIT, .value = 21 };
	return 0;
}

/* A reap that passed no status: the peek before it told the exit. */
static int verify_blind(const struct held *h, const struct wc_result *peek,
			const struct wc_result *reap)
{
	struct wc_result v = *reap;

	if (peek->child != h->pid || peek->reaped) {
		wl_mismatch("child %d: the peek reported %d (reaped %d)",
			    h->gpid, peek->child, peek->reaped);
		return -1;
	}
	memcpy(v.status, peek->status, sizeof(v.status));
	return held_verify(h, &v);
}

static int nothing(const struct wc_result *r, const char *what)
{
	if (r->ret == 0 && r->child == 0)
		return 0;
	wl_mismatch("%s: returned %ld (%s), child %d; want nothing", what,
		    r->ret, wl_errno_name(r->err), r->child);
	return -1;
}

static int echild(const struct wc_result *r, const char *what)
{
	if (r->ret == -1 && r->err == ECHILD)
		return 0;
	wl_mismatch("%s: returned %ld (%s); want ECHILD", what, r->ret,
		    wl_errno_name(r->err));
	return -1;
}

static int fork_all(struct held k[5])
{
	if (fork_burner(&k[0]) < 0 || held_fork(&k[1], FATE_EXIT, 22) < 0 ||
	    held_fork(&k[2], FATE_EXIT, 23) < 0 ||
	    held_fork(&k[3], FATE_KILL, SIGTERM) < 0 ||
	    held_fork(&k[4], FATE_EXIT, 25) < 0) {
		wl_mismatch("fork failed: errno %d", errno);
		return -1;
	}
	return 0;
}

static int reap_abcd(struct held k[5])
{
	struct wc_result peek, r;
	int bad = 0;

	wc_wait4(k[0].pid, 0, &r);
	bad |= held_verify(&k[0], &r);

	bad |= held_release(&k[1]);
	wc_waitid(P_PID, k[1].pid, WEXITED | WNOWAIT, &peek);
	wc_wait4_bufs(k[1].pid, 0, WC_NO_STATUS, &r);
	bad |= verify_blind(&k[1], &peek, &r);

	bad |= held_release(&k[2]);
	wc_waitid_bufs(P_PID, k[2].pid, WEXITED | WNOWAIT, WC_NO_RUSAGE, &peek);
	wc_waitid_bufs(P_PID, k[2].pid, WEXITED, WC_NO_STATUS, &r);
	bad |= verify_blind(&k[2], &peek, &r);

	bad |= held_release(&k[3]);
	wc_wait4_bufs(-1, 0, WC_NO_RUSAGE, &r);
	bad |= held_verify(&k[3], &r);
	return bad ? -1 : 0;
}

static int polls_then_e(struct held *e)
{
	struct wc_result r;
	int bad = 0;

	wc_wait4(e->pid, WNOHANG, &r);
	bad |= nothing(&r, "wait4(E, WNOHANG)");
	wc_waitid(P_PID, e->pid, WEXITED | WNOHANG, &r);
	bad |= nothing(&r, "waitid(P_PID E, WNOHANG)");
	wc_wait4_bufs(-1, WNOHANG, WC_NO_STATUS | WC_NO_RUSAGE, &r);
	bad |= nothing(&r, "wait4(-1, NULL, WNOHANG, NULL)");
	bad |= held_release(e);
	wc_waitid(P_PID, e->pid, WEXITED, &r);
	bad |= held_verify(e, &r);
	return bad ? -1 : 0;
}

int sc_buffers(int argc, char **argv)
{
	struct held k[5];
	struct wc_result r;
	int bad = 0;

	(void)argc, (void)argv;
	if (fork_all(k) < 0)
		return 1;
	bad |= reap_abcd(k);
	bad |= polls_then_e(&k[4]);
	wc_wait4(-1, 0, &r);
	bad |= echild(&r, "final wait4(-1, &st, 0, &ru)");
	wc_waitid(P_ALL, 0, WEXITED, &r);
	bad |= echild(&r, "final waitid(P_ALL, &si, WEXITED, &ru)");
	wc_waitid_bufs(P_ALL, 0, WEXITED, WC_NO_STATUS | WC_NO_RUSAGE, &r);
	bad |= echild(&r, "final waitid(P_ALL, NULL, WEXITED, NULL)");
	return bad || wl_failed() ? 1 : 0;
}
