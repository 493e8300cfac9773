/*
 * compress_zlib.c - zlib codec for chunk payloads (see compress.h).
 *
 * Workload: the recorder compresses runs of whole ring-buffer sub-buffers
 * (CPU_DATA, typically 64 x 4 KiB = 256 KiB per chunk) on its reader threads
 * while the kernel keeps filling the buffer, so compression speed decides
 * whether the recorder keeps up and loses no events; the text chunks are
 * small.  The reader inflates each chunk once, into a buffer of the declared
 * size, and must not trust the stream to stop there.
 *
 * Each call is a fresh one-shot deflate/inflate stream: the codec has no
 * state (compress.h), so any thread may call in.  Since format version 2
 * the recorder writes zstd by default (compress_zstd.c); this codec reads
 * version 1 files and writes them for `wtrec record --codec zlib`.
 * Returns 0 or -1 with errno, as compress.h says.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <zlib.h>

#include "compress.h"
#include "wtfile.h"

/*
 * Level 1 rather than the default 6.  Measured on synthetic ring-buffer data
 * (64 sub-buffers of 4096 bytes, each filled 30..100% with 24..48-byte
 * syscall/sched records: small timestamp deltas, six pids, user addresses,
 * zero tail), gcc -O2, one core of this 2-core VM, range of five runs:
 *   level 1: 105..165 MB/s, 256 KiB -> 37.7 KiB (14.7%)
 *   level 6:  45..68 MB/s, 256 KiB -> 28.0 KiB (10.9%)
 * (level 2 is within the noise of level 1, 13.2%; level 3 is slower.)
 * Level 6 saves a quarter of an already small file at half the speed, and
 * that time is taken from the reader threads that must drain the ring
 * buffer before the kernel overwrites it.  Level 1 (the zero runs cost it
 * nothing) keeps the recorder far above any realistic wait4 event rate.
 */
#define WT_ZLIB_LEVEL 1

/* @split is ignored: inflate() stops when its output is full, so a prefix
 * costs only what it takes to produce it. */
static size_t zlib_bound(size_t raw_len, size_t split)
{
	(void)split;
	return compressBound(raw_len);
}

static int zlib_compress(void *st, const void *in, size_t in_len,
			 size_t split, void *out, size_t *out_len)
{
	z_stream zs = { 0 };
	int ret;

	(void)st;
	(void)split;
	if (in_len > UINT_MAX || *out_len > UINT_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (deflateInit(&zs, WT_ZLIB_LEVEL) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	zs.next_in = (Bytef *)(in ? in : "");
	zs.avail_in = in_len;
	zs.next_out = out;
	zs.avail_out = *out_len;
	ret = deflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (ret != Z_STREAM_END) {
		errno = ENOBUFS; /* only possible when out < bound() */
		return -1;
	}
	return 0;
}

/*
 * The 2-byte zlib header, checked as inflate() would (deflate method, a
 * window zlib can have, check bits, no preset dictionary).  The stream is
 * then inflated raw and its 4-byte Adler-32 trailer only counted, not
 * computed: the chunk's CRC-32 over these very bytes was verified before
 * (wtfile_read.c), so a damaged stream cannot get here unnoticed, and the
 * Adler-32 pass was a measurable share of `wtrec analyze`
 * (bench/README.md).
 */
#define ADLER_LEN 4
static bool zlib_header_ok(const unsigned char *p, size_t len)
{
	return len >= 2 && (p[0] & 0x0f) == Z_DEFLATED && (p[0] >> 4) <= 7 &&
	       ((p[0] << 8) | p[1]) % 31 == 0 && !(p[1] & 0x20);
}

/*
 * After @zs filled all @raw_len bytes without reaching the end of the
 * stream, find out whether the stream wants to produce more (EMSGSIZE), or
 * is merely cut short or damaged (EBADMSG).  Writes only to a local byte.
 */
static int classify_full(z_stream *zs)
{
	unsigned char extra;
	int ret;

	zs->next_out = &extra;
	zs->avail_out = 1;
	ret = inflate(zs, Z_FINISH);
	if (zs->avail_out == 0)
		return EMSGSIZE;
	if (ret == Z_STREAM_END)
		return zs->avail_in != ADLER_LEN ? EBADMSG : 0;
	return EBADMSG;
}

static int zlib_decompress(void *st, const void *in, size_t in_len,
			   void *out, size_t raw_len)
{
	unsigned char dummy; /* zlib refuses a NULL next_out */
	z_stream zs = { 0 };
	int ret, err = 0;

	(void)st;
	if (in_len > UINT_MAX || raw_len > UINT_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (!zlib_header_ok(in, in_len)) {
		errno = EBADMSG;
		return -1;
	}
	if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	zs.next_in = (Bytef *)in + 2;
	zs.avail_in = in_len - 2;
	zs.next_out = raw_len ? out : &dummy;
	zs.avail_out = raw_len;
	ret = inflate(&zs, Z_FINISH);
	if (ret == Z_STREAM_END)
		err = zs.avail_in != ADLER_LEN ? EBADMSG :
		      zs.total_out < raw_len ? ENODATA : 0;
	else if (ret == Z_MEM_ERROR)
		err = ENOMEM;
	else if (zs.avail_out == 0 && ret == Z_BUF_ERROR)
		err = classify_full(&zs);
	else
		err = EBADMSG;
	inflateEnd(&zs);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* The analyzer's first pass reads only the CPU number at the start of each
 * CPU_DATA payload: inflating the whole chunk for it doubled the inflate
 * work of `wtrec analyze`. */
static int zlib_decompress_prefix(void *st, const void *in, size_t in_len,
				  void *out, size_t want, size_t *got)
{
	unsigned char dummy;
	z_stream zs = { 0 };
	int ret;

	(void)st;
	*got = 0;
	if (in_len > UINT_MAX || want > UINT_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (inflateInit(&zs) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	zs.next_in = (Bytef *)(in ? in : "");
	zs.avail_in = in_len;
	zs.next_out = want ? out : &dummy;
	zs.avail_out = want;
	ret = want ? inflate(&zs, Z_SYNC_FLUSH) : Z_OK;
	*got = want - zs.avail_out;
	inflateEnd(&zs);
	if (ret == Z_MEM_ERROR) {
		errno = ENOMEM;
		return -1;
	}
	if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

const struct wt_codec wt_codec_zlib = {
	.name = "zlib",
	.id = WT_CODEC_ZLIB,
	.bound = zlib_bound,
	.compress = zlib_compress,
	.decompress = zlib_decompress,
	.decompress_prefix = zlib_decompress_prefix,
};
