/*
 * cpu_reader.c - per-CPU drain of trace_pipe_raw into CPU_DATA chunks (see
 * cpu_reader.h).
 *
 * Workload: the worst case is one CPU spinning on wait4(WNOHANG), ~4.8 M
 * events/s or ~190 MB/s of ring buffer, while the other CPU runs this
 * thread.  So the loop does as little per sub-buffer as possible: one
 * read(), a walk over the record headers to count events per type, and a
 * memcpy-free append into the batch; compression happens once per batch of
 * WT_REC_BATCH_SUBBUFS sub-buffers, on this thread, outside the writer lock.
 *
 * Reads go through tracefs_cpu_read()/tracefs_cpu_flush(), i.e. read(2).
 * Never splice: closing a pipe that still holds spliced ring-buffer pages
 * after the instance is gone oopses Linux 6.18, and libtracefs 1.6.4's
 * tracefs_cpu_pipe() is broken anyway.  The trace file is opened here
 * (O_NONBLOCK|O_CLOEXEC) and handed to tracefs_cpu_alloc_fd() because 1.6.4
 * has no accessor for the fd that poll() needs, and because a traced
 * command must not inherit it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kbuffer.h>
#include <tracefs.h>

#include "cpu_reader.h"
#include "instance.h"
#include "output.h"
#include "wtfile.h"

/* Flag bits in the sub-buffer header's commit word (kernel ring_buffer.c) */
#define COMMIT_MASK ((1UL << 27) - 1)
#define MISSED_STORED (1UL << 30)

struct wt_cpu_reader {
	int cpu;
	int fd;
	struct tracefs_cpu *tcpu;
	const struct wt_rec_events *ev;
	struct wt_rec_output *out;
	int stop_fd;
	struct kbuffer *kbuf;

	size_t subbuf_size;
	uint8_t *batch;        /* 8-byte chunk prefix + WT_REC_BATCH_SUBBUFS */
	unsigned nbatch;
	uint64_t batch_t0_ms;  /* when the first sub-buffer of the batch came */
	struct wt_buf enc;     /* compressed chunk, reused */

	pthread_t thread;
	bool started;
	int err;               /* errno that ended the thread, 0 if none */

	/* written by the thread, read by the main thread */
	uint64_t events;
	uint64_t counts[WT_REC_MAX_EVENTS + 1];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static int open_trace_file(struct wt_rec_instance *in, int cpu)
{
	char file[64];

	snprintf(file, sizeof(file), "per_cpu/cpu%d/trace_pipe_raw", cpu);
	return tracefs_instance_file_open(in->ti, file,
					  O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

struct wt_cpu_reader *wt_cpu_reader_open(struct wt_rec_instance *in, int cpu,
					 const struct wt_rec_events *ev,
					 struct wt_rec_output *out,
					 int stop_fd, struct wt_diag *d)
{
	struct wt_cpu_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		wt_diag_errno(d, 1, "cpu%d reader", cpu);
		return NULL;
	}
	r->fd = -1;
	r->cpu = cpu;
	r->ev = ev;
	r->out = out;
	r->stop_fd = stop_fd;
	r->subbuf_size = in->subbuf_size;
	r->fd = open_trace_file(in, cpu);
	if (r->fd < 0) {
		wt_diag_errno(d, 1, "%s: cannot open per_cpu/cpu%d/trace_pipe_raw",
			      in->name, cpu);
		goto fail;
	}
	r->tcpu = tracefs_cpu_alloc_fd(r->fd, (int)r->subbuf_size, true);
	r->kbuf = kbuffer_alloc(sizeof(long) == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
				KBUFFER_ENDIAN_SAME_AS_HOST);
	r->batch = malloc(8 + WT_REC_BATCH_SUBBUFS * r->subbuf_size);
	if (!r->tcpu || !r->kbuf || !r->batch) {
		wt_diag_errno(d, 1, "cpu%d reader", cpu);
		goto fail;
	}
	wt_put_le32(r->batch, (uint32_t)cpu);
	wt_put_le32(r->batch + 4, (uint32_t)r->subbuf_size);
	return r;
fail:
	wt_cpu_reader_close(r);
	return NULL;
}

/*
 * Count the records of one sub-buffer by type.  The header's commit length
 * is checked first: kbuffer trusts it, and a sub-buffer is stored whether
 * or not it can be counted.
 */
static void count_subbuf(struct wt_cpu_reader *r, uint8_t *sb)
{
	size_t hdr = 8 + sizeof(long), limit = r->subbuf_size - hdr;
	unsigned long commit;
	unsigned long long ts;
	uint64_t n = 0;
	uint16_t type;
	void *rec;
	int idx;

	memcpy(&commit, sb + 8, sizeof(commit));
	if (commit & MISSED_STORED)
		limit -= sizeof(long); /* the lost count sits after the data */
	if ((commit & COMMIT_MASK) > limit || kbuffer_load_subbuffer(r->kbuf, sb) < 0)
		return; /* stored as read; the analyzer reports the damage */
	for (rec = kbuffer_read_event(r->kbuf, &ts); rec;
	     rec = kbuffer_next_event(r->kbuf, &ts)) {
		memcpy(&type, rec, sizeof(type));
		idx = wt_rec_events_index(r->ev, type);
		r->counts[idx < 0 ? WT_REC_MAX_EVENTS : idx]++;
		n++;
	}
	__atomic_store_n(&r->events, r->events + n, __ATOMIC_RELAXED);
}

/* Compress the batch into one CPU_DATA chunk and append it to the file. */
static int emit(struct wt_cpu_reader *r)
{
	size_t data = r->nbatch * r->subbuf_size;

	if (!r->nbatch)
		return 0;
	r->enc.len = 0;
	if (wt_chunk_encode(WT_CHUNK_CPU_DATA, r->batch, 8 + data, &r->enc) < 0)
		return -1;
	r->nbatch = 0;
	return wt_rec_output_add_encoded(r->out, r->enc.data, r->enc.len,
					 8 + data, data);
}

/*
 * Read sub-buffers until the ring buffer is empty (0) or an error (-1).
 * @flush: the final drain after tracing is off.
 */
static int drain(struct wt_cpu_reader *r, bool flush)
{
	uint8_t *slot;
	int n;

	for (;;) {
		slot = r->batch + 8 + r->nbatch * r->subbuf_size;
		n = flush ? tracefs_cpu_flush(r->tcpu, slot)
			  : tracefs_cpu_read(r->tcpu, slot, true);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if ((size_t)n < r->subbuf_size)
			memset(slot + n, 0, r->subbuf_size - n);
		count_subbuf(r, slot);
		if (r->nbatch++ == 0)
			r->batch_t0_ms = now_ms();
		if (r->nbatch == WT_REC_BATCH_SUBBUFS && emit(r) < 0)
			return -1;
	}
}

static bool stop_requested(struct wt_cpu_reader *r, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = r->fd, .events = POLLIN },
		{ .fd = r->stop_fd, .events = POLLIN },
	};

	if (poll(p, 2, timeout_ms) < 0)
		return false;
	return p[1].revents != 0;
}

static void *run(void *arg)
{
	struct wt_cpu_reader *r = arg;

	/* failure (no CAP_SYS_NICE) only costs robustness under load */
	setpriority(PRIO_PROCESS, gettid(), WT_REC_READER_NICE);
	while (!stop_requested(r, WT_REC_POLL_MS)) {
		if (drain(r, false) < 0)
			goto fail;
		if (r->nbatch &&
		    now_ms() - r->batch_t0_ms >= WT_REC_BATCH_MAX_AGE_MS &&
		    emit(r) < 0)
			goto fail;
	}
	/* draining: tracing is off, take what is left */
	if (drain(r, true) < 0 || emit(r) < 0)
		goto fail;
	return NULL;
fail:
	__atomic_store_n(&r->err, errno ? errno : EIO, __ATOMIC_RELEASE);
	return NULL;
}

void wt_cpu_reader_set_output(struct wt_cpu_reader *r, struct wt_rec_output *out)
{
	r->out = out;
}

int wt_cpu_reader_error(const struct wt_cpu_reader *r)
{
	return __atomic_load_n(&r->err, __ATOMIC_ACQUIRE);
}

int wt_cpu_reader_start(struct wt_cpu_reader *r)
{
	sigset_t all, old;
	int ret;

	/* signals belong to the main thread, whose poll they must interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&r->thread, NULL, run, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		errno = ret;
		return -1;
	}
	r->started = true;
	return 0;
}

int wt_cpu_reader_stop(struct wt_cpu_reader *r)
{
	if (r->started) {
		pthread_join(r->thread, NULL);
		r->started = false;
	}
	if (r->err) {
		errno = r->err;
		return -1;
	}
	return 0;
}

uint64_t wt_cpu_reader_events(const struct wt_cpu_reader *r)
{
	return __atomic_load_n(&r->events, __ATOMIC_RELAXED);
}

void wt_cpu_reader_counts(const struct wt_cpu_reader *r,
			  uint64_t counts[WT_REC_MAX_EVENTS + 1])
{
	memcpy(counts, r->counts, sizeof(r->counts));
}

void wt_cpu_reader_close(struct wt_cpu_reader *r)
{
	if (!r)
		return;
	if (r->tcpu)
		tracefs_cpu_free_fd(r->tcpu); /* frees; leaves r->fd open */
	if (r->fd >= 0)
		close(r->fd);
	kbuffer_free(r->kbuf);
	free(r->batch);
	wt_buf_free(&r->enc);
	free(r);
}
