/*
 * proc_parse.c - PROC chunk text -> struct wt_proc_entry.
 *
 * Layout (docs/FORMAT.md): "# wtrec-proc N", then key=value header lines
 * (when=start|stop, ts=NS, clk_tck=N), then one line per task:
 *   tgid TAB tid TAB ppid TAB state TAB starttime_ticks TAB sigign_hex TAB
 *   sigcgt_hex TAB [layout 2: exit_code TAB pgid TAB pidns TAB nspid TAB
 *   cgroup2 TAB cgroup_pids TAB] comm
 * comm is last and may contain spaces (never tabs or newlines).
 *
 * The text comes from a file that may be damaged or hostile: every line is
 * copied into a bounded local buffer and every number is checked; a bad line
 * is skipped, never trusted.  A snapshot of a big host has ~10^5 lines, so
 * parsing does no allocation per line.
 */
#include <stdlib.h>
#include <string.h>
#include "lines.h"
#include "proc_parse.h"

#define PROC_MAGIC "# wtrec-proc"
#define LINE_MAX_LEN 2048 /* two cgroup paths of <= 255 bytes, comm <= 64 */

/* Next line (without '\n') into @buf; 0 at end, -1 for an over-long line
 * (consumed and skipped), 1 otherwise. */
static int next_line(struct wt_lines *it, char *buf, size_t bufsz)
{
	const char *line;
	size_t n;

	if (!wt_lines_next(it, &line, &n))
		return 0;
	if (n >= bufsz)
		return -1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[n - 1] = '\0';
	return 1;
}

static bool parse_u64(const char *s, int base, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	*v = strtoull(s, &end, base);
	return *end == '\0';
}

static bool parse_i32(const char *s, int32_t *v)
{
	uint64_t u;

	if (!parse_u64(s, 10, &u) || u > INT32_MAX)
		return false;
	*v = (int32_t)u;
	return true;
}

static void header_line(const char *line, struct wt_proc_header *h)
{
	uint64_t v;

	if (!strcmp(line, "when=start") || !strcmp(line, "when=stop")) {
		h->when_known = true;
		h->at_start = !strcmp(line, "when=start");
	} else if (!strncmp(line, "ts=", 3) && parse_u64(line + 3, 10, &v)) {
		h->ts = v;
	} else if (!strncmp(line, "clk_tck=", 8) && parse_u64(line + 8, 10, &v) &&
		   v > 0 && v <= 1000000) {
		h->clk_tck = (unsigned)v;
	}
}

/* Header lines are the key=value lines before the first task line. */
static bool is_header_line(const char *line)
{
	return !strchr(line, '\t') && (strchr(line, '=') || line[0] == '#');
}

int wt_proc_header_parse(const char *text, size_t len,
			 struct wt_proc_header *h)
{
	struct wt_lines it = wt_lines_of(text, len);
	char line[LINE_MAX_LEN];
	int rc;

	memset(h, 0, sizeof(*h));
	h->clk_tck = 100;
	if (len < strlen(PROC_MAGIC) || memcmp(text, PROC_MAGIC, strlen(PROC_MAGIC)))
		return -1;
	/* "# wtrec-proc N": layouts 1 and 2 are known; the task lines of any
	 * other are counted as bad lines, never guessed at. */
	h->layout = 1;
	if (len > strlen(PROC_MAGIC) + 1 && text[strlen(PROC_MAGIC)] == ' ')
		h->layout = atoi(text + strlen(PROC_MAGIC) + 1);
	while ((rc = next_line(&it, line, sizeof(line))) != 0) {
		if (rc < 0 || !is_header_line(line))
			break;
		header_line(line, h);
	}
	return 0;
}

/* Ticks since boot -> ns, without overflowing for any tick count. */
static uint64_t ticks_to_ns(uint64_t ticks, unsigned clk_tck)
{
	return ticks / clk_tck * 1000000000ull +
	       ticks % clk_tck * 1000000000ull / clk_tck;
}

/* "4321,12,1" -> p->nspid; false when malformed. */
static bool parse_nspid(const char *s, struct wt_proc_entry *p)
{
	char buf[128], *save, *tok;

	p->nspid_n = 0;
	if (!strcmp(s, "-"))
		return true;
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (p->nspid_n == WT_NSPID_MAX ||
		    !parse_i32(tok, &p->nspid[p->nspid_n]))
			return false;
		p->nspid_n++;
	}
	return true;
}

/* A signed number or "-" (unknown: false in *known). */
static bool parse_opt_i32(const char *s, int32_t *v, bool *known)
{
	char *end;
	long x;

	*known = false;
	if (!strcmp(s, "-"))
		return true;
	x = strtol(s, &end, 10);
	if (!*s || *end || x < INT32_MIN || x > INT32_MAX)
		return false;
	*v = (int32_t)x;
	*known = true;
	return true;
}

/* Layout 2's columns 8..13 (see FORMAT.md). */
static bool layout2_fields(char **f, struct wt_proc_entry *p)
{
	bool known;
	uint64_t ino;

	p->pgid = -1;
	if (!parse_opt_i32(f[0], &p->exit_code, &p->has_exit_code) ||
	    !parse_opt_i32(f[1], &p->pgid, &known) || !parse_nspid(f[3], p))
		return false;
	if (!known)
		p->pgid = -1;
	if (strcmp(f[2], "-")) {
		if (!parse_u64(f[2], 10, &ino))
			return false;
		p->pidns_ino = ino;
	}
	p->cgroup2 = strcmp(f[4], "-") ? f[4] : NULL;
	p->cgroup_pids = strcmp(f[5], "-") ? f[5] : NULL;
	return true;
}

/* Split a task line of @layout (1 or 2) in place; false when malformed. */
static bool task_line(char *line, int layout, unsigned clk_tck,
		      struct wt_proc_entry *p)
{
	int want = layout == 2 ? 14 : 8;
	char *f[14];
	uint64_t ticks;
	int n = 0;

	f[n++] = line;
	for (char *s = line; *s && n < want; s++) {
		if (*s == '\t') {
			*s = '\0';
			f[n++] = s + 1;
		}
	}
	if (n != want || (layout != 1 && layout != 2))
		return false;
	if (!parse_i32(f[0], &p->tgid) || !parse_i32(f[1], &p->tid) ||
	    !parse_i32(f[2], &p->ppid))
		return false;
	if (strlen(f[3]) != 1 || !parse_u64(f[4], 10, &ticks))
		return false;
	if (!parse_u64(f[5], 16, &p->sig_ign) || !parse_u64(f[6], 16, &p->sig_cgt))
		return false;
	p->pgid = -1;
	if (layout == 2 && !layout2_fields(f + 7, p))
		return false;
	p->state = f[3][0];
	p->start_ns = ticks_to_ns(ticks, clk_tck);
	p->comm = f[want - 1];
	return true;
}

int wt_proc_parse(const char *text, size_t len, bool default_start,
		  int (*cb)(void *ctx, const struct wt_proc_entry *p),
		  void *ctx, unsigned *bad_lines)
{
	struct wt_lines it = wt_lines_of(text, len);
	struct wt_proc_header h;
	char line[LINE_MAX_LEN];
	bool in_header = true;
	int rc;

	if (wt_proc_header_parse(text, len, &h) < 0)
		return -1;
	while ((rc = next_line(&it, line, sizeof(line))) != 0) {
		struct wt_proc_entry p = { 0 };

		if (rc > 0 && in_header && is_header_line(line))
			continue;
		in_header = false;
		if (rc > 0 && line[0] == '\0')
			continue;
		if (rc < 0 || !task_line(line, h.layout, h.clk_tck, &p)) {
			if (bad_lines)
				(*bad_lines)++;
			continue;
		}
		p.at_start = h.when_known ? h.at_start : default_start;
		p.snap_ts = h.ts;
		rc = cb(ctx, &p);
		if (rc)
			return rc;
	}
	return 0;
}
