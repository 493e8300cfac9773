/*
 * timeline.c - the database as Chrome / Perfetto trace-event JSON (see
 * timeline.h).
 *
 * Workload: databases of up to millions of wait calls.  Every event is
 * one row of one of the queries below, built by SQLite's json_object()
 * (so quoting and number formatting are SQLite's, never ours); this file
 * only writes the rows with separators around them.  No query sorts or
 * materializes the whole table: each scans its table once and streams.
 *
 * Timestamps: "ts" and "dur" are microseconds (floating point, ns kept
 * as three decimals) of the recording's trace clock ("boot"), i.e. the
 * model's *_ns / 1000.
 *
 * Binding of flow arrows (trace-event format, flow v1): an "s" event
 * belongs to the slice open on its track at its ts, an "f" event with
 * "bp":"e" to the slice enclosing its ts.  So the "s" of a reap sits just
 * inside the end of the child's "alive" slice and the "f" just inside the
 * end of the reaping wait's slice (up to 1 us before the end, or halfway
 * for shorter slices: viewers round ts to whole ns).
 *
 * The lifecycle track of process instance U has "tid" max(utid) + U: a
 * number no thread track (tid = utid) uses.
 */
#include <stdio.h>
#include <string.h>
#include "atomic_file.h"
#include "timeline.h"
#include "errf.h"

/* Model ns -> trace-event us. */
#define US(x) "((" x ") / 1000.0)"

/* The trace "tid" of process instance @u's lifecycle track. */
#define LIFE_TID(u) "((SELECT COALESCE(max(utid), 0) FROM thread) + " u ")"

/* Processes that get a track: those in the recording's scope, and any
 * other that made wait calls. */
#define SHOWN(p) "(" p ".traced = 1 OR " p ".wait_calls > 0)"

/* "wait4(P_PID 123, WNOHANG)", "waitid(P_ALL, WEXITED)" */
#define CALL_NAME(w) \
	w ".syscall || '(' || COALESCE(" w ".idtype || COALESCE(' ' || " \
	w ".target, ''), '?') || ', ' || COALESCE(" w ".options_text, '?')" \
	" || ')'"

/* A process's life starts at its fork, else when it started if that was
 * inside the recording, else at the recording's start. */
#define LIFE_BEGIN(p, r) \
	"(CASE WHEN " p ".fork_ns IS NOT NULL THEN " p ".fork_ns" \
	" WHEN " p ".start_ns > " r ".start_ns THEN " p ".start_ns" \
	" ELSE " r ".start_ns END)"

/* A wait call's slice: a call already blocked at the start begins there;
 * one still blocked at the end ends there. */
#define WAIT_BEGIN(w, r) "COALESCE(" w ".enter_ns, " r ".start_ns)"
#define WAIT_END(w, r) "COALESCE(" w ".exit_ns, " r ".end_ns, " w ".enter_ns)"

/* A ts just inside the end of the slice [b, e] (see the top comment). */
#define NEAR_END(b, e) US(e " - min(1000, (" e " - " b ") / 2)")

static const char q_process_names[] =
	"SELECT json_object('ph', 'M', 'name', 'process_name', 'pid', p.upid,"
	" 'tid', " LIFE_TID("p.upid") ", 'args', json_object('name',"
	" COALESCE(p.comm, '?') || ' (pid ' || p.pid || ')'))"
	" FROM process p WHERE " SHOWN("p") " ORDER BY p.upid";

static const char q_lifecycle_names[] =
	"SELECT json_object('ph', 'M', 'name', 'thread_name', 'pid', p.upid,"
	" 'tid', " LIFE_TID("p.upid") ", 'args', json_object('name',"
	" 'lifecycle'))"
	" FROM process p WHERE " SHOWN("p") " ORDER BY p.upid";

/* Threads that called wait; IN (subquery) builds its set once. */
static const char q_thread_names[] =
	"SELECT json_object('ph', 'M', 'name', 'thread_name', 'pid', t.upid,"
	" 'tid', t.utid, 'args', json_object('name',"
	" COALESCE(t.comm, '?') || ' tid ' || t.tid))"
	" FROM thread t WHERE t.utid IN (SELECT utid FROM wait_call)"
	" ORDER BY t.utid";

static const char q_wait_slices[] =
	"SELECT json_object('ph', 'X', 'cat', 'wait', 'name', " CALL_NAME("w")
	", 'pid', w.upid, 'tid', w.utid, 'ts', " US("w.b")
	", 'dur', " US("max(w.e - w.b, 0)") ", 'args', json_object("
	"'call_id', w.id, 'ret', w.ret, 'errno', w.errno_name,"
	" 'outcome', w.outcome, 'reaped_pid', c.pid, 'status', st.status,"
	" 'status_word', w.status, 'child_inferred', w.reap_inferred,"
	" 'entry_seen', w.enter_ns IS NOT NULL,"
	" 'return_seen', w.exit_ns IS NOT NULL))"
	" FROM (SELECT w.*, " WAIT_BEGIN("w", "r") " AS b, "
	WAIT_END("w", "r") " AS e"
	" FROM wait_call w JOIN recording r ON r.id = w.recording_id"
	" WHERE w.utid IS NOT NULL AND w.upid IS NOT NULL) w"
	" LEFT JOIN process c ON c.upid = w.reaped_upid"
	" LEFT JOIN process_status st ON st.upid = w.reaped_upid";

/* fork -> exit (or the recording's edges; a process reaped without its
 * exit seen was gone by then), named after how it ended. */
static const char q_life_slices[] =
	"SELECT json_object('ph', 'X', 'cat', 'process', 'name',"
	" CASE st.status WHEN 'running' THEN 'alive'"
	" ELSE 'alive (' || st.status || ')' END,"
	" 'pid', l.upid, 'tid', " LIFE_TID("l.upid") ", 'ts', " US("l.b")
	", 'dur', " US("max(l.e - l.b, 0)") ", 'args', json_object("
	"'pid', l.pid, 'comm', l.comm, 'ppid', l.ppid, 'fork_tid', l.fork_tid,"
	" 'fork_seen', l.fork_ns IS NOT NULL, 'exit_seen', l.exit_ns IS NOT NULL,"
	" 'status', st.status, 'status_source', l.exit_source))"
	" FROM (SELECT p.*, " LIFE_BEGIN("p", "r") " AS b,"
	" COALESCE(p.exit_ns, p.freed_ns, p.reaped_ns, r.end_ns) AS e"
	" FROM process p JOIN recording r ON r.id = p.recording_id"
	" WHERE " SHOWN("p") " AND NOT (p.zombie_at_start = 1"
	" AND p.exit_ns IS NULL)) l"
	" JOIN process_status st ON st.upid = l.upid";

/* exit -> reap, or exit -> end of recording for a zombie never reaped. */
static const char q_zombie_slices[] =
	"SELECT json_object('ph', 'X', 'cat', 'process', 'name', z.name,"
	" 'pid', z.upid, 'tid', " LIFE_TID("z.upid") ", 'ts', " US("z.b")
	", 'dur', " US("max(z.e - z.b, 0)") ", 'args', json_object("
	"'pid', z.pid, 'reaper_tid', z.reaper_tid, 'reap_call_id',"
	" z.reap_call_id, 'zombie_ms', (z.e - z.b) / 1e6,"
	" 'exit_seen', z.exit_ns IS NOT NULL))"
	" FROM (SELECT p.*, COALESCE(p.exit_ns, r.start_ns) AS b,"
	" CASE WHEN p.reap_call_id IS NOT NULL THEN p.reaped_ns"
	" ELSE r.end_ns END AS e,"
	" CASE WHEN p.reap_call_id IS NOT NULL THEN 'zombie'"
	" ELSE 'zombie (never reaped)' END AS name"
	" FROM process p JOIN recording r ON r.id = p.recording_id"
	" WHERE " SHOWN("p") " AND (p.exit_ns IS NOT NULL"
	" OR p.zombie_at_start = 1) AND (p.reap_call_id IS NOT NULL"
	" OR p.upid IN (SELECT upid FROM zombie_v))) z";

/* The arrow of each reap: child's exit ("s") -> reaping wait ("f"). */
static const char q_flows[] =
	"SELECT json_object('ph', 's', 'cat', 'reap', 'name', 'reap',"
	" 'id', c.upid, 'pid', c.upid, 'tid', " LIFE_TID("c.upid")
	", 'ts', " NEAR_END(LIFE_BEGIN("c", "r"), "c.exit_ns") ")"
	" FROM process c JOIN recording r ON r.id = c.recording_id"
	" JOIN wait_call w ON w.id = c.reap_call_id"
	" WHERE c.exit_ns IS NOT NULL AND w.utid IS NOT NULL"
	" AND " SHOWN("c")
	" UNION ALL "
	"SELECT json_object('ph', 'f', 'bp', 'e', 'cat', 'reap', 'name', 'reap',"
	" 'id', c.upid, 'pid', w.upid, 'tid', w.utid, 'ts', "
	NEAR_END(WAIT_BEGIN("w", "r"), WAIT_END("w", "r")) ")"
	" FROM process c JOIN recording r ON r.id = c.recording_id"
	" JOIN wait_call w ON w.id = c.reap_call_id"
	" WHERE c.exit_ns IS NOT NULL AND w.utid IS NOT NULL"
	" AND w.upid IS NOT NULL AND " SHOWN("c");

static const char q_echild[] =
	"SELECT json_object('ph', 'i', 's', 't', 'cat', 'error',"
	" 'name', 'ECHILD', 'pid', w.upid, 'tid', w.utid, 'ts', "
	US(WAIT_END("w", "r")) ", 'args', json_object('call_id', w.id,"
	" 'call', " CALL_NAME("w") "))"
	" FROM wait_call w JOIN recording r ON r.id = w.recording_id"
	" WHERE w.ret < 0 AND w.errno_name = 'ECHILD'"
	" AND w.utid IS NOT NULL AND w.upid IS NOT NULL";

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
	" JOIN wait_call v ON v.id = s.victim_call_id"
	" WHERE v.utid IS NOT NULL";

/* On the child's process, at its exit: nobody waited, the kernel did. */
static const char q_autoreap[] =
	"SELECT json_object('ph', 'i', 's', 'p', 'cat', 'autoreap',"
	" 'name', 'auto-reaped', 'pid', a.upid, 'tid', " LIFE_TID("a.upid")
	", 'ts', " US("COALESCE(a.exit_ns, a.freed_ns, r.start_ns)")
	", 'args', json_object('pid', a.pid, 'ppid', a.ppid,"
	" 'evidence', a.evidence))"
	" FROM autoreap_v a JOIN recording r ON r.id = a.recording_id";

static const char q_other_data[] =
	"SELECT json_object('generator', 'wtrec " WT_VERSION "',"
	" 'clock', 'ts = recording trace clock (boot) ns / 1000',"
	" 'recordings', (SELECT json_group_array(json_object('id', id,"
	" 'path', path, 'host', host, 'kernel', kernel, 'backend', backend,"
	" 'start_ns', start_ns, 'end_ns', end_ns, 'wall_offset_ns',"
	" wall_offset_ns, 'events', events, 'lost_events', lost_events,"
	" 'complete', complete, 'damaged', damaged)) FROM recording))";

static const char *const event_queries[] = {
	q_process_names, q_lifecycle_names, q_thread_names, q_wait_slices,
	q_life_slices, q_zombie_slices, q_flows, q_echild, q_stolen,
	q_autoreap,
};
#define NQUERIES (sizeof(event_queries) / sizeof(event_queries[0]))

/* Write the first column of each row of @sql to @f, every row but the
 * very first of the file (*@n == 0) preceded by ",\n". */
static int write_rows(sqlite3 *db, const char *sql, FILE *f, long *n,
		      char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int step;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return wt_errf(err, errlen, "timeline: %s", sqlite3_errmsg(db));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		if (!row)
			continue;
		fputs((*n)++ ? ",\n" : "\n", f);
		fputs(row, f);
	}
	if (step != SQLITE_DONE)
		wt_errf(err, errlen, "timeline: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : -1;
}

/*
 * The whole document.  Key order matters to Perfetto's importer: it reads
 * displayTimeUnit only before the events, and (in older versions) stops
 * at a key it does not know, so the events come before otherData.
 */
static int write_document(sqlite3 *db, FILE *f, char *err, size_t errlen)
{
	long n = 0;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", f);
	for (size_t i = 0; i < NQUERIES; i++) {
		if (write_rows(db, event_queries[i], f, &n, err, errlen) < 0)
			return -1;
		if (ferror(f)) /* EPIPE, ENOSPC: stop early */
			return wt_errf(err, errlen, "timeline: write error");
	}
	fputs("\n],\"otherData\":", f);
	n = 0;
	if (write_rows(db, q_other_data, f, &n, err, errlen) < 0)
		return -1;
	fputs("\n}\n", f);
	return 0;
}

int wt_timeline_write(sqlite3 *db, const char *path, char *err,
		      size_t errlen)
{
	struct wt_atomic_file of;
	if (wt_atomic_file_open(&of, path, err, errlen) < 0)
		return -1;
	if (write_document(db, of.f, err, errlen) < 0) {
		wt_atomic_file_abort(&of);
		return -1;
	}
	return wt_atomic_file_commit(&of, err, errlen);
}
