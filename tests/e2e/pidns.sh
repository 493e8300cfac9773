#!/bin/bash
# pidns.sh WTREC WTWORK - `wtwork pidns`: two pid namespaces made with
# clone(CLONE_NEWPID).  The first init reaps its children and an orphan by
# their namespace pids; the second never waits, so its children are
# zombies until it exits and the kernel reaps them (zap_pid_ns_processes).
# The model must match the log call by call and child by child (global
# pids, namespace pids in the calls' returns), put the orphan under the
# namespace's init, and say the second init's children were released at
# the namespace's teardown - not auto-reaped, not zombies.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record pidns || t_skip "wtwork pidns cannot make pid namespaces here (needs root)"
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "namespace inits (log nsinit) = model ns_init" \
	"$(log_field nsinit 2)" \
	"$(cq "SELECT pid FROM process WHERE ns_init = 1 AND pid IN (SELECT pid FROM wl_pids)")"
check_set "released at teardown = the log's teardown lines" \
	"$(log_field teardown 2)" \
	"$(cq "SELECT pid FROM process WHERE release_kind = 'pidns_teardown'
	       AND pid IN (SELECT pid FROM wl_pids)")"
check_eq "their zombie time ends at the init's exit" "$(log_field teardown 2 | wc -l)" \
	"$(cq "SELECT count(*) FROM process c JOIN process i ON i.pid = $(log_field nsinit 2 | tail -1)
	       WHERE c.release_kind = 'pidns_teardown' AND c.released_ns = i.exit_ns
	         AND c.exit_ns < i.exit_ns AND c.pid IN (SELECT pid FROM wl_pids)")"
check_eq "no zombies, nothing auto-reaped" "0 0" \
	"$(cq "SELECT (SELECT count(*) FROM zombie_v WHERE pid IN (SELECT pid FROM wl_pids)) || ' ' ||
	              (SELECT count(*) FROM autoreap_v WHERE pid IN (SELECT pid FROM wl_pids))")"
while IFS='	' read -r _ child old new; do
	check_eq "orphan $child: moved from $old to the namespace's init $new" "ns_init $new" \
		"$(cq "SELECT r.reason || ' ' || t.pid FROM reparent r
		       JOIN process c ON c.upid = r.upid JOIN process t ON t.upid = r.to_upid
		       WHERE c.pid = $child AND r.reason <> 'thread'")"
done < <(grep -P '^orphan\t' "$T/log")
check_eq "namespace pids: the children of the reaping init are 2 and 3" "2 3" \
	"$(cq "SELECT group_concat(ns_pid, ' ') FROM (SELECT c.ns_pid FROM process c
	       JOIN process p ON p.upid = c.original_parent_upid
	       WHERE p.pid = $(log_field nsinit 2 | head -1) OR p.upid IN
	         (SELECT upid FROM process WHERE original_parent_upid =
	            (SELECT upid FROM process WHERE pid = $(log_field nsinit 2 | head -1)))
	       ORDER BY c.fork_ns)")"
check_eq "model_check: no pid a wait returned was unknown" "0" \
	"$(cq "SELECT COALESCE(sum(count), 0) FROM model_check WHERE name = 'returned_unseen_pid'")"
"$WTREC" analyze "$T/x.wtrec" -r released -f csv >"$T/released.csv" 2>&1
check_eq "-r released: exit status" 0 $?
for p in $(log_field teardown 2); do
	check_eq "-r released names $p: pid namespace teardown" "pid namespace teardown" \
		"$(csv_lookup "$T/released.csv" pid "$p" how)"
done
t_finish
