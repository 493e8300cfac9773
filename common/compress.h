/*
 * compress.h - the codecs behind chunk payloads, each a tiny ops struct so
 * that another codec is one more file (compare trace-cmd's
 * lib/trace-cmd/trace-compress-zlib.c).
 *
 * Every chunk header names its codec (docs/FORMAT.md, "Chunk framing"):
 * WT_CODEC_ZLIB, the only codec of format version 1, and WT_CODEC_ZSTD,
 * the default since version 2.  wt_codec_get() maps the number to its ops.
 *
 * State: a codec may keep per-thread state (zstd's compression and
 * decompression contexts, a few hundred KiB that are worth reusing for
 * every chunk of a recording).  state_new() makes it, state_free() frees it
 * (NULL accepted); one state is used by one thread at a time.  A codec
 * without state has NULL state_new/state_free and is passed NULL.
 *
 * Conventions: the functions return 0 or -1 with errno.
 */
#ifndef WT_COMPRESS_H
#define WT_COMPRESS_H

#include <stddef.h>

struct wt_codec {
	const char *name;	/* "zlib", "zstd": in messages and options */
	unsigned id;		/* enum wt_codec_id (wtfile.h) */

	void *(*state_new)(void);
	void (*state_free)(void *st);

	/*
	 * Largest output compress() can produce for @raw_len input bytes
	 * and the same @split.
	 */
	size_t (*bound)(size_t raw_len, size_t split);

	/*
	 * Compress @in into @out, whose capacity is *@out_len (at least
	 * bound(@in_len, @split)); on success *@out_len is the compressed
	 * size.  @split (0: none, else < @in_len) asks that the first
	 * @split bytes be decompressible without the rest (a frame of
	 * their own), so that decompress_prefix() of at most @split bytes
	 * is cheap; a codec whose prefix decoding is cheap anyway ignores
	 * it.  -1 with errno (ENOMEM, ENOBUFS for a too small @out, EINVAL).
	 */
	int (*compress)(void *st, const void *in, size_t in_len, size_t split,
			void *out, size_t *out_len);

	/*
	 * Decompress @in into @out, which holds exactly @raw_len bytes.  The
	 * data must decompress to exactly @raw_len bytes and end there:
	 * -1 with errno EMSGSIZE if it would produce more (nothing past
	 * @raw_len is ever written), ENODATA if it ends with fewer, EBADMSG
	 * if it is corrupt, truncated or followed by trailing bytes, ENOMEM.
	 * A checksum inside the stream may go unverified (zlib's Adler-32):
	 * callers verify the chunk CRC-32 over @in first.
	 */
	int (*decompress)(void *st, const void *in, size_t in_len, void *out,
			  size_t raw_len);

	/*
	 * Decompress only the first @want bytes of @in into @out: *@got is
	 * how many came out, fewer than @want only when the data ends (or is
	 * damaged) before.  What comes after them need not be looked at, so
	 * the rest of the stream is not checked.  -1 with errno EBADMSG
	 * (corrupt before @want bytes), ENOMEM, EINVAL.
	 */
	int (*decompress_prefix)(void *st, const void *in, size_t in_len,
				 void *out, size_t want, size_t *got);
};

extern const struct wt_codec wt_codec_zlib;
extern const struct wt_codec wt_codec_zstd;

/* The codec numbered @id in chunk headers, or NULL for an unknown one. */
const struct wt_codec *wt_codec_get(unsigned id);

#endif /* WT_COMPRESS_H */
