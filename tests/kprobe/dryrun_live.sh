#!/bin/bash
# dryrun_live.sh WTREC - `wtrec record --dry-run --backend kprobe` on this
# kernel: the probe set comes from the real /proc/kallsyms and tracefs
# README, the run exits 0, and nothing is created (no instance, no probe
# group, kprobe_events unchanged).  On a kernel without kprobe_events it
# says that a real run would refuse.  The expected functions are picked
# from /proc/kallsyms here, by the preference order documented in
# record/kprobe_plan.c.  Needs root (the README is root-only).
# shellcheck source=../lib/check.sh
. "$(dirname "$0")/../lib/check.sh"
WTREC=${1:?usage: $0 WTREC}
TR=/sys/kernel/tracing
[ "$(id -u)" = 0 ] || t_skip "needs root to read $TR/README"
[ -r $TR/README ] || t_skip "no tracefs README at $TR"
case "$(uname -m)" in
x86_64) W=__x64_sys_ ;;
aarch64) W=__arm64_sys_ ;;
*) t_skip "the kprobe backend supports x86_64 and arm64 only" ;;
esac
t_mktemp kprobe

# first core-kernel text symbol of the list present in /proc/kallsyms
pick() {
	awk -v list="$*" 'BEGIN { n = split(list, want, " ") }
		NF == 3 && ($2 == "t" || $2 == "T") { have[$3] = 1 }
		END { for (i = 1; i <= n; i++) if (want[i] in have) { print want[i]; exit } }' /proc/kallsyms
}
# entries on the syscall function (the caller's arguments), wait4's return
# there too, waitid's on kernel_waitid when there is one
E4=$(pick ${W}wait4 sys_wait4 __do_sys_wait4)
EID=$(pick ${W}waitid sys_waitid __do_sys_waitid)
R4=$E4
RID=$(pick kernel_waitid "$EID")
DOEXIT=$(pick do_exit)
[ -n "$E4" ] && [ -n "$EID" ] || t_skip "no probeable wait4/waitid in /proc/kallsyms"
RETARGS=no
grep 'kernel return probes support:' $TR/README | grep -qF '$arg<N>' && RETARGS=yes
echo "this kernel: wait4 via $E4 and $R4, waitid via $EID and $RID, do_exit: ${DOEXIT:-none}," \
	"return probes read args: $RETARGS, kprobe_events: $([ -e $TR/kprobe_events ] && echo yes || echo no)"

before=$(cat $TR/kprobe_events 2>/dev/null)
ls $TR/instances >"$T/inst.before"
"$WTREC" record --dry-run --backend kprobe -o "$T/x.wtrec" >"$T/out" 2>"$T/err"
check_eq "exit status" 0 $?
cat "$T/out"
PID=$(sed -n 's|^mkdir .*/instances/wtrec-\([0-9]*\)$|\1|p' "$T/out")
G=wtrec_$PID
[ -n "$PID" ] && pass || fail "no mkdir line"

probe() { grep -E "^echo '[pr][0-9]*:$G/$1 " "$T/out" | sed "s/^echo '[^ ]* \([^ ]*\) .*/\1/"; }
check_eq "wait4 probes on $E4 and $R4" "$E4 $R4" "$(probe 'wait4_(enter|exit)' | tr '\n' ' ' | sed 's/ $//')"
check_eq "waitid probes on $EID and $RID" "$EID $RID" "$(probe 'waitid_(enter|exit)' | tr '\n' ' ' | sed 's/ $//')"
check_eq "entry probes take the rusage pointer" 2 "$(grep -cE "/wait(4|id)_enter .* ru=[^ ]*:x64'" "$T/out")"
check_eq "do_exit probe" "$DOEXIT" "$(probe do_exit)"
if [ $RETARGS = yes ]; then
	check_eq "wait4 return probe reads the status" 1 "$(grep -c "/wait4_exit .* status=+u0(" "$T/out")"
	check_eq "both return probes read the rusage" 2 "$(grep -cE "/wait(4|id)_exit .* ru_maxrss=\+u?32\(" "$T/out")"
	check_eq "waitid return probe reads the siginfo" 1 "$(grep -c "/waitid_exit .* si_uid=" "$T/out")"
else
	check_eq "wait4 return probe reads no status" 0 "$(grep -c "/wait4_exit .* status=" "$T/out")"
	check_eq "return probes read no rusage" 0 "$(grep -c "_exit .* ru_" "$T/out")"
fi
if [ -e $TR/kprobe_events ]; then
	check_eq "no refusal comment" 0 "$(grep -c 'a real run with --backend kprobe refuses' "$T/out")"
else
	check_eq "says a real run would refuse" 1 \
		"$(grep -c '^# this kernel has no kprobe_events (CONFIG_KPROBE_EVENTS): a real run with --backend kprobe refuses (exit 2); use --backend tracepoint$' "$T/out")"
fi
check_eq "no output file" "" "$(ls "$T"/x.wtrec* 2>/dev/null)"
[ ! -e $TR/instances/wtrec-$PID ] && pass || fail "instance wtrec-$PID was created"
[ ! -e $TR/events/$G ] && pass || fail "probe group $G was created"
check_eq "kprobe_events unchanged" "$before" "$(cat $TR/kprobe_events 2>/dev/null)"
ls $TR/instances >"$T/inst.after"
check_eq "no new instance of ours" "" \
	"$(comm -13 "$T/inst.before" "$T/inst.after" | grep -x "wtrec-$PID")"

t_finish
