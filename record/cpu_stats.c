/*
 * cpu_stats.c - read and parse per_cpu/cpuN/stats (see cpu_stats.h).
 *
 * The file is "name: value" lines; the timestamps ("oldest event ts",
 * "now ts") are kept only in the stored text.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_stats.h"
#include "instance.h"

static const struct {
	const char *key;
	size_t off;
} fields[] = {
	{ "entries:", offsetof(struct wt_rec_kstats, entries) },
	{ "overrun:", offsetof(struct wt_rec_kstats, overrun) },
	{ "commit overrun:", offsetof(struct wt_rec_kstats, commit_overrun) },
	{ "bytes:", offsetof(struct wt_rec_kstats, bytes) },
	{ "dropped events:", offsetof(struct wt_rec_kstats, dropped) },
	{ "read events:", offsetof(struct wt_rec_kstats, read) },
};

void wt_rec_kstats_parse(const char *text, struct wt_rec_kstats *s)
{
	const char *line = text;

	memset(s, 0, sizeof(*s));
	while (line && *line) {
		for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			size_t n = strlen(fields[i].key);

			if (!strncmp(line, fields[i].key, n)) {
				*(uint64_t *)((char *)s + fields[i].off) =
					strtoull(line + n, NULL, 10);
				break;
			}
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

char *wt_rec_kstats_read(struct wt_rec_instance *in, int cpu,
			 struct wt_rec_kstats *s)
{
	char file[64];
	char *text;

	memset(s, 0, sizeof(*s));
	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	text = wt_rec_instance_read(in, file, NULL);
	if (text)
		wt_rec_kstats_parse(text, s);
	return text;
}
