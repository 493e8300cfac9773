#!/bin/bash
# man.sh WTREC - docs/wtrec.1 renders: with `man -l` (man-db), else groff,
# else nroff; skipped (77) when none is installed.  The rendering exits 0,
# groff finds nothing to warn about (-ww), and the page has its sections,
# every command, every report and every model table.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
page=$SRC/docs/wtrec.1
[ -f "$page" ] || t_bail "no $page"

if command -v man >/dev/null; then
	how="man -l"
	MANWIDTH=100 MANPAGER=cat man -l "$page" >"$T/out" 2>"$T/err"
elif command -v groff >/dev/null; then
	how="groff -man"
	groff -man -Tutf8 "$page" >"$T/out" 2>"$T/err"
elif command -v nroff >/dev/null; then
	how="nroff -man"
	nroff -man "$page" >"$T/out" 2>"$T/err"
else
	t_skip "neither man, groff nor nroff is installed (apt-get install man-db groff-base)"
fi
check_eq "$how docs/wtrec.1: exit status" 0 $?
check_eq "$how: no error output" "" "$(cat "$T/err")"
if command -v groff >/dev/null; then
	check_eq "groff -ww: no warnings" "" "$(groff -man -ww -z "$page" 2>&1)"
fi
# plain text: drop overstrike (bold/underline) if any
sed 's/.\x08//g' "$T/out" >"$T/text"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS REPORTS TABLES TIMELINE EXPORT SHELL EXAMPLES "EXIT STATUS"; do
	check_true "section $s" grep -q "^$s" "$T/text"
done
for c in record analyze info; do
	check_true "command $c" grep -q "wtrec $c" "$T/text"
done
for r in $(cd "$SRC/sql" && ls *.sql | sed 's/\.sql$//' | grep -vx schema); do
	check_true "report $r" grep -qw "$r" "$T/text"
done
for t in recording process thread wait_call stats; do
	check_true "table $t" grep -qw "$t" "$T/text"
done
t_finish
