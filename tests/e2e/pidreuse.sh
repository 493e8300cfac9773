#!/bin/bash
# pidreuse.sh WTREC WTWORK - `wtwork pidreuse`: two children with the same
# pid (ns_last_pid).  The model has two process instances of that pid, each
# with its own exit code and its own reaping call, matching the log.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record pidreuse
if [ $? = 77 ]; then
	t_skip "wtwork could not reuse a pid: $(log_field pidreuse_failed 2)"
fi
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

p=$(log_field pidreuse 2)
check_eq "two process rows with pid $p" 2 \
	"$(cq "SELECT count(*) FROM process WHERE pid = $p")"
check_eq "each instance of $p has its own reaping call" 2 \
	"$(cq "SELECT count(DISTINCT reap_call_id) FROM process WHERE pid = $p")"
check_set "exit codes of the instances of $p, in fork order" \
	"$(awk -F'\t' -v p="$p" '$1 == "child_exit" && $2 == p { print $3 " " $4 }' "$T/log")" \
	"$(cq "SELECT 'exited ' || exit_code FROM process WHERE pid = $p
	       ORDER BY COALESCE(fork_ns, start_ns)")"
t_finish
