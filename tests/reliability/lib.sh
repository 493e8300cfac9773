# lib.sh - helpers of the reliability tests (sourced by bash).
#
#   . "$(dirname "$0")/lib.sh"
#   rl_init                 # makes $T; tools come from the environment
#   rl_need_live            # exit 77 with a reason unless root + tracefs
#   check "what" CMD...     # CMD must succeed
#   check_eq "what" EXPECTED ACTUAL
#   rl_finish               # "N passed, M failed"; exit 1 if any failed
#
# Tools (set by tests/reliability/CMakeLists.txt through the environment):
#   WTREC      the wtrec binary
#   LASTCHUNK  tests/record's reader probe: "last=TYPE chunks=N ... damaged=0|1"
#   CHUNKDUMP  prints the payloads of one chunk type (chunkdump.c)
#   POLLLOOP   the wait4(WNOHANG) spinner of tests/record
#
# Instances are only ever looked at by names derived from this test's own
# wtrec pids: other recorders run on the same kernel at the same time.  The
# EXIT trap stops every wtrec this test started and did not wait for yet
# (SIGINT, then SIGKILL) and removes $T, so a failing test leaves nothing
# behind.

set -u
RL_NAME=$(basename "$0" .sh)
RL_PASS=0
RL_FAIL=0
RL_MOUNTS=()
T=
TRACING=/sys/kernel/tracing

rl_cleanup() {
	local p _ m
	# only children not yet waited for: a waited pid may be someone
	# else's by now
	for p in $(jobs -p); do
		kill -0 "$p" 2>/dev/null || continue
		kill -INT "$p" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for m in "${RL_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null
	done
	[ -n "$T" ] && [ -z "${RL_KEEP:-}" ] && rm -rf "$T"
	[ -n "${RL_KEEP:-}" ] && echo "$RL_NAME: kept $T"
	return 0
}
trap rl_cleanup EXIT

rl_skip() {
	echo "SKIP: $RL_NAME: $*"
	exit 77
}

rl_init() {
	[ -x "${WTREC:-}" ] || { echo "FAIL: $RL_NAME: WTREC not set"; exit 1; }
	T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-rl-$RL_NAME.XXXXXX")
}

rl_need_live() {
	[ "$(id -u)" = 0 ] || rl_skip "needs root to record (tracefs instances are root-only)"
	[ -d $TRACING/instances ] || TRACING=/sys/kernel/debug/tracing
	[ -d $TRACING/instances ] || rl_skip "no tracefs mounted at /sys/kernel/tracing"
	[ -d $TRACING/events/syscalls/sys_enter_wait4 ] ||
		rl_skip "kernel has no syscalls:sys_enter_wait4 tracepoint"
}

check() {
	local what=$1
	shift
	if "$@"; then
		RL_PASS=$((RL_PASS + 1))
	else
		RL_FAIL=$((RL_FAIL + 1))
		echo "FAIL: $RL_NAME: $what"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		RL_PASS=$((RL_PASS + 1))
	else
		RL_FAIL=$((RL_FAIL + 1))
		echo "FAIL: $RL_NAME: $1: expected '$2', got '$3'"
	fi
}

rl_finish() {
	echo "$RL_NAME: $RL_PASS passed, $RL_FAIL failed"
	[ "$RL_FAIL" = 0 ] || exit 1
	exit 0
}

# rl_start OUT ERR ARGS... : `wtrec record ARGS` in the background -> $REC_PID.
# With the stop signals at their default: a non-interactive bash starts
# background jobs with SIGINT ignored, which wtrec should be free to honour.
rl_start() {
	local out=$1 err=$2
	shift 2
	env --default-signal=INT,TERM,HUP "$WTREC" record "$@" >"$out" 2>"$err" &
	# shellcheck disable=SC2034 # for the scripts that source this
	REC_PID=$!
}

instance_exists() {
	[ -d "$TRACING/instances/wtrec-$1" ]
}

instance_gone() {
	! instance_exists "$1"
}

# Bounded wait until file $1 exists and instance wtrec-$2 too (recording
# has begun: the file is created after tracing is on).  1 if $2 died first.
wait_started() {
	local _
	for _ in $(seq 300); do
		[ -s "$1" ] && instance_exists "$2" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# Value of META/TRAILER key $2 in file $1 (the last one wins).
meta_value() {
	"$LASTCHUNK" "$1" "$2" 2>/dev/null | sed -n "s/^$2=//p"
}

# A deterministic pseudo-random number in [0, $1) from the seeded $RANDOM.
rnd() {
	echo $(( (RANDOM * 32768 + RANDOM) % $1 ))
}

# not CMD... : succeeds when CMD fails (for check)
not() {
	! "$@"
}

# stop_command FILE: a COMMAND outlives a recorder that stopped first (as
# with a signal or --max-size); end it, by the pid in the file's META
# scope_pids and only while that pid still runs $POLLLOOP.
stop_command() {
	local pid
	pid=$(meta_value "$1" scope_pids)
	case $pid in '' | *[!0-9]*) return 0 ;; esac
	grep -qF "$POLLLOOP" "/proc/$pid/cmdline" 2>/dev/null || return 0
	kill "$pid" 2>/dev/null
	return 0
}

# matches TEXT ERE / contains TEXT STRING: bash's own tests, for check
matches() {
	[[ $1 =~ $2 ]]
}
contains() {
	[[ $1 == *"$2"* ]]
}
