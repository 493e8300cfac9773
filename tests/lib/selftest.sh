#!/bin/bash
# selftest.sh TEST_TCHECK - the two test libraries fail a test that ran no
# check, pass one whose checks passed, fail one with a failed check, and
# (check.sh) skip with 77.  Each scenario runs in a child and its exit
# status is compared here, outside the library under test.
TCHECK=${1:?usage: $0 TEST_TCHECK}
LIB=$(cd "$(dirname "$0")" && pwd)
bad=0 n=0

# want STATUS WHAT CMD...
want() {
	local st=$1 what=$2
	shift 2
	"$@" >/dev/null 2>&1
	local got=$?
	n=$((n + 1))
	if [ "$got" != "$st" ]; then
		echo "FAIL: $what: exit status $got, want $st"
		bad=$((bad + 1))
	fi
}
sh_case() { # BODY: a bash script that sources check.sh, then BODY
	bash -c ". '$LIB/check.sh'; $1"
}

want 1 "check.sh: no check, then t_finish" sh_case 't_finish'
want 0 "check.sh: one passing check" sh_case 'check_eq x 1 1; t_finish'
want 1 "check.sh: a failing check" sh_case 'check_eq x 1 1; check_eq y 1 2; t_finish'
want 77 "check.sh: t_skip" sh_case 't_skip "no reason"'
want 1 "check.sh: t_bail" sh_case 'check_eq x 1 1; t_bail "gave up"'
want 1 "tcheck.h: no check" "$TCHECK" none
want 0 "tcheck.h: one passing check" "$TCHECK" pass
want 1 "tcheck.h: a failing check" "$TCHECK" fail
want 0 "tcheck.h: CHECK evaluates its message only on failure" "$TCHECK" lazy
echo "selftest: $((n - bad)) passed, $bad failed"
[ "$bad" = 0 ] && [ "$n" -gt 0 ]
