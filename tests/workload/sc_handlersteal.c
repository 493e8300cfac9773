/*
 * sc_handlersteal.c - `wtwork handlersteal`: the classic steal on one
 * thread.  A SIGCHLD handler reaps every child with waitpid(-1, WNOHANG);
 * the main code then calls waitpid(X) for the child it forked and gets
 * ECHILD: a wait for any child took it, on the victim's own thread.
 *   steal X TID TID handler
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t reaped;
static struct wc_result handler_r;

static void on_sigchld(int sig)
{
	struct wc_result r;
	int saved = errno;

	(void)sig;
	while (wc_wait4(-1, WNOHANG, &r) > 0) {
		handler_r = r;
		reaped++;
	}
	errno = saved;
}

int sc_handlersteal(int argc, char **argv)
{
	struct sigaction sa;
	struct held x;
	struct wc_result r;
	sigset_t block, old;

	(void)argc;
	(void)argv;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	/* the handler runs only in sigsuspend(): its calls never interleave
	 * with the main code's */
	if (sigprocmask(SIG_BLOCK, &block, &old) < 0 ||
	    sigaction(SIGCHLD, &sa, NULL) < 0)
		return 1;
	if (held_fork(&x, FATE_EXIT, 97) < 0 || held_release(&x) < 0)
		return 1;
	while (!reaped)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (held_verify(&x, &handler_r) < 0)
		return 1;
	wc_wait4(x.pid, 0, &r);
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("waitpid after the handler: %ld (%s)", r.ret,
			    wl_errno_name(r.err));
		return 1;
	}
	wl_line("steal\t%d\t%d\t%d\thandler", x.gpid, gid_tid(), gid_tid());
	signal(SIGCHLD, SIG_DFL);
	return 0;
}
