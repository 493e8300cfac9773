/*
 * series.c - names and the kept files of a --rotate series (series.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "series.h"

struct wt_rec_series {
	char *stem, *ext;      /* "rec" and ".wtrec" (ext may be "") */
	char id[64];
	char **closed;         /* closed files still on disk, oldest first */
	size_t nclosed;
};

struct wt_rec_series *wt_rec_series_new(const char *base)
{
	struct wt_rec_series *s = calloc(1, sizeof(*s));
	const char *dot = strrchr(base, '.');
	const char *slash = strrchr(base, '/');
	struct timespec ts;

	if (!s)
		return NULL;
	if (!dot || (slash && dot < slash) || strcmp(dot, ".wtrec"))
		dot = base + strlen(base);
	s->stem = strndup(base, (size_t)(dot - base));
	s->ext = strdup(dot);
	if (!s->stem || !s->ext) {
		wt_rec_series_free(s);
		return NULL;
	}
	/* unique enough: one recorder per pid at a time, and its start */
	clock_gettime(CLOCK_BOOTTIME, &ts);
	snprintf(s->id, sizeof(s->id), "%d-%lld.%09ld", (int)getpid(),
		 (long long)ts.tv_sec, ts.tv_nsec);
	return s;
}

char *wt_rec_series_path(const struct wt_rec_series *s, unsigned n)
{
	char *p;

	if (asprintf(&p, "%s.%06u%s", s->stem, n, s->ext) < 0)
		return NULL;
	return p;
}

const char *wt_rec_series_id(const struct wt_rec_series *s)
{
	return s->id;
}

const char *wt_rec_series_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void delete_oldest(struct wt_rec_series *s)
{
	if (unlink(s->closed[0]) < 0 && errno != ENOENT)
		fprintf(stderr, "wtrec: --keep: cannot delete %s: %s\n",
			s->closed[0], strerror(errno));
	free(s->closed[0]);
	memmove(s->closed, s->closed + 1, --s->nclosed * sizeof(*s->closed));
}

void wt_rec_series_closed(struct wt_rec_series *s, const char *path)
{
	char **v = realloc(s->closed, (s->nclosed + 1) * sizeof(*v));

	if (!v || !(v[s->nclosed] = strdup(path))) {
		if (v)
			s->closed = v;
		return; /* not remembered: never deleted, never wrong */
	}
	s->closed = v;
	s->nclosed++;
}

int wt_rec_series_prune(struct wt_rec_series *s, unsigned long max)
{
	int n = 0;

	while (s->nclosed > max) {
		delete_oldest(s);
		n++;
	}
	return n;
}

void wt_rec_series_discard(const char *path)
{
	if (path && unlink(path) < 0 && errno != ENOENT)
		fprintf(stderr, "wtrec: cannot delete the unused %s: %s\n",
			path, strerror(errno));
}

void wt_rec_series_free(struct wt_rec_series *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nclosed; i++)
		free(s->closed[i]);
	free(s->closed);
	free(s->stem);
	free(s->ext);
	free(s);
}
