# live.sh - what the shell tests that record on this kernel share (sourced,
# bash; sources check.sh for the bookkeeping).
#
#   need_live               # exit 77 with a reason unless root + tracefs
#   instance_exists PID / instance_gone PID   # tracefs instance wtrec-PID
#   wait_started FILE PID   # bounded wait until recording has begun
#   stop_recorders PID...   # SIGINT, then SIGKILL, and wait: for cleanup
#   meta_value FILE KEY     # META/TRAILER KEY of FILE (needs $LASTCHUNK)
#   TEST_MOUNTS+=(DIR)      # unmounted at exit, before $T is removed
#
# Instances are only ever looked at by names derived from this test's own
# wtrec pids: other recorders run on the same kernel at the same time.

# shellcheck source=check.sh
. "$(dirname "${BASH_SOURCE[0]}")/check.sh"

TRACING=/sys/kernel/tracing
TEST_MOUNTS=()

live_unmount() {
	local m
	for m in "${TEST_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null
	done
	return 0
}

need_live() {
	[ "$(id -u)" = 0 ] || t_skip "needs root to record (tracefs instances are root-only)"
	[ -d $TRACING/instances ] || TRACING=/sys/kernel/debug/tracing
	[ -d $TRACING/instances ] || t_skip "no tracefs mounted at /sys/kernel/tracing"
	[ -d $TRACING/events/syscalls/sys_enter_wait4 ] ||
		t_skip "kernel has no syscalls:sys_enter_wait4 tracepoint"
}

instance_exists() {
	[ -d "$TRACING/instances/wtrec-$1" ]
}

instance_gone() {
	! instance_exists "$1"
}

# wait_started FILE PID: until FILE is not empty and instance wtrec-PID
# exists (recording has begun: the file is created after tracing is on).
# 1 if PID died first or it took too long; a bounded wait, not a timing
# assertion.
wait_started() {
	local _
	for _ in $(seq 600); do
		[ -s "$1" ] && instance_exists "$2" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# stop_recorders PID...: each still running one gets SIGINT (wtrec's clean
# stop), then SIGKILL if it has not ended after 10 s, and is waited for.
# Only pass children not yet waited for: a waited pid may be someone
# else's by now.
stop_recorders() {
	local p _
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -INT "$p" 2>/dev/null
		for _ in $(seq 100); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}

# meta_value FILE KEY: value of META or TRAILER KEY in FILE (the last one
# wins), by tests/record's reader probe $LASTCHUNK.
meta_value() {
	"$LASTCHUNK" "$1" "$2" 2>/dev/null | sed -n "s/^$2=//p"
}
