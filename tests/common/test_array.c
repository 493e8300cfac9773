/*
 * test_array.c - common/array.c: appends keep what was there, the capacity
 * grows geometrically (a million appends take a few dozen reallocs), and a
 * size that cannot be represented fails with EOVERFLOW leaving the array
 * as it was.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "array.h"
#include "tcheck.h"

static char got[64], want[64];

static const char *num(char *b, size_t v)
{
	snprintf(b, 64, "%zu", v);
	return b;
}

int main(void)
{
	uint32_t *v = NULL;
	size_t cap = 0, n = 0, grows = 0, bad = 0;

	check(wt_array_reserve(&v, &cap, 0, sizeof(*v)) == 0 && !v && !cap, 1,
	      "reserving 0 of an empty array allocates nothing", num(got, cap),
	      "0");
	for (uint32_t i = 0; i < 1000000; i++) {
		size_t before = cap;

		if (wt_array_reserve(&v, &cap, n + 1, sizeof(*v)) < 0)
			break;
		grows += cap != before;
		v[n++] = i * 7;
	}
	check(n == 1000000, 2, "appends", num(got, n), num(want, 1000000));
	for (size_t i = 0; i < n; i++)
		bad += v[i] != (uint32_t)(i * 7);
	check(bad == 0, 2, "values kept across reallocs", num(got, bad), "0");
	check(grows <= 20, 3, "capacity changes for 10^6 appends (doubling)",
	      num(got, grows), "<= 20");
	check(cap >= n && cap < 2 * n, 3, "capacity", num(got, cap), "n..2n");
	check(wt_array_reserve(&v, &cap, 10, sizeof(*v)) == 0 && cap >= n, 4,
	      "reserving less than there is changes nothing", num(got, cap),
	      num(want, n));
	{
		uint32_t *old = v;
		size_t oldcap = cap;

		errno = 0;
		check(wt_array_reserve(&v, &cap, SIZE_MAX / 2, sizeof(*v)) == -1 &&
		      errno == EOVERFLOW, 5, "SIZE_MAX/2 elements of 4 bytes",
		      strerror(errno), strerror(EOVERFLOW));
		check(v == old && cap == oldcap, 5, "array unchanged on failure",
		      num(got, cap), num(want, oldcap));
	}
	free(v);
	return tcheck_report();
}
