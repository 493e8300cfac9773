/*
 * sc_stolen.c - `wtwork stolen`: the time-of-check/time-of-use race of
 * waiting for "any child", made deterministic.  Thread A forks child X;
 * thread B, waiting for any child, reaps X; only then does A wait for X
 * specifically and get ECHILD.  Two variants:
 *   1. B: wait4(-1, 0)              A: wait4(X, 0)             -> ECHILD
 *   2. B: waitid(P_ALL, WEXITED)    A: waitid(P_PID, X, WEXITED) -> ECHILD
 * Semaphores order the two threads.  Each theft that really happened (B's
 * call reaped X and A's call failed with ECHILD) is logged as
 *   steal X THIEF_TID VICTIM_TID VARIANT
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

struct stage {
	sem_t to_thief, to_victim;
	int variant;          /* 1, 2; 0 tells the thief to leave */
	pid_t thief_tid;
	struct wc_result r;   /* the thief's last call */
};

static void *thief(void *arg)
{
	struct stage *st = arg;

	st->thief_tid = gettid();
	wl_line("thread\t%d\tthief", st->thief_tid);
	for (;;) {
		while (sem_wait(&st->to_thief) < 0 && errno == EINTR)
			;
		if (st->variant == 0)
			break;
		if (st->variant == 1)
			wc_wait4(-1, 0, &st->r);
		else
			wc_waitid(P_ALL, 0, WEXITED, &st->r);
		sem_post(&st->to_victim);
	}
	return NULL;
}

static int one_theft(struct stage *st, int variant, int code)
{
	struct held x;
	struct wc_result r;

	if (held_fork(&x, FATE_EXIT, code) < 0 || held_release(&x) < 0) {
		wl_mismatch("stolen variant %d: cannot fork/release", variant);
		return -1;
	}
	st->variant = variant;
	sem_post(&st->to_thief);
	while (sem_wait(&st->to_victim) < 0 && errno == EINTR)
		;
	if (held_verify(&x, &st->r) < 0)
		return -1;
	if (variant == 1)
		wc_wait4(x.pid, 0, &r);
	else
		wc_waitid(P_PID, x.pid, WEXITED, &r);
	if (r.ret != -1 || r.err != ECHILD) {
		wl_mismatch("victim's wait for %d returned %ld (%s), want ECHILD",
			    x.pid, r.ret, wl_errno_name(r.err));
		return -1;
	}
	wl_line("steal\t%d\t%d\t%d\t%d", x.pid, st->thief_tid, gettid(),
		variant);
	return 0;
}

int sc_stolen(int argc, char **argv)
{
	struct stage st = { .variant = -1 };
	pthread_t t;
	int failed = 0;

	(void)argc;
	(void)argv;
	if (sem_init(&st.to_thief, 0, 0) < 0 || sem_init(&st.to_victim, 0, 0) < 0)
		return 1;
	wl_line("thread\t%d\tvictim", gettid());
	if (pthread_create(&t, NULL, thief, &st) != 0)
		return 1;
	if (one_theft(&st, 1, 41) < 0)
		failed = 1;
	if (one_theft(&st, 2, 42) < 0)
		failed = 1;
	st.variant = 0;
	sem_post(&st.to_thief);
	pthread_join(t, NULL);
	return failed;
}
