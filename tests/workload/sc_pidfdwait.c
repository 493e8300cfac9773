/*
 * sc_pidfdwait.c - `wtwork pidfdwait`: waits through pidfds.
 *   1. X (exit 91) and Y (exit 92) are both zombies (seen through their
 *      pidfds' POLLIN, not a wait) when waitid(P_PIDFD, fd of Y) reaps Y:
 *      the pidfd decides, not the order; then wait4(-1) reaps X.
 *   2. Z (exit 93): a second thread T blocks in wait4(-1) and reaps Z;
 *      then the main thread's waitid(P_PIDFD, fd of Z) gets ECHILD:
 *        steal Z T MAIN pidfd
 * Needs pidfd_open (Linux >= 5.3) and P_PIDFD (>= 5.4): 77 without.
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "pidfd.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

/* Until the process behind @fd has exited (a zombie or gone). */
static int exited(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (int i = 0; i < 50; i++) {
		int n = poll(&p, 1, 100);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
	return -1;
}

struct thief {
	sem_t done;
	pid_t tid;
	struct wc_result r;
};

static void *thief_body(void *arg)
{
	struct thief *t = arg;

	t->tid = gid_tid();
	wl_line("thread\t%d\tthief", t->tid);
	wc_wait4(-1, 0, &t->r);
	sem_post(&t->done);
	return NULL;
}

static int pidfd_decides(void)
{
	struct held x, y;
	struct wc_result r;
	int fx, fy;

	if (held_fork(&x, FATE_EXIT, 91) < 0 || held_fork(&y, FATE_EXIT, 92) < 0)
		return -1;
	if ((fx = pidfd_get(x.pid)) < 0 || (fy = pidfd_get(y.pid)) < 0)
		return -2;
	wl_line("pidfd\t%d\t%d", fy, y.gpid);
	if (held_release(&x) < 0 || held_release(&y) < 0 || exited(fx) < 0 ||
	    exited(fy) < 0)
		return -1;
	wc_waitid(WC_P_PIDFD, fy, WEXITED, &r);
	if (r.ret == -1 && r.err == EINVAL)
		return -2;
	if (held_verify(&y, &r) < 0)
		return -1;
	wc_wait4(-1, 0, &r);
	close(fx);
	close(fy);
	return held_verify(&x, &r);
}

static int pidfd_stolen(void)
{
	struct thief t;
	struct held z;
	struct wc_result r;
	pthread_t th;
	int fz;

	if (sem_init(&t.done, 0, 0) < 0 || held_fork(&z, FATE_EXIT, 93) < 0)
		return -1;
	if ((fz = pidfd_get(z.pid)) < 0)
		return -1;
	wl_line("pidfd\t%d\t%d", fz, z.gpid);
	if (pthread_create(&th, NULL, thief_body, &t) != 0)
		return -1;
	usleep(50 * 1000);      /* the thief is asleep in its wait */
	if (held_release(&z) < 0)
		return -1;
	while (sem_wait(&t.done) < 0 && errno == EINTR)
		;
	pthread_join(th, NULL);
	if (held_verify(&z, &t.r) < 0)
		return -1;
	wc_waitid(WC_P_PIDFD, fz, WEXITED, &r);
	close(fz);
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("waitid(P_PIDFD) after the steal: %ld (%s)", r.ret,
			    wl_errno_name(r.err));
		return -1;
	}
	wl_line("steal\t%d\t%d\t%d\tpidfd", z.gpid, t.tid, gid_tid());
	return 0;
}

int sc_pidfdwait(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int rc = pidfd_decides();
	if (rc == -2)
		return 77;
	if (rc < 0)
		return 1;
	return pidfd_stolen() < 0;
}
