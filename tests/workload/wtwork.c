/*
 * wtwork.c - the ground-truth workload for wtrec's tests.
 *
 *   wtwork SCENARIO [ARGS] [-l LOGFILE]      (LOGFILE "-" or absent: stdout)
 *
 * Each scenario makes wait4/waitid calls whose outcome is planned and then
 * checked against the syscalls' own results; the log records what really
 * happened, so tests can compare wtrec's findings with it.  wtwork never
 * looks at anything wtrec produces.
 *
 * Log: TSV, one fact per line (all pids/tids are the kernel's numbers):
 *   proc        main_pid PID              first line
 *   scenario    NAME [ARGS...]
 *   thread      TID ROLE                  a thread that makes wait calls
 *   subproc     PID ROLE                  a helper process (also has a fork line)
 *   fork        CHILD_PID BY_TID BY_PID   (the forking thread and its process)
 *   signal_sent PID SIG KILL_RET
 *   pidfd       FD PID                    the fd used as a P_PIDFD target
 *   call        SEQ TID SYSCALL IDTYPE TARGET OPTIONS RET ERRNO REAPED STATUS CHILD
 *               (see waitcall.c)
 *   callmem     SEQ TID ADDR RU_ADDR STATUS SI_SIGNO SI_CODE SI_PID SI_UID
 *               SI_STATUS RU_UTIME_US RU_STIME_US RU_MAXRSS RU_MINFLT
 *               RU_MAJFLT RU_NVCSW RU_NIVCSW   the call's buffers: the
 *               pointers passed, what the kernel wrote (waitcall.c)
 *   child_exit  PID exited CODE | killed SIG   verified by the reaping call
 *   autoreaped  PID PARENT exited CODE pidfd|plan   reaped by the kernel
 *   zombie      PID PARENT exited CODE    a zombie left unreaped (/proc)
 *   left_running PID                      a child main exits without reaping
 *   steal       CHILD THIEF_TID VICTIM_TID VARIANT
 *   double_wait CHILD TID                 a second wait for a reaped child
 *   teardown    PID INIT exited CODE      released when its pid
 *                                         namespace's init exited
 *   init_reaped PID INIT exited CODE      an orphan its pid namespace's
 *                                         init reaped (cgleak)
 *   cgjob, forkfail, pids, holding        cgleak's (sc_cgleak.c)
 *   orphan      CHILD OLD_PARENT NEW_PARENT   a planned reparent
 *   nsinit      PID reaps|never_waits     pid 1 of a namespace
 *   subreaper   PID                       PR_SET_CHILD_SUBREAPER set
 *   pidreuse    PID  /  pidreuse_failed REASON
 *   pollstorm   CALLS TID
 *   sigchld_handled PID COUNT
 *   mismatch    TEXT                      something did not go as planned
 *   done                                  last line, exit status 0
 *   exit        STATUS                    last line otherwise
 * Every fork line has exactly one of child_exit, autoreaped, zombie,
 * left_running, teardown, init_reaped.  Every pid and tid is global (the one of the
 * pid namespace wtwork started in: gid.h); a call's RET is what the
 * syscall returned.  Exit status: 0 as planned, 1 mismatch, 2 usage, 77 the
 * scenario cannot run here (pidreuse without root).
 */
#include "scenario.h"
#include "gid.h"
#include "wtlog.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct scenario {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
};

static const struct scenario scenarios[] = {
	{ "basic",     sc_basic,     "[N]" },
	{ "stolen",    sc_stolen,    "" },
	{ "autoreap",  sc_autoreap,  "" },
	{ "zombie",    sc_zombie,    "[SECONDS]" },
	{ "pidreuse",  sc_pidreuse,  "" },
	{ "pollstorm", sc_pollstorm, "SECONDS" },
	{ "peek",      sc_peek,      "" },
	{ "pidns",     sc_pidns,     "" },
	{ "subreaper", sc_subreaper, "" },
	{ "pidfdwait", sc_pidfdwait, "" },
	{ "scanorder", sc_scanorder, "" },
	{ "doublewait", sc_doublewait, "" },
	{ "handlersteal", sc_handlersteal, "" },
	{ "signals",   sc_signals,   "" },
	{ "buffers",   sc_buffers,   "" },
	{ "cgleak",    sc_cgleak,    "N CGDIR [HOLD]" },
};
#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static int usage(void)
{
	fputs("usage: wtwork SCENARIO [ARGS] [-l LOGFILE]\nscenarios:\n",
	      stderr);
	for (size_t i = 0; i < N_SCENARIOS; i++)
		fprintf(stderr, "  %s %s\n", scenarios[i].name,
			scenarios[i].args);
	return 2;
}

long sc_arg(int argc, char **argv, int i, long def, long min, long max)
{
	char *end;

	if (i >= argc)
		return def;
	errno = 0;
	long v = strtol(argv[i], &end, 10);
	if (errno || *end || end == argv[i] || v < min || v > max) {
		fprintf(stderr, "wtwork %s: bad argument '%s' (%ld..%ld)\n",
			argv[0], argv[i], min, max);
		return -1;
	}
	return v;
}

/* Split argv into positional arguments (kept in place) and -l LOGFILE. */
static int parse(int argc, char **argv, int *npos, const char **log)
{
	int n = 0;

	*log = "-";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-l")) {
			if (++i == argc)
				return -1;
			*log = argv[i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return -1;
		} else {
			argv[n++] = argv[i];
		}
	}
	*npos = n;
	return n > 0 ? 0 : -1;
}

static void log_header(int argc, char **argv)
{
	char line[400];
	size_t len = 0;

	wl_line("proc\tmain_pid\t%d", gid_pid());
	for (int i = 0; i < argc && len < sizeof(line) - 1; i++)
		len += snprintf(line + len, sizeof(line) - len, "%s%s",
				i ? "\t" : "", argv[i]);
	wl_line("scenario\t%s", line);
	wl_line("thread\t%d\tmain", gid_tid());
}

int main(int argc, char **argv)
{
	const char *log;
	int npos, status;

	if (parse(argc, argv, &npos, &log) < 0)
		return usage();
	const struct scenario *sc = NULL;
	for (size_t i = 0; i < N_SCENARIOS; i++)
		if (!strcmp(argv[0], scenarios[i].name))
			sc = &scenarios[i];
	if (!sc)
		return usage();
	if (wl_open(log) < 0 || gid_init() < 0) {
		fprintf(stderr, "wtwork: %s: %s\n", log, strerror(errno));
		return 1;
	}
	/* An inherited SIG_IGN would auto-reap every child. */
	signal(SIGCHLD, SIG_DFL);
	log_header(npos, argv);
	status = sc->run(npos, argv);
	if (status == 0 && wl_failed())
		status = 1;
	if (status == 0)
		wl_line("done");
	else
		wl_line("exit\t%d", status);
	return status;
}
