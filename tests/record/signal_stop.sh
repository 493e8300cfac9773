#!/bin/bash
# (b)-(d) A system-wide recording stopped by SIGNAL (INT, TERM or HUP, the
# 4th argument): exit 0, a TRAILER at the end, stop_reason naming the
# signal, and its instance removed.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
SIG=${4:?usage: $0 WTREC POLLLOOP LASTCHUNK SIGNAL}
need_live

rec_start -q -o "$T/s.wtrec"
rec_wait_started "$T/s.wtrec"
# some activity of our own, so there is something to record
"$POLLLOOP" 0.2 >/dev/null
kill -"$SIG" "$REC_PID"
rec_wait
cat "$T/err"
check_eq "exit status after SIG$SIG" 0 "$REC_RC"
check_eq "last chunk" trailer "$(last_chunk "$T/s.wtrec")"
check_eq "META stop_reason" "signal SIG$SIG" "$(meta_value "$T/s.wtrec" stop_reason)"
check_eq "META scope" system "$(meta_value "$T/s.wtrec" scope)"
check "summary states the loss" grep -Eq "lost 0 events|LOST [0-9]+ events" "$T/err"
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
t_finish
