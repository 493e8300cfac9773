#!/bin/bash
# harness_check.sh SRC BUILD - run.sh fails when it must.  One bookworm
# guest (in BUILD/tests/vm/harness, beside the matrix's folders) runs a
# plan of tests that each break one rule, and run.sh must exit 1 naming
# every break:
#   fails        a guest test that exits 1
#   leaves       one that leaves an instance wtrec-99 in tracefs
#   badlog       one whose recording disagrees with its workload log (the
#                log's exit code of a child changed): the host's analysis
#   crash        the kernel panics (sysrq c): the guest never finishes and
#                the console shows the panic
# and a test that passes must still count as passed.  Skips (77) where
# run.sh skips.
set -u
SRC=$(cd "${1:?usage: $0 SRC BUILD}" && pwd)
BUILD=$(cd "${2:?usage: $0 SRC BUILD}" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-vm-harness.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

WTREC=$BUILD/wtrec
WTWORK=$BUILD/tests/workload/wtwork
TR=/sys/kernel/tracing
rec="d=\$TMPDIR/r && mkdir -p \$d && $WTREC record -q -o \$d/x.wtrec -- $WTWORK basic -l \$d/log"
{
	printf 'passes\t-\t/tmp\ttrue\n'
	printf 'fails\t-\t/tmp\tfalse\n'
	printf 'leaves\t-\t/tmp\tmkdir %s/instances/wtrec-99\n' $TR
	printf 'badlog\t-\t/tmp\t%s && sed -i "s/^child_exit\\t\\([0-9]*\\)\\texited\\t10$/child_exit\\t\\1\\texited\\t99/" $d/log\n' "$rec"
	printf 'crash\t-\t/tmp\techo c > /proc/sysrq-trigger\n'
} >"$T/plan"
WTREC_VM_PLAN=$T/plan WTREC_VM_WORKNAME=harness WTREC_VM_TIMEOUT=300 \
	bash "$SRC/tests/vm/run.sh" bookworm "$SRC" "$BUILD" >"$T/out" 2>&1
rc=$?
[ $rc = 77 ] && { grep SKIP "$T/out"; exit 77; }
cat "$T/out"
[ $rc = 1 ] && ok || bad "run.sh exited $rc, not 1"
has() { # WHAT REGEX
	if grep -Eq "$2" "$T/out"; then ok; else bad "$1: no line matching /$2/"; fi
}
has "a failing guest test is named" 'FAIL: guest test fails .*exit 1'
has "a leftover instance is named" 'FAIL: guest test leaves .*left behind: instances: wtrec-99'
has "the host's analysis catches a wrong log" 'FAIL: host analysis of badlog/1'
has "a guest that did not finish is caught" 'FAIL: the guest did not finish'
has "the panic is caught" 'FAIL: the kernel oopsed or warned'
has "a passing guest test counts" 'guest: PASS passes'
echo "vm_harness: $pass passed, $fail failed"
[ $fail = 0 ]
