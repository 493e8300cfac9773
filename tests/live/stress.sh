#!/bin/bash
# stress.sh WTREC DRIBBLE WTWORK POLLLOOP LASTCHUNK - `record --live` under
# the worst case, a tight wait4(WNOHANG) loop (root): the follower runs
# next to the recorder and must not cost it events it would not lose
# alone.  As tests/record/command_stress.sh: every wait4 event the loop
# caused is recorded or counted lost by the kernel (loss depends on the
# machine: counted and printed, not asserted zero; bench/ measures it);
# the live view saw every recorded event, reported the poller (the loop's
# own tid), and said the loss the kernel counted.
. "$(dirname "$0")/lib.sh"
lv_init "$@"
need_live
cd "$T" || t_bail "no $T"

"$WTREC" record --live --live-format jsonl -o a.wtrec -- "$POLLLOOP" 1 \
	>live.jsonl 2>err
check_eq "record --live -- pollloop: exit status" 0 $?
cat err
calls=$(sed -n 's/^pollloop: \([0-9]*\) calls in.*/\1/p' live.jsonl)
[ -n "$calls" ] || calls=$(grep -ho '^pollloop: [0-9]*' live.jsonl err | grep -o '[0-9]*$')
grep -v '^pollloop:' live.jsonl >live.only
check "pollloop printed its count" [ -n "$calls" ]
recorded=$(grep -o '[0-9]* events (' err | head -1 | grep -o '^[0-9]*')
lost=$(meta_value a.wtrec events_lost)
wait4=$(grep -Eo "(\(|, )wait4 [0-9]+" err | grep -Eo '[0-9]+$' | head -1)
wait4r=$(grep -Eo "(\(|, )wait4_ret [0-9]+" err | grep -Eo '[0-9]+$' | head -1)
others=$(( ${recorded:-0} - ${wait4:-0} - ${wait4r:-0} ))
check_eq "recorded + lost = the events the loop caused" \
	"$((2 * (calls + 1) + others))" "$(( ${recorded:-0} + ${lost:-0} ))"
check_eq "the live view decoded every recorded event" "${recorded:-x}" \
	"$(jkind live.only end events)"
check_eq "the live view's loss = the kernel's (TRAILER events_lost)" "${lost:-x}" \
	"$(jkind live.only end lost_events)"
# the command's pid, as the recorder forked it (META scope_pids)
check_eq "the poller reported: the loop's tid" "$(meta_value a.wtrec scope_pids)" \
	"$(jkind live.only poller tid)"
echo "$TEST_NAME: ${calls:-?} calls, ${recorded:-?} events recorded, ${lost:-?} lost with --live"
t_finish
