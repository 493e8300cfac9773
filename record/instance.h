/*
 * instance.h - the recorder's own tracefs instance `wtrec-<pid>`: checking
 * that tracefs is usable, creating and configuring ours, and removing it.
 * The instances recorders that died left behind are swept by stale.h.
 *
 * The instance is the only tracefs state wtrec changes: never the top-level
 * instance, the function tracer, ftrace_enabled or set_ftrace_filter.
 * Functions return 0 or -1 with a message in the struct wt_diag.
 */
#ifndef WT_REC_INSTANCE_H
#define WT_REC_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

struct tracefs_instance;
struct wt_tfs_ops;

#define WT_REC_INSTANCE_PREFIX "wtrec-"

/*
 * buffer_percent of our instance: a reader blocked in poll() wakes when the
 * ring buffer is this full.  Low, so that a burst is drained long before the
 * buffer overruns; readers also wake on a timeout, see cpu_reader.c.
 */
#define WT_REC_BUFFER_PERCENT 10

struct wt_rec_instance {
	struct tracefs_instance *ti;   /* NULL until created (real ops only) */
	char name[32];
	int subbuf_size;   /* bytes per sub-buffer of this instance */
	/* every change to tracefs goes through these (tfs_ops.h): the real
	 * ones, or the dry run's that print them */
	const struct wt_tfs_ops *ops;
	bool created;      /* mkdir done: ours to clean up and remove */
};

/*
 * Check we are root and tracefs is there, mounting it if needed (a note
 * says so).  Status 2 when recording is impossible here.
 */
int wt_rec_tracefs_check(bool quiet, struct wt_diag *d);

/*
 * Create and configure wtrec-<getpid()> with tracing off: trace clock
 * "boot", @buffer_kb per CPU, buffer_percent.  Returns NULL with @d set;
 * nothing is left behind then.  Release with wt_rec_instance_destroy().
 * Every tracefs change goes through @ops: wt_tfs_real, or wt_tfs_dry for
 * --dry-run.
 */
struct wt_rec_instance *wt_rec_instance_create(const struct wt_tfs_ops *ops,
						   unsigned long buffer_kb,
						   struct wt_diag *d);

/* Let the kernel add the children of traced pids to set_event_pid
 * (option event-fork).  Once, before the first add_pids.  0 or -1. */
int wt_rec_instance_follow_forks(struct wt_rec_instance *in, struct wt_diag *d);

/* Restrict events to @pids (appended to set_event_pid).  0 or -1 with @d
 * set. */
int wt_rec_instance_add_pids(struct wt_rec_instance *in, const pid_t *pids,
			     size_t n, struct wt_diag *d);

int wt_rec_instance_trace_on(struct wt_rec_instance *in, struct wt_diag *d);

/* Switch tracing off; safe to call more than once.  0 or -1. */
int wt_rec_instance_trace_off(struct wt_rec_instance *in);

/*
 * Read a file of the instance ("per_cpu/cpu0/stats") into a malloc'd,
 * NUL-terminated string the caller frees; NULL on failure.
 */
char *wt_rec_instance_read(struct wt_rec_instance *in, const char *file,
			   size_t *len);

/*
 * Disable all events, clear set_event_pid, remove the instance directory
 * and free @in.  Every per-CPU file must be closed before (rmdir fails with
 * EBUSY otherwise, and a splice into a pipe would oops the kernel).
 * Accepts NULL.  Returns 0, or -1 when the directory could not be removed
 * (a warning names it).
 */
int wt_rec_instance_destroy(struct wt_rec_instance *in);

#endif
