#!/bin/bash
# rotate.sh WTREC DRIBBLE WTWORK POLLLOOP - the flight recorder (root):
#  1. --rotate SIZE --keep N under a WNOHANG storm: sampled every 10 ms
#     while it records, the series never has more than N files nor takes
#     more than N x SIZE bytes; each kept file is within SIZE, whole (its
#     trailer), analyzable alone, and names its successor (continued_in);
#  2. `analyze` of a series (no --keep) equals that of one long recording
#     of the same period: two recorders follow the same -p workload, one
#     rotating; their calls, processes and findings are the same;
#  3. --rotate DURATION --live: the live findings go on across the
#     switches (a zombie reported at 1 s and at 2 s old, files later).
. "$(dirname "$0")/lib.sh"
lv_init "$@"
need_live
cd "$T" || t_bail "no $T"
REC=()
rec_stop() { stop_recorders "${REC[@]}"; }
t_at_exit rec_stop

# --- 1. disk use bounded -------------------------------------------------
size=$((512 * 1024)) keep=3
"$(dirname "$DRIBBLE")/dusample" . ring.0 >du.out &
dupid=$!
LV_PIDS+=("$dupid")
"$WTREC" record -q -o ring.wtrec --rotate 512k --keep $keep -- "$POLLLOOP" 3 \
	>ring.out 2>ring.err
check_eq "--rotate SIZE --keep N: exit status" 0 $?
kill -TERM "$dupid"
wait "$dupid"
cat ring.out ring.err du.out
written=$(sed -n 's/.* and \([0-9]*\) more files of its series.*/\1/p' ring.err)
check "the storm filled more files than are kept (${written:-0} + 1 > $keep)" \
	[ "$((${written:-0} + 1))" -gt "$keep" ]
read -r _ samples _ maxf _ maxb <du.out
check "the sampler looked often (${samples:-0} times, every ms)" [ "${samples:-0}" -gt 500 ]
check "never more than $keep files (at most ${maxf:-?})" [ "${maxf:-99}" -le $keep ]
check "never more than $keep x SIZE bytes on disk (at most ${maxb:-?})" \
	[ "${maxb:-999999999}" -le $((keep * size)) ]
files=$(ls ring.*.wtrec)
# at the end N - 1 or N: the armed next file, if any, was deleted at stop
check "at the end $((keep - 1)) or $keep files" \
	[ "$(echo "$files" | wc -l)" -ge $((keep - 1)) -a "$(echo "$files" | wc -l)" -le $keep ]
prev=
for f in $files; do
	check "$f within SIZE" [ "$(stat -c %s "$f")" -le $size ]
	"$WTREC" analyze "$f" -o "$f.db" >/dev/null 2>"$f.err"
	check_eq "$f analyzable alone" 0 $?
	check_eq "$f complete (trailer)" 1 "$(sqlite3 "$f.db" "SELECT complete FROM recording")"
	[ -n "$prev" ] && check_eq "$prev is continued in $f" "$f" \
		"$(meta_value "$prev" continued_in)"
	prev=$f
done
"$WTREC" analyze $files -o ring.db >/dev/null 2>&1
check_eq "the kept files analyzed together: exit 0" 0 $?
check_eq "... as one recording" 1 "$(sqlite3 ring.db "SELECT count(*) FROM recording")"
first=$(echo "$files" | head -1)
"$WTREC" analyze --follow "$first" -o ringf.db >/dev/null 2>&1
check_eq "--follow of the series from its first kept file: exit 0" 0 $?
for t in recording process wait_call thread stats; do
	db_same "series followed = series analyzed" ring.db ringf.db "$t"
done
# a follower that lags by more files than are kept finds the next one gone
rm "$(echo "$files" | sed -n 2p)"
"$WTREC" analyze --follow "$first" >/dev/null 2>gap.err
check_eq "--follow when the next file is gone: exit 1 (damaged)" 1 $?
check "... and says which" grep -q "$(echo "$files" | sed -n 2p).*cannot be read" gap.err

# --- 2. a series = one long recording of the same period --------------------
mkfifo go
sh -c 'read _ < go; exec sh -c "$0"' "'$POLLLOOP' 1 >/dev/null &&
	'$WTWORK' stolen -l s.log && '$WTWORK' autoreap -l a.log &&
	'$WTWORK' doublewait -l d.log && '$POLLLOOP' 1 >/dev/null" &
wl=$!
LV_PIDS+=("$wl")
"$WTREC" record -q -p "$wl" -o long.wtrec >long.err 2>&1 &
REC+=($!)
"$WTREC" record -q -p "$wl" -o ser.wtrec --rotate 512k >ser.err 2>&1 &
REC+=($!)
wait_started long.wtrec "${REC[0]}" && wait_started ser.000001.wtrec "${REC[1]}" ||
	t_bail "the two recorders did not start: $(cat long.err ser.err)"
echo go >go
wait "$wl"
check_eq "the workload ran" 0 $?
sleep 0.5
stop_recorders "${REC[@]}"
REC=()
nser=$(ls ser.*.wtrec | wc -l)
check "the series has several files ($nser)" [ "$nser" -gt 1 ]
"$WTREC" analyze long.wtrec -o long.db >/dev/null 2>&1
check_eq "long recording analyzed" 0 $?
"$WTREC" analyze ser.*.wtrec -o ser.db >/dev/null 2>&1
check_eq "series analyzed" 0 $?
check_eq "the series is one recording" 1 "$(sqlite3 ser.db "SELECT count(*) FROM recording")"
# Both instances timestamp each event on their own (nanoseconds apart):
# compare what happened, not when.
for what in \
	"wait calls|SELECT tid, syscall, idtype, target, options, ret, outcome,
		errno_name, reap_basis FROM wait_call WHERE pid IN ($wl, (SELECT pid
		FROM process WHERE traced = 1 AND fork_ns IS NOT NULL))" \
	"processes born|SELECT pid, comm, exit_code, exit_signal, reaper_tid,
		release_kind, zombie_at_stop FROM process WHERE traced = 1
		AND fork_ns IS NOT NULL" \
	"steals|SELECT victim_tid, child_pid, thief_tid FROM stolen_v" \
	"double waits|SELECT tid, child_pid FROM double_wait_v" \
	"auto-reaps|SELECT pid, ppid FROM autoreap_v"; do
	sql=${what#*|}
	a=$(sqlite3 -separator ' ' long.db "$sql" | sort)
	b=$(sqlite3 -separator ' ' ser.db "$sql" | sort)
	check "series = long recording: ${what%%|*} ($(echo "$a" | wc -l) rows)" \
		[ -n "$a" ] && check_eq "series = long recording: ${what%%|*}" "$a" "$b"
done

# --- 3. live findings across the switches ------------------------------
"$WTREC" record -q --live --live-format jsonl --rotate 1s --keep 2 -o z.wtrec \
	-- sh -c "'$WTWORK' zombie 6 -l z.log && sleep 4.5" >z.jsonl 2>z.err
check_eq "--rotate 1s --keep 2 --live: exit status" 0 $?
written=$(sed -n 's/.* and \([0-9]*\) more files of its series.*/\1/p' z.err)
check "4 or more files were written (${written:-0} + 1)" [ "${written:-0}" -ge 3 ]
check "at most 2 are kept" [ "$(ls z.*.wtrec | wc -l)" -le 2 ]
check_set "zombies at 1 s: pid, parent = the log's" \
	"$(log_lines z.log zombie '$2, $3')" "$(zombies_aged z.jsonl 1 2)"
check_set "... at 2 s, in a later file" \
	"$(log_lines z.log zombie '$2, $3')" "$(zombies_aged z.jsonl 2 4)"
check_eq "the end line: complete" complete \
	"$(jkind z.jsonl end how)"
t_finish
