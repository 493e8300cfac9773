/*
 * cg_fs.h - the host's cgroup file systems as the recorder needs them:
 * where cgroup v2 and the v1 pids hierarchy are mounted, the pids
 * hierarchy's id (what cgroup:cgroup_attach_task calls dst_root), the
 * directory of a cgroup path, its pids.* files and its processes.
 *
 * Paths named "cgroup paths" are as /proc/PID/cgroup shows them
 * ("/docker/<id>"), relative to the hierarchy's root; "directories" are
 * file system paths ("/sys/fs/cgroup/pids/docker/<id>").
 */
#ifndef WT_REC_CG_FS_H
#define WT_REC_CG_FS_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct wt_pidset;

enum wt_cg_hier { WT_CG_V2, WT_CG_PIDS, WT_CG_NHIER };

struct wt_cgfs {
	/* mount point and mount root (mountinfo field 4, "/" unless the
	 * mount shows a subtree) per hierarchy; "" when not mounted */
	char mnt[WT_CG_NHIER][PATH_MAX];
	char root[WT_CG_NHIER][PATH_MAX];
	int pids_id;  /* the pids hierarchy's id, -1 unknown */
};

/* "v2" / "pids" */
const char *wt_cg_hier_name(enum wt_cg_hier h);

/*
 * Find the mounts (/proc/self/mountinfo, or the file $WTREC_MOUNTINFO
 * names, for tests) and the pids hierarchy's id (/proc/self/cgroup).
 * Never fails: what is not found stays empty.
 */
void wt_cgfs_probe(struct wt_cgfs *fs);

/* The directory of cgroup path @path in hierarchy @h into @dir (@n bytes);
 * false when @h is not mounted or @path lies outside the mount. */
bool wt_cgfs_dir(const struct wt_cgfs *fs, enum wt_cg_hier h,
		 const char *path, char *dir, size_t n);

/* The pids.* files of directory @dir.  -1 where a file is missing or
 * unreadable; max -2 for "max" (no limit). */
struct wt_pids_files {
	int64_t current, max, peak, events_max;
};
void wt_cgfs_read_pids(const char *dir, struct wt_pids_files *p);

/*
 * Add the pids of cgroup.procs of @dir and of every cgroup below it to
 * @out (skipping those already in it).  Returns how many were added, or
 * -1 with errno (ENOMEM; an unreadable directory is skipped).  Depth is
 * bounded (32 levels below @dir).
 */
int wt_cgfs_procs(const char *dir, struct wt_pidset *out);

#endif
