/*
 * wait_text.h - how wait calls are spelled in the model's rows: errno
 * names, options the way strace prints them, idtype names, and the class
 * of a failure (which the summary and the errors report count).
 */
#ifndef WT_WAIT_TEXT_H
#define WT_WAIT_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* "ECHILD", "ERESTARTSYS" for a negative return value; "E?" if unknown.
 * Static strings. */
const char *wt_errno_name(int64_t ret);

/* Options as strace prints them for both syscalls ("WNOHANG|WSTOPPED",
 * "0"; unknown bits as "|0x100") into @buf. */
void wt_options_text(uint32_t opt, char *buf, size_t len);

/* "P_ALL", "P_PID", "P_PGID", "P_PIDFD"; NULL for anything else. */
const char *wt_idtype_name(int which);

/*
 * What a failure means (wait_call.error_class), NULL for a success:
 *   "no_children"  ECHILD of a wait for any child or a group: nothing
 *                  (left) to wait for; how a reap loop normally ends
 *   "lost_child"   ECHILD of a wait for one child (P_PID, P_PIDFD): that
 *                  child was not (or no longer) there to be waited for
 *   "interrupted"  EINTR: a signal handler ran
 *   "restart"      ERESTARTSYS and friends: the kernel restarts the call
 *                  or turns it into EINTR; user space never sees it
 *   "would_block"  EAGAIN of a wait on an O_NONBLOCK pidfd: nothing ready
 *   "caller_bug"   EINVAL, ESRCH, EFAULT, EBADF, ...: bad arguments
 * @which is the call's idtype (-1 unknown).  Static strings.
 */
const char *wt_error_class(int64_t ret, int which);

#endif /* WT_WAIT_TEXT_H */
