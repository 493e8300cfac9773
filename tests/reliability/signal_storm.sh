#!/bin/bash
# signal_storm.sh SIG [TRIALS] - `wtrec record` stopped by SIGINT, SIGTERM
# or SIGHUP at a random moment: during setup, while recording, while
# draining, or after it already stopped.  Every trial must end one of these
# ways, and never leave its tracefs instance wtrec-<pid> or a temporary
# output file behind:
#   exit 0    the file is whole: it reads to its end and ends with TRAILER;
#   exit 1    "interrupted by SIG<X> during setup; nothing recorded", and
#             no file exists (the signal came before the file was created);
#   128+SIG   the signal came before wtrec installed its handlers (its
#             first milliseconds) or after it restored them on the way out:
#             then there is no file, or a whole one.
# Delays come from bash's $RANDOM seeded with SEED (default: random); every
# trial prints its seed, delay and mode, and `SEED=S TRIAL=N` replays one.
. "$(dirname "$0")/lib.sh"
SIG=${1:?usage: $0 INT|TERM|HUP [TRIALS]}
TRIALS=${2:-20}
rl_init
need_live

SEED=${SEED:-$(( $(date +%s%N) % 1000000 ))}
echo "$TEST_NAME: SIG$SIG, seed $SEED (replay: SEED=$SEED [TRIAL=N] $0 $SIG)"
signo=$(kill -l "$SIG")
modes=("-d 0.25" "-- sleep 0.15" "-- true")
declare -A seen

for i in $(seq "$TRIALS"); do
	# every trial draws its numbers even when skipped, so TRIAL=N replays
	RANDOM=$((SEED + i))
	# half the trials aim at setup (the first ~100 ms), half anywhere
	if [ "$(rnd 2)" = 0 ]; then delay_ms=$(rnd 100); else delay_ms=$(rnd 450); fi
	mode=${modes[$(rnd ${#modes[@]})]}
	[ -n "${TRIAL:-}" ] && [ "$TRIAL" != "$i" ] && continue
	F="$T/s$i.wtrec"
	# shellcheck disable=SC2086 # the mode's words are separate arguments
	rl_start "$T/out" "$T/err" -q -b 256 -o "$F" $mode
	sleep "$(printf '0.%03d' "$delay_ms")"
	kill -"$SIG" "$REC_PID" 2>/dev/null
	wait "$REC_PID" 2>/dev/null
	rc=$?
	what="trial $i (seed $SEED, delay ${delay_ms}ms, $mode): rc=$rc"
	case $rc in
	0)
		outcome=whole
		check "$what: file ends with TRAILER" "$LASTCHUNK" "$F" >/dev/null
		;;
	1)
		outcome=setup
		check "$what: says it was interrupted during setup" \
			grep -q "interrupted by SIG$SIG during setup; nothing recorded" "$T/err"
		check "$what: no file" [ ! -e "$F" ]
		;;
	$((128 + signo)))
		outcome=default-action
		if [ -e "$F" ]; then
			check "$what: file whole" "$LASTCHUNK" "$F" >/dev/null
		fi
		;;
	*)
		outcome=unexpected
		check "$what: exit status 0, 1 or $((128 + signo))" false
		cat "$T/err"
		;;
	esac
	check "$what: instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
	check "$what: no temporary file left" \
		[ -z "$(find "$T" -name "s$i.wtrec.tmp.*" -print -quit)" ]
	seen[$outcome]=$(( ${seen[$outcome]:-0} + 1 ))
	if [ "$TEST_FAIL" != 0 ] && [ -z "${rl_dumped:-}" ]; then
		rl_dumped=1
		echo "--- stderr of $what"
		cat "$T/err"
	fi
	rm -f "$F"
done
for k in "${!seen[@]}"; do
	echo "$TEST_NAME: outcome $k: ${seen[$k]}"
done
t_finish
