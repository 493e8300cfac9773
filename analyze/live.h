/*
 * live.h - the live findings of `wtrec analyze --follow` (and so of
 * `wtrec record --live`): while the recording is followed, the model's
 * observer fills an in-memory database of the schema (live_db.h), the
 * finding views are looked at a few times a second for what is new
 * (live_find.h), and each new finding is printed (live_out.h).
 *
 * Use: wt_live_new; wt_live_attach(model) before the model sees
 * anything; wt_live_hooks() to wt_follow(); after wt_model_finish,
 * wt_live_finish (the last look, on the final rows); wt_live_free.
 * Errors: 0 / -1 with a message in the caller's buffer; a hook that
 * fails stops the follow, its message in wt_live_error().
 */
#ifndef WT_LIVE_H
#define WT_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "follow.h"
#include "live_out.h"
#include "model.h"

/* How often the views are looked at, and the terminal view redrawn. */
#define WT_LIVE_LOOK_MS 100
#define WT_LIVE_VIEW_MS 1000

struct wt_live_opts {
	FILE *out;
	enum wt_live_format fmt;
	bool view;                /* the terminal view (text on a tty) */
	double zombie_age_s;      /* --zombie-age (default 1 s) */
	const char *path;         /* the followed file, for messages */
	const char *db_path;      /* --live-db: keep the live database */
};

struct wt_live;

struct wt_live *wt_live_new(const struct wt_live_opts *o, char *err,
			    size_t errlen);

/* Observe @m (the model of the followed recording). */
void wt_live_attach(struct wt_live *lv, struct wt_model *m);

/* The follower's hooks (meta, events, ticks), valid while @lv lives. */
const struct wt_follow_hooks *wt_live_hooks(struct wt_live *lv);

/* The recording ended (@how: "complete", "incomplete", "damaged") and
 * the model finished: the last look, the end line (with @late: events the
 * recorder delivered after their time was promised complete), --live-db. */
int wt_live_finish(struct wt_live *lv, const char *how, uint64_t late,
		   char *err, size_t errlen);

/* Why a hook stopped the follow. */
const char *wt_live_error(const struct wt_live *lv);

void wt_live_free(struct wt_live *lv);

#endif /* WT_LIVE_H */
