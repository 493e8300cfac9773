#!/bin/bash
# live_kprobe.sh WTREC WTWORK - a real `wtrec record --backend kprobe`.
#
# `wtwork basic` and `wtwork stolen` recorded with the kprobe backend: the
# model matches the workload's log exactly as with tracepoints
# (tests/e2e/compare.sql), the file says backend=kprobe with its probe.N
# definitions and FORMAT chunks of the probe group, nothing is inferred,
# where the kernel's return probes read $arg<N> every wait4 reap carries
# the status the log saw, and after the run neither the probe group nor
# the instance is left.  Skips (77) on a kernel without kprobe_events.
. "$(dirname "$0")/../e2e/lib.sh"
# shellcheck source=status.sh
. "$(dirname "$0")/status.sh"
TR=/sys/kernel/tracing
[ "$(id -u)" = 0 ] || t_skip "needs root to record"
[ -e $TR/kprobe_events ] || t_skip "no kprobe_events on this kernel"
e2e_init "$@"

# kp_record SCENARIO: like e2e_record, with --backend kprobe
kp_record() {
	"$WTREC" record --backend kprobe -o "$T/x.wtrec" -q -- "$WTWORK" "$1" \
		-l "$T/log" >"$T/record.out" 2>"$T/record.err"
	local rc=$?
	[ $rc = 0 ] || { cat "$T/record.err"; t_bail "wtrec record --backend kprobe exited $rc"; }
	[ "$(tail -n 1 "$T/log")" = done ] || t_bail "wtwork $1 did not finish"
}

retargs=no
grep 'kernel return probes support:' $TR/README | grep -qF '$arg<N>' && retargs=yes

for sc in basic stolen; do
	kp_record $sc
	"$WTREC" info "$T/x.wtrec" >"$T/info" 2>&1
	check_eq "$sc: META backend" "  backend=kprobe" "$(grep '^  backend=' "$T/info")"
	group=$(sed -n 's|^  probe\.0=p:\(wtrec_[0-9]*\)/wait4_enter .*|\1|p' "$T/info")
	check_true "$sc: META probe.0 names the group" test -n "$group"
	check_eq "$sc: probe group removed after the run" "" \
		"$(grep -F "$group/" $TR/kprobe_events)"
	check_true "$sc: no events/$group left" test ! -e "$TR/events/$group"
	check_true "$sc: no instance left" test ! -e "$TR/instances/wtrec-${group#wtrec_}"
	e2e_analyze
	check_eq "$sc: recording backend" kprobe "$(q "SELECT backend FROM recording")"
	check_eq "$sc: nothing inferred" 0 "$(q "SELECT COALESCE(sum(reap_inferred), 0) FROM wait_call")"
	e2e_load_log
	e2e_compare
	[ $retargs = yes ] && kp_check_wait4_status "$sc"
done
t_finish
