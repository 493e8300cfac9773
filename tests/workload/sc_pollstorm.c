/*
 * sc_pollstorm.c - `wtwork pollstorm SECONDS`: WNOHANG spinning.  One child
 * stays parked while the main thread calls wait4(-1, NULL, WNOHANG, NULL) in
 * a tight loop for SECONDS; every call must return 0.  The calls are not
 * logged one by one (there are millions), only the summary
 *   pollstorm CALLS TID
 * and stdout gets the rate.  Then the child is released and reaped with a
 * logged wait4(pid, 0).
 */
#include "scenario.h"
#include "held.h"
#include "waitcall.h"
#include "wtlog.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int sc_pollstorm(int argc, char **argv)
{
	long seconds = sc_arg(argc, argv, 1, -2, 0, 600);
	struct held h;
	struct wc_result r;
	long calls = 0, bad = 0;
	int failed = 0;

	if (seconds < 0) {
		fprintf(stderr, "wtwork pollstorm: SECONDS (0-600) required\n");
		return 2;
	}
	held_set_lifetime(seconds + 30);
	if (held_fork(&h, FATE_EXIT, 0) < 0)
		return 1;
	double start = now(), end = start + seconds, t = start;
	while (t < end) {
		for (int i = 0; i < 256; i++, calls++)
			if (wc_poll_any() != 0)
				bad++;
		t = now();
	}
	double took = t - start;
	printf("pollstorm: %ld calls in %.2f s, %.0f calls/s\n", calls, took,
	       took > 0 ? calls / took : 0.0);
	fflush(stdout);
	wl_line("pollstorm\t%ld\t%d", calls, gettid());
	if (bad) {
		wl_mismatch("%ld of %ld WNOHANG polls returned nonzero", bad,
			    calls);
		failed = 1;
	}
	held_release(&h);
	wc_wait4(h.pid, 0, &r);
	if (held_verify(&h, &r) < 0)
		failed = 1;
	return failed;
}
