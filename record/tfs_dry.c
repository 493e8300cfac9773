/*
 * tfs_dry.c - the tracefs operations of `wtrec record --dry-run` (see
 * tfs_ops.h): each change is printed on stdout as the shell command that
 * would make it, and nothing is changed.
 *
 *   mkdir /sys/kernel/tracing/instances/wtrec-123
 *   echo boot > /sys/kernel/tracing/instances/wtrec-123/trace_clock
 *   echo 'p:wtrec_123/wait4_enter __x64_sys_wait4 ...' >> /sys/kernel/tracing/kprobe_events
 *
 * Reads are answered from the top level of tracefs (same kernel, same
 * events) when it is readable, and as "present" when it is not (a dry run
 * needs no root).  The probes "created" are remembered so that enabling
 * them and reading their formats works as it would after a real creation.
 * One dry run per process: the remembered probes are file-scope state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "instance.h"
#include "kprobe_format.h"
#include "kprobe_plan.h"
#include "tfs_ops.h"

#define MAX_DRY_PROBES 16

static struct dry_probe {
	char group[64];
	const struct wt_kp_probe *p;
} probes[MAX_DRY_PROBES];
static int nprobes;

const char *wt_tfs_dry_dir(void)
{
	static char dir[512];
	char line[1024], mnt[512], type[64];
	FILE *f;

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "/sys/kernel/tracing");
	f = fopen("/proc/mounts", "re");
	if (!f)
		return dir;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %511s %63s", mnt, type) == 2 &&
		    !strcmp(type, "tracefs")) {
			snprintf(dir, sizeof(dir), "%s", mnt);
			break;
		}
	fclose(f);
	return dir;
}

void wt_tfs_dry_comment(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* @s as one shell word: as is when plain, else single-quoted. */
static void print_word(const char *s)
{
	bool plain = *s != '\0';

	for (const char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_./=:,+-", *p))
			plain = false;
	if (plain) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	putchar('\'');
}

/* "echo VAL > PATH" (or >>), PATH = tracefs dir + the printf'd rest */
static void print_echo(const char *val, bool append, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void print_echo(const char *val, bool append, const char *fmt, ...)
{
	va_list ap;

	fputs("echo ", stdout);
	print_word(val);
	printf(" %s %s/", append ? ">>" : ">", wt_tfs_dry_dir());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int dry_mkdir(struct wt_rec_instance *in)
{
	printf("mkdir %s/instances/%s\n", wt_tfs_dry_dir(), in->name);
	return 0;
}

static int dry_rmdir(struct wt_rec_instance *in)
{
	printf("rmdir %s/instances/%s\n", wt_tfs_dry_dir(), in->name);
	return 0;
}

static int dry_write(struct wt_rec_instance *in, const char *file,
		     const char *val)
{
	/* an empty write truncates: "echo > file" clears set_event_pid */
	print_echo(val, false, "instances/%s/%s", in->name, file);
	return 0;
}

static int dry_append(struct wt_rec_instance *in, const char *file,
		      const char *val)
{
	print_echo(val, true, "instances/%s/%s", in->name, file);
	return 0;
}

static int dry_event_write(struct wt_rec_instance *in, const char *system,
			   const char *event, const char *file, const char *val)
{
	print_echo(val, false, "instances/%s/events/%s/%s/%s", in->name, system,
		   event, file);
	return 0;
}

static int dry_event_enable(struct wt_rec_instance *in, const char *system,
			    const char *event)
{
	return dry_event_write(in, system, event, "enable", "1");
}

static int dry_event_disable(struct wt_rec_instance *in, const char *system,
			     const char *event)
{
	return dry_event_write(in, system, event, "enable", "0");
}

/* Does the top level have @rel?  Unreadable tracefs: assume it does. */
static bool top_has(const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", wt_tfs_dry_dir(), rel);
	if (access(path, F_OK) == 0)
		return true;
	return errno != ENOENT && errno != ENOTDIR;
}

static bool dry_file_exists(struct wt_rec_instance *in, const char *file)
{
	(void)in;
	return top_has(file);
}

static const struct dry_probe *find_probe(const char *system,
					  const char *event, int *idx)
{
	for (int i = 0; i < nprobes; i++)
		if (!strcmp(probes[i].group, system) &&
		    !strcmp(probes[i].p->event, event)) {
			*idx = i;
			return &probes[i];
		}
	return NULL;
}

static bool dry_event_exists(struct wt_rec_instance *in, const char *system,
			     const char *event)
{
	char rel[512];
	int idx;

	(void)in;
	if (find_probe(system, event, &idx))
		return true;
	snprintf(rel, sizeof(rel), "events/%s/%s/enable", system, event);
	return top_has(rel);
}

/* The top level's format file (a few KiB at most), or NULL. */
static char *read_top(const char *system, const char *event, int *len)
{
	enum { MAXLEN = 65536 };
	char path[1024], *buf;
	size_t n = 0, got;
	FILE *f;

	snprintf(path, sizeof(path), "%s/events/%s/%s/format", wt_tfs_dry_dir(),
		 system, event);
	f = fopen(path, "re");
	if (!f)
		return NULL;
	buf = malloc(MAXLEN);
	/* tracefs files report size 0: read until EOF */
	while (buf && n < MAXLEN - 1 && (got = fread(buf + n, 1, MAXLEN - 1 - n, f)))
		n += got;
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = (int)n;
	}
	return buf;
}

/*
 * Formats are only parsed for their ID here (the run writes nothing): a
 * probe's format is the one the kernel would give it, with a made-up ID
 * at the top of the id space; an unreadable event gets a stub.
 */
static char *dry_event_format(struct wt_rec_instance *in, const char *system,
			      const char *event, int *len)
{
	const struct dry_probe *dp;
	char *text;
	int idx, n;

	(void)in;
	if ((dp = find_probe(system, event, &idx))) {
		text = malloc(4096);
		if (!text)
			return NULL;
		n = wt_kp_format_text(dp->p, 65535 - idx, text, 4096);
		if (n < 0) {
			free(text);
			errno = EINVAL;
			return NULL;
		}
		*len = n;
		return text;
	}
	if ((text = read_top(system, event, len)))
		return text;
	text = malloc(128);
	if (!text)
		return NULL;
	*len = snprintf(text, 128, "name: %s\nID: %d\nformat:\n", event,
			65000 + nprobes);
	return text;
}

static int dry_probe_create(const struct wt_kp_probe *p, const char *group,
			    const char *line, void **handle)
{
	if (nprobes == MAX_DRY_PROBES) {
		errno = ENOSPC;
		return -1;
	}
	snprintf(probes[nprobes].group, sizeof(probes[nprobes].group), "%s", group);
	probes[nprobes].p = p;
	*handle = &probes[nprobes++];
	print_echo(line, true, "kprobe_events");
	return 0;
}

static int dry_probe_destroy(const struct wt_kp_probe *p, const char *group,
			     void *handle)
{
	static bool said;
	char line[256];

	(void)handle;
	if (!said)
		wt_tfs_dry_comment("deleting a probe is forced: libtracefs first "
				   "writes 0 to events/%s/EVENT/enable in every "
				   "instance", group);
	said = true;
	snprintf(line, sizeof(line), "-:%s/%s", group, p->event);
	print_echo(line, true, "kprobe_events");
	return 0;
}

static void dry_probe_free(void *handle)
{
	(void)handle;
}

/* Nothing exists that a dry run could collide with. */
static int dry_probe_lookup(const char *group, const char *event, char *line,
			    size_t len, void **handle)
{
	(void)group, (void)event, (void)line, (void)len;
	*handle = NULL;
	errno = ENOENT;
	return -1;
}

const struct wt_tfs_ops wt_tfs_dry = {
	.name = "dry-run",
	.dry = true,
	.mkdir = dry_mkdir,
	.rmdir = dry_rmdir,
	.write = dry_write,
	.append = dry_append,
	.event_write = dry_event_write,
	.event_enable = dry_event_enable,
	.event_disable = dry_event_disable,
	.file_exists = dry_file_exists,
	.event_exists = dry_event_exists,
	.event_format = dry_event_format,
	.probe_create = dry_probe_create,
	.probe_destroy = dry_probe_destroy,
	.probe_free = dry_probe_free,
	.probe_lookup = dry_probe_lookup,
};
