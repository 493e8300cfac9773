#!/bin/bash
# buffers.sh WTREC WTWORK - `wtwork buffers`: wait calls with and without
# each buffer (wait4's status, waitid's siginfo, a struct rusage), and a
# child that used CPU time and memory.  wait_call must hold every pointer
# as the log says the calls passed them (NULL ones NULL), and what the
# kernel wrote exactly where the recording can read it (the kprobe backend
# on a kernel whose return probes read entry arguments; e2e_compare), with
# the reason in recording.wait_memory; children and tree show the burning
# child's CPU time and max RSS then, and nothing otherwise.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record buffers
e2e_analyze
e2e_load_log
reads=$(cq "SELECT reads FROM e2e_expect")
echo "backend $(cq "SELECT backend FROM e2e_expect"), contents expected: $reads"
check_true "the log has calls with a NULL stat_addr/infop" \
	[ "$(cq "SELECT count(*) FROM log_mem WHERE addr = 0")" -ge 3 ]
check_true "the log has calls with a NULL rusage pointer" \
	[ "$(cq "SELECT count(*) FROM log_mem WHERE ru_addr = 0")" -ge 3 ]
check_true "the log has reaps whose rusage the kernel wrote" \
	[ "$(cq "SELECT count(*) FROM log_mem WHERE ru_utime_us <> '-'")" -ge 4 ]
e2e_compare

# The burning child (exit 21): its reap's rusage, from the log's callmem.
A=$(cq "SELECT pid FROM log_fate WHERE status = 'exited 21'")
want=$(cq "SELECT printf('%.3f %.3f %s', m.ru_utime_us / 1e3, m.ru_stime_us / 1e3, m.ru_maxrss)
           FROM log_call c JOIN log_mem m ON m.seq = c.seq AND m.tid = c.tid
           WHERE c.reaped = $A")
"$WTREC" analyze "$T/db" -r children -f csv >"$T/children.csv" 2>&1
got=$(csv_select "$T/children.csv" pid user_ms sys_ms maxrss_kb |
	awk -F'\t' -v a="$A" '$1 == a { print $2, $3, $4 }')
check_eq "the burner is in the children report" 1 \
	"$(csv_column "$T/children.csv" pid | grep -cx "$A")"
"$WTREC" analyze "$T/db" -r tree >"$T/tree.txt" 2>&1
tree=$(grep "(pid $A)" "$T/tree.txt")
if [ "$reads" = yes ]; then
	check_eq "children: the burner's user/sys ms and max RSS are its reap's rusage" "$want" "$got"
	read -r u s k <<<"$want"
	check_eq "tree: the burner's line shows them" 1 \
		"$(grep -cF "[user $u ms, sys $s ms, max RSS $k KiB]" <<<"$tree")"
	check_true "the burner used CPU time (>= 10 ms user + sys)" \
		awk -v u="$u" -v s="$s" 'BEGIN { exit !(u + s >= 10) }'
	check_true "the burner's max RSS holds the 16 MiB it touched" [ "$k" -ge 16384 ]
else
	check_eq "children: no CPU time or RSS without the contents" "" "$(tr -d ' ' <<<"$got")"
	check_eq "tree: no usage without the contents" 0 "$(grep -c '\[user ' <<<"$tree")"
fi
t_finish
