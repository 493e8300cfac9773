/*
 * chunkdump.c - test helper: print the payloads of every chunk of one type
 * of a .wtrec file, read with the common/ reader only (never the decoder
 * or `wtrec info`, whose numbers the tests check against this).
 *
 * usage: chunkdump FILE TYPE      (TYPE: the number, e.g. 7 for CPU_STATS)
 *
 * Text chunks are printed as they are.  CPU_STATS (u32 cpu + text) is
 * printed as "cpu=N" followed by its text, so a test can total the
 * kernel's own per-CPU counters.  Exit status: 0 the file reads cleanly to
 * its end, 1 damage (message on stderr), 2 usage or unreadable.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wtfile.h"

int main(int argc, char **argv)
{
	char err[256];
	struct wt_reader *r;
	struct wt_chunk c;
	unsigned long type;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: chunkdump FILE TYPE\n");
		return 2;
	}
	type = strtoul(argv[2], NULL, 10);
	r = wt_reader_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "chunkdump: %s\n", err);
		return 2;
	}
	while ((ret = wt_reader_next(r, &c)) == 1) {
		if (c.type != type)
			continue;
		if (c.type == WT_CHUNK_CPU_STATS && c.len >= 4) {
			printf("cpu=%u\n", (unsigned)wt_get_le32(c.data));
			fwrite(c.data + 4, 1, c.len - 4, stdout);
		} else {
			fwrite(c.data, 1, c.len, stdout);
		}
		putchar('\n');
	}
	if (ret < 0)
		fprintf(stderr, "chunkdump: %s\n", wt_reader_error(r));
	wt_reader_close(r);
	return ret < 0 ? 1 : 0;
}
