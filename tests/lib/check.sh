# check.sh - the pass/fail bookkeeping every shell test of wtrec shares
# (sourced, bash; each folder's lib.sh sources it first).
#
#   t_mktemp KIND           # $T = a fresh temp dir, removed at exit
#   t_at_exit FUNC          # FUNC runs at exit, before $T is removed
#   check "what" CMD...     # CMD must succeed (check_true: the same)
#   check_eq "what" EXPECTED ACTUAL
#   check_set "what" EXPECTED_LINES ACTUAL_LINES   # same lines, any order
#   pass WHAT / fail WHAT   # count one check by hand
#   t_skip REASON           # "SKIP: name: REASON", exit 77 (ctest skip)
#   t_bail REASON           # one more failure, then t_finish
#   t_finish                # "N passed, M failed"; exit 1 if any failed,
#                           # and when none ran (a test that checked
#                           # nothing proves nothing: skip with t_skip)
#   q SQL                   # query $T/db, tab-separated, no header
#
# TEST_KEEP=1 keeps $T (the folders' old REC_KEEP, RL_KEEP, E2E_KEEP and
# ECO_KEEP too); TEST_VERBOSE=1 prints every passed check.

set -u
TEST_NAME=$(basename "$0" .sh)
TEST_PASS=0
TEST_FAIL=0
TEST_AT_EXIT=()
TEST_KEEP=${TEST_KEEP:-${REC_KEEP:-${RL_KEEP:-${E2E_KEEP:-${ECO_KEEP:-}}}}}
TEST_VERBOSE=${TEST_VERBOSE:-${E2E_VERBOSE:-${ECO_VERBOSE:-}}}
T=

t_cleanup() {
	local f
	for f in "${TEST_AT_EXIT[@]}"; do
		"$f"
	done
	[ -n "$T" ] && [ -z "$TEST_KEEP" ] && rm -rf "$T"
	[ -n "$T" ] && [ -n "$TEST_KEEP" ] && echo "$TEST_NAME: kept $T"
	return 0
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

t_at_exit() {
	TEST_AT_EXIT+=("$1")
}

# t_mktemp KIND: $T = ${TMPDIR:-/tmp}/wtrec-KIND-<test>.XXXXXX
t_mktemp() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-$1-$TEST_NAME.XXXXXX") ||
		t_bail "cannot make a temporary directory"
}

t_skip() {
	echo "SKIP: $TEST_NAME: $*"
	exit 77
}

t_finish() {
	echo "$TEST_NAME: $TEST_PASS passed, $TEST_FAIL failed"
	if [ "$TEST_PASS" = 0 ] && [ "$TEST_FAIL" = 0 ]; then
		echo "FAIL: $TEST_NAME: no check ran"
		exit 1
	fi
	[ "$TEST_FAIL" = 0 ] || exit 1
	exit 0
}

t_bail() {
	echo "FAIL: $TEST_NAME: $*"
	TEST_FAIL=$((TEST_FAIL + 1))
	t_finish
}

pass() {
	TEST_PASS=$((TEST_PASS + 1))
	[ -n "$TEST_VERBOSE" ] && echo "ok: $*"
	return 0
}

fail() {
	TEST_FAIL=$((TEST_FAIL + 1))
	echo "FAIL: $TEST_NAME: $*"
	return 1
}

# check WHAT COMMAND... : the command must succeed
check() {
	local what=$1
	shift
	if "$@"; then pass "$what"; else fail "$what (command: $*)"; fi
}

check_true() {
	check "$@"
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1: expected [$2], got [$3]"
	fi
}

# check_set WHAT EXPECTED_LINES ACTUAL_LINES: the same lines (with
# repeats), in any order
check_set() {
	local e a
	e=$(printf '%s\n' "$2" | sed '/^$/d' | sort)
	a=$(printf '%s\n' "$3" | sed '/^$/d' | sort)
	if [ "$e" == "$a" ]; then
		pass "$1"
	else
		fail "$1: sets differ (< expected, > got):"
		diff <(echo "$e") <(echo "$a") | grep '^[<>]' | head -20
		return 1
	fi
}

# q SQL: query $T/db, tab-separated, no header
q() {
	sqlite3 -batch -noheader -separator '	' "$T/db" "$1"
}
