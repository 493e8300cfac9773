#!/bin/bash
# (a) `wtrec record -o F -- pollloop 1`: the worst-case workload (a tight
# wait4(-1, WNOHANG) loop).  Ground truth is pollloop's own count of calls.
# The file must end with a TRAILER, the instance must be gone, and every
# wait4 event the loop caused must be accounted for: recorded, or counted
# as lost by the kernel's own counters (loss is never silent).  Whether
# nothing is lost depends on how fast this machine's reader is next to the
# loop (an ASan build or a loaded CI host loses some): that is a benchmark
# figure (bench/run pollstorm), not something a test can promise.
# Prints the wait4 rate reached while recorded and the bytes per event.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

rec_start -o "$T/a.wtrec" -- "$POLLLOOP" 1
rec_wait
cat "$T/out" "$T/err"
check_eq "exit status" 0 "$REC_RC"
check_eq "last chunk" trailer "$(last_chunk "$T/a.wtrec")"
check "summary reports the command" grep -qx "wtrec: command exited 0" "$T/err"
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
check_eq "META scope" command "$(meta_value "$T/a.wtrec" scope)"
check_eq "META backend" tracepoint "$(meta_value "$T/a.wtrec" backend)"

calls=$(sed -n 's/^pollloop: \([0-9]*\) calls in \([0-9.]*\) s.*/\1/p' "$T/out")
secs=$(sed -n 's/^pollloop: \([0-9]*\) calls in \([0-9.]*\) s.*/\2/p' "$T/out")
wait4=$(summary_count wait4)
check "pollloop printed its count" [ -n "$calls" ]
# pollloop's calls plus its final waitpid() for the sleeping child
lost=$(meta_value "$T/a.wtrec" events_lost)
recorded=$(grep -o '[0-9]* events (' "$T/err" | head -1 | grep -o '^[0-9]*')
others=$(( ${recorded:-0} - ${wait4:-0} - $(summary_count wait4_ret) ))
check "TRAILER has events_lost" [ -n "$lost" ]
if [ "${lost:-1}" = 0 ]; then
	check "summary says lost 0 events" grep -q "lost 0 events" "$T/err"
	check_eq "wait4 enters recorded" "$((calls + 1))" "${wait4:-0}"
	check_eq "wait4 exits recorded" "$((calls + 1))" "$(summary_count wait4_ret)"
else
	check "summary reports the loss" grep -q "LOST $lost events" "$T/err"
	# Every event is recorded or counted lost: the loop's 2 per call plus
	# the few of its fork/exec/exit (recorded, they are not in the storm).
	check_eq "recorded + lost = the events the loop caused" \
		"$((2 * (calls + 1) + others))" "$((recorded + lost))"
	echo "$TEST_NAME: this run lost $lost events (reader slower than the loop here)"
fi

if [ -n "$calls" ] && [ -n "$secs" ]; then
	size=$(stat -c %s "$T/a.wtrec")
	events=$(grep -o '[0-9]* events' "$T/err" | head -1 | grep -o '^[0-9]*')
	awk -v c="$calls" -v s="$secs" -v b="$size" -v e="$events" -v n="$TEST_NAME" 'BEGIN {
		printf "%s: recorded %.0f wait4 calls/s, %d events in %d bytes (%.2f bytes/event)\n",
		       n, c / s, e, b, b / e }'
fi
t_finish
