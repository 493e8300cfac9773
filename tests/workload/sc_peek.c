/*
 * sc_peek.c - `wtwork peek`: waits that return a child without reaping it.
 * One parked child C (exit 71):
 *   kill(C, SIGSTOP);  wait4(C, WUNTRACED)            -> C, "stopped 19"
 *   kill(C, SIGCONT);  waitid(P_PID, C, WCONTINUED)   -> C, "continued"
 *   release;           waitid(P_PID, C, WEXITED|WNOWAIT) -> C, "exited 71"
 *                      wait4(C, 0)                    -> C, reaped
 * Only the last call reaps (REAPED column); the others report C in CHILD.
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static int expect(const struct wc_result *r, pid_t child, const char *status)
{
	if (r->child == child && r->reaped == 0 && !strcmp(r->status, status))
		return 0;
	wl_mismatch("peek at %d: got child %d reaped %d '%s', want '%s'",
		    child, r->child, r->reaped, r->status, status);
	return -1;
}

int sc_peek(int argc, char **argv)
{
	struct held c;
	struct wc_result r;
	int failed = 0;
	char want[32];

	(void)argc;
	(void)argv;
	if (held_fork(&c, FATE_EXIT, 71) < 0)
		return 1;
	int k = kill(c.pid, SIGSTOP);
	wl_line("signal_sent\t%d\t%d\t%d", c.pid, SIGSTOP, k);
	wc_wait4(c.pid, WUNTRACED, &r);
	failed |= expect(&r, c.pid, "stopped 19") < 0;
	k = kill(c.pid, SIGCONT);
	wl_line("signal_sent\t%d\t%d\t%d", c.pid, SIGCONT, k);
	wc_waitid(P_PID, c.pid, WCONTINUED, &r);
	failed |= expect(&r, c.pid, "continued") < 0;
	held_release(&c);
	wc_waitid(P_PID, c.pid, WEXITED | WNOWAIT, &r);
	failed |= expect(&r, c.pid, held_expected(&c, want, sizeof(want))) < 0;
	wc_wait4(c.pid, 0, &r);
	failed |= held_verify(&c, &r) < 0;
	return failed;
}
