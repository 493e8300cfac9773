/*
 * fuzz_decode.c - libFuzzer target for the decoder (fuzz_decode).
 *
 * Two input forms (tests/lib/fuzz_input.h): a whole .wtrec file, or
 * unframed chunks framed and compressed first, so that mutations reach
 * sub-buffers, record headers and format text instead of a broken CRC.
 * The sink touches every string and field it is given.  Any crash, hang or
 * sanitizer report is a bug; error returns and damage are expected.
 *
 * Seeds: tests/decode/corpus (written by `test_decode --write-corpus DIR`),
 * plus regress-*.raw: inputs that crashed libtraceevent's format parsers
 * before the decoder canonicalized format text (SIGFPE, NULL strcmp).
 */
#include <stddef.h>
#include <stdint.h>
#include "wtfile.h"
#include "decode.h"
#include "fuzz_input.h"

static volatile unsigned sink_sum;

static unsigned touch(const char *s)
{
	unsigned sum = 0;

	for (; s && *s; s++)
		sum += (unsigned char)*s;
	return sum;
}

static int on_meta(void *ctx, const char *k, const char *v)
{
	(void)ctx;
	sink_sum += touch(k) + touch(v);
	return 0;
}

static int on_proc(void *ctx, const struct wt_proc_entry *p)
{
	(void)ctx;
	sink_sum += touch(p->comm) + (unsigned)p->tid;
	return 0;
}

static int on_event(void *ctx, const struct wt_event *ev)
{
	(void)ctx;
	sink_sum += touch(ev->str) + (unsigned)ev->tid + (unsigned)ev->ts;
	return 0;
}

static int on_stats(void *ctx, const struct wt_cpu_stats *s)
{
	(void)ctx;
	sink_sum += (unsigned)s->cpu + (unsigned)s->missed_in_pages;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wt_sink sink = { NULL, on_meta, on_proc, on_event, on_stats, NULL };
	struct wt_decode_result res = { 0 };
	struct wt_buf framed = { 0 };
	const uint8_t *file;
	char err[256] = "";
	size_t len;

	if (fuzz_input_file(data, size, &framed, &file, &len) == 0)
		wt_decode_mem(file, len, "fuzz", &sink, &res, err, sizeof(err));
	sink_sum += touch(err) + touch(res.damage);
	wt_buf_free(&framed);
	return 0;
}
