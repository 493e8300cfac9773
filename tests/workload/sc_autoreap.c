/*
 * sc_autoreap.c - `wtwork autoreap`: children the kernel reaps by itself,
 * so that no wait ever returns them.
 *   1. The main process sets SIGCHLD to SIG_IGN, forks 3 children (exit 31,
 *      32, 33), waits (through pidfds, not wait calls) until the kernel has
 *      released them, then calls wait4(-1, 0): ECHILD.
 *   2. A sub-process (forked after SIGCHLD is back to SIG_DFL in main)
 *      installs a real SIGCHLD handler with SA_NOCLDWAIT, forks 3 children
 *      (exit 34, 35, 36), waits until they are released, calls wait4(-1, 0):
 *      ECHILD, and exits 0; main reaps it with wait4(pid, 0).
 * Each auto-reaped child is logged as
 *   autoreaped PID PARENT_PID exited CODE SOURCE
 * where SOURCE is "pidfd" when the kernel told us the exit status
 * (PIDFD_GET_INFO, Linux >= 6.15) and "plan" when it could not.
 */
#include "scenario.h"
#include "held.h"
#include "pidfd.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigchld_seen;

static void on_sigchld(int sig)
{
	(void)sig;
	sigchld_seen++;
}

static int log_autoreaped(const struct held *h, int fd)
{
	char want[32], got[32];
	int status;

	held_expected(h, want, sizeof(want));
	if (pidfd_wait_gone(fd, 5000) < 0) {
		wl_mismatch("child %d not auto-reaped within 5 s", h->pid);
		return -1;
	}
	if (pidfd_exit_status(fd, &status) < 0) {
		wl_line("autoreaped\t%d\t%d\texited\t%d\tplan", h->pid,
			getpid(), h->value);
		return 0;
	}
	wl_status_text(status, got, sizeof(got));
	if (strcmp(got, want)) {
		wl_mismatch("auto-reaped child %d: '%s', planned '%s'",
			    h->pid, got, want);
		return -1;
	}
	wl_line("autoreaped\t%d\t%d\texited\t%d\tpidfd", h->pid, getpid(),
		WEXITSTATUS(status));
	return 0;
}

/* Fork three children with codes first..first+2, release them, see them
 * vanish, then wait4(-1) must fail with ECHILD.  Returns 0 or -1. */
static int three_vanish(int first)
{
	struct held kids[3];
	int fds[3], failed = 0;
	struct wc_result r;

	for (int i = 0; i < 3; i++) {
		if (held_fork(&kids[i], FATE_EXIT, first + i) < 0)
			return -1;
		fds[i] = pidfd_get(kids[i].pid);
		if (fds[i] < 0)
			return -1;
	}
	for (int i = 0; i < 3; i++)
		held_release(&kids[i]);
	for (int i = 0; i < 3; i++) {
		if (log_autoreaped(&kids[i], fds[i]) < 0)
			failed = -1;
		close(fds[i]);
	}
	wc_wait4(-1, 0, &r);
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("wait4(-1) after auto-reaps returned %ld (%s)",
			    r.ret, wl_errno_name(r.err));
		failed = -1;
	}
	return failed;
}

static int nocldwait_sub(void)
{
	struct sigaction sa;

	wl_line("thread\t%d\tautoreap_sub", gettid());
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDWAIT | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		return 1;
	int ret = three_vanish(34) < 0;
	/* How many SIGCHLDs arrived may vary (they coalesce): information only. */
	wl_line("sigchld_handled\t%d\t%d", getpid(), (int)sigchld_seen);
	return ret;
}

static int run_sub(void)
{
	struct wc_result r;
	struct held sub = { .fate = FATE_EXIT, .value = 0, .go = -1 };

	sub.pid = fork();
	if (sub.pid < 0)
		return -1;
	if (sub.pid == 0)
		_exit(nocldwait_sub());
	sub.gpid = sub.pid; /* the root namespace: the same */
	wl_line("fork\t%d\t%d\t%d", sub.pid, gettid(), getpid());
	wl_line("subproc\t%d\tautoreap_nocldwait", sub.pid);
	wc_wait4(sub.pid, 0, &r);
	return held_verify(&sub, &r);
}

int sc_autoreap(int argc, char **argv)
{
	int failed = 0;

	(void)argc;
	(void)argv;
	signal(SIGCHLD, SIG_IGN);
	if (three_vanish(31) < 0)
		failed = 1;
	signal(SIGCHLD, SIG_DFL);
	if (run_sub() < 0)
		failed = 1;
	return failed;
}
