/*
 * pidfd.c - see pidfd.h.  A pidfd polls readable when its process exits;
 * pidfd_send_signal(fd, 0) fails with ESRCH only once the process has been
 * released (a zombie still accepts signal 0), which is the "auto-reaped"
 * moment.  struct pidfd_info is declared here because Debian 12's kernel
 * headers (6.1) predate it; the kernel accepts any size >= its VER0 (64).
 */
#include "pidfd.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct wt_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid;
	uint32_t fsuid, fsgid;
	int32_t exit_code;
	uint32_t coredump_mask;
	uint32_t spare1;
};

#define WT_PIDFD_GET_INFO _IOWR(0xFF, 11, struct wt_pidfd_info)
#define WT_PIDFD_INFO_EXIT (1ULL << 3)

int pidfd_get(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

static int released(int fd)
{
	return syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) < 0 &&
	       errno == ESRCH;
}

int pidfd_wait_gone(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec tick = { 0, 1000 * 1000 };

	int n;

	do  /* a SIGCHLD handler (SA_NOCLDWAIT case) interrupts poll */
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		return -1;
	/* Readable at exit_notify; the release follows within microseconds. */
	for (int i = 0; i < timeout_ms; i++) {
		if (released(fd))
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

int pidfd_exit_status(int fd, int *status)
{
	struct wt_pidfd_info info;

	memset(&info, 0, sizeof(info));
	info.mask = WT_PIDFD_INFO_EXIT;
	if (ioctl(fd, WT_PIDFD_GET_INFO, &info) < 0)
		return -1;
	if (!(info.mask & WT_PIDFD_INFO_EXIT))
		return -1;
	*status = info.exit_code;
	return 0;
}
