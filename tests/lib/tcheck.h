/*
 * tcheck.h - the assertions of every C unit test of wtrec (header-only:
 * each test program has its own counters).
 *
 *   check(ok, id, what, got, want)  one comparison of a table-driven case:
 *                                   on failure "FAIL case ID: WHAT" and
 *                                   what was got and wanted
 *   CHECK(cond [, fmt, args...])    a condition: on failure the file:line,
 *                                   the condition and the optional message
 *                                   (whose arguments are evaluated only
 *                                   then)
 *   tcheck_failf(fmt, args...)      a failure with a message (a case that
 *                                   cannot go on)
 *   CHECK_EQ(a, b), CHECK_STR(a, b) integers / strings, both values shown
 *   tcheck_case(id, name, fn)       runs fn(), then "ok ID - NAME" or
 *                                   "FAIL ID - NAME" by its checks
 *   tcheck_report()                 "N passed, M failed"; main()'s exit
 *                                   status: 1 when a check failed, and
 *                                   when none ran (a test that checked
 *                                   nothing proves nothing)
 *
 * Every check counts: a passed one too.  Failure messages are printed at
 * most TCHECK_SHOWN per case (enough to diagnose, not a flood).
 */
#ifndef WT_TCHECK_H
#define WT_TCHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define TCHECK_SHOWN 20

static int tcheck_passed, tcheck_failed;
static int tcheck_case_failed; /* in the running tcheck_case */

static inline bool tcheck_count(bool ok)
{
	if (ok) {
		tcheck_passed++;
		return false;
	}
	tcheck_failed++;
	return tcheck_case_failed++ < TCHECK_SHOWN;
}

/* Multi-line texts (format files) are printed as blocks, others inline. */
static inline void check(bool ok, int id, const char *what, const char *got,
			 const char *want)
{
	const char *g = got ? got : "(none)", *w = want ? want : "(none)";

	if (!tcheck_count(ok))
		return;
	if (strchr(g, '\n') || strchr(w, '\n'))
		printf("FAIL case %d: %s\n--- got:\n%s\n--- want:\n%s\n", id,
		       what, g, w);
	else
		printf("FAIL case %d: %s\n  got:  %s\n  want: %s\n", id, what,
		       g, w);
}

/* A failed CHECK(); @fmt starts with a space (see the macro). */
static inline void tcheck_fail(const char *file, int line, const char *cond,
			       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline void tcheck_fail(const char *file, int line, const char *cond,
			       const char *fmt, ...)
{
	va_list ap;

	if (!tcheck_count(false))
		return;
	printf("    %s:%d: check failed: %s", file, line, cond);
	if (fmt[1]) {
		printf(":");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
}

static inline void tcheck_failf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void tcheck_failf(const char *fmt, ...)
{
	va_list ap;

	if (!tcheck_count(false))
		return;
	printf("    FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* The " " keeps the format non-empty when no message is given. */
#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (cond)                                                    \
			tcheck_passed++;                                     \
		else                                                         \
			tcheck_fail(__FILE__, __LINE__, #cond,               \
				    " " __VA_ARGS__);                        \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		long long a_ = (long long)(a), b_ = (long long)(b);          \
		CHECK(a_ == b_, "%s == %lld, expected %lld", #a, a_, b_);    \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		CHECK(a_ && !strcmp(a_, b_), "%s == \"%s\", expected \"%s\"", \
		      #a, a_ ? a_ : "(null)", b_);                           \
	} while (0)

/* Run one named case; true when all its checks passed. */
static inline bool tcheck_case(int id, const char *name, void (*fn)(void))
{
	int before = tcheck_failed;

	tcheck_case_failed = 0;
	fn();
	printf("%s %d - %s\n", tcheck_failed == before ? "ok" : "FAIL", id,
	       name);
	fflush(stdout);
	tcheck_case_failed = 0;
	return tcheck_failed == before;
}

static inline int tcheck_report(void)
{
	printf("%d passed, %d failed\n", tcheck_passed, tcheck_failed);
	if (!tcheck_passed && !tcheck_failed) {
		printf("FAIL: no check ran\n");
		return 1;
	}
	return tcheck_failed ? 1 : 0;
}

#endif
