#!/bin/bash
# recorded.sh WTREC WTWORK - real recordings from the VM guests, kept in
# tests/vm/recorded/NAME/ (x.wtrec, the workload's log, and facts: the
# guest's kernel facts, from guest.sh), analyzed as run.sh analyzes the
# guests' recordings (host_check.sh).  Each is one that once came out wrong:
#   bookworm-waitid-nohang  Linux 6.1, kprobe on kernel_waitid: call 12,
#       waitid(P_PID, WEXITED|WNOHANG) = 0 after child 554's exit was
#       traced but before it was waitable, was modeled as a report (an
#       inferred reap, taken over by call 13's real one); it found nothing.
# No root needed.  Ends with "N passed, M failed" over the recordings.
set -u
WTREC=${1:?usage: $0 WTREC WTWORK}
WTWORK=${2:?usage: $0 WTREC WTWORK}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v sqlite3 >/dev/null || { echo "SKIP: needs the sqlite3 CLI"; exit 77; }
pass=0 fail=0
for d in "$HERE"/recorded/*/; do
	retargs=$(sed -n 's/^retprobe_args=//p' "$d/facts")
	if bash "$HERE/host_check.sh" "$WTREC" "$WTWORK" "$d" "${retargs:-no}"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $(basename "$d")"
	fi
done
echo "vm_recorded: $pass passed, $fail failed"
[ $fail = 0 ] && [ $pass -gt 0 ]
