/*
 * kstats.h - the text of tracefs per_cpu/cpuN/stats: the kernel's own
 * count of events in the ring buffer, overwritten before being read
 * (overrun), not reserved (commit overrun) and dropped.  The recorder reads it at stop (loss in its
 * summary and trailer) and stores it in a CPU_STATS chunk; the decoder
 * parses the stored text.  One parser for both, so they agree on what a
 * missing line means: unknown (-1), which counts as no loss.
 */
#ifndef WT_KSTATS_H
#define WT_KSTATS_H

#include <stddef.h>
#include <stdint.h>

/* -1 where the text did not say (the set of lines grew over kernels). */
struct wt_kstats {
	int64_t entries;        /* still in the buffer */
	int64_t overrun;        /* overwritten before being read: lost */
	int64_t commit_overrun; /* could not be reserved: lost */
	int64_t bytes;
	int64_t dropped;        /* "dropped events": lost */
	int64_t read_events;    /* "read events" */
};

/* Every counter of @k unknown (-1). */
void wt_kstats_clear(struct wt_kstats *k);

/*
 * Parse @len bytes of stats text (not NUL-terminated, not trusted: each
 * line is copied into a bounded buffer) into @k, cleared first.  Lines it
 * does not know, and values that are not a decimal number, are ignored.
 * Returns the number of counters recognised; allocates nothing.
 */
int wt_kstats_parse(const char *text, size_t len, struct wt_kstats *k);

/* Events the kernel lost: overrun + commit overrun + dropped, an unknown
 * one counting 0.  A commit overrun is an event the kernel could not
 * reserve because the writer wrapped onto the page still being committed
 * (kernel/trace/ring_buffer.c rb_move_tail(): the reservation fails, the
 * event is gone), so it is loss like the other two. */
uint64_t wt_kstats_lost(const struct wt_kstats *k);

#endif /* WT_KSTATS_H */
