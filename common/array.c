/*
 * array.c - wt_array_reserve (see array.h).
 *
 * The array's pointer is read and written with memcpy: the caller's is a
 * T *, which may not be accessed through a void * lvalue.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

int wt_array_reserve(void *arrp, size_t *cap, size_t n, size_t elem)
{
	size_t c = *cap ? *cap : 16;
	void *old, *p;

	if (n <= *cap)
		return 0;
	while (c < n)
		c = c > SIZE_MAX / 2 ? n : c * 2;
	if (elem && c > SIZE_MAX / elem) {
		errno = EOVERFLOW;
		return -1;
	}
	memcpy(&old, arrp, sizeof(old));
	p = realloc(old, c * elem);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(arrp, &p, sizeof(p));
	*cap = c;
	return 0;
}
