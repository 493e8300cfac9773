#!/bin/bash
# run.sh SUITE SRC BUILD - the live tests on a real Debian kernel, in QEMU.
#
# One kernel of the matrix (SUITE: bullseye, bookworm, trixie) per run:
#  1. the kernel: fetch_kernel.sh, cached under BUILD/tests/vm/cache;
#  2. the plan: plan.sh (from BUILD's ctest list), and the initramfs:
#     mkinitramfs.sh, both in BUILD/tests/vm/SUITE/;
#  3. QEMU (TCG, one vCPU: see below) boots it; the guest runs guest.sh,
#     which writes into a virtio-9p share (BUILD/tests/vm/SUITE/out) and
#     powers off; QEMU runs under a timeout;
#  4. here: the guest must have finished (out/done), every guest test
#     passed, the console and dmesg show no oops, panic, BUG or WARNING;
#     then every recording the guest kept is analyzed on this host and
#     compared with its workload log (host_check.sh).
# Exit 0 when all of that holds, 1 otherwise, 77 (with the reason) when
# QEMU, busybox-static or cpio is missing (scripts/deps.sh vm installs
# them) or the kernel cannot be had from the registry.  Ends with
# "N passed, M failed" (guest tests + host checks).
#
# One vCPU: with two, trixie's 6.12 panicked in 1 of 4 runs under QEMU
# 7.2's TCG (int3 in ttwu_do_activate, from the live patching of the
# sched_wakeup hook that set_event_pid triggers); the same toggles on one
# vCPU ran 3,000 times clean.  KVM is not used: the hosts' /dev/kvm lacks
# VMX (WTREC_VM_ACCEL=kvm tries it anyway).
#
# Environment: WTREC_VM_TIMEOUT (s, QEMU's whole run, default 1500: a safety
# net against a hung guest, generous for a loaded machine and more scenarios),
# WTREC_VM_MEM (MiB, default 1536), WTREC_VM_KEEP=1 keeps the initramfs;
# to hunt a flaky guest test, WTREC_VM_TESTS=REGEX runs only the matching
# ones and WTREC_VM_REPEAT=N runs each N times (name#1 ... name#N);
# WTREC_VM_PLAN=FILE runs FILE's tests instead (guest.sh's format);
# WTREC_VM_WORKNAME=NAME works in BUILD/tests/vm/NAME instead of SUITE
# (ctest sets both to split each kernel into a kprobe and a tracepoint
# guest: tests/vm/CMakeLists.txt).
set -u
SUITE=${1:?usage: $0 SUITE SRC BUILD}
SRC=$(cd "${2:?usage: $0 SUITE SRC BUILD}" && pwd)
BUILD=$(cd "${3:?usage: $0 SUITE SRC BUILD}" && pwd)
HERE=$SRC/tests/vm
VMDIR=$BUILD/tests/vm
WORK=$VMDIR/${WTREC_VM_WORKNAME:-$SUITE}
TIMEOUT=${WTREC_VM_TIMEOUT:-1500}
QEMU_PID=

say() { echo "vm $SUITE: $*"; }
skip() { say "SKIP: $*"; exit 77; }

stop_qemu() {
	[ -n "$QEMU_PID" ] && kill -KILL "$QEMU_PID" 2>/dev/null
	return 0
}
trap stop_qemu EXIT
trap 'exit 130' INT TERM

QEMU=$(command -v qemu-system-x86_64) ||
	skip "qemu-system-x86_64 is not installed (scripts/deps.sh vm installs qemu-system-x86, busybox-static, cpio)"
command -v busybox >/dev/null && ! ldd "$(command -v busybox)" >/dev/null 2>&1 ||
	skip "no static busybox (scripts/deps.sh vm installs busybox-static)"
command -v cpio >/dev/null || skip "no cpio (scripts/deps.sh vm installs it)"
[ "$(uname -m)" = x86_64 ] || skip "the guests are x86_64 Debian kernels; this host is $(uname -m)"

t_start=$(date +%s.%N)
elapsed() { awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

KDIR=$("$HERE/fetch_kernel.sh" "$SUITE" "$VMDIR/cache")
rc=$?
[ $rc = 77 ] && skip "no $SUITE kernel from the registry (see above)"
[ $rc = 0 ] || { say "FAIL: cannot fetch the $SUITE kernel"; echo "0 passed, 1 failed"; exit 1; }
t_fetch=$(elapsed)

rm -rf "$WORK" && mkdir -p "$WORK/out" || { say "FAIL: cannot make $WORK"; exit 1; }
"$HERE/plan.sh" "$BUILD" "$SRC" "$WORK/plan" || { echo "0 passed, 1 failed"; exit 1; }
# An experiment's own guest tests (guest.sh's format) instead of the plan.
if [ -n "${WTREC_VM_PLAN:-}" ]; then
	cp "$WTREC_VM_PLAN" "$WORK/plan" || { say "FAIL: cannot read $WTREC_VM_PLAN"; exit 1; }
fi
# For hunting flaky tests: only the guest tests whose name matches
# WTREC_VM_TESTS (an extended regex), each WTREC_VM_REPEAT times.
if [ -n "${WTREC_VM_TESTS:-}" ] || [ "${WTREC_VM_REPEAT:-1}" != 1 ]; then
	awk -F'\t' -v OFS='\t' -v re="${WTREC_VM_TESTS:-.}" -v n="${WTREC_VM_REPEAT:-1}" '
		$1 ~ re { name = $1; for (i = 1; i <= n; i++) { $1 = n > 1 ? name "#" i : name; print } }' \
		"$WORK/plan" >"$WORK/plan.sel" && mv "$WORK/plan.sel" "$WORK/plan"
	[ -s "$WORK/plan" ] || { say "FAIL: WTREC_VM_TESTS=$WTREC_VM_TESTS selects no guest test"; exit 1; }
fi
# every program the plan's commands name, from the build tree
mapfile -t exes < <(awk -F'\t' '{ print $4 }' "$WORK/plan" | tr -d '"' | tr ' ' '\n' |
	sort -u | while read -r w; do
		[ -f "$w" ] && [ -x "$w" ] && head -c 4 "$w" | grep -q ELF && echo "$w"
	done)
"$HERE/mkinitramfs.sh" "$WORK/initrd.cpio" "$KDIR" "$SRC" "$WORK/plan" "${exes[@]}" ||
	{ say "FAIL: cannot build the initramfs"; echo "0 passed, 1 failed"; exit 1; }
t_prep=$(elapsed)

accel=tcg
[ "${WTREC_VM_ACCEL:-}" = kvm ] && accel=kvm
say "booting $(cat "$KDIR/release") (accel $accel, 1 vCPU, timeout ${TIMEOUT}s);" \
	"$(wc -l <"$WORK/plan") guest tests"
timeout -k 10 "$TIMEOUT" "$QEMU" -accel $accel -m "${WTREC_VM_MEM:-1536}" -smp 1 \
	-nodefaults -display none -no-reboot -monitor none \
	-serial "file:$WORK/console.log" \
	-kernel "$KDIR/vmlinuz" -initrd "$WORK/initrd.cpio" \
	-append "console=ttyS0 panic=-1 loglevel=5 rdinit=/init" \
	-virtfs "local,path=$WORK/out,mount_tag=out,security_model=none,id=out" \
	</dev/null >"$WORK/qemu.out" 2>&1 &
QEMU_PID=$!
wait $QEMU_PID
qrc=$?
QEMU_PID=
t_guest=$(elapsed)

pass=0
fail=0
bad() { fail=$((fail + 1)); say "FAIL: $*"; }

grep -h '^vm: ' "$WORK/console.log" 2>/dev/null | sed "s/^vm: /vm $SUITE: guest: /"
case $qrc in
0) ;;
124 | 137) bad "QEMU did not finish within ${TIMEOUT}s (killed)" ;;
*) bad "QEMU exited $qrc: $(head -c 600 "$WORK/qemu.out")" ;;
esac
# what the guest got through, also when it did not finish
if [ -f "$WORK/out/results" ]; then
	pass=$((pass + $(awk '$1 == "PASS"' "$WORK/out/results" | wc -l)))
	retried=$(awk '$1 == "SKIP1" { printf "%s%s", s, $2; s = " " }' "$WORK/out/results")
	[ -n "$retried" ] && say "skipped once and run again: $retried"
	while read -r _ name secs why; do
		bad "guest test $name ($secs s): $why (log: $WORK/out/logs/$name.log)"
	done < <(awk '$1 == "FAIL"' "$WORK/out/results")
fi
if [ ! -s "$WORK/out/done" ]; then
	bad "the guest did not finish (no out/done); the console's last lines:"
	tail -n 40 "$WORK/console.log" 2>/dev/null | sed 's/^/  | /'
fi
# An oops (or panic, or a WARN) anywhere in the run fails it.  dmesg has
# what the console's loglevel did not print.
oops='Oops|BUG:|Kernel panic|general protection fault|WARNING: CPU|Call Trace:|kernel BUG'
if grep -Eq "$oops" "$WORK/console.log" "$WORK/out/dmesg" 2>/dev/null; then
	bad "the kernel oopsed or warned:"
	grep -Eh -m 20 -A 8 "$oops" "$WORK/console.log" "$WORK/out/dmesg" 2>/dev/null | sed 's/^/  | /'
else
	pass=$((pass + 1))
fi

# The guest's recordings, analyzed here.
WTREC=$(sed -n 's/^wtrec=//p' "$WORK/plan.env")
WTWORK=$(sed -n 's/^wtwork=//p' "$WORK/plan.env")
retargs=$(sed -n 's/^retprobe_args=//p' "$WORK/out/facts" 2>/dev/null)
nrec=0
for d in "$WORK"/out/rec/*/*/; do
	[ -s "$d/x.wtrec" ] || continue
	nrec=$((nrec + 1))
	what=${d#"$WORK/out/rec/"}
	what=${what%/}
	if bash "$HERE/host_check.sh" "$WTREC" "$WTWORK" "$d" "${retargs:-no}" >"$d/host_check.out" 2>&1; then
		pass=$((pass + 1))
	else
		bad "host analysis of $what:"
		tail -n 20 "$d/host_check.out" | sed 's/^/  | /'
	fi
done
[ -s "$WORK/out/done" ] && [ $nrec = 0 ] && bad "the guest kept no recording to analyze"
t_end=$(elapsed)

say "kernel facts: $(grep -v '^release=' "$WORK/out/facts" 2>/dev/null | tr '\n' ' ')"
say "times: fetch ${t_fetch}s, initramfs $(awk -v a="$t_fetch" -v b="$t_prep" 'BEGIN { printf "%.1f", b - a }')s," \
	"guest $(awk -v a="$t_prep" -v b="$t_guest" 'BEGIN { printf "%.1f", b - a }')s," \
	"host analysis of $nrec recordings $(awk -v a="$t_guest" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')s; total ${t_end}s"
[ "${WTREC_VM_KEEP:-}" = 1 ] || [ $fail != 0 ] || rm -f "$WORK/initrd.cpio"
echo "vm_$SUITE: $pass passed, $fail failed"
[ $fail = 0 ]
