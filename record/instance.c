/*
 * instance.c - our tracefs instance `wtrec-<pid>` and the sweep of those
 * left behind (see instance.h).
 *
 * tracefs state outlives the process: a recorder killed with SIGKILL leaves
 * its instance (and its ring buffers, several MB per CPU) behind.  The next
 * recorder removes it, but only when the owner pid is gone *and* no process
 * holds one of its files open: removing an instance whose files are open
 * fails with EBUSY at best, and is what the kernel hazard list warns about.
 *
 * Every change to the instance goes through in->ops (tfs_ops.h), so that
 * `--dry-run` prints exactly this sequence instead of doing it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "instance.h"
#include "kprobe_backend.h"
#include "tfs_ops.h"

/* Is a tracefs mounted anywhere?  (Not tracefs_tracing_dir_is_mounted():
 * libtracefs 1.6.4 leaks the path it finds.) */
static bool tracefs_mounted(void)
{
	char line[1024], type[64];
	bool found = false;
	FILE *f = fopen("/proc/mounts", "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %63s", type) == 1 && !strcmp(type, "tracefs");
	fclose(f);
	return found;
}

int wt_rec_tracefs_check(bool quiet, struct wt_diag *d)
{
	bool mounted = tracefs_mounted();
	char path[PATH_MAX];
	const char *dir;
	struct stat st;

	if (geteuid() != 0) {
		wt_diag_set(d, 2, "record needs root (tracefs is root-only); run it as root");
		return -1;
	}
	/* mounts tracefs at /sys/kernel/tracing when none is mounted */
	dir = tracefs_tracing_dir();
	if (!dir) {
		wt_diag_set(d, 2, "tracefs is not mounted and mounting it at "
			    "/sys/kernel/tracing failed (CONFIG_TRACING?)");
		return -1;
	}
	if (!mounted)
		wt_note(quiet, "mounted tracefs at %s", dir);
	snprintf(path, sizeof(path), "%s/instances", dir);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		wt_diag_set(d, 2, "%s is missing: this kernel's tracefs has no instances", path);
		return -1;
	}
	return 0;
}

pid_t wt_rec_stale_owner(const char *name, const char *prefix)
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
	int n;
};

static int collect(const char *name, void *ctx)
{
	struct sweep *s = ctx;
	char **names;

	if (!wt_rec_stale_owner(name, WT_REC_INSTANCE_PREFIX))
		return 0;
	names = realloc(s->names, (s->n + 1) * sizeof(*names));
	if (!names)
		return 0;
	s->names = names;
	s->names[s->n] = strdup(name);
	if (s->names[s->n])
		s->n++;
	return 0;
}

/*
 * The one sweep of what dead runs left: every recording's setup and
 * `wtrec record --cleanup` both call it, so whatever else a killed run can
 * leave behind (kprobe groups wtrec_<pid>) belongs in here too.
 */
int wt_rec_instance_sweep(bool quiet)
{
	struct sweep s = { NULL, 0 };
	int removed = 0;
	pid_t holder;

	/* collect first: removing entries while walking the directory skips some */
	tracefs_instances_walk(collect, &s);
	for (int i = 0; i < s.n; i++) {
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
	/* after the instances: a probe enabled in a stale instance is
	 * disabled with it (and force-disabled by the probe sweep anyway) */
	return removed + wt_kp_sweep(quiet);
}

static int read_subbuf_size(struct wt_rec_instance *in)
{
	long long kb;

	/* buffer_subbuf_size_kb exists since Linux 6.8; before, a page.
	 * (No handle in a dry run: never read the top level's.) */
	if (in->ti && tracefs_file_exists(in->ti, "buffer_subbuf_size_kb") &&
	    tracefs_instance_file_read_number(in->ti, "buffer_subbuf_size_kb", &kb) == 0 &&
	    kb > 0 && kb <= 1024)
		return (int)kb * 1024;
	return (int)sysconf(_SC_PAGESIZE);
}

static int configure(struct wt_rec_instance *in, unsigned long buffer_kb,
		     struct wt_diag *d)
{
	const struct wt_tfs_ops *ops = in->ops;
	char pct[16], kb[24];

	if (ops->write(in, "tracing_on", "0") < 0) {
		wt_diag_errno(d, 1, "%s: cannot switch tracing off", in->name);
		return -1;
	}
	/* "boot" counts suspend too and matches /proc starttime and CLOCK_BOOTTIME */
	if (ops->write(in, "trace_clock", "boot") < 0) {
		wt_diag_errno(d, 2, "%s: cannot set trace_clock to boot", in->name);
		return -1;
	}
	snprintf(kb, sizeof(kb), "%lu", buffer_kb);
	if (ops->write(in, "buffer_size_kb", kb) < 0) {
		wt_diag_errno(d, 1, "%s: cannot allocate a %lu KiB ring buffer per CPU",
			      in->name, buffer_kb);
		return -1;
	}
	snprintf(pct, sizeof(pct), "%d", WT_REC_BUFFER_PERCENT);
	if (ops->file_exists(in, "buffer_percent") &&
	    ops->write(in, "buffer_percent", pct) < 0)
		wt_warn("%s: cannot set buffer_percent: %s", in->name, strerror(errno));
	in->subbuf_size = read_subbuf_size(in);
	return 0;
}

struct wt_rec_instance *wt_rec_instance_create_ops(const struct wt_tfs_ops *ops,
						   unsigned long buffer_kb,
						   struct wt_diag *d)
{
	struct wt_rec_instance *in = calloc(1, sizeof(*in));

	if (!in) {
		wt_diag_errno(d, 1, "instance");
		return NULL;
	}
	in->ops = ops;
	snprintf(in->name, sizeof(in->name), WT_REC_INSTANCE_PREFIX "%d",
		 (int)getpid());
	if (!ops->dry && tracefs_instance_exists(in->name)) {
		wt_diag_set(d, 1, "tracefs instance %s already exists and could not be removed",
			    in->name);
		goto fail;
	}
	if (ops->mkdir(in) < 0) {
		/* EEXIST: created by someone else between the check and
		 * mkdir: not ours */
		if (errno == EEXIST)
			wt_diag_set(d, 1, "tracefs instance %s appeared under us", in->name);
		else
			wt_diag_errno(d, 1, "cannot create tracefs instance %s", in->name);
		goto fail;
	}
	in->created = true;
	if (configure(in, buffer_kb, d) < 0)
		goto fail;
	return in;
fail:
	wt_rec_instance_destroy(in);
	return NULL;
}

static int append_pids(struct wt_rec_instance *in, const char *list,
		       struct wt_diag *d)
{
	if (in->ops->append(in, "set_event_pid", list) < 0) {
		wt_diag_errno(d, 1, "%s: cannot write set_event_pid", in->name);
		return -1;
	}
	return 0;
}

int wt_rec_instance_follow_forks(struct wt_rec_instance *in, struct wt_diag *d)
{
	if (in->ops->write(in, "options/event-fork", "1") < 0) {
		wt_diag_errno(d, 2, "%s: cannot enable option event-fork", in->name);
		return -1;
	}
	return 0;
}

int wt_rec_instance_add_pids(struct wt_rec_instance *in, const pid_t *pids,
			     size_t n, struct wt_diag *d)
{
	char list[1024];
	size_t len = 0;

	/* several writes of at most ~1 KiB: the kernel parses each on its own */
	for (size_t i = 0; i < n; i++) {
		if (len > sizeof(list) - 16) {
			if (append_pids(in, list, d) < 0)
				return -1;
			len = 0;
		}
		len += snprintf(list + len, sizeof(list) - len, "%d ", (int)pids[i]);
	}
	if (len && append_pids(in, list, d) < 0)
		return -1;
	return 0;
}

int wt_rec_instance_trace_on(struct wt_rec_instance *in, struct wt_diag *d)
{
	if (in->ops->write(in, "tracing_on", "1") < 0) {
		wt_diag_errno(d, 1, "%s: cannot switch tracing on", in->name);
		return -1;
	}
	return 0;
}

int wt_rec_instance_trace_off(struct wt_rec_instance *in)
{
	return in && in->created ? in->ops->write(in, "tracing_on", "0") : 0;
}

char *wt_rec_instance_read(struct wt_rec_instance *in, const char *file,
			   size_t *len)
{
	int size = 0;
	char *text;

	if (!in->ti) { /* libtracefs would read the top level's file */
		errno = EINVAL;
		return NULL;
	}
	text = tracefs_instance_file_read(in->ti, file, &size);

	if (text && len)
		*len = size;
	return text;
}

/* rmdir can race with the kernel dropping the last reference of a reader */
static int remove_dir(struct wt_rec_instance *in)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	for (int tries = 0; tries < 20; tries++) {
		if (in->ops->rmdir(in) == 0)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&pause, NULL);
	}
	wt_warn("could not remove tracefs instance %s: %s (the next `wtrec record` removes it)",
		in->name, strerror(errno));
	return -1;
}

/*
 * Teardown.  rmdir alone would do all of it (the kernel disables the
 * events and frees the pid filter of an instance it removes), but measured
 * on this kernel (6.18, 10 rounds, an instance like a recording's: 13
 * events, filters, event-fork, a pid) it is slower that way: rmdir alone
 * 128 ms; events/enable 0, then clearing set_event_pid, then rmdir 89 ms
 * (44 + 45); clearing the pids before disabling the events 129 ms.  Each
 * of the last two writes waits for a tracepoint grace period
 * (tracepoint_synchronize_unregister) that nothing in user space can
 * shorten.  Disabling each event on its own first cost another 11-14 ms.
 */
int wt_rec_instance_destroy(struct wt_rec_instance *in)
{
	int ret = 0;

	if (!in)
		return 0;
	if (in->created) {
		in->ops->write(in, "tracing_on", "0");
		in->ops->write(in, "events/enable", "0");
		in->ops->write(in, "set_event_pid", "");
		ret = remove_dir(in);
	}
	tracefs_instance_free(in->ti);
	free(in);
	return ret;
}
