#!/bin/bash
# check_log.sh LOG [SCENARIO] - is a wtwork log self-consistent?
#
# Checks the invariants wtwork.c promises (the end-to-end tests rely on
# them): header and last line, well-formed call lines, errno set exactly when
# RET is -1, every reaped pid was forked and reaped once, every fork has
# exactly one fate, no mismatch lines; every call has its callmem line, and
# what the kernel wrote follows kernel/exit.c's rules (wait4's status and
# both rusages only for a reported child, waitid's siginfo on every
# return); then what SCENARIO (default: the log's own `scenario` line) must
# contain.  Prints each failed check and
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
	if ($12 > 0 && $11 != "-") told[$12] = $11
	if ($10 > 0) {
		reaped[$10]++
		# a reap with a NULL status pointer: its exit was told before
		# (a WNOWAIT peek); callmem must say the pointer was NULL
		lastreap[$10] = $11 != "-" ? $11 : told[$10]
		if ($10 != $12) bad("REAPED is not CHILD: " $0)
		if ($11 !~ /^(exited|killed) [0-9]+$/) blind[$3 SUBSEP $2] = $0
	}
	if ($9 == "ECHILD") echild[$4]++
	callsby[$3]++
	call[$3 SUBSEP $2] = $0
}
$1 == "callmem" {
	k = $3 SUBSEP $2
	if (NF != 18) bad("callmem line with " NF " fields: " $0)
	if (k in mem) bad("second callmem of a call: " $0)
	mem[k] = $0
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
function kernel_rules(c, m,    f, g, w4, rep, st, si, ru) {
	split(c, f, "\t"); split(m, g, "\t")
	w4 = f[4] == "wait4"; rep = f[12] > 0
	st = g[6] != "-"; si = g[7] != "-"; ru = g[12] != "-"
	for (i = 6; i <= 18; i++)
		if (g[i] != "-" && g[i] !~ /^-?[0-9]+$/) bad("callmem field " i " not a number: " m)
	if (w4 && st != (g[4] != 0 && f[8] > 0)) bad("status written iff stat_addr and ret > 0: " c " / " m)
	if (w4 && si) bad("a wait4 with a siginfo: " m)
	if (!w4 && st) bad("a waitid with a status word: " m)
	if (!w4 && si != (g[4] != 0)) bad("siginfo written iff infop: " c " / " m)
	if (!w4 && si && (g[7] == 17) != rep) bad("si_signo SIGCHLD iff a child reported: " c " / " m)
	if (ru != (g[5] != 0 && rep)) bad("rusage written iff a buffer and a child reported: " c " / " m)
	for (i = 8; i <= 11; i++)
		if (si != (g[i] != "-")) bad("siginfo written in part: " m)
	for (i = 13; i <= 18; i++)
		if (ru != (g[i] != "-")) bad("rusage written in part: " m)
}
END {
	for (k in call) {
		if (!(k in mem)) { bad("call without its callmem line: " call[k]); continue }
		kernel_rules(call[k], mem[k])
	}
	for (k in mem)
		if (!(k in call)) bad("callmem without its call: " mem[k])
	for (k in blind) {
		split(mem[k], g, "\t")
		if (g[4] != 0) bad("reap without exit status: " blind[k])
	}
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
	if (sc == "buffers" && ncalls != 13) bad("buffers: want 13 calls, got " ncalls+0)
	if (sc == "cgleak" && ncgjob != 1) bad("cgleak: want 1 cgjob line, got " ncgjob+0)
	exit nbad > 0
}
' "$log"
