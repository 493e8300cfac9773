/*
 * kprobe_backend.h - the kprobe backend of `wtrec record`: choosing it,
 * creating its probes and removing them on every exit path (the probe
 * groups killed recorders left behind are swept by stale.h).
 *
 * Kprobe definitions are global (one kprobe_events for the whole kernel),
 * unlike the events we enable, which live in our own instance.  So the
 * probes are created in a group named after the run, wtrec_<pid>, enabled
 * only in our instance (like any event, events.c), and deleted after our
 * instance stops using them:
 *
 *   create probes -> enable in instance -> ... -> disable in instance ->
 *   close every per-CPU file -> remove instance -> delete probes
 *
 * A probe still enabled somewhere cannot be deleted (EBUSY); deletion
 * forces it off in every instance first and retries a while on EBUSY.
 *
 * Test hooks (environment; documented in README.md), so tests can point
 * the backend at fake kernels without kprobes:
 *   WTREC_KALLSYMS        symbol table to plan from (default /proc/kallsyms)
 *   WTREC_TRACEFS_README  tracefs README to read probe features from
 *                         (default <tracefs>/README)
 *   WTREC_KPROBE_EVENTS   the file whose existence means "this kernel has
 *                         kprobe events" (default <tracefs>/kprobe_events)
 *   WTREC_ARCH            uname machine to plan for (default: this one's)
 *
 * Functions return 0 / -1 with the message in a struct wt_diag.
 */
#ifndef WT_KPROBE_BACKEND_H
#define WT_KPROBE_BACKEND_H

#include <stdbool.h>

#include "diag.h"
#include "events.h"
#include "kprobe_plan.h"
#include "options.h"

struct wt_tfs_ops;

#define WT_KP_GROUP_PREFIX "wtrec_"

/* The probes of one run.  Zeroed = none; owned by the session. */
struct wt_kp_probes {
	char group[32];                        /* wtrec_<pid> */
	struct wt_kp_plan plan;
	char lines[WT_KP_MAX][WT_KP_LINE_MAX]; /* kprobe_events definitions */
	struct wt_rec_event_def defs[WT_KP_MAX]; /* the probes as events */
	bool kprobe_events;                    /* the kernel has kprobe events */
	char paths[2][512];                    /* kallsyms, README used */
	const struct wt_tfs_ops *ops;          /* set by create */
	void *handle[WT_KP_MAX];               /* created ones, for deletion */
	int ncreated;
};

/*
 * Decide the backend for @want (the --backend option), with tracefs at
 * @tracing_dir.  Returns WT_BACKEND_KPROBE (then @kp holds the plan, the
 * definitions and the event rows) or WT_BACKEND_TRACEPOINT; -1 with @d
 * set (status 2) when kprobe was asked for and cannot be had.  auto says
 * which it picked and why (a note unless @quiet).  @dry_run: kprobe may be
 * chosen without kprobe_events, to show what a kprobe kernel would get
 * (kp->kprobe_events says whether this one has them).
 */
int wt_kp_choose(enum wt_backend want, const char *tracing_dir, bool dry_run,
		 bool quiet, struct wt_kp_probes *kp, struct wt_diag *d);

/*
 * What a recording with @backend (and, for kprobe, the plan in @kp) holds
 * of the wait calls' buffers, and why: META wait_memory.  "read: ..." or
 * "pointers only: REASON".  Static string.
 */
const char *wt_kp_wait_memory(int backend, const struct wt_kp_probes *kp);

/*
 * Create every probe of @kp through @ops.  A leftover of the same name
 * (EEXIST: a dead run with our pid) is reused when its definition is ours
 * and replaced otherwise.  On failure the probes created so far stay in
 * @kp for wt_kp_probes_destroy().  0, or -1 with @d set.
 */
int wt_kp_probes_create(struct wt_kp_probes *kp, const struct wt_tfs_ops *ops,
			struct wt_diag *d);

/*
 * Delete the probes created, last first; warns about any that stays.  Call
 * after they are disabled in our instance and every per-CPU file is
 * closed.  Safe on a zeroed or already destroyed @kp.
 */
void wt_kp_probes_destroy(struct wt_kp_probes *kp);

/*
 * Delete probe @p of @group (@handle: its libtracefs object, or NULL)
 * through @ops, forcing it off in every instance and retrying a while on
 * EBUSY.  0, or -1 with errno.  Also used by the sweep (stale.c).
 */
int wt_kp_probe_delete(const struct wt_tfs_ops *ops, const struct wt_kp_probe *p,
		       const char *group, void *handle);

#endif /* WT_KPROBE_BACKEND_H */
