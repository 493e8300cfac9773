#!/bin/bash
# autoreap.sh WTREC WTWORK - `wtwork autoreap`: 3 children of a process that
# ignores SIGCHLD and 3 of a sub-process with SA_NOCLDWAIT vanish without a
# wait; each parent's wait4(-1) then fails with ECHILD.  The model matches the
# log (compare.sql), autoreap_v and `-r autoreap` list exactly the log's
# `autoreaped` children, and the ECHILD waits are in `-r errors`.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record autoreap
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_set "autoreap_v = the log's autoreaped children (pid parent)" \
	"$(log_field autoreaped 2)" \
	"$(cq "SELECT pid FROM autoreap_v WHERE pid IN (SELECT pid FROM log_fork)
	       OR ppid IN (SELECT pid FROM wl_pids)")"

# Why: the log says which parent ignored SIGCHLD (main, SIG_IGN) and which
# used SA_NOCLDWAIT (the sub-process, alive until after its children).
not_reparented() { [ -n "$1" ] && ! grep -q reparent <<<"$1"; }
main=$(log_field proc 3)
sub=$(log_field subproc 2)
for pid in $(awk -F'\t' -v m="$main" '$1 == "autoreaped" && $3 == m { print $2 }' "$T/log"); do
	ev=$(cq "SELECT evidence FROM autoreap_v WHERE pid = $pid")
	check_true "child $pid of SIG_IGN parent: evidence names SIG_IGN ($ev)" \
		grep -q "SIG_IGN\|SigIgn" <<<"$ev"
done
for pid in $(awk -F'\t' -v s="$sub" '$1 == "autoreaped" && $3 == s { print $2 }' "$T/log"); do
	ev=$(cq "SELECT evidence FROM autoreap_v WHERE pid = $pid")
	check_true "child $pid of SA_NOCLDWAIT parent: evidence ($ev) does not claim reparenting" \
		not_reparented "$ev"
	grep -q NOCLDWAIT <<<"$ev" || echo "NOTE: child $pid (parent used SA_NOCLDWAIT): evidence '$ev'"
done

"$WTREC" analyze "$T/x.wtrec" -r autoreap -f csv >"$T/autoreap.csv" 2>"$T/autoreap.err"
check_eq "wtrec analyze -r autoreap: exit status" 0 $?
for pid in $(log_field autoreaped 2); do
	parent=$(awk -F'\t' -v p="$pid" '$1 == "autoreaped" && $2 == p { print $3 }' "$T/log")
	check_true "-r autoreap lists child $pid (parent $parent)" \
		csv_has_row "$T/autoreap.csv" "$pid"
	# the log: each parent made exactly one wait after its children were gone
	check_eq "-r autoreap: parent_echild_waits of $pid" 1 \
		"$(csv_lookup "$T/autoreap.csv" pid "$pid" parent_echild_waits)"
done
# Rows about the workload's processes: the auto-reaped children, nothing else.
wl=",$(log_pids),"
kids=" $(log_field autoreaped 2 | tr '\n' ' ')"
extra=$(csv_column "$T/autoreap.csv" pid | while read -r pid; do
	case $wl in *",$pid,"*) case $kids in *" $pid "*) ;; *) echo "$pid" ;; esac ;; esac
done)
check_eq "-r autoreap: no workload process listed besides the auto-reaped children" "" "$extra"
[ -n "$extra" ] && grep -E "^\"?($(echo $extra | tr ' ' '|'))\"?," "$T/autoreap.csv" | sed 's/^/  extra row: /'

"$WTREC" analyze "$T/x.wtrec" -r errors -f csv >"$T/errors.csv" 2>"$T/errors.err"
check_eq "wtrec analyze -r errors: exit status" 0 $?
for tid in $(awk -F'\t' '$1 == "call" && $9 == "ECHILD" { print $3 }' "$T/log"); do
	check_true "-r errors has the ECHILD wait of thread $tid" \
		csv_has_row "$T/errors.csv" "$tid" ECHILD
done
t_finish
