/*
 * mutate.c - test generator: damaged copies of a real recording, for
 * mutations.sh.  From one seed it writes, reproducibly:
 *   t-NNN.wtrec   the input cut at a random offset in [0, size)
 *   f-NNN.wtrec   the input with one random bit of one byte flipped
 * and prints one line per file: "NAME trunc OFFSET" or "NAME flip OFFSET
 * BIT", so a failing case can be named and rebuilt from the seed.
 *
 * usage: mutate SEED COUNT INPUT OUTDIR
 *
 * The generator is an xorshift64* stream: the same seed gives the same
 * files on every machine (bash's $RANDOM or rand(3) would not).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545F4914F6CDD1DULL;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(n)) &&
	    fread(buf, 1, n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int spill(const char *dir, const char *name, const void *buf,
		 size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned char *in, *copy;
	char name[64];
	size_t len = 0;
	unsigned long count;

	if (argc != 5) {
		fprintf(stderr, "usage: mutate SEED COUNT INPUT OUTDIR\n");
		return 2;
	}
	state = strtoull(argv[1], NULL, 10) * 2654435761u + 0x9E3779B97F4A7C15ULL;
	count = strtoul(argv[2], NULL, 10);
	in = slurp(argv[3], &len);
	copy = in ? malloc(len) : NULL;
	if (!copy) {
		fprintf(stderr, "mutate: %s: %s\n", argv[3],
			in ? strerror(ENOMEM) : "cannot read (or empty)");
		return 2;
	}
	for (unsigned long i = 0; i < count; i++) {
		size_t off = next() % len;

		snprintf(name, sizeof(name), "t-%03lu.wtrec", i);
		if (spill(argv[4], name, in, off) < 0)
			goto fail;
		printf("%s trunc %zu\n", name, off);
	}
	for (unsigned long i = 0; i < count; i++) {
		size_t off = next() % len;
		unsigned bit = next() % 8;

		memcpy(copy, in, len);
		copy[off] ^= (unsigned char)(1u << bit);
		snprintf(name, sizeof(name), "f-%03lu.wtrec", i);
		if (spill(argv[4], name, copy, len) < 0)
			goto fail;
		printf("%s flip %zu %u\n", name, off, bit);
	}
	free(in);
	free(copy);
	return 0;
fail:
	fprintf(stderr, "mutate: %s/%s: %s\n", argv[4], name, strerror(errno));
	return 2;
}
