#!/bin/bash
# shell.sh WTREC - `wtrec analyze --shell`: sqlite3 runs on the database
# with a view report_NAME per report (every sql/NAME.sql but schema), each
# returning as many rows as `wtrec analyze -r NAME`; the database file is
# not changed; a temporary database (recording input, no -o) is removed
# when the shell exits; without sqlite3 in PATH wtrec says how to install
# it and exits 2.  SQL comes on stdin, so sqlite3 runs non-interactively.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db

reports=$(cd "$SRC/sql" && ls *.sql | sed 's/\.sql$//' | grep -vx schema)
before=$(cksum <"$T/db")
for r in $reports; do
	n=$("$WTREC" analyze "$T/db" -r "$r" -f csv 2>/dev/null | tail -n +2 | wc -l)
	got=$(echo "SELECT count(*) FROM report_$r;" |
	      "$WTREC" analyze "$T/db" --shell 2>"$T/err")
	check_eq "--shell: report_$r has the rows of -r $r ($n)" "$n" "$got"
	check_eq "--shell: report_$r: no error output" "" "$(cat "$T/err")"
done
check_eq "--shell leaves the database file as it was" "$before" "$(cksum <"$T/db")"

echo "SELECT count(*) > 0 FROM wait_call;" |
	"$WTREC" analyze "$T/db" --shell >"$T/out" 2>&1
check_eq "--shell: the model's tables are there" 1 "$(cat "$T/out")"

# A recording as input: the database is temporary, gone after the shell.
mkdir "$T/tmp"
got=$(echo "SELECT count(*) FROM report_zombies;" |
      TMPDIR=$T/tmp "$WTREC" analyze "$SAMPLE" --shell 2>"$T/err")
check_eq "--shell on a recording: exit status" 0 $?
check_eq "--shell on a recording: report_zombies rows" \
	"$(q "SELECT count(*) FROM zombie_v")" "$got"
check_eq "--shell on a recording: the temporary database is removed" "" \
	"$(ls -A "$T/tmp")"

# The shell's exit status is wtrec's.
echo "SELECT * FROM no_such_table;" |
	"$WTREC" analyze "$T/db" --shell >/dev/null 2>&1
check_true "--shell: a failing statement fails the run" [ $? -ne 0 ]

# No sqlite3 in PATH: the message says how to get it.
mkdir "$T/empty"
PATH=$T/empty "$WTREC" analyze "$T/db" --shell </dev/null >"$T/out" 2>"$T/err"
check_eq "--shell without sqlite3: exit status 2" 2 $?
check_true "--shell without sqlite3: says apt-get install sqlite3" \
	grep -q "apt-get install sqlite3" "$T/err"
t_finish
