#!/bin/bash
# sql_files.sh WTREC WTWORK - every sql/*.sql file runs with the plain
# sqlite3 CLI on a database produced by `wtrec analyze` (live recording of
# `wtwork basic` + `stolen`), and schema.sql builds an empty database.
# What the reports return is checked by the other tests; here: no error,
# and each report runs the same way through `wtrec analyze -r NAME`.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record basic
e2e_analyze
e2e_summary_check

shopt -s nullglob
files=("$SRC"/sql/*.sql)
check_true "sql/ has .sql files" [ ${#files[@]} -gt 0 ]
for f in "${files[@]}"; do
	name=$(basename "$f" .sql)
	if [ "$name" = schema ]; then
		sqlite3 -batch "$T/empty.db" <"$f" >"$T/out" 2>"$T/err"
		check_eq "schema.sql on an empty database: exit status" 0 $?
		check_eq "schema.sql: no error output" "" "$(cat "$T/err")"
		continue
	fi
	sqlite3 -batch "$T/db" <"$f" >"$T/out" 2>"$T/err"
	check_eq "sqlite3 db < sql/$name.sql: exit status" 0 $?
	check_eq "sql/$name.sql: no error output" "" "$(cat "$T/err")"
	"$WTREC" analyze "$T/x.wtrec" -r "$name" -f csv >"$T/rout" 2>"$T/rerr"
	check_eq "wtrec analyze -r $name: exit status" 0 $?
done
t_finish
