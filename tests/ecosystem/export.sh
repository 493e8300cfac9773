#!/bin/bash
# export.sh WTREC - `wtrec analyze --export DIR [--export-format csv|jsonl]`
# round-trips: every table of the database (as the database itself lists
# them) has a file; its row count is what `wtrec analyze --sql 'SELECT
# count(*) FROM X'` says; and its contents, read back by sqlite3 (CSV with
# `.import --csv`, JSON Lines with json_each), equal the table's, value
# for value (CSV: as text, NULL as empty; JSONL: with their types).
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db

"$WTREC" analyze "$T/db" --export "$T/csv" >"$T/out" 2>"$T/err"
check_eq "--export csv: exit status" 0 $?
check_eq "--export: nothing on stdout" "" "$(cat "$T/out")"
"$WTREC" analyze "$SAMPLE" --export "$T/jsonl" --export-format jsonl >/dev/null 2>"$T/err2"
check_eq "--export jsonl, from the recording: exit status" 0 $?
"$WTREC" analyze "$T/db" --export "$T/x" --export-format xml >/dev/null 2>&1
check_eq "--export-format xml is refused (2)" 2 $?
: >"$T/afile"
"$WTREC" analyze "$T/db" --export "$T/afile" >/dev/null 2>"$T/err3"
check_eq "--export onto a file: error (2)" 2 $?

tables=$(q "SELECT name FROM sqlite_schema WHERE type = 'table'
            AND name NOT LIKE 'sqlite%' ORDER BY name")
for t in recording process thread wait_call stats; do
	check_true "model table $t is in the database" grep -qx "$t" <<<"$tables"
done
check_set "csv files = the database's tables (and the load scripts)" \
	"$(printf '%s\n' $tables load_duckdb load_clickhouse)" \
	"$(cd "$T/csv" && ls | sed 's/\.csv$//; s/\.sql$//')"
check_set "jsonl files = the database's tables (and the load scripts)" \
	"$(printf '%s\n' $tables load_duckdb load_clickhouse)" \
	"$(cd "$T/jsonl" && ls | sed 's/\.jsonl$//; s/\.sql$//')"

for t in $tables; do
	n=$("$WTREC" analyze "$T/db" --sql "SELECT count(*) AS n FROM \"$t\"" -f csv | tail -n 1 | tr -d '\r')
	# the table's values as text, NULL as '' (what CSV can hold)
	cols=$(q "SELECT group_concat('COALESCE(CAST(\"' || name || '\" AS TEXT), '''')', ', ')
	          FROM pragma_table_info('$t')")
	# the table's values as JSON values, keys = column names
	jcols=$(q "SELECT group_concat('json_extract(value, ''\$.\"' || name || '\"'')', ', ')
	           FROM pragma_table_info('$t')")
	raw=$(q "SELECT group_concat('\"' || name || '\"', ', ') FROM pragma_table_info('$t')")

	rm -f "$T/imp.db"
	sqlite3 -batch "$T/imp.db" ".import --csv $T/csv/$t.csv t" 2>"$T/imp.err"
	check_eq "$t.csv: imports" "" "$(cat "$T/imp.err")"
	check_eq "$t.csv: rows = count(*) ($n)" "$n" "$(sqlite3 "$T/imp.db" "SELECT count(*) FROM t")"
	check_eq "$t.csv: header = the columns" \
		"$(q "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")" \
		"$(head -n 1 "$T/csv/$t.csv" | tr -d '\r')"
	check_eq "$t.csv: same values" 0 "$(sqlite3 "$T/imp.db" "ATTACH '$T/db' AS m;
		SELECT (SELECT count(*) FROM (SELECT $cols FROM m.\"$t\" EXCEPT SELECT * FROM t))
		     + (SELECT count(*) FROM (SELECT * FROM t EXCEPT SELECT $cols FROM m.\"$t\"))")"

	# JSON Lines -> one JSON array for json_each
	sed '1s/^/[/; $!s/$/,/; $s/$/]/' "$T/jsonl/$t.jsonl" >"$T/arr.json"
	[ -s "$T/jsonl/$t.jsonl" ] || echo '[]' >"$T/arr.json"
	check_eq "$t.jsonl: every line an object, rows = count(*) ($n)" "$n $n" \
		"$(sqlite3 "$T/db" "SELECT COALESCE(sum(json_type(value) = 'object'), 0) || ' ' || count(*)
		   FROM json_each(readfile('$T/arr.json'))" | sed 's/^ /0 /')"
	check_eq "$t.jsonl: same values and types" 0 "$(sqlite3 "$T/db" "
		WITH j AS (SELECT $jcols FROM json_each(readfile('$T/arr.json')))
		SELECT (SELECT count(*) FROM (SELECT $raw FROM \"$t\" EXCEPT SELECT * FROM j))
		     + (SELECT count(*) FROM (SELECT * FROM j EXCEPT SELECT $raw FROM \"$t\"))")"
done
t_finish
