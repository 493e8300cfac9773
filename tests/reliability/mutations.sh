#!/bin/bash
# mutations.sh SAMPLE [COUNT] - `wtrec info` and `wtrec analyze` on COUNT
# truncations and COUNT single-bit flips of a real recording (made by
# mutate.c from SEED, default: random, printed).  Every run:
#  - exits 0, 1 or 2: never a signal, never a hang (each run has
#    `timeout 10`), within 1 GiB of address space (`ulimit -v`; not under
#    the sanitizers, whose shadow memory needs terabytes of it);
#  - names the file; a flip anywhere but the 4 reserved header bytes is
#    damage (the CRC covers every other byte) and must be reported with the
#    offset ("offset N"); a truncation is reported with the offset, or as a
#    missing trailer when the cut falls between two chunks.
# Replay: SEED=S $0 SAMPLE [COUNT]; TEST_KEEP=1 keeps the files.
. "$(dirname "$0")/lib.sh"
SAMPLE=${1:?usage: $0 SAMPLE [COUNT]}
COUNT=${2:-200}
rl_init

SEED=${SEED:-$(( $(date +%s%N) % 1000000 ))}
echo "$TEST_NAME: seed $SEED, $COUNT truncations + $COUNT flips of $SAMPLE (replay: SEED=$SEED)"
mkdir "$T/m"
"$MUTATE" "$SEED" "$COUNT" "$SAMPLE" "$T/m" >"$T/list" || { echo "FAIL: mutate"; exit 1; }
if [ -n "${WT_SANITIZE:-}" ]; then
	echo "$TEST_NAME: note: sanitizer build: no ulimit -v (ASan reserves terabytes of address space)"
else
	ulimit -v 1048576 # 1 GiB for this shell and all it runs
fi

# what a message must contain: bash regexes over stdout + stderr
re_file_off="$T/m/[tf]-[0-9]+\.wtrec: offset [0-9]+"
declare -A rcs
while read -r name kind off bit; do
	f="$T/m/$name"
	for cmd in info analyze; do
		timeout 10 "$WTREC" $cmd "$f" >"$T/out" 2>"$T/err" </dev/null
		rc=$?
		rcs["$cmd $rc"]=$(( ${rcs["$cmd $rc"]:-0} + 1 ))
		what="$cmd $name ($kind at $off${bit:+ bit $bit}, seed $SEED)"
		if [ "$rc" -gt 2 ]; then
			check "$what: exit status 0, 1 or 2, got $rc$([ "$rc" = 124 ] && echo ' (timeout)')$([ "$rc" -gt 128 ] && echo " (signal $((rc - 128)))")" false
			head -5 "$T/err"
			continue
		fi
		all="$(<"$T/out")
$(<"$T/err")"
		if [ "$kind" = flip ] && { [ "$off" -lt 12 ] || [ "$off" -ge 16 ]; }; then
			check "$what: reported (exit $rc)" [ "$rc" != 0 ]
			check "$what: message names the file and offset" \
				matches "$all" "$re_file_off"
		elif [ "$kind" = trunc ]; then
			check "$what: names the file" contains "$all" "$f"
			check "$what: says where or what is missing" \
				matches "$all" "offset [0-9]+|trailer"
		fi
	done
	if [ "$TEST_FAIL" != 0 ] && [ -z "${dumped:-}" ]; then
		dumped=1
		echo "--- output of the first failure:"
		echo "$all"
	fi
done <"$T/list"
for k in "${!rcs[@]}"; do
	echo "$TEST_NAME: $k: ${rcs[$k]} runs"
done | sort
t_finish
