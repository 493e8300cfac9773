/*
 * compress.h - the codec behind chunk payloads, as a tiny ops struct so that
 * another codec is one more file (compare trace-cmd's
 * lib/trace-cmd/trace-compress-zlib.c).
 *
 * Format version 1 stores every payload with zlib (docs/FORMAT.md), so
 * wt_codec_zlib is the only codec the container names today; a second codec
 * would need a format change that says which one a chunk uses.
 *
 * Conventions: the functions return 0 or -1 with errno; they keep no state
 * between calls and are safe to call from several threads at once.
 */
#ifndef WT_COMPRESS_H
#define WT_COMPRESS_H

#include <stddef.h>

struct wt_codec {
	const char *name;

	/* Largest output compress() can produce for @raw_len input bytes. */
	size_t (*bound)(size_t raw_len);

	/*
	 * Compress @in into @out, whose capacity is *@out_len (at least
	 * bound(@in_len)); on success *@out_len is the compressed size.
	 * -1 with errno (ENOMEM, ENOBUFS for a too small @out, EINVAL).
	 */
	int (*compress)(const void *in, size_t in_len, void *out,
			size_t *out_len);

	/*
	 * Decompress @in into @out, which holds exactly @raw_len bytes.  The
	 * data must decompress to exactly @raw_len bytes and end there:
	 * -1 with errno EMSGSIZE if it would produce more (nothing past
	 * @raw_len is ever written), ENODATA if it ends with fewer, EBADMSG
	 * if it is corrupt, truncated or followed by trailing bytes, ENOMEM.
	 * A checksum inside the stream may go unverified (zlib's Adler-32):
	 * callers verify the chunk CRC-32 over @in first.
	 */
	int (*decompress)(const void *in, size_t in_len, void *out,
			  size_t raw_len);

	/*
	 * Decompress only the first @want bytes of @in into @out: *@got is
	 * how many came out, fewer than @want only when the data ends (or is
	 * damaged) before.  Nothing after them is looked at, so the rest of
	 * the stream is not checked.  -1 with errno EBADMSG (corrupt before
	 * @want bytes), ENOMEM, EINVAL.
	 */
	int (*decompress_prefix)(const void *in, size_t in_len, void *out,
				 size_t want, size_t *got);
};

extern const struct wt_codec wt_codec_zlib;

#endif /* WT_COMPRESS_H */
