/*
 * tfs_real.c - the tracefs operations that really happen (see tfs_ops.h),
 * with libtracefs.
 *
 * Every instance operation first checks that the instance has its own
 * tracefs handle: libtracefs reads a NULL instance as the top-level one,
 * the global buffer other users rely on, which wtrec never changes.
 *
 * Kprobes: libtracefs 1.6.4's tracefs_kretprobe_alloc() with a maxactive
 * stores the prefix as "r1024:" and tracefs_dynevent_create() then adds
 * its own ':', writing "r1024::group/event ...", which the kernel refuses
 * (bad group name).  So each probe is allocated with libtracefs (its
 * handle is what deletes it) and created with tracefs_dynevent_create()
 * only when the library spells it exactly like the plan; otherwise the
 * plan's line is appended to kprobe_events directly.  (libtracefs may
 * write kprobes to dynamic_events instead: the kernel takes both.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tracefs.h>

#include "instance.h"
#include "kprobe_plan.h"
#include "tfs_ops.h"

/* The instance's own handle, or NULL with errno EINVAL. */
static struct tracefs_instance *own(struct wt_rec_instance *in)
{
	if (!in || !in->ti) {
		errno = EINVAL;
		return NULL;
	}
	return in->ti;
}

static int real_mkdir(struct wt_rec_instance *in)
{
	struct tracefs_instance *ti = tracefs_instance_create(in->name);

	if (!ti)
		return -1;
	if (!tracefs_instance_is_new(ti)) {
		/* there before us: not ours to configure or remove */
		tracefs_instance_free(ti);
		errno = EEXIST;
		return -1;
	}
	in->ti = ti;
	return 0;
}

static int real_rmdir(struct wt_rec_instance *in)
{
	struct tracefs_instance *ti = own(in);

	return ti ? tracefs_instance_destroy(ti) : -1;
}

static int real_write(struct wt_rec_instance *in, const char *file,
		      const char *val)
{
	struct tracefs_instance *ti = own(in);

	return ti && tracefs_instance_file_write(ti, file, val) >= 0 ? 0 : -1;
}

static int real_append(struct wt_rec_instance *in, const char *file,
		       const char *val)
{
	struct tracefs_instance *ti = own(in);

	return ti && tracefs_instance_file_append(ti, file, val) >= 0 ? 0 : -1;
}

static int real_event_write(struct wt_rec_instance *in, const char *system,
			    const char *event, const char *file, const char *val)
{
	struct tracefs_instance *ti = own(in);

	return ti && tracefs_event_file_write(ti, system, event, file, val) >= 0
	       ? 0 : -1;
}

/*
 * Write the event's own enable file rather than calling
 * tracefs_event_enable(): that one matches anchored regexes against every
 * system and event directory (~15,000 stat calls on this kernel, a
 * measurable part of a short recording's setup), and our names are exact.
 */
static int real_event_enable(struct wt_rec_instance *in, const char *system,
			     const char *event)
{
	return real_event_write(in, system, event, "enable", "1");
}

static int real_event_disable(struct wt_rec_instance *in, const char *system,
			      const char *event)
{
	return real_event_write(in, system, event, "enable", "0");
}

static bool real_file_exists(struct wt_rec_instance *in, const char *file)
{
	struct tracefs_instance *ti = own(in);

	return ti && tracefs_file_exists(ti, file);
}

static bool real_event_exists(struct wt_rec_instance *in, const char *system,
			      const char *event)
{
	struct tracefs_instance *ti = own(in);

	return ti && tracefs_event_file_exists(ti, system, event, "enable");
}

static char *real_event_format(struct wt_rec_instance *in, const char *system,
			       const char *event, int *len)
{
	struct tracefs_instance *ti = own(in);

	return ti ? tracefs_event_file_read(ti, system, event, "format", len)
		  : NULL;
}

/* Does libtracefs write @d exactly as @line?  (tracefs_dynevent_create()
 * writes PREFIX[:]GROUP/EVENT ADDR FORMAT.) */
static bool spelled_as(struct tracefs_dynevent *d, const char *line)
{
	char *sys = NULL, *ev = NULL, *prefix = NULL, *addr = NULL, *fmt = NULL;
	char buf[WT_KP_LINE_MAX + 64];
	bool same = false;

	if (tracefs_dynevent_info(d, &sys, &ev, &prefix, &addr, &fmt) !=
	    TRACEFS_DYNEVENT_UNKNOWN && prefix && sys && ev) {
		snprintf(buf, sizeof(buf), "%s%s%s/%s %s %s", prefix,
			 *prefix ? ":" : "", sys, ev, addr ? addr : "",
			 fmt ? fmt : "");
		same = !strcmp(buf, line);
	}
	free(sys);
	free(ev);
	free(prefix);
	free(addr);
	free(fmt);
	return same;
}

static int real_probe_create(const struct wt_kp_probe *p, const char *group,
			     const char *line, void **handle)
{
	struct tracefs_dynevent *d;
	int ret, err;

	*handle = NULL;
	d = p->is_return ? tracefs_kretprobe_alloc(group, p->event, p->symbol,
						   p->args, WT_KP_MAXACTIVE)
			 : tracefs_kprobe_alloc(group, p->event, p->symbol, p->args);
	if (!d)
		return -1;
	if (spelled_as(d, line))
		ret = tracefs_dynevent_create(d);
	else
		ret = tracefs_instance_file_append(NULL, "kprobe_events", line) < 0
		      ? -1 : 0;
	if (ret < 0) {
		err = errno;
		tracefs_dynevent_free(d);
		errno = err;
		return -1;
	}
	*handle = d;
	return 0;
}

/* force: disable the event in every instance first (EBUSY otherwise) */
static int real_probe_destroy(const struct wt_kp_probe *p, const char *group,
			      void *handle)
{
	(void)p;
	(void)group;
	if (!handle) {
		errno = EINVAL;
		return -1;
	}
	return tracefs_dynevent_destroy(handle, true);
}

static void real_probe_free(void *handle)
{
	tracefs_dynevent_free(handle);
}

static int real_probe_lookup(const char *group, const char *event, char *line,
			     size_t len, void **handle)
{
	struct tracefs_dynevent *d;
	char *sys = NULL, *ev = NULL, *prefix = NULL, *addr = NULL, *fmt = NULL;

	*handle = NULL;
	d = tracefs_dynevent_get(TRACEFS_DYNEVENT_KPROBE, group, event);
	if (!d)
		d = tracefs_dynevent_get(TRACEFS_DYNEVENT_KRETPROBE, group, event);
	if (!d) {
		errno = ENOENT;
		return -1;
	}
	/* parsed from the listing: the prefix has no ':' ("r1024") */
	tracefs_dynevent_info(d, &sys, &ev, &prefix, &addr, &fmt);
	snprintf(line, len, "%s:%s/%s %s %s", prefix ? prefix : "?",
		 sys ? sys : group, ev ? ev : event, addr ? addr : "",
		 fmt ? fmt : "");
	free(sys);
	free(ev);
	free(prefix);
	free(addr);
	free(fmt);
	*handle = d;
	return 0;
}

const struct wt_tfs_ops wt_tfs_real = {
	.name = "real",
	.dry = false,
	.mkdir = real_mkdir,
	.rmdir = real_rmdir,
	.write = real_write,
	.append = real_append,
	.event_write = real_event_write,
	.event_enable = real_event_enable,
	.event_disable = real_event_disable,
	.file_exists = real_file_exists,
	.event_exists = real_event_exists,
	.event_format = real_event_format,
	.probe_create = real_probe_create,
	.probe_destroy = real_probe_destroy,
	.probe_free = real_probe_free,
	.probe_lookup = real_probe_lookup,
};
