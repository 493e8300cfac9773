#!/bin/bash
# sql_bound.sh SRCDIR - values reach SQL only as bound parameters.  A lint
# over analyze/*.c: a printf-style call (snprintf, asprintf,
# sqlite3_mprintf, sqlite3_str_appendf, ...) whose format string is SQL
# (names a keyword such as SELECT, FROM, WHERE, VALUES, PRAGMA) may only
# use %w (a quoted identifier) and %q/%Q (a quoted literal) - never %s, %d
# and the like, which would paste a pid, a threshold or a path into the
# statement.  Values go through sqlite3_bind_*().  Fails naming each line.
# Allowed by name below: formats that paste SQL text, not values.
. "$(dirname "$0")/lib.sh"
SRC=${1:?usage: $0 SRCDIR}
WTREC=${WTREC:-/bin/true} # only rl_init looks at it
rl_init

calls='(v?s?n?printf|asprintf|sqlite3_v?mprintf|sqlite3_snprintf|sqlite3_str_v?appendf)[[:space:]]*\('
keywords='(SELECT|INSERT|UPDATE|DELETE|REPLACE|FROM|WHERE|VALUES|PRAGMA|ATTACH|CREATE|DROP|ORDER BY|LIMIT)'
# format string -> why it may paste text
declare -A allowed=(
	['"CREATE TEMP VIEW \"report_%w\" AS\n%.*s;\n"']="shell.c: a view over a built-in report's own SQL (sql/*.sql, embedded)"
)
n=0
for f in "$SRC"/analyze/*.c; do
	while IFS=: read -r line text; do
		n=$((n + 1))
		# the format strings of the call: what is between double quotes
		fmt=$(printf '%s\n' "$text" | grep -oE '"([^"\\]|\\.)*"' | tr -d '\n')
		printf '%s\n' "$fmt" | grep -Eq "$keywords" || continue
		[ -n "${allowed[$fmt]:-}" ] && continue
		bad=$(printf '%s\n' "$fmt" | sed 's/%%//g' | grep -oE '%[-+ #0-9.*lhjztL]*[a-zA-Z]' |
		      grep -vE '^%[wqQ]$' | sort -u | tr '\n' ' ')
		check "$(basename "$f"):$line: SQL built with ${bad:-nothing but %w/%q/%Q}: $text" [ -z "$bad" ]
	done < <(grep -nE "$calls" "$f")
done
echo "$TEST_NAME: $n printf-style calls looked at"
check "the lint saw the sources" [ "$n" -gt 0 ]
t_finish
