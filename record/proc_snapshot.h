/*
 * proc_snapshot.h - the PROC chunk: every thread of every process from
 * /proc, so that processes born before the recording have parents, and
 * zombies and SIGCHLD-ignoring parents present at either end are known.
 */
#ifndef WT_REC_PROC_SNAPSHOT_H
#define WT_REC_PROC_SNAPSHOT_H

#include <stdint.h>
#include <sys/types.h>

#include "wtfile.h"

/*
 * Append the snapshot text (format in docs/FORMAT.md) to @b: the header
 * lines with @when ("start"/"stop") and @ts_ns (trace clock), then one line
 * per thread.  Tasks that vanish during the scan are skipped.  0, or -1
 * with errno (ENOMEM, or /proc unreadable).
 */
int wt_rec_proc_snapshot(struct wt_buf *b, const char *when, uint64_t ts_ns);

/* Parent pid of process @pid (a /proc directory name) from its stat file;
 * -1 when it is gone or unreadable. */
pid_t wt_rec_proc_ppid(const char *pid);

#endif
