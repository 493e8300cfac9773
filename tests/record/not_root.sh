#!/bin/bash
# Without root: a clear message, exit 2, no file and no instance.  Run as
# root, the test drops to uid/gid 65534 with setpriv; as any other user it
# runs wtrec directly.
. "$(dirname "$0")/lib.sh"
rec_init "$@"

chmod 777 "$T"
run=("$WTREC")
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || t_skip "setpriv (util-linux) not installed"
	run=(setpriv --reuid=65534 --regid=65534 --clear-groups "$WTREC")
fi
# setpriv execs wtrec: $! is wtrec's pid, which names its instance
"${run[@]}" record -d 1 -o "$T/x.wtrec" >"$T/out" 2>"$T/err" &
pid=$!
REC_PIDS+=("$pid")
wait "$pid"
rc=$?
cat "$T/err"
check_eq "exit status" 2 "$rc"
check "message says root is needed" grep -q "^wtrec: record needs root" "$T/err"
check "no output file" [ ! -e "$T/x.wtrec" ]
check "no instance wtrec-$pid" instance_gone "$pid"
t_finish
