/*
 * meta.c - the key=value store of META / TRAILER chunks (see meta.h).
 *
 * Input comes from files that may be damaged or hostile: nothing here
 * assumes NUL termination, line length or key uniqueness.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "lines.h"
#include "meta.h"

static struct wt_meta_pair *find(const struct wt_meta *m, const char *key)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->pairs[i].key, key))
			return &m->pairs[i];
	return NULL;
}

int wt_meta_set(struct wt_meta *m, const char *key, const char *value)
{
	struct wt_meta_pair *p = find(m, key);
	char *v = strdup(value);

	if (!v)
		return -1;
	if (p) {
		free(p->value);
		p->value = v;
		return 0;
	}
	if (wt_array_reserve(&m->pairs, &m->cap, m->n + 1,
			     sizeof(*m->pairs)) < 0)
		goto fail;
	m->pairs[m->n].key = strdup(key);
	if (!m->pairs[m->n].key)
		goto fail;
	m->pairs[m->n].value = v;
	m->n++;
	return 0;
fail:
	free(v);
	errno = ENOMEM;
	return -1;
}

/* Split one line (no '\n') at the first '='; copies into a NUL-terminated
 * scratch string so that embedded NULs simply end the value. */
static int parse_line(struct wt_meta *m, const char *line, size_t len,
		      unsigned *bad)
{
	char *s = strndup(line, len);
	char *eq;
	int rc = 0;

	if (!s)
		return -1;
	eq = strchr(s, '=');
	if (!eq || eq == s) {
		if (bad && len)
			(*bad)++;
		goto out;
	}
	*eq = '\0';
	rc = wt_meta_set(m, s, eq + 1);
out:
	free(s);
	return rc;
}

int wt_meta_parse(struct wt_meta *m, const char *text, size_t len,
		  unsigned *bad_lines)
{
	struct wt_lines it = wt_lines_of(text, len);
	const char *line;
	size_t n;

	while (wt_lines_next(&it, &line, &n))
		if (parse_line(m, line, n, bad_lines) < 0)
			return -1;
	return 0;
}

const char *wt_meta_get(const struct wt_meta *m, const char *key)
{
	const struct wt_meta_pair *p = find(m, key);

	return p ? p->value : NULL;
}

void wt_meta_free(struct wt_meta *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->pairs[i].key);
		free(m->pairs[i].value);
	}
	free(m->pairs);
	m->pairs = NULL;
	m->n = m->cap = 0;
}
