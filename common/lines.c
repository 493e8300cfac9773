/*
 * lines.c - wt_lines_next (see lines.h).
 */
#include <string.h>

#include "lines.h"

struct wt_lines wt_lines_of(const char *text, size_t len)
{
	struct wt_lines it = { text, text + len };

	return it;
}

bool wt_lines_next(struct wt_lines *it, const char **line, size_t *len)
{
	const char *nl;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*line = it->p;
	*len = (size_t)((nl ? nl : it->end) - it->p);
	it->p = nl ? nl + 1 : it->end;
	return true;
}
