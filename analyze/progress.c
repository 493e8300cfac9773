/*
 * progress.c - the progress line of `wtrec analyze` (see progress.h).
 *
 * Why a delay: most recordings decode in well under a second, and a line
 * that flashes and vanishes is noise.  Why a rate limit: the decoder
 * reports about every megabyte, which on a fast disk is hundreds of times
 * a second.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"

#define SHOW_AFTER_S 1.0     /* no line for files decoded faster */
#define REDRAW_EVERY_S 0.25

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void wt_progress_start(struct wt_progress *p, FILE *f, const char *label)
{
	memset(p, 0, sizeof(*p));
	p->f = f && isatty(fileno(f)) ? f : NULL;
	p->label = label;
	p->start = now_s();
}

/* "1.9M", "850k", "12" */
static void si(char *buf, size_t len, double v)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.1fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

/* "0:42", "1:02:03" */
static void clock_text(char *buf, size_t len, double s)
{
	unsigned long t = s > 0 && s < 3.6e7 ? (unsigned long)(s + 0.5) : 0;
	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

void wt_progress_format(char *buf, size_t len, const char *label,
			uint64_t done, uint64_t total, uint64_t events,
			double elapsed)
{
	char rate[16] = "?", eta[24] = "?";
	const double mib = 1024.0 * 1024.0;
	if (done > total)
		done = total;
	if (elapsed > 0)
		si(rate, sizeof(rate), events / elapsed);
	/* ETA assumes the rest goes as fast as what was done so far. */
	if (done > 0 && elapsed > 0)
		clock_text(eta, sizeof(eta),
			   elapsed * (double)(total - done) / (double)done);
	snprintf(buf, len, "wtrec analyze: %s: %.1f/%.1f MiB (%d%%), "
		 "%s events/s, ETA %s", label ? label : "?", done / mib,
		 total / mib, total ? (int)(done * 100 / total) : 0, rate,
		 eta);
}

void wt_progress_update(struct wt_progress *p, uint64_t done, uint64_t total)
{
	if (!p->f)
		return;
	double t = now_s();
	if (t - p->start < SHOW_AFTER_S || t - p->last < REDRAW_EVERY_S)
		return;
	char line[512];
	wt_progress_format(line, sizeof(line), p->label, done, total,
			   p->events, t - p->start);
	/* \033[K clears what a longer previous line left on the right. */
	fprintf(p->f, "\r%s\033[K", line);
	fflush(p->f);
	p->last = t;
	p->shown = true;
}

void wt_progress_end(struct wt_progress *p)
{
	if (p->f && p->shown)
		fputs("\r\033[K", p->f);
	p->shown = false;
}
