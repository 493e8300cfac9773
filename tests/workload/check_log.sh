#!/bin/bash
# check_log.sh LOG [SCENARIO] - is a wtwork log self-consistent?
#
# Checks the invariants wtwork.c promises (the end-to-end tests rely on
# them): header and last line, well-formed call lines, errno set exactly when
# RET is -1, every reaped pid was forked and reaped once, every fork has
# exactly one fate, no mismatch lines; then what SCENARIO (default: the
# log's own `scenario` line) must contain.  Prints each failed check and
# exits 1 if any failed, 0 otherwise.
set -u
log=$1
sc=${2:-$(awk -F'\t' '$1 == "scenario" { print $2; exit }' "$log")}

awk -F'\t' -v sc="$sc" '
function bad(msg) { print "check_log: " FILENAME ": " msg; nbad++ }
NR == 1 && !($1 == "proc" && $2 == "main_pid" && $3 > 0) { bad("line 1 is not proc main_pid PID") }
{ last = $0 }
$1 == "mismatch" { bad("mismatch: " $2) }
$1 == "fork" { forks[$2]++; nforks++ }
$1 == "call" {
	ncalls++
	if (NF != 12) bad("call line with " NF " fields: " $0)
	if ($4 != "wait4" && $4 != "waitid") bad("bad syscall: " $0)
	if ($5 !~ /^P_(PID|ALL|PGID|PIDFD)$/) bad("bad idtype: " $0)
	if (($8 == -1) != ($9 != "-")) bad("errno and RET disagree: " $0)
	if ($10 > 0) {
		reaped[$10]++
		lastreap[$10] = $11
		if ($10 != $12) bad("REAPED is not CHILD: " $0)
		if ($11 !~ /^(exited|killed) [0-9]+$/) bad("reap without exit status: " $0)
	}
	if ($9 == "ECHILD") echild[$4]++
	callsby[$3]++
}
$1 == "child_exit" {
	fate[$2]++
	if (lastreap[$2] != $3 " " $4) bad("child_exit " $2 " says " $3 " " $4 ", its reaping call " lastreap[$2])
}
$1 == "autoreaped" { fate[$2]++; nauto++ }
$1 == "zombie" { fate[$2]++; nzombie++ }
$1 == "left_running" { fate[$2]++ }
$1 == "teardown" { fate[$2]++; nteardown++ }
$1 == "init_reaped" { fate[$2]++ }
$1 == "cgjob" { ncgjob++ }
$1 == "double_wait" { ndouble++ }
$1 == "orphan" { norphan++ }
$1 == "steal" { nsteal++ }
$1 == "pidreuse" { reuse = $2 }
$1 == "pidreuse_failed" { reuse_failed = 1 }
$1 == "pollstorm" { storm = $2 }
END {
	if (last != "done" && !(sc == "pidreuse" && reuse_failed && last == "exit\t77"))
		bad("last line is \"" last "\", not done")
	for (p in reaped) {
		if (!(p in forks)) bad("reaped " p " was never forked")
		if (sc != "pidreuse" && reaped[p] != 1) bad(p " reaped " reaped[p] " times")
		if (reaped[p] != fate[p]) bad(p " reaped " reaped[p] " times, " fate[p] " fates")
	}
	for (p in forks)
		if (forks[p] != fate[p]) bad("pid " p ": " forks[p] " forks, " fate[p] " fates")
	if (sc == "basic") {
		if (nforks < 1) bad("basic: no forks")
		if (echild["wait4"] != 1) bad("basic: want 1 ECHILD wait4, got " echild["wait4"]+0)
	}
	if (sc == "stolen" && nsteal != 2) bad("stolen: want 2 steal lines, got " nsteal+0)
	if (sc == "autoreap") {
		if (nauto != 6) bad("autoreap: want 6 autoreaped, got " nauto+0)
		if (echild["wait4"] != 2) bad("autoreap: want 2 ECHILD wait4, got " echild["wait4"]+0)
	}
	if (sc == "zombie" && nzombie != 3) bad("zombie: want 3 zombies, got " nzombie+0)
	if (sc == "pidreuse" && !reuse_failed && forks[reuse] != 2) bad("pidreuse: pid " reuse " not forked twice")
	if (sc == "pollstorm" && !(storm > 0)) bad("pollstorm: no summary")
	if (sc == "peek" && ncalls != 4) bad("peek: want 4 calls, got " ncalls+0)
	if (sc == "pidns" && (nteardown != 2 || norphan != 1))
		bad("pidns: want 2 teardown and 1 orphan lines, got " nteardown+0 " and " norphan+0)
	if (sc == "subreaper" && norphan != 2) bad("subreaper: want 2 orphan lines, got " norphan+0)
	if (sc == "pidfdwait" && nsteal != 1) bad("pidfdwait: want 1 steal line, got " nsteal+0)
	if (sc == "scanorder" && ncalls != 4) bad("scanorder: want 4 calls, got " ncalls+0)
	if (sc == "doublewait" && ndouble != 2) bad("doublewait: want 2 double_wait lines, got " ndouble+0)
	if (sc == "handlersteal" && nsteal != 1) bad("handlersteal: want 1 steal line, got " nsteal+0)
	if (sc == "signals" && nforks != 14) bad("signals: want 14 forks, got " nforks+0)
	if (sc == "cgleak" && ncgjob != 1) bad("cgleak: want 1 cgjob line, got " ncgjob+0)
	exit nbad > 0
}
' "$log"
