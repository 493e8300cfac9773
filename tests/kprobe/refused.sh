#!/bin/bash
# refused.sh WTREC - the real kprobe path when the kernel refuses the probes.
#
# On a kernel without kprobes, the test hook WTREC_KPROBE_EVENTS makes
# wtrec believe kprobe_events exists; the real probe creation (libtracefs,
# record/tfs_real.c) then fails in the kernel (EINVAL: nothing parses a
# kprobe definition), as a lockdown kernel or a function the kernel will
# not probe would make it fail.  Checked: --backend kprobe exits 2 with the
# kernel's refusal and removes its instance; auto falls back to tracepoints,
# says so, and records.  Skips where kprobes really exist (kprobe_live
# covers that path) and without root.
# shellcheck source=../lib/check.sh
. "$(dirname "$0")/../lib/check.sh"
WTREC=${1:?usage: $0 WTREC}
TR=/sys/kernel/tracing
[ "$(id -u)" = 0 ] || t_skip "needs root to record"
[ -d $TR/instances ] || t_skip "no tracefs at $TR"
[ -e $TR/kprobe_events ] && t_skip "this kernel has kprobes; kprobe_live tests the real path"
t_mktemp kprobe
touch "$T/kprobe_events"
export WTREC_KPROBE_EVENTS=$T/kprobe_events

# run ARGS...: wtrec record in the background (its pid names its objects)
run() {
	"$WTREC" record -o "$T/x.wtrec" "$@" -- /bin/true >"$T/out" 2>"$T/err" &
	PID=$!
	wait $PID
	RC=$?
}
gone() { # WHAT
	[ ! -e $TR/instances/wtrec-$PID ] && pass || fail "$1: instance wtrec-$PID left"
	[ ! -e $TR/events/wtrec_$PID ] && pass || fail "$1: probe group wtrec_$PID left"
}

run --backend kprobe
check_eq "kprobe: exit status" 2 "$RC"
check_eq "kprobe: message" \
	"wtrec: --backend kprobe: the kernel refused kprobe 'p:wtrec_$PID/wait4_enter" \
	"$(tail -1 "$T/err" | cut -d' ' -f1-8)"
grep -q "; use --backend tracepoint\$" "$T/err" && pass || fail "kprobe: no hint: $(cat "$T/err")"
check_eq "kprobe: no file" "" "$(ls "$T"/x.wtrec* 2>/dev/null)"
gone kprobe

run
check_eq "auto: exit status" 0 "$RC"
grep -q "^wtrec: backend auto: using tracepoint after all (the kernel refused kprobe 'p:wtrec_$PID/" "$T/err" &&
	pass || fail "auto: no fallback note: $(cat "$T/err")"
check_eq "auto: META backend" "  backend=tracepoint" \
	"$("$WTREC" info "$T/x.wtrec" 2>/dev/null | grep '^  backend=')"
gone auto

t_finish
