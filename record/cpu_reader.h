/*
 * cpu_reader.h - one thread per CPU draining per_cpu/cpuN/trace_pipe_raw of
 * our instance into CPU_DATA chunks.
 *
 * Lifecycle: open (fd + tracefs_cpu, no thread) -> start (thread runs) ->
 * stop (the thread drains what is left with tracefs_cpu_flush and exits;
 * call after tracing is switched off) -> close (tracefs_cpu and fd closed;
 * must happen before the instance is removed).
 */
#ifndef WT_REC_CPU_READER_H
#define WT_REC_CPU_READER_H

#include <stdint.h>

#include "diag.h"
#include "events.h"

struct wt_rec_instance;
struct wt_rec_output;
struct wt_cpu_reader;

/* Bytes of sub-buffers per CPU_DATA chunk (64 of 4 KiB, 4 of 64 KiB; at
 * least one sub-buffer), and the age at which a partial batch is written
 * anyway (so a quiet CPU's events reach the file within ~1 s). */
#define WT_REC_BATCH_BYTES (256u << 10)
#define WT_REC_BATCH_MAX_AGE_MS 1000
/* poll() timeout: buffer_percent wakes us for bursts, this for trickles */
#define WT_REC_POLL_MS 200

/*
 * Nice value of the reader threads.  Measured on the 2-CPU test machine with
 * a fuzzer busy on one CPU and `pollloop 1` on the other: at nice 0 the
 * readers were starved often enough to lose up to 1.7 M events of a 1 s run
 * (1 run in 10); at -10 none of 20 runs lost any.  A reader that wins the
 * CPU over the traced workload also slows the workload down, which is the
 * only back-pressure a ring buffer offers.
 */
#define WT_REC_READER_NICE (-10)

/*
 * Open CPU @cpu of @in.  @ev (for counting) and @out must outlive the reader;
 * @out may be NULL until wt_cpu_reader_set_output().
 * @stop_fd is polled with the trace file: when it becomes readable, the
 * thread drains and exits.  NULL with @d set on failure.
 */
struct wt_cpu_reader *wt_cpu_reader_open(struct wt_rec_instance *in, int cpu,
					 const struct wt_rec_events *ev,
					 struct wt_rec_output *out,
					 int stop_fd, struct wt_diag *d);

/* The file chunks go to; set before wt_cpu_reader_start(). */
void wt_cpu_reader_set_output(struct wt_cpu_reader *r, struct wt_rec_output *out);

/* Start the thread (signals stay blocked in it).  0 or -1 with errno. */
int wt_cpu_reader_start(struct wt_cpu_reader *r);

/*
 * The pair of wt_cpu_reader_start(): once @stop_fd is readable the thread
 * drains what the kernel still holds and exits; wait for that.  Returns
 * 0, or -1 when the thread met a read or write error (errno).
 */
int wt_cpu_reader_stop(struct wt_cpu_reader *r);

/* errno that ended the thread early (read or write error), 0 if none. */
int wt_cpu_reader_error(const struct wt_cpu_reader *r);

/* Events counted so far (readable while the thread runs). */
uint64_t wt_cpu_reader_events(const struct wt_cpu_reader *r);

/* Per-type counts; index as in struct wt_rec_events, [n] = other. */
void wt_cpu_reader_counts(const struct wt_cpu_reader *r,
			  uint64_t counts[WT_REC_MAX_EVENTS + 1]);

/* The thread's CPU time by stage (CLOCK_THREAD_CPUTIME_ID): reading (the
 * read() calls, polls and the loop), counting, compressing, appending to
 * the file (the lock and the write).  Their sum is the thread's CPU. */
enum wt_rec_cost {
	WT_REC_COST_READ,
	WT_REC_COST_COUNT,
	WT_REC_COST_COMPRESS,
	WT_REC_COST_WRITE,
	WT_REC_COST_N,
};
/* After wt_cpu_reader_join(). */
void wt_cpu_reader_costs(const struct wt_cpu_reader *r,
			 uint64_t cost_ns[WT_REC_COST_N]);

/* Close the trace file and free.  The thread must be joined.  Accepts NULL. */
void wt_cpu_reader_close(struct wt_cpu_reader *r);

#endif
