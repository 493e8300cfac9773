/*
 * harness.c - the scenario builder of the model's unit tests (harness.h).
 */
#include "harness.h"
#include "report.h"
#include "sql_embed.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int cur_case;
const struct wt_model_observer *t_observer;

/*
 * What the kernel would do that the scenarios need not spell out: each
 * exit's SIGCHLD goes to the child's parent thread (do_notify_parent(),
 * from the exiting task's context), and none at all when that parent's
 * SIGCHLD is SIG_IGN.  The scenario's forks and snapshot lines fill these
 * tables (small pids only); die() uses them, die_quiet() does not.
 */
int parent_of[MAXPID];      /* the parent thread's tid */
bool ignores[MAXPID];       /* SigIgn has SIGCHLD */



/* ---- scenario builder --------------------------------------------------- */


char tmpdir[] = "/tmp/wtrec-model-test-XXXXXX";

void t_model(struct t *t, const char *name)
{
	t->m = wt_model_new(t->db, name);
	t->lost = 0;
	if (t->m && t_observer)
		wt_model_set_observer(t->m, t_observer);
	wt_model_meta(t->m, "host", "testhost");
	wt_model_meta(t->m, "kernel", "6.18.0-test");
	wt_model_meta(t->m, "backend", "tracepoint");
	wt_model_meta(t->m, "clock", "boot");
	wt_model_meta(t->m, "scope", "system");
	wt_model_meta(t->m, "start_ns", "1000000000000");
	wt_model_meta(t->m, "stop_ns", "1010000000000");
	wt_model_meta(t->m, "wall_realtime_ns", "1764270000000000000");
	wt_model_meta(t->m, "wall_trace_ns", "1000000000000");
	wt_model_meta(t->m, "events", "syscalls:sys_enter_wait4,"
		      "syscalls:sys_exit_wait4,signal:signal_generate");
}

void t_begin(struct t *t, const char *dbpath)
{
	char err[512];
	memset(t, 0, sizeof(*t));
	memset(parent_of, 0, sizeof(parent_of));
	memset(ignores, 0, sizeof(ignores));
	if (dbpath)
		snprintf(t->path, sizeof(t->path), "%s", dbpath);
	else
		snprintf(t->path, sizeof(t->path), "%s/case%d.db", tmpdir,
			 cur_case);
	unlink(t->path);
	t->db = wt_db_create(t->path, err, sizeof(err));
	if (!t->db) {
		fprintf(stderr, "cannot create db: %s\n", err);
		exit(2);
	}
	t_model(t, "test.wtrec");
}

/* End the current recording (the model) without closing the database. */
void t_end_recording(struct t *t, bool complete)
{
	struct wt_decode_result res;
	memset(&res, 0, sizeof(res));
	res.events = 100;
	res.lost_events = t->lost;
	res.complete = complete;
	int rc = wt_model_finish(t->m, &res);
	if (rc != 0)
		t_failf("wt_model_finish: %s", wt_model_error(t->m));
	wt_model_free(t->m);
	t->m = NULL;
}

void t_finish(struct t *t)
{
	char err[512];
	if (t->m)
		t_end_recording(t, true);
	if (wt_db_finish_load(t->db) != 0)
		t_failf("finish_load: %s", wt_db_error(t->db));
	wt_db_close(t->db);
	t->db = NULL;
	t->h = wt_db_open_readonly(t->path, err, sizeof(err));
	if (!t->h) {
		fprintf(stderr, "cannot reopen db: %s\n", err);
		exit(2);
	}
}

void t_close(struct t *t)
{
	sqlite3_close(t->h);
	unlink(t->path);
}

void ev(struct t *t, struct wt_event e)
{
	int rc = wt_model_event(t->m, &e);
	if (rc != 0)
		t_failf("event type %d at %llu: %s", e.type,
			(unsigned long long)e.ts, wt_model_error(t->m));
}

void snap(struct t *t, bool start, uint64_t ts, int tgid, int tid,
		 int ppid, char state, uint64_t start_ns, uint64_t sigign,
		 const char *comm)
{
	if (start && tgid == tid && tgid < MAXPID) {
		parent_of[tgid] = ppid;
		ignores[tgid] = sigign & SIGCHLD_IGN_MASK;
	}
	struct wt_proc_entry p = {
		.at_start = start, .snap_ts = ts, .tgid = tgid, .tid = tid,
		.ppid = ppid, .state = state, .start_ns = start_ns,
		.sig_ign = sigign, .comm = comm,
	};
	if (wt_model_proc(t->m, &p) != 0)
		t_failf("proc: %s", wt_model_error(t->m));
}

/* A process alive at start: leader line of the start snapshot. */
void snap_proc(struct t *t, int pid, int ppid, const char *comm,
		      uint64_t sigign)
{
	snap(t, true, MS(0.1), pid, pid, ppid, 'S', BASE - 5000000000LL,
	     sigign, comm);
}

void fork_ev(struct t *t, double ms, int parent, int child,
		    const char *comm)
{
	if (child < MAXPID && parent < MAXPID) {
		parent_of[child] = parent;
		ignores[child] = ignores[parent];
	}
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_FORK,
				 .tid = parent, .fork = { parent, child },
				 .str = comm });
}

void newtask(struct t *t, double ms, int cur, int child,
		    uint64_t flags)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_NEWTASK,
				 .tid = cur, .newtask = { child, flags } });
}

void exit_ev(struct t *t, double ms, int tid, bool group_dead)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_EXIT, .tid = tid,
				 .exit = { .group_dead = group_dead,
					   .has_group_dead = true } });
}

void exit_ev_old(struct t *t, double ms, int tid)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_EXIT, .tid = tid,
				 .exit = { .group_dead = true } });
}

void exit_group(struct t *t, double ms, int tid, int code)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_EXIT_CALL,
				 .tid = tid, .exit_call = { true, code } });
}


/* exit_group(code) then the exit of a single-threaded process, without
 * the SIGCHLD the kernel sends for it (see die()). */
void die_quiet(struct t *t, double ms, int pid, int code)
{
	exit_group(t, ms, pid, code);
	exit_ev(t, ms + 0.01, pid, true);
}

/* ... and with it: to the parent thread, unless that ignores SIGCHLD
 * (result 1: the parent's disposition is SIG_DFL). */
void die(struct t *t, double ms, int pid, int code)
{
	die_quiet(t, ms, pid, code);
	int par = pid < MAXPID ? parent_of[pid] : 0;
	if (par > 0 && !(par < MAXPID && ignores[par]))
		sigchld(t, ms + 0.011, pid, par, 1, 1);
}

void sig_deliver(struct t *t, double ms, int tid, int sig)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_SIG_DELIVER,
				 .tid = tid, .sig_deliver = { sig, 0 } });
}

void sigchld(struct t *t, double ms, int tid, int target, int code,
		    int result)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_SIG_GENERATE,
				 .tid = tid, .sig_generate = { 17, code,
							       target, 1,
							       result } });
}

void free_ev(struct t *t, double ms, int pid)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_FREE, .tid = 0,
				 .free = { pid } });
}

void wait4_enter(struct t *t, double ms, int tid, int pid, int opt)
{
	int which = pid > 0 ? WT_P_PID : pid == -1 ? WT_P_ALL : WT_P_PGID;
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_WAIT_ENTER,
				 .tid = tid, .wait_enter = { .sys = WT_SYS_WAIT4,
							     .which = which,
							     .upid = pid,
							     .options = opt } });
}

void waitid_enter(struct t *t, double ms, int tid, int which, int id,
			 int opt)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_WAIT_ENTER,
				 .tid = tid, .wait_enter = { .sys = WT_SYS_WAITID,
							     .which = which,
							     .upid = id,
							     .options = opt } });
}

void wait_exit(struct t *t, double ms, int tid, int sys, int64_t ret)
{
	struct wt_event e = { .ts = MS(ms), .type = WT_EV_WAIT_EXIT,
			      .tid = tid };
	e.wait_exit.sys = sys;
	e.wait_exit.ret = ret;
	ev(t, e);
}

void wait4(struct t *t, double ms, int tid, int pid, int opt,
		  int64_t ret)
{
	wait4_enter(t, ms, tid, pid, opt);
	wait_exit(t, ms + 0.05, tid, WT_SYS_WAIT4, ret);
}

void waitid(struct t *t, double ms, int tid, int which, int id,
		   int opt, int64_t ret)
{
	waitid_enter(t, ms, tid, which, id, opt);
	wait_exit(t, ms + 0.05, tid, WT_SYS_WAITID, ret);
}

/* ---- queries ------------------------------------------------------------ */


sqlite3_stmt *q_prep(struct t *t, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(t->h, sql, -1, &st, NULL) != SQLITE_OK) {
		t_failf("prepare '%s': %s", sql, sqlite3_errmsg(t->h));
		return NULL;
	}
	return st;
}

long long q_int(struct t *t, const char *sql)
{
	sqlite3_stmt *st = q_prep(t, sql);
	long long v = NUL;
	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* First column of the first row as text (static buffer), NULL if none. */
const char *q_text(struct t *t, const char *sql)
{
	static char buf[1024];
	sqlite3_stmt *st = q_prep(t, sql);
	const char *r = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(buf, sizeof(buf), "%s", sqlite3_column_text(st, 0));
		r = buf;
	}
	sqlite3_finalize(st);
	return r;
}

/* A report's rows: run sql/<name>.sql (as embedded) and count rows; with
 * @col/@row, also return that cell as text. */
int report_rows(struct t *t, const char *name, const char *col,
		       int row, char *cell, size_t cellsz)
{
	sqlite3_stmt *st = q_prep(t, wt_sql_get(name));
	int n = 0;
	if (cell)
		cell[0] = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; col && n == row &&
				i < sqlite3_column_count(st); i++)
			if (!strcmp(sqlite3_column_name(st, i), col))
				snprintf(cell, cellsz, "%s",
					 sqlite3_column_type(st, i) ==
					 SQLITE_NULL ? "NULL" :
					 (const char *)sqlite3_column_text(st,
									   i));
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

const char *report_cell(struct t *t, const char *name, const char *col,
			       int row)
{
	static char cell[512];
	report_rows(t, name, col, row, cell, sizeof(cell));
	return cell;
}

void wait_target(struct t *t, double ms, int tid, int gpid)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_WAIT_TARGET,
				 .tid = tid, .wait_target = { gpid } });
}

void subreaper(struct t *t, double ms, int tid, bool on)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_SUBREAPER,
				 .tid = tid, .subreaper = { on } });
}

void unshare_pidns(struct t *t, double ms, int tid, bool fails)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_PIDNS,
				 .tid = tid,
				 .pidns = { true, 0x20000000, -1 } });
	if (fails)
		ev(t, (struct wt_event){ .ts = MS(ms + 0.001),
					 .type = WT_EV_PIDNS_FAIL, .tid = tid,
					 .pidns_fail = { true, -1 } });
}

void fork_flags(struct t *t, double ms, int parent, int child,
		uint64_t flags, const char *comm)
{
	newtask(t, ms, parent, child, flags);
	fork_ev(t, ms, parent, child, comm);
	/* CLONE_PARENT: the child's parent is the forker's (the kernel's
	 * SIGCHLD goes there) */
	if ((flags & CLONE_PARENT) && child < MAXPID && parent < MAXPID)
		parent_of[child] = parent_of[parent];
}

void sig_generate(struct t *t, double ms, int from, int target, int sig)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_SIG_GENERATE,
				 .tid = from, .sig_generate = { sig, 0,
							       target, 1,
							       0 } });
}

void snap_ns(struct t *t, int pid, int ppid, const char *comm,
	     uint64_t ino, int nlev, const int *nspid)
{
	struct wt_proc_entry p = {
		.at_start = true, .snap_ts = MS(0.1), .tgid = pid, .tid = pid,
		.ppid = ppid, .state = 'S', .start_ns = BASE - 5000000000LL,
		.comm = comm, .pgid = -1, .pidns_ino = ino, .nspid_n = nlev,
	};
	for (int i = 0; i < nlev && i < WT_NSPID_MAX; i++)
		p.nspid[i] = nspid[i];
	if (pid < MAXPID)
		parent_of[pid] = ppid;
	if (wt_model_proc(t->m, &p) != 0)
		t_failf("proc: %s", wt_model_error(t->m));
}
