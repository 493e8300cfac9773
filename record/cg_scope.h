/*
 * cg_scope.h - `wtrec record --cgroup PATH` and `--container ID`: the
 * cgroup a recording is scoped to, and the processes in it.
 *
 * The scope is enforced in the kernel the way -p is: the pids found in the
 * cgroup (cgroup.procs of it and of every cgroup below) and all their
 * threads and descendants go into set_event_pid, and event-fork follows
 * their forks.  A process that enters the cgroup later (moved in by
 * `docker exec`, `kubectl exec`, `nsenter` wrappers; created in it with
 * clone3(CLONE_INTO_CGROUP)) is not a descendant: the session reads
 * cgroup.procs again every 100 ms (wt_cg_scope_members()) and adds what
 * set_event_pid lacks; what such a process did before that is not
 * recorded.
 */
#ifndef WT_REC_CG_SCOPE_H
#define WT_REC_CG_SCOPE_H

#include <limits.h>
#include <stdbool.h>

#include "cg_fs.h"
#include "container_id.h"
#include "diag.h"

struct wt_pidset;

struct wt_cg_scope {
	int ndirs;                         /* 1 or 2 (v2 and v1 pids) */
	char dir[WT_CG_NHIER][PATH_MAX];   /* the cgroup's directories */
	enum wt_cg_hier hier[WT_CG_NHIER];
	char path[WT_CG_NHIER][PATH_MAX];  /* as /proc/PID/cgroup says it */
	char label[2 * PATH_MAX + 16];     /* "pids:/wtrec-cg-1,v2:/..." */
	struct wt_container container;     /* --container: what matched */
};

/*
 * Resolve --cgroup @cgroup (a directory under a cgroup mount, or a cgroup
 * path looked up in the v2 and the pids hierarchy) or --container @id (a
 * cgroup whose path names that container, searched in both hierarchies;
 * a unique id prefix of 4 or more hex digits will do).  @fs: the mounts.
 * 0, or -1 with @d set (status 2: none found, or several containers
 * match).
 */
int wt_cg_scope_resolve(struct wt_cg_scope *sc, const struct wt_cgfs *fs,
			const char *cgroup, const char *id, struct wt_diag *d);

/* Add the pids now in the scope's cgroups to @out (skipping those in
 * it): how many, or -1 with errno ENOMEM. */
int wt_cg_scope_members(const struct wt_cg_scope *sc, struct wt_pidset *out);

#endif
