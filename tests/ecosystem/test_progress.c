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


/* Table-driven: the text of the line for given numbers. */
static void test_format(void)
{
	static const struct {
		uint64_t done, total, events;
		double elapsed;
		const char *want;
	} cases[] = {
		{ 1u << 20, 4u << 20, 1000000, 2.0,
		  "wtrec analyze: f.wtrec: 1.0/4.0 MiB (25%), 500k events/s, ETA 0:06" },
		{ 0, 10u << 20, 0, 1.5,
		  "wtrec analyze: f.wtrec: 0.0/10.0 MiB (0%), 0 events/s, ETA ?" },
		{ 512u << 20, 1024u << 20, 3000000000ull, 1500.0,
		  "wtrec analyze: f.wtrec: 512.0/1024.0 MiB (50%), 2.0M events/s, ETA 25:00" },
		{ 1u << 20, 2u << 20, 5, 4000.0,
		  "wtrec analyze: f.wtrec: 1.0/2.0 MiB (50%), 0 events/s, ETA 1:06:40" },
		{ 3u << 20, 3u << 20, 1500, 1.0,
		  "wtrec analyze: f.wtrec: 3.0/3.0 MiB (100%), 1500 events/s, ETA 0:00" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		wt_progress_format(buf, sizeof(buf), "f.wtrec", cases[i].done,
				   cases[i].total, cases[i].events,
				   cases[i].elapsed);
		check(!strcmp(buf, cases[i].want), 1 + (int)i, "the line", buf,
		      cases[i].want);
	}
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
	check(ftell(f) == 0, 10, "nothing written to a file", "bytes",
	      "none");
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
	check(!p.shown, 20, "no line before a second has passed", "shown",
	      "not shown");
	p.start -= 2;
	p.events = 1000;
	wt_progress_update(&p, 1u << 20, 4u << 20);
	wt_progress_end(&p);
	fflush(f);
	char buf[512] = "";
	ssize_t n = read_all(m, buf, sizeof(buf));
	check(strstr(buf, "\rwtrec analyze: x.wtrec: 1.0/4.0 MiB (25%)") != NULL,
	      21, "the line is drawn on a terminal", buf,
	      "\\rwtrec analyze: x.wtrec: 1.0/4.0 MiB (25%)...");
	check(n >= 4 && !strcmp(buf + n - 4, "\r\033[K"), 22,
	      "and erased at the end", buf, "... \\r ESC [K");
	fclose(f);
	close(m);
}

int main(void)
{
	test_format();
	test_not_tty();
	test_tty();
	return tcheck_report();
}
