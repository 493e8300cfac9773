#!/bin/bash
# A step of the end of a recording (here the stop snapshot) that fails
# without setting errno: the file must not get its trailer (the trailer
# certifies a complete file), and wtrec says what could not be written and
# exits 1.  FAILPROC (4th argument) is an LD_PRELOAD shim that makes
# opendir("/proc") fail with errno 0 once $WT_FAIL_PROC exists; the traced
# command creates that file as its last act.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
FAILPROC=${4:?usage: $0 WTREC POLLLOOP LASTCHUNK FAILPROC}
need_live

F=$T/end.wtrec
flag=$T/now
# an ASan wtrec wants its runtime first in the library list: a shim ahead
# of it is fine here (it only wraps opendir)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	WT_FAIL_PROC=$flag LD_PRELOAD=$FAILPROC \
	rec_start -o "$F" -- sh -c "sleep 0.3; : > '$flag'"
rec_wait
cat "$T/err"
check_eq "exit status" 1 "$REC_RC"
check "says the stop snapshot could not be written" \
	grep -q "^wtrec: writing $F: the stop snapshot failed" "$T/err"
check "the file exists" [ -s "$F" ]
check_eq "no trailer: the last chunk" cpu_stats "$(last_chunk "$F")"
"$WTREC" info "$F" >"$T/info" 2>&1
check_eq "info: exit status (cut short)" 1 "$?"
check "info: trailer MISSING" grep -q '^trailer: *MISSING' "$T/info"
check "no instance left" instance_gone "$REC_PID"
t_finish
