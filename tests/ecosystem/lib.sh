# lib.sh - helpers of the ecosystem tests (sourced, bash): timeline,
# tree, export, shell, help, man page, install.  No root needed: they run
# on the shipped sample recording samples/wtwork.wtrec, and take what is
# expected from its ground-truth log samples/wtwork.log (written by the
# workload itself, see tests/workload/wtwork.c), never from wtrec.
#
#   . "$(dirname "$0")/lib.sh"
#   eco_init "$@"            # args: WTREC [...]; $T = a fresh temp dir
#   eco_sample_db            # $T/db = wtrec analyze samples/wtwork.wtrec
#   eco_load_log             # $T/log.db = the log as tables (see below)
#   check_eq WHAT EXPECTED ACTUAL / check_true WHAT CMD... / check_set
#   eco_finish               # "N passed, M failed"; exit 1 if any failed

set -u
ECO_PASS=0
ECO_FAIL=0
ECO_NAME=$(basename "$0" .sh)
T=

eco_cleanup() {
	[ -n "$T" ] && [ -z "${ECO_KEEP:-}" ] && rm -rf "$T"
	[ -n "${ECO_KEEP:-}" ] && echo "$ECO_NAME: kept $T"
}

eco_skip() {
	echo "SKIP: $ECO_NAME: $*"
	exit 77
}

eco_bail() {
	echo "FAIL: $ECO_NAME: $*"
	ECO_FAIL=$((ECO_FAIL + 1))
	eco_finish
}

eco_finish() {
	echo "$ECO_NAME: $ECO_PASS passed, $ECO_FAIL failed"
	[ "$ECO_FAIL" = 0 ] && exit 0
	exit 1
}

pass() { ECO_PASS=$((ECO_PASS + 1)); [ -n "${ECO_VERBOSE:-}" ] && echo "ok: $*"; return 0; }
fail() { ECO_FAIL=$((ECO_FAIL + 1)); echo "FAIL: $*"; return 1; }

check_eq() {
	if [ "$2" == "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

check_true() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what (command: $*)"; fi
}

# check_set WHAT EXPECTED_LINES ACTUAL_LINES: same lines (with repeats),
# any order
check_set() {
	local e a
	e=$(printf '%s\n' "$2" | sed '/^$/d' | sort)
	a=$(printf '%s\n' "$3" | sed '/^$/d' | sort)
	if [ "$e" == "$a" ]; then
		pass "$1"
	else
		fail "$1: differ (< expected, > got):"
		diff <(echo "$e") <(echo "$a") | grep '^[<>]' | head -20
		return 1
	fi
}

# eco_init WTREC [ARGS...]: $WTREC, $SRC (the source tree), $T
eco_init() {
	WTREC=${1:?usage: $0 WTREC}
	SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	[ -x "$WTREC" ] || eco_bail "wtrec binary not found: $WTREC"
	command -v sqlite3 >/dev/null ||
		eco_skip "the sqlite3 command-line shell is not installed (apt-get install sqlite3)"
	T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-eco-$ECO_NAME.XXXXXX")
	trap eco_cleanup EXIT
	trap 'exit 130' INT TERM
	SAMPLE=$SRC/samples/wtwork.wtrec
	SLOG=$SRC/samples/wtwork.log
}

# eco_sample_db: $T/db from the sample recording
eco_sample_db() {
	[ -f "$SAMPLE" ] && [ -f "$SLOG" ] ||
		eco_skip "no sample in $SRC/samples (run samples/make-sample.sh as root)"
	"$WTREC" analyze "$SAMPLE" -o "$T/db" >"$T/analyze.out" 2>"$T/analyze.err" ||
		eco_bail "wtrec analyze $SAMPLE failed: $(cat "$T/analyze.err")"
}

# q SQL: query $T/db (tab-separated, no header)
q() { sqlite3 -batch -noheader -separator '	' "$T/db" "$1"; }

# lq SQL: query $T/log.db
lq() { sqlite3 -batch -noheader -separator '	' "$T/log.db" "$1"; }

# eco_load_log: the sample's log as tables of $T/log.db:
#   call(seq, tid, syscall, idtype, target, options, ret, errno, reaped,
#        status, child)          every wait call, as the syscall returned it
#   fork(pid, by_tid, parent)    parent = the process of by_tid
#   fate(pid, kind, status)      kind child_exit|autoreaped|zombie|left_running
#   steal(child, thief, victim, variant)
#   sig(num, name)               the signals the workload uses
# The parent of a fork is by_tid when that is a process of the log (main,
# helper or child: the workload forks from main threads), else the main
# process of its block.
eco_load_log() {
	local d=$T/logtab
	mkdir -p "$d"
	awk -F'\t' -v d="$d" -v OFS='\t' '
		$1 == "proc" && $2 == "main_pid" { main = $3; p[$3] = 1 }
		$1 == "subproc" { p[$2] = 1 }
		$1 == "call" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 > d "/call" }
		$1 == "fork" { print $2, $3, (($3 in p) ? $3 : main) > d "/fork"; p[$2] = 1 }
		$1 == "child_exit" { print $2, "child_exit", $3 " " $4 > d "/fate" }
		$1 == "autoreaped" { print $2, "autoreaped", $4 " " $5 > d "/fate" }
		$1 == "zombie" { print $2, "zombie", $4 " " $5 > d "/fate" }
		$1 == "left_running" { print $2, "left_running", "running" > d "/fate" }
		$1 == "steal" { print $2, $3, $4, $5 > d "/steal" }
	' "$SLOG"
	local f
	for f in call fork fate steal; do touch "$d/$f"; done
	rm -f "$T/log.db"
	sqlite3 -batch "$T/log.db" <<SQL || eco_bail "cannot load the log into sqlite"
CREATE TABLE call(seq INTEGER, tid INTEGER, syscall TEXT, idtype TEXT,
  target INTEGER, options INTEGER, ret INTEGER, errno TEXT, reaped INTEGER,
  status TEXT, child INTEGER);
CREATE TABLE fork(pid INTEGER, by_tid INTEGER, parent INTEGER);
CREATE TABLE fate(pid INTEGER, kind TEXT, status TEXT);
CREATE TABLE steal(child INTEGER, thief INTEGER, victim INTEGER, variant INTEGER);
CREATE TABLE sig(num INTEGER, name TEXT);
INSERT INTO sig VALUES (9, 'SIGKILL'), (11, 'SIGSEGV'), (15, 'SIGTERM'),
  (6, 'SIGABRT'), (2, 'SIGINT'), (1, 'SIGHUP');
.mode tabs
.import $d/call call
.import $d/fork fork
.import $d/fate fate
.import $d/steal steal
SQL
	[ "$(lq "SELECT count(*) FROM fork")" -gt 0 ] || eco_bail "no fork lines in $SLOG"
}

# status_sql COLUMN: SQL turning the log's "exited N" / "killed SIG" in
# COLUMN into wtrec's wording ("killed SIGTERM"); needs table sig.
status_sql() {
	echo "CASE WHEN $1 LIKE 'killed %' THEN 'killed ' || COALESCE((SELECT name
	  FROM sig WHERE num = CAST(substr($1, 8) AS INTEGER)), substr($1, 8))
	  ELSE $1 END"
}

# Forks paired with their fate line: the k-th fork of a pid with the k-th
# fate of that pid (a recycled pid has two of each), in $T/log.db.
eco_fork_fate_view() {
	lq "CREATE VIEW IF NOT EXISTS fork_fate AS
	    SELECT f.pid, f.parent, t.kind, t.status FROM
	      (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY rowid) AS k FROM fork) f
	    JOIN (SELECT *, row_number() OVER (PARTITION BY pid ORDER BY rowid) AS k FROM fate) t
	      ON t.pid = f.pid AND t.k = f.k" >/dev/null
}
