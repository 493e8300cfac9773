/*
 * decode.h - turn one .wtrec file into a time-ordered stream of normalized
 * events (event.h) plus the recording's metadata, snapshots and stats.
 *
 * Workload: files of up to hundreds of millions of events; memory must not
 * grow with the file.  The decoder reads the file twice: pass 1 keeps the
 * small chunks (metadata, formats, snapshots, stats) and an index of CPU
 * chunk offsets; pass 2 k-way merges the per-CPU sub-buffer streams.
 *
 * Event formats come from the file, never from the running kernel.
 *
 * Errors: functions return 0 / -1; on -1 a one-line message naming the file
 * (and the byte offset, for damage) is in the caller's error buffer.
 * Damage after some data was read is not fatal: decoding stops at the last
 * whole chunk, sink callbacks have seen everything before it, and
 * wt_decode_result.damaged says so.
 */
#ifndef WT_DECODE_H
#define WT_DECODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "event.h"

struct wt_reader;

#define WT_NSPID_MAX 8   /* pid namespace levels kept per task */

/* One task line of a /proc snapshot.  Layout 1 files (wtrec <= 0.1) have
 * none of the fields marked "layout 2": they read as unknown. */
struct wt_proc_entry {
	bool at_start;        /* start snapshot (true) or stop snapshot */
	uint64_t snap_ts;     /* trace-clock ns when the snapshot was taken */
	int32_t tgid, tid, ppid;
	char state;           /* 'R', 'S', 'Z', ... */
	uint64_t start_ns;    /* task start, trace-clock ns (boot clock) */
	uint64_t sig_ign, sig_cgt; /* SigIgn / SigCgt masks, bit n-1 = signal n */
	/* layout 2 */
	bool has_exit_code;
	int32_t exit_code;    /* stat field 52: a zombie's wait status */
	int32_t pgid;         /* -1 unknown */
	uint64_t pidns_ino;   /* inode of its pid namespace, 0 unknown */
	int nspid_n;          /* levels in nspid[], 0 unknown */
	int32_t nspid[WT_NSPID_MAX]; /* NSpid: outermost (the recorder's
					namespace) first, its own last */
	const char *cgroup2;  /* v2 path, NULL unknown; valid during the call */
	const char *cgroup_pids; /* v1 pids hierarchy path, NULL unknown */
	const char *comm;     /* valid during the callback */
};

/*
 * One line of a CGROUP chunk: a cgroup's pids.* files at the start or the
 * stop of the recording (docs/FORMAT.md).  A chunk is delivered as one
 * call with @path NULL (its header: the v1 pids hierarchy's id), then one
 * call per line.  Strings are valid during the callback.
 */
struct wt_cgroup_entry {
	bool at_start;
	uint64_t snap_ts;         /* trace-clock ns of the reading */
	int32_t pids_hierarchy;   /* id of the v1 pids hierarchy (the first
				     field of its /proc/PID/cgroup line);
				     -1: none, or unknown */
	const char *hierarchy;    /* "v2" or "pids"; NULL in the header */
	const char *path;         /* the cgroup; NULL in the header */
	/* -1 where unknown (not readable, a kernel without the file);
	 * pids_max -2 = "max" (no limit) */
	int64_t pids_current, pids_max, pids_peak, pids_events_max;
};

/* per_cpu/cpuN/stats at stop, parsed. -1 where the kernel did not say. */
struct wt_cpu_stats {
	int cpu;
	int64_t entries, overrun, commit_overrun, dropped, read_events;
	uint64_t missed_in_pages; /* sum of page-header missed-event counts */
};

/*
 * Callbacks, all optional (NULL = ignore).  Each returns 0 to go on, or
 * non-zero to stop decoding: wt_decode_file() then returns -1 with "FILE:
 * decoding stopped by the consumer" in its error buffer (the callback
 * keeps its own reason in ctx).  Call order: every meta pair, then
 * start-snapshot entries, start cgroup entries, then events in time order,
 * then stop-snapshot entries, stop cgroup entries, then per-CPU stats.
 */
struct wt_sink {
	void *ctx;
	int (*meta)(void *ctx, const char *key, const char *value);
	int (*proc)(void *ctx, const struct wt_proc_entry *p);
	int (*event)(void *ctx, const struct wt_event *ev);
	int (*stats)(void *ctx, const struct wt_cpu_stats *s);
	/* CGROUP chunks: the start ones after the start snapshot, the stop
	 * ones after the stop snapshot */
	int (*cgroup)(void *ctx, const struct wt_cgroup_entry *e);
};

struct wt_decode_result {
	uint64_t events;          /* events delivered (lost markers excluded) */
	uint64_t lost_events;     /* kernel-counted loss: overrun + commit overrun + dropped, or
				     page-header counts when stats are absent */
	uint64_t unknown_events;  /* records of event ids we do not model */
	uint64_t first_ts, last_ts;
	bool complete;            /* trailer present */
	bool damaged;             /* stopped early at a damaged chunk */
	char damage[256];         /* message when damaged */
	uint64_t counts[WT_EV_LOST + 1]; /* events per wt_ev_type */
	/* Damage that did not stop decoding; each kind also sets damaged,
	 * with the first problem's message in damage. */
	uint64_t bad_subbufs;      /* CPU chunks or sub-buffers skipped */
	uint64_t malformed_events; /* records with a field outside the record */
	/* A follower only: events delivered after a WATERMARK had promised
	 * their time complete (the recorder broke the promise; they are
	 * modeled out of order) */
	uint64_t late_events;
};

/*
 * Decode @path into @sink.  Returns 0 when the file was read (possibly only
 * up to damage: see result->damaged), -1 when nothing usable could be read,
 * memory ran out or a callback stopped it; @err gets a one-line message.
 * Never any other value.  An optional @progress is
 * called now and then with bytes of the file done and its total.
 */
int wt_decode_file(const char *path, const struct wt_sink *sink,
		   struct wt_decode_result *result,
		   void (*progress)(void *ctx, uint64_t done, uint64_t total),
		   char *err, size_t errlen);

/* Same, over a memory image (fuzzing and tests). */
int wt_decode_mem(const void *buf, size_t len, const char *name,
		  const struct wt_sink *sink, struct wt_decode_result *result,
		  char *err, size_t errlen);

/*
 * Same for the @n files of one --rotate series, in order, decoded as one
 * recording called @name (series.h finds them): the first file's start
 * META, formats and start snapshot, every file's events as one stream,
 * the last file's stop snapshot and stats, META stop keys of the last.
 */
int wt_decode_series(char *const *paths, size_t n, const char *name,
		     const struct wt_sink *sink, struct wt_decode_result *result,
		     void (*progress)(void *ctx, uint64_t done, uint64_t total),
		     char *err, size_t errlen);

/* ---- the decoder as an object: a recording that grows --------------------
 *
 * What wt_decode_file() does in one go, in steps, for a follower that reads
 * a recording while it is written (`analyze --follow`, follow.c):
 *
 *   d = wt_decoder_new(); wt_decoder_add_file(d, reader of file 1);
 *   loop: wt_decoder_read(d) -> MARK: wt_decoder_events(d, its time)
 *                            -> WAIT: wt_reader_refresh() later, again
 *                            -> TRAILER: file complete; a next file of
 *                               its series: wt_decoder_add_file(), go on
 *   wt_decoder_file_end(d); wt_decoder_end(d); wt_decoder_free(d).
 *
 * The sink sees exactly what wt_decode_file() would deliver for the
 * finished recording, in the same order, provided the recorder kept the
 * WATERMARK promise (FORMAT.md); events that break it are delivered late
 * and counted (result->late_events).  Meta pairs are delivered with the
 * start snapshot and, if META chunks came after that, all again at the
 * end.  Functions return 0 / -1 with a message in @err unless said
 * otherwise; after -1 only wt_decoder_free() is valid.
 */
struct wt_decoder;

/* A decoder delivering to @sink (may be NULL) and counting into @result
 * (zeroed here); NULL with errno ENOMEM.  @name is for messages. */
struct wt_decoder *wt_decoder_new(const char *name, const struct wt_sink *sink,
				  struct wt_decode_result *result);

/* Progress as wt_decode_file() gives it, over @total_bytes. */
void wt_decoder_set_progress(struct wt_decoder *d,
			     void (*prog)(void *ctx, uint64_t done,
					  uint64_t total),
			     uint64_t total_bytes);

/* The next file of the recording (the first, or the next of its --rotate
 * series): chunks read from now on are @r's.  Takes @r, even on failure
 * (another byte order or word size than the first file). */
int wt_decoder_add_file(struct wt_decoder *d, struct wt_reader *r,
			const char *path, char *err, size_t errlen);

/* What wt_decoder_read() stopped at. */
enum wt_read_status {
	WT_READ_MARK = 1,   /* a WATERMARK chunk: see wt_decoder_watermark */
	WT_READ_WAIT,       /* the end of the file as it is now (a chunk cut
			       short, or a clean end without a trailer) */
	WT_READ_TRAILER,    /* the file's TRAILER: it is complete */
	WT_READ_DAMAGE,     /* damage: nothing more of this file is read */
	WT_READ_ERROR,      /* out of memory (errno ENOMEM) */
};

/* Pass 1 over the chunks of the current file from where the last call
 * stopped (one WATERMARK at a time).  Returns a wt_read_status. */
int wt_decoder_read(struct wt_decoder *d);

/* No more bytes of the current file will come (its trailer was read, its
 * writer is gone, or it is not followed): a chunk cut short at its end,
 * or damage, is reported in the result; complete = it has its trailer. */
void wt_decoder_file_end(struct wt_decoder *d);

/* The last WATERMARK read: its time and the kernel's loss count then
 * (UINT64_MAX unknown).  False while none was read. */
bool wt_decoder_watermark(const struct wt_decoder *d, uint64_t *complete_ns,
			  uint64_t *lost);

/* A key of the current file's TRAILER (continued_in: the next file of its
 * series), valid until the next add_file; NULL when absent. */
const char *wt_decoder_trailer(const struct wt_decoder *d, const char *key);

/* Deliver the meta pairs and the start snapshot, once (later calls do
 * nothing; wt_decoder_events and wt_decoder_end call it). */
int wt_decoder_begin(struct wt_decoder *d, char *err, size_t errlen);

/* Deliver the events indexed so far with a timestamp up to @until, in
 * time order. */
int wt_decoder_events(struct wt_decoder *d, uint64_t until, char *err,
		      size_t errlen);

/* The rest: every remaining event, the meta pairs again if META came
 * after the start, the stop snapshot, the stats.  Once. */
int wt_decoder_end(struct wt_decoder *d, char *err, size_t errlen);

/* Free (closes the files).  Accepts NULL. */
void wt_decoder_free(struct wt_decoder *d);

#endif /* WT_DECODE_H */
