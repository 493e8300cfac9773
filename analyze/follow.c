/*
 * follow.c - follow a recording while it is written (see follow.h).
 *
 * States: reading (wt_decoder_read until the end of what is there) ->
 * waiting (the file as it is now is read: sleep, re-read its size) ->
 * reading ... -> ended (a TRAILER not continued, the writer gone and the
 * file read to its end, damage, or a stop request).  A TRAILER with
 * continued_in opens the next file of the series and keeps reading.
 *
 * Workload: a recording written at up to ~2.5 M events/s; the follower
 * decodes and models as fast as offline analysis does (a backlog is read
 * WATERMARK by WATERMARK, no sleeping while there is more) and sleeps
 * WT_FOLLOW_POLL_MS when it has caught up.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "follow.h"
#include "wtfile.h"

struct follower {
	const struct wt_follow_opts *o;
	const struct wt_follow_hooks *h;
	struct wt_model *m;
	struct wt_decoder *d;
	struct wt_reader *r;      /* the current file (owned by d) */
	char *path;               /* its name */
	uint64_t now_ns, lost;
	struct wt_decode_result *res;
	char *err;
	size_t errlen;
};

static int sink_meta(void *ctx, const char *k, const char *v)
{
	struct follower *f = ctx;

	if (f->h && f->h->meta)
		f->h->meta(f->h->ctx, k, v);
	return wt_model_meta(f->m, k, v);
}

static int sink_proc(void *ctx, const struct wt_proc_entry *p)
{
	return wt_model_proc(((struct follower *)ctx)->m, p);
}

static int sink_event(void *ctx, const struct wt_event *ev)
{
	struct follower *f = ctx;

	if (f->o->stop && *f->o->stop)
		return -1;
	if (f->h && f->h->event)
		f->h->event(f->h->ctx, ev);
	return wt_model_event(f->m, ev);
}

static int sink_stats(void *ctx, const struct wt_cpu_stats *s)
{
	return wt_model_stats(((struct follower *)ctx)->m, s);
}

static int sink_cgroup(void *ctx, const struct wt_cgroup_entry *e)
{
	return wt_model_cgroup(((struct follower *)ctx)->m, e);
}

static bool stop_requested(const struct follower *f)
{
	return f->o->stop && *f->o->stop;
}

/* Is the writer gone (exited, or a zombie its parent has not reaped)? */
static bool writer_gone(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *fp;
	bool gone = false;

	if (pid <= 0)
		return false;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fp = fopen(path, "re");
	if (!fp)
		return errno == ENOENT;
	if (fgets(buf, sizeof(buf), fp) && (p = strrchr(buf, ')')) &&
	    p[1] == ' ')
		gone = p[2] == 'Z' || p[2] == 'X';
	fclose(fp);
	return gone;
}

static void nap(void)
{
	struct timespec ts = { 0, WT_FOLLOW_POLL_MS * 1000000L };

	nanosleep(&ts, NULL);
}

static int tick(struct follower *f)
{
	if (!f->h || !f->h->tick)
		return 0;
	return f->h->tick(f->h->ctx, f->now_ns, f->lost);
}

/* Open @path as the next file of the recording.  0, or -1 (err set). */
static int open_file(struct follower *f, const char *path)
{
	struct wt_reader *r = wt_reader_open(path, f->err, f->errlen);
	char *name = strdup(path);

	if (!r || !name) {
		if (r && !name)
			snprintf(f->err, f->errlen, "out of memory");
		wt_reader_close(r);
		free(name);
		return -1;
	}
	if (wt_decoder_add_file(f->d, r, path, f->err, f->errlen) < 0) {
		free(name);
		return -1;
	}
	free(f->path);
	f->path = name;
	f->r = r;
	return 0;
}

/*
 * The next file of the series a TRAILER names (a name in the same
 * directory, never a path: a file does not send its reader elsewhere).
 * 1 when it was opened, 0 when the recording ends here (also when the
 * next file cannot be opened: the recorder's --keep deleted it before the
 * follower got there; the result says so, as damage), -1 on error.
 */
static int next_file(struct follower *f)
{
	const char *next = wt_decoder_trailer(f->d, "continued_in");
	const char *slash = strrchr(f->path, '/');
	char *path;
	int rc = 1;

	if (!next || !*next || strchr(next, '/'))
		return 0;
	if (asprintf(&path, "%.*s%s", slash ? (int)(slash - f->path + 1) : 0,
		     f->path, next) < 0) {
		snprintf(f->err, f->errlen, "out of memory");
		return -1;
	}
	if (open_file(f, path) < 0) {
		f->res->damaged = true;
		snprintf(f->res->damage, sizeof(f->res->damage),
			 "%s: the series goes on in %s, which cannot be read "
			 "(%s): followed up to here", f->path, path, f->err);
		*f->err = '\0';
		rc = 0;
	}
	free(path);
	return rc;
}

/* Deliver what the last WATERMARK promised. */
static int on_mark(struct follower *f)
{
	uint64_t ns, lost;

	if (!wt_decoder_watermark(f->d, &ns, &lost))
		return 0;
	f->now_ns = ns;
	f->lost = lost;
	if (wt_decoder_events(f->d, ns, f->err, f->errlen) < 0)
		return -1;
	return tick(f) ? -1 : 0;
}

/* The file as it is now is read: wait for more, or end.  1 to read on,
 * 0 when the follow ends here, -1 on error. */
static int on_wait(struct follower *f)
{
	bool gone = writer_gone(f->o->writer_pid);
	int grew;

	if (stop_requested(f))
		return 0;
	if (!gone) {
		if (tick(f))
			return -1;
		nap();
	}
	grew = wt_reader_refresh(f->r);
	if (grew < 0) {
		snprintf(f->err, f->errlen, "%s", wt_reader_error(f->r));
		return -1;
	}
	/* a writer gone: what it wrote before is read, then the end */
	return grew || !gone;
}

/* Read until the recording ends.  0 ok, -1 error (err set). */
static int run(struct follower *f)
{
	for (;;) {
		int st = wt_decoder_read(f->d), rc = 0;

		switch (st) {
		case WT_READ_MARK:
			rc = on_mark(f) < 0 ? -1 : 1;
			break;
		case WT_READ_WAIT:
			rc = on_wait(f);
			break;
		case WT_READ_TRAILER:
			rc = next_file(f);
			break;
		case WT_READ_DAMAGE:
			rc = 0;
			break;
		default:
			snprintf(f->err, f->errlen, "%s: out of memory",
				 f->path);
			rc = -1;
		}
		if (rc <= 0)
			return rc;
		if (stop_requested(f))
			return 0;
	}
}

int wt_follow(const struct wt_follow_opts *o, struct wt_model *m,
	      struct wt_decode_result *res, char *err, size_t errlen)
{
	struct follower f = { .o = o, .h = o->hooks, .m = m, .lost = UINT64_MAX,
			      .res = res, .err = err, .errlen = errlen };
	struct wt_sink sink = { &f, sink_meta, sink_proc, sink_event,
				sink_stats, sink_cgroup };
	int rc = 2;

	*err = '\0';
	f.d = wt_decoder_new(o->path, &sink, res);
	if (!f.d) {
		snprintf(err, errlen, "%s: out of memory", o->path);
		return 2;
	}
	if (open_file(&f, o->path) < 0 || run(&f) < 0)
		goto out;
	if (stop_requested(&f)) {
		rc = 130;
		goto out;
	}
	wt_decoder_file_end(f.d);
	if (wt_decoder_end(f.d, err, errlen) < 0)
		goto out;
	rc = res->damaged ? 1 : 0;
out:
	if (rc == 2 && *wt_model_error(m))
		snprintf(err, errlen, "%s", wt_model_error(m));
	if (rc == 130 || (rc == 2 && stop_requested(&f)))
		rc = 130;
	wt_decoder_free(f.d);
	free(f.path);
	return rc;
}
