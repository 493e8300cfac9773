#!/bin/bash
# analyze_signals.sh SAMPLE - `wtrec analyze` without -o loads into a
# temporary database in $TMPDIR and removes it at exit, also when SIGINT,
# SIGTERM or SIGHUP arrives while the reports run: for each signal, with
# --sql alone and after -r summary, a query that never ends on its own is
# interrupted once the load is complete; wtrec must say "interrupted",
# exit 130 and leave nothing in $TMPDIR.
. "$(dirname "$0")/lib.sh"
SAMPLE=${1:?usage: $0 SAMPLE.wtrec}
rl_init

FOREVER='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
SELECT max(x) FROM c'

# loaded DIR: the temporary database in DIR has been committed twice (the
# load, then ANALYZE): SQLite's file change counter, a big-endian u32 at
# offset 24, read from the file without opening it (a reader would hold a
# lock that makes wtrec's COMMIT fail)
loaded() {
	local db
	for db in "$1"/wtrec-analyze-*; do
		[ -f "$db" ] || continue
		[ "$(od -An -tu4 --endian=big -j24 -N4 "$db" 2>/dev/null |
			tr -d ' ')" -ge 2 ] 2>/dev/null && return 0
	done
	return 1
}

n=0
for sig in INT TERM HUP; do
	for args in "--sql" "-r summary --sql"; do
		n=$((n + 1))
		dir=$T/tmp$n
		mkdir "$dir"
		# shellcheck disable=SC2086 # $args is two or three words
		TMPDIR=$dir env --default-signal=INT,TERM,HUP "$WTREC" analyze \
			"$SAMPLE" $args "$FOREVER" >"$T/out$n" 2>"$T/err$n" &
		pid=$!
		for _ in $(seq 300); do
			loaded "$dir" && break
			sleep 0.1
		done
		check "$sig, analyze $args: the load completed" loaded "$dir"
		sleep 0.3
		check "$sig, analyze $args: still in its query" kill -0 "$pid"
		kill -"$sig" "$pid"
		wait "$pid"
		check_eq "$sig, analyze $args: exit status" 130 "$?"
		check "$sig, analyze $args: says interrupted" \
			grep -q 'wtrec analyze: interrupted' "$T/err$n"
		check_eq "$sig, analyze $args: left in TMPDIR" "" "$(ls -A "$dir")"
	done
done
t_finish
