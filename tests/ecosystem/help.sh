#!/bin/bash
# help.sh WTREC - the help cannot drift from the parsers: `wtrec --help`
# and `wtrec CMD --help` (record, analyze, info) exit 0 and name every
# option the command's parser accepts, and docs/wtrec.1 documents each of
# them in the command's section.  The options are read from the sources:
# the long-options table (`struct option longopts[]`) and the getopt_long
# short-option string of analyze/analyze_cmd.c, record/options.c and
# analyze/info_cmd.c, and the strcmp()s of main.c.
. "$(dirname "$0")/lib.sh"
eco_init "$@"

# long_opts FILE: the names of the longopts[] table, one per line
long_opts() {
	awk '/struct option longopts\[\] = \{/ { on = 1; next }
	     on && /^[ \t]*\};/ { on = 0 }
	     on' "$1" | sed -nE 's/^[ \t]*\{ *"([a-z0-9-]+)".*/\1/p'
}

# short_opts FILE: the letters of getopt_long's option string
short_opts() {
	sed -nE 's/.*getopt_long\([^,]*, *[^,]*, *"([^"]*)".*/\1/p' "$1" |
		tr -d '+:' | fold -w 1
}

# man_section CMD: the text of docs/wtrec.1 from ".SS wtrec CMD" to the
# next section, with roff escapes (\-, \fB...) removed
man_section() {
	awk -v cmd="$1" '$0 == ".SS wtrec " cmd { on = 1; next }
	     on && /^\.S[SH] / { on = 0 } on' "$SRC/docs/wtrec.1" |
		sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g'
}

declare -A SRCFILE=([analyze]=analyze/analyze_cmd.c [record]=record/options.c
		    [info]=analyze/info_cmd.c)
for cmd in record analyze info; do
	f=$SRC/${SRCFILE[$cmd]}
	longs=$(long_opts "$f")
	shorts=$(short_opts "$f")
	check_true "$cmd: options found in ${SRCFILE[$cmd]}" [ -n "$longs" ]
	"$WTREC" "$cmd" --help >"$T/help" 2>"$T/err"
	check_eq "wtrec $cmd --help: exit status" 0 $?
	check_eq "wtrec $cmd --help: nothing on stderr" "" "$(cat "$T/err")"
	"$WTREC" "$cmd" -h >"$T/help_h" 2>&1
	check_true "wtrec $cmd -h = --help" cmp -s "$T/help" "$T/help_h"
	check_true "wtrec $cmd --help has examples" grep -q "^Examples:" "$T/help"
	man_section "$cmd" >"$T/man"
	check_true "docs/wtrec.1 has a section for $cmd" [ -s "$T/man" ]
	for o in $longs; do
		check_true "wtrec $cmd --help names --$o" grep -q -- "--$o\b" "$T/help"
		check_true "wtrec.1 ($cmd) documents --$o" grep -q -- "--$o\b" "$T/man"
	done
	for o in $shorts; do
		check_true "wtrec $cmd --help names -$o" grep -qE -- "(^|[ [,])-$o([ ,|]|$)" "$T/help"
		check_true "wtrec.1 ($cmd) documents -$o" grep -qE -- "(^|[ [,\"])-$o([ ,|\"]|$)" "$T/man"
	done
done

# analyze --help lists every report
"$WTREC" analyze --help >"$T/help"
for r in $(cd "$SRC/sql" && ls *.sql | sed 's/\.sql$//' | grep -vx schema); do
	check_true "analyze --help lists report $r" grep -qE "(Reports:|,) $r\b" "$T/help"
	check_true "wtrec.1 documents report $r" grep -q "^\.B $r\$" "$SRC/docs/wtrec.1"
done

# main: every command and the options main.c compares argv[1] with
"$WTREC" --help >"$T/help" 2>"$T/err"
check_eq "wtrec --help: exit status" 0 $?
for c in record analyze info; do
	check_true "wtrec --help names $c" grep -qE "^  $c " "$T/help"
done
for o in $(grep -oE 'strcmp\(cmd, "-[^"]*"\)' "$SRC/main.c" | sed -E 's/.*"(.*)".*/\1/'); do
	check_true "wtrec --help names $o" grep -q -- "$o\b" "$T/help"
	"$WTREC" "$o" >/dev/null 2>&1
	check_eq "wtrec $o: exit status" 0 $?
done
"$WTREC" help >/dev/null
check_eq "wtrec help: exit status" 0 $?
"$WTREC" >/dev/null 2>&1
check_eq "wtrec without a command: exit status 2" 2 $?
t_finish
