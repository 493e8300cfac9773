/*
 * instance.c - our tracefs instance `wtrec-<pid>` (see instance.h).
 *
 * Every change to the instance goes through in->ops (tfs_ops.h), so that
 * `--dry-run` prints exactly this sequence instead of doing it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "instance.h"
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

/* Write @value to @file of @in (append it when @append); on failure @d
 * gets "NAME: cannot @what: strerror" and @status.  0 or -1. */
static int set(struct wt_rec_instance *in, const char *file, const char *value,
	       bool append, int status, const char *what, struct wt_diag *d)
{
	if ((append ? in->ops->append : in->ops->write)(in, file, value) < 0) {
		wt_diag_errno(d, status, "%s: cannot %s", in->name, what);
		return -1;
	}
	return 0;
}

static int configure(struct wt_rec_instance *in, unsigned long buffer_kb,
		     struct wt_diag *d)
{
	const struct wt_tfs_ops *ops = in->ops;
	char pct[16], kb[24], what[80];

	snprintf(kb, sizeof(kb), "%lu", buffer_kb);
	snprintf(what, sizeof(what), "allocate a %lu KiB ring buffer per CPU",
		 buffer_kb);
	/* "boot" counts suspend too and matches /proc starttime and CLOCK_BOOTTIME */
	if (set(in, "tracing_on", "0", false, 1, "switch tracing off", d) < 0 ||
	    set(in, "trace_clock", "boot", false, 2, "set trace_clock to boot",
		d) < 0 ||
	    set(in, "buffer_size_kb", kb, false, 1, what, d) < 0)
		return -1;
	snprintf(pct, sizeof(pct), "%d", WT_REC_BUFFER_PERCENT);
	if (ops->file_exists(in, "buffer_percent") &&
	    ops->write(in, "buffer_percent", pct) < 0)
		wt_warn("%s: cannot set buffer_percent: %s", in->name, strerror(errno));
	in->subbuf_size = read_subbuf_size(in);
	return 0;
}

struct wt_rec_instance *wt_rec_instance_create(const struct wt_tfs_ops *ops,
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
	return set(in, "set_event_pid", list, true, 1, "write set_event_pid", d);
}

int wt_rec_instance_follow_forks(struct wt_rec_instance *in, struct wt_diag *d)
{
	return set(in, "options/event-fork", "1", false, 2,
		   "enable option event-fork", d);
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
	return set(in, "tracing_on", "1", false, 1, "switch tracing on", d);
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
