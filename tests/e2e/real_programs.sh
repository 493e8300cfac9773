#!/bin/bash
# real_programs.sh WTREC WTWORK - real programs (node, CPython, bash, make,
# perl, tini in a pid namespace, a PID 1 that never reaps, strace stopping
# at every syscall) recorded by wtrec with strace following the same run
# as an independent oracle:
#
#   wtrec record -- strace -f -ttt -o S.st -e trace=wait4,waitid,... PROGRAM
#
# strace's output (tests/e2e/real/strace2tsv.awk: every pid turned into a
# global one) is compared with wtrec's model by tests/e2e/real/oracle.sql,
# line by line: the calls, the reaps, strace's own reap of the command it
# started (its other waits are a tracer's notices, never reaps), and each
# finding (stolen, double_wait, released/autoreap, zombies, polling,
# errors) computed from strace's facts by the definitions of
# sql/schema.sql.  Every mismatch is printed and counts as a failure, and
# so does any disagreement the model counted itself (model_check), since
# strace shows none happening.  Every recording's summary is recomputed
# from its rows (lib.sh e2e_summary_check).  One more run without strace,
# race_log: CPython's reaper thread racing Popen.wait(), checked against
# the program's own log of what the reaper's waitpid returned.
#
# Measuring another analyzer on the same recordings (not a check, a
# table): RP_OTHER=/path/to/wtrec RP_OTHER_SQL=tests/e2e/real/model_old.sql
# prints its false positives and negatives per report next to this
# build's.  RP_RECORDER=/path/to/wtrec records with another recorder.
# RP_ONLY=name runs one scenario.  TEST_KEEP=1 keeps the files.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"
R=$SRC/tests/e2e/real
RECORDER=${RP_RECORDER:-$WTREC}

# --- the programs: installed by scripts/deps.sh when missing -----------------

rp_missing() {
	local p m=""
	for p in strace node /usr/bin/python3 bash make perl tini unshare sh; do
		command -v "$p" >/dev/null 2>&1 || m="$m $p"
	done
	echo "$m"
}
if [ -n "$(rp_missing)" ]; then
	"$SRC/scripts/deps.sh" >/dev/null 2>&1
	[ -z "$(rp_missing)" ] || t_skip "missing and not installable:$(rp_missing)"
fi
# strace must be allowed to trace here, and know --pidns-translation (5.9)
strace -f --pidns-translation -o /dev/null true 2>/dev/null ||
	t_skip "strace cannot trace here, or has no --pidns-translation (needs >= 5.9)"

TRACE=wait4,waitid,clone,clone3,fork,vfork,unshare,pidfd_open,rt_sigaction,execve

# rp_record NAME [--all-stops] -- CMD...: $T/NAME.wtrec and $T/NAME.st
# (strace's pid in $T/NAME.tracer).  --all-stops runs strace without
# --seccomp-bpf: it then stops at every syscall of every tracee, and its
# own wait4 calls (notices) outnumber the program's by far.
rp_record() {
	local name=$1 seccomp=--seccomp-bpf rc
	RP_T0=$SECONDS
	shift
	[ "$1" = --all-stops ] && { seccomp=; shift; }
	[ "$1" = -- ] && shift
	# sh execs strace: the recorded command's pid is strace's
	(cd "$T/work" && "$RECORDER" record -o "$T/$name.wtrec" -q -- \
		sh -c 'echo $$ >"$0"; exec "$@"' "$T/$name.tracer" \
		strace -f -q -ttt --pidns-translation $seccomp -e trace=$TRACE \
		-o "$T/$name.st" -- "$@") >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if [ $rc != 0 ] && ! grep -q '^wtrec: command exited' "$T/$name.err"; then
		cat "$T/$name.err"
		t_bail "$name: wtrec record exited $rc"
	fi
	[ -s "$T/$name.st" ] || t_bail "$name: strace wrote nothing ($(head -c 300 "$T/$name.err"))"
}

# rp_load NAME DB MODEL_SQL OUT: OUT = DB + strace's rows + oracle views
rp_load() {
	local name=$1 db=$2 msql=$3 out=$4 d=$T/$name.tab
	mkdir -p "$d"
	awk -f "$R/strace2tsv.awk" "$T/$name.st" "$T/$name.st" >"$T/$name.tsv"
	awk -F'\t' -v d="$d" -v OFS='\t' '
		{ k = $1; sub(/^[^\t]*\t/, ""); print > (d "/" k) }' "$T/$name.tsv"
	local k
	for k in P C X S A W; do touch "$d/$k"; done
	cp "$db" "$out"
	sqlite3 -batch "$out" <<SQL || t_bail "$name: cannot load strace's rows"
CREATE TABLE st_task(pid INTEGER, parent_tid INTEGER, parent_pid INTEGER,
  is_thread INTEGER, ns INTEGER, ns_pid INTEGER, ts REAL);
CREATE TABLE st_call(tid INTEGER, pid INTEGER, seq INTEGER, syscall TEXT,
  arg1 TEXT, arg2 TEXT, options TEXT, ret TEXT, child TEXT, status TEXT,
  target TEXT, enter_ts REAL, exit_ts REAL);
CREATE TABLE st_exit(tid INTEGER, pid INTEGER, kind TEXT, val TEXT, ts REAL);
CREATE TABLE st_sig(tid INTEGER, pid INTEGER, sig TEXT, ts REAL);
CREATE TABLE st_dispo(pid INTEGER, ignores INTEGER, ts REAL);
CREATE TABLE st_warn(msg TEXT);
CREATE TABLE st_info(key TEXT, value INTEGER);
.mode tabs
.import $d/P st_task
.import $d/C st_call
.import $d/X st_exit
.import $d/S st_sig
.import $d/A st_dispo
.import $d/W st_warn
INSERT INTO st_info VALUES ('tracer', $(cat "$T/$name.tracer")),
  ('program', $(awk 'NR == 1 { print $1 }' "$T/$name.st"));
$(cat "$msql" "$R/oracle.sql")
SQL
}

KINDS="call reap tracer notice stolen double released autoreap zombie polling errors"

# rp_lines DB: every kind's exp_ and got_ lines of DB, in one query, into
# $T/exp.KIND and $T/got.KIND
rp_lines() {
	local db=$1 k sql=""
	for k in $KINDS; do
		sql="$sql${sql:+ UNION ALL }SELECT 'exp.$k', line FROM exp_$k"
		sql="$sql UNION ALL SELECT 'got.$k', line FROM got_$k"
		: >"$T/exp.$k"; : >"$T/got.$k"
	done
	sqlite3 -batch -noheader -separator '	' "$db" "$sql" |
		awk -F'\t' -v d="$T" '{ print $2 > (d "/" $1) }' ||
		t_bail "cannot read the lines of $db"
}

# rp_diff KIND (after rp_lines): FP FN (got lines not expected, expected
# lines not got); the lines themselves in $T/diff.KIND
rp_diff() {
	local k=$1
	sort -o "$T/exp.$k" "$T/exp.$k"
	sort -o "$T/got.$k" "$T/got.$k"
	diff "$T/exp.$k" "$T/got.$k" | grep '^[<>]' >"$T/diff.$k"
	echo "$(grep -c '^>' "$T/diff.$k") $(grep -c '^<' "$T/diff.$k")"
}

: >"$T/table"
declare -A FP FN FP_OTHER FN_OTHER
for k in $KINDS; do FP[$k]=0; FN[$k]=0; FP_OTHER[$k]=0; FN_OTHER[$k]=0; done
TABLE=$T/table

# rp_check NAME: analyze, recompute the summary, compare with strace
rp_check() {
	local name=$1 k fp fn n
	e2e_analyze "$T/$name.wtrec"
	mv "$T/db" "$T/$name.db"
	e2e_summary_check "$T/$name.db"
	rp_load "$name" "$T/$name.db" "$R/model_new.sql" "$T/$name.cmp"
	local c="$T/$name.cmp"
	n=$(sqlite3 "$c" "SELECT count(*) FROM st_warn")
	check_eq "$name: strace's output read without a doubt" 0 "$n"
	[ "$n" = 0 ] || sqlite3 "$c" "SELECT msg FROM st_warn LIMIT 10"
	n=$(sqlite3 "$c" "SELECT count(*) FROM st_call")
	check_true "$name: strace saw wait calls ($n)" [ "$n" -gt 0 ]
	rp_lines "$c"
	for k in $KINDS; do
		read -r fp fn <<<"$(rp_diff "$k")"
		FP[$k]=$((FP[$k] + fp)); FN[$k]=$((FN[$k] + fn))
		n=$(wc -l <"$T/exp.$k")
		printf '%s\t%s\t%d\t%d\t%d\n' "$name" "$k" "$n" "$fp" "$fn" >>"$TABLE"
		if [ "$fp" = 0 ] && [ "$fn" = 0 ]; then
			pass "$name: $k: wtrec = strace ($n lines)"
		else
			fail "$name: $k: $fp lines wtrec has and strace does not," \
				"$fn the other way (< strace, > wtrec):"
			head -20 "$T/diff.$k"
		fi
	done
	# the model's own disagreements with what it recorded (model_check):
	# strace's run shows none of them happening
	while read -r k n; do
		fail "$name: model_check $k = $n"
	done < <(sqlite3 -separator ' ' "$c" "SELECT name, count FROM model_check
		WHERE count > 0 AND kind = 'disagreement'")
	[ -n "${RP_OTHER:-}" ] && rp_other "$name"
	echo "$name: $((SECONDS - RP_T0)) s"
	return 0
}

# rp_other NAME: the other analyzer's false positives/negatives (no check)
rp_other() {
	local name=$1 k fp fn
	rm -f "$T/$name.other.db"
	"$RP_OTHER" analyze "$T/$name.wtrec" -o "$T/$name.other.db" \
		>/dev/null 2>"$T/$name.other.err" ||
		{ echo "other analyzer failed on $name: $(head -3 "$T/$name.other.err")"; return; }
	rp_load "$name" "$T/$name.other.db" "$SRC/${RP_OTHER_SQL:-tests/e2e/real/model_old.sql}" \
		"$T/$name.other.cmp"
	rp_lines "$T/$name.other.cmp"
	for k in $KINDS; do
		read -r fp fn <<<"$(rp_diff "$k")"
		FP_OTHER[$k]=$((FP_OTHER[$k] + fp)); FN_OTHER[$k]=$((FN_OTHER[$k] + fn))
		printf '%s\t%s-other\t%d\t%d\t%d\n' "$name" "$k" \
			"$(wc -l <"$T/exp.$k")" "$fp" "$fn" >>"$TABLE"
	done
}

# q1 NAME SQL: one value from NAME's comparison database
q1() { sqlite3 -batch -noheader -separator ' ' "$T/$1.cmp" "$2"; }

want() { [ -z "${RP_ONLY:-}" ] || [ "$RP_ONLY" = "$1" ]; }

mkdir -p "$T/work"
cp "$R/Makefile.jobs" "$R"/*.js "$R"/*.py "$T/work/" 2>/dev/null

# --- node: libuv's SIGCHLD handler, then waitpid(pid, WNOHANG) per child --------
if want node; then
	rp_record node -- node "$T/work/spawn.js"
	rp_check node
fi

# --- CPython: Popen().wait(), run(), a Pool, SIGCHLD ignored, pidfd -------------
if want python; then
	rp_record python -- /usr/bin/python3 "$T/work/subproc.py"
	rp_check python
	check_true "python: a child of a parent ignoring SIGCHLD was auto-reaped (strace)" \
		[ "$(q1 python "SELECT count(*) FROM exp_autoreap")" -ge 1 ]
fi

# --- CPython: a reaper thread's waitpid(-1, 0) racing Popen.wait() --------------
if want race; then
	rp_record race -- /usr/bin/python3 "$T/work/race.py" 8
	rp_check race
	echo "race: steals strace saw: $(q1 race "SELECT count(*) FROM exp_stolen"), wtrec:" \
		"$(q1 race "SELECT count(*) FROM got_stolen") (of 8 children)"
fi

# --- the same race without strace (which slows every syscall down): the
# program's own log of what its reaper's waitpid returned is the truth ----------
if want race_log; then
	RP_T0=$SECONDS
	(cd "$T/work" && "$RECORDER" record -o "$T/race_log.wtrec" -q -- \
		/usr/bin/python3 "$T/work/race.py" 30 "$T/race.log") \
		>"$T/race_log.out" 2>"$T/race_log.err" ||
		t_bail "race_log: wtrec record failed: $(head -c 300 "$T/race_log.err")"
	e2e_analyze "$T/race_log.wtrec"
	e2e_summary_check
	check_eq "race_log: the program logged 30 rounds" 30 "$(wc -l <"$T/race.log")"
	check_set "race_log: stolen_v (victim child thief) = the program's steals" \
		"$(awk '$1 == "steal" { print $4, $2, $3 }' "$T/race.log")" \
		"$(q "SELECT victim_tid || ' ' || child_pid || ' ' || thief_tid FROM stolen_v")"
	check_set "race_log: every child's reaper thread is the one the program saw" \
		"$(awk '$1 == "steal" { print $2, $3 } $1 == "parent" { print $2, $3 }' "$T/race.log")" \
		"$(q "SELECT c.pid || ' ' || c.reaper_tid FROM process c
		      WHERE c.pid IN ($(awk '{ printf "%s%s", (NR > 1 ? "," : ""), $2 }' "$T/race.log"))")"
	echo "race_log: $(grep -c '^steal' "$T/race.log") steals of 30;" \
		"$(q "SELECT count(*) FROM stolen_v WHERE gap_ns < 0") with the victim's" \
		"ECHILD before the thief's return; $((SECONDS - RP_T0)) s"
fi

# --- bash: background jobs, wait, wait $!, a pipeline, a subshell's orphan -------
if want bash; then
	rp_record bash -- bash -c 'sleep 0.05 & sleep 0.02 & (exit 3) & wait
		sleep 0.03 & p=$!; wait $p; echo "wait \$! = $?" >/dev/null
		false | true; (sleep 0.05 &); x=$(sh -c "exit 4"); (exit 5) & wait -n; wait'
	rp_check bash
fi

# --- make -j4 -k: five recipes, one failing -------------------------------------
if want make; then
	rp_record make -- make -s -k -j4 -C "$T/work" -f Makefile.jobs
	rp_check make
fi

# --- perl: a real spin, 200 x waitpid(-1, WNOHANG), then a blocking wait ---------
if want perl; then
	rp_record perl -- perl -e 'use POSIX ":sys_wait_h";
		my $p = fork // die; if (!$p) { select(undef, undef, undef, 0.3); exit 7 }
		my $n = 0; 1 until waitpid(-1, WNOHANG) > 0 || ++$n == 200; waitpid($p, 0)'
	rp_check perl
	check_true "perl: strace's facts make the busy loop a spinner" \
		[ "$(q1 perl "SELECT count(*) FROM exp_polling")" = 1 ]
fi

# --- tini as PID 1 of a pid namespace: orphans reaped by tini --------------------
if want tini; then
	rp_record tini -- unshare -fp --mount-proc tini -- sh -c \
		'(sleep 0.15 &); (sh -c "exit 7" &); sh -c "sleep 0.05; kill -TERM \$\$" & sleep 0.3'
	rp_check tini
	# the orphans: reaped by tini (the namespace's init), not by a parent
	check_true "tini: strace saw tini reap orphans" \
		[ "$(q1 tini "SELECT count(*) FROM o_reap r JOIN o_proc c ON c.pid = r.cpid
			      JOIN o_ns_init i ON i.pid = r.pid
			      WHERE c.parent_pid <> r.pid")" -ge 2 ]
fi

# --- a PID 1 that never reaps: the orphan is a zombie until the teardown --------
if want teardown; then
	rp_record teardown -- unshare -fp --mount-proc sh -c '(sleep 0.2 &); exec sleep 1.5'
	rp_check teardown
	check_eq "teardown: strace's facts: one child released at the namespace's teardown" \
		1 "$(q1 teardown "SELECT count(*) FROM o_released WHERE kind = 'pidns_teardown'")"
	while read -r pid oms wms; do
		check_true "teardown: pid $pid zombie ${wms:-?} ms in wtrec, $oms ms by strace" \
			awk -v o="$oms" -v w="${wms:--1}" \
			'BEGIN { d = o - w; if (d < 0) d = -d; exit !(w >= 0 && d <= 50 + o / 10) }'
	done < <(q1 teardown "SELECT pid, printf('%.1f', oracle_ms),
				     printf('%.1f', wtrec_ms) FROM teardown_time")
fi

# --- strace stopping at every syscall: the tracer's notices by the thousand -----
if want tracer; then
	rp_record tracer --all-stops -- sh -c 'sleep 0.02 & true & wait; (exit 2); sh -c "exit 3"; :'
	rp_check tracer
fi

echo "per report: scenario, report, lines strace implies, false positives, false negatives"
column -t -s '	' "$TABLE" 2>/dev/null || cat "$TABLE"
printf 'totals (this build):'
for k in $KINDS; do printf ' %s %d/%d' "$k" "${FP[$k]}" "${FN[$k]}"; done
echo
if [ -n "${RP_OTHER:-}" ]; then
	printf 'totals (%s):' "$RP_OTHER"
	for k in $KINDS; do printf ' %s %d/%d' "$k" "${FP_OTHER[$k]}" "${FN_OTHER[$k]}"; done
	echo
fi
t_finish
