#!/bin/bash
# summary_check.sh WTREC WTWORK - offline, no root: lib.sh's
# e2e_summary_check (every summary number recomputed from the rows it
# summarizes, tests/e2e/summary_recompute.sql) passes on the shipped
# sample's database and FAILS on copies whose summary tables were made to
# disagree with the rows: a reap counted in wait_outcome that no wait_call
# row has, a child whose reap the process row forgot, a failed wait whose
# row says benign while wait_outcome counts it as one to attend to.  A check that cannot fail checks nothing.
. "$(dirname "$0")/lib.sh"
e2e_init "$1" "$2" offline

sample=$SRC/samples/wtwork.wtrec
[ -f "$sample" ] || t_skip "no sample in $SRC/samples"
e2e_analyze "$sample"
cp "$T/db" "$T/good.db"

# e2e_summary_check counts its own checks; run it on a copy in a subshell
# and report only whether it found a disagreement
summary_fails() {
	(TEST_PASS=0; TEST_FAIL=0; e2e_summary_check "$1" >"$T/check.out" 2>&1
	 [ "$TEST_FAIL" -gt 0 ] && [ "$TEST_PASS" -gt 0 ])
}
summary_holds() {
	(TEST_PASS=0; TEST_FAIL=0; e2e_summary_check "$1" >"$T/check.out" 2>&1
	 rc=$?; [ $rc = 0 ] && [ "$TEST_FAIL" = 0 ] && [ "$TEST_PASS" -gt 10 ])
}

check_true "the sample's summary is recomputed from its rows" summary_holds "$T/good.db"
[ -s "$T/check.out" ] && cat "$T/check.out"

tamper() {
	cp "$T/good.db" "$T/bad.db"
	sqlite3 "$T/bad.db" "$1" || t_bail "cannot tamper: $1"
}
tamper "UPDATE wait_outcome SET calls = calls + 1 WHERE rowid =
	(SELECT rowid FROM wait_outcome WHERE outcome = 'reaped' LIMIT 1)"
check_true "a reap wait_outcome counts and wait_call lacks: caught" summary_fails "$T/bad.db"
grep -q "wait_call rows say" "$T/check.out" || fail "no message naming the rows: $(cat "$T/check.out")"

tamper "UPDATE process SET reap_call_id = NULL WHERE upid =
	(SELECT upid FROM process WHERE reap_call_id IS NOT NULL AND traced = 1
	 AND parent_upid IN (SELECT upid FROM process WHERE traced = 1) LIMIT 1)"
check_true "a child reaped by a wait_call row but not by its process row: caught" \
	summary_fails "$T/bad.db"

tamper "UPDATE wait_call SET error_class = 'no_children' WHERE id =
	(SELECT id FROM wait_call WHERE error_class = 'lost_child' LIMIT 1)"
check_true "a lost child the summary counts and the rows call benign: caught" \
	summary_fails "$T/bad.db"
t_finish
