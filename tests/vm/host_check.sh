#!/bin/bash
# host_check.sh WTREC WTWORK DIR RETARGS - one recording made in a VM guest,
# analyzed on the host and held against the workload's own log.
#
# DIR holds x.wtrec and log (tests/vm/guest.sh copies them out).  The file
# was recorded on another kernel and is analyzed here with the host's wtrec
# (analysis is offline: what a user does with a file from production), then:
#  - the checks the guest leaves to the host (e2e_on_host): the file
#    replayed through --follow equals the offline database, and every
#    summary number equals its query over the rows;
#  - the model's wait calls and processes equal the log's, line by line
#    (tests/e2e/compare.sql; skipped for calls when the log does not list
#    every call, as pollstorm's unlogged polls);
#  - with the kprobe backend (the file's META says which): no reap is
#    inferred (waitid's child is exact); every workload child's exit comes
#    from kprobe evidence (do_exit, or what the wait itself returned) and on
#    kernels whose return probes cannot read entry arguments (RETARGS=no)
#    from do_exit alone; the calls' buffers (pointers, and with RETARGS=yes
#    what the kernel wrote) equal the log's (e2e_compare); with RETARGS=yes
#    every wait4 reap of the log that passed a status buffer has
#    wait_call.status equal to the status the workload saw, and every
#    waitid reap has its exit from the siginfo.
. "$(dirname "$0")/../e2e/lib.sh"
# shellcheck source=../kprobe/status.sh
. "$(dirname "$0")/../kprobe/status.sh"
e2e_init "${1:-}" "${2:-}" offline
DIR=${3:?usage: $0 WTREC WTWORK DIR RETARGS}
RETARGS=${4:?usage: $0 WTREC WTWORK DIR RETARGS}
# the guest kernel's capability, for e2e_compare's buffer contents
export E2E_RETARGS=$RETARGS
command -v sqlite3 >/dev/null || t_skip "needs the sqlite3 CLI"
cp "$DIR/x.wtrec" "$DIR/log" "$T/" || t_bail "no x.wtrec and log in $DIR"

e2e_analyze
e2e_summary_check
e2e_load_log
backend=$(q "SELECT backend FROM recording")
if grep -q '^pollstorm	' "$T/log"; then
	# the log counts pollstorm's polls instead of listing them: processes
	# only, and their reaping thread without the call's rank
	cq "SELECT line FROM expect_proc ORDER BY line" | sed 's/ #[0-9]*$//' >"$T/e"
	cq "SELECT line FROM got_proc ORDER BY line" | sed 's/ #[0-9]*$//' >"$T/g"
	check_eq "processes equal the log's" "$(cat "$T/e")" "$(cat "$T/g")"
else
	e2e_compare
fi

if [ "$backend" = kprobe ]; then
	check_eq "kprobe: no reap inferred" 0 \
		"$(cq "SELECT count(*) FROM wait_call WHERE reap_inferred
		       AND pid IN (SELECT pid FROM wl_pids)")"
	sources="'do_exit', 'wait_status', 'siginfo'"
	[ "$RETARGS" = no ] && sources="'do_exit'"
	check_eq "kprobe: every exit of the workload's children from ($sources)" "" \
		"$(cq "SELECT p.pid || ' ' || COALESCE(p.exit_source, 'none') FROM process p
		       WHERE p.pid IN (SELECT pid FROM log_fate WHERE kind = 'child_exit')
		         AND COALESCE(p.exit_source, 'none') NOT IN ($sources)")"
	if [ "$RETARGS" = yes ]; then
		kp_check_wait4_status kprobe
		check_eq "kprobe: waitid reaps take the exit from the siginfo" "" \
			"$(cq "SELECT p.pid || ' ' || COALESCE(p.exit_source, 'none')
			       FROM wait_call w JOIN process p ON p.upid = w.reaped_upid
			       WHERE w.syscall = 'waitid' AND w.pid IN (SELECT pid FROM wl_pids)
			         AND COALESCE(p.exit_source, 'none') <> 'siginfo'")"
	fi
fi
t_finish
