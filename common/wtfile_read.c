/*
 * wtfile_read.c - the .wtrec reader, over a file (pread) or a memory image.
 *
 * The input is untrusted: it may be cut at any byte (recorder killed, disk
 * full), damaged, or hostile.  Every length is checked against the limits
 * in wtfile.h and against the bytes that remain before it is used, and the
 * CRC is checked before the payload is inflated, so nothing is allocated
 * beyond WT_CHUNK_MAX_COMPRESSED + WT_CHUNK_MAX_RAW whatever the file says.
 *
 * Files are read with pread() rather than mmap(): a recording still being
 * written, or truncated by its writer after ENOSPC, must give an error
 * message, never SIGBUS.  The compressed and decompressed buffers live in
 * the reader and are reused, so a pass over a file allocates once per size
 * high-water mark, not once per chunk; so are the codecs' decompression
 * states, made the first time a chunk of that codec comes by.
 *
 * Versions: a version 1 chunk header starts with a u32 type and its payload
 * is zlib; a version 2 header with a u16 type, the codec and a reserved
 * byte (docs/FORMAT.md).  Both are checked with the CRC before the codec
 * byte is believed.
 *
 * Errors are one line, "<file>: offset <N>: <what>", where N is the offset
 * of the damaged header field or chunk header.  Conventions as in wtfile.h:
 * 0/1 or -1, message in wt_reader_error().
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "compress.h"
#include "wtfile.h"

struct wt_reader {
	char *name;		/* for messages */
	int fd;			/* -1 when reading memory */
	const uint8_t *mem;	/* the caller's image, when fd < 0 */
	uint64_t size;
	uint64_t pos;		/* offset of the next chunk header */
	bool failed;		/* wt_reader_next hit damage: stays failed */
	bool saw_trailer;
	bool oom;		/* the last error was an allocation failure */
	struct wt_file_header hdr;
	struct wt_buf comp;	/* compressed payload read from the file */
	struct wt_buf raw;	/* decompressed payload, handed out */
	void *state[WT_CODEC_MAX + 1]; /* per codec, made on first use */
	char err[512];
};

static void set_err(struct wt_reader *r, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(struct wt_reader *r, uint64_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	r->oom = false;
	n = snprintf(r->err, sizeof(r->err), "%s: offset %" PRIu64 ": ",
		     r->name, off);
	if (n < 0 || (size_t)n >= sizeof(r->err))
		return;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - n, fmt, ap);
	va_end(ap);
}

/*
 * Copy @len bytes at @off (already checked to lie inside the file) into
 * @dst.  For files a short read means the file shrank under us.
 */
static int read_exact(struct wt_reader *r, uint64_t off, void *dst,
		      size_t len)
{
	uint8_t *p = dst;
	size_t done = 0;

	if (r->fd < 0) {
		memcpy(dst, r->mem + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t n = pread(r->fd, p + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			set_err(r, off + done, "read error: %s",
				strerror(errno));
			return -1;
		}
		if (n == 0) {
			set_err(r, off + done,
				"file shrank while reading (%zu bytes missing)",
				len - done);
			return -1;
		}
		done += n;
	}
	return 0;
}

/*
 * Return a pointer to @len payload bytes at @off: into the memory image, or
 * into r->comp after reading.  @len has been checked against the limits.
 */
static const uint8_t *payload(struct wt_reader *r, uint64_t off, size_t len)
{
	if (r->fd < 0)
		return r->mem + off;
	if (len == 0) /* r->comp.data may still be NULL */
		return (const uint8_t *)"";
	r->comp.len = 0;
	if (wt_buf_reserve(&r->comp, len) < 0) {
		set_err(r, off, "out of memory for %zu bytes", len);
		r->oom = true;
		return NULL;
	}
	if (read_exact(r, off, r->comp.data, len) < 0)
		return NULL;
	return r->comp.data;
}

/* Report a failed inflate of the payload at @off; @err is the codec's
 * errno (ENODATA: the payload is shorter than @raw_len).  Returns -1. */
static int inflate_failed(struct wt_reader *r, uint64_t off,
			  const struct wt_codec *codec, int err,
			  uint32_t raw_len)
{
	if (err == EMSGSIZE)
		set_err(r, off, "payload inflates to more than the declared "
			"%" PRIu32 " bytes", raw_len);
	else if (err == ENODATA)
		set_err(r, off, "payload inflates to fewer than the declared "
			"%" PRIu32 " bytes", raw_len);
	else if (err == ENOMEM)
		set_err(r, off, "out of memory inflating the payload");
	else
		set_err(r, off, "bad %s data in the payload", codec->name);
	r->oom = err == ENOMEM;
	return -1;
}

/* The state @codec decompresses with, made on first use; NULL for a
 * codec without state, or when making it failed (message set, *@failed). */
static void *codec_state(struct wt_reader *r, uint64_t off,
			 const struct wt_codec *codec, bool *failed)
{
	*failed = false;
	if (!codec->state_new || r->state[codec->id])
		return r->state[codec->id];
	r->state[codec->id] = codec->state_new();
	if (!r->state[codec->id]) {
		set_err(r, off, "out of memory for the %s decoder", codec->name);
		*failed = true;
	}
	return r->state[codec->id];
}

/* Inflate into r->raw, which must end up exactly @raw_len bytes. */
static int inflate_payload(struct wt_reader *r, uint64_t off,
			   const struct wt_codec *codec, const uint8_t *src,
			   uint32_t clen, uint32_t raw_len)
{
	bool failed;
	void *st = codec_state(r, off, codec, &failed);

	if (failed)
		return -1;
	r->raw.len = 0;
	if (wt_buf_reserve(&r->raw, raw_len) < 0) {
		set_err(r, off, "out of memory for %" PRIu32 " bytes", raw_len);
		r->oom = true;
		return -1;
	}
	if (codec->decompress(st, src, clen, r->raw.data, raw_len) == 0) {
		r->raw.len = raw_len;
		return 0;
	}
	return inflate_failed(r, off, codec, errno, raw_len);
}

/* Inflate the first @want bytes of a @raw_len payload into r->raw (a lazy
 * read). */
static int inflate_prefix(struct wt_reader *r, uint64_t off,
			  const struct wt_codec *codec, const uint8_t *src,
			  uint32_t clen, size_t want, uint32_t raw_len)
{
	bool failed;
	void *st = codec_state(r, off, codec, &failed);
	size_t got = 0;
	int rc;

	if (failed)
		return -1;
	r->raw.len = 0;
	if (wt_buf_reserve(&r->raw, want ? want : 1) < 0) {
		set_err(r, off, "out of memory for %zu bytes", want);
		r->oom = true;
		return -1;
	}
	rc = codec->decompress_prefix(st, src, clen, r->raw.data, want, &got);
	if (rc == 0 && got == want) {
		r->raw.len = want;
		return 0;
	}
	return inflate_failed(r, off, codec, rc == 0 ? ENODATA : errno,
			      raw_len);
}

/* Check the 16-byte chunk header at @off against limits and the file. */
static int check_lengths(struct wt_reader *r, uint64_t off, uint32_t clen,
			 uint32_t raw_len)
{
	uint64_t remain = r->size - off - WT_CHUNK_HEADER_LEN;

	if (clen > WT_CHUNK_MAX_COMPRESSED) {
		set_err(r, off, "compressed length %" PRIu32
			" exceeds the limit %u", clen,
			(unsigned)WT_CHUNK_MAX_COMPRESSED);
		return -1;
	}
	if (raw_len > WT_CHUNK_MAX_RAW) {
		set_err(r, off, "raw length %" PRIu32 " exceeds the limit %u",
			raw_len, (unsigned)WT_CHUNK_MAX_RAW);
		return -1;
	}
	if (clen > remain) {
		set_err(r, off, "chunk truncated: header says %" PRIu32
			" bytes, %" PRIu64 " remain", clen, remain);
		return -1;
	}
	return 0;
}

/*
 * The type and codec of a chunk header whose CRC matched: version 1 has a
 * u32 type and zlib; version 2 a u16 type, a codec this reader knows and
 * a reserved byte that is 0.  NULL (message set) for what version 2 does
 * not define: a later writer would have bumped the version.
 */
static const struct wt_codec *chunk_codec(struct wt_reader *r, uint64_t off,
					  const uint8_t *h, uint32_t *type)
{
	const struct wt_codec *codec;

	if (r->hdr.version == 1) {
		*type = wt_get_le32(h);
		return &wt_codec_zlib;
	}
	*type = wt_get_le16(h);
	codec = wt_codec_get(h[2]);
	if (!codec)
		set_err(r, off, "unknown codec %u", h[2]);
	else if (h[3]) {
		set_err(r, off, "unknown chunk flags 0x%02x", h[3]);
		codec = NULL;
	}
	return codec;
}

/*
 * Read, verify and inflate the chunk whose header is at @off (with
 * WT_FILE_HEADER_LEN <= @off <= size).  Fills @c and *@next on success.
 * A chunk of type @lazy_type is inflated only up to @prefix bytes.
 */
static int read_chunk(struct wt_reader *r, uint64_t off, struct wt_chunk *c,
		      uint64_t *next, uint32_t lazy_type, size_t prefix)
{
	uint8_t h[WT_CHUNK_HEADER_LEN];
	uint32_t type, clen, raw_len, crc;
	const struct wt_codec *codec;
	const uint8_t *src;
	uLong sum;

	if (r->size - off < WT_CHUNK_HEADER_LEN) {
		set_err(r, off, "chunk header truncated: %d bytes needed, "
			"%" PRIu64 " remain", WT_CHUNK_HEADER_LEN,
			r->size - off);
		return -1;
	}
	if (read_exact(r, off, h, sizeof(h)) < 0)
		return -1;
	clen = wt_get_le32(h + 4);
	raw_len = wt_get_le32(h + 8);
	crc = wt_get_le32(h + 12);
	if (check_lengths(r, off, clen, raw_len) < 0)
		return -1;
	src = payload(r, off + WT_CHUNK_HEADER_LEN, clen);
	if (!src)
		return -1;
	sum = crc32(crc32(0L, h, 12), src, clen);
	if (sum != crc) {
		set_err(r, off, "CRC mismatch (stored %08" PRIx32
			", computed %08lx)", crc, (unsigned long)sum);
		return -1;
	}
	codec = chunk_codec(r, off, h, &type);
	if (!codec)
		return -1;
	if (type == lazy_type && prefix < raw_len) {
		if (inflate_prefix(r, off, codec, src, clen, prefix, raw_len) < 0)
			return -1;
	} else if (inflate_payload(r, off, codec, src, clen, raw_len) < 0) {
		return -1;
	}
	c->type = type;
	c->codec = (uint8_t)codec->id;
	c->offset = off;
	c->data = r->raw.data ? r->raw.data : (const uint8_t *)"";
	c->len = raw_len;
	*next = off + WT_CHUNK_HEADER_LEN + clen;
	return 0;
}

/* Validate the file header (the first min(size, 16) bytes in @h). */
static int check_header(struct wt_reader *r, const uint8_t *h)
{
	size_t have = r->size < WT_FILE_HEADER_LEN ? r->size
						    : WT_FILE_HEADER_LEN;

	if (memcmp(h, WT_MAGIC, have < WT_MAGIC_LEN ? have : WT_MAGIC_LEN)) {
		set_err(r, 0, "not a wtrec file (bad magic)");
		return -1;
	}
	if (have < WT_FILE_HEADER_LEN) {
		set_err(r, 0, "file header truncated: %d bytes needed, "
			"%zu present", WT_FILE_HEADER_LEN, have);
		return -1;
	}
	r->hdr.version = wt_get_le16(h + 8);
	if (r->hdr.version < WT_FORMAT_VERSION_MIN ||
	    r->hdr.version > WT_FORMAT_VERSION) {
		set_err(r, 8, "unsupported format version %u",
			(unsigned)r->hdr.version);
		return -1;
	}
	if (h[10] != 1 && h[10] != 2) {
		set_err(r, 10, "bad byte order %u (1=little, 2=big)", h[10]);
		return -1;
	}
	if (h[11] != 4 && h[11] != 8) {
		set_err(r, 11, "bad word size %u (4 or 8)", h[11]);
		return -1;
	}
	r->hdr.byte_order_le = h[10] == 1;
	r->hdr.word_size = h[11];
	/* h[12..15] is reserved: written as 0, ignored (FORMAT.md). */
	return 0;
}

static struct wt_reader *alloc_reader(const char *name)
{
	struct wt_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->name = strdup(name ? name : "(memory)");
	if (!r->name) {
		free(r);
		return NULL;
	}
	r->fd = -1;
	r->pos = WT_FILE_HEADER_LEN;
	return r;
}

/* Read and check the header; on failure copy the message to @err. */
static int start(struct wt_reader *r, char *err, size_t errlen)
{
	uint8_t h[WT_FILE_HEADER_LEN] = { 0 };
	size_t have = r->size < sizeof(h) ? r->size : sizeof(h);

	if (read_exact(r, 0, h, have) == 0 && check_header(r, h) == 0)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "%s", r->err);
	return -1;
}

/* See wtfile.h.  Free with wt_reader_close(). */
struct wt_reader *wt_reader_open(const char *path, char *err, size_t errlen)
{
	struct wt_reader *r = alloc_reader(path);
	struct stat st;

	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		if (err && errlen)
			snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	r->size = st.st_size;
	if (start(r, err, errlen) < 0)
		goto fail;
	return r;
fail:
	wt_reader_close(r);
	return NULL;
}

/* See wtfile.h.  @buf stays the caller's; free with wt_reader_close(). */
struct wt_reader *wt_reader_open_mem(const void *buf, size_t len,
				     const char *name, char *err,
				     size_t errlen)
{
	struct wt_reader *r = alloc_reader(name);

	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory",
				 name ? name : "(memory)");
		return NULL;
	}
	r->mem = buf ? buf : (const uint8_t *)"";
	r->size = buf ? len : 0;
	if (start(r, err, errlen) < 0) {
		wt_reader_close(r);
		return NULL;
	}
	return r;
}

const struct wt_file_header *wt_reader_header(const struct wt_reader *r)
{
	return &r->hdr;
}

/* See wtfile.h.  @c->data is owned by @r and valid until the next call. */
int wt_reader_next_lazy(struct wt_reader *r, struct wt_chunk *c,
			uint32_t lazy_type, size_t prefix)
{
	uint64_t next;

	if (r->failed)
		return -1;
	if (r->pos == r->size)
		return 0;
	if (read_chunk(r, r->pos, c, &next, lazy_type, prefix) < 0) {
		r->failed = true;
		return -1;
	}
	r->pos = next;
	if (c->type == WT_CHUNK_TRAILER)
		r->saw_trailer = true;
	return 1;
}

/* A prefix of SIZE_MAX is never shorter than a payload: all inflated. */
int wt_reader_next(struct wt_reader *r, struct wt_chunk *c)
{
	return wt_reader_next_lazy(r, c, 0, SIZE_MAX);
}

/*
 * See wtfile.h.  A failure here sets the message but does not stop
 * wt_reader_next: the sequential pass is unaffected.
 */
int wt_reader_read_at(struct wt_reader *r, uint64_t offset,
		      struct wt_chunk *c)
{
	uint64_t next;

	if (offset < WT_FILE_HEADER_LEN || offset >= r->size) {
		set_err(r, offset, "no chunk here: outside the chunk area "
			"[%d, %" PRIu64 ")", WT_FILE_HEADER_LEN, r->size);
		return -1;
	}
	return read_chunk(r, offset, c, &next, 0, SIZE_MAX) < 0 ? -1 : 1;
}

uint64_t wt_reader_size(const struct wt_reader *r)
{
	return r->size;
}

uint64_t wt_reader_offset(const struct wt_reader *r)
{
	return r->pos;
}

bool wt_reader_saw_trailer(const struct wt_reader *r)
{
	return r->saw_trailer;
}

const char *wt_reader_error(const struct wt_reader *r)
{
	return r->err;
}

bool wt_reader_out_of_memory(const struct wt_reader *r)
{
	return r->oom;
}

void wt_reader_close(struct wt_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	wt_buf_free(&r->comp);
	wt_buf_free(&r->raw);
	for (unsigned id = 0; id <= WT_CODEC_MAX; id++)
		if (r->state[id])
			wt_codec_get(id)->state_free(r->state[id]);
	free(r->name);
	free(r);
}
