#!/bin/bash
# timeline.sh WTREC - `wtrec analyze --timeline` on the sample recording:
# the file is valid JSON in the trace-event object format, and the
# sample log's facts are in it:
#   every wait call of the log is a slice on its thread's track, named
#   syscall(IDTYPE [target], OPTIONS) with its result in args - but a run
#   of consecutive empty WNOHANG polls is one slice "NAME ×N";
#   every reaping call has a flow arrow from the reaped child's "alive"
#   slice to its slice; every fork has an "alive" slice named after the
#   child's status; ECHILD, stolen reaps, auto-reaps are instant events;
#   zombies have a "zombie (never reaped)" slice;
# and the structure holds: one name per track, flows paired, slices on a
# track nested, never crossing.  JSON is read with sqlite3's json1.
. "$(dirname "$0")/lib.sh"
eco_init "$@"
eco_sample_db
eco_load_log
eco_fork_fate_view
check_eq "analyze: no progress line when stderr is not a terminal" 0 \
	"$(tr -cd '\r\033' <"$T/analyze.err" | wc -c)"

"$WTREC" analyze "$T/db" --timeline "$T/tl.json" >"$T/out" 2>"$T/err"
check_eq "--timeline: exit status" 0 $?
check_eq "--timeline: nothing on stdout (no summary)" "" "$(cat "$T/out")"
"$WTREC" analyze "$SAMPLE" --timeline - >"$T/tl2.json" 2>"$T/err2"
check_eq "--timeline - (stdout), from the recording: exit status" 0 $?
check_true "--timeline - writes the same document" cmp -s "$T/tl.json" "$T/tl2.json"

check_eq "json_valid" 1 "$(lq "SELECT json_valid(readfile('$T/tl.json'))")"
check_eq "displayTimeUnit ns, traceEvents an array" "ns array" \
	"$(lq "SELECT json_extract(readfile('$T/tl.json'), '\$.displayTimeUnit') || ' ' ||
	       json_type(readfile('$T/tl.json'), '\$.traceEvents')")"

sqlite3 -batch "$T/log.db" <<SQL || t_bail "cannot load the timeline"
CREATE TABLE ev AS
SELECT value AS j, json_extract(value, '\$.ph') AS ph,
       json_extract(value, '\$.name') AS name, json_extract(value, '\$.cat') AS cat,
       json_extract(value, '\$.pid') AS pid, json_extract(value, '\$.tid') AS tid,
       CAST(round(json_extract(value, '\$.ts') * 1000) AS INTEGER) AS ts,
       CAST(round(json_extract(value, '\$.dur') * 1000) AS INTEGER) AS dur,
       json_extract(value, '\$.id') AS id, json_extract(value, '\$.bp') AS bp,
       json_extract(value, '\$.s') AS scope, json_extract(value, '\$.args') AS args
FROM json_each(readfile('$T/tl.json'), '\$.traceEvents');
-- tracks: thread (pid, tid) -> the real tid; process pid -> the real pid
CREATE TABLE ttrack AS
SELECT pid, tid, json_extract(args, '\$.name') AS tname,
       CAST(substr(json_extract(args, '\$.name'),
                   instr(json_extract(args, '\$.name'), ' tid ') + 5) AS INTEGER) AS real_tid
FROM ev WHERE ph = 'M' AND name = 'thread_name';
CREATE TABLE ptrack AS
SELECT pid, json_extract(args, '\$.name') AS pname,
       CAST(rtrim(substr(json_extract(args, '\$.name'),
                   instr(json_extract(args, '\$.name'), '(pid ') + 5), ')') AS INTEGER) AS real_pid
FROM ev WHERE ph = 'M' AND name = 'process_name';
-- the name wtrec must give a logged call, built from the log's numbers
-- (options spelled and ordered as strace spells them, for both syscalls)
CREATE VIEW call_name AS
SELECT *, syscall || '(' || idtype ||
       CASE idtype WHEN 'P_ALL' THEN '' WHEN 'P_PGID' THEN ' ' || abs(target)
            ELSE ' ' || target END || ', ' ||
       CASE WHEN options = 0 THEN '0' ELSE substr(
         CASE WHEN options & 1 THEN '|WNOHANG' ELSE '' END ||
         CASE WHEN options & 2 THEN '|WSTOPPED' ELSE '' END ||
         CASE WHEN options & 4 THEN '|WEXITED' ELSE '' END ||
         CASE WHEN options & 8 THEN '|WCONTINUED' ELSE '' END ||
         CASE WHEN options & 16777216 THEN '|WNOWAIT' ELSE '' END ||
         CASE WHEN options & 2147483648 THEN '|__WCLONE' ELSE '' END ||
         CASE WHEN options & 1073741824 THEN '|__WALL' ELSE '' END ||
         CASE WHEN options & 536870912 THEN '|__WNOTHREAD' ELSE '' END, 2) END
       || ')' AS name
FROM call;
-- wait slices on the threads of the log
CREATE VIEW wslice AS
SELECT e.*, t.real_tid FROM ev e JOIN ttrack t ON t.pid = e.pid AND t.tid = e.tid
WHERE e.ph = 'X' AND e.cat = 'wait'
  AND t.real_tid IN (SELECT tid FROM call);
SQL

check_eq "every trace pid has one process_name" 0 \
	"$(lq "SELECT count(*) FROM (SELECT pid FROM ptrack GROUP BY pid HAVING count(*) > 1)")"
check_eq "every thread track has one thread_name" 0 \
	"$(lq "SELECT count(*) FROM (SELECT pid, tid FROM ttrack GROUP BY pid, tid HAVING count(*) > 1)")"
check_eq "each logged tid has exactly one thread track" \
	"$(lq "SELECT count(DISTINCT tid) FROM call")" \
	"$(lq "SELECT count(*) FROM ttrack WHERE real_tid IN (SELECT tid FROM call)")"

# 1. every logged call, with its result, on its thread; a run of polls
#    ("NAME ×N", args.calls = N) stands for N calls with its result
check_set "wait slices = the log's calls (tid, name, result)" \
	"$(lq "SELECT tid || ' ' || name || ' ' ||
	              CASE WHEN errno = '-' THEN 'ret=' || ret ELSE 'err=' || errno END
	       FROM call_name")" \
	"$(lq "SELECT real_tid || ' ' || CASE WHEN json_extract(args, '\$.calls') IS NULL THEN name
	              ELSE substr(name, 1, instr(name, ' ×') - 1) END || ' ' ||
	              CASE WHEN json_extract(args, '\$.errno') IS NOT NULL
	                   THEN 'err=' || json_extract(args, '\$.errno')
	                   WHEN json_extract(args, '\$.calls') IS NOT NULL THEN 'ret=0'
	                   ELSE 'ret=' || json_extract(args, '\$.ret') END
	       FROM wslice, generate_series(1, COALESCE(json_extract(args, '\$.calls'), 1))")"
check_eq "runs of empty polls are one slice each (the log has some)" 1 \
	"$(lq "SELECT count(*) > 0 FROM wslice WHERE json_extract(args, '\$.calls') > 1
	       AND name LIKE '% ×' || json_extract(args, '\$.calls')")"

# 2. every reap: the call's slice names the child and its status, and a
#    flow arrow runs from the child's alive slice to that slice
check_set "reaping calls: child, status, flow from the child's exit" \
	"$(lq "SELECT c.tid || ' ' || c.name || ' reaped=' || c.reaped || ' status=' ||
	              $(status_sql c.status) || ' flow=1'
	       FROM call_name c WHERE c.reaped > 0")" \
	"$(lq "SELECT w.real_tid || ' ' || w.name || ' reaped=' || json_extract(w.args, '\$.reaped_pid')
	              || ' status=' || json_extract(w.args, '\$.status') || ' flow=' ||
	              EXISTS (SELECT 1 FROM ev f JOIN ev s ON s.ph = 's' AND s.id = f.id
	                      JOIN ptrack p ON p.pid = s.pid
	                      JOIN ev a ON a.ph = 'X' AND a.pid = s.pid AND a.tid = s.tid
	                               AND a.name LIKE 'alive%'
	                      WHERE f.ph = 'f' AND f.bp = 'e' AND f.pid = w.pid
	                        AND f.tid = w.tid AND f.ts >= w.ts AND f.ts < w.ts + w.dur
	                        AND p.real_pid = json_extract(w.args, '\$.reaped_pid')
	                        AND s.ts >= a.ts AND s.ts < a.ts + a.dur)
	       FROM wslice w WHERE json_extract(w.args, '\$.outcome') = 'reaped'")"

# 3. every forked child has an alive slice named after how it ended
check_set "alive slices of the log's children (pid, name)" \
	"$(lq "SELECT pid || ' ' || CASE kind WHEN 'left_running' THEN 'alive'
	              ELSE 'alive (' || $(status_sql status) || ')' END
	       FROM fork_fate")" \
	"$(lq "SELECT p.real_pid || ' ' || e.name FROM ev e JOIN ptrack p ON p.pid = e.pid
	       WHERE e.ph = 'X' AND e.name LIKE 'alive%' AND p.real_pid IN (SELECT pid FROM fork)")"

# 4. instants: ECHILD on the failing thread; stolen reaps on the victim
#    naming child and thief; auto-reaps on the child
check_set "ECHILD instants (tid)" \
	"$(lq "SELECT tid FROM call WHERE errno = 'ECHILD'")" \
	"$(lq "SELECT t.real_tid FROM ev e JOIN ttrack t ON t.pid = e.pid AND t.tid = e.tid,
	         generate_series(1, COALESCE(json_extract(e.args, '\$.calls'), 1))
	       WHERE e.ph = 'i' AND e.scope = 't' AND e.name LIKE 'ECHILD%'
	         AND t.real_tid IN (SELECT tid FROM call)")"
check_set "stolen-reap instants (victim child thief)" \
	"$(lq "SELECT victim || ' ' || child || ' ' || thief FROM steal")" \
	"$(lq "SELECT t.real_tid || ' ' || json_extract(e.args, '\$.child_pid') || ' ' ||
	              json_extract(e.args, '\$.thief_tid')
	       FROM ev e JOIN ttrack t ON t.pid = e.pid AND t.tid = e.tid
	       WHERE e.ph = 'i' AND e.cat = 'stolen'")"
check_set "auto-reap instants (pid)" \
	"$(lq "SELECT pid FROM fate WHERE kind = 'autoreaped'")" \
	"$(lq "SELECT p.real_pid FROM ev e JOIN ptrack p ON p.pid = e.pid
	       WHERE e.ph = 'i' AND e.scope = 'p' AND e.name = 'auto-reaped'
	         AND p.real_pid IN (SELECT pid FROM fork)")"
check_set "zombie slices never reaped (pid)" \
	"$(lq "SELECT pid FROM fate WHERE kind = 'zombie'")" \
	"$(lq "SELECT p.real_pid FROM ev e JOIN ptrack p ON p.pid = e.pid
	       WHERE e.ph = 'X' AND e.name = 'zombie (never reaped)'
	         AND p.real_pid IN (SELECT pid FROM fork)")"

# 5. structure
check_eq "flows: every id has one start and one end" 0 \
	"$(lq "SELECT count(*) FROM (SELECT id FROM ev WHERE ph IN ('s', 'f')
	       GROUP BY id HAVING sum(ph = 's') <> 1 OR sum(ph = 'f') <> 1)")"
check_eq "flows: one per reap in the log (at least)" 1 \
	"$(lq "SELECT (SELECT count(*) FROM ev WHERE ph = 's') >=
	              (SELECT count(*) FROM call WHERE reaped > 0)")"
check_eq "slices on one track never cross (nested or disjoint)" 0 \
	"$(lq "SELECT count(*) FROM ev a JOIN ev b ON a.pid = b.pid AND a.tid = b.tid
	       AND a.ph = 'X' AND b.ph = 'X' AND a.rowid <> b.rowid
	       WHERE a.ts < b.ts AND b.ts < a.ts + a.dur AND a.ts + a.dur < b.ts + b.dur")"
check_eq "no negative durations" 0 "$(lq "SELECT count(*) FROM ev WHERE dur < 0")"
check_eq "every slice and instant is on a named process" 0 \
	"$(lq "SELECT count(*) FROM ev WHERE ph IN ('X', 'i', 's', 'f')
	       AND pid NOT IN (SELECT pid FROM ptrack)")"
# 6. windows.  --pid P: P, its children (the log's forks of P) and one
#    more process, its parent (the shell running the scenarios).
P=$(lq "SELECT parent FROM fork f WHERE EXISTS (SELECT 1 FROM steal WHERE child = f.pid) LIMIT 1")
"$WTREC" analyze "$T/db" --timeline "$T/pid.json" --pid "$P" 2>"$T/err"
check_eq "--pid $P: exit status" 0 $?
pids() {
	lq "SELECT CAST(rtrim(substr(json_extract(value, '\$.args.name'),
	        instr(json_extract(value, '\$.args.name'), '(pid ') + 5), ')') AS INTEGER)
	    FROM json_each(readfile('$1'), '\$.traceEvents')
	    WHERE json_extract(value, '\$.name') = 'process_name'"
}
check_set "--pid $P: P and its children (the log's forks of P) are drawn" \
	"$(echo "$P"; lq "SELECT pid FROM fork WHERE parent = $P")" \
	"$(pids "$T/pid.json" | grep -xF -f <(echo "$P"; lq "SELECT pid FROM fork WHERE parent = $P"))"
check_eq "--pid $P: besides them, one process (its parent), not a fork of the log" 1 \
	"$(pids "$T/pid.json" | grep -vxF -f <(echo "$P"; lq "SELECT pid FROM fork") | wc -l)"
check_set "--pid $P: the stolen-reap instants are still there" \
	"$(lq "SELECT child FROM steal WHERE victim IN (SELECT tid FROM call) AND child IN
	       (SELECT pid FROM fork WHERE parent = $P)")" \
	"$(lq "SELECT json_extract(value, '\$.args.child_pid') FROM json_each(readfile('$T/pid.json'), '\$.traceEvents')
	       WHERE json_extract(value, '\$.cat') = 'stolen'")"

# --since/--until: the middle third of the recording; every slice drawn
# overlaps it, and every slice of the whole timeline that overlaps it is
# drawn (the same name on the same track at the same ts).
read -r t0 t1 < <(lq "SELECT json_extract(readfile('$T/tl.json'), '\$.otherData.recordings[0].start_ns'),
                            json_extract(readfile('$T/tl.json'), '\$.otherData.recordings[0].end_ns')")
since=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 3e9 }')
until=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", 2 * (b - a) / 3e9 }')
"$WTREC" analyze "$T/db" --timeline "$T/win.json" --since "$since" --until "$until" 2>"$T/err"
check_eq "--since $since --until $until: exit status" 0 $?
lo=$(awk -v a="$t0" -v s="$since" 'BEGIN { printf "%.0f", a + s * 1e9 }')
hi=$(awk -v a="$t0" -v s="$until" 'BEGIN { printf "%.0f", a + s * 1e9 }')
slices() { # FILE: wait slices as "ts name" (ts in ns), those overlapping [lo, hi] if $2
	lq "SELECT CAST(round(json_extract(value, '\$.ts') * 1000) AS INTEGER) || ' ' || json_extract(value, '\$.name')
	    FROM json_each(readfile('$1'), '\$.traceEvents')
	    WHERE json_extract(value, '\$.ph') = 'X' AND json_extract(value, '\$.cat') = 'wait'
	      AND ('${2:-}' = '' OR (json_extract(value, '\$.ts') * 1000 <= $hi + 1
	           AND (json_extract(value, '\$.ts') + json_extract(value, '\$.dur')) * 1000 >= $lo - 1))"
}
check_set "window: the wait slices are those of the whole timeline that overlap it" \
	"$(slices "$T/tl.json" 1)" "$(slices "$T/win.json")"
check_true "window: fewer slices than the whole timeline" \
	[ "$(slices "$T/win.json" | wc -l)" -lt "$(slices "$T/tl.json" | wc -l)" ]
outside="SELECT count(*) FROM json_each(readfile('$T/win.json'), '\$.traceEvents')
	WHERE json_extract(value, '\$.ph') IN ('X', 'i')
	  AND (json_extract(value, '\$.ts') * 1000 > $hi + 1
	       OR (json_extract(value, '\$.ts') + COALESCE(json_extract(value, '\$.dur'), 0)) * 1000 < $lo - 1)"
check_eq "window: every slice and instant overlaps it" 0 "$(lq "$outside")"
"$WTREC" analyze "$T/db" --since 1 >/dev/null 2>&1
check_eq "--since without --timeline/--html: usage error (2)" 2 $?
"$WTREC" analyze "$T/db" --timeline - --since 2 --until 1 >/dev/null 2>&1
check_eq "--until before --since: usage error (2)" 2 $?
"$WTREC" analyze "$T/db" --timeline - --pid x >/dev/null 2>&1
check_eq "--pid x: usage error (2)" 2 $?
t_finish
