#!/bin/bash
# follow_grow.sh WTREC DRIBBLE WTWORK POLLLOOP - `wtrec analyze --follow` on
# a file that grows while it reads (no root: a recording from data/, copied
# by dribble in random pieces that cut through chunks, as a recorder's
# appends would look to a reader):
#  - the findings come out before the file is complete (dribble holds back
#    the TRAILER until the steal, double waits and auto-reaps are printed),
#    and they are the workload's own (incident.log: steal, double_wait,
#    autoreaped, zombie lines);
#  - the database equals the offline analysis of the finished file, table
#    by table, and so do the live database's rows and findings (follow.sh);
#  - a file cut mid-chunk (its writer gone: --writer-pid) and a damaged one
#    give the offline analysis' database and exit status (1);
#  - a recording without WATERMARK chunks (samples/, wtrec 0.1.0) is
#    delivered at its end, the same as offline.
. "$(dirname "$0")/lib.sh"
lv_init "$@"
src=$DATA/incident.wtrec
log=$DATA/incident.log

"$WTREC" analyze "$src" -o "$T/off.db" >/dev/null 2>"$T/off.err" ||
	t_bail "offline analysis failed: $(cat "$T/off.err")"
rm -f "$T/off.db"

# --- growing, findings before the end ---------------------------------
"$DRIBBLE" "$src" "$T/grow.wtrec" --seed 7 --max-piece 700 \
	--hold-before 8 "$T/go" &
dpid=$!
LV_PIDS+=("$dpid")
wait_for 10 test -e "$T/grow.wtrec" || t_bail "dribble did not start"
"$WTREC" analyze --follow "$T/grow.wtrec" -o "$T/follow.db" --live-format jsonl \
	--live-db "$T/live.db" --writer-pid "$dpid" >"$T/follow.jsonl" 2>"$T/follow.err" &
fpid=$!
LV_PIDS+=("$fpid")
has_all() {
	[ "$(grep -c '"kind":"steal"' "$T/follow.jsonl")" = 2 ] &&
	[ "$(grep -c '"kind":"double_wait"' "$T/follow.jsonl")" = 2 ] &&
	[ "$(grep -c '"kind":"autoreap"' "$T/follow.jsonl")" = 6 ]
}
check "the steals, double waits and auto-reaps are printed before the trailer is written" \
	wait_for 20 has_all
check "... while the follow is still running" kill -0 "$fpid"
touch "$T/go"
wait "$dpid"
check_eq "dribble exit status" 0 $?
wait "$fpid"
check_eq "follow exit status" 0 $?
cat "$T/follow.err"
check "dribble's copy is the recording, byte for byte" cmp -s "$src" "$T/grow.wtrec"
# the offline analysis of the same file (its name is in the recording row)
"$WTREC" analyze "$T/grow.wtrec" -o "$T/off.db" >/dev/null 2>&1
for t in $(sqlite3 "$T/off.db" "SELECT name FROM sqlite_master WHERE type = 'table'
	AND name NOT LIKE 'sqlite_%'"); do
	db_same "grown file: follow = offline" "$T/off.db" "$T/follow.db" "$t"
done
for t in recording process thread; do
	db_same "grown file: live database = offline" "$T/off.db" "$T/live.db" "$t"
done
live_check "$T/follow.jsonl" "$T/off.db" 1000000000

# the findings are the workload's (its log, not wtrec's output)
check_set "steals: child, thief tid, victim tid = the log's" \
	"$(log_lines "$log" steal '$2, $3, $4')" \
	"$(jkind "$T/follow.jsonl" steal child_pid thief_tid victim_tid)"
check_set "double waits: child, tid = the log's" \
	"$(log_lines "$log" double_wait '$2, $3')" \
	"$(jkind "$T/follow.jsonl" double_wait child_pid tid)"
check_set "auto-reaps: pid, parent = the log's" \
	"$(log_lines "$log" autoreaped '$2, $3')" \
	"$(jkind "$T/follow.jsonl" autoreap pid parent_pid)"
check_set "zombies (older than 1 s): pid, parent = the log's" \
	"$(log_lines "$log" zombie '$2, $3')" \
	"$(jkind "$T/follow.jsonl" zombie pid parent_pid | sort -u)"

# --- cut mid-chunk, writer gone -----------------------------------------
size=$(stat -c %s "$src")
"$DRIBBLE" "$src" "$T/cut.wtrec" --seed 3 --max-piece 999 --cut-at $((size * 2 / 3)) &
dpid=$!
wait_for 10 test -e "$T/cut.wtrec" || t_bail "dribble did not start"
"$WTREC" analyze --follow "$T/cut.wtrec" -o "$T/cutf.db" --writer-pid "$dpid" \
	>"$T/cut.out" 2>"$T/cut.err"
check_eq "cut file: --follow ends when the writer is gone, exit 1 (damaged)" 1 $?
wait "$dpid"
"$WTREC" analyze "$T/cut.wtrec" -o "$T/cuto.db" >/dev/null 2>&1
check_eq "cut file: offline exit 1 too" 1 $?
for t in recording process wait_call thread meta; do
	db_same "cut file: follow = offline" "$T/cuto.db" "$T/cutf.db" "$t"
done

# --- damaged: a flipped byte in a CPU chunk ------------------------------
cp "$src" "$T/bad.wtrec"
printf '\377' | dd of="$T/bad.wtrec" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$WTREC" analyze "$T/bad.wtrec" -o "$T/bado.db" >/dev/null 2>&1
orc=$?
"$WTREC" analyze --follow "$T/bad.wtrec" -o "$T/badf.db" >/dev/null 2>&1
check_eq "damaged file: follow's exit status = offline's ($orc)" "$orc" $?
for t in recording process wait_call; do
	db_same "damaged file: follow = offline" "$T/bado.db" "$T/badf.db" "$t"
done

# --- an old recording without watermarks ---------------------------------
"$WTREC" analyze "$SRC/samples/wtwork.wtrec" -o "$T/old.db" >/dev/null 2>&1
follow_check "$SRC/samples/wtwork.wtrec" "$T/old.db"
t_finish
