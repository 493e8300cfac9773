# lib.sh - helpers of the `wtrec record` live tests (sourced by bash).
#
#   . "$(dirname "$0")/lib.sh"
#   rec_init "$@"           # args: WTREC POLLLOOP LASTCHUNK; makes $T
#   rec_need_live           # exit 77 with a reason unless root + tracefs
#   rec_start ARGS...       # wtrec record ARGS in the background -> $REC_PID
#   rec_wait_started        # until wtrec-$REC_PID exists and the file too
#   rec_wait                # wait for it -> $REC_RC
#   check "what" CONDITION... / check_eq "what" EXPECTED ACTUAL
#   rec_finish              # "N passed, M failed"; exit 1 if any failed
#
# Instances are only ever checked by names derived from this test's own
# wtrec pids: other recorders run on the same kernel at the same time.
# The EXIT trap stops every wtrec this test started (SIGINT, then SIGKILL if
# it does not end) and waits for it, so a failing test leaves nothing.

set -u
REC_NAME=$(basename "$0" .sh)
REC_PASS=0
REC_FAIL=0
REC_PIDS=()
T=
TRACING=/sys/kernel/tracing

rec_cleanup() {
	local p i
	for p in "${REC_PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -INT "$p" 2>/dev/null
		for i in $(seq 100); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "${REC_UMOUNT:-}" ] && umount "$REC_UMOUNT" 2>/dev/null
	[ -n "$T" ] && [ -z "${REC_KEEP:-}" ] && rm -rf "$T"
	[ -n "${REC_KEEP:-}" ] && echo "$REC_NAME: kept $T"
	return 0
}
trap rec_cleanup EXIT

rec_skip() {
	echo "SKIP: $REC_NAME: $*"
	exit 77
}

rec_init() {
	WTREC=${1:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	POLLLOOP=${2:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	LASTCHUNK=${3:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-rec-$REC_NAME.XXXXXX")
}

rec_need_live() {
	[ "$(id -u)" = 0 ] || rec_skip "needs root to record (tracefs instances are root-only)"
	[ -d $TRACING/instances ] || TRACING=/sys/kernel/debug/tracing
	[ -d $TRACING/instances ] || rec_skip "no tracefs mounted at /sys/kernel/tracing"
	[ -d $TRACING/events/syscalls/sys_enter_wait4 ] ||
		rec_skip "kernel has no syscalls:sys_enter_wait4 tracepoint"
}

check() {
	local what=$1
	shift
	if "$@"; then
		REC_PASS=$((REC_PASS + 1))
	else
		REC_FAIL=$((REC_FAIL + 1))
		echo "FAIL: $REC_NAME: $what"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		REC_PASS=$((REC_PASS + 1))
	else
		REC_FAIL=$((REC_FAIL + 1))
		echo "FAIL: $REC_NAME: $1: expected '$2', got '$3'"
	fi
}

rec_finish() {
	echo "$REC_NAME: $REC_PASS passed, $REC_FAIL failed"
	[ "$REC_FAIL" = 0 ] || exit 1
	exit 0
}

# rec_start ARGS... : stdout -> $T/out, stderr -> $T/err
rec_start() {
	"$WTREC" record "$@" >"$T/out" 2>"$T/err" &
	REC_PID=$!
	REC_PIDS+=("$REC_PID")
}

instance_exists() {
	[ -d "$TRACING/instances/wtrec-$1" ]
}

instance_gone() {
	! instance_exists "$1"
}

# Recording has begun once the file exists (it is created after tracing is
# on); bounded wait, not a timing assertion.
rec_wait_started() {
	local file=$1 i
	for i in $(seq 300); do
		[ -s "$file" ] && instance_exists "$REC_PID" && return 0
		kill -0 "$REC_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "FAIL: $REC_NAME: wtrec (pid $REC_PID) did not start recording:"
	cat "$T/err"
	REC_FAIL=$((REC_FAIL + 1))
	rec_finish
}

rec_wait() {
	wait "$REC_PID"
	REC_RC=$?
}

# The last chunk's type according to the common/ reader.
last_chunk() {
	"$LASTCHUNK" "$1" | sed -n 's/^last=\([a-z_]*\) .*/\1/p'
}

# Value of META or TRAILER key $2 in file $1 (the last one wins).
meta_value() {
	"$LASTCHUNK" "$1" "$2" | sed -n "s/^$2=//p"
}

# Count of a short event name ("wait4") in the summary line of $T/err.
summary_count() {
	grep -Eo "(\(|, )$1 [0-9]+" "$T/err" | grep -Eo '[0-9]+$' | head -1
}
