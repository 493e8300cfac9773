/*
 * rec_file.h - the .wtrec file being written, shared by the main thread and
 * the per-CPU readers.  Readers compress their chunks on their own thread
 * (each with its own wt_encoder of wt_rec_output_codec()) and only the
 * append happens under the lock, so compression of several CPUs proceeds
 * in parallel.
 *
 * The first write error is sticky: later adds fail at once with the same
 * errno, the main thread is woken through @wake_fd and stops the recording.
 * Functions return 0 or -1 with errno.
 */
#ifndef WT_REC_FILE_H
#define WT_REC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct wt_rec_output;

/*
 * Create @path (an existing file becomes @path.old), its chunks compressed
 * with @codec (enum wt_codec_id).  @wake_fd (or -1) gets one byte written
 * when a write fails.  NULL with @d set on failure; nothing is created
 * then.  Release with wt_rec_output_close().
 */
struct wt_rec_output *wt_rec_output_open(const char *path, unsigned codec,
					 int wake_fd, struct wt_diag *d);

/* The codec chunks given to wt_rec_output_add_encoded() must use. */
unsigned wt_rec_output_codec(const struct wt_rec_output *o);

/* Compress (under the lock: small chunks of the main thread) and append
 * one chunk. */
int wt_rec_output_add(struct wt_rec_output *o, uint32_t type,
		      const void *data, size_t len);

/*
 * Append a chunk framed by wt_chunk_encode() whose payload was @raw_len
 * bytes, of which @data_bytes were ring-buffer sub-buffers.
 */
int wt_rec_output_add_encoded(struct wt_rec_output *o, const void *chunk,
			      size_t len, size_t raw_len, size_t data_bytes);

/* Like wt_rec_output_add, but nothing is written (0 returned) while the
 * current file of a series has no start snapshot yet: for WATERMARK
 * chunks, which a follower of that file alone must not see before it. */
int wt_rec_output_add_mark(struct wt_rec_output *o, uint32_t type,
			   const void *data, size_t len);

/* errno of the first failed write, 0 while none failed. */
int wt_rec_output_error(struct wt_rec_output *o);

struct wt_rec_output_totals {
	uint64_t file_bytes;  /* bytes in the file, header included */
	uint64_t raw_bytes;   /* uncompressed payload bytes of all chunks */
	uint64_t data_bytes;  /* raw sub-buffer bytes (CPU_DATA payloads) */
	uint64_t chunks;      /* chunks written */
};
void wt_rec_output_totals(struct wt_rec_output *o,
			  struct wt_rec_output_totals *t);

/* The current file's name (valid until the next switch). */
const char *wt_rec_output_path(struct wt_rec_output *o);

/* ---- --rotate: a series of files behind one output --------------------
 *
 * The main thread arms @o with @next, another output whose head it wrote;
 * the first append that would take @o's current file past @limit bytes
 * (or wt_rec_output_switch) swaps the two files, from then on appends go
 * to the new file, and @next holds the old one: the main thread takes it
 * back (wt_rec_output_take_done), writes its tail and closes it.  Until
 * wt_rec_output_head_done, add_mark writes nothing.  Totals are per file.
 * A reader chunk that would pass the limit while nothing is armed waits
 * until something is (the main thread is woken through @wake_fd).
 */
/* The current file's limit (0: none); a reader waits at it. */
void wt_rec_output_set_limit(struct wt_rec_output *o, uint64_t limit);
/* @limit: the current file's; @limit_after: @next's from the switch
 * until the main thread sets one (wt_rec_output_set_limit). */
void wt_rec_output_arm(struct wt_rec_output *o, struct wt_rec_output *next,
		       uint64_t limit, uint64_t limit_after);
/* Is a next file armed?  *@bytes: the current file's size; *@waiting: a
 * reader waits for one. */
bool wt_rec_output_armed(struct wt_rec_output *o, uint64_t *bytes,
			 bool *waiting);
/* Switch now if armed (a DURATION is over); true if it did. */
bool wt_rec_output_switch(struct wt_rec_output *o);
/* The output holding the file switched away from, with *@switch_ns the
 * trace time of the switch; NULL when there was no switch since. */
struct wt_rec_output *wt_rec_output_take_done(struct wt_rec_output *o,
					      uint64_t *switch_ns);
void wt_rec_output_head_done(struct wt_rec_output *o);
/* The armed output, no longer armed (at stop: it was never used), or
 * NULL; the limit is lifted (the final drain must not wait). */
struct wt_rec_output *wt_rec_output_disarm(struct wt_rec_output *o);

/*
 * fsync, close and free.  Accepts NULL.  0, or -1 with errno when the
 * close or an earlier write failed.
 */
int wt_rec_output_close(struct wt_rec_output *o);

#endif
