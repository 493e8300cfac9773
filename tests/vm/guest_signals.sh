#!/bin/bash
# guest_signals.sh WTREC WTWORK - signals and leftovers with the backend
# $WTREC_BACKEND, on a kernel where this test is the only tracer (a VM
# guest: tests/vm/guest.sh runs it), so "clean" can mean empty:
# kprobe_events, dynamic_events and instances/ empty, no events/wtrec_*.
#   1. SIGINT while recording the whole system: exit 0, the file is whole
#      (trailer, stop reason SIGINT, META backend), tracefs clean;
#   2. SIGTERM while recording a command: the same;
#   3. SIGKILL: the run's instance (and with kprobes its probe group and
#      kprobe_events lines) really are left; `wtrec record --cleanup` exits
#      0, names them, and tracefs is clean;
#   4. SIGKILL again, then the next recording removes the leftovers itself,
#      records the workload (exit 0, the file analyzes), and leaves nothing.
. "$(dirname "$0")/../lib/live.sh"
WTREC=${1:?usage: $0 WTREC WTWORK}
WTWORK=${2:?usage: $0 WTREC WTWORK}
B=${WTREC_BACKEND:?set WTREC_BACKEND to kprobe or tracepoint}
need_live
t_mktemp vm
PIDS=()
stop_all() { stop_recorders "${PIDS[@]}"; }
t_at_exit stop_all

# clean WHAT: tracefs holds nothing of any recorder
clean() {
	check_eq "$1: kprobe_events empty" "" "$(cat $TRACING/kprobe_events 2>/dev/null)"
	check_eq "$1: dynamic_events empty" "" "$(cat $TRACING/dynamic_events 2>/dev/null)"
	check_eq "$1: instances/ empty" "" "$(ls $TRACING/instances)"
	check_eq "$1: no events/wtrec_*" "" "$(cd $TRACING/events && ls -d wtrec_* 2>/dev/null)"
}

# start FILE ARGS...: wtrec record --backend B -o FILE ARGS in the
# background -> $PID, once recording has begun
start() {
	local f=$1
	shift
	"$WTREC" record --backend "$B" -o "$f" "$@" >"$T/out" 2>"$T/err" &
	PID=$!
	PIDS+=("$PID")
	if ! wait_started "$f" "$PID"; then
		cat "$T/err"
		t_bail "wtrec record --backend $B (pid $PID) did not start"
	fi
}

# info_has FILE REGEX: `wtrec info FILE` exits 0 and prints a REGEX line
info_has() {
	"$WTREC" info "$1" >"$T/info" 2>&1 && grep -Eq "$2" "$T/info"
}

clean "before the first run"

# 1. SIGINT, system-wide
start "$T/int.wtrec"
"$WTWORK" basic -l "$T/int.log" >/dev/null 2>&1
kill -INT "$PID"
wait "$PID"
check_eq "SIGINT: exit status" 0 $?
check "SIGINT: file has its trailer" info_has "$T/int.wtrec" '^trailer:[[:space:]]+present'
check "SIGINT: stop reason" info_has "$T/int.wtrec" '^  stop_reason=signal SIGINT$'
check "SIGINT: META backend=$B" info_has "$T/int.wtrec" "^  backend=$B\$"
clean "after SIGINT"

# 2. SIGTERM, recording a command
start "$T/term.wtrec" -- sleep 30
kill -TERM "$PID"
wait "$PID"
rc=$?
check_true "SIGTERM: exit status 0 or the command's (got $rc)" test $rc = 0 -o $rc = 143
check "SIGTERM: file has its trailer" info_has "$T/term.wtrec" '^trailer:[[:space:]]+present'
check "SIGTERM: stop reason" info_has "$T/term.wtrec" '^  stop_reason=signal SIGTERM$'
clean "after SIGTERM"

# kill9 FILE WHAT: start a recording into FILE, SIGKILL it -> $killed; what
# it could not remove really is left
kill9() {
	start "$1"
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null
	killed=$PID
	check "$2: instance wtrec-$killed left" instance_exists "$killed"
	[ "$B" = kprobe ] || return 0
	check "$2: probe group wtrec_$killed left" test -d "$TRACING/events/wtrec_$killed"
	check "$2: kprobe_events names wtrec_$killed" grep -q "wtrec_$killed/" "$TRACING/kprobe_events"
}

# 3. SIGKILL, then --cleanup
kill9 "$T/kill1.wtrec" SIGKILL
"$WTREC" record --cleanup >"$T/c.out" 2>"$T/c.err"
check_eq "--cleanup: exit status" 0 $?
check "--cleanup names instance wtrec-$killed" \
	grep -q "removed stale instance wtrec-$killed" "$T/c.err"
[ "$B" = kprobe ] && check "--cleanup names kprobe group wtrec_$killed" \
	grep -q "removed stale kprobe group wtrec_$killed" "$T/c.err"
check "--cleanup: its count" grep -Eq '^wtrec: cleanup: removed [0-9]+ leftovers? of dead runs$' \
	<(tail -n 1 "$T/c.err")
clean "after SIGKILL and --cleanup"

# 4. SIGKILL, then the next recording sweeps
kill9 "$T/kill2.wtrec" "SIGKILL again"
"$WTREC" record --backend "$B" -o "$T/next.wtrec" -- "$WTWORK" basic -l "$T/next.log" \
	>"$T/n.out" 2>"$T/n.err"
check_eq "next run: exit status" 0 $?
check "next run: names the instance it swept" grep -q "removed stale instance wtrec-$killed" "$T/n.err"
check_eq "next run: the workload finished" done "$(tail -n 1 "$T/next.log")"
"$WTREC" analyze "$T/next.wtrec" -o "$T/next.db" >/dev/null 2>"$T/a.err"
check_eq "next run: the file analyzes" 0 $?
clean "after the next run"
t_finish
