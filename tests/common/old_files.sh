#!/bin/bash
# old_files.sh WTREC RECODE - recordings of format version 1 (wtrec 0.1,
# zlib) still analyze, and the codec changes nothing but the bytes: each
# shipped version 1 recording is recoded chunk by chunk to zstd (version 2)
# and back to zlib (version 1) by recode.c, and the three files must give
# the same database, table by table (the recording's path aside), and the
# same report text.  What the old files decode to is checked against the
# workload's own log by tests/e2e/sample.sh; here only that nothing moved.
. "$(dirname "$0")/../lib/check.sh"
WTREC=${1:?usage: old_files.sh WTREC RECODE}
RECODE=${2:?usage: old_files.sh WTREC RECODE}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
t_mktemp common
command -v sqlite3 >/dev/null || t_skip "no sqlite3 (apt-get install sqlite3)"

# info_field FILE: "version N, ..., CODECS" line of wtrec info
info_format() { "$WTREC" info "$1" | sed -n 's/^format: *//p'; }

# db_tables DB: the model's tables (not SQLite's own)
db_tables() {
	sqlite3 -batch -noheader "$1" \
		"SELECT name FROM sqlite_master WHERE type = 'table'
		 AND name NOT LIKE 'sqlite_%' ORDER BY name"
}

# same_db WHAT A B: every table of A has the same rows in B and back
same_db() {
	local t n diff
	sqlite3 "$2" "UPDATE recording SET path = 'x'" &&
		sqlite3 "$3" "UPDATE recording SET path = 'x'" ||
		{ fail "$1: cannot open the databases"; return; }
	check_eq "$1: same tables" "$(db_tables "$2")" "$(db_tables "$3")"
	for t in $(db_tables "$2"); do
		n=$(sqlite3 -batch -noheader "$2" "SELECT count(*) FROM $t")
		diff=$(sqlite3 -batch -noheader "$2" "ATTACH '$3' AS b;
			SELECT count(*) FROM b.$t;
			SELECT count(*) FROM (SELECT * FROM main.$t EXCEPT SELECT * FROM b.$t);
			SELECT count(*) FROM (SELECT * FROM b.$t EXCEPT SELECT * FROM main.$t);")
		check_eq "$1: table $t ($n rows): rows in B, A-B, B-A" \
			"$(printf '%s\n0\n0' "$n")" "$diff"
	done
}

n=0
for f in samples/wtwork.wtrec tests/reliability/corpus/wtwork.wtrec; do
	old=$SRC/$f
	[ -f "$old" ] || { fail "$f: missing"; continue; }
	n=$((n + 1))
	check_eq "$f: a version 1 zlib file" \
		"version 1, little-endian, word size 8, zlib" "$(info_format "$old")"
	check "$f: recoded to zstd" "$RECODE" "$old" "$T/$n.zstd.wtrec" zstd
	check "$f: and back to zlib" "$RECODE" "$T/$n.zstd.wtrec" "$T/$n.zlib.wtrec" zlib
	check_eq "$f: zstd copy is version 2" \
		"version 2, little-endian, word size 8, zstd" \
		"$(info_format "$T/$n.zstd.wtrec")"
	check_eq "$f: zlib copy is version 1" \
		"version 1, little-endian, word size 8, zlib" \
		"$(info_format "$T/$n.zlib.wtrec")"
	for v in old zstd zlib; do
		in=$old
		[ $v = old ] || in=$T/$n.$v.wtrec
		"$WTREC" analyze "$in" -o "$T/$n.$v.db" >/dev/null 2>"$T/err"
		check_eq "$f ($v): analyze exit status" 0 $?
		"$WTREC" analyze "$T/$n.$v.db" -r summary,tree,children |
			grep -v '^recording ' >"$T/$n.$v.txt"
	done
	check "$f: the summary has content" grep -q "wait calls" "$T/$n.old.txt"
	same_db "$f: old vs zstd" "$T/$n.old.db" "$T/$n.zstd.db"
	same_db "$f: old vs zlib" "$T/$n.old.db" "$T/$n.zlib.db"
	check "$f: same reports, zstd" cmp -s "$T/$n.old.txt" "$T/$n.zstd.txt"
	check "$f: same reports, zlib" cmp -s "$T/$n.old.txt" "$T/$n.zlib.txt"
done
check_eq "old files checked" 2 "$n"
t_finish
