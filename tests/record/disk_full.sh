#!/bin/bash
# A write error (ENOSPC on a 1 MiB tmpfs) stops the recording with a clear
# message and exit 1; the file reads cleanly up to its last whole chunk
# (no TRAILER), and the instance is removed.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

mkdir "$T/mnt"
mount -t tmpfs -o size=1m wtrec-test "$T/mnt" || t_skip "cannot mount a tmpfs"
TEST_MOUNTS+=("$T/mnt")
rec_start -q -o "$T/mnt/full.wtrec" -- "$POLLLOOP" 3
rec_wait
cat "$T/err"
check_eq "exit status" 1 "$REC_RC"
check "message says the disk is full" grep -q "No space left on device" "$T/err"
"$LASTCHUNK" "$T/mnt/full.wtrec" >"$T/l.txt"
cat "$T/l.txt"
check "file readable (or cut inside its last chunk)" \
	grep -Eq "damaged=0|damaged=1" "$T/l.txt"
check "no trailer" [ "$(last_chunk "$T/mnt/full.wtrec")" != trailer ]
check "some chunks survive" [ "$(sed -n 's/.*chunks=\([0-9]*\).*/\1/p' "$T/l.txt")" -gt 0 ]
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
t_finish
