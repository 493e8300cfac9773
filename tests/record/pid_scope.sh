#!/bin/bash
# -p PID: a running pollloop (and its sleeping child) is traced for 1 s:
# its wait4 calls are recorded, META says scope=pid with its pid, and the
# instance is removed.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

"$POLLLOOP" 30 >"$T/loop.out" &
loop=$!
REC_PIDS+=("$loop")
rec_start -q -p "$loop" -d 1 -o "$T/p.wtrec"
rec_wait
kill "$loop" 2>/dev/null
wait "$loop" 2>/dev/null
cat "$T/err"
check_eq "exit status" 0 "$REC_RC"
check_eq "last chunk" trailer "$(last_chunk "$T/p.wtrec")"
check_eq "META scope" pid "$(meta_value "$T/p.wtrec" scope)"
check_eq "META scope_pids" "$loop" "$(meta_value "$T/p.wtrec" scope_pids)"
check "wait4 calls recorded" [ "$(summary_count wait4)" -gt 0 ]
check "summary states the loss" grep -Eq "lost 0 events|LOST [0-9]+ events" "$T/err"
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
t_finish
