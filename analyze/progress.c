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
#include "kstats.h"
#include "wtfile.h"

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

void wt_progress_expect(struct wt_progress *p, const char *path)
{
	char err[256];
	struct wt_chunk c;
	uint64_t sum = 0;
	if (!p->f)
		return;
	struct wt_reader *r = wt_reader_open(path, err, sizeof(err));
	/* CPU data is skipped unread (lazy): only headers and small chunks */
	while (r && wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 8) == 1) {
		struct wt_kstats s;
		if (c.type != WT_CHUNK_CPU_STATS || c.len < 4)
			continue;
		wt_kstats_parse((const char *)c.data + 4, c.len - 4, &s);
		if (s.read_events > 0)
			sum += (uint64_t)s.read_events;
	}
	wt_reader_close(r);
	p->expected = sum;
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
			const struct wt_progress_state *s)
{
	char rate[16] = "?", eta[24] = "?", a[16], b[16];
	const double mib = 1024.0 * 1024.0;
	uint64_t done = s->done > s->total ? s->total : s->done;
	if (s->elapsed > 0)
		si(rate, sizeof(rate), s->events / s->elapsed);
	if (s->expected > 0) {
		/* the rest goes as fast as the events decoded so far */
		uint64_t ev = s->events > s->expected ? s->expected : s->events;
		if (ev > 0 && s->events_elapsed > 0)
			clock_text(eta, sizeof(eta), s->events_elapsed *
				   (double)(s->expected - ev) / (double)ev);
		si(a, sizeof(a), (double)ev);
		si(b, sizeof(b), (double)s->expected);
		snprintf(buf, len, "wtrec analyze: %s: %s/%s events (%d%%), "
			 "%s events/s, ETA %s", label ? label : "?", a, b,
			 (int)(ev * 100 / s->expected), rate, eta);
		return;
	}
	/* no kernel counts (a cut file): bytes, as fast as so far */
	if (done > 0 && s->elapsed > 0)
		clock_text(eta, sizeof(eta),
			   s->elapsed * (double)(s->total - done) / (double)done);
	snprintf(buf, len, "wtrec analyze: %s: %.1f/%.1f MiB (%d%%), "
		 "%s events/s, ETA %s", label ? label : "?", done / mib,
		 s->total / mib, s->total ? (int)(done * 100 / s->total) : 0,
		 rate, eta);
}

void wt_progress_update(struct wt_progress *p, uint64_t done, uint64_t total)
{
	if (!p->f)
		return;
	double t = now_s();
	if (p->events && !p->first_event)
		p->first_event = t;
	if (t - p->start < SHOW_AFTER_S || t - p->last < REDRAW_EVERY_S)
		return;
	char line[512];
	struct wt_progress_state s = {
		.done = done, .total = total, .events = p->events,
		.expected = p->expected, .elapsed = t - p->start,
		.events_elapsed = p->first_event ? t - p->first_event : 0,
	};
	wt_progress_format(line, sizeof(line), p->label, &s);
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
