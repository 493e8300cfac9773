/*
 * forkwait.c - deterministic fork/reap workload for bench/run.
 *
 *   forkwait N
 *
 * Forks N children, one at a time, each exiting at once with status
 * (i & 0x7f), and reaps child i with one of four patterns chosen by i % 4,
 * so that every kind of wait wtrec models appears in equal numbers:
 *   0: one wait4(pid, WNOHANG) poll, then wait4(-1, 0) (blocking)
 *   1: waitid(P_PID, pid, WEXITED)
 *   2: waitid(P_ALL, 0, WEXITED)
 *   3: one waitpid(-1, WNOHANG) poll, then waitpid(pid, 0)
 * The number of wait calls is fixed (6 per 4 children) whatever the timing:
 * a poll that finds the child already exited reaps it, and the blocking
 * call that follows then fails with ECHILD - still one call.  Every reaped
 * status is checked; exit status 1 on any mismatch, so a tracer that broke
 * the workload cannot go unnoticed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static long bad;

static void check_status(long i, pid_t pid, pid_t got, int st)
{
	if (got != pid || !WIFEXITED(st) || WEXITSTATUS(st) != (i & 0x7f)) {
		if (bad++ < 5)
			fprintf(stderr, "forkwait: child %ld (pid %d): got pid "
				"%d status %#x\n", i, (int)pid, (int)got, st);
	}
}

/* poll once; if that reaped, the blocking call gets ECHILD */
static void poll_then_block(long i, pid_t pid, pid_t poll_pid, pid_t block_pid)
{
	int st = 0;
	pid_t got = wait4(poll_pid, &st, WNOHANG, NULL);

	if (got == pid) {
		check_status(i, pid, got, st);
		if (wait4(block_pid, &st, 0, NULL) != -1 || errno != ECHILD)
			bad++;
		return;
	}
	got = wait4(block_pid, &st, 0, NULL);
	check_status(i, pid, got, st);
}

static void reap_waitid(long i, pid_t pid, idtype_t idtype)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(idtype, idtype == P_PID ? (id_t)pid : 0, &si, WEXITED) < 0 ||
	    si.si_pid != pid || si.si_code != CLD_EXITED ||
	    si.si_status != (i & 0x7f)) {
		if (bad++ < 5)
			fprintf(stderr, "forkwait: child %ld: waitid failed "
				"(si_pid %d code %d status %d)\n", i,
				(int)si.si_pid, si.si_code, si.si_status);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;

	if (n <= 0) {
		fprintf(stderr, "usage: forkwait N\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("forkwait: fork");
			return 1;
		}
		if (pid == 0)
			_exit((int)(i & 0x7f));
		switch (i % 4) {
		case 0:
			poll_then_block(i, pid, pid, -1);
			break;
		case 1:
			reap_waitid(i, pid, P_PID);
			break;
		case 2:
			reap_waitid(i, pid, P_ALL);
			break;
		default:
			poll_then_block(i, pid, -1, pid);
			break;
		}
	}
	if (bad) {
		fprintf(stderr, "forkwait: %ld mismatches\n", bad);
		return 1;
	}
	return 0;
}
