#!/bin/bash
# record_live.sh WTREC DRIBBLE WTWORK POLLLOOP - `wtrec record --live` (root):
# while one shell runs wtwork's steal, double wait, auto-reap and zombie
# scenarios, the live lines say what the workload's own logs say (steal:
# child, thief, victim; double waits; auto-reaped children; each zombie at
# 1 s and again at 2 s old), and, once the recording is done, what its
# offline analysis says with the same ids (live_check: the JSON Lines
# findings against the views).  The text format prints the same findings,
# one line each; on a terminal the view is drawn.
. "$(dirname "$0")/lib.sh"
lv_init "$@"
need_live
cd "$T" || t_bail "no $T"

script="'$WTWORK' stolen -l s.log && '$WTWORK' doublewait -l d.log"
script="$script && '$WTWORK' autoreap -l a.log && '$WTWORK' zombie 4 -l z.log"
script="$script && sleep 2.6"
"$WTREC" record -q --live --live-format jsonl -o x.wtrec -- sh -c "$script" \
	>live.jsonl 2>rec.err
check_eq "record --live: exit status" 0 $?
for l in s d a z; do
	check "wtwork log $l.log complete" grep -qx done "$l.log"
done
check "the recorder's summary comes after the live view ended" \
	grep -q "wtrec: command exited 0" rec.err

check_set "steals: child, thief tid, victim tid = the log's" \
	"$(log_lines s.log steal '$2, $3, $4')" \
	"$(jkind live.jsonl steal child_pid thief_tid victim_tid)"
check_set "double waits: child, tid = the log's" \
	"$(log_lines d.log double_wait '$2, $3')" \
	"$(jkind live.jsonl double_wait child_pid tid)"
check_set "auto-reaps: pid, parent = the log's" \
	"$(log_lines a.log autoreaped '$2, $3')" \
	"$(jkind live.jsonl autoreap pid parent_pid)"
# each zombie once at >= 1 s and again at >= 2 s (the age doubles)
check_set "zombies reported at 1 s: pid, parent = the log's" \
	"$(log_lines z.log zombie '$2, $3')" "$(zombies_aged live.jsonl 1 2)"
check_set "... and again at 2 s" \
	"$(log_lines z.log zombie '$2, $3')" "$(zombies_aged live.jsonl 2 4)"
check_eq "zombie exit codes = the log's" \
	"$(log_lines z.log zombie '$2' | sort | tr '\n' ' ')" \
	"$(jkind live.jsonl zombie pid | sort -u | tr '\n' ' ')"

# the same ids and rows as the offline analysis of the finished file
"$WTREC" analyze x.wtrec -o x.db >/dev/null 2>&1
check_eq "offline analysis of the recording" 0 $?
live_check live.jsonl x.db 1000000000

# text: one line per finding, the same ones
"$WTREC" record -q --live -o t.wtrec -- "$WTWORK" stolen -l t.log >live.txt 2>rec2.err
check_eq "record --live (text): exit status" 0 $?
check_eq "text: one 'steal:' line per steal of the log" \
	"$(log_lines t.log steal '$2' | wc -l)" "$(grep -c ' steal: ' live.txt)"
while IFS='	' read -r child thief victim; do
	check "text: victim $victim, child $child, thief $thief" \
		grep -q "steal: tid $victim's .*child $child .*by tid $thief's" live.txt
done < <(log_lines t.log steal '$2, $3, $4')
check "text: an end line" grep -q "^end of t.wtrec (complete)" live.txt

# a terminal: the view (script(1) gives the recorder a pty)
if command -v script >/dev/null; then
	script -qec "'$WTREC' record -q --live -o v.wtrec -- '$WTWORK' stolen -l v.log" \
		/dev/null >view.out 2>&1
	check "terminal: the view is drawn (home, clear)" grep -q $'\033\[H\033\[J' view.out
	check "terminal: its header" grep -q "wtrec live  v.wtrec" view.out
	check "terminal: the steal in its latest findings" grep -q "steal: tid" view.out
	check "terminal: the end" grep -q "end of the recording (complete)" view.out
else
	echo "$TEST_NAME: no script(1): the terminal view is not checked"
fi
t_finish
