#!/bin/bash
# doublewait.sh WTREC WTWORK - `wtwork doublewait`: a thread waits twice
# for a child its first wait reaped.  A double wait (double_wait_v, -r
# double_wait), never a steal.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record doublewait
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "double_wait_v = the log's double waits (child tid)" \
	"$(awk -F'\t' -v OFS='\t' '$1 == "double_wait" { print $2, $3 }' "$T/log")" \
	"$(cq "SELECT child_pid, tid FROM double_wait_v WHERE pid IN (SELECT pid FROM wl_pids)")"
check_eq "no steal" 0 "$(cq "SELECT count(*) FROM stolen_v WHERE victim_pid IN (SELECT pid FROM wl_pids)")"
t_finish
