/*
 * lastchunk.c - test helper for the record tests: reads a .wtrec file with
 * the common/ reader (not with wtrec, whose `info` is tested elsewhere)
 * and prints one line:
 *   "last=<type> chunks=<n> cpu_data=<n> proc=<n> damaged=<0|1>"
 * then, for each KEY given, "KEY=<value>" from the META and TRAILER chunks
 * (a later chunk overrides an earlier one; "KEY=" when absent).
 * Exit status: 0 if the file reads cleanly to its end and its last chunk is
 * the TRAILER, 1 otherwise, 2 on usage errors.
 *
 * usage: lastchunk FILE [KEY...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "wtfile.h"

/* Value of @key in a META payload, copied into @out. */
static void meta_lookup(const struct wt_chunk *c, const char *key, char *out,
			size_t size)
{
	size_t klen = strlen(key), n;
	struct wt_lines it = wt_lines_of((const char *)c->data, c->len);
	const char *p;

	while (wt_lines_next(&it, &p, &n))
		if (n > klen && !memcmp(p, key, klen) && p[klen] == '=')
			snprintf(out, size, "%.*s", (int)(n - klen - 1), p + klen + 1);
}

int main(int argc, char **argv)
{
	char err[256], vals[16][512] = { { 0 } };
	struct wt_reader *r;
	struct wt_chunk c;
	unsigned long n = 0, cpu = 0, proc = 0;
	uint32_t last = 0;
	int ret;

	if (argc < 2 || argc > 18) {
		fprintf(stderr, "usage: lastchunk FILE [KEY...]\n");
		return 2;
	}
	r = wt_reader_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "lastchunk: %s\n", err);
		return 1;
	}
	while ((ret = wt_reader_next(r, &c)) == 1) {
		bool kv = c.type == WT_CHUNK_META || c.type == WT_CHUNK_TRAILER;

		n++;
		last = c.type;
		cpu += c.type == WT_CHUNK_CPU_DATA;
		proc += c.type == WT_CHUNK_PROC;
		for (int i = 2; kv && i < argc; i++)
			meta_lookup(&c, argv[i], vals[i - 2], sizeof(vals[0]));
	}
	printf("last=%s chunks=%lu cpu_data=%lu proc=%lu damaged=%d\n",
	       n ? wt_chunk_type_name(last) : "none", n, cpu, proc, ret < 0);
	if (ret < 0)
		fprintf(stderr, "lastchunk: %s\n", wt_reader_error(r));
	for (int i = 2; i < argc; i++)
		printf("%s=%s\n", argv[i], vals[i - 2]);
	wt_reader_close(r);
	return ret == 0 && last == WT_CHUNK_TRAILER ? 0 : 1;
}
