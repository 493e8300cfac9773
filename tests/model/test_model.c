/*
 * test_model.c - unit tests of the wtrec model, its SQL reports and output
 * formats.  No kernel needed: each case feeds hand-built wt_event /
 * wt_proc_entry sequences (what the decoder would deliver) to the model,
 * loads a database, and checks rows and report results with SQL.
 *
 * Ground truth is the scenario itself: the events say which child exited
 * with what and which call returned it, so the expected rows are known
 * without looking at the model's code.
 *
 *   test_model                 run every case; exit 1 if any check failed
 *   test_model --write-db DB   write a database holding all scenarios (two
 *                              recordings) for the sqlite3 CLI report tests
 */
#include "harness.h"
#include "result_format.h"
#include "report.h"
#include "sql_embed.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- scenarios ---------------------------------------------------------- */

/* Parent 100 (bash), child 101 exits 3, reaped by wait4(-1). */
static void scen_basic(struct t *t)
{
	snap_proc(t, 1, 0, "init", 0);
	snap_proc(t, 100, 1, "bash", 0);
	newtask(t, 1.0, 100, 101, 0x11);
	fork_ev(t, 1.0, 100, 101, "bash");
	ev(t, (struct wt_event){ .ts = MS(1.2), .type = WT_EV_EXEC,
				 .tid = 101, .exec = { 101 },
				 .str = "/usr/bin/sleep" });
	wait4_enter(t, 1.5, 100, -1, 0);
	die_quiet(t, 2.0, 101, 3);
	sigchld(t, 2.02, 101, 100, 1, 0);
	wait_exit(t, 2.1, 100, WT_SYS_WAIT4, 101);
	free_ev(t, 2.5, 101);
	/* and a P_PID wait for an already reaped child */
	wait4(t, 3.0, 100, 101, 0, -10);
}

static void case_basic(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_basic(&t);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 101"),
		  1, "rows of pid 101");
	EXPECT_INT(q_int(&t, "SELECT exit_code FROM process WHERE pid = 101"),
		  3, "exit_code");
	EXPECT_INT(q_int(&t, "SELECT exit_signal FROM process WHERE pid = 101"),
		  NUL, "exit_signal");
	EXPECT_STR(q_text(&t, "SELECT comm FROM process WHERE pid = 101"),
		  "sleep", "comm after exec");
	EXPECT_INT(q_int(&t, "SELECT exit_ns FROM process WHERE pid = 101"),
		  (long long)MS(2.01), "exit_ns");
	EXPECT_INT(q_int(&t, "SELECT reaped_ns FROM process WHERE pid = 101"),
		  (long long)MS(2.1), "reaped_ns");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 101"),
		  100, "reaper_tid");
	EXPECT_INT(q_int(&t, "SELECT reaper_upid = (SELECT upid FROM process"
			" WHERE pid = 100) FROM process WHERE pid = 101"),
		  1, "reaper_upid is bash");
	EXPECT_INT(q_int(&t, "SELECT parent_upid = (SELECT upid FROM process"
			" WHERE pid = 100) FROM process WHERE pid = 101"),
		  1, "parent_upid is bash");
	EXPECT_INT(q_int(&t, "SELECT c.reap_call_id = w.id AND w.reaped_upid ="
			" c.upid FROM process c, wait_call w WHERE c.pid = 101"
			" AND w.ret = 101"), 1, "reap_call_id <-> reaped_upid");
	EXPECT_STR(q_text(&t, "SELECT idtype || ' ' || options_text || ' ' ||"
			 " outcome FROM wait_call WHERE ret = 101"),
		  "P_ALL 0 reaped", "reaping call");
	EXPECT_STR(q_text(&t, "SELECT idtype || ' ' || target || ' ' ||"
			 " errno_name || ' ' || outcome FROM wait_call"
			 " WHERE ret < 0"), "P_PID 101 ECHILD error",
		  "failed P_PID call");
	EXPECT_INT(q_int(&t, "SELECT sigchld_result FROM process WHERE"
			" pid = 101"), 0, "sigchld seen");
	EXPECT_INT(q_int(&t, "SELECT freed_ns FROM process WHERE pid = 101"),
		  (long long)MS(2.5), "freed_ns");
	EXPECT_STR(report_cell(&t, "children", "status", 0), "exited 3",
		  "children: status");
	EXPECT_STR(report_cell(&t, "children", "latency_ms", 0), "0.090",
		  "children: latency");
	EXPECT_STR(report_cell(&t, "children", "reap_call", 0),
		  "1 wait4(P_ALL)", "children: reap call");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0,
		  "no zombies");
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 0,
		  "no autoreap");
	/* waitpid(101) after the same thread's wait(-1) took 101: stolen
	 * too (a SIGCHLD handler's loop does exactly this) */
	EXPECT_INT(report_rows(&t, "stolen", NULL, 0, NULL, 0), 1,
		  "stolen by an earlier call of the same thread");
	EXPECT_STR(report_cell(&t, "stolen", "thief_call", 0), "1",
		  "thief is the wait4(-1)");
	t_close(&t);
}

/* Signals: 201 killed by SIGTERM; 202 (threads 202, 203): exit_group(7)
 * by 203, then the kernel delivers SIGKILL to 202: exit 7 wins. */
static void scen_signals(struct t *t)
{
	snap_proc(t, 200, 1, "sup", 0);
	fork_ev(t, 1.0, 200, 201, "sup");
	fork_ev(t, 1.1, 200, 202, "sup");
	newtask(t, 1.2, 202, 203, CLONE_THREAD | 0xf00);
	fork_ev(t, 1.2, 202, 203, "sup");
	sig_deliver(t, 2.0, 201, 15);
	exit_ev(t, 2.01, 201, true);
	exit_group(t, 3.0, 203, 7);
	sig_deliver(t, 3.01, 202, 9);
	exit_ev(t, 3.02, 203, false);
	exit_ev(t, 3.03, 202, true);
	/* a stop signal's default action does not kill */
	fork_ev(t, 3.5, 200, 204, "sup");
	sig_deliver(t, 3.6, 204, 19);
	wait4(t, 4.0, 200, -1, 0, 201);
	wait4(t, 4.2, 200, 202, 0, 202);
}

static void case_signals(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_signals(&t);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT exit_signal FROM process WHERE pid = 201"),
		  15, "201 exit_signal");
	EXPECT_INT(q_int(&t, "SELECT exit_code FROM process WHERE pid = 201"),
		  NUL, "201 exit_code NULL");
	EXPECT_STR(q_text(&t, "SELECT status FROM process_status JOIN process"
			 " USING (upid) WHERE pid = 201"), "killed SIGTERM",
		  "201 status text");
	EXPECT_INT(q_int(&t, "SELECT exit_code FROM process WHERE pid = 202"),
		  7, "202 exit_code: exit_group before SIGKILL");
	EXPECT_INT(q_int(&t, "SELECT exit_signal FROM process WHERE pid = 202"),
		  NUL, "202 exit_signal NULL");
	EXPECT_INT(q_int(&t, "SELECT exit_ns FROM process WHERE pid = 204"),
		  NUL, "204 stopped, not dead");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 203"),
		  0, "thread 203 is no process");
	t_close(&t);
}

/* waitid(P_ALL) success: the child is inferred - the earliest forked of
 * the exited, unreaped ones. */
static void scen_waitid(struct t *t)
{
	snap_proc(t, 300, 1, "py", 0);
	fork_ev(t, 1.0, 300, 301, "a");
	fork_ev(t, 1.1, 300, 302, "b");
	fork_ev(t, 1.2, 300, 303, "c");
	die(t, 2.0, 303, 33);
	die(t, 2.1, 301, 31);
	die(t, 2.2, 302, 32);
	waitid(t, 3.0, 300, WT_P_ALL, 0, WEXITED | WNOWAIT, 0); /* peek */
	waitid(t, 3.1, 300, WT_P_ALL, 0, WEXITED, 0);   /* 301 */
	waitid(t, 3.2, 300, WT_P_ALL, 0, WEXITED, 0);   /* 302 */
	waitid(t, 3.3, 300, WT_P_PID, 303, WEXITED, 0); /* 303 */
	waitid(t, 3.4, 300, WT_P_ALL, 0, WEXITED | WNOHANG, 0); /* nothing */
}

static void case_waitid(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_waitid(&t);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE outcome ="
			" 'report' AND reaped_upid IS NULL"), 1,
		  "WNOWAIT peek is no reap");
	EXPECT_STR(q_text(&t, "SELECT group_concat(c.pid) FROM (SELECT"
			 " c.pid FROM wait_call w JOIN process c ON c.upid ="
			 " w.reaped_upid ORDER BY w.id) c"), "301,302,303",
		  "inferred order");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE"
			" reap_inferred = 1"), 2, "reap_inferred (P_ALL only)");
	EXPECT_STR(q_text(&t, "SELECT group_concat(reap_basis) FROM (SELECT"
			 " reap_basis FROM wait_call WHERE reaped_upid IS NOT"
			 " NULL ORDER BY id)"), "replay,replay,target",
		  "reap_basis: P_ALL replayed, P_PID its target");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'reap_inferred_by_replay'"), 2, "model_check replay");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'reap_inferred_among_several'"), 2,
		  "301, 302, 303 then 302, 303 were waitable together");
	EXPECT_INT(q_int(&t, "SELECT reap_call_id FROM process WHERE pid = 301"
			), q_int(&t, "SELECT id FROM wait_call WHERE enter_ns ="
				 " 1000003100000"), "301 reaped by 2nd call");
	EXPECT_STR(q_text(&t, "SELECT outcome FROM wait_call ORDER BY id DESC"
			 " LIMIT 1"), "nothing", "WNOHANG, no zombie left");
	EXPECT_STR(q_text(&t, "SELECT options_text FROM wait_call ORDER BY id"
			 " LIMIT 1"), "WEXITED|WNOWAIT", "waitid options text");
	t_close(&t);
}

/* Stolen: thread 401 waitpid(410) fails ECHILD because thread 402's
 * wait4(-1) reaped 410 first; 411's waitpid is still blocked at the end
 * while 402 reaped 411 too.  401's second waitpid(412) after its own
 * waitpid(412) reaped it is a double wait, not a steal. */
static void scen_stolen(struct t *t)
{
	snap_proc(t, 400, 1, "server", 0);
	snap(t, true, MS(0.1), 400, 401, 1, 'S', BASE - 4000000000LL, 0,
	     "worker");
	snap(t, true, MS(0.1), 400, 402, 1, 'S', BASE - 4000000000LL, 0,
	     "reaper");
	fork_ev(t, 1.0, 401, 410, "job");
	fork_ev(t, 1.5, 401, 411, "job2");
	wait4_enter(t, 2.0, 402, -1, 0);
	die(t, 3.0, 410, 0);
	wait_exit(t, 3.1, 402, WT_SYS_WAIT4, 410);
	wait4(t, 4.0, 401, 410, 0, -10);            /* victim: ECHILD */
	wait4_enter(t, 5.0, 401, 411, 0);           /* victim: blocked */
	wait4_enter(t, 5.1, 402, -1, 0);
	die(t, 6.0, 411, 0);
	wait_exit(t, 6.1, 402, WT_SYS_WAIT4, 411);
	/* a double wait: 401 reaps 412 itself, then waits for it again */
	fork_ev(t, 7.0, 401, 412, "job3");
	die(t, 7.5, 412, 0);
	wait4(t, 8.0, 401, 412, 0, 412);
	wait4(t, 8.5, 401, 412, 0, -10);
}

static void case_stolen(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_stolen(&t);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "stolen", NULL, 0, NULL, 0), 2,
		  "stolen rows");
	long long victim = q_int(&t, "SELECT id FROM wait_call WHERE tid ="
				 " 401 AND errno_name = 'ECHILD'");
	long long thief = q_int(&t, "SELECT id FROM wait_call WHERE ret ="
				" 410");
	char want[64];
	snprintf(want, sizeof(want), "%lld", victim);
	EXPECT_STR(report_cell(&t, "stolen", "victim_call", 0), want,
		  "victim call");
	snprintf(want, sizeof(want), "%lld", thief);
	EXPECT_STR(report_cell(&t, "stolen", "thief_call", 0), want,
		  "thief call");
	EXPECT_STR(report_cell(&t, "stolen", "child_pid", 0), "410",
		  "child pid");
	EXPECT_STR(report_cell(&t, "stolen", "thief_site", 0), "wait4(P_ALL)",
		  "thief site");
	EXPECT_STR(report_cell(&t, "stolen", "gap_ms", 0), "0.950",
		  "gap 4.05 - 3.1");
	EXPECT_STR(report_cell(&t, "stolen", "victim_result", 1),
		  "blocked at end", "blocked victim");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call WHERE exit_ns IS"
			" NULL AND outcome = 'blocked'"), 1, "blocked call");
	EXPECT_INT(report_rows(&t, "double_wait", NULL, 0, NULL, 0), 1,
		  "the double wait");
	EXPECT_STR(report_cell(&t, "double_wait", "child_pid", 0), "412",
		  "of 412");
	t_close(&t);
}

/* Auto-reap: parent 500 ignores SIGCHLD; 501 exits, is freed, no SIGCHLD
 * is generated; the parent's wait gets ECHILD.  Parent 510 has no SigIgn
 * evidence, but no SIGCHLD was generated for 511's exit either. */
static void scen_autoreap(struct t *t)
{
	snap_proc(t, 500, 1, "daemon", SIGCHLD_IGN_MASK | 0x1000);
	snap_proc(t, 510, 1, "d2", 0);
	fork_ev(t, 1.0, 500, 501, "helper");
	die(t, 2.0, 501, 0);
	free_ev(t, 2.3, 501);
	wait4(t, 3.0, 500, -1, 0, -10);
	fork_ev(t, 4.0, 510, 511, "h2");
	die_quiet(t, 5.0, 511, 0);
	free_ev(t, 5.3, 511);
}

static void case_autoreap(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_autoreap(&t);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 2,
		  "autoreap rows");
	EXPECT_STR(report_cell(&t, "autoreap", "pid", 0), "501", "pid");
	EXPECT_STR(report_cell(&t, "autoreap", "evidence", 0),
		  "the parent ignores SIGCHLD (SigIgn in a snapshot): released"
		  " at its exit", "evidence SigIgn");
	EXPECT_STR(report_cell(&t, "autoreap", "parent_echild_waits", 0), "1",
		  "ECHILD waits");
	EXPECT_STR(report_cell(&t, "autoreap", "evidence", 1),
		  "no SIGCHLD was generated for its exit: the parent's SIGCHLD"
		  " is SIG_IGN, so the kernel released it at once",
		  "evidence no SIGCHLD");
	EXPECT_STR(report_cell(&t, "autoreap", "released_ms", 1), "5.010",
		  "released at its exit");
	EXPECT_INT(q_int(&t, "SELECT ignores_sigchld FROM process WHERE"
			" pid = 500"), 1, "ignores_sigchld");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0,
		  "auto-reaped are no zombies");
	t_close(&t);
}

/* Zombies: 601 exits and is never reaped; 602 is a zombie at start and
 * stays one; 603 is reaped (not a zombie). */
static void scen_zombies(struct t *t, bool stop_snapshot)
{
	snap_proc(t, 600, 1, "lazy", 0);
	snap(t, true, MS(0.1), 602, 602, 600, 'Z', BASE - 1000000000LL, 0,
	     "old");
	fork_ev(t, 1.0, 600, 601, "kid");
	fork_ev(t, 1.1, 600, 603, "kid3");
	die(t, 2.0, 601, 1);
	die(t, 2.5, 603, 0);
	wait4(t, 3.0, 600, 603, 0, 603);
	if (!stop_snapshot)
		return;
	uint64_t s = MS(9000);
	snap(t, false, s, 600, 600, 1, 'S', BASE - 5000000000LL, 0, "lazy");
	snap(t, false, s, 601, 601, 600, 'Z', MS(1.0), 0, "kid");
	snap(t, false, s, 602, 602, 600, 'Z', BASE - 1000000000LL, 0, "old");
}

static void case_zombies(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_zombies(&t, true);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 2,
		  "zombie rows");
	EXPECT_STR(report_cell(&t, "zombies", "pid", 0), "602",
		  "zombie at start first");
	EXPECT_STR(report_cell(&t, "zombies", "exited_ms", 0), "before start",
		  "zombie at start: exit unknown");
	EXPECT_STR(report_cell(&t, "zombies", "pid", 1), "601", "zombie 601");
	EXPECT_STR(report_cell(&t, "zombies", "age_at_end_ms", 1), "9997.990",
		  "age at end");
	EXPECT_STR(report_cell(&t, "zombies", "status", 1), "exited 1",
		  "zombie's status");
	EXPECT_STR(report_cell(&t, "zombies", "parent_wait_calls", 1), "1",
		  "the parent waited once");
	EXPECT_STR(report_cell(&t, "zombies", "parent_last_wait_ms", 1),
		  "3.000", "... after the zombie's exit, for another child");
	EXPECT_INT(q_int(&t, "SELECT zombie_at_start FROM process WHERE"
			" pid = 602"), 1, "602 zombie_at_start");
	EXPECT_INT(q_int(&t, "SELECT zombie_at_stop FROM process WHERE"
			" pid = 601"), 1, "601 zombie_at_stop");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 601"),
		  1, "stop snapshot matched the traced instance");
	t_close(&t);
	/* Without a stop snapshot: exited + unreaped + not freed = zombie. */
	cur_case = 60;
	t_begin(&t, NULL);
	scen_zombies(&t, false);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 2,
		  "zombie rows without stop snapshot");
	t_close(&t);
	cur_case = 6;
}

/* Pid reuse: two instances of pid 701, each reaped by its own call. */
static void scen_reuse(struct t *t)
{
	snap_proc(t, 700, 1, "loop", 0);
	/* 705 forked just before the snapshot read it: one instance */
	snap(t, true, MS(0.1), 705, 705, 700, 'S', MS(0.05) - 3000000, 0,
	     "early");
	fork_ev(t, 0.05, 700, 705, "early");
	fork_ev(t, 1.0, 700, 701, "one");
	die(t, 2.0, 701, 1);
	wait4(t, 2.5, 700, -1, 0, 701);
	free_ev(t, 2.7, 701);
	fork_ev(t, 3.0, 700, 701, "two");
	die(t, 4.0, 701, 2);
	wait4(t, 4.5, 700, 701, 0, 701);
	free_ev(t, 4.7, 701);
}

static void case_reuse(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_reuse(&t);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 701"),
		  2, "two instances");
	EXPECT_STR(q_text(&t, "SELECT group_concat(exit_code || ':' ||"
			 " COALESCE(w.target, '-'), ' ') FROM (SELECT"
			 " p.exit_code, w.target"
			 " FROM process p JOIN wait_call w ON w.id ="
			 " p.reap_call_id WHERE p.pid = 701 ORDER BY p.upid)"
			 " w"), "1:- 2:701", "each instance, its own reaper");
	EXPECT_INT(q_int(&t, "SELECT count(DISTINCT reaped_upid) FROM"
			" wait_call WHERE ret = 701"), 2, "distinct reaped");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 705"),
		  1, "fork just before snapshot: one row");
	EXPECT_INT(q_int(&t, "SELECT from_snapshot = 1 AND fork_ns IS NOT NULL"
			" FROM process WHERE pid = 705"), 1,
		  "705 from snapshot with fork seen");
	t_close(&t);
}

/* Polling: thread 800 spins (200 empty WNOHANG calls 1 ms apart, no
 * SIGCHLD); thread 850 is an event loop: each of 5 children's SIGCHLD is
 * followed by waitpid(-1, WNOHANG) until nothing is left, and it also
 * polls on a 20 ms timer like CPython's Pool handler (not spinning); 880
 * spins slowly (100 empty calls at 10 a second). */
static void scen_polling(struct t *t)
{
	snap_proc(t, 800, 1, "spinner", 0);
	snap_proc(t, 850, 1, "loop", 0);
	snap_proc(t, 880, 1, "slow", 0);
	for (int i = 0; i < 200; i++)
		wait4(t, 100.0 + i, 800, -1, WNOHANG, 0);
	fork_ev(t, 400.0, 800, 801, "k");
	die(t, 401.0, 801, 0);
	wait4(t, 402.0, 800, -1, WNOHANG, 801);
	wait4(t, 403.0, 800, -1, WNOHANG, -10);
	for (int i = 0; i < 5; i++) {
		double at = 500.0 + 100.0 * i;
		fork_ev(t, at, 850, 851 + i, "job");
		die_quiet(t, at + 50.0, 851 + i, 0);
		sigchld(t, at + 50.011, 851 + i, 850, 1, 0);
		wait4(t, at + 50.1, 850, -1, WNOHANG, 851 + i);
		wait4(t, at + 50.2, 850, -1, WNOHANG, i < 4 ? 0 : -10);
	}
	for (int i = 0; i < 60; i++)
		wait4(t, 1100.0 + 20.0 * i, 850, -1, WNOHANG, -10);
	for (int i = 0; i < 100; i++)
		wait4(t, 3000.0 + 100.0 * i, 880, -1, WNOHANG, 0);
}

static void case_polling(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_polling(&t);
	t_finish(&t);
	EXPECT_INT(report_rows(&t, "polling", NULL, 0, NULL, 0), 1,
		  "polling rows: the spinner only");
	EXPECT_STR(report_cell(&t, "polling", "tid", 0), "800", "tid");
	EXPECT_STR(report_cell(&t, "polling", "calls", 0), "202", "calls");
	EXPECT_STR(report_cell(&t, "polling", "undriven", 0), "200",
		  "undriven empty calls");
	EXPECT_STR(report_cell(&t, "polling", "empty_pct", 0), "99.0",
		  "empty %");
	EXPECT_STR(report_cell(&t, "polling", "undriven_per_s", 0), "660.0",
		  "200 empty calls over 303.05 ms (100.0 .. 403.05) of polling");
	EXPECT_STR(report_cell(&t, "polling", "why", 0),
		  "200 empty polls at 660/s with 1 SIGCHLD(s) for 202 calls",
		  "why");
	EXPECT_STR(q_text(&t, "SELECT options_text FROM wait_call LIMIT 1"),
		  "WNOHANG", "options text");
	EXPECT_STR(q_text(&t, "SELECT wnohang_calls || ' ' || wnohang_empty ||"
			 " ' ' || wnohang_echild || ' ' || wnohang_reaped ||"
			 " ' ' || wnohang_undriven FROM thread WHERE tid = 800"),
		  "202 200 1 1 200", "spinner's counters");
	EXPECT_STR(q_text(&t, "SELECT wnohang_calls || ' ' || wnohang_empty ||"
			 " ' ' || wnohang_echild || ' ' || wnohang_reaped ||"
			 " ' ' || wnohang_undriven FROM thread WHERE tid = 850"),
		  "70 4 61 5 0", "the loop's empty calls all follow a SIGCHLD");
	EXPECT_INT(q_int(&t, "SELECT sigchld_received FROM process WHERE"
			" pid = 850"), 5, "SIGCHLDs the loop received");
	EXPECT_INT(q_int(&t, "SELECT wnohang_undriven FROM thread WHERE"
			" tid = 880"), 100, "the slow poller is undriven...");
	t_close(&t);
}

/* Threads: CLONE_THREAD makes a thread; CLONE_PARENT a sibling. */
static void scen_threads(struct t *t)
{
	snap_proc(t, 1, 0, "init", 0);
	snap_proc(t, 900, 1, "app", 0);
	newtask(t, 1.0, 900, 901, CLONE_THREAD | 0x3d0f00);
	fork_ev(t, 1.0, 900, 901, "app");
	newtask(t, 1.5, 901, 902, CLONE_PARENT);
	fork_ev(t, 1.5, 901, 902, "sib");
	exit_ev(t, 2.0, 901, false);
	fork_ev(t, 2.5, 900, 903, "kid"); /* no newtask: a process */
	/* a non-leader thread execs: 904 takes the leader's tid 900 */
	newtask(t, 3.0, 900, 904, CLONE_THREAD);
	fork_ev(t, 3.0, 900, 904, "app");
	exit_ev(t, 3.5, 900, false);
	ev(t, (struct wt_event){ .ts = MS(3.6), .type = WT_EV_EXEC, .tid = 900,
				 .exec = { 904 }, .str = "/bin/newprog" });
	wait4(t, 4.0, 900, -1, WNOHANG, 0);
}

static void case_threads(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_threads(&t);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 901"),
		  0, "CLONE_THREAD: no process");
	EXPECT_INT(q_int(&t, "SELECT t.upid = p.upid FROM thread t, process p"
			" WHERE t.tid = 901 AND p.pid = 900"), 1,
		  "901 is a thread of 900");
	EXPECT_INT(q_int(&t, "SELECT end_ns FROM thread WHERE tid = 901"),
		  (long long)MS(2.0), "thread end");
	EXPECT_INT(q_int(&t, "SELECT exit_ns FROM process WHERE pid = 900"),
		  NUL, "thread exit does not end the process");
	EXPECT_INT(q_int(&t, "SELECT ppid FROM process WHERE pid = 902"), 1,
		  "CLONE_PARENT: parent's parent");
	EXPECT_INT(q_int(&t, "SELECT parent_upid = (SELECT upid FROM process"
			" WHERE pid = 1) FROM process WHERE pid = 902"), 1,
		  "CLONE_PARENT parent_upid");
	EXPECT_INT(q_int(&t, "SELECT ppid FROM process WHERE pid = 903"), 900,
		  "fork without newtask: a process");
	EXPECT_STR(q_text(&t, "SELECT comm FROM process WHERE pid = 900"),
		  "newprog", "exec comm");
	EXPECT_INT(q_int(&t, "SELECT w.utid = t.utid FROM wait_call w, thread t"
			" WHERE w.tid = 900 AND t.tid = 900 AND t.comm ="
			" 'newprog'"), 1, "exec'ing thread keeps its identity");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM thread WHERE upid = (SELECT"
			" upid FROM process WHERE pid = 900)"), 3,
		  "threads of 900");
	t_close(&t);
}

/* csv and json output of a result with awkward values. */
static char *capture(struct t *t, enum wt_format fmt, const char *sql,
		     int nsets)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct wt_report_batch b = { 0 };
	for (int i = 0; i < nsets; i++)
		CHECK(wt_report_add(&b, t->h, i ? "second" : "first", sql, err,
				    sizeof(err)) == 0, "add: %s", err);
	CHECK(wt_report_print(&b, f, fmt, err, sizeof(err)) == 0,
	      "print: %s", err);
	wt_report_batch_free(&b);
	fclose(f);
	return buf;
}

static void case_formats(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_basic(&t);
	t_finish(&t);
	const char *q = "SELECT 'a,b' AS x, 'say \"hi\"' AS y, 12 AS n,"
			" NULL AS z, 'l1' || char(10) || 'l2' AS w, 1.5 AS x";
	char *csv = capture(&t, WT_FMT_CSV, q, 1);
	EXPECT_STR(csv, "x,y,n,z,w,x\r\n\"a,b\",\"say \"\"hi\"\"\",12,,"
		  "\"l1\nl2\",1.5\r\n", "csv");
	free(csv);
	char *json = capture(&t, WT_FMT_JSON, q, 1);
	sqlite3_stmt *st = q_prep(&t, "SELECT json_valid(?1),"
				  " json_array_length(?1),"
				  " json_extract(?1, '$[0].y'),"
				  " json_extract(?1, '$[0].\"x:1\"'),"
				  " json_type(?1, '$[0].z')");
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_ROW, "json query");
	EXPECT_INT(sqlite3_column_int(st, 0), 1, "json_valid");
	EXPECT_INT(sqlite3_column_int(st, 1), 1, "json rows");
	EXPECT_STR((const char *)sqlite3_column_text(st, 2), "say \"hi\"",
		  "json string value");
	EXPECT_STR((const char *)sqlite3_column_text(st, 3), "1.5",
		  "json duplicate column renamed x:1");
	EXPECT_STR((const char *)sqlite3_column_text(st, 4), "null",
		  "json null");
	sqlite3_finalize(st);
	free(json);
	/* a whole report, two sets: an object of arrays */
	json = capture(&t, WT_FMT_JSON, wt_sql_get("children"), 2);
	st = q_prep(&t, "SELECT json_valid(?1), json_array_length(?1,"
		    " '$.first'), json_extract(?1, '$.second[0].status')");
	sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_ROW, "json query 2");
	EXPECT_INT(sqlite3_column_int(st, 0), 1, "json_valid (2 sets)");
	EXPECT_INT(sqlite3_column_int(st, 1), 1, "children rows in json");
	EXPECT_STR((const char *)sqlite3_column_text(st, 2), "exited 3",
		  "json report value");
	sqlite3_finalize(st);
	free(json);
	/* table: numbers right-aligned, text left */
	char *tab = capture(&t, WT_FMT_TABLE, "SELECT 'ab' AS name, 5 AS n"
			    " UNION ALL SELECT 'abcdef', 123", 1);
	EXPECT_STR(tab, "name      n\n------  ---\nab        5\nabcdef  123\n",
		  "table");
	free(tab);
	/* writes are refused */
	char err[256];
	struct wt_report_batch b = { 0 };
	CHECK(wt_report_add(&b, t.h, "sql", "DELETE FROM process", err,
			    sizeof(err)) < 0, "DELETE refused");
	wt_report_batch_free(&b);
	t_close(&t);
}

/* Odd inputs: wait exit without entry, interrupted waits, stop reports,
 * lost events, unknown tids, a ptrace-style double report. */
static void scen_misc(struct t *t)
{
	snap_proc(t, 1000, 1, "misc", 0);
	wait_exit(t, 0.5, 1000, WT_SYS_WAIT4, -512);  /* entered before */
	fork_ev(t, 1.0, 1000, 1001, "stopme");
	wait4(t, 2.0, 1000, 1001, WUNTRACED, 1001);   /* stop report */
	die(t, 3.0, 1001, 0);
	wait4(t, 3.5, 1000, -1, 0, 1001);             /* the reap */
	ev(t, (struct wt_event){ .ts = MS(4.0), .type = WT_EV_LOST, .cpu = 1,
				 .lost = { 7 } });
	t->lost = 7;
	wait4(t, 5.0, 1234, -1, 0, -4);               /* unknown tid */
	wait4(t, 6.0, 1000, 0, 0, -10);               /* own group */
	wait4(t, 6.5, 1000, -55, 0, -10);             /* pgid 55 */
	waitid(t, 7.0, 1000, WT_P_PIDFD, 3, WEXITED, -10);
}

static void case_misc(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_misc(&t);
	struct wt_cpu_stats s = { .cpu = 1, .entries = 10, .overrun = 7,
				  .commit_overrun = 0, .dropped = 0,
				  .read_events = 10, .missed_in_pages = 7 };
	CHECK(wt_model_stats(t.m, &s) == 0, "stats");
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT errno_name FROM wait_call WHERE enter_ns"
			 " IS NULL"), "ERESTARTSYS", "exit without entry");
	EXPECT_STR(q_text(&t, "SELECT outcome FROM wait_call WHERE options ="
			 " 2"), "report", "WUNTRACED report");
	EXPECT_STR(q_text(&t, "SELECT options_text FROM wait_call WHERE"
			 " options = 2"), "WSTOPPED",
		  "wait4's WUNTRACED is spelled WSTOPPED, as strace does");
	EXPECT_INT(q_int(&t, "SELECT reaped_ns FROM process WHERE pid = 1001"),
		  (long long)MS(3.55), "reaped by the later call");
	EXPECT_INT(q_int(&t, "SELECT lost_markers FROM stats WHERE cpu = 1"),
		  1, "lost marker");
	EXPECT_INT(q_int(&t, "SELECT overrun FROM stats WHERE cpu = 1"), 7,
		  "overrun");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM process WHERE pid = 1234"),
		  1, "unknown tid: process made lazily");
	EXPECT_STR(q_text(&t, "SELECT idtype || ':' || target FROM wait_call"
			 " WHERE pid_arg = 0"), "P_PGID:0", "wait4(0)");
	EXPECT_STR(q_text(&t, "SELECT idtype || ':' || target FROM wait_call"
			 " WHERE pid_arg = -55"), "P_PGID:55", "wait4(-55)");
	EXPECT_STR(q_text(&t, "SELECT idtype FROM wait_call WHERE syscall ="
			 " 'waitid'"), "P_PIDFD", "waitid P_PIDFD");
	sqlite3_stmt *st = q_prep(&t, wt_sql_get("summary"));
	bool lossy = false;
	while (st && sqlite3_step(st) == SQLITE_ROW)
		if (strstr((const char *)sqlite3_column_text(st, 1) ?
			   (const char *)sqlite3_column_text(st, 1) : "",
			   "LOSSY"))
			lossy = true;
	sqlite3_finalize(st);
	CHECK(lossy, "summary says LOSSY");
	FILE *devnull = fopen("/dev/null", "w");
	EXPECT_INT(wt_report_warn(t.h, devnull), 1, "lossy warning");
	fclose(devnull);
	t_close(&t);
}

/* ptrace: a tracer's wait returns the exited tracee first (the exit is
 * told to the tracer), then the real parent's wait reaps it. */
static void case_ptrace(void)
{
	struct t t;
	t_begin(&t, NULL);
	snap_proc(&t, 1100, 1, "parent", 0);
	snap_proc(&t, 1150, 1, "strace", 0);
	fork_ev(&t, 1.0, 1100, 1101, "traced");
	die(&t, 2.0, 1101, 4);
	wait4(&t, 2.5, 1150, -1, 0x40000000, 1101);
	wait4(&t, 3.0, 1100, 1101, 0, 1101);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 1101"),
		  1100, "real parent reaps");
	EXPECT_STR(q_text(&t, "SELECT outcome FROM wait_call WHERE tid = 1150"),
		  "traced", "the tracer's return is an exit notice, no reap");
	EXPECT_INT(q_int(&t, "SELECT ptraced FROM process WHERE pid = 1101"), 1,
		  "the child was ptraced");
	EXPECT_INT(q_int(&t, "SELECT count FROM model_check WHERE name ="
			" 'tracer_exit_notice'"), 1, "counted");
	EXPECT_STR(q_text(&t, "SELECT options_text FROM wait_call WHERE tid ="
			 " 1150"), "__WALL", "__WALL");
	t_close(&t);
}

/* Several recordings in one database: ids stay distinct. */
static void case_two_recordings(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_basic(&t);
	t_end_recording(&t, true);
	t_model(&t, "second.wtrec");
	scen_basic(&t);
	t_end_recording(&t, false);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM recording"), 2,
		  "recordings");
	EXPECT_INT(q_int(&t, "SELECT count(DISTINCT recording_id) FROM"
			" process WHERE pid = 101"), 2, "one 101 each");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM wait_call w JOIN process p"
			" ON p.upid = w.reaped_upid WHERE p.recording_id ="
			" w.recording_id"), 2, "reaps stay in their recording");
	EXPECT_INT(report_rows(&t, "children", NULL, 0, NULL, 0), 2,
		  "children rows");
	/* the load-time counts agree with the rows they summarize */
	EXPECT_INT(q_int(&t, "SELECT (SELECT sum(calls) FROM wait_outcome) ="
			" (SELECT count(*) FROM wait_call)"), 1,
		  "wait_outcome total");
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM (SELECT recording_id,"
			" syscall, idtype, outcome, errno_name, count(*) AS n,"
			" sum(reap_inferred) AS i FROM wait_call GROUP BY 1, 2,"
			" 3, 4, 5 EXCEPT SELECT recording_id, syscall, idtype,"
			" outcome, errno_name, calls, reap_inferred FROM"
			" wait_outcome)"), 0, "wait_outcome groups");
	t_close(&t);
}

/* Command scope: the traced command 1201 (parent: the recorder 1200,
 * outside the scope) and its child 1202; 1300 is someone else's zombie in
 * the system-wide snapshot.  1203 forks and exits while the snapshot is
 * read, so the snapshot shows it as 'Z', yet it is no zombie-at-start. */
static void scen_scope(struct t *t)
{
	wt_model_meta(t->m, "scope", "command");
	wt_model_meta(t->m, "scope_pids", "1201");
	snap_proc(t, 1, 0, "init", 0);
	snap_proc(t, 1200, 1, "wtrec", 0);
	snap_proc(t, 1201, 1200, "cmd", 0);
	snap(t, true, MS(0.1), 1300, 1300, 1, 'Z', BASE - 9000000000LL, 0,
	     "other");
	snap(t, true, MS(0.1), 1203, 1203, 1201, 'Z', MS(0.02), 0, "fast");
	/* read by the /proc scan after its parent 1201 had... not died, but
	 * say the scan saw ppid 1: the traced fork must win */
	snap(t, true, MS(0.1), 1204, 1204, 1, 'S', MS(0.03), 0, "orphan?");
	fork_ev(t, 0.02, 1201, 1203, "fast");
	fork_ev(t, 0.03, 1201, 1204, "orphan?");
	die(t, 0.04, 1203, 5);
	wait4(t, 0.5, 1201, 1203, 0, 1203);
	fork_ev(t, 1.0, 1201, 1202, "child");
	die(t, 2.0, 1202, 0);
	wait4(t, 2.5, 1201, -1, 0, 1202);
	die(t, 3.0, 1201, 0);   /* reaped by the recorder: not traced */
	uint64_t s = MS(9000);
	snap(t, false, s, 1200, 1200, 1, 'S', BASE - 5000000000LL, 0, "wtrec");
	snap(t, false, s, 1300, 1300, 1, 'Z', BASE - 9000000000LL, 0, "other");
}

static void case_scope(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_scope(&t);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT group_concat(pid || ':' || traced)"
			 " FROM (SELECT pid, traced FROM process ORDER BY"
			 " pid)"),
		  "1:0,1200:0,1201:1,1202:1,1203:1,1204:1,1300:0", "traced");
	EXPECT_INT(q_int(&t, "SELECT o.pid FROM process p JOIN process o ON"
			" o.upid = p.original_parent_upid WHERE p.pid = 1204"),
		  1201, "the fork's parent beats the snapshot's ppid");
	EXPECT_INT(q_int(&t, "SELECT ppid FROM process WHERE pid = 1204"), 1,
		  "reparented to init when 1201 exited");
	EXPECT_STR(q_text(&t, "SELECT reason || ' ' || evidence FROM reparent r"
			 " JOIN process p ON p.upid = r.upid WHERE p.pid ="
			 " 1204"), "init rule", "the move is recorded");
	EXPECT_INT(report_rows(&t, "zombies", NULL, 0, NULL, 0), 0,
		  "other's zombie is out of scope");
	EXPECT_INT(report_rows(&t, "autoreap", NULL, 0, NULL, 0), 0,
		  "the command reaped by the recorder is not auto-reaped");
	EXPECT_INT(q_int(&t, "SELECT zombie_at_start FROM process WHERE"
			" pid = 1203"), 0, "died during the snapshot");
	EXPECT_INT(q_int(&t, "SELECT reaper_tid FROM process WHERE pid = 1203"),
		  1201, "1203 reaped");
	EXPECT_INT(report_rows(&t, "children", NULL, 0, NULL, 0), 4,
		  "children: 1201, 1203, 1204, 1202");
	t_close(&t);
}

/* Kprobe backend: wait4's status word, waitid's siginfo, do_exit's code. */
static void wait_exit_full(struct t *t, double ms, int tid, int sys,
			   int64_t ret, int status, int info_pid, int info_code,
			   int info_status)
{
	struct wt_event e = { .ts = MS(ms), .type = WT_EV_WAIT_EXIT,
			      .tid = tid };
	e.wait_exit.sys = sys;
	e.wait_exit.ret = ret;
	if (sys == WT_SYS_WAIT4) {
		e.wait_exit.has_status = true;
		e.wait_exit.status = status;
	} else {
		e.wait_exit.has_siginfo = true;
		e.wait_exit.info_pid = info_pid;
		e.wait_exit.info_code = info_code;
		e.wait_exit.info_status = info_status;
	}
	ev(t, e);
}

static void scen_kprobe(struct t *t)
{
	wt_model_meta(t->m, "backend", "kprobe");
	snap_proc(t, 1400, 1, "kp", 0);
	fork_ev(t, 1.0, 1400, 1401, "a");
	fork_ev(t, 1.1, 1400, 1402, "b");
	fork_ev(t, 1.2, 1400, 1403, "c");
	/* 1401: stopped (0x137f = SIGSTOP stop), then killed by SIGTERM:
	 * the trace shows SIGKILL, do_exit says 15 */
	wait4_enter(t, 2.0, 1400, 1401, WUNTRACED);
	wait_exit_full(t, 2.1, 1400, WT_SYS_WAIT4, 1401, 0x137f, 0, 0, 0);
	ev(t, (struct wt_event){ .ts = MS(3.0), .type = WT_EV_DO_EXIT,
				 .tid = 1401, .do_exit = { 15 } });
	sig_deliver(t, 3.0, 1401, 9);
	exit_ev(t, 3.01, 1401, true);
	wait4_enter(t, 3.5, 1400, -1, 0);
	wait_exit_full(t, 3.6, 1400, WT_SYS_WAIT4, 1401, 15, 0, 0, 0);
	/* 1402 exits 7 (status word 0x700); waitid names it via siginfo
	 * although 1403 (forked later, exits first) is also a zombie */
	die(t, 4.0, 1403, 1);
	die(t, 4.1, 1402, 7);
	waitid_enter(t, 5.0, 1400, WT_P_ALL, 0, WEXITED);
	wait_exit_full(t, 5.1, 1400, WT_SYS_WAITID, 0, 0, 1403, 1, 1);
	waitid_enter(t, 5.2, 1400, WT_P_ALL, 0, WEXITED | WNOHANG);
	wait_exit_full(t, 5.3, 1400, WT_SYS_WAITID, 0, 0, 0, 0, 0);
	wait4_enter(t, 5.5, 1400, -1, 0);
	wait_exit_full(t, 5.6, 1400, WT_SYS_WAIT4, 1402, 0x700, 0, 0, 0);
}

static void case_kprobe(void)
{
	struct t t;
	t_begin(&t, NULL);
	scen_kprobe(&t);
	t_finish(&t);
	EXPECT_STR(q_text(&t, "SELECT outcome || ' ' || status FROM wait_call"
			 " WHERE options = 2"), "report 4991", "stop report");
	EXPECT_INT(q_int(&t, "SELECT exit_signal FROM process WHERE pid ="
			" 1401"), 15, "do_exit beats the SIGKILL delivery");
	EXPECT_STR(q_text(&t, "SELECT status FROM process_status JOIN process"
			 " USING (upid) WHERE pid = 1401"), "killed SIGTERM",
		  "status text");
	EXPECT_INT(q_int(&t, "SELECT reap_call_id = (SELECT id FROM wait_call"
			" WHERE syscall = 'waitid' AND enter_ns = 1000005000000)"
			" FROM process WHERE pid = 1403"), 1,
		  "siginfo names the child (not inferred)");
	EXPECT_INT(q_int(&t, "SELECT reap_inferred FROM wait_call WHERE"
			" reaped_upid = (SELECT upid FROM process WHERE"
			" pid = 1403)"), 0, "not inferred");
	EXPECT_STR(q_text(&t, "SELECT outcome FROM wait_call WHERE enter_ns ="
			 " 1000005200000"), "nothing", "si_pid 0 = nothing");
	EXPECT_STR(q_text(&t, "SELECT exit_code || ' ' || exit_source FROM"
			 " process WHERE pid = 1402"), "7 wait_status",
		  "wait status word");
	EXPECT_STR(q_text(&t, "SELECT exit_code || ' ' || exit_source FROM"
			 " process WHERE pid = 1403"), "1 siginfo", "siginfo");
	t_close(&t);
}

/* ---- driver ------------------------------------------------------------- */

static const struct { int id; const char *name; void (*fn)(void); } cases[] = {
	{ 1, "fork/exit/wait4 reap", case_basic },
	{ 2, "killed by signal; exit_group before SIGKILL", case_signals },
	{ 3, "waitid P_ALL: earliest forked zombie inferred", case_waitid },
	{ 4, "stolen reap", case_stolen },
	{ 5, "auto-reap", case_autoreap },
	{ 6, "zombies", case_zombies },
	{ 7, "pid reuse", case_reuse },
	{ 8, "WNOHANG polling", case_polling },
	{ 9, "CLONE_THREAD / CLONE_PARENT / exec", case_threads },
	{ 10, "csv / json / table output", case_formats },
	{ 11, "odd inputs, lost events", case_misc },
	{ 12, "ptrace double report", case_ptrace },
	{ 13, "two recordings in one database", case_two_recordings },
	{ 14, "scope: command, out-of-scope processes, snapshot race",
	  case_scope },
	{ 15, "kprobe backend: status word, siginfo, do_exit", case_kprobe },
};

/* Every scenario as its own recording of one database (for the sqlite3
 * CLI report tests). */
static int write_db(const char *path)
{
	static void (*const scen[])(struct t *) = {
		scen_basic, scen_signals, scen_waitid, scen_stolen,
		scen_autoreap, scen_reuse, scen_polling, scen_threads,
		scen_misc, scen_scope, scen_kprobe,
	};
	struct t t;
	t_begin(&t, path);
	for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++) {
		char name[32];
		if (i) {
			snprintf(name, sizeof(name), "scenario%zu.wtrec", i);
			t_model(&t, name);
		}
		scen[i](&t);
		t_end_recording(&t, i % 2 == 0);
	}
	t_model(&t, "zombies.wtrec");
	scen_zombies(&t, true);
	t_end_recording(&t, true);
	t_finish(&t);
	EXPECT_INT(q_int(&t, "SELECT count(*) FROM recording"),
		   (long long)(sizeof(scen) / sizeof(scen[0]) + 1),
		   "a recording per scenario");
	sqlite3_close(t.h);
	return tcheck_failed ? 1 : 0;
}

void t_failf(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tcheck_failf("case %d: %s", cur_case, msg);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-db")) {
		if (!mkdtemp(tmpdir))
			return 2;
		int rc = write_db(argv[2]);
		rmdir(tmpdir);
		return tcheck_report() | rc;
	}
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
