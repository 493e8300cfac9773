#!/bin/bash
# pollstorm.sh WTREC WTWORK - `wtwork pollstorm 1`: millions of
# wait4(-1, WNOHANG) calls in one second.  wtrec must record them all (or
# say how many events it lost): `wtrec info -p TID` counts as many
# sys_enter_wait4/sys_exit_wait4 events (wait4_enter/wait4_exit in a kprobe
# recording) as wtwork made calls, the model has
# one wait_call per call, and `-r polling` names the spinning thread.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record pollstorm 1
tid=$(log_field pollstorm 3)
want=$(log_count_calls wait4)
"$WTREC" info -p "$tid" "$T/x.wtrec" >"$T/info.txt" 2>"$T/info.err"
check_eq "wtrec info exit status" 0 $?
lost=$(awk '/^lost events:/ { print $3 }' "$T/info.txt")
evs="sys_enter_wait4 sys_exit_wait4"
# a kprobe recording names the events after its probes
grep -q '^  backend=kprobe$' "$T/info.txt" && evs="wait4_enter wait4_exit"
for ev in $evs; do
	got=$(awk -v ev=$ev '$1 == ev { print $NF }' "$T/info.txt")
	if [ "$lost" = 0 ]; then
		check_eq "$ev of thread $tid (no loss)" "$want" "$got" ||
			# what the kernel said of each CPU, to tell a loss it did
			# not count from one of the recorder's (seen once)
			sed -n '/^cpus:/,/^[a-z]/p' "$T/info.txt"
	else
		echo "NOTE: $lost events lost; $ev: $got of $want calls recorded"
		check_true "$ev: recorded + lost covers the calls" \
			[ $((got + lost)) -ge "$want" ] && [ "$got" -le "$want" ]
	fi
done
e2e_analyze
e2e_summary_check
if [ "$lost" = 0 ]; then
	check_eq "wait_call rows of thread $tid" "$want" \
		"$(q "SELECT count(*) FROM wait_call WHERE tid = $tid")"
fi
"$WTREC" analyze "$T/db" -r polling -f csv >"$T/polling.csv" 2>"$T/polling.err"
check_eq "wtrec analyze -r polling: exit status" 0 $?
check_true "-r polling names thread $tid" csv_has_row "$T/polling.csv" "$tid"
t_finish
