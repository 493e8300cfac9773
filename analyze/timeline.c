/*
 * timeline.c - the database as Chrome / Perfetto trace-event JSON (see
 * timeline.h).
 *
 * Workload: databases of up to tens of millions of wait calls, most of
 * them empty WNOHANG polls.  The processes drawn, their life and zombie
 * spans, the window and the wait calls come from html/data.sql, the same
 * queries as the HTML report (drawdata.h), with no limit on the lanes:
 * html_cand / html_proc / html_win, and the @calls query run-length
 * encoded by wait_runs.c, so a run of polls is one slice with a count
 * and the file's size follows the findings, not the poll count.  Every
 * event is a row built by SQLite's json_object() (quoting and number
 * formatting are SQLite's); this file writes the rows with separators.
 *
 * Timestamps: "ts" and "dur" are microseconds (floating point, ns kept
 * as three decimals) of the recording's trace clock ("boot"), i.e. the
 * model's *_ns / 1000; data.sql's *_rel times are ns since html_win.t0.
 *
 * Binding of flow arrows (trace-event format, flow v1): an "s" event
 * belongs to the slice open on its track at its ts, an "f" event with
 * "bp":"e" to the slice enclosing its ts.  So the "s" of a reap sits just
 * inside the end of the child's "alive" slice and the "f" just inside the
 * end of the reaping wait's slice (up to 1 us before the end, or halfway
 * for shorter slices: viewers round ts to whole ns).  A reaping call is
 * never part of a run (poll_key is NULL for it), so its slice is its own.
 *
 * The lifecycle track of process instance U has "tid" max(utid) + U: a
 * number no thread track (tid = utid) uses.
 */
#include <stdio.h>
#include <string.h>
#include "atomic_file.h"
#include "drawdata.h"
#include "errf.h"
#include "result_format.h"
#include "timeline.h"
#include "wait_runs.h"

/* Model ns -> trace-event us. */
#define US(x) "((" x ") / 1000.0)"

/* The trace "tid" of process instance @u's lifecycle track. */
#define LIFE_TID(u) "((SELECT COALESCE(max(utid), 0) FROM thread) + " u ")"

/* The drawn processes, with their life (html_cand of data.sql). */
#define DRAWN "html_cand c JOIN html_proc USING (upid)" \
	" JOIN process p ON p.upid = c.upid CROSS JOIN html_win win"

/* "wait4(P_PID 123, WNOHANG)", "waitid(P_ALL, WEXITED)" */
#define CALL_NAME(w) \
	w ".syscall || '(' || COALESCE(" w ".idtype || COALESCE(' ' || " \
	w ".target, ''), '?') || ', ' || COALESCE(" w ".options_text, '?')" \
	" || ')'"

/* A wait call's slice: a call already blocked at the start begins there;
 * one still blocked at the end ends there (as data.sql's b_rel, e_rel). */
#define WAIT_BEGIN(w, r) "COALESCE(" w ".enter_ns, " r ".start_ns)"
#define WAIT_END(w, r) "COALESCE(" w ".exit_ns, " r ".end_ns, " w ".enter_ns)"

/* A ts just inside the end of the slice [b, e] (see the top comment). */
#define NEAR_END(b, e) US(e " - min(1000, (" e " - " b ") / 2)")

static const char q_process_names[] =
	"SELECT json_object('ph', 'M', 'name', 'process_name', 'pid', p.upid,"
	" 'tid', " LIFE_TID("p.upid") ", 'args', json_object('name',"
	" COALESCE(p.comm, '?') || ' (pid ' || p.pid || ')'))"
	" FROM " DRAWN " ORDER BY p.upid";

static const char q_lifecycle_names[] =
	"SELECT json_object('ph', 'M', 'name', 'thread_name', 'pid', p.upid,"
	" 'tid', " LIFE_TID("p.upid") ", 'args', json_object('name',"
	" 'lifecycle'))"
	" FROM " DRAWN " ORDER BY p.upid";

/* Threads of drawn processes that called wait. */
static const char q_thread_names[] =
	"SELECT json_object('ph', 'M', 'name', 'thread_name', 'pid', t.upid,"
	" 'tid', t.utid, 'args', json_object('name',"
	" COALESCE(t.comm, '?') || ' tid ' || t.tid))"
	" FROM thread t WHERE t.utid IN (SELECT utid FROM wait_call)"
	" AND t.upid IN (SELECT upid FROM html_proc) ORDER BY t.utid";

/* fork -> exit (or the recording's edges), named after how it ended; not
 * for a zombie of the start snapshot, dead before the recording. */
static const char q_life_slices[] =
	"SELECT json_object('ph', 'X', 'cat', 'process', 'name',"
	" CASE st.status WHEN 'running' THEN 'alive'"
	" ELSE 'alive (' || st.status || ')' END,"
	" 'pid', p.upid, 'tid', " LIFE_TID("p.upid") ", 'ts', " US("c.life_b")
	", 'dur', " US("max(c.life_e - c.life_b, 0)") ", 'args', json_object("
	"'pid', p.pid, 'comm', p.comm, 'ppid', p.ppid, 'fork_tid', p.fork_tid,"
	" 'fork_seen', p.fork_ns IS NOT NULL, 'exit_seen', p.exit_ns IS NOT NULL,"
	" 'status', st.status, 'status_source', p.exit_source))"
	" FROM " DRAWN " JOIN process_status st ON st.upid = p.upid"
	" WHERE NOT (p.zombie_at_start = 1 AND p.exit_ns IS NULL)";

/* exit -> reap, or exit -> end of recording for a zombie never reaped. */
static const char q_zombie_slices[] =
	"SELECT json_object('ph', 'X', 'cat', 'process', 'name',"
	" CASE WHEN p.reap_call_id IS NOT NULL THEN 'zombie'"
	" ELSE 'zombie (never reaped)' END,"
	" 'pid', p.upid, 'tid', " LIFE_TID("p.upid") ", 'ts', " US("c.zombie_b")
	", 'dur', " US("max(c.zombie_e - c.zombie_b, 0)") ", 'args',"
	" json_object('pid', p.pid, 'reaper_tid', p.reaper_tid, 'reap_call_id',"
	" p.reap_call_id, 'zombie_ms', (c.zombie_e - c.zombie_b) / 1e6,"
	" 'exit_seen', p.exit_ns IS NOT NULL))"
	" FROM " DRAWN " WHERE c.zombie_b IS NOT NULL"
	" AND c.zombie_b <= win.hi AND c.zombie_e >= win.lo";

/* The arrow of each reap: child's exit ("s") -> reaping wait ("f"), when
 * both ends are in the window and drawn. */
#define REAPS \
	" FROM " DRAWN " JOIN recording r ON r.id = p.recording_id" \
	" JOIN wait_call w ON w.id = p.reap_call_id" \
	" WHERE p.exit_ns IS NOT NULL AND w.utid IS NOT NULL" \
	" AND w.upid IN (SELECT upid FROM html_proc)" \
	" AND p.exit_ns BETWEEN win.lo AND win.hi" \
	" AND " WAIT_BEGIN("w", "r") " <= win.hi"
static const char q_flows[] =
	"SELECT json_object('ph', 's', 'cat', 'reap', 'name', 'reap',"
	" 'id', p.upid, 'pid', p.upid, 'tid', " LIFE_TID("p.upid")
	", 'ts', " NEAR_END("c.life_b", "p.exit_ns") ")" REAPS
	" UNION ALL "
	"SELECT json_object('ph', 'f', 'bp', 'e', 'cat', 'reap', 'name', 'reap',"
	" 'id', p.upid, 'pid', w.upid, 'tid', w.utid, 'ts', "
	NEAR_END(WAIT_BEGIN("w", "r"), WAIT_END("w", "r")) ")" REAPS;

/* On the victim's thread, when its wait failed (or the recording ended). */
static const char q_stolen[] =
	"SELECT json_object('ph', 'i', 's', 't', 'cat', 'stolen', 'name',"
	" 'stolen reap: child ' || s.child_pid || ' reaped by tid '"
	" || s.thief_tid, 'pid', s.victim_upid, 'tid', v.utid, 'ts', "
	US("COALESCE(s.victim_exit_ns, r.end_ns)") ", 'args', json_object("
	"'victim_call_id', s.victim_call_id, 'victim_result', s.victim_result,"
	" 'child_pid', s.child_pid, 'thief_tid', s.thief_tid,"
	" 'thief_call_id', s.thief_call_id, 'thief_call', s.thief_syscall"
	" || '(' || COALESCE(s.thief_idtype, '?') || ')',"
	" 'gap_ms', s.gap_ns / 1e6))"
	" FROM stolen_v s JOIN recording r ON r.id = s.recording_id"
	" JOIN wait_call v ON v.id = s.victim_call_id CROSS JOIN html_win win"
	" WHERE v.utid IS NOT NULL AND s.victim_upid IN (SELECT upid FROM"
	" html_proc) AND COALESCE(s.victim_exit_ns, r.end_ns)"
	" BETWEEN win.lo AND win.hi";

/* On the child's process, at its exit: nobody waited, the kernel did. */
static const char q_autoreap[] =
	"SELECT json_object('ph', 'i', 's', 'p', 'cat', 'autoreap',"
	" 'name', 'auto-reaped', 'pid', a.upid, 'tid', " LIFE_TID("a.upid")
	", 'ts', " US("COALESCE(a.exit_ns, a.freed_ns, r.start_ns)")
	", 'args', json_object('pid', a.pid, 'ppid', a.ppid,"
	" 'evidence', a.evidence))"
	" FROM autoreap_v a JOIN recording r ON r.id = a.recording_id"
	" CROSS JOIN html_win win WHERE a.upid IN (SELECT upid FROM html_proc)"
	" AND COALESCE(a.exit_ns, a.freed_ns, r.start_ns) BETWEEN win.lo"
	" AND win.hi";

/* One slice per span of wait_runs.c: a call alone with its result, or a
 * run of polls named "... xN" with its counts.  Parameters: the span. */
static const char q_span[] =
	"SELECT json_object('ph', 'X', 'cat', 'wait', 'name', " CALL_NAME("w")
	" || CASE WHEN :n > 1 THEN ' \xc3\x97' || :n ELSE '' END,"
	" 'pid', w.upid, 'tid', w.utid, 'ts', " US(":b + win.t0")
	", 'dur', " US("max(:e - :b, 0)") ", 'args', CASE WHEN :n = 1 THEN"
	" json_object('call_id', w.id, 'ret', w.ret, 'errno', w.errno_name,"
	" 'outcome', w.outcome, 'reaped_pid', c.pid, 'status', st.status,"
	" 'status_word', w.status, 'child_inferred', w.reap_inferred,"
	" 'entry_seen', w.enter_ns IS NOT NULL,"
	" 'return_seen', w.exit_ns IS NOT NULL)"
	" ELSE json_object('calls', :n, 'first_call_id', :first,"
	" 'last_call_id', :last, 'errno', w.errno_name, 'outcome', w.outcome,"
	" 'found_nothing', :nothing, 'failed', :error, 'echild', :echild,"
	" 'reaped', :reaped, 'other', :other) END)"
	" FROM wait_call w CROSS JOIN html_win win"
	" LEFT JOIN process c ON c.upid = w.reaped_upid"
	" LEFT JOIN process_status st ON st.upid = w.reaped_upid"
	" WHERE w.id = :first";

/* The ECHILD instant of a span that holds ECHILD failures, at its end. */
static const char q_span_echild[] =
	"SELECT json_object('ph', 'i', 's', 't', 'cat', 'error',"
	" 'name', 'ECHILD' || CASE WHEN :echild > 1 THEN ' \xc3\x97' || :echild"
	" ELSE '' END, 'pid', w.upid, 'tid', w.utid, 'ts', " US(":e + win.t0")
	", 'args', json_object('call_id', w.id, 'call', " CALL_NAME("w")
	", 'calls', :echild))"
	" FROM wait_call w CROSS JOIN html_win win WHERE w.id = :first";

static const char q_other_data[] =
	"SELECT json_object('generator', 'wtrec " WT_VERSION "',"
	" 'clock', 'ts = recording trace clock (boot) ns / 1000',"
	" 'window', json_object('from_ns', (SELECT lo FROM html_win),"
	" 'to_ns', (SELECT hi FROM html_win), 'pid', :pid),"
	" 'recordings', (SELECT json_group_array(json_object('id', id,"
	" 'path', path, 'host', host, 'kernel', kernel, 'backend', backend,"
	" 'start_ns', start_ns, 'end_ns', end_ns, 'wall_offset_ns',"
	" wall_offset_ns, 'events', events, 'lost_events', lost_events,"
	" 'complete', complete, 'damaged', damaged)) FROM recording))";

static const char *const event_queries[] = {
	q_process_names, q_lifecycle_names, q_thread_names, q_life_slices,
	q_zombie_slices, q_flows, q_stolen, q_autoreap,
};
#define NQUERIES (sizeof(event_queries) / sizeof(event_queries[0]))

struct tl {
	sqlite3 *db;
	FILE *f;
	const struct wt_window *win;
	long n;                       /* events written */
	sqlite3_stmt *span, *echild;  /* q_span, q_span_echild */
	char *err;
	size_t errlen;
};

/* Write the first column of each row of the prepared @st to the file,
 * every event but the very first preceded by ",\n". */
static int write_stmt(struct tl *t, sqlite3_stmt *st)
{
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		if (!row)
			continue;
		fputs(t->n++ ? ",\n" : "\n", t->f);
		fputs(row, t->f);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return wt_errf(t->err, t->errlen, "timeline: %s",
			       sqlite3_errmsg(t->db));
	return ferror(t->f) ? wt_errf(t->err, t->errlen, "timeline: write "
				      "error") : 0;
}

static int write_rows(struct tl *t, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK)
		return wt_errf(t->err, t->errlen, "timeline: %s",
			       sqlite3_errmsg(t->db));
	wt_window_bind(st, t->win, 0);
	int rc = write_stmt(t, st);
	sqlite3_finalize(st);
	return rc;
}

static void bind_named(sqlite3_stmt *st, const char *name, sqlite3_int64 v)
{
	int i = sqlite3_bind_parameter_index(st, name);
	if (i)
		sqlite3_bind_int64(st, i, v);
}

static void bind_span(sqlite3_stmt *st, const struct wt_run *r)
{
	bind_named(st, ":n", r->n);
	bind_named(st, ":first", r->first_id);
	bind_named(st, ":last", r->last_id);
	bind_named(st, ":b", r->b);
	bind_named(st, ":e", r->e);
	bind_named(st, ":nothing", r->nothing);
	bind_named(st, ":error", r->error);
	bind_named(st, ":echild", r->echild);
	bind_named(st, ":reaped", r->reaped);
	bind_named(st, ":other", r->other);
}

static int write_span(void *ctx, const struct wt_run *r)
{
	struct tl *t = ctx;
	bind_span(t->span, r);
	if (write_stmt(t, t->span) < 0)
		return -1;
	if (!r->echild)
		return 0;
	bind_span(t->echild, r);
	return write_stmt(t, t->echild);
}

/* data.sql's @calls query: a slice per span (and ECHILD instants). */
static int calls(void *ctx, sqlite3_stmt *st)
{
	struct tl *t = ctx;
	if (sqlite3_prepare_v2(t->db, q_span, -1, &t->span, NULL) != SQLITE_OK
	    || sqlite3_prepare_v2(t->db, q_span_echild, -1, &t->echild,
				  NULL) != SQLITE_OK)
		return wt_errf(t->err, t->errlen, "timeline: %s",
			       sqlite3_errmsg(t->db));
	return wt_runs_scan(st, 0, false, write_span, t, NULL, t->err,
			    t->errlen);
}

/*
 * The whole document.  Key order matters to Perfetto's importer: it reads
 * displayTimeUnit only before the events, and (in older versions) stops
 * at a key it does not know, so the events come before otherData.
 */
static int write_document(struct tl *t)
{
	static const struct wt_drawdata_ops ops = { NULL, calls };
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", t->f);
	if (wt_drawdata_run(t->db, t->win, 0, &ops, t, t->err, t->errlen) < 0)
		return -1;
	for (size_t i = 0; i < NQUERIES; i++)
		if (write_rows(t, event_queries[i]) < 0)
			return -1;
	fputs("\n],\"otherData\":", t->f);
	t->n = 0;
	if (write_rows(t, q_other_data) < 0)
		return -1;
	fputs("\n}\n", t->f);
	return 0;
}

int wt_timeline_write(const char *dbpath, const char *path,
		      const struct wt_window *win, int (*stop)(void *),
		      char *err, size_t errlen)
{
	struct tl t = { .win = win, .err = err, .errlen = errlen };
	struct wt_atomic_file of;
	int rc = -1;
	if (!(t.db = wt_drawdata_open(dbpath, err, errlen)))
		return -1;
	if (stop)
		sqlite3_progress_handler(t.db, 1000, stop, NULL);
	if (wt_atomic_file_open(&of, path, err, errlen) < 0)
		goto out;
	t.f = of.f;
	if (write_document(&t) < 0) {
		wt_atomic_file_abort(&of);
		goto out;
	}
	rc = wt_atomic_file_commit(&of, err, errlen);
out:
	sqlite3_finalize(t.span);
	sqlite3_finalize(t.echild);
	sqlite3_close(t.db);
	return rc;
}
