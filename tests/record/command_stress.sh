#!/bin/bash
# (a) `wtrec record -o F -- pollloop 1`: the worst-case workload (a tight
# wait4(-1, WNOHANG) loop) recorded with nothing lost.  Ground truth is
# pollloop's own count of calls; the file must end with a TRAILER, the
# summary must say "lost 0 events", and the instance must be gone.
# Prints the wait4 rate reached while recorded and the bytes per event.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

rec_start -o "$T/a.wtrec" -- "$POLLLOOP" 1
rec_wait
cat "$T/out" "$T/err"
check_eq "exit status" 0 "$REC_RC"
check_eq "last chunk" trailer "$(last_chunk "$T/a.wtrec")"
check "summary says lost 0 events" grep -q "lost 0 events" "$T/err"
check "summary reports the command" grep -qx "wtrec: command exited 0" "$T/err"
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
check_eq "META scope" command "$(meta_value "$T/a.wtrec" scope)"
check_eq "META backend" tracepoint "$(meta_value "$T/a.wtrec" backend)"
check_eq "TRAILER events_lost" 0 "$(meta_value "$T/a.wtrec" events_lost)"

calls=$(sed -n 's/^pollloop: \([0-9]*\) calls in \([0-9.]*\) s.*/\1/p' "$T/out")
secs=$(sed -n 's/^pollloop: \([0-9]*\) calls in \([0-9.]*\) s.*/\2/p' "$T/out")
wait4=$(summary_count wait4)
check "pollloop printed its count" [ -n "$calls" ]
# pollloop's calls plus its final waitpid() for the sleeping child
check_eq "wait4 enters recorded" "$((calls + 1))" "${wait4:-0}"
check_eq "wait4 exits recorded" "$((calls + 1))" "$(summary_count wait4_ret)"

if [ -n "$calls" ] && [ -n "$secs" ]; then
	size=$(stat -c %s "$T/a.wtrec")
	events=$(grep -o '[0-9]* events' "$T/err" | head -1 | grep -o '^[0-9]*')
	awk -v c="$calls" -v s="$secs" -v b="$size" -v e="$events" -v n="$TEST_NAME" 'BEGIN {
		printf "%s: recorded %.0f wait4 calls/s, %d events in %d bytes (%.2f bytes/event)\n",
		       n, c / s, e, b, b / e }'
fi
t_finish
