#!/bin/bash
# Without -o the file is ./wtrec.wtrec; a second recording keeps the first
# as wtrec.wtrec.old (like perf).  Both end with a TRAILER; the .old one is
# the first recording (its META command says so).
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

cd "$T" || exit 1
rec_start -q -- "$POLLLOOP" 0.05
rec_wait
check_eq "first run: exit status" 0 "$REC_RC"
check_eq "first run: ./wtrec.wtrec ends with a trailer" trailer "$(last_chunk wtrec.wtrec)"
rec_start -q -- "$POLLLOOP" 0.06
rec_wait
check_eq "second run: exit status" 0 "$REC_RC"
check_eq "second run: new file" "$POLLLOOP 0.06" "$(meta_value wtrec.wtrec command)"
check_eq "second run: first kept as .old" "$POLLLOOP 0.05" "$(meta_value wtrec.wtrec.old command)"
check_eq ".old ends with a trailer" trailer "$(last_chunk wtrec.wtrec.old)"
check "instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
t_finish
