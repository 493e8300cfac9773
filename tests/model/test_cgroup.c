/*
 * test_cgroup.c - cgroups and containers in the model (analyze/
 * mdl_cgroup.c) and the containers report, on hand-built event streams
 * (harness.h).
 *
 * What the kernel does, and so what the rows must say:
 *  - kernel/cgroup/cgroup.c cgroup_post_fork(): a child starts in the
 *    forker's cgroups, unless clone3(CLONE_INTO_CGROUP) put it elsewhere
 *    (no event names where);
 *  - cgroup_attach_task() moves a whole process when the pid is its
 *    leader's, one thread otherwise; dst_root 0 is cgroup v2, the v1 ids
 *    are those of /proc/PID/cgroup;
 *  - kernel/cgroup/pids.c: zombies keep their pids charged, so a PID 1
 *    that never waits fills pids.max and forks fail with EAGAIN.
 *
 *   test_cgroup     run every case; exit 1 if any check failed or none ran
 */
#include "harness.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ID1 "7a5c3b2e9f00d1e4b8c6a7f2d3e4c5b6a7980f1e2d3c4b5a69788796a5b4c3d2"
#define CLONE_INTO_CGROUP 0x200000000ULL
#define PIDS_ROOT 8

/* A leader line of a snapshot with its cgroups, of a process started at
 * @born ms (negative: before the recording). */
static void snap_at(struct t *t, bool start, int pid, int ppid, char state,
		    const char *comm, const char *v2, const char *pids,
		    double born)
{
	if (start && pid < MAXPID)
		parent_of[pid] = ppid;
	struct wt_proc_entry p = {
		.at_start = start, .snap_ts = start ? MS(0.1) : MS(9000),
		.tgid = pid, .tid = pid, .ppid = ppid, .state = state,
		.start_ns = MS(born), .comm = comm,
		.cgroup2 = v2, .cgroup_pids = pids, .pgid = -1,
	};
	CHECK(wt_model_proc(t->m, &p) == 0, "proc: %s", wt_model_error(t->m));
}

/* ... of a process alive since 5 s before the recording. */
static void snap_cg(struct t *t, bool start, int pid, int ppid, char state,
		    const char *comm, const char *v2, const char *pids)
{
	snap_at(t, start, pid, ppid, state, comm, v2, pids, -5000.0);
}

/* A CGROUP chunk's header, then one line. */
static void cg_header(struct t *t, bool start)
{
	struct wt_cgroup_entry e = { .at_start = start,
				     .snap_ts = start ? MS(0.2) : MS(9001),
				     .pids_hierarchy = PIDS_ROOT };
	CHECK(wt_model_cgroup(t->m, &e) == 0, "cgroup header: %s",
	      wt_model_error(t->m));
}

static void cg_limit(struct t *t, bool start, const char *hier,
		     const char *path, int64_t cur, int64_t max, int64_t events)
{
	struct wt_cgroup_entry e = {
		.at_start = start, .snap_ts = start ? MS(0.2) : MS(9001),
		.pids_hierarchy = PIDS_ROOT, .hierarchy = hier, .path = path,
		.pids_current = cur, .pids_max = max, .pids_peak = -1,
		.pids_events_max = events,
	};
	CHECK(wt_model_cgroup(t->m, &e) == 0, "cgroup line: %s",
	      wt_model_error(t->m));
}

static void move(struct t *t, double ms, int by, int pid, int root,
		 const char *path)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_CGROUP_MOVE,
				 .tid = by, .str = path,
				 .cgroup_move = { root, pid, false } });
}

static void fork_fail(struct t *t, double ms, int tid, int sys, int64_t ret)
{
	ev(t, (struct wt_event){ .ts = MS(ms), .type = WT_EV_FORK_FAIL,
				 .tid = tid, .fork_fail = { (uint8_t)sys, ret } });
}

/* ---- C1: where each process's cgroup comes from ---- */

/*
 * 500 runs in docker container ID1 (systemd driver on v2, cgroupfs on the
 * v1 pids hierarchy).  It forks 501 (inherits both paths) and a thread
 * 503; 501 forks 502 with CLONE_INTO_CGROUP (cgroup unknown).  500 moves
 * 501's whole process to pids:/other (leader pid: a process move), thread
 * 503 alone to v2:/t (a thread move: 500 stays), and a task of hierarchy
 * 5 (ignored) and an unknown pid 3999.  500's clone fails with EAGAIN.
 * The stop snapshot has 501 in pids:/elsewhere (a move no event showed)
 * and 502 in v2:/x, pids:/y (now known).
 */
static void case_sources(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_cg(&t, true, 500, 1, 'S', "runner",
		"/system.slice/docker-" ID1 ".scope", "/docker/" ID1);
	cg_header(&t, true);
	fork_ev(&t, 1.0, 500, 501, "child");
	fork_flags(&t, 1.5, 500, 503, CLONE_THREAD, "runner");
	fork_flags(&t, 2.0, 501, 502, CLONE_INTO_CGROUP, "into");
	move(&t, 3.0, 500, 501, PIDS_ROOT, "/other");
	move(&t, 3.1, 500, 503, 0, "/t");
	move(&t, 3.2, 500, 501, 5, "/memory-somewhere");
	move(&t, 3.3, 500, 3999, 0, "/x");
	fork_fail(&t, 4.0, 500, WT_FORK_CLONE, -11);
	snap_cg(&t, false, 500, 1, 'S', "runner",
		"/system.slice/docker-" ID1 ".scope", "/docker/" ID1);
	snap_at(&t, false, 501, 500, 'S', "child",
		"/system.slice/docker-" ID1 ".scope", "/elsewhere", 1.0);
	snap_at(&t, false, 502, 501, 'S', "into", "/x", "/y", 2.0);
	t_finish(&t);

	EXPECT_STR(q_text(&t, "SELECT cgroup || ' ' || cgroup_pids || ' ' ||"
			 " cgroup_basis || ' ' || container_id || ' ' ||"
			 " container_runtime FROM process WHERE pid = 500"),
		  "/system.slice/docker-" ID1 ".scope /docker/" ID1
		  " snapshot " ID1 " docker",
		  "500: the start snapshot's cgroups, its container");
	EXPECT_STR(q_text(&t, "SELECT cgroup_pids || ' ' || cgroup_basis FROM"
			 " process WHERE pid = 501"), "/elsewhere stop_snapshot",
		  "501: the stop snapshot corrects a move the trace missed");
	EXPECT_STR(q_text(&t, "SELECT cgroup || ' ' || cgroup_pids || ' ' ||"
			 " cgroup_basis || ' ' || COALESCE(container_id, '-')"
			 " FROM process WHERE pid = 502"), "/x /y stop_snapshot -",
		  "502 (CLONE_INTO_CGROUP): known from the stop snapshot only");
	EXPECT_STR(q_text(&t, "SELECT group_concat(tid || ' ' || hierarchy || ' '"
			 " || path || ' ' || thread_only, ', ') FROM (SELECT *"
			 " FROM cgroup_move ORDER BY ts_ns)"),
		  "501 pids /other 0, 503 v2 /t 1",
		  "moves: 501's process, 503's thread; other hierarchies and"
		  " unknown tasks leave no row");
	EXPECT_STR(q_text(&t, "SELECT tid || ' ' || syscall || ' ' || ret || ' '"
			 " || errno_name || ' ' || cgroup_pids || ' ' ||"
			 " container_id FROM fork_failure"),
		  "500 clone -11 EAGAIN /docker/" ID1 " " ID1,
		  "the failed clone, with its cgroup and container");
	EXPECT_STR(q_text(&t, "SELECT group_concat(name || '=' || count, ' ') FROM"
			 " (SELECT * FROM model_check WHERE name LIKE 'cgroup%'"
			 " ORDER BY name)"),
		  "cgroup_clone_into=1 cgroup_move_of_unknown_task=1"
		  " cgroup_move_other_hierarchy=1 cgroup_move_unseen=1"
		  " cgroup_thread_move=1", "every inference and ignored move "
		  "counted");
	t_close(&t);
}

/* ---- C2: the incident: a PID 1 that never waits, zombies, EAGAIN ---- */

/*
 * pids:/cg (pids.max 6) holds 600 (unshare, host pid namespace), which
 * forks 601 with CLONE_NEWPID: the namespace's init ("sleep": it never
 * waits).  601 forks the job 602.  Twice the job forks a spawner (603,
 * 605) that forks an orphan (604, 606) and exits; the job reaps the
 * spawner; the orphan goes to 601 and exits: a zombie nobody reaps.  Then
 * the job's forks fail twice with EAGAIN.  At stop pids.current = 6: 600,
 * 601, 602 and... the two zombies count too (pids.c: pids_release() only
 * at release_task()).
 */
static void case_incident(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_cg(&t, true, 600, 1, 'S', "unshare", "/", "/cg");
	cg_header(&t, true);
	cg_limit(&t, true, "pids", "/", -1, -1, -1);
	cg_limit(&t, true, "pids", "/cg", 1, 6, 0);
	fork_flags(&t, 1.0, 600, 601, CLONE_NEWPID, "sleep");
	fork_ev(&t, 1.1, 601, 602, "job");
	for (int i = 0; i < 2; i++) {
		int sp = 603 + 2 * i, orphan = 604 + 2 * i;
		double t0 = 2.0 + i;
		fork_ev(&t, t0, 602, sp, "spawner");
		fork_ev(&t, t0 + 0.1, sp, orphan, "orphan");
		die(&t, t0 + 0.2, sp, 0);
		wait4(&t, t0 + 0.3, 602, -1, 0, 3 + 2 * i); /* ns pids */
		parent_of[orphan] = 601; /* reparented to the ns init */
		die(&t, t0 + 0.4, orphan, 5);
	}
	fork_fail(&t, 5.0, 602, WT_FORK_CLONE, -11);
	fork_fail(&t, 5.1, 602, WT_FORK_CLONE, -11);
	snap_cg(&t, false, 600, 1, 'S', "unshare", "/", "/cg");
	snap_at(&t, false, 601, 600, 'S', "sleep", "/", "/cg", 1.0);
	snap_at(&t, false, 602, 601, 'S', "job", "/", "/cg", 1.1);
	snap_at(&t, false, 604, 601, 'Z', "orphan", "/", "/cg", 2.1);
	snap_at(&t, false, 606, 601, 'Z', "orphan", "/", "/cg", 3.1);
	cg_header(&t, false);
	cg_limit(&t, false, "pids", "/", -1, -1, -1);
	cg_limit(&t, false, "pids", "/cg", 5, 6, 2);
	t_finish(&t);

	const char *ns = "(SELECT pidns_id FROM process WHERE pid = 601)";
	char sql[512];
	snprintf(sql, sizeof(sql), "SELECT zombies_start || ' ' || zombies_end"
		 " || ' ' || forks_failed || ' ' || fork_errnos || ' ' ||"
		 " (SELECT pid FROM process WHERE upid = init_upid) FROM"
		 " container_v WHERE cgroup = '/cg' AND pidns_id = %s", ns);
	EXPECT_STR(q_text(&t, sql), "0 2 2 EAGAIN 2 601",
		  "container_v: 2 zombies, 2 EAGAIN, init 601");
	EXPECT_INT(report_rows(&t, "containers", NULL, 0, NULL, 0), 2,
		  "two rows: the namespace's part and the host's (600)");
	EXPECT_STR(report_cell(&t, "containers", "cgroup", 0), "pids:/cg",
		  "first row: the cgroup");
	EXPECT_STR(report_cell(&t, "containers", "init", 0), "601 sleep",
		  "its init");
	EXPECT_STR(report_cell(&t, "containers", "init_waits", 0),
		  "no (0 calls)", "the init never waits");
	EXPECT_STR(report_cell(&t, "containers", "orphans", 0),
		  "2 inherited, 0 reaped, 2 left", "orphans of the init");
	EXPECT_STR(report_cell(&t, "containers", "zombies", 0),
		  "0 -> 2 (peak 2)", "zombies grow from 0 to 2");
	EXPECT_STR(report_cell(&t, "containers", "orphaned_by", 0),
		  "603 spawner, 605 spawner", "the spawners orphaned them");
	EXPECT_STR(report_cell(&t, "containers", "failed_forks", 0),
		  "2 (EAGAIN 2)", "the job's forks failed");
	EXPECT_STR(report_cell(&t, "containers", "pids", 0),
		  "1/6 -> 5/6, 2 refused", "pids.current/max and the refusals");
	CHECK(strstr(report_cell(&t, "containers", "oldest_zombie", 0),
		     "604 orphan, zombie for") != NULL, "oldest zombie: 604");
	EXPECT_STR(report_cell(&t, "containers", "pidns", 1), "host",
		  "second row: 600 in the host's namespace");
	EXPECT_STR(report_cell(&t, "containers", "zombies", 1), "0 -> 0 (peak 0)",
		  "no zombies there");
	/* the summary: one line for the container */
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM (SELECT 1 FROM container_v"
			" WHERE zombies_end > 0 OR forks_failed > 0)"), 1,
		  "one container with findings");
	int n = report_rows(&t, "summary", NULL, 0, NULL, 0);
	bool seen = false;
	for (int i = 0; i < n; i++) {
		char item[512], value[512];
		report_rows(&t, "summary", "item", i, item, sizeof(item));
		report_rows(&t, "summary", "value", i, value, sizeof(value));
		if (strstr(item, "cgroup pids:/cg, pid ns")) {
			seen = true;
			EXPECT_STR(value, "zombies 2 (at start 0), failed forks 2 (EAGAIN 2),"
				  " init 601 sleep never waits (wtrec analyze -r"
				  " containers)", "summary line");
		}
	}
	CHECK(seen, "the summary has the container's line");
	t_close(&t);
}

/* ---- C3: a reaping init: no zombies, no failures ---- */

static void case_reaping_init(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_cg(&t, true, 700, 1, 'S', "unshare", "/", "/cg2");
	fork_flags(&t, 1.0, 700, 701, CLONE_NEWPID, "tini");
	fork_ev(&t, 1.1, 701, 702, "job");
	fork_ev(&t, 2.0, 702, 703, "spawner");
	fork_ev(&t, 2.1, 703, 704, "orphan");
	die(&t, 2.2, 703, 0);
	wait4(&t, 2.3, 702, -1, 0, 3);
	parent_of[704] = 701;
	die(&t, 2.4, 704, 5);
	wait4(&t, 2.5, 701, -1, 0, 4);
	snap_cg(&t, false, 700, 1, 'S', "unshare", "/", "/cg2");
	snap_at(&t, false, 701, 700, 'S', "tini", "/", "/cg2", 1.0);
	snap_at(&t, false, 702, 701, 'S', "job", "/", "/cg2", 1.1);
	t_finish(&t);
	EXPECT_STR(report_cell(&t, "containers", "init_waits", 0),
		  "yes (1 calls, last at 0.003 s)", "tini waits");
	EXPECT_STR(report_cell(&t, "containers", "orphans", 0),
		  "1 inherited, 1 reaped, 0 left", "and reaps its orphan");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM container_v WHERE"
			" zombies_end > 0 OR forks_failed > 0"), 0,
		  "nothing for the summary");
	t_close(&t);
}

/* ---- C4: a failed fork uses up a pid of the namespace ---- */

/*
 * In a namespace (init 801, job 802 = ns pid 2), the job forks 803 (ns 3),
 * then a fork fails with EAGAIN (the pids controller: alloc_pid() had
 * given out ns pid 4 already), then it forks 804 (ns pid 5) and 805 (ns
 * pid 6, alive to the end).  The job's wait4(-1) calls return 3, then 5:
 * the model must name 803 and 804 - counting 4 for 804 would make 5 the
 * live 805 - with no conflict.  A second namespace (init 901, job 902) has a
 * fork fail with ENOMEM: where it failed is unknown, so its sequence
 * stops; 903's namespace pid is then learned from the wait (no conflict,
 * nothing wrong, one more counted unknown).
 */
static void case_failed_fork_pid(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 800, 1, "unshare", 0);
	fork_flags(&t, 1.0, 800, 801, CLONE_NEWPID, "init");
	fork_ev(&t, 1.1, 801, 802, "job");
	fork_ev(&t, 2.0, 802, 803, "a");
	fork_fail(&t, 2.5, 802, WT_FORK_CLONE, -11);
	fork_ev(&t, 3.0, 802, 804, "b");
	fork_ev(&t, 3.1, 802, 805, "alive"); /* ns pid 6, never exits */
	die(&t, 3.5, 803, 3);
	die(&t, 3.6, 804, 4);
	wait4(&t, 4.0, 802, -1, 0, 3);
	wait4(&t, 4.1, 802, -1, 0, 5);
	snap_proc(&t, 900, 1, "unshare", 0);
	fork_flags(&t, 5.0, 900, 901, CLONE_NEWPID, "init");
	fork_ev(&t, 5.1, 901, 902, "job");
	fork_fail(&t, 5.5, 902, WT_FORK_FORK, -12);
	fork_ev(&t, 6.0, 902, 903, "c");
	die(&t, 6.5, 903, 7);
	wait4(&t, 7.0, 902, -1, 0, 4);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(c.pid || '=' || c.ns_pid, ' ')"
			 " FROM (SELECT * FROM wait_call WHERE tid = 802 ORDER BY"
			 " id) w JOIN process c ON c.upid = w.reaped_upid"),
		  "803=3 804=5", "the job's waits reaped 803 (ns 3) and 804 (ns 5)");
	EXPECT_STR(q_text(&t, "SELECT c.pid FROM wait_call w JOIN process c ON"
			 " c.upid = w.reaped_upid WHERE w.tid = 902"), "903",
		  "after an ENOMEM the return names 903 all the same");
	EXPECT_STR(q_text(&t, "SELECT group_concat(name || '=' || count, ' ') FROM"
			 " (SELECT * FROM model_check WHERE name IN"
			 " ('nspid_used_by_failed_fork', 'nspid_sequence_lost',"
			 " 'nspid_conflict', 'returned_unseen_pid') ORDER BY name)"),
		  "nspid_conflict=0 nspid_sequence_lost=1 nspid_used_by_failed_fork=1"
		  " returned_unseen_pid=0", "counted, and nothing contradicted");
	t_close(&t);
}

/* ---- C5: the observer is told of each failed fork, as its row ---- */

/* What the observer was told (copies: the row's strings are the call's). */
static struct seen_fail {
	int64_t ts_ns, utid, upid, tid, ret, pidns_id;
	char text[256];  /* comm syscall errno_name cgroup_pids container_id */
} seen[8];
static int nseen;

static void obs_fork_failure(void *ctx, const struct wt_fork_failure_row *r)
{
	(void)ctx;
	if (nseen == (int)(sizeof(seen) / sizeof(seen[0]))) {
		nseen++;
		return;
	}
	struct seen_fail *f = &seen[nseen++];
	*f = (struct seen_fail){ r->ts_ns, r->utid, r->upid, r->tid, r->ret,
				 r->pidns_id, "" };
	snprintf(f->text, sizeof(f->text), "%s %s %s %s %s",
		 r->comm ? r->comm : "-", r->syscall ? r->syscall : "-",
		 r->errno_name ? r->errno_name : "-",
		 r->cgroup_pids ? r->cgroup_pids : "-",
		 r->container_id ? r->container_id : "-");
}

/*
 * Job 1002 in pids:/docker/ID1, a pid namespace's pid 2, fails a clone
 * (EAGAIN) and a vfork (ENOMEM); 1000, outside it, a fork (EAGAIN).  The
 * observer hears of each once, in order, with what the table's row says;
 * an observer without the callback changes nothing.
 */
static void case_observer(void)
{
	static const struct wt_model_observer obs = {
		.fork_failure = obs_fork_failure };
	static const struct wt_model_observer none = { 0 };
	struct t t;

	for (int pass = 0; pass < 2; pass++) {
		nseen = 0;
		t_observer = pass == 0 ? &obs : &none;
		t_begin(&t, NULL);
		snap_cg(&t, true, 1000, 1, 'S', "unshare", "/", "/");
		cg_header(&t, true); /* names the pids hierarchy's id */
		fork_flags(&t, 1.0, 1000, 1001, CLONE_NEWPID, "init");
		fork_ev(&t, 1.1, 1001, 1002, "job");
		move(&t, 1.2, 1000, 1002, PIDS_ROOT, "/docker/" ID1);
		fork_fail(&t, 2.0, 1002, WT_FORK_CLONE, -11);
		fork_fail(&t, 2.5, 1002, WT_FORK_VFORK, -12);
		fork_fail(&t, 3.0, 1000, WT_FORK_FORK, -11);
		t_finish(&t);
		t_observer = NULL;
		EXPECT_INT(q_int(&t, "SELECT count(*) FROM fork_failure"), 3,
			  "three rows either way");
		if (pass == 1) {
			EXPECT_INT(nseen, 0, "no callback: nothing heard");
			t_close(&t);
			break;
		}
		EXPECT_INT(nseen, 3, "the observer heard of three failures");
		sqlite3_stmt *st = q_prep(&t, "SELECT ts_ns, utid, upid, tid, ret,"
			" pidns_id, comm || ' ' || syscall || ' ' || errno_name"
			" || ' ' || COALESCE(cgroup_pids, '-') || ' ' ||"
			" COALESCE(container_id, '-') FROM fork_failure"
			" ORDER BY ts_ns");
		for (int i = 0; st && sqlite3_step(st) == SQLITE_ROW; i++) {
			if (i >= nseen || i >= 8)
				break;
			EXPECT_INT(seen[i].ts_ns, sqlite3_column_int64(st, 0), "ts_ns");
			EXPECT_INT(seen[i].utid, sqlite3_column_int64(st, 1), "utid");
			EXPECT_INT(seen[i].upid, sqlite3_column_int64(st, 2), "upid");
			EXPECT_INT(seen[i].tid, sqlite3_column_int64(st, 3), "tid");
			EXPECT_INT(seen[i].ret, sqlite3_column_int64(st, 4), "ret");
			EXPECT_INT(seen[i].pidns_id, sqlite3_column_int64(st, 5),
				  "pidns_id");
			EXPECT_STR(seen[i].text,
				  (const char *)sqlite3_column_text(st, 6),
				  "comm, syscall, errno, cgroup, container");
		}
		sqlite3_finalize(st);
		/* and what the scenario says, not only what the table does */
		EXPECT_STR(seen[0].text, "job clone EAGAIN /docker/" ID1 " " ID1,
			  "first: the job's clone, in the container");
		EXPECT_STR(seen[1].text, "job vfork ENOMEM /docker/" ID1 " " ID1,
			  "second: its vfork");
		EXPECT_STR(seen[2].text, "unshare fork EAGAIN / -",
			  "third: 1000's fork, outside it");
		EXPECT_INT(seen[0].tid, 1002, "the job's thread tried first");
		EXPECT_INT(seen[2].tid, 1000, "1000's thread last");
		EXPECT_INT(seen[0].ts_ns, (int64_t)MS(2.0), "when the clone failed");
		t_close(&t);
	}
}

static const struct {
	int id;
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ 1, "cgroup sources: snapshot, fork, moves, CLONE_INTO_CGROUP", case_sources },
	{ 2, "the incident: a non-waiting init, zombies, EAGAIN", case_incident },
	{ 3, "a reaping init", case_reaping_init },
	{ 4, "a failed fork uses up a namespace pid", case_failed_fork_pid },
	{ 5, "the observer hears of each failed fork", case_observer },
};

void t_failf(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tcheck_failf("case %d: %s", cur_case, msg);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cur_case = cases[i].id;
		tcheck_case(cases[i].id, cases[i].name, cases[i].fn);
	}
	rmdir(tmpdir);
	return tcheck_report();
}
