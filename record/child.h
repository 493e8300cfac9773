/*
 * child.h - the `-- COMMAND` launcher.
 *
 * The command is forked early and held on a pipe until tracing is set up
 * and its pid is in set_event_pid; then it is released and execs, so its
 * very first events are recorded.  Before anything is forked, the command
 * is resolved on PATH the way execvp() would, so "not found" (127) and
 * "not executable" (126) are reported before any tracefs state or output
 * file exists.
 */
#ifndef WT_REC_CHILD_H
#define WT_REC_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"
#include "signals.h"

struct wt_child;

/*
 * Resolve argv[0] on PATH.  NULL with @d set (status 127 not found, 126
 * found but not executable).  The result is freed by wt_child_free().
 */
struct wt_child *wt_child_prepare(char **argv, struct wt_diag *d);

/*
 * Fork the held child.  @sigs holds the signal dispositions from before
 * wtrec installed its handlers; the child restores them (and an empty
 * signal mask) so the command sees what it would have seen without wtrec.
 * 0, or -1 with @d set.
 */
int wt_child_spawn(struct wt_child *c, const struct wt_rec_sigsave *sigs,
		   struct wt_diag *d);

pid_t wt_child_pid(const struct wt_child *c);

/*
 * Let the held child exec.  Returns once the exec happened (0) or failed
 * (-1 with @d set, status 127/126; the child has exited and is reaped).
 */
int wt_child_release(struct wt_child *c, struct wt_diag *d);

/* Reap without blocking.  True once the child has exited (then or before). */
bool wt_child_reap(struct wt_child *c);

/*
 * The command's status as a shell gives it: its exit code, 128 + N when
 * killed by signal N; -1 when it has not exited (not started, running).
 */
int wt_child_exit_code(const struct wt_child *c);

/*
 * "exited 0", "killed by SIGTERM", "still running", "not started".
 * Points into @c; valid until wt_child_free().
 */
const char *wt_child_status(struct wt_child *c);

/*
 * Free.  A child still held is told to exit and is reaped; a child that
 * runs the command is left running (it gets terminal signals itself).
 * Accepts NULL.
 */
void wt_child_free(struct wt_child *c);

#endif
