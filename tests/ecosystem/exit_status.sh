#!/bin/bash
# exit_status.sh WTREC - live (root): what `wtrec record -- COMMAND`
# returns, as wtrec(1) EXIT STATUS says: 0 when the recording went well
# whatever the command returned; with --exit-status the command's own
# status (its exit code; 128 + N when killed by signal N); 127 for a
# command not found, 126 for one not executable, with or without it;
# --exit-status without a command is a usage error (2).  And with -d on a
# terminal the status line says how much of -d is left.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/live.sh
. "$(dirname "$0")/../lib/live.sh"
eco_init "$1"
need_live
cd "$T" || t_bail "cannot cd to $T"

rec() { "$WTREC" record -q -o "$T/x.wtrec" "$@" >/dev/null 2>"$T/err"; echo $?; }
check_eq "command exits 3: record exits 0" 0 "$(rec -- sh -c 'exit 3')"
check_eq "command exits 3, --exit-status: 3" 3 "$(rec --exit-status -- sh -c 'exit 3')"
check_eq "command exits 0, --exit-status: 0" 0 "$(rec --exit-status -- true)"
check_eq "command killed by SIGTERM, --exit-status: 143" 143 \
	"$(rec --exit-status -- sh -c 'kill -TERM $$')"
check_eq "command killed by SIGTERM: record exits 0" 0 "$(rec -- sh -c 'kill -TERM $$')"
check_true "the summary still says how the command ended" grep -q "command killed by SIGTERM" \
	<("$WTREC" record -o "$T/x.wtrec" -- sh -c 'kill -TERM $$' 2>&1)
check_eq "command not found: 127" 127 "$(rec -- /nonexistent/cmd)"
check_eq "command not found, --exit-status: 127" 127 "$(rec --exit-status -- /nonexistent/cmd)"
printf '#!/bin/sh\n' >"$T/noexec"
chmod 644 "$T/noexec"
check_eq "command not executable: 126" 126 "$(rec -- "$T/noexec")"
check_eq "--exit-status without a command: 2" 2 "$(rec --exit-status -d 1)"
check_true "... says it needs a COMMAND" grep -q "needs a COMMAND" "$T/err"

command -v script >/dev/null || t_skip "script(1) is not installed: no pty for the status line"
script -qec "'$WTREC' record -o '$T/d.wtrec' -d 2.5 -- sleep 10" /dev/null | tr '\r' '\n' >"$T/tty"
check_true "status line with -d: '(Ns left)'" grep -qE "^wtrec: recording [0-9]+s \([0-9]+s left\)" "$T/tty"
script -qec "'$WTREC' record -o '$T/d.wtrec' -- sleep 1.5" /dev/null | tr '\r' '\n' >"$T/tty2"
check_true "status line without -d: no 'left'" grep -qE "^wtrec: recording [0-9]+s  " "$T/tty2"
check_eq "status line without -d: no 'left'" 0 "$(grep -c 'left)' "$T/tty2")"
t_finish
