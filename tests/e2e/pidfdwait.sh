#!/bin/bash
# pidfdwait.sh WTREC WTWORK - `wtwork pidfdwait`: waitid(P_PIDFD) takes
# the pidfd's child although an older one is waitable too, and a pidfd
# wait whose child another thread reaped first gets ECHILD: a steal.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record pidfdwait || t_skip "no pidfd_open / P_PIDFD here"
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "stolen_v = the log's steals (victim_tid child_pid thief_tid)" \
	"$(cq "SELECT victim, child, thief FROM log_steal")" \
	"$(cq "SELECT victim_tid, child_pid, thief_tid FROM stolen_v
	       WHERE victim_pid IN (SELECT pid FROM wl_pids) AND victim_idtype = 'P_PIDFD'")"
check_eq "the pidfd waits' targets: the pidfds' processes" \
	"$(log_field pidfd 3 | sort | tr '\n' ' ')" \
	"$(cq "SELECT c.pid FROM wait_call w JOIN process c ON c.upid = w.target_upid
	       WHERE w.idtype = 'P_PIDFD' AND w.pid IN (SELECT pid FROM wl_pids)
	       ORDER BY c.pid" | tr '\n' ' ')"
t_finish
