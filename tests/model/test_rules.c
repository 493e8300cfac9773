/*
 * test_rules.c - the kernel's rules the model replays, one case each, on
 * hand-built event streams (tests/model/harness.h): the order in which
 * do_wait() scans the threads' children lists, reparenting to another
 * thread, a subreaper or a namespace's init, subreapers the recording only
 * learns of from the kernel's SIGCHLD, pid namespaces and their pids,
 * namespace teardown, pidfd targets, steals and double waits, undecided
 * WNOHANG waitid calls, deaths by every class of fatal signal, ptrace
 * tracers, and what each failure means.
 *
 * Each scenario's comment says what the kernel does (the function in
 * kernel/exit.c, kernel/signal.c, kernel/pid_namespace.c) and so what the
 * rows must say; the expected values come from that, not from the model.
 *
 *   test_rules     run every case; exit 1 if any check failed or none ran
 */
#include "harness.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CLD_TRAPPED 4 /* si_code of a ptrace stop's SIGCHLD to the tracer */

/* ---- R1: do_wait() scans the caller's list, then the other threads' ---- */

/*
 * Process 2000 has threads 2000, 2001, 2002 (in that order).  Each thread
 * forks (2010 by 2000, 2011 by 2001, 2012 then 2013 by 2002), all four
 * exit, then thread 2001 calls waitid(P_ALL, WEXITED) four times: the
 * kernel (__do_wait(): do_wait_thread(current), then while_each_thread
 * after it) returns 2011 (its own), 2012, 2013 (2002's list, fork order),
 * 2010 (wrapping round to the leader).  Then 2000 forks 2014, which exits,
 * and 2002's waitid with __WNOTHREAD finds nothing of its own: ECHILD,
 * which says nothing about 2014 (2000 reaps it after).
 */
static void case_scan_order(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 2000, 1, "pool", 0);
	snap(&t, true, MS(0.1), 2000, 2001, 1, 'S', BASE - 4000000000LL, 0, "w1");
	snap(&t, true, MS(0.1), 2000, 2002, 1, 'S', BASE - 4000000000LL, 0, "w2");
	fork_ev(&t, 1.0, 2000, 2010, "a");
	fork_ev(&t, 1.1, 2001, 2011, "b");
	fork_ev(&t, 1.2, 2002, 2012, "c");
	fork_ev(&t, 1.3, 2002, 2013, "d");
	die(&t, 2.0, 2013, 13);
	die(&t, 2.1, 2012, 12);
	die(&t, 2.2, 2011, 11);
	die(&t, 2.3, 2010, 10);
	for (int i = 0; i < 4; i++)
		waitid(&t, 3.0 + 0.1 * i, 2001, WT_P_ALL, 0, WEXITED, 0);
	fork_ev(&t, 4.0, 2000, 2014, "e");
	die(&t, 4.5, 2014, 14);
	waitid(&t, 5.0, 2002, WT_P_ALL, 0, WEXITED | WNOHANG | WNOTHREAD, -10);
	wait4(&t, 6.0, 2000, -1, 0, 2014);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(pid) FROM (SELECT c.pid FROM"
			 " wait_call w JOIN process c ON c.upid = w.reaped_upid"
			 " WHERE w.tid = 2001 ORDER BY w.id)"),
		  "2011,2012,2013,2010", "scan order: own list, then the "
		  "threads after the caller, wrapping round");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE tid = 2001"
			" AND reap_basis = 'replay' AND reap_inferred = 1"), 4,
		  "all four inferred by the replay");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'echild_with_child'"), 0,
		  "__WNOTHREAD: 2014 is not 2002's child");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 2014"),
		  2000, "2014 stays a zombie for its parent thread");
	EXPECT_STR(q_text(&t, "SELECT error_class FROM wait_call WHERE tid ="
			 " 2002"), "no_children", "ECHILD of P_ALL: no_children");
	t_close(&t);
}

/* ---- R2: the return value wins, disagreements are counted ---- */

/*
 * 2101 and 2102 are both zombies when wait4(-1) returns 2102: the replay
 * would have chosen 2101 (first in the list).  The kernel's answer is the
 * truth; the disagreement is counted.  The next wait4(-1) returns 2101,
 * as the replay says.
 */
static void case_replay_disagrees(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 2100, 1, "p", 0);
	fork_ev(&t, 1.0, 2100, 2101, "a");
	fork_ev(&t, 1.1, 2100, 2102, "b");
	die(&t, 2.0, 2101, 1);
	die(&t, 2.1, 2102, 2);
	wait4(&t, 3.0, 2100, -1, 0, 2102);
	wait4(&t, 3.1, 2100, -1, 0, 2101);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_disagrees'"), 1, "one disagreement");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_agrees'"), 1, "one agreement");
	EXPECT_STR(q_text(&t, "SELECT c.pid || ' ' || w.reap_basis || ' ' ||"
			 " r.pid FROM wait_call w JOIN process c ON c.upid ="
			 " w.reaped_upid JOIN process r ON r.upid ="
			 " w.replay_upid ORDER BY w.id LIMIT 1"),
		  "2102 return 2101", "reaped what the kernel said; the replay's"
		  " choice kept beside it");
	t_close(&t);
}

/* ---- R3: a subreaper inherits orphans (find_new_reaper()) ---- */

/*
 * 2200 sets PR_SET_CHILD_SUBREAPER and forks 2201, which forks 2202 and
 * 2203.  2203 exits (a zombie 2201 never waits for); 2201 exits: both its
 * children go to 2200, appended to 2200's list after 2201, and 2201's exit
 * notifies 2200 of the zombie 2203 first (reparent_leader()), then of
 * itself.  2202 exits.  2200's waitid(P_ALL) calls take 2201 then 2202 (list
 * order), its wait4(-1) returns 2203.
 */
static void case_subreaper(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 2200, 1, "sup", 0);
	subreaper(&t, 0.5, 2200, true);
	fork_ev(&t, 1.0, 2200, 2201, "mid");
	fork_ev(&t, 1.1, 2201, 2202, "grand");
	fork_ev(&t, 1.2, 2201, 2203, "grand2");
	die(&t, 1.5, 2203, 3);
	die_quiet(&t, 2.0, 2201, 1);
	sigchld(&t, 2.011, 2201, 2200, 1, 1); /* the notice for 2203 */
	sigchld(&t, 2.012, 2201, 2200, 1, 1); /* 2201's own */
	die_quiet(&t, 3.0, 2202, 2);
	sigchld(&t, 3.011, 2202, 2200, 1, 1);
	waitid(&t, 4.0, 2200, WT_P_ALL, 0, WEXITED, 0);
	waitid(&t, 4.1, 2200, WT_P_ALL, 0, WEXITED, 0);
	wait4(&t, 4.2, 2200, -1, 0, 2203);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(pid) FROM (SELECT c.pid FROM"
			 " wait_call w JOIN process c ON c.upid = w.reaped_upid"
			 " ORDER BY w.id)"), "2201,2202,2203",
		  "the subreaper's list: its own child, then the two it got");
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT c.pid || ':'"
			 " || r.reason || ':' || r.evidence || ':' || r.zombie"
			 " AS x FROM reparent r JOIN process c ON c.upid ="
			 " r.upid ORDER BY c.pid)"),
		  "2202:subreaper:rule:0,2203:subreaper:rule:1",
		  "the moves, with the zombie among them");
	EXPECT_INT(q_int(&t, "SELECT p.pid FROM process c JOIN process p ON"
			" p.upid = c.parent_upid WHERE c.pid = 2202"), 2200,
		  "parent at exit: the subreaper");
	EXPECT_INT(q_int(&t, "SELECT p.pid FROM process c JOIN process p ON"
			" p.upid = c.original_parent_upid WHERE c.pid = 2202"),
		  2201, "original parent kept");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_agrees'"), 1, "wait4's 2203 is the replay's");
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 0,
		  "nothing auto-reaped");
	char cell[512];
	int n = report_rows(&t, "tree", NULL, 0, NULL, 0), found = 0;
	for (int i = 0; i < n; i++) {
		report_rows(&t, "tree", "tree", i, cell, sizeof(cell));
		if (strstr(cell, "(pid 2203)") &&
		    strstr(cell, "reaped by 2200 wait4(P_ALL)") &&
		    !strstr(cell, "not by its parent") &&
		    strstr(cell, "orphaned at 0.002 s, reparented to 2200 (sup)"))
			found++;
		else if (strstr(cell, "(pid 2203)"))
			printf("tree line: %s\n", cell);
	}
	EXPECT_INT(found, 1, "tree: 2203 reaped by its parent at exit, orphaned"
		  " and reparented");
	t_close(&t);
}

/* ---- R4: a subreaper the recording did not know of ---- */

/*
 * 2300 (a container shim, say) was a subreaper before the recording: the
 * snapshot cannot tell.  2301, its child, forks 2302, which exits; when
 * 2301 exits the rule sends the zombie 2302 to init, but the kernel's
 * notice for it goes to 2300: the kernel's choice is taken, the move
 * corrected, 2300 marked a subreaper, both counted.
 */
static void case_subreaper_learned(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 2300, 1, "shim", 0);
	fork_ev(&t, 1.0, 2300, 2301, "app");
	fork_ev(&t, 1.1, 2301, 2302, "helper");
	die(&t, 1.5, 2302, 0);
	die_quiet(&t, 2.0, 2301, 0);
	sigchld(&t, 2.011, 2301, 2300, 1, 1); /* notice for 2302: to 2300 */
	sigchld(&t, 2.012, 2301, 2300, 1, 1);
	wait4(&t, 3.0, 2300, -1, 0, 2301);
	wait4(&t, 3.1, 2300, -1, 0, 2302);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT r.reason ||"
			 " ':' || r.evidence || ':' || t.pid AS x FROM reparent"
			 " r JOIN process t ON t.upid = r.to_upid ORDER BY"
			 " r.rowid)"), "init:rule:1,subreaper:SIGCHLD:2300",
		  "rule first, then the kernel's notice corrects it");
	EXPECT_INT(q_int(&t, "SELECT subreaper FROM process WHERE pid = 2300"),
		  1, "2300 is a subreaper");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'reparent_corrected'"), 1, "correction counted");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'subreaper_from_evidence'"), 1, "learned, counted");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_disagrees'"), 0, "the replay agrees after");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 2302"),
		  2300, "reaped by the shim");
	t_close(&t);
}

/* ---- R5: a pid namespace and its pids ---- */

/*
 * 2400 forks 2401 with CLONE_NEWPID: 2401 is pid 1 of a new namespace.
 * Inside it, 2401 forks 2402 (pid 2), 2402 forks 2403 (pid 3), 2402 exits
 * and 2403 goes to the namespace's init 2401 (not to the host's init).
 * 2401's wait4(-1) returns the namespace's pids 2 and 3; then ECHILD; then
 * 2401 exits and 2400 reaps it by its host pid.
 */
static void case_pidns_clone(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 2400, 1, "unshare", 0);
	fork_flags(&t, 1.0, 2400, 2401, CLONE_NEWPID | 17, "tini");
	fork_ev(&t, 1.1, 2401, 2402, "sh");
	fork_ev(&t, 1.2, 2402, 2403, "sleep");
	die(&t, 1.5, 2402, 0);
	die_quiet(&t, 2.0, 2403, 0);
	sigchld(&t, 2.011, 2403, 2401, 1, 1);
	wait4(&t, 3.0, 2401, -1, 0, 2);
	wait4(&t, 3.1, 2401, -1, 0, 3);
	wait4(&t, 3.2, 2401, -1, WNOHANG, -10);
	die(&t, 4.0, 2401, 0);
	wait4(&t, 4.5, 2400, 2401, 0, 2401);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT pid || ':' ||"
			 " ns_pid || ':' || ns_pid_source AS x FROM process"
			 " WHERE pid BETWEEN 2401 AND 2403 ORDER BY pid)"),
		  "2401:1:init,2402:2:sequence,2403:3:sequence",
		  "namespace pids: init, then the kernel's allocation order");
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT c.pid || '<-'"
			 " || w.ret AS x FROM wait_call w JOIN process c ON"
			 " c.upid = w.reaped_upid WHERE w.tid = 2401 ORDER BY"
			 " w.id)"), "2402<-2,2403<-3",
		  "returns in the namespace name the right children");
	EXPECT_INT(q_int(&t, "SELECT p.pid FROM process c JOIN process p ON"
			" p.upid = c.parent_upid WHERE c.pid = 2403"), 2401,
		  "orphan to the namespace's init");
	EXPECT_STR(q_text(&t, "SELECT reason FROM reparent"), "ns_init",
		  "reason ns_init");
	EXPECT_STR(q_text(&t, "SELECT level || ' ' || source || ' ' ||"
			 " (SELECT pid FROM process WHERE upid = init_upid) FROM"
			 " pidns WHERE level = 1"), "1 clone 2401",
		  "the namespace row");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'returned_unseen_pid'"), 0, "no unseen pids");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'nspid_by_sequence'"), 2, "two pids by sequence");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 2401"),
		  2400, "the init reaped by its parent outside");
	t_close(&t);
}

/* ---- R6: an init that never waits: teardown ---- */

/*
 * `unshare -fp sh -c '(sleep 0.2 &); exec sleep 1.5'`: 2500 unshares its
 * children's pid namespace and forks 2501, the init.  2501 forks 2502
 * (the subshell), which forks 2503 and exits; 2503 goes to the init, then
 * exits.  The init never waits: both stay zombies until it exits, when
 * zap_pid_ns_processes() reaps them.  (Times are ms.)  An unshare of
 * another process, 2520, fails: its next child stays in the host's
 * namespace.
 */
static void case_pidns_teardown(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 2500, 1, "unshare", 0);
	snap_proc(&t, 2520, 1, "u2", 0);
	unshare_pidns(&t, 0.5, 2500, false);
	fork_ev(&t, 1.0, 2500, 2501, "sh");
	fork_ev(&t, 1.1, 2501, 2502, "sh");
	fork_ev(&t, 1.2, 2502, 2503, "sleep");
	die(&t, 1.3, 2502, 0);
	die_quiet(&t, 1.5, 2503, 0);
	sigchld(&t, 1.511, 2503, 2501, 1, 1);
	die(&t, 3.0, 2501, 0);
	/* what a kprobe on kernel_wait4 sees of zap_pid_ns_processes() */
	wait4_enter(&t, 3.02, 2501, -1, WALL);
	wait_exit(&t, 3.03, 2501, WT_SYS_WAIT4, 2);
	wait4_enter(&t, 3.04, 2501, -1, WALL);
	wait_exit(&t, 3.05, 2501, WT_SYS_WAIT4, -10);
	wait4(&t, 3.5, 2500, -1, 0, 2501);
	unshare_pidns(&t, 5.0, 2520, true);
	fork_ev(&t, 5.1, 2520, 2504, "x");
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT pid || ':' ||"
			 " release_kind || ':' || (released_ns - exit_ns) AS x"
			 " FROM process WHERE pid IN (2502, 2503) ORDER BY pid)"),
		  "2502:pidns_teardown:1700000,2503:pidns_teardown:1500000",
		  "released when the init exited (3.01), zombies till then");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0,
		  "no zombies left");
	EXPECT_INT(report_rows(&t, "released", NULL, 0, NULL, 0), 2,
		  "released report: both");
	EXPECT_STR(report_cell(&t, "released", "how", 0),
		  "pid namespace teardown", "how");
	EXPECT_STR(report_cell(&t, "released", "zombie_ms", 0), "1.700",
		  "zombie time of 2502 (1.31 -> 3.01 ms)");
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 0,
		  "not called auto-reaped");
	EXPECT_STR(q_text(&t, "SELECT source || ' ' || teardown_ns FROM pidns"
			 " WHERE level = 1"), "unshare 1000003010000",
		  "the namespace and its teardown");
	EXPECT_STR(q_text(&t, "SELECT ns_pid || ' ' || ns_pid_source FROM"
			 " process WHERE pid = 2504"), "2504 root",
		  "a failed unshare changes nothing");
	EXPECT_INT(q_int(&t, "SELECT ns_init FROM process WHERE pid = 2501"), 1,
		  "2501 is the init");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE tid = 2501"),
		  0, "the teardown's kernel_wait4() calls are no wait calls");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'teardown_wait_calls'"), 2, "but counted");
	t_close(&t);
}

/* ---- R7: pidfd targets ---- */

/*
 * 2600 forks 2610 and 2611, both exit.  waitid(P_PIDFD, fd) names 2611
 * through sched_process_wait: it reaps 2611, not the older 2610.  Then
 * 2612 exits and thread 2601's wait4(-1) reaps it before 2600's
 * waitid(P_PIDFD) for it, which gets ECHILD: a steal through a pidfd.
 */
static void case_pidfd(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 2600, 1, "py", 0);
	snap(&t, true, MS(0.1), 2600, 2601, 1, 'S', BASE - 4000000000LL, 0, "t2");
	fork_ev(&t, 1.0, 2600, 2610, "a");
	fork_ev(&t, 1.1, 2600, 2611, "b");
	die(&t, 2.0, 2610, 10);
	die(&t, 2.1, 2611, 11);
	waitid_enter(&t, 3.0, 2600, WT_P_PIDFD, 5, WEXITED);
	wait_target(&t, 3.01, 2600, 2611);
	wait_exit(&t, 3.05, 2600, WT_SYS_WAITID, 0);
	fork_ev(&t, 4.0, 2600, 2612, "c");
	die(&t, 5.0, 2612, 12);
	wait4(&t, 5.5, 2601, -1, 0, 2612);
	waitid_enter(&t, 6.0, 2600, WT_P_PIDFD, 6, WEXITED);
	wait_target(&t, 6.01, 2600, 2612);
	wait_exit(&t, 6.05, 2600, WT_SYS_WAITID, -10);
	wait4(&t, 7.0, 2600, -1, 0, 2610);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT c.pid || ' ' || w.reap_basis || ' ' ||"
			 " w.reap_inferred || ' ' || w.target_basis FROM"
			 " wait_call w JOIN process c ON c.upid = w.reaped_upid"
			 " WHERE w.idtype = 'P_PIDFD'"), "2611 target 0 event",
		  "the pidfd's process, from sched_process_wait");
	EXPECT_INT(report_rows(&t, "stolen", NULL, 0, NULL, 0), 1,
		  "one steal");
	EXPECT_STR(report_cell(&t, "stolen", "victim_site", 0),
		  "waitid(P_PIDFD)", "victim through a pidfd");
	EXPECT_STR(report_cell(&t, "stolen", "child_pid", 0), "2612", "child");
	EXPECT_STR(report_cell(&t, "stolen", "thief_tid", 0), "2601", "thief");
	t_close(&t);
}

/* ---- R8: steals and double waits ---- */

/*
 * Process 2700, threads 2700 and 2701.
 *  - 2710: 2700's waitpid(2710) reaps it, a second waitpid(2710) gets
 *    ECHILD: a double wait, not a steal.
 *  - 2711: 2701 sleeps in wait4(-1); 2711 exits; 2700's waitpid(2711)
 *    gets ECHILD at 4.03, before 2701's syscall returns (4.05): the reap
 *    happened inside 2701's call, which began first.  A steal.
 *  - 2712: a SIGCHLD handler on 2700 itself reaps it with
 *    waitpid(-1, WNOHANG); 2700's waitpid(2712) then gets ECHILD: a steal
 *    (a wait for any child took it), on the victim's own thread.
 *  - 2713: 2701's waitpid(2713) reaps it, 2700's gets ECHILD: another
 *    thread's wait, a steal although both were for 2713.
 */
static void scen_steals(struct t *t)
{
	snap_proc(t, 2700, 1, "app", 0);
	snap(t, true, MS(0.1), 2700, 2701, 1, 'S', BASE - 4000000000LL, 0, "t2");
	fork_ev(t, 1.0, 2700, 2710, "a");
	die(t, 1.5, 2710, 0);
	wait4(t, 2.0, 2700, 2710, 0, 2710);
	wait4(t, 2.5, 2700, 2710, 0, -10);
	fork_ev(t, 3.0, 2700, 2711, "b");
	wait4_enter(t, 3.1, 2701, -1, 0);
	die(t, 4.0, 2711, 0);
	wait4_enter(t, 4.02, 2700, 2711, 0);
	wait_exit(t, 4.03, 2700, WT_SYS_WAIT4, -10);
	wait_exit(t, 4.05, 2701, WT_SYS_WAIT4, 2711);
	fork_ev(t, 5.0, 2700, 2712, "c");
	die(t, 6.0, 2712, 0);
	wait4(t, 6.05, 2700, -1, WNOHANG, 2712);
	wait4(t, 6.2, 2700, 2712, 0, -10);
	fork_ev(t, 7.0, 2700, 2713, "d");
	die(t, 7.5, 2713, 0);
	wait4(t, 8.0, 2701, 2713, 0, 2713);
	wait4(t, 8.5, 2700, 2713, 0, -10);
}

static void case_steals(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_steals(&t);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT child_pid ||"
			 " ':' || thief_tid || ':' || thief_idtype AS x FROM"
			 " stolen_v ORDER BY child_pid)"),
		  "2711:2701:P_ALL,2712:2700:P_ALL,2713:2701:P_PID",
		  "three steals");
	EXPECT_STR(report_cell(&t, "stolen", "gap_ms", 0), "-0.020",
		  "the victim's ECHILD came back before the thief's return");
	/* ... and that order is the race, not a loss: 2711 was reaped by
	 * 2701's call, not released at 2700's ECHILD (e2e_real_programs'
	 * CPython race under strace showed it) */
	EXPECT_STR(q_text(&t, "SELECT reaper_tid || ' ' ||"
			 " COALESCE(release_kind, '-') FROM process WHERE"
			 " pid = 2711"), "2701 -",
		  "2711 reaped by the thief's call, not released");
	EXPECT_STR(q_text(&t, "SELECT group_concat(name || '=' || count) FROM"
			 " model_check WHERE name IN ('empty_but_waitable',"
			 " 'replay_saw_none') ORDER BY name"),
		  "empty_but_waitable=0,replay_saw_none=0",
		  "the overlap is no disagreement");
	EXPECT_STR(q_text(&t, "SELECT child_pid || ' ' || tid || ' ' || result"
			 " FROM double_wait_v"), "2710 2700 ECHILD",
		  "one double wait");
	EXPECT_INT(report_rows(&t, "double_wait", NULL, 0, NULL, 0), 1,
		  "double_wait report");
	EXPECT_STR(q_text(&t, "SELECT count(*) FROM wait_call WHERE"
			 " error_class = 'lost_child'"), "4",
		  "four ECHILDs of targeted waits");
	t_close(&t);
}

/* ---- R9: a WNOHANG waitid whose child became waitable during it ---- */

/*
 * waitid(P_ALL, WEXITED|WNOHANG) is entered at 2.0 ms; 2801 exits at
 * 2.0005 and its SIGCHLD (it became a zombie) comes at 2.0015, the call
 * returns 0 at 2.003: it may or may not have taken 2801.  2801 is freed at 2.5 and no wait returned it:
 * the call took it.  The same for 2802 at 3.0, but wait4(-1) returns 2802
 * at 3.5: that call found nothing.
 */
static void case_deferred(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 2800, 1, "sd", 0);
	fork_ev(&t, 1.0, 2800, 2801, "a");
	fork_ev(&t, 1.1, 2800, 2802, "b");
	waitid_enter(&t, 2.0, 2800, WT_P_ALL, 0, WEXITED | WNOHANG);
	die(&t, 1.9905, 2801, 1);   /* exit 2.0005, SIGCHLD 2.0015 */
	wait_exit(&t, 2.003, 2800, WT_SYS_WAITID, 0);
	free_ev(&t, 2.5, 2801);
	waitid_enter(&t, 3.0, 2800, WT_P_ALL, 0, WEXITED | WNOHANG);
	die(&t, 2.9905, 2802, 2);
	wait_exit(&t, 3.003, 2800, WT_SYS_WAITID, 0);
	wait4(&t, 3.5, 2800, -1, 0, 2802);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT outcome ||"
			 " ':' || COALESCE(reap_basis, '-') || ':' ||"
			 " reap_inferred AS x FROM wait_call WHERE syscall ="
			 " 'waitid' ORDER BY id)"),
		  "reaped:deferred:1,nothing:-:0",
		  "decided by what happened to the child later");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 2802"),
		  2800, "2802 reaped by wait4");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'reap_inferred_later'"), 1, "counted");
	EXPECT_INT(q_int(&t, "SELECT (SELECT sum(calls) FROM wait_outcome) ="
			" (SELECT count(*) FROM wait_call)"), 1,
		  "every call counted once");
	t_close(&t);
}

/* ---- R10: every fatal signal class ---- */

/*
 * Default action terminate (SIGALRM 14, SIGPROF 27), terminate + core
 * (SIGSEGV 11: delivered as itself, complete_signal() does not turn it
 * into SIGKILL), and a real-time signal (40): each child dies of the
 * signal that was generated to it.
 */
static void case_fatal_signals(void)
{
	static const struct { int pid, sig, delivered; const char *status; } c[] = {
		{ 2901, 14, 9, "killed SIGALRM" },
		{ 2902, 11, 11, "killed SIGSEGV" },
		{ 2903, 40, 9, "killed SIGRTMIN+6" },
		{ 2904, 27, 9, "killed SIGPROF" },
		{ 2905, 7, 7, "killed SIGBUS" },
	};
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 2900, 1, "p", 0);
	for (int i = 0; i < 5; i++) {
		double at = 1.0 + i;
		fork_ev(&t, at, 2900, c[i].pid, "k");
		sig_generate(&t, at + 0.1, 2900, c[i].pid, c[i].sig);
		sig_deliver(&t, at + 0.11, c[i].pid, c[i].delivered);
		exit_ev(&t, at + 0.12, c[i].pid, true);
		sigchld(&t, at + 0.13, c[i].pid, 2900, 2, 1);
		wait4(&t, at + 0.2, 2900, -1, 0, c[i].pid);
	}
	t_finish(&t);
	for (int i = 0; i < 5; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT s.status FROM process p JOIN"
			 " process_status s ON s.upid = p.upid WHERE p.pid = %d",
			 c[i].pid);
		EXPECT_STR(q_text(&t, sql), c[i].status, c[i].status);
	}
	t_close(&t);
}

/* ---- R11: SA_NOCLDWAIT ---- */

/*
 * 3001's SIGCHLD is delivered to 3000's handler, yet 3000's wait4(-1)
 * gets ECHILD: the kernel released 3001 at its exit (SA_NOCLDWAIT makes
 * do_notify_parent() return autoreap while still sending SIGCHLD).
 */
static void case_nocldwait(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3000, 1, "d", 0);
	fork_ev(&t, 1.0, 3000, 3001, "c");
	die_quiet(&t, 2.0, 3001, 0);
	sigchld(&t, 2.011, 3001, 3000, 1, 0);
	wait4(&t, 3.0, 3000, -1, 0, -10);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 1,
		  "auto-reaped");
	CHECK(strstr(report_cell(&t, "autoreap", "evidence", 0),
		     "SA_NOCLDWAIT") != NULL, "evidence names SA_NOCLDWAIT");
	EXPECT_STR(report_cell(&t, "autoreap", "released_ms", 0), "2.010",
		  "released at its exit");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0, "no zombie");
	t_close(&t);
}

/* ---- R12: what each failure means ---- */

static void case_error_classes(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3100, 1, "e", 0);
	wait4(&t, 1.0, 3100, -1, 0, -10);               /* no_children */
	wait4(&t, 1.1, 3100, 3199, 0, -10);             /* lost_child */
	wait4(&t, 1.2, 3100, -1, 0, -512);              /* restart */
	waitid(&t, 1.3, 3100, WT_P_ALL, 0, 0, -22);     /* caller_bug */
	wait4(&t, 1.4, 3100, (int)0x80000000, 0, -3);   /* caller_bug */
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT"
			 " COALESCE(idtype, '-') || ':' || error_class AS x FROM"
			 " wait_call ORDER BY id)"),
		  "P_ALL:no_children,P_PID:lost_child,P_ALL:restart,"
		  "P_ALL:caller_bug,-:caller_bug", "classes");
	EXPECT_STR(q_text(&t, "SELECT target IS NULL FROM wait_call WHERE"
			 " pid_arg = -2147483648"), "1",
		  "wait4(INT_MIN) has no target");
	char cell[512] = "";
	int n = report_rows(&t, "summary", NULL, 0, NULL, 0);
	for (int i = 0; i < n; i++) {
		char item[128];
		report_rows(&t, "summary", "item", i, item, sizeof(item));
		if (!strcmp(item, "failed waits"))
			report_rows(&t, "summary", "value", i, cell, sizeof(cell));
	}
	EXPECT_STR(cell, "3 (ECHILD 1, EINVAL 1, ESRCH 1; wtrec analyze -r"
		  " errors); not counted: no_children 1, restart 1",
		  "summary counts only what deserves attention");
	t_close(&t);
}

/* ---- R13: a tracer hands an exit on ---- */

/*
 * 3200 ptraces 3211 (3210's child) without __WALL.  3211 exits; 3200's
 * wait4(-1) returns it, and inside that call the kernel sends SIGCHLD
 * from 3200 to 3210 (wait_task_zombie(): EXIT_TRACE, do_notify_parent()
 * to the real parent): a tracer's notice.  3210's waitpid reaps it.
 */
static void case_tracer_handoff(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3200, 1, "gdb", 0);
	snap_proc(&t, 3210, 1, "app", 0);
	fork_ev(&t, 1.0, 3210, 3211, "child");
	die_quiet(&t, 2.0, 3211, 5);
	sigchld(&t, 2.011, 3211, 3200, 1, 0);   /* to the tracer first */
	wait4_enter(&t, 2.5, 3200, -1, 0);
	sigchld(&t, 2.52, 3200, 3210, 1, 1);    /* the hand-off */
	wait_exit(&t, 2.53, 3200, WT_SYS_WAIT4, 3211);
	wait4(&t, 3.0, 3210, 3211, 0, 3211);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT outcome FROM wait_call WHERE tid = 3200"),
		  "traced", "the tracer's return is an exit notice");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 3211"),
		  3210, "the real parent reaps");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'reparent_corrected'"), 0, "no parent changed");
	t_close(&t);
}

/* ---- R14: a thread's exit hands its children to a live thread ---- */

/*
 * Thread 3301 of process 3300 forks 3310 and exits: 3310 moves to thread
 * 3300 (find_alive_thread()), whose wait4(-1, __WNOTHREAD) then finds it
 * on its own list.
 */
static void case_thread_exit(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3300, 1, "mt", 0);
	snap(&t, true, MS(0.1), 3300, 3301, 1, 'S', BASE - 4000000000LL, 0, "w");
	fork_ev(&t, 1.0, 3301, 3310, "c");
	exit_ev(&t, 2.0, 3301, false);
	die_quiet(&t, 3.0, 3310, 0);
	sigchld(&t, 3.011, 3310, 3300, 1, 1);
	wait4(&t, 4.0, 3300, -1, WNOTHREAD, 3310);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT reason || ' ' || from_tid || ' ' || to_tid"
			 " FROM reparent"), "thread 3301 3300", "threaded move");
	EXPECT_INT(q_int(&t, "SELECT parent_tid FROM process WHERE pid = 3310"),
		  3300, "its real parent thread now");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_agrees'"), 1, "found on 3300's own list");
	t_close(&t);
}

/*
 * The same on a kernel whose sched_process_exit has no group_dead (before
 * 6.13: every Debian kernel of the QEMU matrix): the model counts the
 * live threads.  A thread that forked children exits after its sibling
 * forked one: the moved children go after the sibling's on its list
 * (forget_original_parent() appends), so the scan finds the sibling's
 * own child first.
 */
static void case_thread_exit_old_kernel(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3350, 1, "mt", 0);
	snap(&t, true, MS(0.1), 3350, 3351, 1, 'S', BASE - 4000000000LL, 0, "w");
	fork_ev(&t, 1.0, 3351, 3360, "b1");
	fork_ev(&t, 1.1, 3350, 3361, "m1");
	exit_ev_old(&t, 2.0, 3351);
	die_quiet(&t, 3.0, 3360, 0);
	sigchld(&t, 3.011, 3360, 3350, 1, 1);
	die_quiet(&t, 3.1, 3361, 0);
	sigchld(&t, 3.111, 3361, 3350, 1, 1);
	waitid(&t, 4.0, 3350, WT_P_ALL, 0, WEXITED, 0);
	waitid(&t, 4.1, 3350, WT_P_ALL, 0, WEXITED, 0);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT reason || ' ' || from_tid || ' ' || to_tid"
			 " FROM reparent"), "thread 3351 3350",
		  "a thread's exit, not the process's");
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT COALESCE("
			 "c.pid, '?') AS x FROM wait_call w LEFT JOIN process c"
			 " ON c.upid = w.reaped_upid ORDER BY w.id)"),
		  "3361,3360", "the sibling's own child first");
	EXPECT_INT(q_int(&t, "SELECT exit_ns IS NULL FROM process WHERE"
			" pid = 3350"), 1, "the process lives on");
	t_close(&t);
}

/* ---- R15: snapshots: a zombie's status, a namespace's pids ---- */

/*
 * The start snapshot has a zombie (stat field 52: status 0x700, exited 7)
 * and a container: 3400 is pid 1 and 3401 pid 2 of namespace 777.  3401
 * exits; 3400's wait4(-1) returns 2.  Then 3400 waits for its pid 5, which
 * sched_process_wait says is host pid 3405 (forked before, unseen): the
 * namespace pid is learned.
 */
static void case_snapshot_facts(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 3390, 1, "p", 0);
	struct wt_proc_entry z = {
		.at_start = true, .snap_ts = MS(0.1), .tgid = 3391, .tid = 3391,
		.ppid = 3390, .state = 'Z', .start_ns = BASE - 3000000000LL,
		.comm = "z", .pgid = -1, .has_exit_code = true,
		.exit_code = 0x700,
	};
	CHECK(wt_model_proc(t.m, &z) == 0, "zombie line");
	int n0[] = { 3400, 1 }, n1[] = { 3401, 2 }, n5[] = { 3405, 5 };
	snap_ns(&t, 3400, 3390, "tini", 777, 2, n0);
	snap_ns(&t, 3401, 3400, "sh", 777, 2, n1);
	snap_ns(&t, 3405, 3400, "app", 777, 2, n5);
	die(&t, 1.0, 3401, 0);
	wait4(&t, 2.0, 3400, -1, 0, 2);
	wait4_enter(&t, 3.0, 3400, 5, WNOHANG);
	wait_target(&t, 3.01, 3400, 3405);
	wait_exit(&t, 3.02, 3400, WT_SYS_WAIT4, 0);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT s.status || ' ' || p.exit_source FROM"
			 " process p JOIN process_status s ON s.upid = p.upid"
			 " WHERE p.pid = 3391"), "exited 7 snapshot",
		  "the zombie's status from stat field 52");
	EXPECT_INT(q_int(&t, "SELECT c.pid FROM wait_call w JOIN process c ON"
			" c.upid = w.reaped_upid WHERE w.ret = 2"), 3401,
		  "pid 2 of the namespace is 3401");
	EXPECT_STR(q_text(&t, "SELECT c.pid || ' ' || w.target_basis FROM"
			 " wait_call w JOIN process c ON c.upid = w.target_upid"
			 " WHERE w.pid_arg = 5"), "3405 event",
		  "the target of waitpid(5) inside the namespace");
	EXPECT_STR(q_text(&t, "SELECT inode || ' ' || level || ' ' || source ||"
			 " ' ' || (SELECT pid FROM process WHERE upid ="
			 " init_upid) FROM pidns WHERE level = 1"),
		  "777 1 snapshot 3400", "the namespace from the snapshot");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'returned_unseen_pid'"), 0, "nothing unseen");
	t_close(&t);
}

/* ---- R16: a tracer that is the real parent: stops are reports ---- */

/*
 * strace (3500) forks the command 3501 and traces it.  Each time 3501
 * stops (a syscall or signal stop: ptrace_stop() sends the tracer a
 * SIGCHLD with CLD_TRAPPED first), the kernel reports the stop to 3500:
 * wait4(-1, __WALL) returns 3501 while it is alive, and so does a
 * wait4(3501, 0) - a tracer gets its tracee's stops without WSTOPPED
 * (wait_task_stopped(ptrace=1)).  None of those is an exit.  3501 exits;
 * 3500's next wait4 reaps it: the one reap.
 */
static void case_tracer_parent_stops(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3500, 1, "strace", 0);
	fork_ev(&t, 1.0, 3500, 3501, "prog");
	sigchld(&t, 1.4, 3501, 3500, CLD_TRAPPED, 0); /* ptrace_stop() */
	wait4(&t, 1.5, 3500, 3501, 0, 3501);
	sigchld(&t, 1.9, 3501, 3500, CLD_TRAPPED, 0);
	wait4(&t, 2.0, 3500, -1, WALL, 3501);
	wait4(&t, 2.1, 3500, -1, WALL | WNOHANG, 0);
	sigchld(&t, 2.4, 3501, 3500, CLD_TRAPPED, 0);
	wait4(&t, 2.5, 3500, -1, WALL, 3501);
	die(&t, 3.0, 3501, 4);
	wait4(&t, 3.5, 3500, -1, WALL, 3501);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(outcome, ' ') FROM (SELECT"
			 " outcome FROM wait_call ORDER BY id)"),
		  "report report nothing report reaped",
		  "stops of a live tracee are reports; its exit is the reap");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE reaped_upid"
			" IS NOT NULL"), 1, "one call reaped 3501");
	EXPECT_INT(q_int(&t, "SELECT c.reap_call_id = max(w.id) FROM process c,"
			" wait_call w WHERE c.pid = 3501"), 1,
		  "the last call is its reap");
	EXPECT_INT(q_int(&t, "SELECT sum(calls) FROM wait_outcome WHERE"
			" outcome = 'reaped'"), 1, "the summary counts one reap");
	t_close(&t);
}

/* ---- R17: a tracer's __WALL wait names a traced thread by its tid ---- */

/*
 * strace (3600) traces its command 3601, which starts thread 3602.  The
 * kernel reports each traced task on its own (ptrace_do_wait() walks the
 * tracee list, threads included, with __WALL): wait4(-1, __WALL) returns
 * 3602 for a stop of that thread, and again when the thread exits.  3602
 * is a thread of 3601, not a process: no child is reaped or invented.
 * Then 3601 exits and strace reaps it.
 */
static void case_tracer_thread(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3600, 1, "strace", 0);
	fork_ev(&t, 1.0, 3600, 3601, "node");
	newtask(&t, 1.2, 3601, 3602, CLONE_THREAD);
	fork_ev(&t, 1.2, 3601, 3602, "node");
	sigchld(&t, 1.4, 3602, 3600, CLD_TRAPPED, 0);
	wait4(&t, 1.5, 3600, -1, WALL, 3602);
	exit_ev(&t, 2.0, 3602, false);
	wait4(&t, 2.5, 3600, -1, WALL, 3602);
	die(&t, 3.0, 3601, 0);
	wait4(&t, 3.5, 3600, -1, WALL, 3601);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(outcome, ' ') FROM (SELECT"
			 " outcome FROM wait_call ORDER BY id)"),
		  "report traced reaped",
		  "the thread's stop, the thread's exit notice, the reap");
	EXPECT_INT(q_int(&t, "SELECT count(DISTINCT c.pid) FROM wait_call w JOIN"
			" process c ON c.upid = w.child_upid WHERE c.pid ="
			" 3601"), 1, "both notices name the thread's process");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 3602"), 0,
		  "no process for the thread's tid");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'returned_unseen_pid'"), 0, "nothing unseen");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 3601"),
		  3600, "strace reaps its command");
	t_close(&t);
}

/* ---- R18: only exits are compared with the replayed scan ---- */

/*
 * strace (3700) traces its command 3701, which forks 3702.  strace's
 * wait4(-1, __WALL) returns 3701 three times for stops (reports), then
 * 3702's exit (a tracer's notice: 3702 is not on strace's children lists
 * at all).  3701 reaps 3702, strace reaps 3701.  The replay of do_wait()'s
 * scan models which zombie a wait takes: it says nothing about stops or a
 * tracer's notices, so only the two reaps are compared, and both agree.
 */
static void case_replay_only_exits(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3700, 1, "strace", 0);
	fork_ev(&t, 1.0, 3700, 3701, "sh");
	for (int i = 0; i < 3; i++) {
		sigchld(&t, 1.19 + 0.1 * i, 3701, 3700, CLD_TRAPPED, 0);
		wait4(&t, 1.2 + 0.1 * i, 3700, -1, WALL, 3701);
	}
	fork_ev(&t, 1.6, 3701, 3702, "true");
	die_quiet(&t, 2.0, 3702, 0);
	sigchld(&t, 2.011, 3702, 3700, 1, 0);   /* to the tracer first */
	wait4_enter(&t, 2.5, 3700, -1, WALL);
	sigchld(&t, 2.52, 3700, 3701, 1, 0);    /* handed to the parent */
	wait_exit(&t, 2.53, 3700, WT_SYS_WAIT4, 3702);
	wait4(&t, 3.0, 3701, -1, 0, 3702);
	die(&t, 4.0, 3701, 0);
	wait4(&t, 4.5, 3700, -1, WALL, 3701);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(outcome, ' ') FROM (SELECT"
			 " outcome FROM wait_call ORDER BY id)"),
		  "report report report traced reaped reaped", "outcomes");
	EXPECT_INT(q_int(&t, "SELECT COALESCE(sum(count), 0) FROM model_check"
			" WHERE name IN ('replay_saw_none', 'replay_disagrees')"),
		  0, "no disagreement from stops or notices");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'replay_agrees'"), 2, "the two reaps agree");
	t_close(&t);
}

/* ---- R19: a ptraced zombie is its tracer's until the hand-off ---- */

/*
 * 3800 ptraces 3811, the child of 3810.  3811 exits: exit_notify() tells
 * only the tracer (SIGCHLD to 3800); "a zombie ptracee is only visible to
 * its ptracer" (wait_consider_task()), so 3810's waitid(P_ALL, WEXITED |
 * WNOHANG) finds nothing.  3800's wait4 takes the exit and hands the
 * zombie on (SIGCHLD to 3810 inside that call); now 3810's waitid(P_ALL,
 * WEXITED) reaps it.
 */
static void case_ptraced_zombie(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3800, 1, "strace", 0);
	snap_proc(&t, 3810, 1, "python", 0);
	fork_ev(&t, 1.0, 3810, 3811, "worker");
	die_quiet(&t, 2.0, 3811, 0);
	sigchld(&t, 2.011, 3811, 3800, 1, 0);   /* to the tracer only */
	waitid(&t, 2.2, 3810, WT_P_ALL, 0, WEXITED | WNOHANG, 0);
	wait4_enter(&t, 2.5, 3800, -1, WALL);
	sigchld(&t, 2.52, 3800, 3810, 1, 1);    /* the hand-off */
	wait_exit(&t, 2.53, 3800, WT_SYS_WAIT4, 3811);
	waitid(&t, 3.0, 3810, WT_P_ALL, 0, WEXITED, 0);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(outcome, ' ') FROM (SELECT"
			 " outcome FROM wait_call ORDER BY id)"),
		  "nothing traced reaped",
		  "invisible to the parent until the tracer hands it on");
	EXPECT_INT(q_int(&t, "SELECT w.enter_ns FROM wait_call w JOIN process c"
			" ON c.reap_call_id = w.id WHERE c.pid = 3811"),
		  (long long)MS(3.0), "the parent's second waitid reaps it");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'empty_but_waitable'"), 0,
		  "finding nothing before the hand-off is no disagreement");
	t_close(&t);
}

/* ---- R20: a live child returned without a stop: its exit was missed ---- */

/*
 * 3900 forks 3901, which exits; waitpid(3901) reaps it.  3900 forks again
 * and the kernel hands out 3901 once more.  The trace has that second
 * instance's fork but not its exit (the recorder's pid filter dropped the
 * pid when the first instance's task was freed, an RCU grace period after
 * the new one was born).  waitpid(3901, 0) returns 3901: without WSTOPPED
 * and with no stop notified (no CLD_STOPPED/CLD_TRAPPED SIGCHLD from it),
 * the kernel can only have returned its exit.  The reap is presumed and
 * the missing exit counted.
 */
static void case_exit_unseen(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 3900, 1, "wtwork", 0);
	fork_ev(&t, 1.0, 3900, 3901, "a");
	die(&t, 1.5, 3901, 61);
	wait4(&t, 2.0, 3900, 3901, 0, 3901);
	fork_ev(&t, 3.0, 3900, 3901, "b");
	wait4(&t, 4.0, 3900, 3901, 0, 3901);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(outcome, ' ') FROM (SELECT"
			 " outcome FROM wait_call ORDER BY id)"), "reaped reaped",
		  "each instance reaped by its own call");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 3901 AND"
			" reap_call_id IS NOT NULL"), 2, "two instances reaped");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'exit_unseen'"), 1, "the missing exit is counted");
	t_close(&t);
}


/*
 * A child that dies while its father is between its exit event and
 * exit_notify(): its SIGCHLD goes to the father, whose
 * forget_original_parent() then hands it on as a zombie, with a notice of
 * its own to the new parent (reparent_leader()).  Seen live in
 * e2e_subreaper when the father was preempted in do_exit().
 */
static void case_exit_before_move(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1, 0, "init", 0);
	snap_proc(&t, 2300, 1, "sup", 0);
	subreaper(&t, 0.5, 2300, true);
	fork_ev(&t, 1.0, 2300, 2301, "mid");
	fork_ev(&t, 1.1, 2301, 2302, "grand");
	die_quiet(&t, 2.0, 2301, 1);          /* its exit event only */
	die_quiet(&t, 2.1, 2302, 2);
	sigchld(&t, 2.111, 2302, 2301, 1, 1); /* to the dying father */
	sigchld(&t, 2.2, 2301, 2300, 1, 1);   /* the hand-on of 2302 */
	sigchld(&t, 2.201, 2301, 2300, 1, 1); /* 2301's own */
	waitid(&t, 3.0, 2300, WT_P_ALL, 0, WEXITED, 0);
	waitid(&t, 3.1, 2300, WT_P_ALL, 0, WEXITED, 0);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(x) FROM (SELECT COALESCE("
			 "c.pid, '?') || ':' || w.outcome AS x FROM wait_call w"
			 " LEFT JOIN process c ON c.upid = w.reaped_upid"
			 " ORDER BY w.id)"), "2301:reaped,2302:reaped",
		  "the subreaper reaps its child, then the zombie handed on");
	EXPECT_STR(q_text(&t, "SELECT c.pid || ':' || r.reason || ':' ||"
			 " r.zombie FROM reparent r JOIN process c ON c.upid ="
			 " r.upid"), "2302:subreaper:1",
		  "moved as a zombie");
	EXPECT_INT(q_int(&t, "SELECT COALESCE(sum(count), 0) FROM model_check"
			" WHERE kind = 'disagreement'"), 0, "no disagreement");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0,
		  "no zombie left");
	t_close(&t);
}

static const struct {
	int id;
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ 1, "do_wait() scan order across threads", case_scan_order },
	{ 2, "the return value wins over the replay", case_replay_disagrees },
	{ 3, "a subreaper inherits orphans", case_subreaper },
	{ 4, "a subreaper learned from the kernel's notice",
	  case_subreaper_learned },
	{ 5, "pid namespace by CLONE_NEWPID", case_pidns_clone },
	{ 6, "namespace teardown, unshare", case_pidns_teardown },
	{ 7, "pidfd targets and a pidfd steal", case_pidfd },
	{ 8, "steals and double waits", case_steals },
	{ 9, "undecided WNOHANG waitid", case_deferred },
	{ 10, "fatal signals of every class", case_fatal_signals },
	{ 11, "SA_NOCLDWAIT", case_nocldwait },
	{ 12, "error classes", case_error_classes },
	{ 13, "a tracer hands an exit on", case_tracer_handoff },
	{ 14, "a thread's exit moves its children", case_thread_exit },
	{ 15, "snapshot exit codes and namespace pids", case_snapshot_facts },
	{ 16, "a tracer's stops of its own child", case_tracer_parent_stops },
	{ 17, "a tracer's notices of a traced thread", case_tracer_thread },
	{ 18, "only exits are compared with the replay", case_replay_only_exits },
	{ 19, "a ptraced zombie waits for the hand-off", case_ptraced_zombie },
	{ 20, "a live child returned: its exit was missed", case_exit_unseen },
	{ 21, "a child dies before its dying father hands it on",
	  case_exit_before_move },
	{ 22, "a thread's exit on a kernel without group_dead",
	  case_thread_exit_old_kernel },
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
