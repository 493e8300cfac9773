/*
 * proc_parse.h - parse the text of a PROC chunk (a /proc snapshot taken by
 * the recorder at start or stop; layout in docs/FORMAT.md) into
 * struct wt_proc_entry, one callback per task line.
 */
#ifndef WT_PROC_PARSE_H
#define WT_PROC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "decode.h"

/* The snapshot's own header lines. */
struct wt_proc_header {
	bool when_known;  /* a when=start|stop line was present */
	bool at_start;
	uint64_t ts;      /* ts=: trace-clock ns of the snapshot, 0 if absent */
	unsigned clk_tck; /* clk_tck=: 100 if absent or invalid */
	int layout;       /* the N of "# wtrec-proc N" (1 and 2 are known) */
};

/*
 * Read only the header lines (when=, ts=, clk_tck=) of @len bytes of PROC
 * text into @h.  Cheap; used by pass 1 to sort snapshots into start/stop.
 * Returns 0, or -1 when the text does not start with "# wtrec-proc".
 */
int wt_proc_header_parse(const char *text, size_t len,
			 struct wt_proc_header *h);

/*
 * Call @cb once per task line of @text with a filled wt_proc_entry (its comm
 * points into a local buffer valid only during the call).  @default_start
 * is used when the text has no when= line.  Malformed task lines are skipped
 * and counted in *@bad_lines (if non-NULL).  Returns 0, -1 when the text is
 * not a PROC snapshot, or the first non-zero value returned by @cb (which
 * stops the walk).  Allocates nothing; @text stays the caller's.
 */
int wt_proc_parse(const char *text, size_t len, bool default_start,
		  int (*cb)(void *ctx, const struct wt_proc_entry *p),
		  void *ctx, unsigned *bad_lines);

#endif /* WT_PROC_PARSE_H */
