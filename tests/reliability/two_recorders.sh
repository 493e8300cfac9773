#!/bin/bash
# two_recorders.sh - two `wtrec record -- COMMAND` at once.  Both finish
# (exit 0, TRAILER), neither removes the other's instance (nor does a
# `wtrec record --cleanup` run while both record), and each file holds only
# its own command's processes: every pid with a wait call, a fork, an exec
# or an exit in `wtrec analyze --sql` is one its own shell wrote down
# ($$ and each $!), never one of the other's.
. "$(dirname "$0")/lib.sh"
rl_init
need_live

# a shell that forks N short children one after the other and waits for
# each; it writes its own pid and each child's into $1
work() {
	echo "sh -c 'echo \$\$ >$1; for i in $(seq -s " " "$2"); do sleep 0.1 & echo \$! >>$1; wait; done'"
}

eval "rl_start \"$T/a.out\" \"$T/a.err\" -q -b 512 -o \"$T/a.wtrec\" -- $(work "$T/a.pids" 8)"
A=$REC_PID
check "A started recording" wait_started "$T/a.wtrec" "$A"
eval "rl_start \"$T/b.out\" \"$T/b.err\" -q -b 512 -o \"$T/b.wtrec\" -- $(work "$T/b.pids" 4)"
B=$REC_PID
check "B started recording" wait_started "$T/b.wtrec" "$B"
check "B's setup (its sweep) left A's instance wtrec-$A" instance_exists "$A"
"$WTREC" record --cleanup >"$T/c.out" 2>"$T/c.err"
check_eq "--cleanup while both record: exit status" 0 "$?"
check "--cleanup left A's instance wtrec-$A" instance_exists "$A"
check "--cleanup left B's instance wtrec-$B" instance_exists "$B"
check "--cleanup did not claim to remove A or B" \
	not grep -Eq "wtrec-($A|$B)\b" "$T/c.err"

wait "$B"
check_eq "B exit status" 0 "$?"
check "A still recording after B finished: wtrec-$A" instance_exists "$A"
wait "$A"
check_eq "A exit status" 0 "$?"
cat "$T/a.err" "$T/b.err"
for r in a b; do
	check "$r: file ends with TRAILER" "$LASTCHUNK" "$T/$r.wtrec" >/dev/null
done
check "instance wtrec-$A removed" instance_gone "$A"
check "instance wtrec-$B removed" instance_gone "$B"

# pids with activity in each file, from the model
pids_in() {
	"$WTREC" analyze "$1" -f csv --sql "
		SELECT pid FROM wait_call
		UNION SELECT pid FROM process
		WHERE fork_ns IS NOT NULL OR exec_ns IS NOT NULL OR exit_ns IS NOT NULL
		ORDER BY 1" 2>/dev/null | tail -n +2 | tr -d '\r'
}
for r in a b; do
	o=$([ $r = a ] && echo b || echo a)
	pids_in "$T/$r.wtrec" >"$T/$r.seen"
	sort -n "$T/$r.pids" >"$T/$r.own"
	check "$r: its model has activity" [ -s "$T/$r.seen" ]
	check_eq "$r: pids with activity = its own command's" \
		"$(cat "$T/$r.own")" "$(cat "$T/$r.seen")"
	check_eq "$r: none of $o's pids" "" "$(grep -Fxf "$T/$o.pids" "$T/$r.seen")"
	check_eq "$r: wait calls of its shell" "$(head -1 "$T/$r.pids")" \
		"$("$WTREC" analyze "$T/$r.wtrec" -f csv --sql \
		   "SELECT DISTINCT pid FROM wait_call" 2>/dev/null | tail -n +2 | tr -d '\r')"
done
t_finish
