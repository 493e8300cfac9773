#!/bin/bash
# analyze_basic.sh WTREC WTWORK - `wtwork basic` recorded and analyzed: every
# wait call and every child in wtrec's database matches the workload's log
# (compare.sql: thread, order, syscall, arguments, result, outcome, reaped
# child; parent, forking thread, exit status, reaping call), and the final
# ECHILD appears in the errors report.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record basic
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

# Every reaped child: the reaping call points at it and it points back.
bad=$(cq "SELECT p.pid FROM dp p JOIN wait_call w ON w.id = p.reap_call_id
          WHERE w.reaped_upid IS NOT p.upid")
check_eq "process.reap_call_id and wait_call.reaped_upid agree" "" "$bad"

# The final wait4(-1) -> ECHILD is in the errors report.
main=$(log_field proc 3)
"$WTREC" analyze "$T/x.wtrec" -r errors -f csv >"$T/errors.csv" 2>"$T/errors.err"
check_eq "wtrec analyze -r errors: exit status" 0 $?
echild_tid=$(awk -F'\t' '$1 == "call" && $9 == "ECHILD" { print $3 }' "$T/log")
check_true "errors report has the ECHILD of thread $echild_tid" \
	csv_has_row "$T/errors.csv" "$echild_tid" ECHILD
t_finish
