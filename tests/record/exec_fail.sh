#!/bin/bash
# (h) A COMMAND that cannot be executed: 127 when not found, 126 when not
# executable, a clear message, and nothing left behind (no file, no
# instance) - whether refused up front (01-04) or by execve() itself once
# tracing was already set up (05-06).
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

printf '#!/bin/sh\necho hi\n' >"$T/noexec"
chmod 644 "$T/noexec"
mkdir "$T/dir"
# found and executable, but execve() fails: after tracing was set up
printf '#!/nonexistent/interpreter\n' >"$T/badinterp"
printf '\177ELF garbage\n' >"$T/badformat"
chmod 755 "$T/badinterp" "$T/badformat"
cases=(
	"01|127|/nonexistent/wtrec-test-command"
	"02|127|wtrec-no-such-command-on-path"
	"03|126|$T/noexec"
	"04|126|$T/dir"
	"05|127|$T/badinterp"
	"06|126|$T/badformat"
)
for c in "${cases[@]}"; do
	IFS='|' read -r id want cmd <<<"$c"
	rec_start -o "$T/x.wtrec" -- "$cmd" arg
	rec_wait
	check_eq "case $id ($cmd): exit status" "$want" "$REC_RC"
	check "case $id: message names the command" grep -q "^wtrec: $cmd: " "$T/err"
	check "case $id: no output file" [ ! -e "$T/x.wtrec" ]
	check "case $id: no instance wtrec-$REC_PID" instance_gone "$REC_PID"
done
t_finish
