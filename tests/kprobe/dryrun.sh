#!/bin/bash
# dryrun.sh WTREC DATA_DIR - `wtrec record --dry-run` on fake kernels.
#
# The test hooks (README.md, record/kprobe_backend.h) point the kprobe
# backend at the fake kallsyms/README files of tests/kprobe/data and say
# whether kprobe_events "exists".  Checked: the probe definitions written
# to kprobe_events (spelled here by hand, like test_kprobe_plan.c), the
# order of the writes (instance, probes, enables, tracing on; at stop
# tracing off, one write disabling every event, instance removed, probes
# deleted last-first), the backend choice of auto and its note, the
# refusals (exit 2), and that a dry run changes nothing (no file, no
# instance).  Needs no root.
# shellcheck source=../lib/check.sh
. "$(dirname "$0")/../lib/check.sh"
WTREC=${1:?usage: $0 WTREC DATA_DIR}
DATA=${2:?usage: $0 WTREC DATA_DIR}
t_mktemp kprobe
has() { grep -qxF -- "$2" "$T/out" && pass || fail "$1: no line [$2]"; }
# line number of the first line matching the fixed string
at() { grep -nF -- "$1" "$T/out" | head -1 | cut -d: -f1; }
# before WHAT A B: A's first line comes before B's
before() {
	local a b
	a=$(at "$2") b=$(at "$3")
	if [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]; then pass
	else fail "$1: [$2] (line ${a:-none}) not before [$3] (line ${b:-none})"; fi
}

# dry WTREC-ARGS...: run with the hooks in the environment; sets RC, PID, D
dry() {
	"$WTREC" record --dry-run -o "$T/x.wtrec" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	PID=$(sed -n 's|^mkdir .*/instances/wtrec-\([0-9]*\)$|\1|p' "$T/out")
	D=$(sed -n 's|^mkdir \(.*\)/instances/wtrec-[0-9]*$|\1|p' "$T/out")
}

nothing_changed() { # WHAT
	check_eq "$1: no output file" "" "$(ls "$T"/x.wtrec* 2>/dev/null)"
	if [ -n "$PID" ] && [ -r "$D/instances" ]; then
		[ ! -e "$D/instances/wtrec-$PID" ] && pass || fail "$1: instance wtrec-$PID exists"
		[ ! -e "$D/events/wtrec_$PID" ] && pass || fail "$1: probe group wtrec_$PID exists"
	fi
}

export WTREC_KPROBE_EVENTS=$T/no-kprobe-events

# 1: x86_64 syscall wrappers, no return-probe args, kprobe_events absent
WTREC_ARCH=x86_64 WTREC_KALLSYMS=$DATA/kallsyms_x86_wrappers.txt \
WTREC_TRACEFS_README=$DATA/readme_plain.txt dry --backend kprobe
check_eq "1: exit status" 0 "$RC"
[ -n "$PID" ] && pass || fail "1: no mkdir line"
G=wtrec_$PID
I=$D/instances/wtrec-$PID
check_eq "1: says the buffers' contents cannot be read back" 1 \
	"$(grep -c "^# the callers' buffers: pointers only: this kernel's return probes cannot read entry arguments" "$T/out")"
has "1: says the real run would refuse" "# this kernel has no kprobe_events (CONFIG_KPROBE_EVENTS): a real run with --backend kprobe refuses (exit 2); use --backend tracepoint"
P1="p:$G/wait4_enter __x64_sys_wait4 upid=+112(\$arg1):s32 stat_addr=+104(\$arg1):x64 options=+96(\$arg1):s32 ru=+56(\$arg1):x64"
P2="r1024:$G/wait4_exit __x64_sys_wait4 ret=\$retval:s64"
P3="p:$G/waitid_enter __x64_sys_waitid which=+112(\$arg1):s32 upid=+104(\$arg1):s32 infop=+96(\$arg1):x64 options=+56(\$arg1):s32 ru=+72(\$arg1):x64"
P4="r1024:$G/waitid_exit __x64_sys_waitid ret=\$retval:s64"
P5="p:$G/do_exit do_exit code=\$arg1:s64"
for p in "$P1" "$P2" "$P3" "$P4" "$P5"; do
	has "1: probe written" "echo '$p' >> $D/kprobe_events"
done
check_eq "1: five probes, nothing else in kprobe_events" 5 \
	"$(grep -c "^echo '[pr].*' >> $D/kprobe_events\$" "$T/out")"
for e in wait4_enter wait4_exit waitid_enter waitid_exit do_exit; do
	has "1: $e enabled in our instance" "echo 1 > $I/events/$G/$e/enable"
	has "1: $e deleted" "echo -:$G/$e >> $D/kprobe_events"
done
check_eq "1: the syscall wait tracepoints are not used" "" \
	"$(grep -E 'sys_(enter|exit)_(wait4|waitid)' "$T/out")"
has "1: context event kept" "echo 1 > $I/events/sched/sched_process_exit/enable"
has "1: signal_deliver filter" "echo 'sa_handler == 0' > $I/events/signal/signal_deliver/filter"
has "1: trace clock" "echo boot > $I/trace_clock"
has "1: buffer size" "echo 32768 > $I/buffer_size_kb"
before "1: instance before probes" "mkdir $I" "echo 'p:$G/wait4_enter"
before "1: probes before their enables" "echo '$P5'" "echo 1 > $I/events/$G/wait4_enter/enable"
before "1: filter before enable" "signal_deliver/filter" "echo 1 > $I/events/signal/signal_deliver/enable"
before "1: enables before tracing on" "echo 1 > $I/events/signal/signal_generate/enable" "echo 1 > $I/tracing_on"
before "1: tracing on before the stop" "echo 1 > $I/tracing_on" "echo 0 > $I/events/enable"
# at stop one write disables every event of the instance, probes included
has "1: every event disabled at stop" "echo 0 > $I/events/enable"
check_eq "1: no event disabled on its own" "" "$(grep -E "^echo 0 > $I/events/.+/enable\$" "$T/out")"
before "1: probes disabled before the instance goes" "echo 0 > $I/events/enable" "rmdir $I"
before "1: instance removed before the probes are deleted" "rmdir $I" "echo -:$G/do_exit"
before "1: deleted last first" "echo -:$G/do_exit" "echo -:$G/wait4_enter"
check_eq "1: -o file untouched, tracefs untouched" "" "$(ls "$T"/x.wtrec* 2>/dev/null)"
nothing_changed 1

# 2: arm64 wrappers, return probes read $arg<N>: status and siginfo fetched
WTREC_ARCH=aarch64 WTREC_KALLSYMS=$DATA/kallsyms_arm64_wrappers.txt \
WTREC_TRACEFS_README=$DATA/readme_retargs.txt dry --backend kprobe
check_eq "2: exit status" 0 "$RC"
G=wtrec_$PID
# the caller's memory through pt_regs: stat_addr x1 (8), infop x2 (16),
# ru x3 (24) for wait4 and x4 (32) for waitid; struct rusage and siginfo_t
# offsets as in test_kprobe_plan.c
ru() { # POINTER: the nine rusage fields in user memory
	local o n s=
	for o in ru_utime_sec:0 ru_utime_usec:8 ru_stime_sec:16 ru_stime_usec:24 \
		ru_maxrss:32 ru_minflt:64 ru_majflt:72 ru_nvcsw:128 ru_nivcsw:136; do
		n=${o%%:*}
		s="$s $n=+u${o#*:}($1):s64"
	done
	echo "$s"
}
has "2: wait4 exit reads the status and rusage" "echo 'r1024:$G/wait4_exit __arm64_sys_wait4 ret=\$retval:s64 status=+u0(+8(\$arg1)):s32$(ru '+24($arg1)')' >> $D/kprobe_events"
has "2: waitid exit reads the siginfo and rusage" "echo 'r1024:$G/waitid_exit __arm64_sys_waitid ret=\$retval:s64 si_signo=+u0(+16(\$arg1)):s32 si_code=+u8(+16(\$arg1)):s32 si_pid=+u16(+16(\$arg1)):s32 si_uid=+u20(+16(\$arg1)):u32 si_status=+u24(+16(\$arg1)):s32$(ru '+32($arg1)')' >> $D/kprobe_events"
check_eq "2: says the buffers are read back" 1 \
	"$(grep -c "^# the callers' buffers: read: the return probes read the status, siginfo and rusage" "$T/out")"
nothing_changed 2

# 3: auto with kprobe_events present: kprobe, and it says so on stderr
WTREC_ARCH=x86_64 WTREC_KALLSYMS=$DATA/kallsyms_x86_kernel.txt \
WTREC_TRACEFS_README=$DATA/readme_retargs.txt \
WTREC_KPROBE_EVENTS=$DATA/readme_plain.txt dry
check_eq "3: exit status" 0 "$RC"
check_eq "3: auto's note" "wtrec: backend auto: using kprobe (kprobe_events present; wait4 via __x64_sys_wait4, waitid via __x64_sys_waitid and kernel_waitid, exit codes via do_exit; return probes read the status, siginfo and rusage)" \
	"$(cat "$T/err")"
has "3: the wrapper's entry probed" "echo 'p:wtrec_$PID/wait4_enter __x64_sys_wait4 upid=+112(\$arg1):s32 stat_addr=+104(\$arg1):x64 options=+96(\$arg1):s32 ru=+56(\$arg1):x64' >> $D/kprobe_events"
has "3: kernel_waitid's return probed, the rusage in kernel memory" "echo 'r1024:wtrec_$PID/waitid_exit kernel_waitid ret=\$retval:s64 si_code=+12(\$arg3):s32 si_pid=+0(\$arg3):s32 si_uid=+4(\$arg3):u32 si_status=+8(\$arg3):s32 ru_utime_sec=+0(\$arg5):s64 ru_utime_usec=+8(\$arg5):s64 ru_stime_sec=+16(\$arg5):s64 ru_stime_usec=+24(\$arg5):s64 ru_maxrss=+32(\$arg5):s64 ru_minflt=+64(\$arg5):s64 ru_majflt=+72(\$arg5):s64 ru_nvcsw=+128(\$arg5):s64 ru_nivcsw=+136(\$arg5):s64' >> $D/kprobe_events"
check_eq "3: not kernel_wait4 (the kernel's own reaps go through it)" 0 "$(grep -c ' kernel_wait4 ' "$T/out")"
check_eq "3: no refusal comment" "" "$(grep 'a real run with --backend kprobe refuses' "$T/out")"

# 4: auto without kprobe_events: tracepoint, and it says why
WTREC_KALLSYMS=$DATA/kallsyms_x86_kernel.txt dry -q
check_eq "4: exit status" 0 "$RC"
check_eq "4: -q: no note" "" "$(cat "$T/err")"
dry
check_eq "4: auto's note" "wtrec: backend auto: using tracepoint (this kernel has no kprobe_events)" \
	"$(cat "$T/err")"
check_eq "4: says the tracepoints give the pointers only" 1 \
	"$(grep -c "^# the callers' buffers: pointers only: the syscall tracepoints" "$T/out")"
has "4: syscall tracepoints" "echo 1 > $D/instances/wtrec-$PID/events/syscalls/sys_enter_wait4/enable"
check_eq "4: no probes" "" "$(grep kprobe_events "$T/out")"
nothing_changed 4

# 5: auto with kprobe_events but no usable symbol: tracepoint, says why
WTREC_ARCH=x86_64 WTREC_KALLSYMS=$DATA/kallsyms_none.txt \
WTREC_TRACEFS_README=$DATA/readme_retargs.txt \
WTREC_KPROBE_EVENTS=$DATA/readme_plain.txt dry
check_eq "5: exit status" 0 "$RC"
check_eq "5: auto's note" "wtrec: backend auto: using tracepoint (no kprobe plan: no probeable wait4 function in $DATA/kallsyms_none.txt)" \
	"$(cat "$T/err")"

# 6: --backend kprobe that cannot be planned: exit 2, says why and what to use
WTREC_ARCH=x86_64 WTREC_KALLSYMS=$DATA/kallsyms_none.txt \
WTREC_TRACEFS_README=$DATA/readme_retargs.txt dry --backend kprobe
check_eq "6: exit status" 2 "$RC"
check_eq "6: message" "wtrec: --backend kprobe: no probeable wait4 function in $DATA/kallsyms_none.txt; use --backend tracepoint" \
	"$(tail -1 "$T/err")"
check_eq "6: nothing printed" "" "$(grep -v '^#' "$T/out")"
WTREC_ARCH=riscv64 WTREC_KALLSYMS=$DATA/kallsyms_x86_kernel.txt \
WTREC_TRACEFS_README=$DATA/readme_retargs.txt dry --backend kprobe
check_eq "6: unsupported arch: exit status" 2 "$RC"
check_eq "6: unsupported arch: message" "wtrec: --backend kprobe: kprobe backend supports x86_64 and arm64, not riscv64; use --backend tracepoint" \
	"$(tail -1 "$T/err")"

# 7: tracepoint backend asked for: no plan, no probes even with kprobe_events
WTREC_KPROBE_EVENTS=$DATA/readme_plain.txt dry --backend tracepoint
check_eq "7: exit status" 0 "$RC"
check_eq "7: no probes" "" "$(grep kprobe_events "$T/out")"
check_eq "7: no note" "" "$(cat "$T/err")"

# 8: a COMMAND is not run by a dry run
dry -- /bin/sh -c "touch $T/ran"
check_eq "8: exit status" 0 "$RC"
check_eq "8: command not run" "" "$(ls "$T/ran" 2>/dev/null)"
has "8: event-fork for the command" "echo 1 > $D/instances/wtrec-$PID/options/event-fork"

# 9: --dry-run does not combine with --cleanup
"$WTREC" record --cleanup --dry-run >"$T/out" 2>"$T/err"
check_eq "9: --cleanup --dry-run: exit status" 2 $?

# 10: a real run without kprobe_events refuses before touching anything
if [ "$(id -u)" = 0 ] && [ -d /sys/kernel/tracing/instances ]; then
	"$WTREC" record --backend kprobe -d 1 -o "$T/r.wtrec" >"$T/out" 2>"$T/err"
	check_eq "10: exit status" 2 $?
	check_eq "10: message" "wtrec: --backend kprobe: this kernel has no kprobe_events (CONFIG_KPROBE_EVENTS); use --backend tracepoint" \
		"$(tail -1 "$T/err")"
	check_eq "10: no file" "" "$(ls "$T"/r.wtrec* 2>/dev/null)"
fi

t_finish
