#!/bin/bash
# export_duckdb.sh WTREC - `--export DIR` of a real recording (the sample)
# loads into DuckDB with the schema's types: DIR/load_duckdb.sql, run by
# DuckDB itself (npm @duckdb/node-api, tests/ecosystem/duckdb_load.mjs),
# for both --export-format csv and jsonl, gives
#   - exactly the tables that sql/schema.sql creates;
#   - each column with the type the schema declares (INTEGER -> BIGINT,
#     TEXT -> VARCHAR, REAL -> DOUBLE: read from schema.sql loaded into a
#     fresh sqlite3, never from a copy of it) and NOT NULL where the schema
#     says NOT NULL or PRIMARY KEY;
#   - per table the database's row count; per column its count of
#     non-NULL values, of '' (so '' did not become NULL, nor NULL ''),
#     and the sum of an integer column (so the values came through).
# The ClickHouse script is written beside it but not run here (no
# ClickHouse on this machine): the test checks only that it has a
# CREATE TABLE and a load for every table.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db
NODE_DIR=$SRC/tests/ecosystem
command -v node >/dev/null || t_skip "node is not installed (scripts/deps.sh installs it)"
[ -d "$NODE_DIR/node_modules/@duckdb/node-api" ] ||
	t_skip "npm @duckdb/node-api is not installed (scripts/deps.sh: npm ci in tests/ecosystem)"

# The schema alone, in a fresh database: where the expected types come from.
sqlite3 -batch "$T/schema.db" <"$SRC/sql/schema.sql" || t_bail "sql/schema.sql does not load in sqlite3"
sq() { sqlite3 -batch -noheader -separator '	' "$T/schema.db" "$1"; }
tables=$(sq "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")

# expected lines (see duckdb_load.mjs), from the schema and the database
{
	for t in $tables; do
		printf '%s\t*\trows\t%s\n' "$t" "$(q "SELECT count(*) FROM \"$t\"")"
		sq "SELECT name, CASE
		      WHEN upper(type) LIKE '%INT%' THEN 'BIGINT'
		      WHEN upper(type) LIKE '%CHAR%' OR upper(type) LIKE '%CLOB%'
		           OR upper(type) LIKE '%TEXT%' THEN 'VARCHAR'
		      WHEN upper(type) LIKE '%BLOB%' OR type = '' THEN 'BLOB'
		      ELSE 'DOUBLE' END,
		    CASE WHEN \"notnull\" OR pk > 0 THEN 'NO' ELSE 'YES' END
		    FROM pragma_table_info('$t') ORDER BY cid" |
		while IFS='	' read -r c type nullable; do
			empty=- sum=-
			[ "$type" = VARCHAR ] && empty="COALESCE(sum(\"$c\" = ''), 0)"
			[ "$type" = BIGINT ] && sum="COALESCE(sum(\"$c\"), 0)"
			printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$c" "$type" "$nullable" \
				"$(q "SELECT count(\"$c\") || '	' || $( [ "$empty" = - ] && echo "'-'" || echo "$empty") ||
				        '	' || $( [ "$sum" = - ] && echo "'-'" || echo "$sum") FROM \"$t\"")"
		done
	done
} >"$T/expected"
check_true "expected figures computed" [ -s "$T/expected" ]
check_true "the schema has the model's tables" grep -q "^wait_call	ret	BIGINT" "$T/expected"

for fmt in csv jsonl; do
	"$WTREC" analyze "$T/db" --export "$T/$fmt" --export-format $fmt >/dev/null 2>"$T/err"
	check_eq "--export $fmt: exit status" 0 $?
	for f in load_duckdb.sql load_clickhouse.sql; do
		check_true "--export $fmt writes $f" [ -s "$T/$fmt/$f" ]
	done
	for t in $tables; do
		check_eq "load_clickhouse.sql ($fmt): CREATE TABLE and load of $t" "1 1" \
			"$(grep -c "^CREATE TABLE \"$t\" (" "$T/$fmt/load_clickhouse.sql") $(grep -c "^INSERT INTO \"$t\" FROM INFILE '$t.$fmt'" "$T/$fmt/load_clickhouse.sql")"
	done
	node "$NODE_DIR/duckdb_load.mjs" "$T/$fmt" >"$T/got.$fmt" 2>"$T/node.err"
	check_eq "DuckDB runs load_duckdb.sql ($fmt)" 0 $?
	check_eq "DuckDB ($fmt): no error output" "" "$(cat "$T/node.err")"
	check_set "DuckDB ($fmt): tables, row counts, column types, NULLs, '', sums = the schema's and the database's" \
		"$(cat "$T/expected")" "$(cat "$T/got.$fmt")"
done
# the sample has '' values and NULLs in text columns: the check above
# tells them apart only if both occur
check_true "the sample holds '' in some text column" \
	awk -F'\t' '$3 == "VARCHAR" && $6 > 0 { f = 1 } END { exit !f }' "$T/expected"
check_true "the sample holds NULL in some text column" \
	awk -F'\t' '$2 == "*" { rows[$1] = $4 } $3 == "VARCHAR" && $5 < rows[$1] { f = 1 }
	             END { exit !f }' "$T/expected"
t_finish
