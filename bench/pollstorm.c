/*
 * pollstorm.c - the recorder's worst case, for bench/run: one thread
 * calling wait4(-1, NULL, WNOHANG, NULL) in a tight loop for SECONDS.
 *
 *   pollstorm SECONDS
 *
 * One child is forked first and kept asleep, so every call returns 0 (a
 * child exists, none has changed state) rather than ECHILD.  The clock is
 * read every 1024 calls, so the loop is nothing but the syscall.  Prints
 *   pollstorm CALLS SECONDS CALLS_PER_S
 * on stdout; exit status 1 if any call did not return 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
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
	double secs = argc > 1 ? atof(argv[1]) : 0, start, end, t;
	unsigned long long calls = 0;
	pid_t child;

	if (secs <= 0) {
		fprintf(stderr, "usage: pollstorm SECONDS\n");
		return 2;
	}
	child = fork();
	if (child < 0) {
		perror("pollstorm: fork");
		return 1;
	}
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* die with the loop */
		if (getppid() == 1)
			_exit(0);
		for (;;)
			pause();
	}
	start = now();
	end = start + secs;
	do {
		for (int i = 0; i < 1024; i++) {
			if (wait4(-1, NULL, WNOHANG, NULL) != 0) {
				perror("pollstorm: wait4");
				kill(child, SIGKILL);
				return 1;
			}
		}
		calls += 1024;
		t = now();
	} while (t < end);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	printf("pollstorm %llu %.3f %.0f\n", calls, t - start,
	       calls / (t - start));
	return 0;
}
