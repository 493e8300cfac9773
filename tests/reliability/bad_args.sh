#!/bin/bash
# bad_args.sh SAMPLE - bad command lines of `wtrec analyze` and `wtrec info`
# (tests/record/bad_args.sh has record's): exit 2, a one-line "wtrec
# <cmd>: ..." error, then
# the usage hint when it is a usage mistake (hint=y), or nothing more when
# it is a fact about a file (hint=n) - and nothing written: the working
# directory and $TMPDIR are unchanged.  Needs no root.
. "$(dirname "$0")/lib.sh"
SAMPLE=${1:?usage: $0 SAMPLE.wtrec}
rl_init

mkdir "$T/work" "$T/tmp" "$T/work/dir"
cp "$SAMPLE" "$T/work/s.wtrec"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$T/work/passwd"
: >"$T/work/empty"
"$WTREC" analyze "$T/work/s.wtrec" -o "$T/work/s.db" >/dev/null 2>&1 ||
	check "setup: a wtrec database" false
if command -v sqlite3 >/dev/null; then
	sqlite3 "$T/work/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
else
	# the same thing without the CLI: a database of another schema
	"$WTREC" analyze "$T/work/s.wtrec" -o "$T/work/other.db" >/dev/null 2>&1
	printf '\x00\x00\x00\x01' | dd of="$T/work/other.db" bs=1 seek=68 conv=notrunc 2>/dev/null
fi
cd "$T/work" || exit 1
export TMPDIR=$T/tmp
# what is in the working directory, its subdirectory and $TMPDIR
snapshot() {
	stat -c '%n %s %y' . dir "$TMPDIR"
	ls -lA --time-style=full-iso . dir "$TMPDIR"
}

# id|hint|command line (word-split; no spaces inside arguments)
cases=(
	"a01|y|analyze --bogus s.wtrec"
	"a02|y|analyze -x s.wtrec"
	"a03|y|analyze s.wtrec -o"
	"a04|y|analyze --sql"
	"a05|y|analyze -f xml s.wtrec"
	"a06|y|analyze -f"
	"a07|y|analyze -r nosuch s.wtrec"
	"a08|y|analyze"
	"a09|n|analyze passwd"
	"a10|n|analyze nonexistent.wtrec"
	"a11|n|analyze dir"
	"a12|n|analyze other.db"
	"a13|n|analyze empty"
	"a14|n|analyze s.wtrec -o other.db"
	"a15|n|analyze s.wtrec -o dir"
	"a16|n|analyze s.wtrec -o /nonexistent-wtrec-dir/x.db"
	"a17|n|analyze s.wtrec -o /proc/wtrec-test.db"
	"a18|n|analyze s.wtrec -o s.wtrec"
	"a19|n|analyze s.wtrec s.db"
	"i01|y|info --bogus s.wtrec"
	"i02|y|info -p"
	"i03|y|info -p abc s.wtrec"
	"i04|y|info -p -5 s.wtrec"
	"i05|y|info -p 0 s.wtrec"
	"i06|y|info -p 99999999999 s.wtrec"
	"i07|y|info"
	"i08|y|info s.wtrec s.wtrec"
	"i09|y|info --json=yes s.wtrec"
	"i10|n|info passwd"
	"i11|n|info nonexistent.wtrec"
	"i12|n|info dir"
	"i13|n|info other.db"
	"i14|n|info empty"
)
for c in "${cases[@]}"; do
	IFS='|' read -r id hint args <<<"$c"
	cmd=${args%% *}
	before=$(snapshot)
	# shellcheck disable=SC2086 # word splitting of the table entry is wanted
	"$WTREC" $args >"$T/out" 2>"$T/err"
	rc=$?
	check_eq "$id ($args): exit status" 2 "$rc"
	check "$id: one-line 'wtrec $cmd:' error first" \
		grep -q "^wtrec\( $cmd\)\?: " <(head -1 "$T/err")
	if [ "$hint" = y ]; then
		check "$id: usage hint" grep -Eqi "usage|--help" <(sed -n 2p "$T/err")
		check "$id: nothing more" [ "$(wc -l <"$T/err")" -le 2 ]
	else
		check_eq "$id: one line only" 1 "$(wc -l <"$T/err")"
		# the message names what it is about
		f=$(echo "$args" | awk '{ print $NF }')
		check "$id: names $f" grep -qF "$f" "$T/err"
	fi
	check_eq "$id: nothing on stdout" "" "$(cat "$T/out")"
	check_eq "$id: nothing written" "$before" "$(snapshot)"
	[ "$TEST_FAIL" != 0 ] && [ -z "${dumped:-}" ] && { dumped=1; cat "$T/err"; }
done
t_finish
