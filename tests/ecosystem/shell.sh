#!/bin/bash
# shell.sh WTREC - `wtrec analyze --shell`: sqlite3 runs on the database
# with a view report_NAME per report (every sql/NAME.sql but schema), each
# returning as many rows as `wtrec analyze -r NAME`; the database file is
# not changed, and writing statements are refused (sha256 unchanged)
# unless --rw is given; a temporary database (recording input, no -o) is removed
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

# Read-only unless --rw: a writing statement is refused, the file's
# sha256 is what it was; with --rw the same statement works (on a copy).
sum0=$(sha256sum <"$T/db")
for stmt in "CREATE TABLE x(a);" "DELETE FROM wait_call;" \
	"UPDATE process SET pid = 0;" "DROP VIEW zombie_v;" "PRAGMA user_version = 7;"; do
	echo "$stmt" | "$WTREC" analyze "$T/db" --shell >"$T/out" 2>&1
	check_true "--shell refuses '$stmt' (exit non-zero)" [ $? -ne 0 ]
	check_true "--shell: '$stmt' fails as a read-only database" \
		grep -q "readonly database" "$T/out"
	check_eq "--shell: sha256 unchanged after '$stmt'" "$sum0" "$(sha256sum <"$T/db")"
done
cp "$T/db" "$T/rw.db"
echo "CREATE TABLE x(a); INSERT INTO x VALUES (42);" |
	"$WTREC" analyze "$T/rw.db" --shell --rw >"$T/out" 2>&1
check_eq "--shell --rw: a writing statement works" 0 $?
check_eq "--shell --rw: the row is in the file" 42 \
	"$(sqlite3 -batch "$T/rw.db" "SELECT a FROM x")"
"$WTREC" analyze "$T/db" --rw >/dev/null 2>&1
check_eq "--rw without --shell: usage error (2)" 2 $?

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
