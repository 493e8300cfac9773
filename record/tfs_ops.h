/*
 * tfs_ops.h - every change the recorder makes to tracefs, behind one small
 * table of operations with two implementations:
 *
 *   wt_tfs_real  does it, with libtracefs (tfs_real.c);
 *   wt_tfs_dry   prints it as the shell command that would do it and
 *                touches nothing (tfs_dry.c): `wtrec record --dry-run`.
 *
 * instance.c, events.c and kprobe_backend.c decide what to write and in
 * which order, and only ever write through these operations, so the dry
 * run is the real setup and cleanup sequence, not a description of it.
 *
 * Instance operations act on the instance named in->name.  The real ones
 * refuse (errno EINVAL) an instance that has no tracefs handle yet: a
 * NULL instance means the top-level one to libtracefs, which wtrec must
 * never change.  Reads (exists, format) are here too because the dry run,
 * having created nothing, answers them from the top level of tracefs (the
 * same kernel) or from the probes it pretended to create.
 *
 * Convention: 0 / -1 with errno, like libtracefs.
 */
#ifndef WT_TFS_OPS_H
#define WT_TFS_OPS_H

#include <stdbool.h>
#include <stddef.h>

struct wt_rec_instance;
struct wt_kp_probe;

struct wt_tfs_ops {
	const char *name;   /* "real" / "dry-run" */
	bool dry;

	/* instances/<in->name>: create with tracing as the kernel makes it
	 * (the real one fills in->ti; EEXIST if it was there already) and
	 * remove (EBUSY while a per-CPU file is open) */
	int (*mkdir)(struct wt_rec_instance *in);
	int (*rmdir)(struct wt_rec_instance *in);

	/* a file of the instance: replace its content, or append to it */
	int (*write)(struct wt_rec_instance *in, const char *file,
		     const char *val);
	int (*append)(struct wt_rec_instance *in, const char *file,
		      const char *val);

	/* events/<system>/<event>/<file> of the instance ("filter") */
	int (*event_write)(struct wt_rec_instance *in, const char *system,
			   const char *event, const char *file, const char *val);
	int (*event_enable)(struct wt_rec_instance *in, const char *system,
			    const char *event);
	int (*event_disable)(struct wt_rec_instance *in, const char *system,
			     const char *event);

	/* reads */
	bool (*file_exists)(struct wt_rec_instance *in, const char *file);
	bool (*event_exists)(struct wt_rec_instance *in, const char *system,
			     const char *event);
	/* the event's format text, malloc'd (caller frees), *len bytes */
	char *(*event_format)(struct wt_rec_instance *in, const char *system,
			      const char *event, int *len);

	/*
	 * A kprobe event in the global kprobe_events: create from @line (the
	 * plan's spelling, wt_kp_probe_format()) and, through *@handle (free
	 * with probe_free), delete it again.  Deleting fails with EBUSY while
	 * the event is enabled in an instance or a file of it is open.
	 */
	int (*probe_create)(const struct wt_kp_probe *p, const char *group,
			    const char *line, void **handle);
	int (*probe_destroy)(const struct wt_kp_probe *p, const char *group,
			     void *handle);
	void (*probe_free)(void *handle);
	/* an existing kprobe event @group/@event: its definition as
	 * kprobe_events lists it, into @line, and a handle that deletes it;
	 * -1 with ENOENT when there is none */
	int (*probe_lookup)(const char *group, const char *event, char *line,
			    size_t len, void **handle);
};

extern const struct wt_tfs_ops wt_tfs_real;
extern const struct wt_tfs_ops wt_tfs_dry;

/*
 * Where the dry run says tracefs is: the mount point of a mounted tracefs
 * (from /proc/mounts; a dry run never mounts), else /sys/kernel/tracing.
 * Static string.
 */
const char *wt_tfs_dry_dir(void);

/* Print "# TEXT" on the dry run's output (stdout). */
void wt_tfs_dry_comment(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif /* WT_TFS_OPS_H */
