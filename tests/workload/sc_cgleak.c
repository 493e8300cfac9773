/*
 * sc_cgleak.c - `wtwork cgleak N CGDIR [HOLD]`: the zombie incident of a
 * container.  A test builds the container without a runtime
 * (tests/e2e/container.sh): a pids cgroup CGDIR with a small pids.max, a
 * pid namespace (unshare -fp) whose PID 1 either never waits (a shell
 * that exec'd sleep) or reaps (tini), and this job as PID 1's child.
 *
 * N times the job forks a spawner S; S forks an orphan O and exits; the
 * job reaps S; O waits for S's death (its pipe closes), exits 5 and is by
 * then a child of PID 1 (kernel/exit.c find_new_reaper()); the job gives
 * PID 1 200 ms to reap it before the next round (settle()).  A PID 1 that
 * never waits leaves O a zombie, whose pid stays charged to the cgroup
 * until it is reaped (kernel/cgroup/pids.c), so the cgroup fills up and
 * fork() fails with EAGAIN (pids_can_fork()).  Every failure is logged;
 * after 3 in a row the job stops.  Then it checks each orphan in /proc: a
 * zombie whose parent is PID 1, or gone (PID 1 reaped it).
 *
 * Log lines (global pids: gid.h; wtwork.c lists the common ones):
 *   cgjob       INIT CGDIR          the namespace's PID 1, the cgroup
 *   orphan      O S INIT            S exits while O lives: O goes to INIT
 *   forkfail    TID ERRNO CURRENT MAX   a failed fork; the cgroup's
 *                                   pids.current and pids.max just after
 *   zombie      O INIT exited 5     O is a zombie of INIT at the end, or
 *   init_reaped O INIT exited 5     O is gone: INIT reaped it
 *   pids        CURRENT MAX EVENTS  the cgroup at the end (pids.events max)
 *   holding                         with HOLD (a fifo): blocked until the
 *                                   test writes it, then done
 * Exit 0 as planned, 1 on a mismatch, 2 bad arguments, 77 when the job is
 * not in a pid namespace of its own (nothing to show).
 */
#include "scenario.h"
#include "gid.h"
#include "waitcall.h"
#include "held.h"
#include "wtlog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_ITER 512
#define ORPHAN_CODE 5
#define SPAWN_FAILED 3   /* a spawner's exit code when its fork failed */

/* What the spawners tell the job: each orphan's global pid. */
struct shared {
	pid_t orphan[MAX_ITER];
};

/* @dir/@file as a number ("max" = -2), -1 if unreadable; "pids.events"
 * is read at its "max N" line. */
static long cg_num(const char *dir, const char *file)
{
	char path[PATH_MAX], text[256], *p;
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = (int)read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	p = text;
	if (!strcmp(file, "pids.events")) {
		p = strstr(text, "max ");
		if (!p)
			return -1;
		p += 4;
	}
	return strncmp(p, "max", 3) ? strtol(p, NULL, 10) : -2;
}

static void log_failure(const char *cg, int err)
{
	wl_line("forkfail\t%d\t%s\t%ld\t%ld", gid_tid(), wl_errno_name(err),
		cg_num(cg, "pids.current"), cg_num(cg, "pids.max"));
}

/* The global pid of our parent: /proc's PPid is in the namespace of the
 * /proc mount, the log's (gid.h). */
static pid_t parent_gpid(void)
{
	char text[4096], *p;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	int n = fd < 0 ? -1 : (int)read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	p = strstr(text, "\nPPid:\t");
	return p ? (pid_t)strtol(p + 7, NULL, 10) : -1;
}

/* In S: fork the orphan O, tell the job its pid, exit before it. */
static void spawner(const char *cg, pid_t init, pid_t *slot)
{
	int pipefd[2];
	pid_t go = 0;

	if (pipe(pipefd) < 0)
		_exit(96);
	pid_t o = held_raw_fork(&go);
	if (o < 0) {
		log_failure(cg, errno);
		_exit(SPAWN_FAILED);
	}
	if (o == 0) {
		char c;
		close(pipefd[1]);
		while (read(pipefd[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(ORPHAN_CODE); /* S is gone: we are INIT's child now */
	}
	close(pipefd[0]);
	*slot = go;
	wl_line("orphan\t%d\t%d\t%d", go, gid_pid(), init);
	_exit(0);
}

/* One round: fork S and reap it.  1 when a fork failed, 0 when an orphan
 * was made, -1 on a mismatch. */
static int round_trip(const char *cg, pid_t init, pid_t *slot)
{
	struct wc_result r;
	pid_t gs = 0;
	pid_t s = held_raw_fork(&gs);

	if (s < 0) {
		log_failure(cg, errno);
		return 1;
	}
	if (s == 0)
		spawner(cg, init, slot);
	wc_wait4(s, 0, &r);
	if (r.ret != s || !r.reaped) {
		wl_mismatch("wait4(%d) for the spawner: %ld (%s)", s, r.ret,
			    wl_errno_name(r.err));
		return -1;
	}
	char st[32];
	snprintf(st, sizeof(st), "%s", r.status);
	char *sp = strchr(st, ' ');
	if (sp)
		*sp = '\t';
	wl_line("child_exit\t%d\t%s", gs, st);
	if (!strcmp(r.status, "exited 3"))
		return 1;
	return strcmp(r.status, "exited 0") ? -1 : 0;
}

/* /proc/PID/stat: the state letter and the ppid (global: /proc's). */
static char proc_state(pid_t pid, pid_t *ppid)
{
	char path[64], text[512], *close_paren;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = (int)read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	close_paren = strrchr(text, ')');
	if (!close_paren || sscanf(close_paren + 2, "%*c %d", ppid) != 1)
		return 0;
	return close_paren[2];
}

/*
 * Pace the rounds the same way whatever PID 1 is: wait until orphan @o
 * has exited, then give PID 1 up to 200 ms to reap it.  A reaping PID 1
 * that the scheduler starves (a loaded machine) would otherwise let
 * zombies pile up for a moment and fill pids.max all the same; a PID 1
 * that never waits just costs the 200 ms.
 */
static void settle(pid_t o)
{
	pid_t ppid;
	int zombie_ms = 0;

	for (int ms = 0; ms < 2000; ms++) {
		char st = proc_state(o, &ppid);
		if (!st || (st == 'Z' && ++zombie_ms > 200))
			return;
		usleep(1000);
	}
}

/* Each orphan: a zombie of @init, or gone (reaped by it). */
static int check_orphans(const struct shared *sh, int n, pid_t init)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		pid_t o = sh->orphan[i], ppid = 0;
		if (!o)
			continue;
		char st = proc_state(o, &ppid);
		if (st == 'Z' && ppid == init) {
			wl_line("zombie\t%d\t%d\texited\t%d", o, init, ORPHAN_CODE);
		} else if (!st) {
			wl_line("init_reaped\t%d\t%d\texited\t%d", o, init,
				ORPHAN_CODE);
		} else {
			wl_mismatch("orphan %d: state %c, parent %d", o, st, ppid);
			failed = 1;
		}
	}
	return failed;
}

static int hold(const char *fifo)
{
	char c;
	int fd;

	wl_line("holding");
	do
		fd = open(fifo, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return 1;
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	close(fd);
	return 0;
}

int sc_cgleak(int argc, char **argv)
{
	long n = sc_arg(argc, argv, 1, -1, 1, MAX_ITER);
	const char *cg = argc > 2 ? argv[2] : NULL;
	const char *fifo = argc > 3 ? argv[3] : NULL;
	int failures = 0, made = 0, rc = 0;

	if (n < 0 || !cg) {
		fprintf(stderr, "usage: wtwork cgleak N CGDIR [HOLD]\n");
		return 2;
	}
	if (gid_in_root()) {
		wl_line("cgleak_failed\tnot in a pid namespace of its own");
		return 77;
	}
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	memset(sh, 0, sizeof(*sh));
	pid_t init = parent_gpid();
	wl_line("cgjob\t%d\t%s", init, cg);
	for (long i = 0; i < n && failures < 3 && !rc; i++) {
		int k = round_trip(cg, init, &sh->orphan[made]);
		if (k < 0)
			rc = 1;
		else if (k > 0)
			failures++;
		else {
			failures = 0;
			settle(sh->orphan[made]);
			made++;
		}
		if (k > 0)
			usleep(10 * 1000);
	}
	/* the orphans exit as their spawner dies: let the last ones go and
	 * their PID 1 reap them, or not */
	usleep(300 * 1000);
	if (!rc)
		rc = check_orphans(sh, made, init);
	wl_line("pids\t%ld\t%ld\t%ld", cg_num(cg, "pids.current"),
		cg_num(cg, "pids.max"), cg_num(cg, "pids.events"));
	if (!rc && fifo)
		rc = hold(fifo);
	return rc;
}
