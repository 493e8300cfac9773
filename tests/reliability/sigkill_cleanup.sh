#!/bin/bash
# sigkill_cleanup.sh [TRIALS] - `wtrec record` killed with SIGKILL at a
# random moment cannot clean up; what it leaves must be removed by the next
# run.  Odd trials: `wtrec record --cleanup` (exit 0, names each instance it
# removed, and removes nothing of live recorders); even trials: the next
# `wtrec record`.  After each trial the killed run's instance is gone, and
# its file, if one was created, reads cleanly up to its last whole chunk (a
# SIGKILL inside a write may cut that chunk short, nothing else).
# Delays come from $RANDOM seeded with SEED; `SEED=S TRIAL=N` replays one.
. "$(dirname "$0")/lib.sh"
TRIALS=${1:-20}
rl_init
need_live

SEED=${SEED:-$(( $(date +%s%N) % 1000000 ))}
echo "$TEST_NAME: seed $SEED (replay: SEED=$SEED [TRIAL=N] $0)"
modes=("-d 0.25" "-- sleep 0.15")
left=0
tmpleft=0

for i in $(seq "$TRIALS"); do
	RANDOM=$((SEED + i))
	if [ "$(rnd 2)" = 0 ]; then delay_ms=$(rnd 100); else delay_ms=$(rnd 400); fi
	mode=${modes[$(rnd ${#modes[@]})]}
	[ -n "${TRIAL:-}" ] && [ "$TRIAL" != "$i" ] && continue
	F="$T/k$i.wtrec"
	# shellcheck disable=SC2086 # the mode's words are separate arguments
	rl_start "$T/out" "$T/err" -q -b 256 -o "$F" $mode
	sleep "$(printf '0.%03d' "$delay_ms")"
	kill -KILL "$REC_PID" 2>/dev/null
	wait "$REC_PID" 2>/dev/null
	rc=$?
	killed=$REC_PID
	what="trial $i (seed $SEED, delay ${delay_ms}ms, $mode)"
	if [ "$rc" != 137 ]; then
		# it finished before the signal: then it must have cleaned up
		check_eq "$what: finished on its own" 0 "$rc"
	fi
	if [ -e "$F" ]; then
		"$LASTCHUNK" "$F" >"$T/l.txt" 2>"$T/l.err"
		if grep -q "damaged=1" "$T/l.txt"; then
			check "$what: only the last chunk is cut" \
				grep -Eq "chunk (header )?truncated" "$T/l.err"
		fi
	fi
	present=no
	instance_exists "$killed" && present=yes && left=$((left + 1))
	if [ $((i % 2)) = 1 ]; then
		"$WTREC" record --cleanup >"$T/c.out" 2>"$T/c.err"
		check_eq "$what: --cleanup exit status" 0 "$?"
		# another recorder on this machine may have swept it first
		if [ $present = yes ] && instance_gone "$killed" &&
		   ! grep -q "removed stale instance wtrec-$killed" "$T/c.err"; then
			echo "$TEST_NAME: note: wtrec-$killed was removed by another recorder first"
		elif [ $present = yes ]; then
			check "$what: --cleanup names wtrec-$killed" \
				grep -q "removed stale instance wtrec-$killed" "$T/c.err"
		fi
		check "$what: --cleanup ends with its count" \
			grep -Eq "^wtrec: cleanup: (removed [0-9]+ leftovers? of dead runs|nothing left by dead runs)$" \
			<(tail -1 "$T/c.err")
	else
		"$WTREC" record -q -b 256 -d 0.05 -o "$T/next.wtrec" >"$T/c.out" 2>"$T/c.err"
		check_eq "$what: next recorder's exit status" 0 "$?"
	fi
	check "$what: wtrec-$killed removed" instance_gone "$killed"
	if [ "$TEST_FAIL" != 0 ] && [ -z "${rl_dumped:-}" ]; then
		rl_dumped=1
		echo "--- stderr of the cleaner after $what"
		cat "$T/c.err"
	fi
	# SIGKILL between creating the temporary output and renaming it
	# leaves that file: nothing can remove it (a known gap, counted)
	if [ -n "$(find "$T" -name "k$i.wtrec.tmp.*" -print -quit)" ]; then
		tmpleft=$((tmpleft + 1))
		rm -f "$T"/k"$i".wtrec.tmp.*
	fi
	rm -f "$F"
done
echo "$TEST_NAME: $left of $TRIALS killed runs left an instance behind (all removed)"
echo "$TEST_NAME: $tmpleft left a temporary output file behind"
t_finish
