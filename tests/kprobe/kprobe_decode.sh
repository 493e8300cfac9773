#!/bin/bash
# kprobe_decode.sh WTREC KPROBE_REC - the kprobe backend's recordings decode
# to the same model as the tracepoint backend's.
#
# kprobe_rec writes one scripted activity (see kprobe_rec.c) as the
# tracepoint backend records it (tp), as the kprobe backend records it on a
# kernel whose return probes read entry arguments (kp) and on one whose
# return probes cannot (kp_plain); a second one, race_*, a WNOHANG waitid
# that finds nothing after the child's exit was traced, and a third,
# reuse_*, a pid used twice before the first task was freed (both seen
# live on Linux 6.1 under QEMU).  Checked here:
#  - every report (children, zombies, stolen, autoreap, errors, latency,
#    polling, summary) has the same rows for all three, except what only
#    the backend changes: the summary's recording/backend/events lines and
#    its "reaps inferred" line, and the children report's "inferred" note
#    on the waitid reap (the tracepoint does not name the child; the probe
#    does);
#  - the rows are the script's outcome (ground truth written down here);
#  - kprobe extras: wait_call.status filled for wait4 reaps (NULL for the
#    call that passed a NULL status pointer), exits from do_exit/siginfo,
#    nothing inferred; META backend=kprobe and probe.N definitions;
#  - the race: the poll's 0 is "nothing" where the probed function or the
#    siginfo says so (kernel_waitid; the wrapper with return-probe args),
#    and reads as the tracepoint's 0 where nothing says more;
#  - the reuse: each instance of the pid has its own reaping call, also
#    when the kernel's pid filter dropped the second one's events, and a
#    late free is the first instance's.
# shellcheck source=../lib/check.sh
. "$(dirname "$0")/../lib/check.sh"
WTREC=${1:?usage: $0 WTREC KPROBE_REC}
GEN=${2:?usage: $0 WTREC KPROBE_REC}
command -v sqlite3 >/dev/null || t_skip "needs the sqlite3 CLI"
t_mktemp kprobe
q() { sqlite3 -batch -noheader -separator ' ' "$T/$1.db" "$2"; }

"$GEN" "$T" || t_bail "kprobe_rec failed"
for f in tp kp kp_plain; do
	"$WTREC" analyze "$T/$f.wtrec" -o "$T/$f.db" >"$T/$f.out" 2>"$T/$f.err"
	check_eq "$f: analyze exit status" 0 $?
	for r in children zombies stolen autoreap errors latency polling summary; do
		"$WTREC" analyze "$T/$f.db" -r $r -f csv >"$T/$f.$r.crlf" 2>>"$T/$f.err" ||
			fail "$f: -r $r failed: $(tail -1 "$T/$f.err")"
		tr -d '\r' <"$T/$f.$r.crlf" >"$T/$f.$r" # RFC 4180 line ends
	done
	# what only the backend changes (see above)
	grep -Ev '^(recording,|  backend,|  events,|reaps inferred,|model inferences,)' "$T/$f.summary" \
		>"$T/$f.summary.cmp"
	sed 's/,inferred$/,/' "$T/$f.children" >"$T/$f.children.cmp"
	for r in zombies stolen autoreap errors latency polling; do
		cp "$T/$f.$r" "$T/$f.$r.cmp"
	done
done

# --- the same rows -----------------------------------------------------------
for f in kp kp_plain; do
	for r in children zombies stolen autoreap errors latency polling summary; do
		if cmp -s "$T/tp.$r.cmp" "$T/$f.$r.cmp"; then
			pass
		else
			fail "-r $r: $f differs from tp (< tp, > $f):"
			diff "$T/tp.$r.cmp" "$T/$f.$r.cmp" | grep '^[<>]' | head -10
		fi
	done
done
check_eq "tp: the waitid reap of 1102 is marked inferred" \
	"1102" "$(awk -F, '$NF == "inferred" { print $3 }' "$T/tp.children")"
check_eq "kp: nothing inferred" "" "$(awk -F, '$NF == "inferred"' "$T/kp.children")"
check_eq "tp: summary counts 1 inferred reap" "1" \
	"$(grep -c '^reaps inferred,1 ' "$T/tp.summary")"
check_eq "tp: model_check says the replay chose it" "1" \
	"$(grep -c '^model inferences,"reap_inferred_by_replay 1' "$T/tp.summary")"
check_eq "kp: summary backend" '  backend,"kprobe, clock boot"' \
	"$(grep '^  backend,' "$T/kp.summary")"

# --- the script's outcome (kprobe_rec.c) --------------------------------------
# children: pid, status, reaper thread, note
check_eq "children: pid status reaper note" \
	"1101,exited 3,1000, 1102,killed SIGTERM,1000, 1103,exited 0,1001, 1104,exited 1,,zombie 1105,exited 0,1001," \
	"$(awk -F, 'NR > 1 { printf "%s%s,%s,%s,%s", s, $3, $7, $9, $13; s = " " }' "$T/kp.children")"
check_eq "zombies: 1104" "1104" "$(awk -F, 'NR > 1 { print $1 }' "$T/kp.zombies")"
check_eq "stolen: victim 1000, child 1103, thief 1001, ECHILD" "1000 1103 1001 ECHILD" \
	"$(awk -F, 'NR > 1 { print $2, $8, $11, $6 }' "$T/kp.stolen")"
check_eq "autoreap: none" "1" "$(wc -l <"$T/kp.autoreap")"
check_eq "errors: two ECHILD calls of 1000" "ECHILD,1000 ECHILD,1000" \
	"$(awk -F, 'NR > 1 { printf "%s%s,%s", s, $1, $4; s = " " }' "$T/kp.errors")"
check_eq "polling: 5 WNOHANG calls of thread 1000 are no spinning" "1" \
	"$(wc -l <"$T/kp.polling")"

# --- what only the kprobe backend knows -------------------------------------
check_eq "tp: no wait status" "0" "$(q tp "SELECT count(status) FROM wait_call")"
check_eq "kp: status of the wait4 reaps (NULL stat_addr: none)" \
	"1101 768 1103 0 1105 NULL" \
	"$(q kp "SELECT group_concat(p.pid || ' ' || COALESCE(w.status, 'NULL'), ' ')
	          FROM wait_call w JOIN process p ON p.upid = w.reaped_upid
	          WHERE w.syscall = 'wait4' ORDER BY p.pid")"
check_eq "kp_plain: no status without return-probe args" "0" \
	"$(q kp_plain "SELECT count(status) FROM wait_call")"
for f in kp kp_plain; do
	check_eq "$f: no reap inferred" "0" "$(q $f "SELECT sum(reap_inferred) FROM wait_call")"
	check_eq "$f: waitid returns as the syscall does (kernel_waitid's pid -> 0)" \
		"0 0 -10" "$(q $f "SELECT group_concat(ret, ' ') FROM
		                   (SELECT ret FROM wait_call WHERE syscall = 'waitid' ORDER BY id)")"
	check_eq "$f: waitid reaped 1102 exactly" "1102" \
		"$(q $f "SELECT p.pid FROM wait_call w JOIN process p ON p.upid = w.reaped_upid
		         WHERE w.syscall = 'waitid'")"
done
check_eq "tp: exit evidence" "1101 exit_group 1102 signal_generate 1103 exit_group 1104 exit_group 1105 exit_group" \
	"$(q tp "SELECT group_concat(pid || ' ' || exit_source, ' ') FROM
	         (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"
check_eq "kp: exit evidence (wait status, siginfo, do_exit)" \
	"1101 wait_status 1102 siginfo 1103 wait_status 1104 do_exit 1105 do_exit" \
	"$(q kp "SELECT group_concat(pid || ' ' || exit_source, ' ') FROM
	         (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"
check_eq "kp_plain: every exit from do_exit, SIGTERM exact" \
	"1101 3 - 1102 - 15 1103 0 - 1104 1 - 1105 0 - do_exit" \
	"$(q kp_plain "SELECT group_concat(pid || ' ' || COALESCE(exit_code, '-') || ' ' ||
	               COALESCE(exit_signal, '-'), ' ') || ' ' ||
	               (SELECT group_concat(DISTINCT exit_source) FROM process WHERE pid > 1100)
	               FROM (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"

# --- the race: waitid(WNOHANG) = 0 after the child's exit was traced ---------
# What a 0 means depends on the function probed (analyze/decode_events.c,
# dec_kp_waitid_exit): kernel_waitid returns the child's pid, so its 0 is
# "nothing waitable" for certain; the syscall wrapper's 0 is that only when
# the siginfo says so (si_pid 0), and without the siginfo it tells no more
# than the tracepoint's 0 does.
calls() {
	q "$1" "SELECT group_concat(w.options_text || ' ' || w.outcome || ' ' ||
	        COALESCE(p.pid, '-') || ' inferred=' || w.reap_inferred, ', ')
	        FROM (SELECT * FROM wait_call ORDER BY id) w
	        LEFT JOIN process p ON p.upid = w.reaped_upid"
}
for f in race_tp race_kp race_kp_plain race_wrap race_wrap_plain; do
	"$WTREC" analyze "$T/$f.wtrec" -o "$T/$f.db" >"$T/$f.out" 2>"$T/$f.err"
	check_eq "$f: analyze exit status" 0 $?
done
for f in race_kp race_kp_plain race_wrap; do
	check_eq "$f: the poll found nothing, the next waitid reaped 1201" \
		"WNOHANG|WEXITED nothing - inferred=0, WEXITED reaped 1201 inferred=0" "$(calls $f)"
done
check_eq "race_wrap_plain: the wrapper's 0 without siginfo reads as the tracepoint's" \
	"$(calls race_tp)" "$(calls race_wrap_plain)"
check_eq "race: exit code and its evidence per recording" \
	"race_kp 7 siginfo race_kp_plain 7 do_exit race_wrap 7 siginfo race_wrap_plain 7 do_exit" \
	"$(for f in race_kp race_kp_plain race_wrap race_wrap_plain; do
		printf '%s %s ' $f "$(q $f "SELECT exit_code || ' ' || exit_source FROM process WHERE pid = 1201")"
	done | sed 's/ $//')"

# --- the reuse: pid 1301 twice (kprobe_rec.c, script_reuse) -----------------
# Per instance of 1301, in fork order: exit, its evidence, the reaping call
# (wait_call.id), and whether it was seen freed.
instances() {
	q "$1" "SELECT group_concat(x, ', ') FROM (SELECT COALESCE(exit_code, '?') || ' ' ||
	        COALESCE(exit_source, 'none') || ' call ' || COALESCE(reap_call_id, 'none') ||
	        CASE WHEN freed_ns IS NULL THEN '' ELSE ' freed' END AS x
	        FROM process WHERE pid = 1301 ORDER BY fork_ns)"
}
for f in reuse_tp reuse_kp reuse_kp_plain reuse_sys_tp reuse_sys_kp_plain; do
	"$WTREC" analyze "$T/$f.wtrec" -o "$T/$f.db" >"$T/$f.out" 2>"$T/$f.err"
	check_eq "$f: analyze exit status" 0 $?
done
# Scoped: the second child's events are missing (the kernel's pid filter
# dropped 1301 at the first child's free); the wait that returned 1301
# without WUNTRACED is still its reap, with the status the wait read where
# the backend read one, else unknown.
check_eq "reuse_tp: each instance its own reap, the second's exit unknown" \
	"61 exit_group call 1, ? none call 2" "$(instances reuse_tp)"
check_eq "reuse_kp_plain: the same with do_exit" \
	"61 do_exit call 1, ? none call 2" "$(instances reuse_kp_plain)"
check_eq "reuse_kp: the wait status gives the second's exit" \
	"61 wait_status call 1, 62 wait_status call 2" "$(instances reuse_kp)"
# System-wide: the first child's free comes after the second's fork; it
# is the first child's, and the second's own free is the second's.
check_eq "reuse_sys_tp: each instance its own reap and its own free" \
	"61 exit_group call 1 freed, 62 exit_group call 2 freed" "$(instances reuse_sys_tp)"
check_eq "reuse_sys_kp_plain: the same with do_exit" \
	"61 do_exit call 1 freed, 62 do_exit call 2 freed" "$(instances reuse_sys_kp_plain)"
check_eq "reuse_sys_tp: the first free is the first child's" "1" \
	"$(q reuse_sys_tp "SELECT count(*) FROM process a JOIN process b ON a.pid = b.pid
	                   AND a.fork_ns < b.fork_ns WHERE a.pid = 1301
	                   AND a.freed_ns < b.freed_ns AND a.freed_ns > b.fork_ns")"

# --- the file says how it was recorded ----------------------------------------
"$WTREC" info "$T/kp.wtrec" >"$T/kp.info" 2>&1
check_eq "info kp: exit status" 0 $?
check_eq "info kp: META backend" "1" "$(grep -c '^  backend=kprobe$' "$T/kp.info")"
check_eq "info kp: META probe.0" \
	'  probe.0=p:wtrec_4242/wait4_enter kernel_wait4 upid=$arg1:s32 stat_addr=$arg2:x64 options=$arg3:s32' \
	"$(grep '^  probe.0=' "$T/kp.info")"
check_eq "info kp: META probe.3" \
	'  probe.3=r1024:wtrec_4242/waitid_exit kernel_waitid ret=$retval:s64 si_pid=+0($arg3):s32 si_status=+8($arg3):s32 si_code=+12($arg3):s32' \
	"$(grep '^  probe.3=' "$T/kp.info")"
check_eq "info kp: no malformed or unknown records" "unknown 0" \
	"$(awk '$1 == "unknown" { print $1, $2 }' "$T/kp.info")"
# the wait events under the probes' names (the script's 7 wait4 and 3
# waitid calls; not sched_process_wait), the tracepoint recording's under
# the tracepoints'
evcounts() {
	awk '/^events/ { on = 1; next } on && $1 ~ /wait(4|id)/ { printf "%s%s %s", s, $1, $2; s = ", " }
	     on && $1 == "total" { exit }' "$1"
}
check_eq "info kp: wait events under their kprobe names" \
	"wait4_enter 7, wait4_exit 7, waitid_enter 3, waitid_exit 3" "$(evcounts "$T/kp.info")"
"$WTREC" info "$T/tp.wtrec" >"$T/tp.info" 2>&1
check_eq "info tp: wait events under their tracepoint names" \
	"sys_enter_wait4 7, sys_exit_wait4 7, sys_enter_waitid 3, sys_exit_waitid 3" \
	"$(evcounts "$T/tp.info")"
"$WTREC" info --json "$T/kp.wtrec" >"$T/kp.json"
check_eq "info --json kp: kprobe names as keys" "7 3 5 null" \
	"$(sqlite3 :memory: "SELECT json_extract(readfile('$T/kp.json'), '\$.events.wait4_enter')
	   || ' ' || json_extract(readfile('$T/kp.json'), '\$.events.waitid_exit')
	   || ' ' || json_extract(readfile('$T/kp.json'), '\$.events.do_exit')
	   || ' ' || COALESCE(json_extract(readfile('$T/kp.json'), '\$.events.sys_enter_wait4'), 'null')")"

t_finish
