#!/bin/bash
# subreaper.sh WTREC WTWORK - `wtwork subreaper`: a process that set
# PR_SET_CHILD_SUBREAPER inherits its grandchildren when their parent
# exits, and reaps them with wait4(-1) and with waitid(P_ALL).  The model
# matches the log, moves each orphan to the subreaper (table reparent,
# reason subreaper), and gives the orphan's parent at exit as the
# subreaper (so the reap is "by its parent").
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record subreaper
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

s=$(log_field subreaper 2)
check_eq "the subreaper is marked" 1 "$(cq "SELECT subreaper FROM process WHERE pid = $s")"
while IFS='	' read -r _ child old new; do
	check_eq "orphan $child: moved from $old to the subreaper $new" "subreaper $new $new" \
		"$(cq "SELECT r.reason || ' ' || t.pid || ' ' || p.pid FROM reparent r
		       JOIN process c ON c.upid = r.upid JOIN process t ON t.upid = r.to_upid
		       JOIN process p ON p.upid = c.parent_upid
		       WHERE c.pid = $child AND r.reason <> 'thread'")"
done < <(grep -P '^orphan\t' "$T/log")
check_eq "no reap is 'not by its parent'" 0 \
	"$(cq "SELECT count(*) FROM process WHERE reaper_upid IS NOT parent_upid
	       AND reap_call_id IS NOT NULL AND pid IN (SELECT pid FROM log_fork)")"
"$WTREC" analyze "$T/x.wtrec" -r tree >"$T/tree" 2>&1
for child in $(log_field orphan 2); do
	check "tree: $child orphaned and reparented to $s" \
		grep -q "(pid $child) .*reparented to $s " "$T/tree"
done
t_finish
