#!/bin/bash
# info_counts.sh WTREC WTWORK - `wtrec info -p TIDS` counts exactly as many
# sys_enter/sys_exit events of wait4 and waitid (wait4_enter/wait4_exit ...
# in a kprobe recording) as the workload's log has calls of each, for
# several scenarios; the trailer is present and no event was lost.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

# info_count FILE EVENT: the number on the line naming EVENT (last field)
info_count() {
	awk -v ev="$2" '{ for (i = 1; i <= NF; i++) if ($i == ev || $i ~ ":" ev "$") { print $NF; exit } }' "$1"
}

for sc in basic stolen autoreap peek; do
	e2e_record $sc
	tids=$(log_tids)
	"$WTREC" info -p "$tids" "$T/x.wtrec" >"$T/info.txt" 2>"$T/info.err"
	check_eq "$sc: wtrec info exit status" 0 $?
	for sys in wait4 waitid; do
		want=$(log_count_calls $sys)
		# a kprobe recording names the events after its probes
		enter=sys_enter_$sys exit=sys_exit_$sys
		grep -q '^  backend=kprobe$' "$T/info.txt" && enter=${sys}_enter exit=${sys}_exit
		check_eq "$sc: $enter of threads $tids" "$want" \
			"$(info_count "$T/info.txt" $enter)"
		check_eq "$sc: $exit of threads $tids" "$want" \
			"$(info_count "$T/info.txt" $exit)"
	done
	check_true "$sc: trailer present" grep -Eq '^trailer:[[:space:]]+present' "$T/info.txt"
	check_eq "$sc: lost events" 0 \
		"$(awk '/^lost events:/ { print $3 }' "$T/info.txt")"
done
t_finish
