/*
 * wtfile_write.c - the .wtrec writer: creates the file safely and appends
 * framed chunks (docs/FORMAT.md).
 *
 * Creation: the file is made under a fresh temporary name in the target's
 * directory with O_CREAT|O_EXCL|O_NOFOLLOW (mode 0600: recordings show
 * command lines and process names), the header is written, and only then is
 * it renamed over @path.  rename() replaces a symlink planted at @path
 * instead of following it, and a reader never sees a file without a header.
 *
 * Appends: chunks go out with pwrite() at the end of what is known to be
 * whole.  If a write fails part-way (ENOSPC, EIO) the partial chunk is cut
 * off again with ftruncate(), so the file on disk always ends at a chunk
 * boundary and stays readable; the caller sees -1 and may retry or stop.
 *
 * Version: a file whose chunks are all zlib is written as version 1, which
 * every wtrec reads; any other codec makes it version 2.  Chunks framed
 * elsewhere (the recorder's reader threads) are checked against that
 * before they are appended.
 *
 * One thread at a time (the recorder serializes with its own mutex).
 * Conventions: 0 or -1 (or NULL) with errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compress.h"
#include "wtfile.h"

/* Tries at a free temporary name before giving up with EEXIST. */
#define TEMP_TRIES 64

struct wt_writer {
	int fd;
	unsigned version;	/* of the file header */
	uint64_t bytes;		/* whole chunks (and header) on disk */
	char *path;		/* for fsync of the directory at close */
	struct wt_encoder *enc;	/* wt_writer_add's codec, owned */
	struct wt_buf scratch;	/* reused by wt_writer_add */
};

/* Write all of @buf at @off, riding out EINTR and short writes. */
static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO; /* no progress and no reason: give up */
			return -1;
		}
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

/*
 * Append @len bytes at the end; on failure cut back to the last whole chunk
 * so the file stays readable.  errno is the write's, not ftruncate's.
 */
static int append(struct wt_writer *w, const void *data, size_t len)
{
	int err;

	if (pwrite_all(w->fd, data, len, w->bytes) == 0) {
		w->bytes += len;
		return 0;
	}
	err = errno;
	while (ftruncate(w->fd, (off_t)w->bytes) < 0 && errno == EINTR)
		;
	errno = err;
	return -1;
}

/*
 * Create a new file named "@path.tmp.<pid>.<n>".  Returns the fd and the
 * malloc'ed name (caller frees) or -1 with errno.
 */
static int create_temp(const char *path, char **tmp_out)
{
	struct timespec ts;
	size_t len = strlen(path) + 64;
	char *tmp = malloc(len);
	int fd = -1, i;

	if (!tmp)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (i = 0; i < TEMP_TRIES; i++) {
		snprintf(tmp, len, "%s.tmp.%ld.%lx", path, (long)getpid(),
			 (unsigned long)ts.tv_nsec + i);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	*tmp_out = tmp;
	return fd;
}

static void put_header(uint8_t *h, unsigned version, bool byte_order_le,
		       unsigned word_size)
{
	memcpy(h, WT_MAGIC, WT_MAGIC_LEN);
	wt_put_le16(h + 8, version);
	h[10] = byte_order_le ? 1 : 2;
	h[11] = word_size;
	wt_put_le32(h + 12, 0);
}

/*
 * Move an existing @path aside to "@path.old" (replacing an older one).
 * A missing @path is fine.  Sets *@moved when something was renamed.
 */
static int keep_old(const char *path, const char *old, bool *moved)
{
	*moved = false;
	if (rename(path, old) == 0) {
		*moved = true;
		return 0;
	}
	return errno == ENOENT ? 0 : -1;
}

/* Put @tmp in place as @path, after moving the previous one aside. */
static int install(const char *tmp, const char *path, bool keep)
{
	struct stat st;
	char *old = NULL;
	bool moved = false;
	int ret = -1, err;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		errno = EISDIR; /* never move a directory aside */
		goto out;
	}
	if (keep) {
		if (asprintf(&old, "%s.old", path) < 0) {
			old = NULL;
			errno = ENOMEM;
			goto out;
		}
		if (keep_old(path, old, &moved) < 0)
			goto out;
	}
	if (rename(tmp, path) < 0) {
		err = errno;
		if (moved) /* put the previous recording back */
			rename(old, path);
		errno = err;
		goto out;
	}
	ret = 0;
out:
	free(old);
	return ret;
}

/* See wtfile.h.  The returned writer is freed by wt_writer_close(). */
struct wt_writer *wt_writer_open(const char *path, bool keep_old,
				 bool byte_order_le, unsigned word_size,
				 unsigned codec)
{
	uint8_t hdr[WT_FILE_HEADER_LEN];
	struct wt_writer *w = NULL;
	char *tmp = NULL;
	int fd = -1, err;

	if (!path || !*path || (word_size != 4 && word_size != 8)) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path)) || !(w->enc = wt_encoder_new(codec)))
		goto fail;
	w->version = wt_format_version(codec);
	fd = create_temp(path, &tmp);
	if (fd < 0)
		goto fail;
	put_header(hdr, w->version, byte_order_le, word_size);
	if (pwrite_all(fd, hdr, sizeof(hdr), 0) < 0)
		goto fail;
	if (install(tmp, path, keep_old) < 0)
		goto fail;
	free(tmp);
	w->fd = fd;
	w->bytes = sizeof(hdr);
	return w;
fail:
	err = errno;
	if (fd >= 0) {
		unlink(tmp);
		close(fd);
	}
	free(tmp);
	if (w) {
		free(w->path);
		wt_encoder_free(w->enc);
	}
	free(w);
	errno = err;
	return NULL;
}

/* Compress and append one chunk; see wtfile.h. */
int wt_writer_add(struct wt_writer *w, uint32_t type, const void *data,
		  size_t len)
{
	w->scratch.len = 0;
	if (wt_chunk_encode(w->enc, type, data, len, &w->scratch) < 0)
		return -1;
	return append(w, w->scratch.data, w->scratch.len);
}

/*
 * Do @len bytes hold whole chunks this file's version can hold?  Walks the
 * headers only: the payloads are as wt_chunk_encode() made them.
 */
static bool whole_chunks(const struct wt_writer *w, const uint8_t *p,
			 size_t len)
{
	size_t off = 0, clen;

	while (len - off >= WT_CHUNK_HEADER_LEN) {
		/* bytes 2-3: version 1 has none but the type's high bytes,
		 * which the encoder keeps 0; version 2 a codec and a 0 */
		if (p[off + 3] || (w->version == 1 ? p[off + 2] != 0
						   : !wt_codec_get(p[off + 2])))
			return false;
		clen = wt_get_le32(p + off + 4);
		if (clen > len - off - WT_CHUNK_HEADER_LEN)
			return false;
		off += WT_CHUNK_HEADER_LEN + clen;
	}
	return off == len;
}

/* Append bytes framed by wt_chunk_encode(); see wtfile.h. */
int wt_writer_add_encoded(struct wt_writer *w, const void *data, size_t len)
{
	if ((len && !data) || !whole_chunks(w, data, len)) {
		errno = EINVAL;
		return -1;
	}
	return append(w, data, len);
}

uint64_t wt_writer_bytes(const struct wt_writer *w)
{
	return w->bytes;
}

/* Make the rename durable too; best effort, a failure loses no data. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int dfd;

	if (!copy)
		return;
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
}

/* See wtfile.h: fsync, close, free; -1 with errno if data may be lost. */
int wt_writer_close(struct wt_writer *w)
{
	int ret = 0, err = 0;

	if (!w)
		return 0;
	if (fsync(w->fd) < 0) {
		err = errno;
		ret = -1;
	}
	if (close(w->fd) < 0 && !err) {
		err = errno;
		ret = -1;
	}
	sync_dir(w->path);
	wt_encoder_free(w->enc);
	wt_buf_free(&w->scratch);
	free(w->path);
	free(w);
	if (ret < 0)
		errno = err;
	return ret;
}
