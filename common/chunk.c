/*
 * chunk.c - growable byte buffers, chunk encoders and the framing of one
 * chunk (docs/FORMAT.md, "Chunk framing"):
 *
 *   version 1:  u32 type                   | u32 compressed_len | u32 raw_len | u32 crc32 | payload
 *   version 2:  u16 type | u8 codec | u8 0 | u32 compressed_len | u32 raw_len | u32 crc32 | payload
 *
 * A zlib chunk of a type below 2^16 is the same 16 bytes in both: codec 0
 * is zlib.  crc32 is zlib's crc32 over the first 12 header bytes followed
 * by the compressed payload, so a damaged length or codec is caught as
 * surely as damaged data.  Encoders keep no shared state: the recorder's
 * per-CPU reader threads frame their own chunks, each with its own
 * encoder, and hand them to the single writer.
 *
 * Conventions: 0 or -1 with errno.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "compress.h"
#include "wtfile.h"

static const char *const type_names[WT_CHUNK_TYPE_MAX + 1] = {
	[WT_CHUNK_META] = "meta",
	[WT_CHUNK_HEADER_PAGE] = "header_page",
	[WT_CHUNK_HEADER_EVENT] = "header_event",
	[WT_CHUNK_FORMAT] = "format",
	[WT_CHUNK_PROC] = "proc",
	[WT_CHUNK_CPU_DATA] = "cpu_data",
	[WT_CHUNK_CPU_STATS] = "cpu_stats",
	[WT_CHUNK_TRAILER] = "trailer",
	[WT_CHUNK_CGROUP] = "cgroup",
};

/* Static string; never freed. */
const char *wt_chunk_type_name(uint32_t type)
{
	if (type > WT_CHUNK_TYPE_MAX || !type_names[type])
		return "unknown";
	return type_names[type];
}

/*
 * Make room for @extra more bytes.  Grows geometrically so that repeated
 * appends stay linear.  On failure (ENOMEM, or EOVERFLOW for a size that
 * does not fit) the buffer is unchanged and still owned by the caller.
 */
int wt_buf_reserve(struct wt_buf *b, size_t extra)
{
	size_t need, cap;
	uint8_t *p;

	if (extra > SIZE_MAX - b->len) {
		errno = EOVERFLOW;
		return -1;
	}
	need = b->len + extra;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = realloc(b->data, cap);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Copy @len bytes to the end of @b.  On failure @b is unchanged. */
int wt_buf_append(struct wt_buf *b, const void *data, size_t len)
{
	if (wt_buf_reserve(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	return 0;
}

/* Free the storage and leave @b as an empty buffer, reusable. */
void wt_buf_free(struct wt_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

struct wt_encoder {
	const struct wt_codec *codec;
	void *state;	/* the codec's, owned here */
};

/* See wtfile.h. */
struct wt_encoder *wt_encoder_new(unsigned codec)
{
	const struct wt_codec *c = wt_codec_get(codec);
	struct wt_encoder *e;

	if (!c) {
		errno = EINVAL;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->codec = c;
	if (c->state_new && !(e->state = c->state_new())) {
		free(e);
		errno = ENOMEM;
		return NULL;
	}
	return e;
}

void wt_encoder_free(struct wt_encoder *e)
{
	if (!e)
		return;
	if (e->codec->state_free)
		e->codec->state_free(e->state);
	free(e);
}

unsigned wt_encoder_codec(const struct wt_encoder *e)
{
	return e->codec->id;
}

unsigned wt_format_version(unsigned codec)
{
	return codec == WT_CODEC_ZLIB ? 1 : 2;
}

/*
 * Bytes at the start of a payload that the codec should make readable
 * without the rest: the CPU number and sub-buffer size of CPU_DATA, all
 * the analyzer's first pass reads of it (wt_reader_next_lazy).
 */
static size_t split_of(uint32_t type, size_t len)
{
	return type == WT_CHUNK_CPU_DATA && len > 8 ? 8 : 0;
}

/*
 * Append header + compressed payload to @out (see wtfile.h).  On failure
 * @out keeps its previous length (it may have grown its capacity).
 */
int wt_chunk_encode(struct wt_encoder *e, uint32_t type, const void *data,
		    size_t len, struct wt_buf *out)
{
	const struct wt_codec *codec = e->codec;
	size_t split = split_of(type, len), bound, clen;
	uint8_t *hdr;
	uLong crc;

	if (len > WT_CHUNK_MAX_RAW || (len && !data) ||
	    type >= WT_CHUNK_TYPE_LIMIT) {
		errno = EINVAL;
		return -1;
	}
	bound = codec->bound(len, split);
	if (wt_buf_reserve(out, WT_CHUNK_HEADER_LEN + bound) < 0)
		return -1;
	hdr = out->data + out->len;
	clen = bound;
	if (codec->compress(e->state, data, len, split,
			    hdr + WT_CHUNK_HEADER_LEN, &clen) < 0)
		return -1;
	if (clen > WT_CHUNK_MAX_COMPRESSED) { /* above every codec's bound */
		errno = EOVERFLOW;
		return -1;
	}
	wt_put_le16(hdr, (uint16_t)type);
	hdr[2] = (uint8_t)codec->id;
	hdr[3] = 0;
	wt_put_le32(hdr + 4, clen);
	wt_put_le32(hdr + 8, len);
	crc = crc32(0L, hdr, 12);
	crc = crc32(crc, hdr + WT_CHUNK_HEADER_LEN, clen);
	wt_put_le32(hdr + 12, crc);
	out->len += WT_CHUNK_HEADER_LEN + clen;
	return 0;
}
