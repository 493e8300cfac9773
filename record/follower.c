/*
 * follower.c - the --live follower process (see follower.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "follower.h"

/* After this long at the end, say why wtrec has not exited yet. */
#define SLOW_NOTE_S 2.0

struct wt_rec_follower {
	pid_t pid;
	int status;
	bool reaped;
};

static void child(const struct wt_rec_follower_opts *o, pid_t writer)
{
	char age[32], pid[16];
	const char *argv[12];
	int n = 0;

	/* Below the traced workload (and far below the readers, -10): under
	 * a WNOHANG storm the follower needs a whole CPU to keep up, and on
	 * a busy machine it should lag, not slow what it watches.  bench/run
	 * live: a steal's line 174 ms (median), 238 ms (max of 10) at nice
	 * 10 on 2 CPUs with a load of 9. */
	setpriority(PRIO_PROCESS, 0, WT_REC_FOLLOWER_NICE);
	/* the recorder stops the recording; the follower reads to its end */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	snprintf(pid, sizeof(pid), "%d", (int)writer);
	argv[n++] = "wtrec";
	argv[n++] = "analyze";
	argv[n++] = "--follow";
	argv[n++] = o->path;
	argv[n++] = "--live-format";
	argv[n++] = o->format;
	argv[n++] = "--writer-pid";
	argv[n++] = pid;
	if (o->zombie_age_s > 0) {
		snprintf(age, sizeof(age), "%g", o->zombie_age_s);
		argv[n++] = "--zombie-age";
		argv[n++] = age;
	}
	argv[n] = NULL;
	execv("/proc/self/exe", (char **)argv);
	fprintf(stderr, "wtrec: cannot start the live view: %s\n",
		strerror(errno));
	_exit(127);
}

struct wt_rec_follower *wt_rec_follower_start(const struct wt_rec_follower_opts *o,
					      struct wt_diag *d)
{
	struct wt_rec_follower *f = calloc(1, sizeof(*f));
	pid_t writer = getpid();

	if (!f) {
		wt_diag_errno(d, 1, "--live");
		return NULL;
	}
	fflush(NULL); /* nothing buffered is written twice */
	f->pid = fork();
	if (f->pid < 0) {
		wt_diag_errno(d, 1, "--live: cannot fork the follower");
		free(f);
		return NULL;
	}
	if (f->pid == 0)
		child(o, writer);
	return f;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Reap without blocking; true once it is reaped. */
static bool reap(struct wt_rec_follower *f, int flags)
{
	pid_t r;

	if (f->reaped)
		return true;
	while ((r = waitpid(f->pid, &f->status, flags)) < 0 && errno == EINTR)
		;
	if (r == f->pid || (r < 0 && errno == ECHILD))
		f->reaped = true;
	return f->reaped;
}

int wt_rec_follower_wait(struct wt_rec_follower *f, int (*stop_count)(void))
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int stops = stop_count ? stop_count() : 0;
	double t0 = mono_s();
	bool noted = false;

	if (!f)
		return -1;
	while (!reap(f, WNOHANG)) {
		if (stop_count && stop_count() > stops) {
			kill(f->pid, SIGKILL);
			reap(f, 0);
			break;
		}
		if (!noted && mono_s() - t0 > SLOW_NOTE_S) {
			fprintf(stderr, "wtrec: the live view is catching up "
				"with the recording (a stop signal ends it)\n");
			noted = true;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFSIGNALED(f->status))
		return 128 + WTERMSIG(f->status);
	return WIFEXITED(f->status) ? WEXITSTATUS(f->status) : -1;
}

void wt_rec_follower_free(struct wt_rec_follower *f)
{
	if (!f)
		return;
	if (!f->reaped) {
		kill(f->pid, SIGKILL);
		reap(f, 0);
	}
	free(f);
}
