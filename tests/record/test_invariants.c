/*
 * test_invariants.c - the state invariants session.h says are asserted
 * are asserted in this build: wt_session_run() on a session that was never
 * set up (state NEW, not RUNNING) must stop at its assert_state() with
 * "Assertion ... failed" and SIGABRT, before it touches anything.
 *
 * Built with WT_EXPECT_ASSERT=1 where assertions are on (WT_SANITIZE or
 * WT_ASSERT, see the top-level CMakeLists.txt); elsewhere (-DNDEBUG) it
 * skips with exit 77.  The call runs in a child with a 10 s alarm: with
 * assertions compiled out it would go on to poll forever.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "options.h"
#include "session.h"
#include "tcheck.h"

int main(void)
{
	int pipefd[2], status;
	char buf[4096] = "";
	ssize_t n, got = 0;
	pid_t pid;

	if (!WT_EXPECT_ASSERT) {
		printf("SKIP: test_invariants: assertions are compiled out of "
		       "this build (NDEBUG); the ASan build checks them\n");
		return 77;
	}
	if (pipe(pipefd) < 0 || (pid = fork()) < 0) {
		perror("test_invariants");
		return 1;
	}
	if (pid == 0) {
		static struct wt_record_opts o;
		struct wt_session *s = wt_session_new(&o);

		dup2(pipefd[1], STDERR_FILENO);
		close(pipefd[0]);
		alarm(10);
		if (s)
			wt_session_run(s);
		_exit(0);
	}
	close(pipefd[1]);
	while (got < (ssize_t)sizeof(buf) - 1 &&
	       (n = read(pipefd[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	waitpid(pid, &status, 0);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, 1,
	      "wt_session_run on a NEW session: ended by",
	      WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "an exit",
	      strsignal(SIGABRT));
	check(strstr(buf, "Assertion") && strstr(buf, "failed"), 2,
	      "the assertion's message on stderr", buf, "Assertion ... failed");
	return tcheck_report();
}
