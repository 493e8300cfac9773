/*
 * output.c - the shared, locked .wtrec writer of a recording (see output.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "output.h"
#include "wtfile.h"

struct wt_rec_output {
	pthread_mutex_t lock;
	unsigned codec;
	struct wt_encoder *enc;	/* wt_rec_output_add's, under the lock */
	struct wt_buf scratch;	/* its output, under the lock */
	struct wt_writer *w;
	int err;
	int wake_fd;
	struct wt_rec_output_totals t;
};

static bool host_is_le(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

struct wt_rec_output *wt_rec_output_open(const char *path, unsigned codec,
					 int wake_fd, struct wt_diag *d)
{
	struct wt_rec_output *o = calloc(1, sizeof(*o));

	if (!o) {
		wt_diag_errno(d, 1, "%s", path);
		return NULL;
	}
	pthread_mutex_init(&o->lock, NULL);
	o->wake_fd = wake_fd;
	o->codec = codec;
	o->enc = wt_encoder_new(codec);
	/* like perf: a previous recording is kept as .old, never overwritten */
	o->w = o->enc ? wt_writer_open(path, access(path, F_OK) == 0,
				       host_is_le(), sizeof(long), codec) : NULL;
	if (!o->w) {
		wt_diag_errno(d, 1, "cannot create %s", path);
		wt_encoder_free(o->enc);
		pthread_mutex_destroy(&o->lock);
		free(o);
		return NULL;
	}
	o->t.file_bytes = wt_writer_bytes(o->w);
	return o;
}

/* Called with the lock held. */
static int append(struct wt_rec_output *o, const void *chunk, size_t len,
		  size_t raw_len, size_t data_bytes)
{
	char byte = 1;

	if (o->err) {
		errno = o->err;
		return -1;
	}
	if (wt_writer_add_encoded(o->w, chunk, len) < 0) {
		o->err = errno ? errno : EIO;
		if (o->wake_fd >= 0 && write(o->wake_fd, &byte, 1) < 0) {
			/* the main loop also polls the error once a second */
		}
		errno = o->err;
		return -1;
	}
	o->t.file_bytes = wt_writer_bytes(o->w);
	o->t.raw_bytes += raw_len;
	o->t.data_bytes += data_bytes;
	o->t.chunks++;
	return 0;
}

int wt_rec_output_add_encoded(struct wt_rec_output *o, const void *chunk,
			      size_t len, size_t raw_len, size_t data_bytes)
{
	int ret;

	pthread_mutex_lock(&o->lock);
	ret = append(o, chunk, len, raw_len, data_bytes);
	pthread_mutex_unlock(&o->lock);
	return ret;
}

unsigned wt_rec_output_codec(const struct wt_rec_output *o)
{
	return o->codec;
}

int wt_rec_output_add(struct wt_rec_output *o, uint32_t type,
		      const void *data, size_t len)
{
	int ret;

	pthread_mutex_lock(&o->lock);
	o->scratch.len = 0;
	ret = wt_chunk_encode(o->enc, type, data, len, &o->scratch);
	if (ret == 0)
		ret = append(o, o->scratch.data, o->scratch.len, len, 0);
	pthread_mutex_unlock(&o->lock);
	return ret;
}

int wt_rec_output_error(struct wt_rec_output *o)
{
	int err;

	pthread_mutex_lock(&o->lock);
	err = o->err;
	pthread_mutex_unlock(&o->lock);
	return err;
}

void wt_rec_output_totals(struct wt_rec_output *o,
			  struct wt_rec_output_totals *t)
{
	pthread_mutex_lock(&o->lock);
	*t = o->t;
	pthread_mutex_unlock(&o->lock);
}

int wt_rec_output_close(struct wt_rec_output *o)
{
	int ret, err;

	if (!o)
		return 0;
	err = o->err;
	ret = wt_writer_close(o->w);
	if (ret < 0 && !err)
		err = errno;
	wt_encoder_free(o->enc);
	wt_buf_free(&o->scratch);
	pthread_mutex_destroy(&o->lock);
	free(o);
	if (err) {
		errno = err;
		return -1;
	}
	return ret;
}
