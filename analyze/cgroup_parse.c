/*
 * cgroup_parse.c - CGROUP chunk text -> struct wt_cgroup_entry.
 *
 * Layout (docs/FORMAT.md): "# wtrec-cgroup 1", key=value header lines
 * (when=start|stop, ts=NS, pids_hierarchy=N, v2_mount=, pids_mount=),
 * then one line per cgroup:
 *   hierarchy TAB path TAB pids.current TAB pids.max TAB pids.peak TAB
 *   pids.events:max
 * with "-" for what could not be read and "max" for no limit.
 *
 * The text may be damaged or hostile: lines are copied into a bounded
 * buffer, numbers checked, bad lines skipped and counted.
 */
#include <stdlib.h>
#include <string.h>
#include "cgroup_parse.h"

#define CG_MAGIC "# wtrec-cgroup"
#define CG_LINE_MAX 1200 /* a path of <= 1024 bytes (the kernel's
			    TRACE_CGROUP_PATH_LEN) and four numbers */

/* The next line of [*pos, len) into @buf; 0 at the end, -1 when too long
 * (skipped), 1 otherwise. */
static int line_at(const char *text, size_t len, size_t *pos, char *buf)
{
	const char *nl;
	size_t end, n;

	if (*pos >= len)
		return 0;
	nl = memchr(text + *pos, '\n', len - *pos);
	end = nl ? (size_t)(nl - text) : len;
	n = end - *pos;
	if (n >= CG_LINE_MAX) {
		*pos = end + 1;
		return -1;
	}
	memcpy(buf, text + *pos, n);
	buf[n] = '\0';
	*pos = end + 1;
	return 1;
}

/* A count or "-" (-1); "max" (-2) where @max_ok.  False when malformed. */
static bool count(const char *s, bool max_ok, int64_t *v)
{
	char *end;

	if (!strcmp(s, "-")) {
		*v = -1;
		return true;
	}
	if (max_ok && !strcmp(s, "max")) {
		*v = -2;
		return true;
	}
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end || x > (unsigned long long)INT64_MAX)
		return false;
	*v = (int64_t)x;
	return true;
}

static void header_line(const char *line, struct wt_cgroup_entry *h,
			bool *when_known)
{
	char *end;

	if (!strcmp(line, "when=start") || !strcmp(line, "when=stop")) {
		*when_known = true;
		h->at_start = !strcmp(line, "when=start");
	} else if (!strncmp(line, "ts=", 3) && line[3] >= '0' &&
		   line[3] <= '9') {
		unsigned long long v = strtoull(line + 3, &end, 10);
		if (!*end)
			h->snap_ts = v;
	} else if (!strncmp(line, "pids_hierarchy=", 15) && line[15] >= '0' &&
		   line[15] <= '9') {
		long v = strtol(line + 15, &end, 10);
		if (!*end && v >= 0 && v < 65536)
			h->pids_hierarchy = (int32_t)v;
	}
}

static bool is_header(const char *line)
{
	return !strchr(line, '\t') && (strchr(line, '=') || line[0] == '#');
}

/* Split a cgroup line in place into @e; false when malformed. */
static bool cgroup_line(char *line, struct wt_cgroup_entry *e)
{
	char *f[6];
	int n = 0;

	f[n++] = line;
	for (char *s = line; *s && n < 6; s++)
		if (*s == '\t') {
			*s = '\0';
			f[n++] = s + 1;
		}
	if (n != 6 || strchr(f[5], '\t'))
		return false;
	if (strcmp(f[0], "v2") && strcmp(f[0], "pids"))
		return false;
	if (f[1][0] != '/')
		return false;
	e->hierarchy = f[0];
	e->path = f[1];
	return count(f[2], false, &e->pids_current) &&
	       count(f[3], true, &e->pids_max) &&
	       count(f[4], false, &e->pids_peak) &&
	       count(f[5], false, &e->pids_events_max);
}

static bool magic_ok(const char *text, size_t len)
{
	size_t n = strlen(CG_MAGIC);
	return len >= n && !memcmp(text, CG_MAGIC, n);
}

int wt_cgroup_header_parse(const char *text, size_t len, bool *at_start,
			   bool *when_known)
{
	struct wt_cgroup_entry h = { .pids_hierarchy = -1 };
	char line[CG_LINE_MAX];
	size_t pos = 0;
	int rc;

	*when_known = false;
	if (!magic_ok(text, len))
		return -1;
	while ((rc = line_at(text, len, &pos, line)) != 0) {
		if (rc < 0 || !is_header(line))
			break;
		header_line(line, &h, when_known);
	}
	*at_start = h.at_start;
	return 0;
}

int wt_cgroup_parse(const char *text, size_t len, bool default_start,
		    int (*cb)(void *ctx, const struct wt_cgroup_entry *e),
		    void *ctx, unsigned *bad_lines)
{
	struct wt_cgroup_entry h = { .pids_hierarchy = -1 };
	char line[CG_LINE_MAX];
	bool when_known = false, in_header = true, told = false;
	size_t pos = 0;
	int rc;

	if (!magic_ok(text, len))
		return -1;
	h.at_start = default_start;
	while ((rc = line_at(text, len, &pos, line)) != 0) {
		struct wt_cgroup_entry e;

		if (rc > 0 && in_header && is_header(line)) {
			header_line(line, &h, &when_known);
			continue;
		}
		in_header = false;
		if (!told) {
			told = true;
			if ((rc = cb(ctx, &h)))
				return rc;
		}
		if (rc < 0 || !line[0]) {
			if (rc < 0 && bad_lines)
				(*bad_lines)++;
			continue;
		}
		e = h;
		if (!cgroup_line(line, &e)) {
			if (bad_lines)
				(*bad_lines)++;
			continue;
		}
		if ((rc = cb(ctx, &e)))
			return rc;
	}
	return told ? 0 : cb(ctx, &h);
}
