/*
 * cg_limits.h - the CGROUP chunk (docs/FORMAT.md): pids.current, pids.max,
 * pids.peak and pids.events of the cgroups a recording's processes are in,
 * and of their ancestors (a limit may be set higher up: a pod's cgroup
 * above its containers'), read at start and at stop.
 *
 * Which cgroups: every one named in the /proc snapshot taken at the same
 * moment (its cgroup2 and cgroup_pids columns), every one of an earlier
 * call (a cgroup whose processes are gone by the stop still gets its stop
 * reading), and those added with wt_cg_limits_add() (the --cgroup scope).
 */
#ifndef WT_REC_CG_LIMITS_H
#define WT_REC_CG_LIMITS_H

#include <stdint.h>

#include "cg_fs.h"
#include "wtfile.h"

struct wt_cg_limits;

/* Probes the mounts (cg_fs.h).  NULL on ENOMEM.  Free with
 * wt_cg_limits_free(). */
struct wt_cg_limits *wt_cg_limits_new(void);

/* The mounts found (owned by @l). */
const struct wt_cgfs *wt_cg_limits_fs(const struct wt_cg_limits *l);

/* Always read cgroup @path of @h.  0 or -1 (ENOMEM). */
int wt_cg_limits_add(struct wt_cg_limits *l, enum wt_cg_hier h,
		     const char *path);

/*
 * Append the chunk's text for @when ("start"/"stop") at trace-clock @ts to
 * @out: the header, then one line per cgroup (sorted).  @snap is the PROC
 * chunk text of the same moment (its paths are added to @l).  0, or -1
 * with errno ENOMEM.  Unreadable files are "-", never an error.
 */
int wt_cg_limits_text(struct wt_cg_limits *l, const struct wt_buf *snap,
		      const char *when, uint64_t ts, struct wt_buf *out);

void wt_cg_limits_free(struct wt_cg_limits *l);

#endif
