/*
 * wtlog.c - the ground-truth log (see wtlog.h).  Formatting happens in a
 * stack buffer and each line leaves in one write(2): the log is shared by
 * the threads of wtwork and by the processes it forks, and the descriptor is
 * O_APPEND, so a line never tears even when two writers race.
 */
#include "wtlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int log_fd = -1;
static int log_failed;     /* a line could not be written */
static int mismatches;

int wl_open(const char *path)
{
	if (!strcmp(path, "-")) {
		log_fd = STDOUT_FILENO;
		return 0;
	}
	log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		      0644);
	return log_fd < 0 ? -1 : 0;
}

int wl_fd(void)
{
	return log_fd;
}

int wl_failed(void)
{
	return __atomic_load_n(&mismatches, __ATOMIC_SEQ_CST) + (log_failed != 0);
}

void wl_mismatch(const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&mismatches, 1, __ATOMIC_SEQ_CST);
	wl_line("mismatch\t%s", text);
}

void wl_line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf) - 1) {
		log_failed = 1;
		goto out;
	}
	buf[n++] = '\n';
	if (write(log_fd, buf, n) != n)
		log_failed = 1;
out:
	errno = saved;
}

const char *wl_status_text(int status, char *buf, size_t n)
{
	if (WIFEXITED(status))
		snprintf(buf, n, "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, n, "killed %d", WTERMSIG(status));
	else if (WIFSTOPPED(status))
		snprintf(buf, n, "stopped %d", WSTOPSIG(status));
	else if (WIFCONTINUED(status))
		snprintf(buf, n, "continued");
	else
		snprintf(buf, n, "raw 0x%x", (unsigned)status);
	return buf;
}

const char *wl_siginfo_text(const siginfo_t *si, char *buf, size_t n)
{
	switch (si->si_code) {
	case CLD_EXITED:
		snprintf(buf, n, "exited %d", si->si_status);
		break;
	case CLD_KILLED:
	case CLD_DUMPED:  /* wtwork's children are not dumpable: no cores */
		snprintf(buf, n, "killed %d", si->si_status);
		break;
	case CLD_STOPPED:
	case CLD_TRAPPED:
		snprintf(buf, n, "stopped %d", si->si_status);
		break;
	case CLD_CONTINUED:
		snprintf(buf, n, "continued");
		break;
	default:
		snprintf(buf, n, "code %d status %d", si->si_code, si->si_status);
	}
	return buf;
}

const char *wl_errno_name(int err)
{
	static __thread char other[16];

	switch (err) {
	case 0:		return "-";
	case ECHILD:	return "ECHILD";
	case EINTR:	return "EINTR";
	case EINVAL:	return "EINVAL";
	case EFAULT:	return "EFAULT";
	case EAGAIN:	return "EAGAIN";
	case EBADF:	return "EBADF";
	case ESRCH:	return "ESRCH";
	}
	snprintf(other, sizeof(other), "E%d", err);
	return other;
}
