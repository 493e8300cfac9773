# lib.sh - helpers of the reliability tests (sourced by bash); the shared
# ones (check, check_eq, need_live, instance_exists, wait_started,
# meta_value, the EXIT cleanup, ...) are in tests/lib/live.sh and
# tests/lib/check.sh.
#
#   . "$(dirname "$0")/lib.sh"
#   rl_init                 # makes $T; tools come from the environment
#   need_live               # exit 77 with a reason unless root + tracefs
#   check "what" CMD...     # CMD must succeed
#   check_eq "what" EXPECTED ACTUAL
#   t_finish                # "N passed, M failed"; exit 1 if any failed
#
# Tools (set by tests/reliability/CMakeLists.txt through the environment):
#   WTREC      the wtrec binary
#   LASTCHUNK  tests/record's reader probe: "last=TYPE chunks=N ... damaged=0|1"
#   CHUNKDUMP  prints the payloads of one chunk type (chunkdump.c)
#   POLLLOOP   the wait4(WNOHANG) spinner of tests/record
#
# The EXIT trap stops every wtrec this test started and did not wait for
# yet (SIGINT, then SIGKILL), unmounts $TEST_MOUNTS and removes $T, so a
# failing test leaves nothing behind.

# shellcheck source=../lib/live.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/live.sh"

# only children not yet waited for: a waited pid may be someone else's
# by now
rl_stop_jobs() {
	# shellcheck disable=SC2046 # one pid a word
	stop_recorders $(jobs -p)
}
t_at_exit rl_stop_jobs
t_at_exit live_unmount

rl_init() {
	[ -x "${WTREC:-}" ] || { echo "FAIL: $TEST_NAME: WTREC not set"; exit 1; }
	t_mktemp rl
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
