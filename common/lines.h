/*
 * lines.h - the one splitter of a text that is not NUL-terminated (META,
 * snapshots, stats, event formats: all read from a file, none trusted)
 * into lines.  A line ends at '\n' or at the end of the text; the '\n' is
 * not part of it; a text ending in '\n' has no empty line after it.
 *
 *	struct wt_lines it = wt_lines_of(text, len);
 *	const char *s;
 *	size_t n;
 *
 *	while (wt_lines_next(&it, &s, &n))
 *		... s[0 .. n-1] ...
 */
#ifndef WT_LINES_H
#define WT_LINES_H

#include <stdbool.h>
#include <stddef.h>

struct wt_lines {
	const char *p, *end;
};

/* A cursor over the @len bytes at @text (which must outlive it). */
struct wt_lines wt_lines_of(const char *text, size_t len);

/* The next line in *@line, *@len bytes (not NUL-terminated: it points into
 * the text); false when there is none left. */
bool wt_lines_next(struct wt_lines *it, const char **line, size_t *len);

#endif /* WT_LINES_H */
