#!/bin/bash
# sample.sh WTREC WTWORK - offline, no root: analyze the shipped recording
# samples/wtwork.wtrec and check its findings against samples/wtwork.log
# (the logs of the wtwork runs it recorded; see samples/README.md): every
# wait call and child as in the log (compare.sql), the children of each
# wtwork process, the stolen victims and thieves, the zombies.
. "$(dirname "$0")/lib.sh"
e2e_init "$1" "$2" offline

sample=$SRC/samples/wtwork.wtrec
slog=$SRC/samples/wtwork.log
[ -f "$sample" ] && [ -f "$slog" ] || t_skip "no sample in $SRC/samples (run samples/make-sample.sh as root)"
cp "$slog" "$T/log"
e2e_analyze "$sample"
e2e_summary_check
e2e_load_log
e2e_compare

check_set "children per parent: the log's forks" \
	"$(cq "SELECT by_tid, count(*) FROM log_fork GROUP BY by_tid")" \
	"$(cq "SELECT par.pid, count(*) FROM process c
	       JOIN process par ON par.upid = c.original_parent_upid
	       WHERE par.pid IN (SELECT pid FROM wl_pids)
	         AND c.fork_ns IS NOT NULL GROUP BY par.pid")"

check_set "stolen_v = the log's steals (victim_tid child_pid thief_tid)" \
	"$(cq "SELECT victim, child, thief FROM log_steal")" \
	"$(cq "SELECT victim_tid, child_pid, thief_tid FROM stolen_v
	       WHERE victim_pid IN (SELECT pid FROM wl_pids)")"
"$WTREC" analyze "$T/db" -r stolen -f csv >"$T/stolen.csv" 2>"$T/stolen.err"
check_eq "wtrec analyze -r stolen: exit status" 0 $?
while IFS='	' read -r child thief victim variant; do
	check_true "-r stolen: victim $victim, child $child, thief $thief" \
		csv_has_row "$T/stolen.csv" "$victim" "$child" "$thief"
done <"$T/logtab/steal"

check_set "zombie_v = the log's zombies" \
	"$(log_field zombie 2)" \
	"$(cq "SELECT pid FROM zombie_v WHERE pid IN (SELECT pid FROM log_fork)
	       OR ppid IN (SELECT pid FROM wl_pids)")"
"$WTREC" analyze "$T/db" -r zombies -f csv >"$T/zombies.csv" 2>"$T/zombies.err"
check_eq "wtrec analyze -r zombies: exit status" 0 $?
for pid in $(log_field zombie 2); do
	check_true "-r zombies lists $pid" csv_has_row "$T/zombies.csv" "$pid"
done

check_set "autoreap_v = the log's autoreaped children" \
	"$(log_field autoreaped 2)" \
	"$(cq "SELECT pid FROM autoreap_v WHERE pid IN (SELECT pid FROM log_fork)")"
t_finish
