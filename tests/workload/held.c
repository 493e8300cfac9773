/*
 * held.c - held children (see held.h).  A child blocks in read(2) on its own
 * pipe; the parent writes one byte to release it (not close: later children
 * inherit earlier pipes' write ends, so EOF would never come).  EOF means the
 * parent died: the child leaves with code 99.  Children are made
 * non-dumpable so that death by SIGSEGV writes no core file.
 */
#include "held.h"
#include "gid.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static unsigned lifetime = 30;

void held_set_lifetime(unsigned seconds)
{
	lifetime = seconds;
}

static void child_body(int rd, enum fate fate, int value)
{
	struct rlimit no_core = { 0, 0 };
	unsigned char c;
	ssize_t n;

	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	alarm(lifetime);
	do
		n = read(rd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(99);
	if (fate == FATE_RAISE) {
		signal(value, SIG_DFL);
		raise(value);
		_exit(98);
	}
	_exit(c);  /* the code comes with the release: see held_release */
}

/* Inside a pid namespace the child tells its parent its global pid on a
 * second pipe (nobody else knows it); outside, fork()'s value is it. */
pid_t held_raw_fork(pid_t *gpid)
{
	int back[2];
	bool root = gid_in_root();
	pid_t by = gid_tid(), bypid = gid_pid(), g;

	if (!root && pipe(back) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		if (!root) {
			close(back[0]);
			close(back[1]);
		}
		errno = e;
		return -1;
	}
	if (pid == 0) {
		if (!root) {
			g = gid_pid();
			close(back[0]);
			if (write(back[1], &g, sizeof(g)) != sizeof(g))
				_exit(97);
			close(back[1]);
		}
		return 0;
	}
	g = pid;
	if (!root) {
		close(back[1]);
		if (read(back[0], &g, sizeof(g)) != sizeof(g))
			g = pid;
		close(back[0]);
		gid_learn(pid, g);
	}
	*gpid = g;
	wl_line("fork\t%d\t%d\t%d", g, by, bypid);
	return pid;
}

int held_fork(struct held *h, enum fate fate, int value)
{
	int p[2];
	pid_t g = 0;

	if (pipe(p) < 0)
		return -1;
	pid_t pid = held_raw_fork(&g);
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(p[1]);
		child_body(p[0], fate, value);
	}
	close(p[0]);
	h->pid = pid;
	h->gpid = g;
	h->go = p[1];
	h->fate = fate;
	h->value = value;
	return 0;
}

int held_release(struct held *h)
{
	int ret = 0;

	if (h->fate == FATE_KILL) {
		ret = kill(h->pid, h->value);
		wl_line("signal_sent\t%d\t%d\t%d", h->gpid, h->value, ret);
	} else if (write(h->go, &(unsigned char){ h->value }, 1) != 1) {
		ret = -1;
	}
	close(h->go);
	h->go = -1;
	return ret;
}

const char *held_expected(const struct held *h, char *buf, size_t n)
{
	if (h->fate == FATE_EXIT)
		snprintf(buf, n, "exited %d", h->value);
	else
		snprintf(buf, n, "killed %d", h->value);
	return buf;
}

int held_verify(const struct held *h, const struct wc_result *r)
{
	char want[32];

	held_expected(h, want, sizeof(want));
	if (r->reaped != h->pid || strcmp(r->status, want)) {
		wl_mismatch("child %d: expected reap with '%s', call reaped %d "
			    "with '%s' (%s)", h->gpid, want, r->reaped,
			    r->status, wl_errno_name(r->err));
		return -1;
	}
	/* "exited 3" -> "exited<TAB>3" */
	char *sp = strchr(want, ' ');
	*sp = '\t';
	wl_line("child_exit\t%d\t%s", h->gpid, want);
	return 0;
}
