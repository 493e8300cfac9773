/*
 * live.c - the live findings: the model's observer into the live
 * database, the follower's ticks into looks, looks into lines (live.h).
 *
 * States: started (no WATERMARK yet: nothing is known to be complete) ->
 * following (each tick: the live database is synced and the views looked
 * at, at most every WT_LIVE_LOOK_MS; the terminal view redrawn every
 * WT_LIVE_VIEW_MS) -> finished (the model's final rows are in: the last
 * look, the end).
 *
 * Loss: the kernel's counters come with every WATERMARK (the recorder
 * reads them a few times a second) and, at the end, with the recording
 * row; a rise is a "lost" finding.  Without them (an older recorder),
 * the sub-buffer headers' missed-event markers in the stream are counted.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "live.h"
#include "live_db.h"
#include "live_find.h"

struct wt_live {
	struct wt_live_opts o;
	struct wt_live_db *db;
	struct wt_live_find *find;
	struct wt_live_out *out;
	struct wt_model_observer obs;
	struct wt_follow_hooks hooks;
	sqlite3_stmt *zombies, *nzombies;
	int64_t start_ns, wall_rt, wall_trace, now_ns;
	int64_t events;
	int64_t stream_lost, kernel_lost;  /* -1: unknown */
	int64_t lost_said;                 /* in "lost" findings so far */
	int64_t counts[WT_LK_COUNT];       /* for the status */
	double last_look, last_view;       /* monotonic seconds */
	bool started;                      /* the start line is out */
	char err[512];
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t parse_i64(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s)
		return WT_DB_NULL;
	v = strtoll(s, &end, 10);
	return *end ? WT_DB_NULL : v;
}

/* ---- the observer ------------------------------------------------------- */

static void obs_call(void *ctx, const struct wt_call_row *r)
{
	wt_live_db_call(((struct wt_live *)ctx)->db, r);
}

static void obs_process(void *ctx, const struct wt_process_row *r)
{
	wt_live_db_process(((struct wt_live *)ctx)->db, r);
}

static void obs_thread(void *ctx, const struct wt_thread_row *r)
{
	wt_live_db_thread(((struct wt_live *)ctx)->db, r);
}

static void obs_fork_failure(void *ctx, const struct wt_fork_failure_row *r)
{
	wt_live_db_fork_failure(((struct wt_live *)ctx)->db, r);
}

static void obs_recording(void *ctx, const struct wt_recording_row *r)
{
	struct wt_live *lv = ctx;

	wt_live_db_recording(lv->db, r);
	if (r->lost_events != WT_DB_NULL && r->lost_events > lv->kernel_lost)
		lv->kernel_lost = r->lost_events;
	if (r->end_ns != WT_DB_NULL)
		lv->now_ns = r->end_ns;
}

/* ---- the follower's hooks ------------------------------------------------ */

static void hook_meta(void *ctx, const char *k, const char *v)
{
	struct wt_live *lv = ctx;

	if (!strcmp(k, "start_ns"))
		lv->start_ns = parse_i64(v);
	else if (!strcmp(k, "wall_realtime_ns"))
		lv->wall_rt = parse_i64(v);
	else if (!strcmp(k, "wall_trace_ns"))
		lv->wall_trace = parse_i64(v);
	if (lv->wall_rt != WT_DB_NULL && lv->wall_trace != WT_DB_NULL)
		wt_live_out_set_wall(lv->out, lv->wall_rt - lv->wall_trace);
}

static void hook_event(void *ctx, const struct wt_event *ev)
{
	struct wt_live *lv = ctx;

	if (ev->type != WT_EV_LOST) {
		lv->events++;
		return;
	}
	/* a marker of an unknown amount counts one */
	if (lv->stream_lost < 0)
		lv->stream_lost = 0;
	lv->stream_lost += ev->lost.count ? (int64_t)ev->lost.count : 1;
}

/* The start line, once the META (the wall clock anchor) is in. */
static void start(struct wt_live *lv)
{
	if (lv->started)
		return;
	lv->started = true;
	wt_live_out_start(lv->out, lv->o.path, lv->start_ns);
}

static void emit(void *ctx, const struct wt_finding *f)
{
	start(ctx);
	wt_live_out_finding(((struct wt_live *)ctx)->out, f);
}

/* A "lost" finding when the loss count went up. */
static int say_lost(struct wt_live *lv)
{
	bool kernel = lv->kernel_lost >= 0;
	int64_t total = kernel ? lv->kernel_lost : lv->stream_lost;

	if (total <= lv->lost_said)
		return 0;
	if (wt_live_find_lost(lv->find, lv->now_ns, total - lv->lost_said,
			      total, kernel ? "kernel" : "stream", emit, lv,
			      lv->err, sizeof(lv->err)) < 0)
		return -1;
	lv->lost_said = total;
	return 0;
}

/* Sync the live database and look at the views. */
static int look(struct wt_live *lv, bool final)
{
	wt_live_db_set_times(lv->db, lv->start_ns, lv->now_ns);
	if (wt_live_db_sync(lv->db) < 0) {
		snprintf(lv->err, sizeof(lv->err), "%s",
			 wt_live_db_error(lv->db));
		return -1;
	}
	if (wt_live_find_look(lv->find, lv->now_ns, final, emit, lv, lv->err,
			      sizeof(lv->err)) < 0 || say_lost(lv) < 0)
		return -1;
	lv->last_look = mono_s();
	return 0;
}

/* What the view and the end line show besides the findings. */
static void status(struct wt_live *lv, struct wt_live_status *s, bool final,
		   const char *how)
{
	for (int k = 0; k < WT_LK_COUNT; k++)
		lv->counts[k] = wt_live_find_count(lv->find, k);
	*s = (struct wt_live_status){
		.path = lv->o.path, .now_ns = lv->now_ns,
		.start_ns = lv->start_ns, .events = lv->events,
		.lost = lv->kernel_lost >= 0 ? lv->kernel_lost : lv->stream_lost,
		.counts = lv->counts, .final = final, .end_note = how,
	};
	sqlite3_bind_int64(lv->zombies, 1, lv->now_ns);
	while (s->nzombies < 5 && sqlite3_step(lv->zombies) == SQLITE_ROW) {
		struct wt_live_zombie *z = &s->zombies[s->nzombies++];
		const unsigned char *c = sqlite3_column_text(lv->zombies, 1);
		const unsigned char *pc = sqlite3_column_text(lv->zombies, 3);

		z->pid = sqlite3_column_int64(lv->zombies, 0);
		snprintf(z->comm, sizeof(z->comm), "%s", c ? (const char *)c : "?");
		z->ppid = sqlite3_column_int64(lv->zombies, 2);
		snprintf(z->parent_comm, sizeof(z->parent_comm), "%s",
			 pc ? (const char *)pc : "?");
		z->age_ns = sqlite3_column_int64(lv->zombies, 4);
	}
	sqlite3_reset(lv->zombies);
	if (sqlite3_step(lv->nzombies) == SQLITE_ROW)
		s->zombies_total = sqlite3_column_int64(lv->nzombies, 0);
	sqlite3_reset(lv->nzombies);
}

static int hook_tick(void *ctx, uint64_t now_ns, uint64_t kernel_lost)
{
	struct wt_live *lv = ctx;
	double now = mono_s();

	if (now_ns > (uint64_t)lv->now_ns || lv->now_ns == WT_DB_NULL)
		lv->now_ns = (int64_t)now_ns;
	if (lv->now_ns > 0)
		start(lv);
	if (kernel_lost != UINT64_MAX && (int64_t)kernel_lost > lv->kernel_lost)
		lv->kernel_lost = (int64_t)kernel_lost;
	if (lv->now_ns > 0 && (now - lv->last_look) * 1000 >= WT_LIVE_LOOK_MS &&
	    look(lv, false) < 0)
		return -1;
	if (lv->o.view && (now - lv->last_view) * 1000 >= WT_LIVE_VIEW_MS) {
		struct wt_live_status s;

		status(lv, &s, false, NULL);
		wt_live_out_view(lv->out, &s);
		lv->last_view = now;
	}
	if (wt_live_out_error(lv->out)) {
		snprintf(lv->err, sizeof(lv->err), "cannot write the findings");
		return -1;
	}
	return 0;
}

/* ---- lifecycle ----------------------------------------------------------- */

static const char zombies_sql[] =
	"SELECT z.pid, z.comm, z.ppid, par.comm,"
	" ?1 - COALESCE(z.exit_ns, r.start_ns)"
	" FROM zombie_v z JOIN recording r ON r.id = z.recording_id"
	" LEFT JOIN process par ON par.upid = z.parent_upid"
	" ORDER BY COALESCE(z.exit_ns, r.start_ns) LIMIT 5";

struct wt_live *wt_live_new(const struct wt_live_opts *o, char *err,
			    size_t errlen)
{
	struct wt_live *lv = calloc(1, sizeof(*lv));
	sqlite3 *h;

	if (!lv) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lv->o = *o;
	lv->start_ns = lv->wall_rt = lv->wall_trace = lv->now_ns = WT_DB_NULL;
	lv->stream_lost = lv->kernel_lost = -1;
	lv->db = wt_live_db_new(err, errlen);
	if (!lv->db)
		goto fail;
	h = wt_live_db_handle(lv->db);
	lv->find = wt_live_find_new(h, (int64_t)(o->zombie_age_s * 1e9), err,
				    errlen);
	lv->out = wt_live_out_new(o->out, o->fmt, o->view);
	if (!lv->find || !lv->out ||
	    sqlite3_prepare_v2(h, zombies_sql, -1, &lv->zombies, NULL) ||
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM zombie_v", -1,
			       &lv->nzombies, NULL)) {
		if (lv->find && lv->out)
			snprintf(err, errlen, "live findings: %s",
				 sqlite3_errmsg(h));
		else if (lv->find)
			snprintf(err, errlen, "out of memory");
		goto fail;
	}
	lv->obs = (struct wt_model_observer){
		.ctx = lv, .call = obs_call, .process = obs_process,
		.thread = obs_thread, .fork_failure = obs_fork_failure,
		.recording = obs_recording };
	lv->hooks = (struct wt_follow_hooks){ lv, hook_meta, hook_event,
					      hook_tick };
	return lv;
fail:
	wt_live_free(lv);
	return NULL;
}

void wt_live_attach(struct wt_live *lv, struct wt_model *m)
{
	wt_model_set_observer(m, &lv->obs);
}

const struct wt_follow_hooks *wt_live_hooks(struct wt_live *lv)
{
	return &lv->hooks;
}

const char *wt_live_error(const struct wt_live *lv)
{
	return lv->err;
}

int wt_live_finish(struct wt_live *lv, const char *how, uint64_t late,
		   char *err, size_t errlen)
{
	struct wt_live_status s;

	start(lv);
	if (look(lv, true) < 0) {
		snprintf(err, errlen, "%s", lv->err);
		return -1;
	}
	status(lv, &s, true, how);
	s.late_events = (int64_t)late;
	wt_live_out_end(lv->out, &s);
	if (lv->o.db_path &&
	    wt_live_db_save(lv->db, lv->o.db_path, err, errlen) < 0)
		return -1;
	if (wt_live_out_error(lv->out)) {
		snprintf(err, errlen, "cannot write the findings");
		return -1;
	}
	return 0;
}

void wt_live_free(struct wt_live *lv)
{
	if (!lv)
		return;
	sqlite3_finalize(lv->zombies);
	sqlite3_finalize(lv->nzombies);
	wt_live_find_free(lv->find);
	wt_live_out_free(lv->out);
	wt_live_db_free(lv->db);
	free(lv);
}
