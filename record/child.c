/*
 * child.c - fork, hold, release and reap the traced command (see child.h).
 *
 * Two pipes, both close-on-exec: "go" (parent -> child) holds the child in
 * read() until the parent writes one byte; "err" (child -> parent) carries
 * the errno of a failed exec, and reads as EOF when the exec succeeded
 * because the child's end closes on exec.  If wtrec dies before the
 * release, the child reads EOF on "go" and exits without running anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

enum child_state { C_PREPARED, C_HELD, C_RUNNING, C_EXITED };

struct wt_child {
	enum child_state state;
	char **argv;
	char *path;         /* resolved executable */
	pid_t pid;
	int go_fd;          /* parent's write end of "go", -1 when closed */
	int err_fd;         /* parent's read end of "err" */
	int wstatus;
	char status[64];
};

/* 0 if @path is an executable regular file, else an errno. */
static int check_exec(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	if (access(path, X_OK) < 0)
		return errno;
	return 0;
}

/* execvp's search: the first executable hit wins; else the first error
 * that is not ENOENT (a file found but not executable) decides. */
static char *search_path(const char *name, int *err)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	const char *p, *end;
	int e;

	*err = ENOENT;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(end - p), p,
			 end > p ? "/" : "", name);
		e = check_exec(buf);
		if (!e)
			return strdup(buf);
		if (e != ENOENT && e != ENOTDIR && *err == ENOENT)
			*err = e;
		if (!*end)
			return NULL;
	}
}

struct wt_child *wt_child_prepare(char **argv, struct wt_diag *d)
{
	struct wt_child *c = calloc(1, sizeof(*c));
	int err = 0;

	if (!c) {
		wt_diag_errno(d, 1, "command");
		return NULL;
	}
	c->argv = argv;
	c->go_fd = c->err_fd = -1;
	if (strchr(argv[0], '/')) {
		err = check_exec(argv[0]);
		c->path = err ? NULL : strdup(argv[0]);
	} else
		c->path = search_path(argv[0], &err);
	if (!c->path) {
		if (err == ENOENT || err == ENOTDIR)
			wt_diag_set(d, 127, "%s: command not found", argv[0]);
		else
			wt_diag_set(d, 126, "%s: cannot execute: %s", argv[0],
				    strerror(err ? err : ENOMEM));
		wt_child_free(c);
		return NULL;
	}
	return c;
}

static void __attribute__((noreturn))
child_main(struct wt_child *c, int go_rd, int err_wr,
	   const struct wt_rec_sigsave *sigs)
{
	sigset_t none;
	char byte = 0;
	ssize_t n;
	int e;

	wt_rec_signals_restore(sigs);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	do
		n = read(go_rd, &byte, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || byte != 'g')
		_exit(125); /* wtrec went away before releasing us */
	execv(c->path, c->argv);
	e = errno;
	if (write(err_wr, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(e == ENOENT ? 127 : 126);
}

int wt_child_spawn(struct wt_child *c, const struct wt_rec_sigsave *sigs,
		   struct wt_diag *d)
{
	int go[2], err[2];

	if (pipe2(go, O_CLOEXEC) < 0) {
		wt_diag_errno(d, 1, "pipe");
		return -1;
	}
	if (pipe2(err, O_CLOEXEC) < 0) {
		wt_diag_errno(d, 1, "pipe");
		close(go[0]);
		close(go[1]);
		return -1;
	}
	fflush(NULL);
	c->pid = fork();
	if (c->pid == 0) {
		close(go[1]);
		close(err[0]);
		child_main(c, go[0], err[1], sigs);
	}
	close(go[0]);
	close(err[1]);
	if (c->pid < 0) {
		wt_diag_errno(d, 1, "fork");
		close(go[1]);
		close(err[0]);
		return -1;
	}
	c->go_fd = go[1];
	c->err_fd = err[0];
	c->state = C_HELD;
	return 0;
}

pid_t wt_child_pid(const struct wt_child *c)
{
	return c->pid;
}

static void reap_blocking(struct wt_child *c)
{
	while (waitpid(c->pid, &c->wstatus, 0) < 0 && errno == EINTR)
		;
	c->state = C_EXITED;
}

int wt_child_release(struct wt_child *c, struct wt_diag *d)
{
	ssize_t n;
	int e = 0;

	/* EPIPE: the held child already died (a terminal signal); reap it later */
	if (write(c->go_fd, "g", 1) != 1 && errno != EPIPE) {
		wt_diag_errno(d, 1, "cannot release the command");
		return -1;
	}
	close(c->go_fd);
	c->go_fd = -1;
	c->state = C_RUNNING;
	do
		n = read(c->err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(c->err_fd);
	c->err_fd = -1;
	if (n <= 0)
		return 0; /* EOF: the exec closed the child's end */
	reap_blocking(c);
	if (n != sizeof(e))
		e = EIO;
	wt_diag_set(d, e == ENOENT ? 127 : 126, "%s: cannot execute: %s",
		    c->argv[0], strerror(e));
	return -1;
}

bool wt_child_reap(struct wt_child *c)
{
	pid_t r;

	if (c->state == C_EXITED)
		return true;
	if (c->state != C_RUNNING)
		return false;
	r = waitpid(c->pid, &c->wstatus, WNOHANG);
	if (r == c->pid)
		c->state = C_EXITED;
	return c->state == C_EXITED;
}

int wt_child_exit_code(const struct wt_child *c)
{
	if (c->state != C_EXITED)
		return -1;
	if (WIFEXITED(c->wstatus))
		return WEXITSTATUS(c->wstatus);
	if (WIFSIGNALED(c->wstatus))
		return 128 + WTERMSIG(c->wstatus);
	return -1;
}

const char *wt_child_status(struct wt_child *c)
{
	int st = c->wstatus;

	if (c->state == C_PREPARED || c->state == C_HELD)
		return "not started";
	if (c->state == C_RUNNING)
		return "still running";
	if (WIFEXITED(st))
		snprintf(c->status, sizeof(c->status), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(c->status, sizeof(c->status), "killed by SIG%s%s",
			 sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?",
			 WCOREDUMP(st) ? " (core dumped)" : "");
	else
		snprintf(c->status, sizeof(c->status), "status 0x%x", st);
	return c->status;
}

void wt_child_free(struct wt_child *c)
{
	if (!c)
		return;
	if (c->go_fd >= 0)
		close(c->go_fd); /* a held child reads EOF and exits */
	if (c->err_fd >= 0)
		close(c->err_fd);
	if (c->state == C_HELD)
		reap_blocking(c);
	free(c->path);
	free(c);
}
