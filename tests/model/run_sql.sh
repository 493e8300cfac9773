#!/bin/sh
# run_sql.sh DB FILE.sql - run one sql/ file through the plain sqlite3 CLI,
# as a user would (`sqlite3 out.db < sql/children.sql`).  A report must
# succeed and print at least one row on the fixture database; schema.sql
# must build a fresh database.  Exit 77 (skip) without the sqlite3 CLI.
db=$1
sql=$2
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "SKIP: sqlite3 CLI not installed"
	exit 77
fi
name=$(basename "$sql" .sql)
if [ "$name" = schema ]; then
	tmp=$(mktemp) || exit 1
	rm -f "$tmp"
	sqlite3 -bail "$tmp" < "$sql"
	rc=$?
	n=$(sqlite3 "$tmp" "SELECT count(*) FROM sqlite_schema WHERE type = 'table'")
	rm -f "$tmp"
	[ $rc -eq 0 ] && [ "$n" -ge 6 ] || { echo "FAIL: schema ($rc, $n tables)"; exit 1; }
	echo "1 passed, 0 failed"
	exit 0
fi
out=$(sqlite3 -bail -header "$db" < "$sql" 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 0 ]; then
	echo "FAIL: sqlite3 exited $rc on $name"
	echo "0 passed, 1 failed"
	exit 1
fi
rows=$(printf '%s\n' "$out" | grep -c .)
if [ "$rows" -lt 2 ]; then
	echo "FAIL: $name returned no rows on the fixture database"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "1 passed, 0 failed"
