/*
 * sc_pidns.c - `wtwork pidns`: two pid namespaces, as containers make them
 * (clone(CLONE_NEWPID): the child is pid 1 of a new namespace; needs
 * CAP_SYS_ADMIN, else the scenario cannot run here: 77).
 *
 *  1. An init that reaps: I1 forks A; A forks B (held) and exits when I1
 *     releases it; B's hold ends with A (its pipe closes): B exits 99,
 *     orphaned to I1.  I1's wait4(-1) calls reap A, then B, by their pids
 *     in the namespace; then ECHILD; I1 exits 0 and main reaps it.
 *       orphan B A I1           A's plan: B goes to I1 when A exits (I1's
 *                               wait returning B is the proof)
 *  2. An init that never waits: I2 forks C, C forks D and both exit at
 *     once; I2 sleeps, then exits 70 without a wait.  The kernel reaps C
 *     and D when I2 dies (zap_pid_ns_processes()); main checks they are
 *     gone once it has reaped I2.
 *       teardown PID INIT exited CODE   released at the namespace's end
 * Every pid in the log is global (gid.h); calls show what the syscalls
 * returned (namespace pids in RET).
 */
#include "scenario.h"
#include "gid.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What the namespace's processes tell main (shared memory). */
struct shared {
	pid_t init, c, d;       /* global pids */
	int c_status, d_status; /* planned exit codes */
};

/* clone(CLONE_NEWPID | SIGCHLD): a fork into a new pid namespace, logged
 * like held_raw_fork().  -1 with errno; 0 in the child. */
static pid_t fork_newns(pid_t *gpid)
{
	int back[2];
	pid_t g, by = gid_tid(), bypid = gid_pid();

	if (pipe(back) < 0)
		return -1;
	pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
	if (pid < 0) {
		int e = errno;
		close(back[0]);
		close(back[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		gid_forked();
		g = gid_pid();
		close(back[0]);
		if (write(back[1], &g, sizeof(g)) != sizeof(g))
			_exit(97);
		close(back[1]);
		return 0;
	}
	close(back[1]);
	g = pid;
	if (read(back[0], &g, sizeof(g)) != sizeof(g))
		g = pid;
	close(back[0]);
	*gpid = g;
	wl_line("fork\t%d\t%d\t%d", g, by, bypid);
	return pid;
}

/* A reaping call in the namespace: log child_exit for what it reaped. */
static int reap_any(const char *who, pid_t *got)
{
	struct wc_result r;

	wc_wait4(-1, 0, &r);
	if (r.ret <= 0 || !r.reaped) {
		wl_mismatch("%s: wait4(-1) returned %ld (%s)", who, r.ret,
			    wl_errno_name(r.err));
		return -1;
	}
	char st[32];
	snprintf(st, sizeof(st), "%s", r.status);
	char *sp = strchr(st, ' ');
	if (sp)
		*sp = '\t';
	*got = gid_global(r.reaped);
	wl_line("child_exit\t%d\t%s", *got, st);
	return 0;
}

/* Part 1, in I1 (pid 1): the orphan B comes back to it. */
static int reaping_init(void)
{
	int go[2];
	pid_t ga = 0, gb = 0, g1, g2;
	struct wc_result r;

	wl_line("thread\t%d\tns_init", gid_tid());
	wl_line("nsinit\t%d\treaps", gid_pid());
	gid_learn(1, gid_pid());
	if (pipe(go) < 0)
		return 1;
	pid_t a = held_raw_fork(&ga);
	if (a < 0)
		return 1;
	if (a == 0) {
		struct held b;
		unsigned char c;
		close(go[1]);
		/* B's hold is A's pipe: it ends (EOF, exit 99) with A */
		if (held_fork(&b, FATE_EXIT, 99) < 0)
			_exit(96);
		gb = b.gpid;
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		wl_line("orphan\t%d\t%d\t%d", gb, gid_pid(), gid_global(1));
		_exit(61);
	}
	close(go[0]);
	if (write(go[1], "x", 1) != 1)
		return 1;
	close(go[1]);
	if (reap_any("init", &g1) < 0 || reap_any("init", &g2) < 0)
		return 1;
	if (g1 != ga)
		wl_mismatch("init reaped %d first, not A %d", g1, ga);
	wc_wait4(-1, WNOHANG, &r);
	if (r.ret != -1 || r.err != ECHILD)
		wl_mismatch("init's last wait4: %ld (%s), want ECHILD", r.ret,
			    wl_errno_name(r.err));
	return 0;
}

/* Part 2, in I2: C and D exit; nobody waits; I2 leaves. */
static int lazy_init(struct shared *sh)
{
	pid_t gc = 0;

	wl_line("thread\t%d\tns_init", gid_tid());
	wl_line("nsinit\t%d\tnever_waits", gid_pid());
	gid_learn(1, gid_pid());
	sh->init = gid_pid();
	pid_t c = held_raw_fork(&gc);
	if (c < 0)
		return 1;
	if (c == 0) {
		pid_t gd = 0;
		pid_t d = held_raw_fork(&gd);
		if (d == 0)
			_exit(sh->d_status);
		sh->d = gd;
		_exit(sh->c_status);
	}
	sh->c = gc;
	/* Both exit at once; the init lets them be zombies until it ends. */
	usleep(300 * 1000);
	return 70;
}

/* Are the pids of @sh gone (the kernel reaped them), as main sees it? */
static int check_teardown(const struct shared *sh)
{
	const pid_t p[2] = { sh->c, sh->d };
	const int code[2] = { sh->c_status, sh->d_status };
	int failed = 0;

	for (int i = 0; i < 2; i++) {
		if (p[i] <= 0 || (kill(p[i], 0) == 0 || errno != ESRCH)) {
			wl_mismatch("pid %d still there after its init", p[i]);
			failed = 1;
			continue;
		}
		wl_line("teardown\t%d\t%d\texited\t%d", p[i], sh->init, code[i]);
	}
	return failed;
}

/* Fork an init with @body, reap it in main, check its status. */
static int run_init(int (*body)(struct shared *), struct shared *sh,
		    int want, int *cannot)
{
	pid_t g = 0;
	struct wc_result r;
	pid_t pid = fork_newns(&g);

	if (pid < 0) {
		*cannot = errno == EPERM || errno == EINVAL;
		return -1;
	}
	if (pid == 0)
		_exit(body(sh));
	struct held h = { .pid = pid, .gpid = g, .fate = FATE_EXIT,
			  .value = want, .go = -1 };
	wc_wait4(pid, 0, &r);
	return held_verify(&h, &r);
}

static int part1(struct shared *sh)
{
	(void)sh;
	return reaping_init();
}

int sc_pidns(int argc, char **argv)
{
	int cannot = 0, failed = 0;

	(void)argc;
	(void)argv;
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	*sh = (struct shared){ .c_status = 71, .d_status = 72 };
	if (run_init(part1, sh, 0, &cannot) < 0) {
		if (cannot)
			return 77;
		failed = 1;
	}
	if (run_init(lazy_init, sh, 70, &cannot) < 0)
		failed = 1;
	else if (check_teardown(sh))
		failed = 1;
	return failed;
}
