#!/bin/bash
# (f) --backend kprobe on a kernel without kprobe_events refuses with exit
# 2 and the documented message, creating neither a file nor an instance.
# --backend auto picks tracepoint and says so.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

rec_start --backend kprobe -d 1 -o "$T/k.wtrec"
rec_wait
cat "$T/err"
check_eq "exit status" 2 "$REC_RC"
if [ -e "$TRACING/kprobe_events" ]; then
	check "refusal names the backend" grep -q "^wtrec: --backend kprobe:" "$T/err"
else
	check_eq "message" "wtrec: --backend kprobe: this kernel has no kprobe_events (CONFIG_KPROBE_EVENTS); use --backend tracepoint" \
		"$(head -1 "$T/err")"
fi
check "no output file" [ ! -e "$T/k.wtrec" ]
check "no instance wtrec-$REC_PID" instance_gone "$REC_PID"

rec_start --backend auto -o "$T/a.wtrec" -- "$POLLLOOP" 0.1
rec_wait
check_eq "auto: exit status" 0 "$REC_RC"
check "auto: says it picked tracepoint" grep -q "backend auto: using tracepoint" "$T/err"
check_eq "auto: META backend" tracepoint "$(meta_value "$T/a.wtrec" backend)"
check "auto: instance wtrec-$REC_PID gone" instance_gone "$REC_PID"
t_finish
