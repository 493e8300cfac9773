/*
 * fuzz_decode.c - libFuzzer target for the decoder (fuzz_decode).
 *
 * Two input forms:
 *  - a whole .wtrec file (starts with the magic): decoded as it is;
 *  - anything else, read as unframed chunks - u8 flags (bit 0: big-endian
 *    recording, bit 1: 4-byte words), then per chunk u32 type, u32 len, payload (LE; a short
 *    tail is taken as it is) - framed and compressed here first.  Random
 *    mutation of a framed file almost always just breaks a CRC; the raw
 *    form lets it reach sub-buffers, record headers and format text.
 * The sink touches every string and field it is given.  Any crash, hang or
 * sanitizer report is a bug; error returns and damage are expected.
 *
 * Seeds: tests/decode/corpus (written by `test_decode --write-corpus DIR`),
 * plus regress-*.raw: inputs that crashed libtraceevent's format parsers
 * before the decoder canonicalized format text (SIGFPE, NULL strcmp).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wtfile.h"
#include "decode.h"

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

/* The raw form -> a framed file in @out; -1 when it cannot be built. */
static int frame(const uint8_t *data, size_t size, struct wt_buf *out)
{
	uint8_t h[WT_FILE_HEADER_LEN] = { 0 };
	size_t pos = 1;

	if (!size)
		return -1;
	memcpy(h, WT_MAGIC, WT_MAGIC_LEN);
	wt_put_le16(h + 8, WT_FORMAT_VERSION);
	h[10] = data[0] & 1 ? 2 : 1;
	h[11] = data[0] & 2 ? 4 : 8;
	if (wt_buf_append(out, h, sizeof(h)))
		return -1;
	while (size - pos >= 8) {
		uint32_t type = wt_get_le32(data + pos);
		size_t len = wt_get_le32(data + pos + 4);

		pos += 8;
		if (len > size - pos)
			len = size - pos;
		if (wt_chunk_encode(type, data + pos, len, out))
			return -1;
		pos += len;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wt_sink sink = { NULL, on_meta, on_proc, on_event, on_stats };
	struct wt_decode_result res = { 0 };
	struct wt_buf framed = { 0 };
	char err[256] = "";

	if (size >= WT_MAGIC_LEN && !memcmp(data, WT_MAGIC, WT_MAGIC_LEN)) {
		wt_decode_mem(data, size, "fuzz", &sink, &res, err, sizeof(err));
	} else if (frame(data, size, &framed) == 0) {
		wt_decode_mem(framed.data, framed.len, "fuzz", &sink, &res, err,
			      sizeof(err));
	}
	sink_sum += touch(err) + touch(res.damage);
	wt_buf_free(&framed);
	return 0;
}
