/*
 * sc_pidreuse.c - `wtwork pidreuse`: two different children with the same
 * pid, so that anything keyed on the pid alone gets them mixed up.  Child A
 * (pid P, exit 61) is forked and reaped; then, as root, P-1 is written to
 * /proc/sys/kernel/ns_last_pid and child B is forked (exit 62).  Other
 * processes may take P in between: then the candidate is logged, released
 * (exit 70 + attempt) and reaped like any child, and we try again.  Success:
 *   pidreuse P
 * Failure (not root, no ns_last_pid, always raced): `pidreuse_failed REASON`
 * and exit status 77.
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NS_LAST_PID "/proc/sys/kernel/ns_last_pid"
#define ATTEMPTS 20
#define FREE_WAIT_US 100000

static int set_last_pid(pid_t last)
{
	char buf[32];
	int fd = open(NS_LAST_PID, O_WRONLY);

	if (fd < 0)
		return -1;
	int n = snprintf(buf, sizeof(buf), "%d", last);
	int ret = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

static int fork_and_reap(struct held *h, int code)
{
	struct wc_result r;

	if (held_fork(h, FATE_EXIT, code) < 0 || held_release(h) < 0)
		return -1;
	wc_wait4(h->pid, 0, &r);
	return held_verify(h, &r);
}

int sc_pidreuse(int argc, char **argv)
{
	struct held a, b;

	(void)argc;
	(void)argv;
	if (geteuid() != 0) {
		wl_line("pidreuse_failed\tnot root (writing %s needs "
			"CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE)", NS_LAST_PID);
		return 77;
	}
	if (access(NS_LAST_PID, W_OK) < 0) {
		wl_line("pidreuse_failed\t%s: %s", NS_LAST_PID, strerror(errno));
		return 77;
	}
	if (fork_and_reap(&a, 61) < 0)
		return 1;
	/* A reaped task is freed an RCU grace period later, and a scoped
	 * recorder's pid filter (set_event_pid with event-fork) drops the
	 * pid at that free, whichever task has it then: B would go untraced.
	 * Wait that out (6-11 ms seen under QEMU TCG): this scenario is
	 * about two instances of a pid, not about that kernel window. */
	usleep(FREE_WAIT_US);
	for (int i = 0; i < ATTEMPTS; i++) {
		if (set_last_pid(a.pid - 1) < 0) {
			wl_line("pidreuse_failed\twrite %s: %s", NS_LAST_PID,
				strerror(errno));
			return 77;
		}
		if (held_fork(&b, FATE_EXIT, 62) < 0)
			return 1;
		if (b.pid != a.pid)
			b.value = 70 + i;  /* raced: a plain child, next try */
		struct wc_result r;
		if (held_release(&b) < 0)
			return 1;
		wc_wait4(b.pid, 0, &r);
		if (held_verify(&b, &r) < 0)
			return 1;
		if (b.pid == a.pid) {
			wl_line("pidreuse\t%d", a.pid);
			return 0;
		}
	}
	wl_line("pidreuse_failed\tpid %d taken by others %d times", a.pid,
		ATTEMPTS);
	return 77;
}
