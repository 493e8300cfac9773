#!/bin/bash
# (g) Bad command lines: exit 2, a one-line "wtrec: ..." error followed by
# the usage hint (hint=y; a pid that does not exist is not a usage mistake:
# one line only), and no output file.  Needs no root: options are checked
# before anything touches tracefs (cases 19, 23 and 24 - an output
# directory, a cgroup, a container that does not exist - are refused after
# the root check: as non-root they fail on that).
. "$(dirname "$0")/lib.sh"
rec_init "$@"

# a pid that surely does not exist: one that just exited
true & gone=$!
wait $gone

F="$T/bad.wtrec"
cases=(
	"01|y|-o $F -d -1"
	"02|y|-o $F -d abc"
	"03|y|-o $F -d 0"
	"04|y|-o $F -d"
	"05|y|-o $F -b 0"
	"06|y|-o $F -b 12x"
	"07|y|-o $F -b -5"
	"08|y|-o $F -p 0"
	"09|y|-o $F -p abc"
	"10|n|-o $F -p $gone"
	"11|y|-o $F -p 1,,2"
	"12|y|-o $F --backend foo"
	"13|y|-o $F -x"
	"14|y|-o $F --bogus"
	"15|y|-o $F -p $$ -- true"
	"16|y|-o $F --"
	"17|y|-o $F -d 1e400"
	"18|y|-o $F -p 99999999999"
	"19|n|-o /nonexistent-wtrec-dir/x.wtrec -d 1"
	"20|y|--max-size 0 -o $F"
	"21|y|--max-size 10X -o $F"
	"22|y|--max-size -1 -o $F"
	"23|y|--max-size 2000000G -o $F"
	"24|y|--max-size 1.5M -o $F"
	"25|y|-o $F --max-size"
	"26|y|--cleanup -d 1"
	"27|y|--cleanup -o $F"
	"28|y|--cleanup -- true"
	"29|y|-d -3 -o $F"
	"30|y|-o $F --codec lz4"
	"31|y|-o $F --codec"
	"32|y|-o $F --cgroup / --container abcd"
	"33|y|-o $F --cgroup / -p $$"
	"34|y|-o $F --container abcd -- true"
	"35|n|-o $F --cgroup /no-such-cgroup-of-wtrec"
	"36|n|-o $F --container 0000ffff0000"
)
for c in "${cases[@]}"; do
	IFS='|' read -r id hint args <<<"$c"
	# shellcheck disable=SC2086 # word splitting of the table entry is wanted
	"$WTREC" record $args >"$T/out" 2>"$T/err"
	rc=$?
	check_eq "case $id ($args): exit status" 2 "$rc"
	check "case $id: one-line wtrec: error first" grep -q "^wtrec: " <(head -1 "$T/err")
	if [ "$hint" = y ]; then
		check "case $id: usage hint" grep -q "^usage: wtrec record" <(sed -n 2p "$T/err")
	else
		check_eq "case $id: one line only" 1 "$(wc -l <"$T/err")"
	fi
	check "case $id: no output file" [ ! -e "$F" ]
done
"$WTREC" record --help >"$T/out" 2>&1
check_eq "--help exit status" 0 "$?"
check "--help prints usage" grep -q "^usage: wtrec record" "$T/out"
t_finish
