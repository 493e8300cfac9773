/*
 * cg_limits.c - the CGROUP chunk (see cg_limits.h).
 *
 * Workload: twice per recording; a host has a few hundred distinct
 * cgroups in use, each a few levels deep.  The set of (hierarchy, path)
 * keys (common/strset.h) only grows; reading is four small files per
 * cgroup.  At most MAX_CGROUPS are kept (the chunk says how many more
 * were seen): a bound on the work at stop, far above a real host's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_limits.h"
#include "strset.h"

#define MAX_CGROUPS 8192
#define SNAP_COLS 14     /* PROC layout 2: cgroup2 is column 12, pids 13 */

struct wt_cg_limits {
	struct wt_cgfs fs;
	struct wt_strset keys; /* "h<TAB>/path", no header */
	uint64_t dropped;      /* keys over MAX_CGROUPS */
};

struct wt_cg_limits *wt_cg_limits_new(void)
{
	struct wt_cg_limits *l = calloc(1, sizeof(*l));

	if (l)
		wt_cgfs_probe(&l->fs);
	return l;
}

const struct wt_cgfs *wt_cg_limits_fs(const struct wt_cg_limits *l)
{
	return &l->fs;
}

void wt_cg_limits_free(struct wt_cg_limits *l)
{
	if (!l)
		return;
	wt_strset_free(&l->keys);
	free(l);
}

/* Add the key "@h\t@path[0, @n)"; 0 or -1 (ENOMEM). */
static int add_key(struct wt_cg_limits *l, enum wt_cg_hier h,
		   const char *path, size_t n)
{
	char k[PATH_MAX + 8];

	if (n >= PATH_MAX)
		return 0;
	snprintf(k, sizeof(k), "%s\t%.*s", wt_cg_hier_name(h), (int)n, path);
	if (wt_strset_find(&l->keys, k))
		return 0;
	if (l->keys.used >= MAX_CGROUPS) {
		l->dropped++;
		return 0;
	}
	return wt_strset_get(&l->keys, k, NULL) ? 0 : -1;
}

int wt_cg_limits_add(struct wt_cg_limits *l, enum wt_cg_hier h,
		     const char *path)
{
	/* the path and each ancestor up to the root */
	size_t n = strlen(path);

	if (path[0] != '/')
		return 0;
	for (;;) {
		if (add_key(l, h, path, n ? n : 1) < 0)
			return -1;
		if (n <= 1)
			return 0;
		while (n > 1 && path[n - 1] != '/')
			n--;
		if (n > 1)
			n--; /* drop the trailing '/' */
	}
}

/* The cgroup paths of one PROC task line (tabs, not NUL-terminated). */
static int snap_line(struct wt_cg_limits *l, const char *s, const char *e)
{
	const char *f[SNAP_COLS + 1];
	int n = 0;

	f[n++] = s;
	for (const char *p = s; p < e && n <= SNAP_COLS; p++)
		if (*p == '\t')
			f[n++] = p + 1;
	if (n < SNAP_COLS)
		return 0; /* the header, or a layout 1 line */
	for (int c = 11; c <= 12; c++) {
		const char *v = f[c];
		const char *ve = memchr(v, '\t', (size_t)(e - v));
		size_t len = ve ? (size_t)(ve - v) : 0;
		char path[PATH_MAX];
		if (!len || len >= sizeof(path) || v[0] != '/')
			continue;
		memcpy(path, v, len);
		path[len] = '\0';
		if (wt_cg_limits_add(l, c == 11 ? WT_CG_V2 : WT_CG_PIDS,
				     path) < 0)
			return -1;
	}
	return 0;
}

static int add_snapshot(struct wt_cg_limits *l, const struct wt_buf *snap)
{
	const char *s = snap ? (const char *)snap->data : NULL;
	const char *end = s ? s + snap->len : NULL;

	while (s && s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		e = e ? e : end;
		if (snap_line(l, s, e) < 0)
			return -1;
		s = e + 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void num(char *buf, size_t n, int64_t v)
{
	if (v == -2)
		snprintf(buf, n, "max");
	else if (v < 0)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%lld", (long long)v);
}

/* One line: "h\tpath\tcurrent\tmax\tpeak\tevents_max\n". */
static int limit_line(struct wt_cg_limits *l, const char *key,
		      struct wt_buf *out)
{
	struct wt_pids_files p = { -1, -1, -1, -1 };
	enum wt_cg_hier h = strncmp(key, "v2\t", 3) ? WT_CG_PIDS : WT_CG_V2;
	const char *path = strchr(key, '\t') + 1;
	char dir[PATH_MAX + 64], c[24], m[24], pk[24], ev[24], line[PATH_MAX + 128];

	if (wt_cgfs_dir(&l->fs, h, path, dir, sizeof(dir)))
		wt_cgfs_read_pids(dir, &p);
	num(c, sizeof(c), p.current);
	num(m, sizeof(m), p.max);
	num(pk, sizeof(pk), p.peak);
	num(ev, sizeof(ev), p.events_max);
	int n = snprintf(line, sizeof(line), "%s\t%s\t%s\t%s\t%s\n", key, c, m,
			 pk, ev);
	return n > 0 && (size_t)n < sizeof(line) ?
	       wt_buf_append(out, line, (size_t)n) : 0;
}

static int header(struct wt_cg_limits *l, const char *when, uint64_t ts,
		  struct wt_buf *out)
{
	char text[3 * PATH_MAX + 256];
	int n = snprintf(text, sizeof(text), "# wtrec-cgroup 1\nwhen=%s\n"
			 "ts=%llu\n", when, (unsigned long long)ts);

	if (l->fs.pids_id >= 0)
		n += snprintf(text + n, sizeof(text) - n, "pids_hierarchy=%d\n",
			      l->fs.pids_id);
	for (int h = 0; h < WT_CG_NHIER; h++)
		if (l->fs.mnt[h][0])
			n += snprintf(text + n, sizeof(text) - n, "%s_mount=%s\n",
				      wt_cg_hier_name(h), l->fs.mnt[h]);
	if (l->dropped)
		n += snprintf(text + n, sizeof(text) - n, "dropped=%llu\n",
			      (unsigned long long)l->dropped);
	return wt_buf_append(out, text, (size_t)n);
}

int wt_cg_limits_text(struct wt_cg_limits *l, const struct wt_buf *snap,
		      const char *when, uint64_t ts, struct wt_buf *out)
{
	char **v = NULL;
	uint32_t n = 0;
	int ret = -1;

	if (add_snapshot(l, snap) < 0 || header(l, when, ts, out) < 0)
		goto out;
	if (l->keys.used && !(v = malloc(l->keys.used * sizeof(*v))))
		goto out;
	for (uint32_t i = 0; i < l->keys.cap; i++)
		if (l->keys.slot[i])
			v[n++] = l->keys.slot[i];
	qsort(v, n, sizeof(*v), cmp_str);
	for (uint32_t i = 0; i < n; i++)
		if (limit_line(l, v[i], out) < 0)
			goto out;
	ret = 0;
out:
	free(v);
	if (ret < 0)
		errno = ENOMEM;
	return ret;
}
