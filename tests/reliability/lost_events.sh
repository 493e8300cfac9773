#!/bin/bash
# lost_events.sh - loss is never silent, and everyone reports the same
# number: the kernel's.  A wait4(WNOHANG) spinner recorded with a 4 KiB ring
# buffer per CPU must lose events.  The ground truth is the CPU_STATS chunks
# (the text of per_cpu/cpuN/stats the kernel gave at stop), read with the
# common reader (chunkdump); lost = overrun + commit overrun + dropped
# events, per CPU and in total.  `wtrec record`'s summary, the TRAILER, `wtrec info` (total and
# per-CPU table), and `wtrec analyze` (recording.lost_events, the stats
# table, the summary report and its warning) must all say exactly that.
. "$(dirname "$0")/lib.sh"
rl_init
need_live

F="$T/lost.wtrec"
rl_start "$T/out" "$T/err" -q -b 4 -o "$F" -- "$POLLLOOP" 0.5
wait "$REC_PID"
check_eq "record exit status" 0 "$?"
cat "$T/err"

# per CPU "cpu overrun dropped commit_overrun" from the kernel's own text
"$CHUNKDUMP" "$F" 7 | awk '
	/^cpu=/ { if (cpu != "") print cpu, o, d, c; cpu = substr($0, 5); o = d = c = "?" }
	/^overrun:/ { o = $2 }
	/^commit overrun:/ { c = $3 }
	/^dropped events:/ { d = $3 }
	END { if (cpu != "") print cpu, o, d, c }' | sort -n >"$T/kernel4.txt"
cut -d' ' -f1-3 "$T/kernel4.txt" >"$T/kernel.txt"
cat "$T/kernel4.txt"
check "CPU_STATS present for every CPU stream" [ -s "$T/kernel.txt" ]
check "CPU_STATS carry overrun, commit overrun and dropped" not grep -q "?" "$T/kernel4.txt"
O=$(awk '{ s += $2 } END { print s + 0 }' "$T/kernel4.txt")
D=$(awk '{ s += $3 } END { print s + 0 }' "$T/kernel4.txt")
C=$(awk '{ s += $4 } END { print s + 0 }' "$T/kernel4.txt")
K=$((O + C + D))
echo "$TEST_NAME: kernel says overrun $O + commit overrun $C + dropped $D = $K lost"
check "a 4 KiB buffer under a wait4 spinner loses events" [ "$K" -gt 0 ]

# wtrec record (a commit overrun is named only when there was one)
want="LOST $K events (overrun $O, dropped $D)"
[ "$C" -gt 0 ] && want="LOST $K events (overrun $O, commit overrun $C, dropped $D)"
check "record summary: $want" grep -qF "$want" "$T/err"
check_eq "TRAILER events_lost" "$K" "$(meta_value "$F" events_lost)"

# wtrec info: total, and the per-CPU table (cpu entries overrun dropped ...)
"$WTREC" info "$F" >"$T/info.txt" 2>"$T/info.err"
check_eq "info exit status" 0 "$?"
check_eq "info: lost events" "$K" "$(awk '/^lost events:/ { print $3 }' "$T/info.txt")"
awk '/^cpus:/ { on = 1; next } on && $1 ~ /^[0-9]+$/ { print $1, $3, $4 } on && !/^ / { on = 0 }' \
	"$T/info.txt" | sort -n >"$T/info_cpus.txt"
check_eq "info: per-CPU overrun and dropped" "$(cat "$T/kernel.txt")" "$(cat "$T/info_cpus.txt")"

# wtrec analyze: the model, the summary report and its warning
"$WTREC" analyze "$F" -o "$T/db" >"$T/sum.txt" 2>"$T/an.err"
check_eq "analyze exit status" 0 "$?"
q() { "$WTREC" analyze "$T/db" --sql "$1" -f csv 2>/dev/null | tail -n +2 | tr -d "\r"; }
check_eq "analyze: recording.lost_events" "$K" "$(q "SELECT lost_events FROM recording")"
check_eq "analyze: stats per CPU" "$(cat "$T/kernel.txt")" \
	"$(q "SELECT cpu || ' ' || overrun || ' ' || dropped FROM stats ORDER BY cpu")"
check "analyze summary: lost events $K LOSSY" \
	grep -Eq "lost events +$K +LOSSY" "$T/sum.txt"
check "analyze warns: $K events lost" grep -q "$K events lost (LOSSY)" "$T/an.err"
check "record's instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
t_finish
