/*
 * compress_zstd.c - zstd codec for chunk payloads (see compress.h), the
 * recorder's default since format version 2.
 *
 * Workload: as for compress_zlib.c, the recorder compresses runs of whole
 * ring-buffer sub-buffers (CPU_DATA, 64 x 4 KiB) on its reader threads
 * while the kernel keeps filling the buffer, and the analyzer decompresses
 * each chunk once.  Measured on the raw CPU_DATA of real recordings, each
 * 256 KiB chunk compressed on its own, one core of the 2-core test VM:
 *
 *                     forkwait 20000 (7.2 MB)     pollstorm (100 MB)
 *   zlib level 1      20.2%  8.87 B/event  199 MB/s   4.4%  1.93 B/ev  440 MB/s
 *   zstd level -1     12.6%  5.55 B/event 1056 MB/s   3.4%  1.50 B/ev 2103 MB/s
 *   zstd level 1      12.3%  5.41 B/event  905 MB/s   2.7%  1.17 B/ev 1975 MB/s
 *   zstd level 3      13.1%  5.76 B/event  724 MB/s   2.9%  1.27 B/ev 1223 MB/s
 *
 * Level 1 is both smaller and 4-5x faster than zlib's level 1, which
 * leaves the reader threads more of their CPU; higher levels are slower
 * and, on this data, not smaller.  Larger chunks (1 MiB) gained nothing.
 *
 * A payload is one or more complete zstd frames (RFC 8878) whose contents,
 * concatenated, are the chunk's raw bytes (docs/FORMAT.md).  Skippable and
 * legacy (pre-1.0) frames are refused: a reader of hostile files gains
 * nothing from decoders wtrec never writes for.  With @split the first
 * bytes go in a frame of their own: the analyzer's first pass reads only
 * the CPU number at the start of each CPU_DATA chunk, and a frame is the
 * smallest unit zstd decodes without the rest.
 *
 * State: one ZSTD_CCtx and one ZSTD_DCtx, each made on first use and
 * reused for every chunk (a context costs hundreds of KiB to set up).
 * Single-shot decompression writes into the caller's buffer and allocates
 * no window; only decompress_prefix streams, with the window capped at
 * WINDOW_LOG_MAX so that a hostile frame cannot make it allocate more than
 * a chunk's largest raw size.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "compress.h"
#include "wtfile.h"

#define WT_ZSTD_LEVEL 1
#define WINDOW_LOG_MAX 26 /* 64 MiB = WT_CHUNK_MAX_RAW */

struct zstd_state {
	ZSTD_CCtx *c;
	ZSTD_DCtx *d;
};

static void *zstd_state_new(void)
{
	return calloc(1, sizeof(struct zstd_state));
}

static void zstd_state_free(void *st)
{
	struct zstd_state *s = st;

	if (!s)
		return;
	ZSTD_freeCCtx(s->c);
	ZSTD_freeDCtx(s->d);
	free(s);
}

static ZSTD_CCtx *cctx(struct zstd_state *s)
{
	if (!s->c) {
		s->c = ZSTD_createCCtx();
		if (s->c && ZSTD_isError(ZSTD_CCtx_setParameter(s->c,
				ZSTD_c_compressionLevel, WT_ZSTD_LEVEL))) {
			ZSTD_freeCCtx(s->c);
			s->c = NULL;
		}
	}
	return s->c;
}

static ZSTD_DCtx *dctx(struct zstd_state *s)
{
	if (!s->d) {
		s->d = ZSTD_createDCtx();
		if (s->d && ZSTD_isError(ZSTD_DCtx_setParameter(s->d,
				ZSTD_d_windowLogMax, WINDOW_LOG_MAX))) {
			ZSTD_freeDCtx(s->d);
			s->d = NULL;
		}
	}
	return s->d;
}

/* errno for a zstd error code; @full is the errno of "output too small" */
static int zstd_errno(size_t code, int full)
{
	switch (ZSTD_getErrorCode(code)) {
	case ZSTD_error_dstSize_tooSmall:
		return full;
	case ZSTD_error_memory_allocation:
		return ENOMEM;
	default:
		return EBADMSG;
	}
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static size_t zstd_bound(size_t raw_len, size_t split)
{
	if (split && split < raw_len)
		return ZSTD_compressBound(split) +
		       ZSTD_compressBound(raw_len - split);
	return ZSTD_compressBound(raw_len);
}

static int zstd_compress(void *st, const void *in, size_t in_len,
			 size_t split, void *out, size_t *out_len)
{
	const uint8_t *src = in ? in : (const uint8_t *)"";
	ZSTD_CCtx *c = st ? cctx(st) : NULL;
	size_t first = 0, rest;

	if (!st)
		return fail(EINVAL);
	if (!c)
		return fail(ENOMEM);
	if (split >= in_len)
		split = 0;
	if (split) {
		first = ZSTD_compress2(c, out, *out_len, src, split);
		if (ZSTD_isError(first))
			return fail(zstd_errno(first, ENOBUFS));
	}
	rest = ZSTD_compress2(c, (uint8_t *)out + first, *out_len - first,
			      src + split, in_len - split);
	if (ZSTD_isError(rest))
		return fail(zstd_errno(rest, ENOBUFS));
	*out_len = first + rest;
	return 0;
}

/*
 * Bytes of the zstd frame that starts @p, or 0 when there is no whole
 * frame there (or it is a skippable or legacy one).
 */
static size_t frame_len(const uint8_t *p, size_t len)
{
	size_t n;

	if (len < 4 || wt_get_le32(p) != ZSTD_MAGICNUMBER)
		return 0;
	n = ZSTD_findFrameCompressedSize(p, len);
	return ZSTD_isError(n) ? 0 : n;
}

static int zstd_decompress(void *st, const void *in, size_t in_len,
			   void *out, size_t raw_len)
{
	ZSTD_DCtx *d = st ? dctx(st) : NULL;
	const uint8_t *p = in;
	uint8_t dummy, *dst = raw_len ? out : &dummy;
	size_t done = 0, n, got;

	if (!st)
		return fail(EINVAL);
	if (!d)
		return fail(ENOMEM);
	if (!in_len) /* at least one frame, even for no bytes */
		return fail(EBADMSG);
	while (in_len) {
		n = frame_len(p, in_len);
		if (!n)
			return fail(EBADMSG);
		got = ZSTD_decompressDCtx(d, dst + done, raw_len - done, p, n);
		if (ZSTD_isError(got))
			return fail(zstd_errno(got, EMSGSIZE));
		done += got;
		p += n;
		in_len -= n;
	}
	return done < raw_len ? fail(ENODATA) : 0;
}

/*
 * Up to @cap bytes of the frame @p (@n bytes) into @dst; *@got how many.
 * A frame that fits (the writer's split prefix) is decoded in one go; a
 * larger one is streamed until @dst is full.
 */
static int frame_prefix(ZSTD_DCtx *d, const uint8_t *p, size_t n,
			uint8_t *dst, size_t cap, size_t *got)
{
	unsigned long long content = ZSTD_getFrameContentSize(p, n);
	ZSTD_inBuffer ib = { p, n, 0 };
	ZSTD_outBuffer ob = { dst, cap, 0 };
	size_t r, in_was, out_was;

	if (content <= cap) { /* also excludes the UNKNOWN/ERROR values */
		r = ZSTD_decompressDCtx(d, dst, cap, p, n);
		if (ZSTD_isError(r))
			return fail(zstd_errno(r, EBADMSG));
		*got = r;
		return 0;
	}
	ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
	do {
		in_was = ib.pos;
		out_was = ob.pos;
		r = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(r))
			return fail(zstd_errno(r, EBADMSG));
	} while (r && ob.pos < ob.size &&
		 (ib.pos != in_was || ob.pos != out_was));
	*got = ob.pos;
	return 0;
}

static int zstd_decompress_prefix(void *st, const void *in, size_t in_len,
				  void *out, size_t want, size_t *got)
{
	ZSTD_DCtx *d = st ? dctx(st) : NULL;
	const uint8_t *p = in;
	size_t n, k;

	*got = 0;
	if (!st)
		return fail(EINVAL);
	if (!d)
		return fail(ENOMEM);
	while (*got < want && in_len) {
		n = frame_len(p, in_len);
		if (!n)
			return fail(EBADMSG);
		if (frame_prefix(d, p, n, (uint8_t *)out + *got, want - *got,
				 &k) < 0)
			return -1;
		*got += k;
		p += n;
		in_len -= n;
	}
	return 0;
}

const struct wt_codec wt_codec_zstd = {
	.name = "zstd",
	.id = WT_CODEC_ZSTD,
	.state_new = zstd_state_new,
	.state_free = zstd_state_free,
	.bound = zstd_bound,
	.compress = zstd_compress,
	.decompress = zstd_decompress,
	.decompress_prefix = zstd_decompress_prefix,
};
