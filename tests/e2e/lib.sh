# lib.sh - shared helpers of wtrec's end-to-end tests (sourced, bash).
#
# Usage in a test:
#   . "$(dirname "$0")/lib.sh"
#   e2e_init "$@"            # args: WTREC WTWORK; skips (77) without root/tracefs
#   e2e_record basic         # wtrec record -- wtwork basic -l $T/log  -> $T/x.wtrec
#   e2e_analyze              # wtrec analyze $T/x.wtrec -o $T/db
#   check_eq "what" "$expected" "$actual"
#   e2e_finish               # "N passed, M failed"; exit 1 if any failed
#
# Expectations come from the workload's log ($T/log), never from wtrec's
# own output.  Everything is filtered by the workload's pids/tids: other
# recorders may run on the same machine at the same time.

set -u
E2E_PASS=0
E2E_FAIL=0
E2E_NAME=$(basename "$0" .sh)
T=
E2E_PIDS=()   # processes this test started that may still run

e2e_cleanup() {
	local p
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	[ -n "$T" ] && [ -z "${E2E_KEEP:-}" ] && rm -rf "$T"
	[ -n "${E2E_KEEP:-}" ] && echo "$E2E_NAME: kept $T"
}

e2e_skip() {
	echo "SKIP: $E2E_NAME: $*"
	exit 77
}

e2e_bail() {
	echo "FAIL: $E2E_NAME: $*"
	E2E_FAIL=$((E2E_FAIL + 1))
	e2e_finish
}

# e2e_need_live: skip unless we can record (root, tracefs, wait tracepoints).
e2e_need_live() {
	[ "$(id -u)" = 0 ] || e2e_skip "needs root to record (tracefs instances are root-only)"
	local tr=/sys/kernel/tracing
	[ -d $tr/instances ] || tr=/sys/kernel/debug/tracing
	[ -d $tr/instances ] || e2e_skip "no tracefs mounted at /sys/kernel/tracing"
	[ -d $tr/events/syscalls/sys_enter_wait4 ] ||
		e2e_skip "kernel has no syscalls:sys_enter_wait4 tracepoint"
}

# e2e_init WTREC WTWORK [live|offline]
e2e_init() {
	WTREC=${1:?usage: $0 WTREC WTWORK}
	WTWORK=${2:?usage: $0 WTREC WTWORK}
	SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	[ "${3:-live}" = live ] && e2e_need_live
	[ -x "$WTREC" ] || e2e_bail "wtrec binary not found: $WTREC"
	[ -x "$WTWORK" ] || e2e_bail "wtwork binary not found: $WTWORK"
	T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-e2e-$E2E_NAME.XXXXXX")
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
}

e2e_finish() {
	echo "$E2E_NAME: $E2E_PASS passed, $E2E_FAIL failed"
	[ "$E2E_FAIL" = 0 ] && exit 0
	exit 1
}

pass() { E2E_PASS=$((E2E_PASS + 1)); [ -n "${E2E_VERBOSE:-}" ] && echo "ok: $*"; return 0; }
fail() { E2E_FAIL=$((E2E_FAIL + 1)); echo "FAIL: $*"; return 1; }

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# check_true WHAT COMMAND... : the command must succeed
check_true() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what (command: $*)"; fi
}

# check_set WHAT EXPECTED_LINES ACTUAL_LINES: same lines, any order
check_set() {
	local e a
	e=$(printf '%s\n' "$2" | sed '/^$/d' | sort)
	a=$(printf '%s\n' "$3" | sed '/^$/d' | sort)
	if [ "$e" == "$a" ]; then
		pass "$1"
	else
		fail "$1: sets differ (< expected, > got):"
		diff <(echo "$e") <(echo "$a") | grep '^[<>]' | head -20
		return 1
	fi
}

# e2e_record SCENARIO [ARGS...]: record wtwork under wtrec into $T/x.wtrec,
# its log in $T/log.  Returns 77 when wtwork said the scenario cannot run
# here (the caller decides to skip); bails out when recording failed.
e2e_record() {
	local rc
	"$WTREC" record -o "$T/x.wtrec" -q -- "$WTWORK" "$@" -l "$T/log" \
		>"$T/record.out" 2>"$T/record.err"
	rc=$?
	if [ $rc != 0 ]; then
		cat "$T/record.out" "$T/record.err"
		e2e_bail "wtrec record exited $rc"
	fi
	[ -s "$T/log" ] || e2e_bail "wtwork wrote no log (record.err: $(head -c 500 "$T/record.err"))"
	local last
	last=$(tail -n 1 "$T/log")
	[ "$last" = "exit	77" ] && return 77
	if [ "$last" != done ]; then
		cat "$T/log"
		e2e_bail "wtwork $1 did not finish as planned (last log line: $last)"
	fi
	"$SRC/tests/workload/check_log.sh" "$T/log" || e2e_bail "wtwork log inconsistent"
	return 0
}

# e2e_analyze [FILE]: wtrec analyze FILE -o $T/db
e2e_analyze() {
	local f=${1:-$T/x.wtrec} rc
	rm -f "$T/db"
	"$WTREC" analyze "$f" -o "$T/db" >"$T/analyze.out" 2>"$T/analyze.err"
	rc=$?
	if [ $rc != 0 ] || [ ! -s "$T/db" ]; then
		cat "$T/analyze.err"
		e2e_bail "wtrec analyze exited $rc"
	fi
}

# q SQL: query $T/db, tab-separated, no header
q() {
	sqlite3 -batch -noheader -separator '	' "$T/db" "$1"
}

# --- facts from the workload log ----------------------------------------

# log_field KIND N: field N of every line whose first field is KIND
log_field() { awk -F'\t' -v k="$1" -v n="$2" '$1 == k { print $n }' "${3:-$T/log}"; }

# log_tids: every tid that made a logged wait call, comma-separated
log_tids() {
	awk -F'\t' '$1 == "call" || $1 == "thread" || $1 == "pollstorm" {
		t = ($1 == "call") ? $3 : ($1 == "thread" ? $2 : $3)
		if (!(t in s)) { s[t] = 1; o = o (o ? "," : "") t } }
		END { print o }' "${1:-$T/log}"
}

# log_count_calls SYSCALL: how many wait calls of SYSCALL the log has
# (pollstorm's unlogged polls counted in for wait4)
log_count_calls() {
	awk -F'\t' -v s="$1" '$1 == "call" && $4 == s { n++ }
		$1 == "pollstorm" && s == "wait4" { n += $2 }
		END { print n + 0 }' "${2:-$T/log}"
}

# log_pids: every pid the workload logged (main, forks, subprocs), comma list
log_pids() {
	awk -F'\t' '($1 == "proc" && $2 == "main_pid") { p[$3] = 1 }
		$1 == "fork" { p[$2] = 1 }
		END { for (x in p) o = o (o ? "," : "") x; print o }' "${1:-$T/log}"
}

# --- the log as SQL tables, next to wtrec's model -------------------------

# e2e_load_log [LOG]: $T/cmp.db = a copy of $T/db plus the log as tables:
#   log_main(pid)  log_call(seq, tid, syscall, idtype, target, options, ret,
#   errno, reaped, status, child)  log_fork(pid, by_tid)
#   log_fate(pid, kind, status)  kind: child_exit|autoreaped|zombie|left_running
#   log_steal(child, thief, victim, variant)
# and views that put log and model side by side (see e2e_compare).
e2e_load_log() {
	local log=${1:-$T/log} d=$T/logtab
	mkdir -p "$d"
	awk -F'\t' -v d="$d" -v OFS='\t' '
		$1 == "proc" && $2 == "main_pid" { print $3 > d "/main" }
		$1 == "call" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 > d "/call" }
		$1 == "fork" { print $2, $3 > d "/fork" }
		$1 == "child_exit" { print $2, "child_exit", $3 " " $4 > d "/fate" }
		$1 == "autoreaped" { print $2, "autoreaped", $4 " " $5 > d "/fate" }
		$1 == "zombie" { print $2, "zombie", $4 " " $5 > d "/fate" }
		$1 == "left_running" { print $2, "left_running", "running" > d "/fate" }
		$1 == "steal" { print $2, $3, $4, $5 > d "/steal" }
	' "$log"
	local f
	for f in main call fork fate steal; do touch "$d/$f"; done
	cp "$T/db" "$T/cmp.db"
	sqlite3 -batch "$T/cmp.db" <<SQL || e2e_bail "cannot load the log into sqlite"
CREATE TABLE log_main(pid INTEGER);
CREATE TABLE log_call(seq INTEGER, tid INTEGER, syscall TEXT, idtype TEXT,
  target INTEGER, options INTEGER, ret INTEGER, errno TEXT, reaped INTEGER,
  status TEXT, child INTEGER);
CREATE TABLE log_fork(pid INTEGER, by_tid INTEGER);
CREATE TABLE log_fate(pid INTEGER, kind TEXT, status TEXT);
CREATE TABLE log_steal(child INTEGER, thief INTEGER, victim INTEGER, variant INTEGER);
.mode tabs
.import $d/main log_main
.import $d/call log_call
.import $d/fork log_fork
.import $d/fate log_fate
.import $d/steal log_steal
$(cat "$SRC/tests/e2e/compare.sql")
SQL
}

# cq SQL: query $T/cmp.db (after e2e_load_log)
cq() {
	sqlite3 -batch -noheader -separator '	' "$T/cmp.db" "$1"
}

# e2e_compare: the model's processes and wait calls of the workload equal
# the log's, line by line (see compare.sql for what a line holds).  One
# check per log line; mismatches are printed as a diff.
e2e_compare() {
	local what
	for what in call proc; do
		cq "SELECT line FROM expect_$what ORDER BY line" >"$T/expect_$what"
		cq "SELECT line FROM got_$what ORDER BY line" >"$T/got_$what"
		local n_exp n_ok
		n_exp=$(wc -l <"$T/expect_$what")
		n_ok=$(comm -12 "$T/expect_$what" "$T/got_$what" | wc -l)
		E2E_PASS=$((E2E_PASS + n_ok))
		if ! cmp -s "$T/expect_$what" "$T/got_$what"; then
			# one failure per log line not matched, plus model rows beyond the log's
			local n_got n_bad
			n_got=$(wc -l <"$T/got_$what")
			n_bad=$((n_exp - n_ok))
			[ "$n_got" -gt "$n_exp" ] && n_bad=$((n_bad + n_got - n_exp))
			E2E_FAIL=$((E2E_FAIL + n_bad))
			echo "FAIL: $what rows: $n_ok of $n_exp log lines match the model;" \
				"differences (< log, > wtrec):"
			diff "$T/expect_$what" "$T/got_$what" | grep '^[<>]' | head -40
		fi
	done
}

# CSV as wtrec writes it (RFC 4180: fields with commas or quotes are quoted,
# quotes doubled).  csvsplit(line, f) fills f[1..n] unquoted, returns n.
CSV_AWK='
function csvsplit(s, f,    n, i, c, v, q) {
	n = 0; v = ""; q = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(s, i + 1, 1) == "\"") { v = v c; i++ } else q = 0
			} else v = v c
		} else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = v; v = "" }
		else if (c != "\r") v = v c
	}
	f[++n] = v
	return n
}'

# csv_has_row FILE VALUE...: some data row of FILE has every VALUE as a
# whole field.
csv_has_row() {
	local f=$1
	shift
	awk -v want="$*" "$CSV_AWK"'
		BEGIN { n = split(want, w, " ") }
		NR > 1 { m = csvsplit($0, fld); for (i = 1; i <= m; i++) have[fld[i]] = 1
		  ok = 1; for (j = 1; j <= n; j++) if (!(w[j] in have)) ok = 0
		  for (x in have) delete have[x]; if (ok) { found = 1; exit } }
		END { exit !found }' "$f"
}

# csv_column FILE NAME: the values of column NAME (by header), one a line
csv_column() {
	awk -v name="$2" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h); for (i = 1; i <= m; i++) if (h[i] == name) c = i
			  if (!c) exit 1; next }
		{ csvsplit($0, fld); print fld[c] }' "$1"
}

# csv_lookup FILE KEYCOL KEY VALCOL: VALCOL of the rows whose KEYCOL is KEY
csv_lookup() {
	awk -v kc="$2" -v key="$3" -v vc="$4" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h)
			  for (i = 1; i <= m; i++) { if (h[i] == kc) k = i; if (h[i] == vc) v = i }
			  if (!k || !v) exit 1; next }
		{ csvsplit($0, fld); if (fld[k] == key) print fld[v] }' "$1"
}

# csv_select FILE COL...: the named columns of every data row, tab-separated
csv_select() {
	local f=$1
	shift
	awk -v cols="$*" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h); n = split(cols, want, " ")
			  for (j = 1; j <= n; j++) { idx[j] = 0
				for (i = 1; i <= m; i++) if (h[i] == want[j]) idx[j] = i
				if (!idx[j]) { print "csv_select: no column " want[j] > "/dev/stderr"; exit 1 } }
			  next }
		{ csvsplit($0, fld); o = ""
		  for (j = 1; j <= n; j++) o = o (j > 1 ? "\t" : "") fld[idx[j]]
		  print o }' "$f"
}
