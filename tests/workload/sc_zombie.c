/*
 * sc_zombie.c - `wtwork zombie [SECONDS]`: zombies that outlive the
 * recording.  The main process forks "middle"; middle forks 3 children that
 * exit at once (codes 51, 52, 53) and never waits for them.  Once /proc shows
 * each child in state Z, middle logs
 *   zombie PID MIDDLE_PID exited CODE
 * (CODE from field 52 of /proc/PID/stat, the status a wait would return),
 * tells main, and sleeps SECONDS (default 3; 0: until killed, at most 60 s)
 * before exiting without a wait.
 * Main logs `left_running MIDDLE_PID` and returns at once, so a recording of
 * `wtwork zombie` ends while the 3 zombies still exist; their reaping by
 * init or a subreaper happens after middle exits, outside the recording.
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* State (field 3) and exit_code (field 52) of /proc/PID/stat. */
static int read_stat(pid_t pid, char *state, int *exit_code)
{
	char path[64], buf[1024];
	int fd, n, ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');  /* comm may contain spaces and ')' */
	if (!p)
		return -1;
	p += 2;
	*state = *p;
	for (int field = 3; field < 52 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (p) {
		*exit_code = atoi(p);
		ret = 0;
	}
	return ret;
}

static int wait_zombie(pid_t pid, int *status)
{
	struct timespec ms = { 0, 1000 * 1000 };
	char state = '?';

	for (int i = 0; i < 5000; i++) {
		if (read_stat(pid, &state, status) == 0 && state == 'Z')
			return 0;
		nanosleep(&ms, NULL);
	}
	return -1;
}

static int middle(void)
{
	struct held kids[3];
	int failed = 0;

	wl_line("thread\t%d\tmiddle", gettid());
	for (int i = 0; i < 3; i++) {
		if (held_fork(&kids[i], FATE_EXIT, 51 + i) < 0)
			return 1;
		held_release(&kids[i]);
	}
	for (int i = 0; i < 3; i++) {
		char want[32], got[32];
		int status;

		if (wait_zombie(kids[i].pid, &status) < 0) {
			wl_mismatch("child %d never became a zombie",
				    kids[i].pid);
			failed = 1;
			continue;
		}
		held_expected(&kids[i], want, sizeof(want));
		wl_status_text(status, got, sizeof(got));
		if (strcmp(want, got)) {
			wl_mismatch("zombie %d: '%s', planned '%s'",
				    kids[i].pid, got, want);
			failed = 1;
			continue;
		}
		wl_line("zombie\t%d\t%d\texited\t%d", kids[i].pid, getpid(),
			WEXITSTATUS(status));
	}
	return failed;
}

int sc_zombie(int argc, char **argv)
{
	long seconds = sc_arg(argc, argv, 1, 3, 0, 3600);
	int p[2];
	char verdict = '1';

	if (seconds < 0)
		return 2;
	if (pipe(p) < 0)
		return 1;
	pid_t m = fork();
	if (m < 0)
		return 1;
	if (m == 0) {
		/* Outlives main: must not hold a test harness's output pipes. */
		int devnull = open("/dev/null", O_RDWR);
		dup2(devnull, STDIN_FILENO);
		if (wl_fd() != STDOUT_FILENO)
			dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		close(p[0]);
		held_set_lifetime(seconds + 30);
		char v = middle() ? '1' : '0';
		if (write(p[1], &v, 1) != 1)
			_exit(1);
		close(p[1]);
		if (seconds == 0) {
			alarm(60);  /* a test that forgot to kill us */
			pause();
		}
		sleep(seconds);
		_exit(0);
	}
	close(p[1]);
	wl_line("fork\t%d\t%d\t%d", m, gettid(), getpid());
	wl_line("subproc\t%d\tmiddle", m);
	if (read(p[0], &verdict, 1) != 1)
		verdict = '1';
	close(p[0]);
	wl_line("left_running\t%d", m);
	return verdict != '0';
}
