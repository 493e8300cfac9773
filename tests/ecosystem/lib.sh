# lib.sh - helpers of the ecosystem tests (sourced, bash): timeline,
# tree, export, shell, help, man page, install.  No root needed: they run
# on the shipped sample recording samples/wtwork.wtrec, and take what is
# expected from its ground-truth log samples/wtwork.log (written by the
# workload itself, see tests/workload/wtwork.c), never from wtrec.  The
# bookkeeping (check_eq, check_true, check_set, pass/fail, q, the EXIT
# cleanup) is tests/lib/check.sh, the log splitting tests/lib/wtlog.sh.
#
#   . "$(dirname "$0")/lib.sh"
#   eco_init "$@"            # args: WTREC [...]; $T = a fresh temp dir
#   eco_sample_db            # $T/db = wtrec analyze samples/wtwork.wtrec
#   eco_load_log             # $T/log.db = the log as tables (see below)
#   check_eq WHAT EXPECTED ACTUAL / check_true WHAT CMD... / check_set
#   t_finish                 # "N passed, M failed"; exit 1 if any failed

# shellcheck source=../lib/check.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
# shellcheck source=../lib/wtlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/wtlog.sh"

# eco_init WTREC [ARGS...]: $WTREC, $SRC (the source tree), $T
eco_init() {
	WTREC=$(realpath "${1:?usage: $0 WTREC}")
	SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	[ -x "$WTREC" ] || t_bail "wtrec binary not found: $WTREC"
	command -v sqlite3 >/dev/null ||
		t_skip "the sqlite3 command-line shell is not installed (apt-get install sqlite3)"
	t_mktemp eco
	SAMPLE=$SRC/samples/wtwork.wtrec
	SLOG=$SRC/samples/wtwork.log
}

# eco_sample_db: $T/db from the sample recording
eco_sample_db() {
	[ -f "$SAMPLE" ] && [ -f "$SLOG" ] ||
		t_skip "no sample in $SRC/samples (run samples/make-sample.sh as root)"
	"$WTREC" analyze "$SAMPLE" -o "$T/db" >"$T/analyze.out" 2>"$T/analyze.err" ||
		t_bail "wtrec analyze $SAMPLE failed: $(cat "$T/analyze.err")"
}

# eco_need_browser MODULE...: skip (77) unless Debian's chromium, node
# and these npm modules of tests/ecosystem are there; $NODE_DIR is that
# folder.  scripts/deps.sh installs them all.
eco_need_browser() {
	NODE_DIR=$SRC/tests/ecosystem
	[ -x /usr/bin/chromium ] || t_skip "no /usr/bin/chromium (scripts/deps.sh installs Debian's chromium)"
	command -v node >/dev/null || t_skip "node is not installed (scripts/deps.sh installs it)"
	local m
	for m in "$@"; do
		[ -d "$NODE_DIR/node_modules/$m" ] ||
			t_skip "npm $m is not installed (scripts/deps.sh: npm ci in tests/ecosystem)"
	done
}

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
	wtlog_split "$SLOG" "$d" '
		$1 == "proc" && $2 == "main_pid" { main = $3; p[$3] = 1 }
		$1 == "subproc" { p[$2] = 1 }
		$1 == "fork" { print $2, $3, (($3 in p) ? $3 : main) > d "/fork"; p[$2] = 1 }
	'
	touch "$d/fork"
	rm -f "$T/log.db"
	sqlite3 -batch "$T/log.db" <<SQL || t_bail "cannot load the log into sqlite"
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
	[ "$(lq "SELECT count(*) FROM fork")" -gt 0 ] || t_bail "no fork lines in $SLOG"
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
