/*
 * held.c - held children (see held.h).  A child blocks in read(2) on its own
 * pipe; the parent writes one byte to release it (not close: later children
 * inherit earlier pipes' write ends, so EOF would never come).  EOF means the
 * parent died: the child leaves with code 99.  Children are made
 * non-dumpable so that death by SIGSEGV writes no core file.
 */
#include "held.h"
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

int held_fork(struct held *h, enum fate fate, int value)
{
	int p[2];

	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
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
	h->go = p[1];
	h->fate = fate;
	h->value = value;
	wl_line("fork\t%d\t%d", pid, gettid());
	return 0;
}

int held_release(struct held *h)
{
	int ret = 0;

	if (h->fate == FATE_KILL) {
		ret = kill(h->pid, h->value);
		wl_line("signal_sent\t%d\t%d\t%d", h->pid, h->value, ret);
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
			    "with '%s' (%s)", h->pid, want, r->reaped,
			    r->status, wl_errno_name(r->err));
		return -1;
	}
	/* "exited 3" -> "exited<TAB>3" */
	char *sp = strchr(want, ' ');
	*sp = '\t';
	wl_line("child_exit\t%d\t%s", h->pid, want);
	return 0;
}
