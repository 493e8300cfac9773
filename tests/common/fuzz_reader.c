/*
 * fuzz_reader.c - libFuzzer target for the .wtrec reader (fuzz_wtreader).
 *
 * Feeds arbitrary bytes to wt_reader_open_mem, walks every chunk with
 * wt_reader_next, then revisits the chunk offsets it saw, plus a few
 * offsets taken from the input itself, with wt_reader_read_at.  Any crash,
 * sanitizer report or payload pointer outside its length is a bug; error
 * returns are the expected outcome for almost every input.
 *
 * Seeds: tests/common/corpus (written by `test_wtfile --write-corpus`).
 * Most inputs fail the CRC, so seeds matter: they carry valid framing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wtfile.h"

#define MAX_OFFS 64

/* Touch every payload byte so ASan checks the pointer and length. */
static unsigned touch(const struct wt_chunk *c)
{
	unsigned sum = 0;

	for (size_t i = 0; i < c->len; i++)
		sum += c->data[i];
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t offs[MAX_OFFS];
	struct wt_reader *r;
	struct wt_chunk c;
	volatile unsigned sink = 0;
	char err[256];
	int n = 0;

	r = wt_reader_open_mem(data, size, "fuzz", err, sizeof(err));
	if (!r)
		return 0;
	while (wt_reader_next(r, &c) == 1) {
		sink += touch(&c);
		if (n < MAX_OFFS)
			offs[n++] = c.offset;
	}
	for (int i = 0; i < n; i++)
		if (wt_reader_read_at(r, offs[i], &c) == 1)
			sink += touch(&c);
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8) {
		uint64_t off;

		memcpy(&off, data + i, sizeof(off));
		if (wt_reader_read_at(r, off % (size + 32), &c) == 1)
			sink += touch(&c);
	}
	(void)wt_reader_error(r);
	wt_reader_close(r);
	(void)sink;
	return 0;
}
