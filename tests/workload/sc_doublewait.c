/*
 * sc_doublewait.c - `wtwork doublewait`: a thread waits twice for the
 * same child.  waitpid(X) reaps X (exit 95); a second waitpid(X) gets
 * ECHILD; the same with waitid(P_PID) for Y (exit 96).  A program bug,
 * not a race: logged as
 *   double_wait CHILD TID
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>

static int twice(int code, int waitid)
{
	struct held x;
	struct wc_result r;

	if (held_fork(&x, FATE_EXIT, code) < 0 || held_release(&x) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		if (waitid)
			wc_waitid(P_PID, x.pid, WEXITED, &r);
		else
			wc_wait4(x.pid, 0, &r);
		if (i == 0 && held_verify(&x, &r) < 0)
			return -1;
	}
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("second wait for %d: %ld (%s)", x.gpid, r.ret,
			    wl_errno_name(r.err));
		return -1;
	}
	wl_line("double_wait\t%d\t%d", x.gpid, gid_tid());
	return 0;
}

int sc_doublewait(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	/* both parts run, whatever the first gives */
	int first = twice(95, 0) < 0;
	int second = twice(96, 1) < 0;
	return first || second;
}
