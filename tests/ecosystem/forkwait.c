/*
 * forkwait.c - the static test workload of tests/ecosystem/static.sh: a
 * program that runs in an empty chroot (linked -static) and makes the
 * calls wtrec records.  It forks three children that exit 7, 8 and 9,
 * and reaps them with waitpid(pid), wait(-1) and waitid(P_PID), printing
 * what each call returned (the test's ground truth):
 *   reaped PID exited STATUS by TID
 * Exit status 0 when every call returned what it should, else 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(pid_t pid, int status)
{
	printf("reaped %d exited %d by %d\n", (int)pid,
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1, (int)gettid());
}

int main(void)
{
	pid_t kids[3];
	int status, bad = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			return 1;
		if (kids[i] == 0)
			_exit(7 + i);
	}
	pid_t p = waitpid(kids[0], &status, 0);
	bad |= p != kids[0];
	report(p, status);
	/* the two left: wait(-1) takes either, waitid the other by pid */
	p = wait(&status);
	bad |= p != kids[1] && p != kids[2];
	report(p, status);
	pid_t last = p == kids[1] ? kids[2] : kids[1];
	siginfo_t si = { 0 };
	bad |= waitid(P_PID, last, &si, WEXITED) != 0 || si.si_pid != last;
	report(si.si_pid, si.si_status << 8);
	return bad;
}
