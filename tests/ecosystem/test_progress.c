/*
 * test_progress.c - the progress line of `wtrec analyze` (progress.h):
 * what the line says, that nothing is written to a non-terminal, and on
 * a pseudo-terminal that the line appears once a second has passed and
 * is erased at the end.  Exits 1 if any case fails.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"
#include "tcheck.h"


/* Table-driven: the text of the line for given numbers.  With the
 * expected events known (cases 6-9) the percent and the ETA follow the
 * events decoded since the first one, whatever the bytes say; without
 * (cases 1-5, a cut file) the bytes. */
static void test_format(void)
{
	static const struct {
		struct wt_progress_state s;
		const char *want;
	} cases[] = {
		{ { 1u << 20, 4u << 20, 1000000, 0, 2.0, 1.5 },
		  "wtrec analyze: f.wtrec: 1.0/4.0 MiB (25%), 500k events/s, ETA 0:06" },
		{ { 0, 10u << 20, 0, 0, 1.5, 0 },
		  "wtrec analyze: f.wtrec: 0.0/10.0 MiB (0%), 0 events/s, ETA ?" },
		{ { 512u << 20, 1024u << 20, 3000000000ull, 0, 1500.0, 1400.0 },
		  "wtrec analyze: f.wtrec: 512.0/1024.0 MiB (50%), 2.0M events/s, ETA 25:00" },
		{ { 1u << 20, 2u << 20, 5, 0, 4000.0, 10.0 },
		  "wtrec analyze: f.wtrec: 1.0/2.0 MiB (50%), 0 events/s, ETA 1:06:40" },
		{ { 3u << 20, 3u << 20, 1500, 0, 1.0, 0.5 },
		  "wtrec analyze: f.wtrec: 3.0/3.0 MiB (100%), 1500 events/s, ETA 0:00" },
		/* the index pass read 90% of the bytes in 1 s; 1 M of 4 M
		 * events took 2 s more: 6 s to go, not the bytes' 0:00 */
		{ { 950u << 20, 1000u << 20, 1000000, 4000000, 3.0, 2.0 },
		  "wtrec analyze: f.wtrec: 1.0M/4.0M events (25%), 333k events/s, ETA 0:06" },
		{ { 100u << 20, 1000u << 20, 0, 4000000, 0.9, 0 },
		  "wtrec analyze: f.wtrec: 0/4.0M events (0%), 0 events/s, ETA ?" },
		{ { 1000u << 20, 1000u << 20, 4000000, 4000000, 10.0, 8.0 },
		  "wtrec analyze: f.wtrec: 4.0M/4.0M events (100%), 400k events/s, ETA 0:00" },
		/* more events than the kernel counted (markers): capped */
		{ { 10u << 20, 10u << 20, 5000, 4000, 2.0, 1.0 },
		  "wtrec analyze: f.wtrec: 4000/4000 events (100%), 2500 events/s, ETA 0:00" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		wt_progress_format(buf, sizeof(buf), "f.wtrec", &cases[i].s);
		check(!strcmp(buf, cases[i].want), 1 + (int)i, "the line", buf, cases[i].want);
	}
}

/* The expected events come from the file's CPU_STATS chunks: the
 * sample's kernel counts are the events its recording table says were
 * decoded (no loss in it). */
static void test_expect(const char *sample, long want)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (!sample || m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
		printf("ok 30 # SKIP no sample or no pseudo-terminal\n");
		return;
	}
	FILE *f = fopen(ptsname(m), "w");
	struct wt_progress p;
	wt_progress_start(&p, f, sample);
	wt_progress_expect(&p, sample);
	char got[32];
	snprintf(got, sizeof(got), "%llu", (unsigned long long)p.expected);
	check((long)p.expected == want, 30, "expected events = the sample's", got, "(as stated)");
	wt_progress_start(&p, NULL, sample);
	wt_progress_expect(&p, sample);
	check(p.expected == 0, 31, "not on a terminal: the file is not read", "read", "(as stated)");
	if (f)
		fclose(f);
	close(m);
}

/* Not a terminal: not one byte, however long it takes. */
static void test_not_tty(void)
{
	FILE *f = tmpfile();
	struct wt_progress p;
	wt_progress_start(&p, f, "x.wtrec");
	p.start -= 10; /* as if decoding had run for 10 s */
	for (int i = 0; i < 100; i++)
		wt_progress_update(&p, (uint64_t)i << 20, 100u << 20);
	wt_progress_end(&p);
	fflush(f);
	check(ftell(f) == 0, 10, "nothing written to a file", "bytes", "(as stated)");
	fclose(f);
}

/* Everything the pty's master has to read (a write may arrive in
 * pieces): read until nothing more comes for a while.  NUL-terminated. */
static ssize_t read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	while (n < len - 1 && poll(&p, 1, 500) == 1) {
		ssize_t r = read(fd, buf + n, len - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	return (ssize_t)n;
}

/* A pseudo-terminal: after a second (start moved back, no sleeping) the
 * line is drawn, and the end erases it. */
static void test_tty(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
		printf("ok 20 # SKIP no pseudo-terminal\n");
		return;
	}
	int s = open(ptsname(m), O_RDWR | O_NOCTTY);
	FILE *f = s >= 0 ? fdopen(s, "w") : NULL;
	if (!f) {
		printf("ok 20 # SKIP cannot open the pty's slave\n");
		close(m);
		return;
	}
	struct wt_progress p;
	wt_progress_start(&p, f, "x.wtrec");
	wt_progress_update(&p, 1u << 20, 4u << 20);
	check(!p.shown, 20, "no line before a second has passed", "shown", "(as stated)");
	p.start -= 2;
	p.events = 1000;
	wt_progress_update(&p, 1u << 20, 4u << 20);
	wt_progress_end(&p);
	fflush(f);
	char buf[512] = "";
	ssize_t n = read_all(m, buf, sizeof(buf));
	check(strstr(buf, "\rwtrec analyze: x.wtrec: 1.0/4.0 MiB (25%)") != NULL, 21, "the line is drawn on a terminal", buf, "(as stated)");
	check(n >= 4 && !strcmp(buf + n - 4, "\r\033[K"), 22, "and erased at the end", buf, "(as stated)");
	fclose(f);
	close(m);
}

/* argv: [SAMPLE.wtrec EVENTS] */
int main(int argc, char **argv)
{
	test_format();
	test_not_tty();
	test_tty();
	test_expect(argc > 2 ? argv[1] : NULL, argc > 2 ? atol(argv[2]) : 0);
	return tcheck_report();
}
