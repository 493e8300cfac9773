/*
 * cgroup_parse.h - parse the text of a CGROUP chunk (the pids.* files of
 * the recording's cgroups, read by the recorder at start and at stop;
 * layout in docs/FORMAT.md) into struct wt_cgroup_entry.
 */
#ifndef WT_CGROUP_PARSE_H
#define WT_CGROUP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include "decode.h"

/* Is @text (@len bytes) a CGROUP chunk, and is it the start one?  Only
 * the header is read.  0, or -1 when the magic line is missing. */
int wt_cgroup_header_parse(const char *text, size_t len, bool *at_start,
			   bool *when_known);

/*
 * Call @cb with the header (path NULL), then once per line of @text.
 * @default_start is used without a when= line.  Malformed lines are
 * skipped and counted in *@bad_lines.  Returns 0, -1 when @text is not a
 * CGROUP chunk, or the first non-zero value of @cb (which stops the walk).
 * Allocates nothing; @text stays the caller's.
 */
int wt_cgroup_parse(const char *text, size_t len, bool default_start,
		    int (*cb)(void *ctx, const struct wt_cgroup_entry *e),
		    void *ctx, unsigned *bad_lines);

#endif /* WT_CGROUP_PARSE_H */
