/*
 * cpu_stats.h - per_cpu/cpuN/stats of our instance: the kernel's own count
 * of events written, overwritten (overrun) and dropped, which is what the
 * status line and the summary report as loss, and what CPU_STATS stores.
 */
#ifndef WT_REC_CPU_STATS_H
#define WT_REC_CPU_STATS_H

#include <stdint.h>

struct wt_rec_instance;

struct wt_rec_kstats {
	uint64_t entries;        /* still in the buffer */
	uint64_t overrun;        /* overwritten before being read: lost */
	uint64_t commit_overrun;
	uint64_t bytes;
	uint64_t dropped;        /* "dropped events": lost */
	uint64_t read;           /* "read events" */
};

/*
 * Read and parse the stats of @cpu.  Returns the text (malloc'd, caller
 * frees) or NULL with errno; @s is zeroed first and filled from the lines
 * it recognizes.
 */
char *wt_rec_kstats_read(struct wt_rec_instance *in, int cpu,
			 struct wt_rec_kstats *s);

/* Parse the text of a stats file into @s (unknown lines are ignored). */
void wt_rec_kstats_parse(const char *text, struct wt_rec_kstats *s);

/* Events the kernel lost on @s: overrun + dropped. */
static inline uint64_t wt_rec_kstats_lost(const struct wt_rec_kstats *s)
{
	return s->overrun + s->dropped;
}

#endif
