# lib.sh - helpers of the `wtrec record` live tests (sourced by bash); the
# shared ones (check, check_eq, need_live, instance_exists, meta_value, the
# EXIT cleanup, ...) are in tests/lib/live.sh and tests/lib/check.sh.
#
#   . "$(dirname "$0")/lib.sh"
#   rec_init "$@"           # args: WTREC POLLLOOP LASTCHUNK; makes $T
#   need_live               # exit 77 with a reason unless root + tracefs
#   rec_start ARGS...       # wtrec record ARGS in the background -> $REC_PID
#   rec_wait_started FILE   # until wtrec-$REC_PID exists and FILE too
#   rec_wait                # wait for it -> $REC_RC
#   check "what" CONDITION... / check_eq "what" EXPECTED ACTUAL
#   t_finish                # "N passed, M failed"; exit 1 if any failed
#
# The EXIT trap stops every wtrec this test started (SIGINT, then SIGKILL if
# it does not end) and waits for it, so a failing test leaves nothing.

# shellcheck source=../lib/live.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/live.sh"

REC_PIDS=()

rec_stop_all() {
	stop_recorders "${REC_PIDS[@]}"
}
t_at_exit rec_stop_all
t_at_exit live_unmount

rec_init() {
	WTREC=${1:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	POLLLOOP=${2:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	LASTCHUNK=${3:?usage: $0 WTREC POLLLOOP LASTCHUNK}
	t_mktemp rec
}

# rec_start ARGS... : stdout -> $T/out, stderr -> $T/err
rec_start() {
	"$WTREC" record "$@" >"$T/out" 2>"$T/err" &
	REC_PID=$!
	REC_PIDS+=("$REC_PID")
}

# rec_wait_started FILE: recording has begun (see wait_started), or the
# test ends here with wtrec's stderr shown.
rec_wait_started() {
	wait_started "$1" "$REC_PID" && return 0
	cat "$T/err"
	t_bail "wtrec (pid $REC_PID) did not start recording"
}

rec_wait() {
	wait "$REC_PID"
	REC_RC=$?
}

# The last chunk's type according to the common/ reader.
last_chunk() {
	"$LASTCHUNK" "$1" | sed -n 's/^last=\([a-z_]*\) .*/\1/p'
}

# Count of a short event name ("wait4") in the summary line of $T/err.
summary_count() {
	grep -Eo "(\(|, )$1 [0-9]+" "$T/err" | grep -Eo '[0-9]+$' | head -1
}
