/*
 * signals.c - stop signals and the self-pipe (see signals.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "signals.h"

static const int sigs[WT_REC_NSIG] = { SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE };

static volatile sig_atomic_t stop_sig, stop_count;
static int self_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	char byte = (char)sig;

	if (sig != SIGCHLD && !stop_sig)
		stop_sig = sig;
	if (sig != SIGCHLD && stop_count < 1000)
		stop_count++;
	if (write(self_pipe[1], &byte, 1) < 0) {
		/* pipe full: the main loop is already due to wake */
	}
	errno = saved;
}

int wt_rec_signals_install(struct wt_rec_sigsave *s)
{
	struct sigaction sa;

	memset(s, 0, sizeof(*s));
	if (self_pipe[0] < 0 && pipe2(self_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < WT_REC_NSIG; i++) {
		sa.sa_handler = sigs[i] == SIGPIPE ? SIG_IGN : on_signal;
		/* no SA_RESTART: a blocking call in the main thread returns EINTR */
		sa.sa_flags = sigs[i] == SIGCHLD ? SA_NOCLDSTOP : 0;
		if (sigaction(sigs[i], &sa, &s->old[i]) < 0)
			return -1;
		s->installed = i + 1;
		/* `nohup wtrec record &` ignores SIGHUP on purpose: a stop
		 * signal that was ignored when we started stays ignored. */
		if (sigs[i] == SIGHUP && s->old[i].sa_handler == SIG_IGN &&
		    sigaction(SIGHUP, &s->old[i], NULL) < 0)
			return -1;
	}
	return 0;
}

void wt_rec_signals_restore(const struct wt_rec_sigsave *s)
{
	for (int i = 0; i < s->installed; i++)
		sigaction(sigs[i], &s->old[i], NULL);
}

void wt_rec_signals_close(void)
{
	for (int i = 0; i < 2; i++) {
		if (self_pipe[i] >= 0)
			close(self_pipe[i]);
		self_pipe[i] = -1;
	}
}

int wt_rec_signals_fd(void)
{
	return self_pipe[0];
}

int wt_rec_signals_wake_fd(void)
{
	return self_pipe[1];
}

void wt_rec_signals_drain(void)
{
	char buf[64];

	while (read(self_pipe[0], buf, sizeof(buf)) > 0)
		;
}

int wt_rec_signals_stop_requested(void)
{
	return stop_sig;
}

int wt_rec_signals_stop_count(void)
{
	return stop_count;
}
