/*
 * session.h - one recording, as a state machine:
 *
 *   NEW --setup--> SETUP --(all set up, tracing on)--> RUNNING
 *   RUNNING --stop--> DRAINING --(file closed)--> STOPPED
 *   any state --free--> (torn down and freed)
 *
 * Invariants (asserted in session.c):
 *  - tracing is on only in RUNNING (and briefly at the end of SETUP);
 *  - reader threads run only in RUNNING and DRAINING; they are joined
 *    before STOPPED, and every per-CPU file is closed before the instance
 *    is removed by wt_session_free();
 *  - the TRAILER is written only on the RUNNING -> STOPPED path with no
 *    write error, and is the last chunk of the file.
 * wt_session_free runs on every path, success or failure, and leaves no
 * tracefs state behind.
 */
#ifndef WT_REC_SESSION_H
#define WT_REC_SESSION_H

#include "diag.h"
#include "options.h"
#include "status.h"

struct wt_session;

/* Allocate a session for @o (which must outlive it).  NULL on ENOMEM. */
struct wt_session *wt_session_new(const struct wt_record_opts *o);

/*
 * Check the environment, create and configure the instance, enable events,
 * set the scope, switch tracing on, start the command, create the file and
 * start the readers.  0, or -1 with wt_session_diag() set; call
 * wt_session_free() either way.  --dry-run: prints the tracefs writes
 * of that setup on stdout, changes nothing and returns -1 with diag status
 * 0 (nothing to run); wt_session_free then prints the teardown.
 */
int wt_session_setup(struct wt_session *s);

/*
 * Record until a stop signal, the end of the command, -d, or a write
 * error.  0, or -1 when it stopped on an error (diag set).
 */
int wt_session_run(struct wt_session *s);

/*
 * Stop: tracing off, drain readers, write CPU_STATS, the stop snapshot,
 * the stop META and the TRAILER, close the file.  Does nothing unless
 * RUNNING.  0, or -1 with diag set (the file stays readable up to its last
 * whole chunk).
 */
int wt_session_stop(struct wt_session *s);

/* Fill @sum for the summary line (valid after stop).  False if there is
 * nothing to summarize (setup failed before the file existed). */
bool wt_session_summary(struct wt_session *s, struct wt_rec_summary *sum);

/* "exited 0" etc. for a COMMAND scope, NULL otherwise. */
const char *wt_session_command_status(struct wt_session *s);

/* The command's exit code (wt_child_exit_code), -1 without a command or
 * before it exited. */
int wt_session_command_code(struct wt_session *s);

const struct wt_diag *wt_session_diag(const struct wt_session *s);

/*
 * The pair of wt_session_new(), for every path: tear down whatever setup
 * made (close readers, disable events, clear the pid filter, remove the
 * instance, delete our probes, reap a held command, restore signals) and
 * free @s.  Accepts NULL.
 */
void wt_session_free(struct wt_session *s);

#endif
