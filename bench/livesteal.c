/*
 * livesteal.c - the workload of bench/run's live latency benchmark: one
 * stolen reap at a known time.
 *
 *   livesteal LOG [BEFORE_S] [AFTER_S]
 *
 * Sleeps BEFORE_S (default 0.5: the recorder and its follower are up),
 * then thread A forks child X, thread B reaps it with wait4(-1) and only
 * then does A call wait4(X): ECHILD.  Right after that call returns, the
 * wall clock (CLOCK_REALTIME, ns) is written to LOG as "steal NS X" - the
 * moment the steal is decided, as the program itself saw it.  Then it
 * sleeps AFTER_S (default 1.5) so the recording is still running when the
 * finding should arrive.  Exit 0, or 1 if the steal did not happen.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sem_t forked, reaped;
static pid_t child;
static pid_t thief_got;

static void nap(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL);
}

static void *thief(void *arg)
{
	(void)arg;
	sem_wait(&forked);
	thief_got = wait4(-1, NULL, 0, NULL);
	sem_post(&reaped);
	return NULL;
}

int main(int argc, char **argv)
{
	double before = argc > 2 ? atof(argv[2]) : 0.5;
	double after = argc > 3 ? atof(argv[3]) : 1.5;
	struct timespec now;
	pthread_t t;
	FILE *log;
	pid_t r;
	int err;

	if (argc < 2 || !(log = fopen(argv[1], "w"))) {
		fprintf(stderr, "usage: livesteal LOG [BEFORE_S] [AFTER_S]\n");
		return 2;
	}
	sem_init(&forked, 0, 0);
	sem_init(&reaped, 0, 0);
	nap(before);
	if (pthread_create(&t, NULL, thief, NULL))
		return 1;
	child = fork();
	if (child == 0)
		_exit(7);
	sem_post(&forked);
	sem_wait(&reaped);
	r = wait4(child, NULL, 0, NULL);
	err = errno;
	clock_gettime(CLOCK_REALTIME, &now);
	pthread_join(t, NULL);
	if (r != -1 || err != ECHILD || thief_got != child) {
		fprintf(stderr, "livesteal: no steal (thief %d, victim %d)\n",
			(int)thief_got, (int)r);
		return 1;
	}
	fprintf(log, "steal %lld %d\n",
		(long long)now.tv_sec * 1000000000LL + now.tv_nsec, (int)child);
	fclose(log);
	nap(after);
	return 0;
}
