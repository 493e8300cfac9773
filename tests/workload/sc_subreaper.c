/*
 * sc_subreaper.c - `wtwork subreaper`: orphans go to the nearest
 * subreaper ancestor (prctl(PR_SET_CHILD_SUBREAPER); kernel/exit.c
 * find_new_reaper()), not to init.
 *
 * A helper process S becomes a subreaper.  Twice, S forks A, A forks B
 * (held by A's pipe: B exits 99 once A is gone), and S releases A:
 *   1. S's wait4(A) reaps A, then wait4(-1) reaps the orphan B;
 *   2. S's waitid(P_ALL, WEXITED) reaps A, then B (A comes first in S's
 *      children list: B was appended when A exited).
 * Logged: `subreaper S`, `orphan B A S` (A's plan), and what S's waits
 * returned; main reaps S.
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* S forks A (which forks B and waits for the word); 0 or -1. */
static int fork_pair(struct held *a_out, int code)
{
	int go[2];
	pid_t ga = 0;

	if (pipe(go) < 0)
		return -1;
	pid_t a = held_raw_fork(&ga);
	if (a < 0)
		return -1;
	if (a == 0) {
		struct held b;
		unsigned char c;
		close(go[1]);
		if (held_fork(&b, FATE_EXIT, 99) < 0)
			_exit(96);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		wl_line("orphan\t%d\t%d\t%d", b.gpid, gid_pid(), getppid());
		_exit(code);
	}
	close(go[0]);
	*a_out = (struct held){ .pid = a, .gpid = ga, .go = go[1],
				.fate = FATE_EXIT, .value = code };
	return 0;
}

/* Log child_exit for a reap whose child was not planned here (B). */
static int log_reap(const struct wc_result *r, int code)
{
	char want[32];

	snprintf(want, sizeof(want), "exited %d", code);
	if (!r->reaped || strcmp(r->status, want)) {
		wl_mismatch("subreaper: want a reap '%s', got %ld (%s, %s)",
			    want, r->ret, r->status, wl_errno_name(r->err));
		return -1;
	}
	wl_line("child_exit\t%d\texited\t%d", r->reaped, code);
	return 0;
}

static int round_wait4(void)
{
	struct held a;
	struct wc_result r;

	if (fork_pair(&a, 81) < 0 || held_release(&a) < 0)
		return -1;
	wc_wait4(a.pid, 0, &r);
	if (held_verify(&a, &r) < 0)
		return -1;
	wc_wait4(-1, 0, &r);
	return log_reap(&r, 99);
}

static int round_waitid(void)
{
	struct held a;
	struct wc_result r;

	if (fork_pair(&a, 82) < 0 || held_release(&a) < 0)
		return -1;
	/* A is first in the list; wait until B (released by A's end) is a
	 * zombie too, so the scan has both to choose from */
	usleep(100 * 1000);
	wc_waitid(P_ALL, 0, WEXITED, &r);
	if (held_verify(&a, &r) < 0)
		return -1;
	wc_waitid(P_ALL, 0, WEXITED, &r);
	return log_reap(&r, 99);
}

static int subreaper_body(void)
{
	wl_line("thread\t%d\tsubreaper", gid_tid());
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		wl_mismatch("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
		return 1;
	}
	wl_line("subreaper\t%d", gid_pid());
	/* both rounds run, whatever the first gives */
	int first = round_wait4() < 0;
	int second = round_waitid() < 0;
	return first || second;
}

int sc_subreaper(int argc, char **argv)
{
	struct wc_result r;
	pid_t gs = 0;

	(void)argc;
	(void)argv;
	pid_t s = held_raw_fork(&gs);
	if (s < 0)
		return 1;
	if (s == 0)
		_exit(subreaper_body());
	wl_line("subproc\t%d\tsubreaper", gs);
	struct held h = { .pid = s, .gpid = gs, .fate = FATE_EXIT, .value = 0,
			  .go = -1 };
	wc_wait4(s, 0, &r);
	return held_verify(&h, &r) < 0;
}
