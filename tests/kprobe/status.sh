# status.sh - what the kprobe backend adds on kernels whose return probes
# read entry arguments (Linux >= 6.9), checked against the workload's log;
# sourced (bash) by tests that have loaded the log with tests/e2e/lib.sh's
# e2e_load_log (cq, check_set, wl_pids).
#
# kp_check_wait4_status WHAT: every wait4 reap of the log that got a status
# (its stat_addr was not NULL), as "tid pid exited N" / "killed S", equals
# the model's decoding of wait_call.status.
kp_check_wait4_status() {
	check_set "$1: wait4 reaps carry the status the workload saw" \
		"$(cq "SELECT tid || ' ' || reaped || ' ' || status FROM log_call
		       WHERE syscall = 'wait4' AND reaped > 0 AND status <> '-'")" \
		"$(cq "SELECT w.tid || ' ' || p.pid || ' ' ||
		       CASE WHEN (w.status & 127) = 0 THEN 'exited ' || ((w.status >> 8) & 255)
		            ELSE 'killed ' || (w.status & 127) END
		       FROM wait_call w JOIN process p ON p.upid = w.reaped_upid
		       WHERE w.syscall = 'wait4' AND w.status IS NOT NULL
		         AND w.pid IN (SELECT pid FROM wl_pids)")"
}
