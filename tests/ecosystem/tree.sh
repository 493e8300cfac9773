#!/bin/bash
# tree.sh WTREC - `wtrec analyze -r tree` on the sample recording: the
# tree's parent/child structure is the log's forks, and each child's line
# says what the log says became of it: its status ("exited 10", "killed
# SIGTERM"), which thread's wait reaped it with which syscall and idtype
# ("reaped by TID wait4(P_PID ...", or "stolen by tid THIEF ..." with the
# victim's ECHILD), "auto-reaped", "ZOMBIE", "running at end".  The same
# lines come out of plain `sqlite3 DB < sql/tree.sql`.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db
eco_load_log
eco_fork_fate_view

"$WTREC" analyze "$T/db" -r tree >"$T/tree.txt" 2>"$T/err"
check_eq "-r tree: exit status" 0 $?
check_eq "-r tree: no error output" "" "$(cat "$T/err")"
# table output: a header line, a rule, then the lines as they are
tail -n +3 "$T/tree.txt" >"$T/lines"
sqlite3 -batch "$T/db" <"$SRC/sql/tree.sql" >"$T/plain" 2>"$T/plain.err"
check_eq "sqlite3 DB < sql/tree.sql: exit status" 0 $?
check_true "plain sqlite3 prints the same lines" cmp -s "$T/lines" "$T/plain"

# Parse: box drawing to ASCII, depth = prefix length / 3; a stack gives
# each line's parent.  Output: parent_pid TAB pid TAB rest-of-line.
sed 's/│/|/g; s/├─/+-/g; s/└─/`-/g' "$T/lines" | awk -v OFS='\t' '
	{
		match($0, /^((\|  |   |\+- |`- )*)/)
		depth = RLENGTH / 3
		rest = substr($0, RLENGTH + 1)
		if (!match(rest, /\(pid [0-9]+/)) { print "UNPARSED", $0; next }
		pid = substr(rest, RSTART + 5, RLENGTH - 5)
		stack[depth] = pid
		print (depth ? stack[depth - 1] : "-"), pid, rest
	}' >"$T/parsed"
check_eq "every line names a pid" 0 "$(grep -c '^UNPARSED' "$T/parsed")"
check_true "the tree has lines" [ -s "$T/parsed" ]

sqlite3 -batch "$T/log.db" <<SQL || t_bail "cannot load the parsed tree"
CREATE TABLE tree(parent TEXT, pid INTEGER, line TEXT);
.mode tabs
.import $T/parsed tree
SQL

check_set "parent of each forked child (parent child)" \
	"$(lq "SELECT parent || ' ' || pid FROM fork")" \
	"$(lq "SELECT parent || ' ' || pid FROM tree WHERE pid IN (SELECT pid FROM fork)")"

# The k-th line of a pid goes with the k-th fork of it (pid reuse).
lq "CREATE VIEW tline AS SELECT *, row_number() OVER (PARTITION BY pid ORDER BY rowid) AS k
    FROM tree" >/dev/null

check_set "status of each child" \
	"$(lq "SELECT pid || ' ' || CASE kind WHEN 'left_running' THEN 'running at end'
	              ELSE $(status_sql status) END FROM fork_fate")" \
	"$(lq "SELECT pid || ' ' || CASE
	         WHEN line LIKE '%) running at end%' THEN 'running at end'
	         ELSE rtrim(substr(line, instr(line, ') ') + 2,
	                    instr(substr(line, instr(line, ') ') + 2) || ',', ',') - 1))
	       END FROM tree WHERE pid IN (SELECT pid FROM fork)")"

# How each reaped child was reaped, from the log's reaping call: the
# thread, syscall and idtype; "stolen" when the log has a steal of it.
check_set "reaper of each reaped child (pid how tid syscall idtype)" \
	"$(lq "SELECT c.reaped || ' ' ||
	              CASE WHEN c.reaped IN (SELECT child FROM steal) THEN 'stolen by tid'
	                   ELSE 'reaped by' END || ' ' || c.tid || ' ' || c.syscall || '(' || c.idtype
	       FROM call c WHERE c.reaped > 0 AND c.reaped IN (SELECT pid FROM fork)")" \
	"$(sed -nE 's/^[^\t]*\t([0-9]+)\t.*(reaped by|stolen by tid) ([0-9]+) (wait4|waitid)\((P_[A-Z]+).*/\1 \2 \3 \4(\5/p' "$T/parsed" |
	   awk -v f="$(lq "SELECT group_concat(pid, ' ') FROM fork")" '
		BEGIN { n = split(f, a, " "); for (i = 1; i <= n; i++) keep[a[i]] = 1 }
		($1 in keep)')"

check_set "the victims of stolen reaps (child: tid V's ... got ECHILD)" \
	"$(lq "SELECT child || ' ' || victim FROM steal")" \
	"$(sed -nE "s/^[^\t]*\t([0-9]+)\t.*stolen by tid [0-9]+ .*; tid ([0-9]+)'s .* got ECHILD$/\1 \2/p" "$T/parsed")"

check_set "auto-reaped children" \
	"$(lq "SELECT pid FROM fate WHERE kind = 'autoreaped'")" \
	"$(lq "SELECT pid FROM tree WHERE line LIKE '%, auto-reaped (%'
	       AND pid IN (SELECT pid FROM fork)")"
check_set "zombies" \
	"$(lq "SELECT pid FROM fate WHERE kind = 'zombie'")" \
	"$(lq "SELECT pid FROM tree WHERE line GLOB '*, ZOMBIE [0-9]*'
	       AND pid IN (SELECT pid FROM fork)")"
check_set "children never reaped say nothing of a reaper" \
	"$(lq "SELECT pid FROM fate WHERE kind <> 'child_exit'")" \
	"$(lq "SELECT pid FROM tree WHERE pid IN (SELECT pid FROM fork)
	       AND line NOT LIKE '%reaped by%' AND line NOT LIKE '%stolen by%'")"
t_finish
