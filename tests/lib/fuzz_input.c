/*
 * fuzz_input.c - turns a fuzzer's input into a .wtrec file (see
 * fuzz_input.h for the two forms).
 */
#include <string.h>

#include "fuzz_input.h"

/* One encoder per codec for the whole fuzzing process (a zstd context is
 * too dear to make per input); never freed, always reachable. */
static struct wt_encoder *encoder(unsigned codec)
{
	static struct wt_encoder *enc[WT_CODEC_MAX + 1];

	if (!enc[codec])
		enc[codec] = wt_encoder_new(codec);
	return enc[codec];
}

/* The raw form -> a framed file in @out; -1 when it cannot be built. */
static int frame(const uint8_t *data, size_t size, struct wt_buf *out)
{
	uint8_t h[WT_FILE_HEADER_LEN] = { 0 };
	struct wt_encoder *e;
	unsigned codec;
	size_t pos = 1;

	if (!size)
		return -1;
	codec = data[0] & 4 ? WT_CODEC_ZLIB : WT_CODEC_ZSTD;
	e = encoder(codec);
	if (!e)
		return -1;
	memcpy(h, WT_MAGIC, WT_MAGIC_LEN);
	wt_put_le16(h + 8, wt_format_version(codec));
	h[10] = data[0] & 1 ? 2 : 1;
	h[11] = data[0] & 2 ? 4 : 8;
	if (wt_buf_append(out, h, sizeof(h)))
		return -1;
	while (size - pos >= 8) {
		uint32_t type = wt_get_le32(data + pos) % WT_CHUNK_TYPE_LIMIT;
		size_t len = wt_get_le32(data + pos + 4);

		pos += 8;
		if (len > size - pos)
			len = size - pos;
		if (wt_chunk_encode(e, type, data + pos, len, out))
			return -1;
		pos += len;
	}
	return 0;
}

int fuzz_input_file(const uint8_t *data, size_t size, struct wt_buf *scratch,
		    const uint8_t **file, size_t *len)
{
	if (size >= WT_MAGIC_LEN && !memcmp(data, WT_MAGIC, WT_MAGIC_LEN)) {
		*file = data;
		*len = size;
		return 0;
	}
	if (frame(data, size, scratch))
		return -1;
	*file = scratch->data;
	*len = scratch->len;
	return 0;
}
