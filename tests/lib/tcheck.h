/*
 * tcheck.h - pass/fail counting for the table-driven C unit tests
 * (tests/kprobe): check() counts one comparison and prints what was got
 * and wanted when it fails; tcheck_report() prints the totals and gives
 * main()'s exit status.  Header-only: each test program has its own
 * counters.
 */
#ifndef WT_TCHECK_H
#define WT_TCHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;

/* Multi-line texts (format files) are printed as blocks, others inline. */
static inline void check(bool ok, int id, const char *what, const char *got,
			 const char *want)
{
	const char *g = got ? got : "(none)", *w = want ? want : "(none)";

	if (ok) {
		passed++;
		return;
	}
	failed++;
	if (strchr(g, '\n') || strchr(w, '\n'))
		printf("FAIL case %d: %s\n--- got:\n%s\n--- want:\n%s\n", id,
		       what, g, w);
	else
		printf("FAIL case %d: %s\n  got:  %s\n  want: %s\n", id, what,
		       g, w);
}

/* "N passed, M failed"; 1 when any check failed, else 0. */
static inline int tcheck_report(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

#endif
