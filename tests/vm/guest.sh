#!/bin/bash
# guest.sh PLAN OUT - the VM tests' runner inside the guest (started by
# tests/vm/init; bash, root, the only tracer on this kernel).
#
# PLAN has one test a line, tab-separated: NAME, BACKEND ("-": none given),
# WORKDIR, COMMAND (as ctest would run it; the files sit at the host's
# paths).  Each test runs with TEST_KEEP=1 in a fresh TMPDIR, WTREC_BACKEND
# set when BACKEND is not "-", and a timeout; its output goes to
# OUT/logs/NAME.log, and every recording it kept (x.wtrec with the
# workload's log next to it) to OUT/rec/NAME/N/.  After every test the
# kernel must be clean: kprobe_events, dynamic_events and instances/ empty,
# no events/wtrec_* group, no wtrec or wtwork process left.  Leftovers fail
# the test and are removed before the next one.
#
# OUT gets: results (one line a test: PASS|FAIL NAME SECONDS [why], and
# SKIP1 NAME before it when a first attempt skipped: see run_one),
# facts (what this kernel offers the backends), dmesg, and last of all
# done ("N passed, M failed"): its absence tells the host the guest did
# not finish.
set -u
PLAN=${1:?usage: $0 PLAN OUT}
OUT=${2:?usage: $0 PLAN OUT}
TR=/sys/kernel/tracing
TEST_TIMEOUT=${VM_TEST_TIMEOUT:-300}
mkdir -p "$OUT/logs" "$OUT/rec"
: >"$OUT/results"
npass=0
nfail=0

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# What the kernel offers (the host prints it with the results; the README's
# matrix says what it means for each backend).
facts() {
	echo "release=$(uname -r)"
	echo "kprobe_events=$([ -e $TR/kprobe_events ] && echo yes || echo no)"
	echo "dynamic_events=$([ -e $TR/dynamic_events ] && echo yes || echo no)"
	if grep 'kernel return probes support:' $TR/README | grep -qF '$arg<N>'; then
		echo "retprobe_args=yes"
	else
		echo "retprobe_args=no"
	fi
	local f
	for f in kernel_wait4 kernel_waitid __do_sys_wait4 __do_sys_waitid do_exit; do
		if awk -v s="$f" '$3 == s && NF == 3 { found = 1 } END { exit !found }' /proc/kallsyms; then
			echo "kallsyms.$f=yes"
		else
			echo "kallsyms.$f=no"
		fi
	done
}

# leftovers: what recorders left in tracefs or as processes (empty: clean)
leftovers() {
	local f
	for f in kprobe_events dynamic_events; do
		[ -s $TR/$f ] && echo "$f: $(tr '\n' ';' <$TR/$f)"
	done
	[ -n "$(ls $TR/instances)" ] && echo "instances: $(ls $TR/instances | tr '\n' ' ')"
	ls -d $TR/events/wtrec_* >/dev/null 2>&1 &&
		echo "probe groups: $(cd $TR/events && ls -d wtrec_* | tr '\n' ' ')"
	local p
	p=$(ps -o pid,comm 2>/dev/null | awk '$2 == "wtrec" || $2 == "wtwork" { printf "%s%s %s", s, $1, $2; s = ", " }')
	[ -n "$p" ] && echo "processes: $p"
	return 0
}

# scrub: remove leftovers so the next test starts clean
scrub() {
	local pids
	pids=$(ps -o pid,comm 2>/dev/null | awk '$2 == "wtrec" || $2 == "wtwork" { print $1 }')
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
	sleep 0.2
	"$WTREC" record --cleanup >/dev/null 2>&1
	echo 0 >$TR/tracing_on 2>/dev/null
	echo >$TR/dynamic_events 2>/dev/null
	echo >$TR/kprobe_events 2>/dev/null
	local d
	for d in $TR/instances/*; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	echo 1 >$TR/tracing_on 2>/dev/null
}

# keep_recordings NAME: each kept x.wtrec with its log -> OUT/rec/NAME/N
keep_recordings() {
	local n=0 d
	for d in /tmp/run/tmp/*/; do
		[ -s "$d/x.wtrec" ] && [ -s "$d/log" ] || continue
		n=$((n + 1))
		mkdir -p "$OUT/rec/$1/$n"
		cp "$d/x.wtrec" "$d/log" "$OUT/rec/$1/$n/"
	done
}

# attempt NAME BACKEND DIR CMD: run one test, its output appended to its log
attempt() {
	(
		cd "$3" || exit 125
		export TMPDIR=/tmp/run/tmp TEST_KEEP=1 WTREC_VM_GUEST=1
		[ "$2" != - ] && export WTREC_BACKEND=$2
		exec timeout -k 5 "$TEST_TIMEOUT" bash -c "$4"
	) >>"$OUT/logs/$1.log" 2>&1 </dev/null
}

# A test that skips (77) is run once more: the guest gives every test what
# it needs, but a workload may skip on a race of its own (pidreuse, when a
# kernel thread takes the pid it meant to reuse).  A second skip fails.
run_one() {
	local name=$1 backend=$2 dir=$3 cmd=$4 t0 t1 rc why left
	rm -rf /tmp/run
	mkdir -p /tmp/run/tmp
	: >"$OUT/logs/$name.log"
	t0=$(uptime_s)
	attempt "$name" "$backend" "$dir" "$cmd"
	rc=$?
	if [ $rc = 77 ]; then
		echo "vm: $name skipped; once more: $(grep -m1 '^SKIP' "$OUT/logs/$name.log")"
		echo "vm: skipped, running it once more" >>"$OUT/logs/$name.log"
		echo "SKIP1 $name" >>"$OUT/results"
		rm -rf /tmp/run/tmp && mkdir -p /tmp/run/tmp
		attempt "$name" "$backend" "$dir" "$cmd"
		rc=$?
	fi
	t1=$(uptime_s)
	why=
	case $rc in
	0) ;;
	77) why="skipped twice in the guest: $(grep -m1 '^SKIP' "$OUT/logs/$name.log")" ;;
	124 | 137) why="timed out after ${TEST_TIMEOUT}s" ;;
	*) why="exit $rc" ;;
	esac
	left=$(leftovers)
	if [ -n "$left" ]; then
		why="${why:+$why; }left behind: $(echo "$left" | tr '\n' ';')"
		scrub
	fi
	keep_recordings "$name"
	rm -rf /tmp/run
	local secs
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	if [ -z "$why" ]; then
		npass=$((npass + 1))
		echo "PASS $name $secs" >>"$OUT/results"
		echo "vm: PASS $name (${secs}s)"
	else
		nfail=$((nfail + 1))
		echo "FAIL $name $secs $why" >>"$OUT/results"
		echo "vm: FAIL $name (${secs}s): $why"
		tail -n 30 "$OUT/logs/$name.log" | sed 's/^/vm:   | /'
	fi
}

# selfcheck: leftovers() sees an instance and a kprobe group of the
# recorders' naming, and scrub() removes them (else no check above can fail)
selfcheck() {
	local why= left
	mkdir $TR/instances/wtrec-0 || why="cannot make an instance"
	if [ -e $TR/kprobe_events ]; then
		echo 'p:wtrec_0/selfcheck do_exit' >>$TR/kprobe_events || why="cannot add a kprobe"
	fi
	left=$(leftovers)
	case $left in *"instances: wtrec-0"*) ;; *) why="leftovers() missed instance wtrec-0" ;; esac
	if [ -e $TR/kprobe_events ]; then
		case $left in *"probe groups: wtrec_0"*) ;; *) why="leftovers() missed probe group wtrec_0" ;; esac
	fi
	scrub
	[ -n "$(leftovers)" ] && why="scrub() left: $(leftovers)"
	if [ -z "$why" ]; then
		npass=$((npass + 1))
		echo "PASS vm_selfcheck 0" >>"$OUT/results"
	else
		nfail=$((nfail + 1))
		echo "FAIL vm_selfcheck 0 $why" >>"$OUT/results"
		echo "vm: FAIL vm_selfcheck: $why"
	fi
}

WTREC=$(sed -n 's/^wtrec=//p' "$PLAN.env")
facts >"$OUT/facts"
sed 's/^/vm: /' "$OUT/facts"
left=$(leftovers)
[ -n "$left" ] && echo "vm: not clean before the first test: $left"
selfcheck
while IFS=$'\t' read -r name backend dir cmd; do
	[ -n "$name" ] && run_one "$name" "$backend" "$dir" "$cmd"
done <"$PLAN"
dmesg >"$OUT/dmesg" 2>/dev/null
echo "vm: $npass passed, $nfail failed"
echo "$npass passed, $nfail failed" >"$OUT/done"
