/*
 * stale.c - the sweep of what killed recorders left behind (see stale.h):
 * their tracefs instances wtrec-<N> and their kprobe groups wtrec_<N>.
 *
 * tracefs state outlives the process: a recorder killed with SIGKILL leaves
 * its instance (and its ring buffers, several MB per CPU) and its probe
 * definitions behind.  The next recorder removes them, but only when the
 * owner pid is gone *and*, for an instance, no process holds one of its
 * files open: removing an instance whose files are open fails with EBUSY
 * at best, and is what the kernel hazard list warns about.  Instances go
 * first: a probe enabled in a stale instance is disabled with it (and the
 * probe deletion forces it off anyway).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tracefs.h>

#include "array.h"
#include "diag.h"
#include "instance.h"
#include "kprobe_backend.h"
#include "stale.h"
#include "tfs_ops.h"

/*
 * N of "<@prefix>N" (wtrec-N, wtrec_N) when recorder N is gone or is this
 * process (a leftover of an earlier run with our pid); 0 when @name is not
 * of that form or its recorder is alive.
 */
static pid_t stale_owner(const char *name, const char *prefix)
{
	const char *p = name + strlen(prefix);
	char *end;
	long v;

	if (strncmp(name, prefix, strlen(prefix)) || *p < '1' || *p > '9')
		return 0;
	errno = 0;
	v = strtol(p, &end, 10);
	if (*end || errno || v <= 0 || v > INT_MAX)
		return 0;
	/* our own pid cannot belong to a live recorder: it is a leftover */
	if (v != getpid() && (kill((pid_t)v, 0) == 0 || errno != ESRCH))
		return 0;
	return (pid_t)v;
}

/* Does process @pid hold an open file under @dir ("/.../instances/X/")? */
static bool holds_file_under(const char *pid, const char *dir, size_t dirlen)
{
	char fddir[300], link[PATH_MAX + 300], target[PATH_MAX];
	struct dirent *e;
	bool found = false;
	DIR *fds;
	ssize_t n;

	snprintf(fddir, sizeof(fddir), "/proc/%s/fd", pid);
	fds = opendir(fddir);
	if (!fds)
		return false;
	while (!found && (e = readdir(fds))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", fddir, e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = !strncmp(target, dir, dirlen);
	}
	closedir(fds);
	return found;
}

/* A pid holding a file of instance @name open, or 0. */
static pid_t instance_holder(const char *name)
{
	char dir[PATH_MAX];
	struct dirent *e;
	pid_t holder = 0;
	size_t len;
	DIR *proc;

	len = snprintf(dir, sizeof(dir), "%s/instances/%s/",
		       tracefs_tracing_dir(), name);
	proc = opendir("/proc");
	if (!proc)
		return 0;
	while (!holder && (e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (holds_file_under(e->d_name, dir, len))
			holder = atoi(e->d_name);
	}
	closedir(proc);
	return holder;
}

static int remove_by_name(const char *name)
{
	struct tracefs_instance *ti = tracefs_instance_alloc(NULL, name);
	int ret;

	if (!ti)
		return -1;
	ret = tracefs_instance_destroy(ti);
	tracefs_instance_free(ti);
	return ret;
}

struct sweep {
	char **names;
	size_t n, cap;
};

static int collect(const char *name, void *ctx)
{
	struct sweep *s = ctx;

	if (!stale_owner(name, WT_REC_INSTANCE_PREFIX) ||
	    wt_array_reserve(&s->names, &s->cap, s->n + 1,
			     sizeof(*s->names)) < 0)
		return 0;
	s->names[s->n] = strdup(name);
	if (s->names[s->n])
		s->n++;
	return 0;
}

int wt_rec_stale_instances(bool quiet)
{
	struct sweep s = { NULL, 0, 0 };
	int removed = 0;
	pid_t holder;

	/* collect first: removing entries while walking the directory skips some */
	tracefs_instances_walk(collect, &s);
	for (size_t i = 0; i < s.n; i++) {
		holder = instance_holder(s.names[i]);
		if (holder)
			wt_warn("leaving stale instance %s: process %d still has its files open",
				s.names[i], (int)holder);
		else if (remove_by_name(s.names[i]) == 0) {
			wt_note(quiet, "removed stale instance %s (its recorder is gone)",
				s.names[i]);
			removed++;
		} else if (errno != ENOENT) /* ENOENT: another recorder was first */
			wt_warn("could not remove stale instance %s: %s",
				s.names[i], strerror(errno));
		free(s.names[i]);
	}
	free(s.names);
	return removed;
}


/* Note @group once per sweep; false when the list is full. */
static bool first_time(char seen[][64], int *n, int max, const char *group)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(seen[i], group))
			return false;
	if (*n < max)
		snprintf(seen[(*n)++], 64, "%s", group);
	return true;
}

int wt_rec_stale_probes(bool quiet)
{
	struct tracefs_dynevent **all;
	char seen[16][64];
	int groups = 0;

	/* NULL when the kernel has no kprobe events or none are defined */
	all = tracefs_dynevent_get_all(TRACEFS_DYNEVENT_KPROBE |
				       TRACEFS_DYNEVENT_KRETPROBE, NULL);
	for (int i = 0; all && all[i]; i++) {
		char *sys = NULL, *ev = NULL;
		struct wt_kp_probe p = { 0 };

		tracefs_dynevent_info(all[i], &sys, &ev, NULL, NULL, NULL);
		if (sys && ev && stale_owner(sys, WT_KP_GROUP_PREFIX)) {
			snprintf(p.event, sizeof(p.event), "%s", ev);
			if (wt_kp_probe_delete(&wt_tfs_real, &p, sys, all[i]) < 0)
				wt_warn("could not remove stale kprobe %s/%s: %s",
					sys, ev, strerror(errno));
			else if (first_time(seen, &groups, 16, sys))
				wt_note(quiet, "removed stale kprobe group %s (its "
					"recorder is gone)", sys);
		}
		free(sys);
		free(ev);
	}
	tracefs_dynevent_list_free(all);
	return groups;
}

int wt_rec_stale_sweep(bool quiet)
{
	int removed = wt_rec_stale_instances(quiet);

	return removed + wt_rec_stale_probes(quiet);
}
