#!/bin/bash
# zombie.sh WTREC WTWORK - `wtwork zombie 0`: "middle" leaves 3 exited
# children unreaped and sleeps until this test kills it, so it still runs
# when the recording (which ends when wtwork's main process exits) stops.
# zombie_v and `-r zombies` list exactly middle's 3 children; the model
# matches the log (compare.sql).
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record zombie 0
middle=$(log_field subproc 2)
E2E_PIDS+=($middle)   # killed at cleanup: its zombies then go to init
check_true "middle ($middle) still runs after the recording" kill -0 "$middle"
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "zombie_v = middle's children from the log" \
	"$(log_field zombie 2)" \
	"$(cq "SELECT pid FROM zombie_v WHERE pid IN (SELECT pid FROM log_fork)
	       OR ppid IN (SELECT pid FROM wl_pids)")"

"$WTREC" analyze "$T/x.wtrec" -r zombies -f csv >"$T/zombies.csv" 2>"$T/zombies.err"
check_eq "wtrec analyze -r zombies: exit status" 0 $?
for pid in $(log_field zombie 2); do
	check_true "-r zombies lists $pid (child of $middle)" \
		csv_has_row "$T/zombies.csv" "$pid"
done
wl=",$(log_pids),"
check_set "-r zombies: the workload's rows = the log's zombies" \
	"$(log_field zombie 2)" \
	"$(csv_column "$T/zombies.csv" pid | while read -r pid; do
		case $wl in *",$pid,"*) echo "$pid" ;; esac; done)"
t_finish
