/*
 * strset.c - a set of strings with a header each (see strset.h).
 *
 * The table is kept at most half full; it doubles when it would be more.
 * Workload: a few hundred to a few thousand keys (cgroup paths).
 */
#include <stdlib.h>
#include <string.h>

#include "strset.h"

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

const char *wt_strset_key(const struct wt_strset *s, const void *entry)
{
	return (const char *)entry + s->hdr;
}

void *wt_strset_entry(const struct wt_strset *s, const char *key)
{
	return (char *)key - s->hdr;
}

/* The slot of @key: its entry's, or the empty one it would take. */
static uint32_t slot_of(const struct wt_strset *s, const char *key)
{
	uint32_t i = hash(key) & (s->cap - 1);

	while (s->slot[i] && strcmp(wt_strset_key(s, s->slot[i]), key))
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int grow(struct wt_strset *s)
{
	struct wt_strset n = { .hdr = s->hdr, .cap = s->cap ? s->cap * 2 : 256 };

	if (!(n.slot = calloc(n.cap, sizeof(*n.slot))))
		return -1;
	for (uint32_t i = 0; i < s->cap; i++)
		if (s->slot[i])
			n.slot[slot_of(&n, wt_strset_key(s, s->slot[i]))] =
				s->slot[i];
	free(s->slot);
	s->slot = n.slot;
	s->cap = n.cap;
	return 0;
}

void *wt_strset_find(const struct wt_strset *s, const char *key)
{
	return s->cap ? s->slot[slot_of(s, key)] : NULL;
}

void *wt_strset_get(struct wt_strset *s, const char *key, bool *added)
{
	void *e = wt_strset_find(s, key);
	size_t n = strlen(key);

	if (added)
		*added = false;
	if (e)
		return e;
	if ((s->used + 1) * 2 > s->cap && grow(s) < 0)
		return NULL;
	if (!(e = calloc(1, s->hdr + n + 1)))
		return NULL;
	memcpy((char *)e + s->hdr, key, n + 1);
	s->slot[slot_of(s, key)] = e;
	s->used++;
	if (added)
		*added = true;
	return e;
}

void wt_strset_free(struct wt_strset *s)
{
	for (uint32_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	s->slot = NULL;
	s->cap = s->used = 0;
}
