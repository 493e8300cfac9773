/*
 * wtfile.h - the .wtrec container: the only contract between `record` and
 * `analyze`.  The byte layout is specified in docs/FORMAT.md; this header and
 * that document must change together.
 *
 * A file is a 16-byte header followed by self-framed chunks.  Each chunk is
 * compressed on its own, with the codec its header names (zstd by default,
 * zlib in version 1 files), so a file cut at any byte is readable up to its
 * last whole chunk (the recorder may be killed or the disk may fill).
 *
 * Conventions of this module: functions return 0 on success and -1 on error;
 * the writer sets errno, the reader keeps a one-line message (with the byte
 * offset of the damage) retrievable with wt_reader_error().
 */
#ifndef WT_FILE_H
#define WT_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define WT_MAGIC "WTREC\0\r\n" /* 8 bytes; \r\n catches text-mode mangling */
#define WT_MAGIC_LEN 8
/*
 * Format versions this code reads.  Version 1: every chunk zlib, the chunk
 * type a u32.  Version 2: the chunk type is a u16 followed by the chunk's
 * codec and a reserved byte (docs/FORMAT.md).  A writer writes version 1
 * when every chunk is zlib (old readers read it), version 2 otherwise.
 */
#define WT_FORMAT_VERSION_MIN 1
#define WT_FORMAT_VERSION 2
#define WT_FILE_HEADER_LEN 16
#define WT_CHUNK_HEADER_LEN 16

/*
 * Upper bounds on what a length field may ask for.  A reader refuses any
 * chunk above them before allocating, so a damaged or hostile file cannot
 * make it allocate without bound.  A writer never produces larger chunks.
 */
#define WT_CHUNK_MAX_RAW (64u << 20)
#define WT_CHUNK_MAX_COMPRESSED (WT_CHUNK_MAX_RAW + (WT_CHUNK_MAX_RAW >> 8) + 64)

enum wt_chunk_type {
	WT_CHUNK_META = 1,         /* "key=value\n" lines (see FORMAT.md)        */
	WT_CHUNK_HEADER_PAGE = 2,  /* text of tracefs events/header_page         */
	WT_CHUNK_HEADER_EVENT = 3, /* text of tracefs events/header_event        */
	WT_CHUNK_FORMAT = 4,       /* "system\n" + text of events/S/E/format     */
	WT_CHUNK_PROC = 5,         /* /proc snapshot, text (see FORMAT.md)       */
	WT_CHUNK_CPU_DATA = 6,     /* u32 cpu, u32 subbuf_size, whole subbufs    */
	WT_CHUNK_CPU_STATS = 7,    /* u32 cpu, then text of per_cpu/cpuN/stats   */
	WT_CHUNK_TRAILER = 8,      /* "key=value\n" lines; only on clean close   */
	WT_CHUNK_CGROUP = 9,       /* pids limits of cgroups, text (FORMAT.md)   */
	WT_CHUNK_WATERMARK = 10,   /* u64 complete_ns, u64 lost: a follower's
				      promise that every CPU is in (FORMAT.md) */
	WT_CHUNK_TYPE_MAX = 10,
};

/* Chunk types are below this in every version (a u16 since version 2). */
#define WT_CHUNK_TYPE_LIMIT 0x10000u

/*
 * The WATERMARK payload (FORMAT.md): u64 complete_ns - every CPU's events
 * with a timestamp up to it are in the chunks before this one; u64 lost -
 * the kernel's overrun + commit overrun + dropped counts summed over the
 * CPUs at that moment, UINT64_MAX when unknown.  Longer payloads are valid: a reader
 * ignores the bytes after these.
 */
#define WT_WATERMARK_LEN 16

/* Name of a chunk type for messages ("cpu_data"); "unknown" otherwise. */
const char *wt_chunk_type_name(uint32_t type);

/* The codec of a chunk payload, as numbered in version 2 chunk headers. */
enum wt_codec_id {
	WT_CODEC_ZLIB = 0, /* RFC 1950 stream; the only codec of version 1 */
	WT_CODEC_ZSTD = 1, /* RFC 8878 frames; the recorder's default */
	WT_CODEC_MAX = 1,
};
#define WT_CODEC_DEFAULT WT_CODEC_ZSTD

/* The codec called @name ("zstd", "zlib"), or -1. */
int wt_codec_by_name(const char *name);
/* Its name ("zstd"); "unknown" for a number no codec has.  Static. */
const char *wt_codec_name(unsigned id);

/* ---- encoding (one encoder per thread) ---------------------------------- */

/*
 * A growable byte buffer.  Owned by whoever declared it; release with
 * wt_buf_free().  A zeroed struct is an empty buffer.
 */
struct wt_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};
int wt_buf_reserve(struct wt_buf *b, size_t extra);
int wt_buf_append(struct wt_buf *b, const void *data, size_t len);
void wt_buf_free(struct wt_buf *b);

/*
 * A chunk encoder: one codec and its compression state, reused for every
 * chunk (zstd's context is worth keeping).  One thread uses one encoder at
 * a time: the recorder's reader threads each have their own.  NULL with
 * errno (EINVAL for an unknown codec, ENOMEM).  Free with
 * wt_encoder_free(), which accepts NULL.
 */
struct wt_encoder;
struct wt_encoder *wt_encoder_new(unsigned codec);
void wt_encoder_free(struct wt_encoder *e);
unsigned wt_encoder_codec(const struct wt_encoder *e);

/*
 * Frame and compress one chunk with @e, appending header + payload to
 * @out.  Returns 0, or -1 with errno (EINVAL for len > WT_CHUNK_MAX_RAW or
 * type >= WT_CHUNK_TYPE_LIMIT).  The chunk is valid in a file of
 * wt_format_version(wt_encoder_codec(@e)) or later.
 */
int wt_chunk_encode(struct wt_encoder *e, uint32_t type, const void *data,
		    size_t len, struct wt_buf *out);

/* The lowest format version that can hold chunks of @codec. */
unsigned wt_format_version(unsigned codec);

/* ---- writer (one thread) ------------------------------------------------ */

struct wt_writer;

/*
 * Create @path for writing, mode 0600.  The file is first created under a
 * temporary name with O_EXCL|O_NOFOLLOW in the same directory (so a symlink
 * planted at @path is never followed), the header is written, then an
 * existing @path is renamed to "@path.old" when @keep_old is true, and the
 * temporary file is renamed to @path.  Returns NULL with errno on failure;
 * nothing is left behind then.  @byte_order_le/@word_size describe the
 * recorded kernel's ring buffer (stored in the header).  @codec is what
 * wt_writer_add() compresses with; it also sets the format version
 * (wt_format_version()): a zlib file is a version 1 file.
 */
struct wt_writer *wt_writer_open(const char *path, bool keep_old,
				 bool byte_order_le, unsigned word_size,
				 unsigned codec);

/* Compress and append one chunk.  0, or -1 with errno (ENOSPC...). */
int wt_writer_add(struct wt_writer *w, uint32_t type, const void *data,
		  size_t len);

/*
 * Append chunks already framed by wt_chunk_encode().  0 or -1 with errno:
 * EINVAL, writing nothing, when @data is not a sequence of whole chunk
 * headers and payloads, or holds a chunk the file's version cannot (a
 * zstd chunk in a version 1 file).
 */
int wt_writer_add_encoded(struct wt_writer *w, const void *data, size_t len);

/* Bytes written so far, header included. */
uint64_t wt_writer_bytes(const struct wt_writer *w);

/*
 * fsync and close.  Does NOT write a trailer: the caller adds the
 * WT_CHUNK_TRAILER chunk when it stops cleanly.  Accepts NULL.  Returns 0 or
 * -1 with errno (the handle is freed either way).
 */
int wt_writer_close(struct wt_writer *w);

/* ---- reader ------------------------------------------------------------- */

struct wt_reader;

struct wt_file_header {
	uint16_t version;   /* WT_FORMAT_VERSION_MIN..WT_FORMAT_VERSION */
	bool byte_order_le; /* of the recorded ring buffer data */
	uint8_t word_size;  /* 4 or 8: the recorded kernel's long */
};

struct wt_chunk {
	uint32_t type;
	uint8_t codec;   /* enum wt_codec_id the payload was stored with */
	uint64_t offset; /* byte offset of the chunk header in the file */
	const uint8_t *data; /* decompressed payload; valid until next call */
	size_t len;
};

/*
 * Open a file for reading.  On failure returns NULL and writes a one-line
 * message (naming the file, and the offset for a bad header) into @err.
 */
struct wt_reader *wt_reader_open(const char *path, char *err, size_t errlen);

/* Same, over a caller-owned memory image that must outlive the reader
 * (fuzzing, tests).  @name is used in messages. */
struct wt_reader *wt_reader_open_mem(const void *buf, size_t len,
				     const char *name, char *err,
				     size_t errlen);

const struct wt_file_header *wt_reader_header(const struct wt_reader *r);

/*
 * Read the next chunk.  Returns 1 with @c filled, 0 at a clean end of file,
 * -1 on damage (truncated chunk, bad CRC, oversize length, bad compressed
 * data, a codec or chunk flags this version does not know):
 * wt_reader_error() then says what and at which offset.  After -1 further
 * calls return -1.  Chunks of unknown type are returned, not refused.
 */
int wt_reader_next(struct wt_reader *r, struct wt_chunk *c);

/*
 * Like wt_reader_next, but a chunk of type @lazy_type has its lengths and
 * CRC checked and only the first @prefix bytes of its payload inflated:
 * @c->data holds min(@prefix, @c->len) bytes and @c->len is the declared
 * raw length.  Whether the rest inflates to exactly that length is checked
 * when the chunk is read again with wt_reader_read_at.  For a first pass
 * that only indexes CPU_DATA chunks (which would otherwise inflate every
 * one of them twice).  Same returns as wt_reader_next.
 */
int wt_reader_next_lazy(struct wt_reader *r, struct wt_chunk *c,
			uint32_t lazy_type, size_t prefix);

/*
 * Read the chunk whose header starts at @offset (one returned earlier by
 * wt_reader_next), without moving the sequential position.  Same returns as
 * wt_reader_next.  Lets the analyzer index CPU chunks in one pass and merge
 * them in a second without holding them in memory.
 */
int wt_reader_read_at(struct wt_reader *r, uint64_t offset,
		      struct wt_chunk *c);

/*
 * The file may have grown (another process is writing it: `analyze
 * --follow`): take its new size.  When wt_reader_next failed only because
 * the chunk at the end was not whole yet (wt_reader_cut), reading resumes
 * at that chunk.  Returns 1 when the file grew, 0 when not (always for a
 * memory image), -1 when it cannot be stat'ed (message in
 * wt_reader_error()).  A file never shrinks for the reader: bytes it read
 * stay read.
 */
int wt_reader_refresh(struct wt_reader *r);

/* True when the last wt_reader_next failed only because the file ends
 * inside a chunk (cut, or still being written), not on damage. */
bool wt_reader_cut(const struct wt_reader *r);

/* Total file size in bytes, and the offset reached by wt_reader_next. */
uint64_t wt_reader_size(const struct wt_reader *r);
uint64_t wt_reader_offset(const struct wt_reader *r);

/* True once a WT_CHUNK_TRAILER chunk has been returned. */
bool wt_reader_saw_trailer(const struct wt_reader *r);

/* The last error message ("FILE: offset N: what"), "" when none. */
const char *wt_reader_error(const struct wt_reader *r);

/* True when the last error was an allocation that failed (ENOMEM), not
 * something wrong with the file: a caller must not report it as damage. */
bool wt_reader_out_of_memory(const struct wt_reader *r);

/* Close, freeing everything.  Accepts NULL. */
void wt_reader_close(struct wt_reader *r);

/* ---- payload helpers shared by writer and reader ------------------------ */

/* Little-endian fixed-width accessors (the container is always LE). */
static inline void wt_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}
static inline uint32_t wt_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline void wt_put_le64(uint8_t *p, uint64_t v)
{
	wt_put_le32(p, (uint32_t)v);
	wt_put_le32(p + 4, (uint32_t)(v >> 32));
}
static inline uint64_t wt_get_le64(const uint8_t *p)
{
	return (uint64_t)wt_get_le32(p) | (uint64_t)wt_get_le32(p + 4) << 32;
}
static inline void wt_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v; p[1] = v >> 8;
}
static inline uint16_t wt_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

#endif /* WT_FILE_H */
