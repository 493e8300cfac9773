#!/bin/bash
# formats.sh WTREC - the machine formats hold their documented shapes
# (README "Output formats", wtrec(1) FORMATS), for every report of the
# sample recording and for --sql queries:
#   -f json    one array of objects, keys = the columns of the CSV header
#              (the SQL's names), each key one JSON type in every row, a
#              column of numbers (every CSV value of it parses as one)
#              given as JSON numbers, the values those of the CSV;
#   -f jsonl   the same objects, one per line;
#   -f csv     NULL and '' empty fields (--export tells them apart);
#   several reports in csv/json/jsonl: refused (exit 2, nothing on stdout)
#   without --dir; with --dir DIR one file per report, each the same as
#   that report printed alone;
#   table on a terminal (a pty of 80, 100, 132 columns): no line wider than
#   the terminal, cut values end in an ellipsis and are a prefix of the
#   full value; not on a terminal, nothing is cut.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db
command -v script >/dev/null || t_skip "script(1) (util-linux) is not installed: no pty for the terminal checks"
export LC_ALL=C.UTF-8

reports=$(cd "$SRC/sql" && ls *.sql | sed 's/\.sql$//' | grep -vx schema)

# jq-free JSON checks with sqlite3's json1, on the file $1
jq1() { sqlite3 -batch -noheader "$T/db" "$1"; }

for r in $reports; do
	"$WTREC" analyze "$T/db" -r "$r" -f json >"$T/$r.json" 2>"$T/err"
	check_eq "-r $r -f json: exit status" 0 $?
	"$WTREC" analyze "$T/db" -r "$r" -f csv >"$T/$r.csv" 2>/dev/null
	"$WTREC" analyze "$T/db" -r "$r" -f jsonl >"$T/$r.jsonl" 2>/dev/null
	check_eq "-r $r -f jsonl: exit status" 0 $?
	rm -f "$T/imp.db"
	sqlite3 -batch "$T/imp.db" ".import --csv $T/$r.csv t" 2>/dev/null
	cols=$(sqlite3 -batch "$T/imp.db" "SELECT name FROM pragma_table_info('t') ORDER BY cid")
	nrows=$(sqlite3 -batch "$T/imp.db" "SELECT count(*) FROM t")
	J="readfile('$T/$r.json')"
	check_eq "-r $r json: an array of $nrows objects" "array $nrows $nrows" \
		"$(jq1 "SELECT json_type($J) || ' ' || json_array_length($J) || ' ' ||
		        (SELECT count(*) FROM json_each($J) WHERE type = 'object')")"
	check_set "-r $r json: the keys of every object = the CSV header" \
		"$(for i in $(seq "$nrows"); do echo "$cols"; done)" \
		"$(jq1 "SELECT k.key FROM json_each($J) o, json_each(o.value) k")"
	check_eq "-r $r json: each key has one type (null aside)" "" \
		"$(jq1 "SELECT k.key FROM json_each($J) o, json_each(o.value) k
		        WHERE k.type <> 'null' GROUP BY k.key
		        HAVING count(DISTINCT CASE WHEN k.type IN ('integer', 'real')
		                                   THEN 'number' ELSE k.type END) > 1")"
	# numeric columns: every non-empty CSV value is a number; the JSON
	# rows, read back column by column, equal the CSV's rows (numbers
	# compared as numbers: the CSV keeps printf's "1.470", JSON 1.47)
	csvx= ; jsx=
	for c in $cols; do
		isnum=$(sqlite3 -batch "$T/imp.db" "SELECT count(*) > 0 AND
		         sum(\"$c\" GLOB '*[0-9]*' AND \"$c\" NOT GLOB '*[^-+.eE0-9]*') = count(*)
		         FROM t WHERE \"$c\" <> ''")
		jv="json_extract(o.value, '\$.\"$c\"')"
		if [ "$isnum" = 1 ]; then
			check_eq "-r $r json: column $c of numbers is JSON numbers" "" \
				"$(jq1 "SELECT DISTINCT k.type FROM json_each($J) o, json_each(o.value) k
				        WHERE k.key = '$c' AND k.type NOT IN ('integer', 'real', 'null')")"
			csvx+="${csvx:+, }CAST(nullif(\"$c\", '') AS REAL)"
			jsx+="${jsx:+, }CAST($jv AS REAL)"
		else
			csvx+="${csvx:+, }\"$c\""
			jsx+="${jsx:+, }COALESCE(CAST($jv AS TEXT), '')"
		fi
	done
	check_eq "-r $r json: the rows = the CSV's rows" 0 "$(sqlite3 -batch "$T/imp.db" "
		WITH j AS (SELECT $jsx FROM json_each($J) o), c AS (SELECT $csvx FROM t)
		SELECT (SELECT count(*) FROM (SELECT * FROM j EXCEPT SELECT * FROM c)) +
		       (SELECT count(*) FROM (SELECT * FROM c EXCEPT SELECT * FROM j))")"
	# jsonl: the same objects, one per line
	check_eq "-r $r jsonl: one line per row" "$nrows" "$(grep -c . "$T/$r.jsonl")"
	sed '1s/^/[/; $!s/$/,/; $s/$/]/' "$T/$r.jsonl" >"$T/$r.jsonl.arr"
	[ -s "$T/$r.jsonl" ] || echo '[]' >"$T/$r.jsonl.arr"
	check_eq "-r $r jsonl: the objects of -f json" 1 \
		"$(jq1 "SELECT json(readfile('$T/$r.jsonl.arr')) = json($J)")"
done

# --sql: the database's types come through; '' and NULL differ in CSV
"$WTREC" analyze "$T/db" --sql "SELECT id, ret, errno_name, options_text FROM wait_call" \
	-f json >"$T/sql.json"
check_eq "--sql json: id and ret are integers, errno_name text or null" "" \
	"$(jq1 "SELECT DISTINCT k.key || ':' || k.type FROM json_each(readfile('$T/sql.json')) o,
	        json_each(o.value) k WHERE NOT ((k.key IN ('id', 'ret') AND k.type = 'integer')
	        OR (k.key IN ('errno_name', 'options_text') AND k.type IN ('text', 'null')))")"
check_eq "--sql json: options_text '0' stays a string (a column of text)" text \
	"$(jq1 "SELECT DISTINCT json_type(o.value, '\$.options_text') FROM
	        json_each(readfile('$T/sql.json')) o WHERE json_extract(o.value, '\$.options_text') = '0'")"
check_eq "csv: '' and NULL are empty fields" 'e,n,x\r;,,1\r;' \
	"$("$WTREC" analyze "$T/db" --sql "SELECT '' AS e, NULL AS n, 1 AS x" -f csv |
	   sed 's/\r/\\r/' | tr '\n' ';')"

# several reports: refused without --dir, one file each with it
for f in csv json jsonl; do
	"$WTREC" analyze "$T/db" -r summary,zombies,stolen -f $f >"$T/out" 2>"$T/err"
	check_eq "-f $f with 3 reports, no --dir: exit 2" 2 $?
	check_eq "-f $f with 3 reports, no --dir: nothing on stdout" "" "$(cat "$T/out")"
	check_true "-f $f with 3 reports: the message names --dir" grep -q -- "--dir" "$T/err"
	"$WTREC" analyze "$T/db" -r summary,zombies,stolen -f $f --dir "$T/d$f" >"$T/out" 2>"$T/err"
	check_eq "-f $f --dir: exit status" 0 $?
	check_eq "-f $f --dir: nothing on stdout" "" "$(cat "$T/out")"
	check_set "-f $f --dir: one file per report" "$(printf '%s\n' summary.$f zombies.$f stolen.$f)" \
		"$(ls "$T/d$f")"
	for r in summary zombies stolen; do
		"$WTREC" analyze "$T/db" -r $r -f $f >"$T/alone" 2>/dev/null
		check_true "-f $f --dir: $r.$f = -r $r -f $f" cmp -s "$T/alone" "$T/d$f/$r.$f"
	done
done
"$WTREC" analyze "$T/db" --sql "SELECT 1 AS a; SELECT 2 AS b" -f csv --dir "$T/dsql" 2>/dev/null
check_set "--sql with two statements --dir: sql.csv, sql-2.csv" "$(printf '%s\n' sql.csv sql-2.csv)" \
	"$(ls "$T/dsql")"
: >"$T/afile"
"$WTREC" analyze "$T/db" -r zombies -f csv --dir "$T/afile" >/dev/null 2>&1
check_eq "--dir onto a file: exit 2" 2 $?

# table on a terminal: fits; cut values are prefixes of the full ones
"$WTREC" analyze "$T/db" -r tree >"$T/tree.full"
check_eq "table not on a terminal: nothing cut" 0 "$(grep -c '…' "$T/tree.full")"
natural=$(wc -L <"$T/tree.full")
for cols in 80 100 132; do
	for r in $reports; do
		script -qec "stty cols $cols; '$WTREC' analyze '$T/db' -r $r" /dev/null |
			tr -d '\r' >"$T/tty.$r"
		check_true "-r $r on a $cols-column terminal: printed" [ -s "$T/tty.$r" ]
		w=$(wc -L <"$T/tty.$r")
		check_true "-r $r on a $cols-column terminal: widest line $w <= $cols" [ "$w" -le "$cols" ]
	done
	if [ "$natural" -gt "$cols" ]; then
		check_true "tree on $cols columns: long lines cut with an ellipsis" grep -q '…$' "$T/tty.tree"
	fi
	# every terminal line is the full line, or a prefix of it + "…"
	bad=$(tail -n +3 "$T/tty.tree" | paste -d '\n' - <(tail -n +3 "$T/tree.full") |
	      while IFS= read -r cut && IFS= read -r full; do
		      case $cut in
		      *…) [ "${full#"${cut%…}"}" != "$full" ] || echo "$cut";;
		      *) [ "$cut" = "$full" ] || echo "$cut";;
		      esac
	      done)
	check_eq "tree on $cols columns: cut lines are prefixes of the full lines" "" "$bad"
done
t_finish
