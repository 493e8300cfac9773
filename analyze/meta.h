/*
 * meta.h - a small ordered key=value store, filled from the META and TRAILER
 * chunks of a .wtrec file ("key=value\n" lines).  A later value of a key
 * replaces the earlier one in place, so iteration order is the order in which
 * keys first appeared (what `wtrec info` prints).
 *
 * Workload: a few dozen keys per file; lookups are linear on purpose.
 * Conventions: 0 / -1 with errno (ENOMEM only).
 */
#ifndef WT_META_H
#define WT_META_H

#include <stddef.h>

struct wt_meta_pair {
	char *key;
	char *value;
};

/* A zeroed struct is an empty store.  Release with wt_meta_free(). */
struct wt_meta {
	struct wt_meta_pair *pairs;
	size_t n, cap;
};

/*
 * Parse @len bytes of "key=value\n" text (not NUL-terminated) into @m.
 * Lines without '=' or with an empty key are skipped and counted in
 * *@bad_lines when it is non-NULL; a NUL byte inside a line ends the value
 * there.  The text is copied; the caller keeps ownership of it.
 */
int wt_meta_parse(struct wt_meta *m, const char *text, size_t len,
		  unsigned *bad_lines);

/* Set @key to @value (both copied), replacing any earlier value. */
int wt_meta_set(struct wt_meta *m, const char *key, const char *value);

/* The value of @key, owned by @m and valid until it changes; NULL if absent. */
const char *wt_meta_get(const struct wt_meta *m, const char *key);

/* Free every pair; @m becomes an empty store.  Accepts NULL. */
void wt_meta_free(struct wt_meta *m);

#endif /* WT_META_H */
