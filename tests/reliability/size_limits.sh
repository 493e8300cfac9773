#!/bin/bash
# size_limits.sh - the recorder meets a size limit: it stops, says why,
# exits 1, and the file stays readable.
#  --max-size 256k, a wait4 spinner that would run 5 s: a clean stop long
#    before the command ends - TRAILER present, META stop_reason
#    "--max-size reached", the last stderr line "stopped: --max-size
#    reached", the file at least 256 KiB (the limit was reached) and not
#    wildly past it; `wtrec info` exits 0 on it.
#  A full file system (1 MiB tmpfs): exit 1 naming the error, the file
#    readable up to its last whole chunk (tests/record/disk_full.sh checks
#    the chunks), and here: `wtrec info` exits 1 saying the trailer is
#    missing, `wtrec analyze` reads it and warns that it is incomplete.
. "$(dirname "$0")/lib.sh"
rl_init
need_live

F="$T/max.wtrec"
rl_start "$T/out" "$T/err" -q -b 256 --max-size 256k -o "$F" -- "$POLLLOOP" 5
wait "$REC_PID"
check_eq "--max-size: exit status" 1 "$?"
cat "$T/err"
check "--max-size: says why, last" \
	grep -q "^wtrec: stopped: --max-size reached" <(tail -1 "$T/err")
check "--max-size: stopped before the command ended" \
	grep -q "^wtrec: command still running" "$T/err"
check "--max-size: file whole (TRAILER)" "$LASTCHUNK" "$F" >/dev/null
check_eq "--max-size: META stop_reason" "--max-size reached" "$(meta_value "$F" stop_reason)"
size=$(stat -c %s "$F")
echo "$TEST_NAME: --max-size 256k: file of $size bytes"
check "--max-size: the limit was reached ($size >= 262144)" [ "$size" -ge 262144 ]
# the overshoot is what the 2 ring buffers of 256 KiB held plus <= 100 ms
# of writing; 8 MiB is far below what 5 s of spinning would write
check "--max-size: not far past it ($size < 8 MiB)" [ "$size" -lt $((8 << 20)) ]
"$WTREC" info "$F" >/dev/null 2>"$T/ierr"
check_eq "--max-size: wtrec info exit status" 0 "$?"
check "--max-size: instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
stop_command "$F"

mkdir "$T/mnt"
mount -t tmpfs -o size=1m wtrec-test-full "$T/mnt" || t_skip "cannot mount a tmpfs"
TEST_MOUNTS+=("$T/mnt")
F="$T/mnt/full.wtrec"
rl_start "$T/out" "$T/err" -q -b 256 -o "$F" -- "$POLLLOOP" 3
wait "$REC_PID"
check_eq "disk full: exit status" 1 "$?"
cat "$T/err"
check "disk full: says so" grep -q "No space left on device" "$T/err"
"$WTREC" info "$F" >"$T/info.txt" 2>"$T/ierr"
check_eq "disk full: wtrec info exit status" 1 "$?"
check "disk full: info says the trailer is missing" grep -q "^trailer: *MISSING" "$T/info.txt"
"$WTREC" analyze "$F" >"$T/sum.txt" 2>"$T/aerr"
rc=$?
check "disk full: wtrec analyze exit status 0 or 1 (got $rc)" matches "$rc" '^[01]$'
check "disk full: analyze names the file as incomplete or damaged" \
	grep -Eq "$F.*(incomplete|damaged)" "$T/aerr"
check "disk full: instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
stop_command "$F"
t_finish
