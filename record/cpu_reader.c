/*
 * cpu_reader.c - per-CPU drain of trace_pipe_raw into CPU_DATA chunks (see
 * cpu_reader.h).
 *
 * Workload: the worst case is one CPU spinning on wait4(WNOHANG), ~4.8 M
 * events/s or ~190 MB/s of ring buffer, while the other CPU runs this
 * thread.  So the loop does as little per sub-buffer as possible: one
 * read() straight into the batch; once per batch of WT_REC_BATCH_BYTES of
 * sub-buffers, a walk over the record headers to count events per type
 * (subbuf_count.c) and the compression, on this thread, outside the writer
 * lock.  On the 2-CPU test machine the CPU this thread uses is taken from
 * the traced workload (a busy loop on the other CPU slows a wait4 loop by
 * 35-55 %: the two vCPUs share a core), so it keeps account of its CPU
 * time per stage - reading, counting, compressing, writing - and the
 * recording stores the sums (META reader_*_ns) for bench/.
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

#include <tracefs.h>

#include "cpu_reader.h"
#include "instance.h"
#include "rec_file.h"
#include "subbuf_count.h"
#include "wtfile.h"

struct wt_cpu_reader {
	int cpu;
	int fd;
	struct tracefs_cpu *tcpu;
	const struct wt_rec_events *ev;
	struct wt_rec_output *out;
	int stop_fd;

	size_t subbuf_size;
	uint8_t *batch;        /* 8-byte chunk prefix + batch_max sub-buffers */
	unsigned nbatch, batch_max;
	uint64_t batch_t0_ms;  /* when the first sub-buffer of the batch came */
	struct wt_encoder *encoder; /* this thread's, of the output's codec */
	struct wt_buf enc;     /* compressed chunk, reused */

	pthread_t thread;
	bool started;
	bool finished;         /* the thread has returned (atomic) */
	int err;               /* errno that ended the thread, 0 if none */


	/* written by the thread, read by the main thread */
	uint64_t done_ns;      /* see wt_cpu_reader_done_ns() */
	uint64_t data_ns;      /* newest record appended to the file */
	uint64_t events;
	uint64_t counts[WT_REC_MAX_EVENTS + 1];
	uint64_t cost_ns[WT_REC_COST_N]; /* this thread's CPU, by stage */
	uint64_t mark_ns;      /* thread CPU time at the end of the last stage */
};

/* This thread's CPU time, ns (a syscall: taken a few times per batch). */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Charge the CPU time since the last mark to @stage. */
static void charge(struct wt_cpu_reader *r, enum wt_rec_cost stage)
{
	uint64_t now = cpu_ns();

	r->cost_ns[stage] += now - r->mark_ns;
	r->mark_ns = now;
}

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
	r->batch_max = WT_REC_BATCH_BYTES / r->subbuf_size;
	if (r->batch_max < 1)
		r->batch_max = 1;
	r->batch = malloc(8 + r->batch_max * r->subbuf_size);
	if (!r->tcpu || !r->batch) {
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

/* Count the batch's records by type (a sub-buffer whose header does not
 * fit is stored as read; the analyzer reports the damage). */
static void count_batch(struct wt_cpu_reader *r)
{
	uint64_t n = 0;
	long k;

	for (unsigned i = 0; i < r->nbatch; i++) {
		k = wt_rec_subbuf_count(r->batch + 8 + i * r->subbuf_size,
					r->subbuf_size, r->ev, r->counts);
		n += k > 0 ? (uint64_t)k : 0;
	}
	__atomic_store_n(&r->events, r->events + n, __ATOMIC_RELAXED);
}

/* Make @ns the CPU's completeness point if it is later (see cpu_reader.h);
 * only after the chunks holding everything before it were appended. */
static void publish(struct wt_cpu_reader *r, uint64_t ns)
{
	if (ns > r->done_ns)
		__atomic_store_n(&r->done_ns, ns, __ATOMIC_RELEASE);
}

/* Compress the batch into one CPU_DATA chunk and append it to the file. */
static int emit(struct wt_cpu_reader *r)
{
	size_t data = r->nbatch * r->subbuf_size;
	uint64_t last_base;
	int ret;

	if (!r->nbatch)
		return 0;
	/* the u64 time stamp that heads every sub-buffer (host order) */
	memcpy(&last_base, r->batch + 8 + (r->nbatch - 1) * r->subbuf_size,
	       sizeof(last_base));
	charge(r, WT_REC_COST_READ);
	count_batch(r);
	charge(r, WT_REC_COST_COUNT);
	r->enc.len = 0;
	if (wt_chunk_encode(r->encoder, WT_CHUNK_CPU_DATA, r->batch, 8 + data,
			    &r->enc) < 0)
		return -1;
	r->nbatch = 0;
	charge(r, WT_REC_COST_COMPRESS);
	ret = wt_rec_output_add_encoded(r->out, r->enc.data, r->enc.len,
					8 + data, data);
	charge(r, WT_REC_COST_WRITE);
	if (ret < 0)
		return -1;
	/* A CPU's ring buffer is in timestamp order and a record is only
	 * readable once every write reserved before it has committed: all
	 * of this CPU before the last sub-buffer's first record is in the
	 * file (its header time stamp is that record's time or earlier). */
	if (last_base > 0) {
		publish(r, last_base - 1);
		__atomic_store_n(&r->data_ns, last_base, __ATOMIC_RELAXED);
	}
	return 0;
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
		if (r->nbatch++ == 0)
			r->batch_t0_ms = now_ms();
		if (r->nbatch == r->batch_max && emit(r) < 0)
			return -1;
	}
}

enum wake { WAKE_TIMEOUT, WAKE_DATA, WAKE_STOP };

/* Wait up to @timeout_ms for data (buffer_percent) or the stop pipe. */
static enum wake wait_for(struct wt_cpu_reader *r, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = r->fd, .events = POLLIN },
		{ .fd = r->stop_fd, .events = POLLIN },
	};
	int n = poll(p, 2, timeout_ms);

	if (n > 0 && p[1].revents)
		return WAKE_STOP;
	return n > 0 ? WAKE_DATA : WAKE_TIMEOUT;
}

static int trace_now_ns(uint64_t *ns)
{
	struct timespec ts;

	/* the instance's trace clock is "boot" (instance.c) */
	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return -1;
	*ns = ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return 0;
}

/*
 * One round: read the ring buffer empty; write the batch when the poll
 * timed out (a quiet CPU: its partial sub-buffers) or the batch is older
 * than the flush interval.  With nothing left unwritten, the CPU is
 * complete up to when the round began, less the commit slack.
 */
static int round_once(struct wt_cpu_reader *r, enum wake why)
{
	uint64_t t0 = 0;
	bool clock_ok = trace_now_ns(&t0) == 0;

	if (drain(r, false) < 0)
		return -1;
	if (r->nbatch && (why == WAKE_TIMEOUT ||
			  now_ms() - r->batch_t0_ms >= WT_REC_FLUSH_MS) &&
	    emit(r) < 0)
		return -1;
	if (!r->nbatch && clock_ok && t0 > WT_REC_COMMIT_SLACK_NS)
		publish(r, t0 - WT_REC_COMMIT_SLACK_NS);
	return 0;
}

static void *run(void *arg)
{
	struct wt_cpu_reader *r = arg;
	enum wake why;

	/* failure (no CAP_SYS_NICE) only costs robustness under load */
	setpriority(PRIO_PROCESS, gettid(), WT_REC_READER_NICE);
	r->mark_ns = cpu_ns();
	while ((why = wait_for(r, WT_REC_FLUSH_MS)) != WAKE_STOP)
		if (round_once(r, why) < 0)
			goto fail;
	/* draining: tracing is off, take what is left */
	if (drain(r, true) < 0 || emit(r) < 0)
		goto fail;
	charge(r, WT_REC_COST_READ);
	__atomic_store_n(&r->finished, true, __ATOMIC_RELEASE);
	return NULL;
fail:
	__atomic_store_n(&r->err, errno ? errno : EIO, __ATOMIC_RELEASE);
	__atomic_store_n(&r->finished, true, __ATOMIC_RELEASE);
	return NULL;
}

bool wt_cpu_reader_finished(const struct wt_cpu_reader *r)
{
	return !r->started || __atomic_load_n(&r->finished, __ATOMIC_ACQUIRE);
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

	if (!r->out) {
		errno = EINVAL;
		return -1;
	}
	r->encoder = wt_encoder_new(wt_rec_output_codec(r->out));
	if (!r->encoder)
		return -1;
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

uint64_t wt_cpu_reader_done_ns(const struct wt_cpu_reader *r)
{
	return __atomic_load_n(&r->done_ns, __ATOMIC_ACQUIRE);
}

uint64_t wt_cpu_reader_data_ns(const struct wt_cpu_reader *r)
{
	return __atomic_load_n(&r->data_ns, __ATOMIC_RELAXED);
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

void wt_cpu_reader_costs(const struct wt_cpu_reader *r,
			 uint64_t cost_ns[WT_REC_COST_N])
{
	memcpy(cost_ns, r->cost_ns, sizeof(r->cost_ns));
}

void wt_cpu_reader_close(struct wt_cpu_reader *r)
{
	if (!r)
		return;
	if (r->tcpu)
		tracefs_cpu_free_fd(r->tcpu); /* frees; leaves r->fd open */
	if (r->fd >= 0)
		close(r->fd);
	free(r->batch);
	wt_encoder_free(r->encoder);
	wt_buf_free(&r->enc);
	free(r);
}
