#!/bin/bash
# checkneg.sh WTWORK - check_log.sh must reject broken logs: run `wtwork
# basic 4` untraced, then damage its log in numbered ways; each damaged log
# must fail the check (a checker that accepts anything proves nothing).
set -u
wtwork=$1
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$wtwork" basic 4 -l "$tmp/log" || { echo "wtwork basic 4 failed"; exit 1; }
"$here/check_log.sh" "$tmp/log" || { echo "the intact log fails the check"; exit 1; }

# id | sed program that damages the log
cases='
1|0,/^child_exit/{/^child_exit/d}
2|$d
3|s/^\(call\t[0-9]*\t[0-9]*\t\)wait4/\1wait5/
4|0,/ECHILD/s/ECHILD/-/
5|0,/^fork/s/^fork\t\([0-9]*\)/fork\t1\1/
6|0,/exited 11/s/exited 11/exited 12/
7|$a mismatch\tinjected
8|1s/^proc/prc/
9|0,/^callmem/{/^callmem/d}
10|0,/^callmem\t2\t/s/^\(callmem\t2\t[0-9]*\t[0-9]*\t[0-9]*\t\)[0-9]*/\1-/
11|0,/^callmem\t1\t/s/^\(callmem\t1\t[0-9]*\t[0-9]*\t[0-9]*\t\)-/\17/
12|0,/^callmem\t2\t/s/^\(callmem\t2\t\([^\t]*\t\)\{10\}\)[0-9]*/\1-/
'
failed=0
while IFS='|' read -r id prog; do
	[ -z "$id" ] && continue
	sed "$prog" "$tmp/log" >"$tmp/bad.$id"
	if cmp -s "$tmp/log" "$tmp/bad.$id"; then
		echo "case $id: sed did not change the log ($prog)"; failed=1
	elif "$here/check_log.sh" "$tmp/bad.$id" >/dev/null; then
		echo "case $id: damaged log accepted ($prog)"; failed=1
	fi
done <<<"$cases"
[ $failed = 0 ] && echo "check_log.sh rejected all damaged logs"
exit $failed
