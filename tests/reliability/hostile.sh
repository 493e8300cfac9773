#!/bin/bash
# hostile.sh SAMPLE - recordings whose own description lies (hostile.c
# writes them from the sample with the common writer, valid CRCs and all):
# event FORMATs crafted against libtraceevent's parser, field offsets and
# sizes beyond any record, header_page with absurd sizes, CPU_DATA with
# absurd sub-buffer sizes or CPU numbers.  `wtrec info` and `wtrec
# analyze` on each: exit 0, 1 or 2, never a signal or a hang; a case marked
# "damage" must be refused with a message naming the file and the chunk
# offset or record.  Run in the ASan+UBSan build this also proves nothing
# is read out of bounds.
. "$(dirname "$0")/lib.sh"
SAMPLE=${1:?usage: $0 SAMPLE}
rl_init

mkdir "$T/h"
"$HOSTILE" "$SAMPLE" "$T/h" >"$T/list"
check_eq "generator: every case changed something" 0 "$?"
check "generator: cases written" [ "$(wc -l <"$T/list")" -ge 20 ]
while read -r name expect what; do
	f="$T/h/$name"
	for cmd in info analyze; do
		timeout 10 "$WTREC" $cmd "$f" >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		c="$cmd $name ($what)"
		case $rc in
		0 | 1 | 2) ;;
		*)
			check "$c: exit status 0, 1 or 2, got $rc" false
			head -20 "$T/err"
			continue
			;;
		esac
		if [ "$expect" = damage ]; then
			check "$c: refused (exit $rc)" [ "$rc" != 0 ]
			check "$c: says where" \
				grep -Eq "$f: (offset [0-9]+|cpu [0-9]+ ts [0-9]+): " "$T/out" "$T/err"
		fi
		echo "$cmd $name: exit $rc: $(grep -ohE "$f: (offset|cpu) .*" "$T/out" "$T/err" | head -1)"
	done
done <"$T/list"
t_finish
