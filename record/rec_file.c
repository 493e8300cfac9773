/*
 * rec_file.c - the shared, locked .wtrec writer of a recording (see rec_file.h).
 *
 * --rotate: the output is a series of files behind one object, so the
 * readers never learn of a switch.  The main thread opens the next file
 * ahead of time and writes its head into it (an output of its own: armed);
 * the append that would take the current file past its limit swaps the
 * two files' writers under the lock - in whichever thread appends, with no
 * system call - and goes to the new file.  The main thread then finishes
 * the old one through the output it gets back (wt_rec_output_take_done).
 * A reader whose chunk would pass the limit while nothing is armed waits
 * for the main thread to arm (it is woken at once): the limit is never
 * passed by data.  The main thread never waits (its chunks are small).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rec_file.h"
#include "wtfile.h"

/* The file an output writes now. */
struct file {
	struct wt_writer *w;
	int err;
	char *path;
	struct wt_rec_output_totals t;
};

struct wt_rec_output {
	pthread_mutex_t lock;
	unsigned codec;
	struct wt_encoder *enc;	/* the main thread's chunks', under the lock */
	struct wt_buf scratch;	/* their encoding, under the lock */
	struct file f;
	int wake_fd;
	/* --rotate (all under the lock) */
	pthread_cond_t armed;         /* signalled when next is set */
	struct wt_rec_output *next;   /* armed: the next file, head written */
	uint64_t limit;               /* switch before passing it; 0 never */
	uint64_t limit_after;         /* the next file's, once it is current */
	bool waiting;                 /* a reader waits for next */
	struct wt_rec_output *done;   /* switched away from, not taken yet */
	uint64_t switch_ns;           /* when (trace clock) */
	bool head_open;               /* the new file's start snapshot is not
					 in yet: no WATERMARK */
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
	pthread_cond_init(&o->armed, NULL);
	o->wake_fd = wake_fd;
	o->codec = codec;
	o->enc = wt_encoder_new(codec);
	o->f.path = strdup(path);
	/* like perf: a previous recording is kept as .old, never overwritten */
	o->f.w = o->f.path && o->enc ?
		 wt_writer_open(path, access(path, F_OK) == 0, host_is_le(),
				sizeof(long), codec) : NULL;
	if (!o->f.w) {
		wt_diag_errno(d, 1, "cannot create %s", path);
		wt_encoder_free(o->enc);
		pthread_cond_destroy(&o->armed);
		pthread_mutex_destroy(&o->lock);
		free(o->f.path);
		free(o);
		return NULL;
	}
	o->f.t.file_bytes = wt_writer_bytes(o->f.w);
	return o;
}

static uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void wake(struct wt_rec_output *o)
{
	char byte = 1;

	if (o->wake_fd >= 0 && write(o->wake_fd, &byte, 1) < 0) {
		/* the main loop also looks every WT_REC_WATERMARK_MS */
	}
}

/* Called with the lock held: @o goes on in its armed file. */
static void switch_files(struct wt_rec_output *o)
{
	struct file old = o->f;

	o->f = o->next->f;
	o->next->f = old;
	o->done = o->next;
	o->next = NULL;
	/* the new file is bounded from its first append, long before the
	 * main thread has finished the old one */
	o->limit = o->limit_after;
	o->switch_ns = trace_now_ns();
	o->head_open = true;
	wake(o);
}

/* Would @len more bytes take the current file past its limit? */
static bool over(const struct wt_rec_output *o, size_t len)
{
	return o->limit && o->f.t.file_bytes + len > o->limit;
}

/* Called with the lock held.  @may_wait: a reader's chunk, which waits
 * for a next file rather than pass the limit. */
static int append(struct wt_rec_output *o, const void *chunk, size_t len,
		  size_t raw_len, size_t data_bytes, bool may_wait)
{
	while (may_wait && over(o, len) && !o->next) {
		o->waiting = true;
		wake(o);
		pthread_cond_wait(&o->armed, &o->lock);
	}
	if (over(o, len) && o->next)
		switch_files(o);
	if (o->f.err) {
		errno = o->f.err;
		return -1;
	}
	if (wt_writer_add_encoded(o->f.w, chunk, len) < 0) {
		o->f.err = errno ? errno : EIO;
		wake(o);
		errno = o->f.err;
		return -1;
	}
	o->f.t.file_bytes = wt_writer_bytes(o->f.w);
	o->f.t.raw_bytes += raw_len;
	o->f.t.data_bytes += data_bytes;
	o->f.t.chunks++;
	return 0;
}

int wt_rec_output_add_encoded(struct wt_rec_output *o, const void *chunk,
			      size_t len, size_t raw_len, size_t data_bytes)
{
	int ret;

	pthread_mutex_lock(&o->lock);
	ret = append(o, chunk, len, raw_len, data_bytes, true);
	pthread_mutex_unlock(&o->lock);
	return ret;
}

unsigned wt_rec_output_codec(const struct wt_rec_output *o)
{
	return o->codec;
}

/* A chunk of the main thread (never waits; compressed under the lock:
 * they are small); @mark: skipped while the current file's head is open. */
static int add(struct wt_rec_output *o, uint32_t type, const void *data,
	       size_t len, bool mark)
{
	int ret = 0;

	pthread_mutex_lock(&o->lock);
	if (!(mark && o->head_open)) {
		o->scratch.len = 0;
		ret = wt_chunk_encode(o->enc, type, data, len, &o->scratch);
		if (ret == 0)
			ret = append(o, o->scratch.data, o->scratch.len, len, 0,
				     false);
	}
	pthread_mutex_unlock(&o->lock);
	return ret;
}

int wt_rec_output_add(struct wt_rec_output *o, uint32_t type,
		      const void *data, size_t len)
{
	return add(o, type, data, len, false);
}

int wt_rec_output_add_mark(struct wt_rec_output *o, uint32_t type,
			   const void *data, size_t len)
{
	return add(o, type, data, len, true);
}

int wt_rec_output_error(struct wt_rec_output *o)
{
	int err;

	pthread_mutex_lock(&o->lock);
	err = o->f.err;
	pthread_mutex_unlock(&o->lock);
	return err;
}

void wt_rec_output_totals(struct wt_rec_output *o,
			  struct wt_rec_output_totals *t)
{
	pthread_mutex_lock(&o->lock);
	*t = o->f.t;
	pthread_mutex_unlock(&o->lock);
}

const char *wt_rec_output_path(struct wt_rec_output *o)
{
	const char *p;

	pthread_mutex_lock(&o->lock);
	p = o->f.path;
	pthread_mutex_unlock(&o->lock);
	return p;
}

void wt_rec_output_set_limit(struct wt_rec_output *o, uint64_t limit)
{
	pthread_mutex_lock(&o->lock);
	o->limit = limit;
	pthread_cond_broadcast(&o->armed);
	pthread_mutex_unlock(&o->lock);
}

void wt_rec_output_arm(struct wt_rec_output *o, struct wt_rec_output *next,
		       uint64_t limit, uint64_t limit_after)
{
	pthread_mutex_lock(&o->lock);
	o->next = next;
	o->limit = limit;
	o->limit_after = limit_after;
	o->waiting = false;
	pthread_cond_broadcast(&o->armed);
	pthread_mutex_unlock(&o->lock);
}

bool wt_rec_output_armed(struct wt_rec_output *o, uint64_t *bytes,
			 bool *waiting)
{
	bool armed;

	pthread_mutex_lock(&o->lock);
	armed = o->next != NULL;
	*bytes = o->f.t.file_bytes;
	*waiting = o->waiting;
	pthread_mutex_unlock(&o->lock);
	return armed;
}

bool wt_rec_output_switch(struct wt_rec_output *o)
{
	bool done = false;

	pthread_mutex_lock(&o->lock);
	if (o->next) {
		switch_files(o);
		done = true;
	}
	pthread_mutex_unlock(&o->lock);
	return done;
}

struct wt_rec_output *wt_rec_output_take_done(struct wt_rec_output *o,
					      uint64_t *switch_ns)
{
	struct wt_rec_output *d;

	pthread_mutex_lock(&o->lock);
	d = o->done;
	o->done = NULL;
	*switch_ns = o->switch_ns;
	pthread_mutex_unlock(&o->lock);
	return d;
}

void wt_rec_output_head_done(struct wt_rec_output *o)
{
	pthread_mutex_lock(&o->lock);
	o->head_open = false;
	pthread_mutex_unlock(&o->lock);
}

struct wt_rec_output *wt_rec_output_disarm(struct wt_rec_output *o)
{
	struct wt_rec_output *n;

	pthread_mutex_lock(&o->lock);
	n = o->next;
	o->next = NULL;
	o->limit = 0; /* nobody waits any more: the readers drain freely */
	pthread_cond_broadcast(&o->armed);
	pthread_mutex_unlock(&o->lock);
	return n;
}

int wt_rec_output_close(struct wt_rec_output *o)
{
	int ret, err;

	if (!o)
		return 0;
	err = o->f.err;
	ret = wt_writer_close(o->f.w);
	if (ret < 0 && !err)
		err = errno;
	wt_encoder_free(o->enc);
	wt_buf_free(&o->scratch);
	pthread_cond_destroy(&o->armed);
	pthread_mutex_destroy(&o->lock);
	free(o->f.path);
	free(o);
	if (err) {
		errno = err;
		return -1;
	}
	return ret;
}
