/*
 * array.h - growable arrays of any element type: the one "append, growing
 * the capacity geometrically" of wtrec (struct wt_buf in wtfile.h is the
 * byte buffer built on the same rule).
 *
 *	if (wt_array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0)
 *		return -1;
 *	s->v[s->n++] = x;
 */
#ifndef WT_ARRAY_H
#define WT_ARRAY_H

#include <stddef.h>

/*
 * Make room for @n elements of @elem bytes in the array whose pointer is
 * at @arrp (a T ** passed as void *; NULL with *@cap 0 for an empty one),
 * of *@cap elements.  The capacity at least doubles (from 16), so appends
 * stay linear.  0, or -1 with errno ENOMEM or EOVERFLOW, the array and
 * *@cap unchanged and still the caller's.  The caller frees the array.
 */
int wt_array_reserve(void *arrp, size_t *cap, size_t n, size_t elem);

#endif /* WT_ARRAY_H */
