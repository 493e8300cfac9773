#!/bin/bash
# (e) A recorder killed with SIGKILL cannot clean up: its instance stays and
# its file lacks a TRAILER but reads cleanly up to its last chunk.  The next
# `wtrec record -d 1` removes the leftover instance and says so.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

rec_start -q -o "$T/k.wtrec"
rec_wait_started "$T/k.wtrec"
"$POLLLOOP" 0.2 >/dev/null
killed=$REC_PID
kill -KILL "$killed"
rec_wait
check_eq "killed recorder's status" 137 "$REC_RC"
check "killed recorder left wtrec-$killed behind" instance_exists "$killed"
"$LASTCHUNK" "$T/k.wtrec" >"$T/k.txt" 2>"$T/k.err"
# SIGKILL may land inside a write: the file is whole up to its last chunk,
# which may be cut short - never damaged anywhere else.  8 = META,
# HEADER_PAGE, HEADER_EVENT, the 4 required FORMATs, the start PROC.
check "killed recorder's file has its setup chunks" \
	[ "$(sed -n 's/.*chunks=\([0-9]*\).*/\1/p' "$T/k.txt")" -ge 8 ]
if grep -q "damaged=1" "$T/k.txt"; then
	check "only a cut last chunk" grep -q "chunk truncated" "$T/k.err"
fi
check "killed recorder's file has no trailer" [ "$(last_chunk "$T/k.wtrec")" != trailer ]

# another recorder on this machine may sweep it first; then we cannot
# expect our run to say it, only that it is gone
present_before=no
instance_exists "$killed" && present_before=yes
rec_start -d 1 -o "$T/n.wtrec"
rec_wait
cat "$T/err"
check_eq "second recorder's status" 0 "$REC_RC"
if [ $present_before = yes ]; then
	check "second recorder says it removed wtrec-$killed" \
		grep -q "removed stale instance wtrec-$killed" "$T/err"
else
	echo "$TEST_NAME: note: wtrec-$killed was removed by another recorder first"
fi
check "wtrec-$killed gone" instance_gone "$killed"
check "second recorder's instance wtrec-$REC_PID gone" instance_gone "$REC_PID"
check_eq "second recorder's last chunk" trailer "$(last_chunk "$T/n.wtrec")"
t_finish
