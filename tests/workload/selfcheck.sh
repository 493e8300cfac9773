#!/bin/bash
# selfcheck.sh WTWORK SCENARIO - run one wtwork scenario untraced and check
# its log with check_log.sh.  Exit 77 (ctest: skipped) when the scenario
# says it cannot run here, e.g. pidreuse without root.
set -u
wtwork=$1
sc=$2
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $sc in
zombie)    args=(zombie 1) ;;
pollstorm) args=(pollstorm 1) ;;
*)         args=("$sc") ;;
esac
"$wtwork" "${args[@]}" -l "$tmp/log"
rc=$?
echo "wtwork ${args[*]}: exit $rc"
if [ "$rc" = 77 ]; then
	echo "SKIP: $(grep -m1 -P '_failed\t' "$tmp/log" | cut -f2-)"
	exit 77
fi
if [ "$rc" != 0 ]; then
	cat "$tmp/log"
	exit 1
fi
"$here/check_log.sh" "$tmp/log" || { cat "$tmp/log"; exit 1; }
echo "log consistent: $(wc -l < "$tmp/log") lines"
