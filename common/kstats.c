/*
 * kstats.c - per_cpu/cpuN/stats text -> struct wt_kstats (see kstats.h).
 *
 * The kernel prints "name: value" lines (entries, overrun, commit overrun,
 * bytes, oldest event ts, now ts, dropped events, read events); the
 * timestamps are kept only in the stored text.
 */
#include <stdlib.h>
#include <string.h>

#include "kstats.h"
#include "lines.h"

void wt_kstats_clear(struct wt_kstats *k)
{
	k->entries = k->overrun = k->commit_overrun = -1;
	k->bytes = k->dropped = k->read_events = -1;
}

static int64_t *slot(struct wt_kstats *k, const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{ "entries", offsetof(struct wt_kstats, entries) },
		{ "overrun", offsetof(struct wt_kstats, overrun) },
		{ "commit overrun", offsetof(struct wt_kstats, commit_overrun) },
		{ "bytes", offsetof(struct wt_kstats, bytes) },
		{ "dropped events", offsetof(struct wt_kstats, dropped) },
		{ "read events", offsetof(struct wt_kstats, read_events) },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i].name))
			return (int64_t *)((char *)k + names[i].off);
	return NULL;
}

/* One "name: value" line; returns 1 when it set a counter. */
static int parse_line(const char *line, size_t len, struct wt_kstats *k)
{
	char buf[128];
	char *colon, *end;
	int64_t *dst;
	long long v;

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, line, len);
	buf[len] = '\0';
	colon = strchr(buf, ':');
	if (!colon)
		return 0;
	*colon = '\0';
	dst = slot(k, buf);
	if (!dst)
		return 0;
	v = strtoll(colon + 1, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (end == colon + 1 || *end || v < 0)
		return 0;
	*dst = v;
	return 1;
}

int wt_kstats_parse(const char *text, size_t len, struct wt_kstats *k)
{
	struct wt_lines it = wt_lines_of(text, len);
	const char *line;
	size_t n;
	int found = 0;

	wt_kstats_clear(k);
	while (wt_lines_next(&it, &line, &n))
		found += parse_line(line, n, k);
	return found;
}

uint64_t wt_kstats_lost(const struct wt_kstats *k)
{
	return (k->overrun > 0 ? (uint64_t)k->overrun : 0) +
	       (k->commit_overrun > 0 ? (uint64_t)k->commit_overrun : 0) +
	       (k->dropped > 0 ? (uint64_t)k->dropped : 0);
}
