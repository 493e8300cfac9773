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
	uint64_t lost_events;     /* kernel-counted loss: overrun + dropped, or
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

#endif /* WT_DECODE_H */
