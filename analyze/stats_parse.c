/*
 * stats_parse.c - per_cpu/cpuN/stats text -> struct wt_cpu_stats.
 *
 * The kernel prints "name: value" lines (entries, overrun, commit overrun,
 * bytes, oldest event ts, now ts, dropped events, read events); the set has
 * grown over kernel versions, so unknown lines are ignored and missing ones
 * stay -1.  The text comes from a file and is not trusted: lines are copied
 * into a bounded local buffer before parsing.
 */
#include <stdlib.h>
#include <string.h>
#include "stats_parse.h"

void wt_stats_clear(struct wt_cpu_stats *s)
{
	s->entries = s->overrun = s->commit_overrun = -1;
	s->dropped = s->read_events = -1;
}

static int64_t *slot(struct wt_cpu_stats *s, const char *name)
{
	if (!strcmp(name, "entries"))
		return &s->entries;
	if (!strcmp(name, "overrun"))
		return &s->overrun;
	if (!strcmp(name, "commit overrun"))
		return &s->commit_overrun;
	if (!strcmp(name, "dropped events"))
		return &s->dropped;
	if (!strcmp(name, "read events"))
		return &s->read_events;
	return NULL;
}

/* One "name: value" line; returns 1 when it set a counter. */
static int parse_line(const char *line, size_t len, struct wt_cpu_stats *s)
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
	dst = slot(s, buf);
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

int wt_stats_parse(const char *text, size_t len, struct wt_cpu_stats *s)
{
	size_t pos = 0;
	int found = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		found += parse_line(text + pos, end - pos, s);
		pos = end + 1;
	}
	return found;
}
