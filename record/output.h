/*
 * output.h - the .wtrec file being written, shared by the main thread and
 * the per-CPU readers.  Readers compress their chunks on their own thread
 * (each with its own wt_encoder of wt_rec_output_codec()) and only the
 * append happens under the lock, so compression of several CPUs proceeds
 * in parallel.
 *
 * The first write error is sticky: later adds fail at once with the same
 * errno, the main thread is woken through @wake_fd and stops the recording.
 * Functions return 0 or -1 with errno.
 */
#ifndef WT_REC_OUTPUT_H
#define WT_REC_OUTPUT_H

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

/*
 * fsync, close and free.  Accepts NULL.  0, or -1 with errno when the
 * close or an earlier write failed.
 */
int wt_rec_output_close(struct wt_rec_output *o);

#endif
