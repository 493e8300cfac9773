# wtlog.sh - the workload's ground-truth log (tests/workload/wtlog.h: one
# tab-separated line per fact) cut into table files for sqlite's .import;
# shared by tests/e2e/lib.sh and tests/ecosystem/lib.sh (sourced, bash).
#
# wtlog_split LOG DIR [AWK_RULES]: DIR/call, DIR/mem, DIR/fate and DIR/steal
# (always made, maybe empty), plus what the extra awk rules write (awk runs
# with -F'\t', OFS tab and -v d=DIR; extra rules run first on each line):
#   call   seq, tid, syscall, idtype, target, options, ret, errno, reaped,
#          status, child       every wait call, as the syscall returned it
#   mem    seq, tid, addr, ru_addr, status, si_signo, si_code, si_pid,
#          si_uid, si_status, ru_utime_us, ru_stime_us, ru_maxrss,
#          ru_minflt, ru_majflt, ru_nvcsw, ru_nivcsw   each call's buffers
#          (the callmem lines; "-": not written; none in logs of a wtwork
#          older than them)
#   fate   pid, kind, status   kind child_exit|autoreaped|zombie|left_running|
#          teardown
#   steal  child, thief, victim, variant
wtlog_split() {
	local log=$1 d=$2 extra=${3:-}
	mkdir -p "$d"
	awk -F'\t' -v d="$d" -v OFS='\t' "$extra"'
		$1 == "call" { print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 > d "/call" }
		$1 == "callmem" { $1 = ""; print substr($0, 2) > d "/mem" }
		$1 == "child_exit" { print $2, "child_exit", $3 " " $4 > d "/fate" }
		$1 == "autoreaped" { print $2, "autoreaped", $4 " " $5 > d "/fate" }
		$1 == "zombie" { print $2, "zombie", $4 " " $5 > d "/fate" }
		$1 == "left_running" { print $2, "left_running", "running" > d "/fate" }
		$1 == "teardown" { print $2, "teardown", $4 " " $5 > d "/fate" }
		$1 == "steal" { print $2, $3, $4, $5 > d "/steal" }
	' "$log"
	touch "$d/call" "$d/mem" "$d/fate" "$d/steal"
}
