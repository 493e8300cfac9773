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
set -u
WTREC=${1:?usage: $0 WTREC}
TR=/sys/kernel/tracing
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to record"; exit 77; }
[ -d $TR/instances ] || { echo "SKIP: no tracefs at $TR"; exit 77; }
[ -e $TR/kprobe_events ] && { echo "SKIP: this kernel has kprobes; kprobe_live tests the real path"; exit 77; }
T=$(mktemp -d /tmp/wtrec-kprobe-refused.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check_eq() { if [ "$2" == "$3" ]; then ok; else bad "$1: expected [$2], got [$3]"; fi; }
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
	[ ! -e $TR/instances/wtrec-$PID ] && ok || bad "$1: instance wtrec-$PID left"
	[ ! -e $TR/events/wtrec_$PID ] && ok || bad "$1: probe group wtrec_$PID left"
}

run --backend kprobe
check_eq "kprobe: exit status" 2 "$RC"
check_eq "kprobe: message" \
	"wtrec: --backend kprobe: the kernel refused kprobe 'p:wtrec_$PID/wait4_enter" \
	"$(tail -1 "$T/err" | cut -d' ' -f1-8)"
grep -q "; use --backend tracepoint\$" "$T/err" && ok || bad "kprobe: no hint: $(cat "$T/err")"
check_eq "kprobe: no file" "" "$(ls "$T"/x.wtrec* 2>/dev/null)"
gone kprobe

run
check_eq "auto: exit status" 0 "$RC"
grep -q "^wtrec: backend auto: using tracepoint after all (the kernel refused kprobe 'p:wtrec_$PID/" "$T/err" &&
	ok || bad "auto: no fallback note: $(cat "$T/err")"
check_eq "auto: META backend" "  backend=tracepoint" \
	"$("$WTREC" info "$T/x.wtrec" 2>/dev/null | grep '^  backend=')"
gone auto

echo "kprobe_refused: $pass passed, $fail failed"
[ "$fail" = 0 ]
