/*
 * test_tcheck.c - tcheck.h itself: `test_tcheck MODE` runs one scenario
 * and returns what tcheck_report() says, for tests/lib/selftest.sh to
 * compare with what it must say:
 *   none   no check at all            -> 1 (a test that checked nothing)
 *   pass   one passing check          -> 0
 *   fail   one passing, one failing   -> 1
 *   lazy   CHECK's message arguments are evaluated only on failure -> 0
 */
#include <stdio.h>
#include <string.h>
#include "tcheck.h"

static int evaluated;

static const char *touch(void)
{
	evaluated++;
	return "x";
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "pass")) {
		CHECK(1 + 1 == 2);
	} else if (!strcmp(mode, "fail")) {
		CHECK_EQ(2, 2);
		check(false, 1, "a failing comparison", "got", "want");
	} else if (!strcmp(mode, "lazy")) {
		CHECK(1, "%s", touch());
		/* the failing CHECK below is counted, then undone: only the
		 * evaluation of its arguments is under test */
		CHECK(0, "%s", touch());
		tcheck_failed--;
		CHECK_EQ(evaluated, 1);
	} else if (strcmp(mode, "none")) {
		fprintf(stderr, "usage: test_tcheck none|pass|fail|lazy\n");
		return 2;
	}
	return tcheck_report();
}
