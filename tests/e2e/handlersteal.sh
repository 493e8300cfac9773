#!/bin/bash
# handlersteal.sh WTREC WTWORK - `wtwork handlersteal`: a SIGCHLD handler's
# waitpid(-1, WNOHANG) reaps the child that the same thread then waits for
# with waitpid(pid): a steal on the victim's own thread (stolen_v).
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record handlersteal
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "stolen_v = the log's steal (victim_tid child_pid thief_tid)" \
	"$(cq "SELECT victim, child, thief FROM log_steal")" \
	"$(cq "SELECT victim_tid, child_pid, thief_tid FROM stolen_v
	       WHERE victim_pid IN (SELECT pid FROM wl_pids)")"
check_eq "no double wait" 0 "$(cq "SELECT count(*) FROM double_wait_v WHERE pid IN (SELECT pid FROM wl_pids)")"
t_finish
