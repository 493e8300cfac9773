/*
 * live_find.h - the live findings: what is new in the live database's
 * finding views (sql/schema.sql: stolen_v, double_wait_v, autoreap_v,
 * zombie_v, orphan_init_v, polling_v, the failed calls of a wait for one
 * child, and the rows of table fork_failure) since the last look.  A finding is reported once (a zombie
 * again each time its age doubles); what was reported is kept in a TEMP
 * table of the live database, by kind and the id the database uses.
 *
 * Nothing here decides what a steal or a zombie is: each look selects
 * from the views, adding only "not reported yet" and, for zombies, the
 * age.  Errors: 0 / -1 with a message in the caller's buffer.
 */
#ifndef WT_LIVE_FIND_H
#define WT_LIVE_FIND_H

#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

/* The `kind` of a finding (JSON Lines' stable field). */
enum wt_live_kind {
	WT_LK_STEAL, WT_LK_DOUBLE_WAIT, WT_LK_AUTOREAP, WT_LK_ECHILD,
	WT_LK_ZOMBIE, WT_LK_ORPHAN_INIT, WT_LK_POLLER, WT_LK_FORK_FAILURE,
	WT_LK_LOST, WT_LK_COUNT
};

/* "steal", "double_wait", ... (static). */
const char *wt_live_kind_name(int kind);

/*
 * One finding: the current row of @st, whose columns are the finding's
 * fields (named as in the view it comes from), one of them ts_ns (when it
 * became known: the trace time of the event that decided it, or the
 * follower's now for an age).  Valid during the emit callback only.
 */
struct wt_finding {
	int kind;
	int64_t ts_ns;
	sqlite3_stmt *st;
};

typedef void (*wt_finding_fn)(void *ctx, const struct wt_finding *f);

struct wt_live_find;

/* Looks over the live database @h (which must outlive them).  A zombie is
 * reported once @zombie_age_ns old, then at twice, four times... that. */
struct wt_live_find *wt_live_find_new(sqlite3 *h, int64_t zombie_age_ns,
				      char *err, size_t errlen);

/*
 * Report every finding that is new at trace time @now_ns through @emit.
 * @final: the recording ended (failed calls need no grace period for the
 * steal that may explain them).
 */
int wt_live_find_look(struct wt_live_find *lf, int64_t now_ns, bool final,
		      wt_finding_fn emit, void *ctx, char *err, size_t errlen);

/*
 * A "lost" finding: @new_events lost since the last one, @total in all,
 * as counted by @source ("kernel": the ring buffers' overrun, commit overrun and dropped
 * counters; "stream": the sub-buffer headers' missed counts).
 */
int wt_live_find_lost(struct wt_live_find *lf, int64_t now_ns,
		      int64_t new_events, int64_t total, const char *source,
		      wt_finding_fn emit, void *ctx, char *err, size_t errlen);

/* Findings reported so far, by kind. */
int64_t wt_live_find_count(const struct wt_live_find *lf, int kind);

void wt_live_find_free(struct wt_live_find *lf);

#endif /* WT_LIVE_FIND_H */
