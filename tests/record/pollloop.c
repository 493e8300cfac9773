/*
 * pollloop.c - test workload for `wtrec record`: the worst case the recorder
 * must keep up with, a thread spinning on wait4(-1, NULL, WNOHANG, NULL).
 *
 * One child is forked first and kept asleep, so every wait4 call returns 0
 * (a child exists, none has changed state) instead of failing with ECHILD
 * at once.  After N seconds (default 1) the child is killed and reaped, and
 * the number of wait4 calls made is printed on stdout as
 * "pollloop: CALLS calls in SECONDS s (RATE calls/s)".
 *
 * usage: pollloop [SECONDS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	unsigned long long calls = 0;
	double start, end, t;
	pid_t child;

	if (secs <= 0) {
		fprintf(stderr, "usage: pollloop [SECONDS]\n");
		return 2;
	}
	child = fork();
	if (child < 0) {
		perror("pollloop: fork");
		return 1;
	}
	if (child == 0) {
		/* die with the loop, even when the loop is killed */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(0);
		for (;;)
			pause();
	}
	start = now();
	end = start + secs;
	do {
		/* check the clock every 1024 calls: the loop is the point */
		for (int i = 0; i < 1024; i++) {
			if (wait4(-1, NULL, WNOHANG, NULL) != 0) {
				perror("pollloop: wait4");
				kill(child, SIGKILL);
				return 1;
			}
		}
		calls += 1024;
		t = now();
	} while (t < end);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("pollloop: %llu calls in %.3f s (%.0f calls/s)\n", calls,
	       t - start, calls / (t - start));
	return 0;
}
