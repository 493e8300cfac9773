/*
 * pidfd.h - pidfd helpers used to learn, without any wait call, that a child
 * is gone and how it died.  Needed where nothing may wait: auto-reaped
 * children (SIGCHLD ignored / SA_NOCLDWAIT) are reaped by the kernel itself.
 */
#ifndef PIDFD_H
#define PIDFD_H

#include <sys/types.h>

/* pidfd_open(pid, 0).  Returns the fd or -1 with errno. */
int pidfd_get(pid_t pid);

/* Block until the process behind fd has been released by the kernel (it
 * exited and is no longer even a zombie), at most timeout_ms.  Returns 0
 * once it is gone, -1 on timeout or error. */
int pidfd_wait_gone(int fd, int timeout_ms);

/* The exit status word of a reaped process, from ioctl(PIDFD_GET_INFO) with
 * PIDFD_INFO_EXIT (Linux >= 6.15).  Returns 0 and sets *status, or -1 when
 * the kernel cannot tell (older kernel, not reaped yet). */
int pidfd_exit_status(int fd, int *status);

#endif
