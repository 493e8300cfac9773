/*
 * strset.h - a set of strings, each with a small header of the caller's
 * (open addressing, FNV-1a).  For interning: an entry never moves once
 * made, so pointers to it and to its key stay valid until the set is
 * freed.  Used by the recorder (the cgroups a recording's limits are read
 * for) and the model (interned cgroup paths and the container each names).
 *
 * An entry is @hdr bytes of the caller's (zeroed when made), then the key,
 * NUL-terminated: wt_strset_key() and wt_strset_entry() go from one to
 * the other.  A zeroed struct with .hdr set is an empty set.
 */
#ifndef WT_STRSET_H
#define WT_STRSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wt_strset {
	size_t hdr;     /* bytes before each key: set before the first use */
	void **slot;
	uint32_t cap, used;
};

/* The entry of @key, made if new (*@added, when not NULL, says so).
 * NULL on ENOMEM (the set unchanged). */
void *wt_strset_get(struct wt_strset *s, const char *key, bool *added);

/* The entry of @key, or NULL. */
void *wt_strset_find(const struct wt_strset *s, const char *key);

/* An entry's key; the entry of a key the set returned. */
const char *wt_strset_key(const struct wt_strset *s, const void *entry);
void *wt_strset_entry(const struct wt_strset *s, const char *key);

/* Frees every entry and the table; the set is empty again. */
void wt_strset_free(struct wt_strset *s);

#endif
