/*
 * stats_parse.h - parse the text of tracefs per_cpu/cpuN/stats, stored by
 * the recorder at stop in a CPU_STATS chunk, into struct wt_cpu_stats.
 */
#ifndef WT_STATS_PARSE_H
#define WT_STATS_PARSE_H

#include <stddef.h>
#include "decode.h"

/*
 * Fill the kernel counters of @s from @len bytes of stats text (not
 * NUL-terminated).  Counters the text does not mention, or whose value is
 * not a decimal number, are left at -1; @s->cpu and @s->missed_in_pages are
 * not touched.  Returns the number of counters recognised (0 = nothing
 * useful).  Never fails otherwise; allocates nothing.
 */
int wt_stats_parse(const char *text, size_t len, struct wt_cpu_stats *s);

/* Set every kernel counter of @s to -1 (unknown). */
void wt_stats_clear(struct wt_cpu_stats *s);

#endif /* WT_STATS_PARSE_H */
