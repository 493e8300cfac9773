# lib.sh - what the live findings' tests share (sourced, bash): the
# bookkeeping (tests/lib/check.sh), recording helpers (tests/lib/live.sh),
# the comparisons with offline analysis (tests/lib/follow.sh), and facts
# from wtwork's logs, the ground truth (never wtrec's own output).
#
#   lv_init WTREC DRIBBLE WTWORK POLLLOOP LASTCHUNK  # $WTREC ... set, $T made
#   jkind JSONL KIND FIELD...    # the FIELDs of JSONL's KIND lines, tab-separated
#   wait_for SECS CMD...         # until CMD succeeds (bounded; 1 if never)

# shellcheck source=../lib/live.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/live.sh"
# shellcheck source=../lib/follow.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/follow.sh"

LV_PIDS=()   # background processes of the test: killed at exit

lv_kill() {
	local p
	for p in "${LV_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	return 0
}
t_at_exit lv_kill

lv_init() {
	# absolute: the tests run their workloads from $T
	WTREC=$(readlink -f "${1:?usage: $0 WTREC DRIBBLE WTWORK POLLLOOP}")
	DRIBBLE=$(readlink -f "${2:?}")
	WTWORK=$(readlink -f "${3:?}")
	POLLLOOP=$(readlink -f "${4:?}")
	LASTCHUNK=$(readlink -f "${5:?}") # tests/record's reader probe (meta_value)
	SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	DATA=$SRC/tests/live/data
	for b in "$WTREC" "$DRIBBLE" "$WTWORK" "$POLLLOOP" "$LASTCHUNK"; do
		[ -x "$b" ] || t_bail "not built: $b"
	done
	t_mktemp live
}

# jkind JSONL KIND FIELD...: one line per KIND line, its FIELDs tab-separated
jkind() {
	local jl=$1 kind=$2 sel="" f
	shift 2
	for f in "$@"; do
		sel="$sel${sel:+, }json_extract(line, '\$.$f')"
	done
	jsonl_load "$jl" "$T/jk.db"
	sqlite3 -batch -noheader -separator '	' "$T/jk.db" \
		"SELECT $sel FROM j WHERE json_extract(line, '\$.kind') = '$kind'
		 ORDER BY rowid"
}

# wait_for SECS CMD...: a bounded wait, not a timing assertion
wait_for() {
	local secs=$1 _
	shift
	for _ in $(seq $((secs * 20))); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

# zombies_aged JSONL LO HI: pid and parent of the zombie lines of an age in
# [LO, HI) seconds, tab-separated
zombies_aged() {
	jkind "$1" zombie pid parent_pid age_ns | awk -F'\t' -v OFS='\t' \
		-v lo="$2" -v hi="$3" '$3 >= lo * 1e9 && $3 < hi * 1e9 { print $1, $2 }'
}

# log_lines LOG KIND COLS: the awk columns COLS ("$2, $3") of KIND lines
log_lines() {
	awk -F'\t' -v OFS='\t' -v k="$2" "\$1 == k { print $3 }" "$1"
}
