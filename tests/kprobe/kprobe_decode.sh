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
#    does) and its user_ms, sys_ms, maxrss_kb (the rusage: kp only);
#  - the rows are the script's outcome (ground truth written down here);
#  - kprobe extras: wait_call.status filled for wait4 reaps (NULL for the
#    call that passed a NULL status pointer), exits from do_exit/siginfo,
#    nothing inferred; META backend=kprobe and probe.N definitions;
#  - the callers' buffers: the pointers on every backend; what the kernel
#    wrote (status, siginfo, rusage, and their strace texts) only from the
#    kprobe recording whose return probes read entry arguments, and never
#    through a NULL pointer or where the kernel wrote nothing.
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
	sed 's/,inferred$/,/' "$T/$f.children" |
		awk -F, -v OFS=, '{ $13 = $14 = $15 = ""; print }' >"$T/$f.children.cmp"
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
check_eq "children: the rusage columns" "user_ms,sys_ms,maxrss_kb" \
	"$(awk -F, 'NR == 1 { print $13 "," $14 "," $15 }' "$T/kp.children")"
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
	"1101,exited 3,1000, 1102,killed SIGTERM,1000, 1103,exited 0,1001, 1104,exited 1,,zombie 1105,exited 0,1001, 1106,exited 7,1000," \
	"$(awk -F, 'NR > 1 { printf "%s%s,%s,%s,%s", s, $3, $7, $9, $NF; s = " " }' "$T/kp.children")"
# the rusage of the reaps that passed a buffer (RU1, RU2, RU5), kp only
check_eq "kp children: CPU time and max RSS of 1101, 1102, 1105" \
	"1101 1.843 0.512 3412,1102 2000.005 1999.999 1048576,1103   ,1104   ,1105 0.000 0.000 1536,1106   " \
	"$(awk -F, 'NR > 1 { printf "%s%s %s %s %s", s, $3, $13, $14, $15; s = "," }' "$T/kp.children")"
"$WTREC" analyze "$T/kp.db" -r tree >"$T/kp.tree" 2>&1
check_eq "kp tree: the reaps' CPU time and max RSS" \
	"child1 [user 1.843 ms, sys 0.512 ms, max RSS 3412 KiB],child2 [user 2000.005 ms, sys 1999.999 ms, max RSS 1048576 KiB],child5 [user 0.000 ms, sys 0.000 ms, max RSS 1536 KiB]" \
	"$(sed -nE 's/^.* (child[0-9]) \(pid.*(\[user [^]]*\]).*$/\1 \2/p' "$T/kp.tree" | paste -sd, -)"
"$WTREC" analyze "$T/tp.db" -r tree >"$T/tp.tree" 2>&1
check_eq "tp tree: no rusage" "0" "$(grep -c '\[user ' "$T/tp.tree")"
for f in tp kp_plain; do
	check_eq "$f children: no rusage" "" \
		"$(awk -F, 'NR > 1 && $13 $14 $15 != ""' "$T/$f.children")"
done
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
		"0 0 0 -10" "$(q $f "SELECT group_concat(ret, ' ') FROM
		                   (SELECT ret FROM wait_call WHERE syscall = 'waitid' ORDER BY id)")"
	check_eq "$f: waitid reaped 1102 (NULL infop: kernel_waitid's own info) and 1106 exactly" \
		"1102 return 1106 return" \
		"$(q $f "SELECT group_concat(p.pid || ' ' || w.reap_basis, ' ') FROM wait_call w
		         JOIN process p ON p.upid = w.reaped_upid WHERE w.syscall = 'waitid'")"
done
check_eq "tp: exit evidence" "1101 exit_group 1102 signal_generate 1103 exit_group 1104 exit_group 1105 exit_group 1106 exit_group" \
	"$(q tp "SELECT group_concat(pid || ' ' || exit_source, ' ') FROM
	         (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"
check_eq "kp: exit evidence (wait status, siginfo, do_exit)" \
	"1101 wait_status 1102 siginfo 1103 wait_status 1104 do_exit 1105 do_exit 1106 siginfo" \
	"$(q kp "SELECT group_concat(pid || ' ' || exit_source, ' ') FROM
	         (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"
check_eq "kp_plain: every exit from do_exit, SIGTERM exact" \
	"1101 3 - 1102 - 15 1103 0 - 1104 1 - 1105 0 - 1106 7 - do_exit" \
	"$(q kp_plain "SELECT group_concat(pid || ' ' || COALESCE(exit_code, '-') || ' ' ||
	               COALESCE(exit_signal, '-'), ' ') || ' ' ||
	               (SELECT group_concat(DISTINCT exit_source) FROM process WHERE pid > 1100)
	               FROM (SELECT * FROM process WHERE pid > 1100 ORDER BY pid)")"

# --- the callers' buffers (kprobe_rec.c's script, call by call) -------------
S=$((0x7ffc0000aa00)) B=$((0x7ffc0000aa40)) I=$((0x7ffc0000bb00))
R=$((0x7ffc0000cc00)) R5=$((0x7ffc0000cd00))
# status_addr infop_addr rusage_addr of the calls in order of entry
PTRS="$S - $R,$S - $R,$S - $R,- $I $R,$S - $R,- - $R,$S - -,$B - -,- - $R5,- $I -,- - -"
for f in tp kp kp_plain; do
	check_eq "$f: the pointers every call passed" "$PTRS" \
		"$(q $f "SELECT group_concat(COALESCE(status_addr, '-') || ' ' ||
		         COALESCE(infop_addr, '-') || ' ' || COALESCE(rusage_addr, '-'), ',')
		         FROM (SELECT * FROM wait_call ORDER BY id)")"
done
CONTENTS="status si_signo si_code si_pid si_uid si_status ru_utime_us ru_stime_us
	ru_maxrss_kb ru_minflt ru_majflt ru_nvcsw ru_nivcsw status_text siginfo_text rusage_text"
# every content column of every call, '-' for NULL, calls by ','
contents() {
	local c cols=
	for c in $CONTENTS; do cols="$cols${cols:+ || ' ' || }COALESCE($c, '-')"; done
	q "$1" "SELECT group_concat($cols, ',') FROM (SELECT * FROM wait_call ORDER BY id)"
}
NONE=$(printf '%s' "- - - - - - - - - - - - - - - -"; for i in 2 3 4 5 6 7 8 9 10 11; do
	printf ',%s' "- - - - - - - - - - - - - - - -"; done)
check_eq "tp: no contents (the tracepoints carry pointers only)" "$NONE" "$(contents tp)"
check_eq "kp_plain: no contents (return probes cannot read arguments)" "$NONE" "$(contents kp_plain)"
# kp, by hand: polls (nothing written; the probe's rusage is garbage), the
# WNOHANG waitid's zeroed siginfo, C1's status and RU1, C2's RU2 (NULL
# infop: no siginfo), A's ECHILD, B's 1103 (no rusage buffer), B's 1105
# (NULL status, RU5), C6's siginfo (no rusage buffer), the last ECHILD.
D16="- - - - - - - - - - - - - - - -"
W4_1101="768 - - - - - 1843 512 3412 120 1 2 3 [{WIFEXITED(s) && WEXITSTATUS(s) == 3}] - {ru_utime={tv_sec=0, tv_usec=1843}, ru_stime={tv_sec=0, tv_usec=512}, ru_maxrss=3412, ru_minflt=120, ru_majflt=1, ru_nvcsw=2, ru_nivcsw=3, ...}"
WID_1102="- - - - - - 2000005 1999999 1048576 70000 12 40 9 - - {ru_utime={tv_sec=2, tv_usec=5}, ru_stime={tv_sec=1, tv_usec=999999}, ru_maxrss=1048576, ru_minflt=70000, ru_majflt=12, ru_nvcsw=40, ru_nivcsw=9, ...}"
W4_1103="0 - - - - - - - - - - - - [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] - -"
W4_1105="- - - - - - 0 0 1536 88 0 1 0 - - {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ru_maxrss=1536, ru_minflt=88, ru_majflt=0, ru_nvcsw=1, ru_nivcsw=0, ...}"
WID_1106="- 17 1 1106 1000 7 - - - - - - - - {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=1106, si_uid=1000, si_status=7} -"
check_eq "kp: what the kernel wrote, call by call" \
	"$D16,$D16,$D16,- 0 0 0 0 0 - - - - - - - - {} -,$W4_1101,$WID_1102,$D16,$W4_1103,$W4_1105,$WID_1106,$D16" \
	"$(contents kp)"

check_eq "tp: no META wait_memory: the tracepoint's reason" \
	"pointers only: the syscall tracepoints carry the stat_addr/infop and rusage pointers, not what the kernel wrote there" \
	"$(q tp "SELECT wait_memory FROM recording")"
check_eq "kp: recording.wait_memory is META's" "read: generated" \
	"$(q kp "SELECT wait_memory FROM recording")"
check_eq "kp_plain: recording.wait_memory is META's" 'pointers only: generated, no $arg<N>' \
	"$(q kp_plain "SELECT wait_memory FROM recording")"
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
	'  probe.0=p:wtrec_4242/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64' \
	"$(grep '^  probe.0=' "$T/kp.info")"
check_eq "info kp: META probe.3" \
	'  probe.3=r1024:wtrec_4242/waitid_exit kernel_waitid ret=$retval:s64 si_code=+12($arg3):s32 si_pid=+0($arg3):s32 si_uid=+4($arg3):u32 si_status=+8($arg3):s32 ru_utime_sec=+0($arg5):s64 ru_utime_usec=+8($arg5):s64 ru_stime_sec=+16($arg5):s64 ru_stime_usec=+24($arg5):s64 ru_maxrss=+32($arg5):s64 ru_minflt=+64($arg5):s64 ru_majflt=+72($arg5):s64 ru_nvcsw=+128($arg5):s64 ru_nivcsw=+136($arg5):s64' \
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
	"wait4_enter 7, wait4_exit 7, waitid_enter 4, waitid_exit 4" "$(evcounts "$T/kp.info")"
"$WTREC" info "$T/tp.wtrec" >"$T/tp.info" 2>&1
check_eq "info tp: wait events under their tracepoint names" \
	"sys_enter_wait4 7, sys_exit_wait4 7, sys_enter_waitid 4, sys_exit_waitid 4" \
	"$(evcounts "$T/tp.info")"
"$WTREC" info --json "$T/kp.wtrec" >"$T/kp.json"
check_eq "info --json kp: kprobe names as keys" "7 4 6 null" \
	"$(sqlite3 :memory: "SELECT json_extract(readfile('$T/kp.json'), '\$.events.wait4_enter')
	   || ' ' || json_extract(readfile('$T/kp.json'), '\$.events.waitid_exit')
	   || ' ' || json_extract(readfile('$T/kp.json'), '\$.events.do_exit')
	   || ' ' || COALESCE(json_extract(readfile('$T/kp.json'), '\$.events.sys_enter_wait4'), 'null')")"

t_finish
