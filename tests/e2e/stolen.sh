#!/bin/bash
# stolen.sh WTREC WTWORK - `wtwork stolen`: thread B reaps child X with a
# wait for any child, then thread A's wait for X fails with ECHILD (twice:
# wait4 and waitid).  The model matches the log (compare.sql), stolen_v and
# `-r stolen` list exactly the log's `steal` lines: victim thread, child and
# thief thread.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record stolen
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "stolen_v = the log's steals (victim_tid child_pid thief_tid)" \
	"$(cq "SELECT victim, child, thief FROM log_steal")" \
	"$(cq "SELECT victim_tid, child_pid, thief_tid FROM stolen_v
	       WHERE victim_pid IN (SELECT pid FROM wl_pids)")"

"$WTREC" analyze "$T/x.wtrec" -r stolen -f csv >"$T/stolen.csv" 2>"$T/stolen.err"
check_eq "wtrec analyze -r stolen: exit status" 0 $?
while IFS='	' read -r child thief victim variant; do
	check_true "-r stolen names victim $victim, child $child, thief $thief (variant $variant)" \
		csv_has_row "$T/stolen.csv" "$victim" "$child" "$thief"
done <"$T/logtab/steal"
check_set "-r stolen rows (victim_tid child_pid thief_tid) = the log's steals" \
	"$(awk -F'\t' -v OFS='\t' '{ print $3, $1, $2 }' "$T/logtab/steal")" \
	"$(csv_select "$T/stolen.csv" victim_tid child_pid thief_tid)"
t_finish
