/*
 * sc_scanorder.c - `wtwork scanorder`: which child does a wait for "any
 * child" return when several are waitable, in several threads' lists?
 *
 * Threads M (main), T1, T2 are made in that order.  T1 forks a1, T2 forks
 * b1 and b2, M forks m1 (exit codes 1, 2, 3, 4).  All four are released
 * and are zombies (pidfd POLLIN) before T1 calls waitid(P_ALL, WEXITED)
 * four times: __do_wait() scans T1's own list, then the threads after T1
 * in thread order (T2), wrapping round to M: a1, b1, b2, m1.  The log
 * records what each call returned (siginfo); the test compares wtrec's
 * inference (the tracepoint does not name the child) with it.
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

enum { NKIDS = 4 };

struct plan {
	sem_t go[3], done[3];
	struct held kids[NKIDS];
	int nforked;
	pthread_mutex_t lock;
};

static struct plan P;

/* Fork this thread's children (the plan's order), under the lock. */
static void fork_mine(int who)
{
	static const int owner[NKIDS] = { 1, 2, 2, 0 }; /* a1 b1 b2 m1 */
	for (int k = 0; k < NKIDS; k++) {
		if (owner[k] != who)
			continue;
		pthread_mutex_lock(&P.lock);
		if (held_fork(&P.kids[k], FATE_EXIT, k + 1) == 0)
			P.nforked++;
		pthread_mutex_unlock(&P.lock);
	}
}

static void *worker(void *arg)
{
	int who = (int)(long)arg;

	wl_line("thread\t%d\t%s", gid_tid(), who == 1 ? "t1" : "t2");
	while (sem_wait(&P.go[who]) < 0 && errno == EINTR)
		;
	fork_mine(who);
	sem_post(&P.done[who]);
	if (who != 1)
		return NULL;
	/* T1 waits for the word again: then it reaps */
	while (sem_wait(&P.go[1]) < 0 && errno == EINTR)
		;
	for (int k = 0; k < NKIDS; k++) {
		struct wc_result r;
		wc_waitid(P_ALL, 0, WEXITED, &r);
		int ok = 0;
		for (int j = 0; j < NKIDS; j++)
			if (r.reaped == P.kids[j].pid)
				ok = held_verify(&P.kids[j], &r) == 0;
		if (!ok)
			wl_mismatch("scanorder: call %d reaped %d", k, r.reaped);
	}
	sem_post(&P.done[1]);
	return NULL;
}

static int zombie_all(void)
{
	for (int k = 0; k < NKIDS; k++) {
		int fd = pidfd_get(P.kids[k].pid);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (fd < 0)
			return -1;
		held_release(&P.kids[k]);
		if (poll(&p, 1, 5000) != 1) {
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

int sc_scanorder(int argc, char **argv)
{
	pthread_t t[3];

	(void)argc;
	(void)argv;
	pthread_mutex_init(&P.lock, NULL);
	for (int i = 0; i < 3; i++)
		if (sem_init(&P.go[i], 0, 0) < 0 || sem_init(&P.done[i], 0, 0) < 0)
			return 1;
	/* threads in order: T1, then T2 */
	for (long who = 1; who <= 2; who++) {
		if (pthread_create(&t[who], NULL, worker, (void *)who) != 0)
			return 1;
		usleep(10 * 1000);
	}
	/* forks in plan order: T1's a1, T2's b1 b2, M's m1 */
	for (int who = 1; who <= 2; who++) {
		sem_post(&P.go[who]);
		while (sem_wait(&P.done[who]) < 0 && errno == EINTR)
			;
	}
	fork_mine(0);
	if (P.nforked != NKIDS || zombie_all() < 0) {
		wl_mismatch("scanorder: could not set the children up");
		return 1;
	}
	sem_post(&P.go[1]);
	while (sem_wait(&P.done[1]) < 0 && errno == EINTR)
		;
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);
	return 0;
}
