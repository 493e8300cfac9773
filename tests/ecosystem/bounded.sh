#!/bin/bash
# bounded.sh WTREC WTWORK - live (root): the HTML report and the timeline
# of a WNOHANG poller stay small.  `wtwork pollstorm 2` spins on
# wait4(-1, WNOHANG) for 2 s (millions of calls, counted in its log); its
# recording's --html page and --timeline file are each under 5 MB, and
# the poller's calls are one span / one slice whose count is the log's
# (when no event was lost), named as the call.  Sizes are printed.
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/live.sh
. "$(dirname "$0")/../lib/live.sh"
eco_init "$1"
WTWORK=${2:?usage: $0 WTREC WTWORK}
need_live

"$WTREC" record -q -o "$T/poll.wtrec" -- "$WTWORK" pollstorm 2 -l "$T/log" \
	>"$T/record.out" 2>"$T/record.err" || t_bail "wtrec record failed: $(tail -3 "$T/record.err")"
read -r calls tid < <(awk -F'\t' '$1 == "pollstorm" { print $2, $3 }' "$T/log")
[ -n "$calls" ] || t_bail "no pollstorm line in the log"
echo "poller: $calls calls by tid $tid"
"$WTREC" analyze "$T/poll.wtrec" -o "$T/db" >/dev/null 2>"$T/analyze.err" ||
	t_bail "wtrec analyze failed: $(cat "$T/analyze.err")"
lost=$(q "SELECT sum(lost_events) FROM recording")

"$WTREC" analyze "$T/db" --html "$T/poll.html" 2>"$T/err"
check_eq "--html: exit status" 0 $?
"$WTREC" analyze "$T/db" --timeline "$T/poll.json" 2>"$T/err"
check_eq "--timeline: exit status" 0 $?
hs=$(stat -c %s "$T/poll.html") ts=$(stat -c %s "$T/poll.json")
echo "sizes for $calls polls: html $hs bytes, timeline $ts bytes"
check_true "--html of $calls polls: under 5 MB ($hs bytes)" [ "$hs" -le 5242880 ]
check_true "--timeline of $calls polls: under 5 MB ($ts bytes)" [ "$ts" -le 5242880 ]

awk '/id="wtrec-data">/ { on = 1; sub(/.*id="wtrec-data">/, "") }
     on && /^}<\/script>/ { print "}"; exit } on' "$T/poll.html" >"$T/data.json"
J="readfile('$T/data.json')"
# the poller's biggest span: a run of empty WNOHANG polls
read -r kind n < <(q "SELECT json_extract(i.value, '\$[1]'), json_extract(i.value, '\$[2]')
	FROM json_each($J, '\$.calls.items') i
	JOIN thread t ON t.utid = json_extract(i.value, '\$[0]') WHERE t.tid = $tid
	ORDER BY json_extract(i.value, '\$[2]') DESC LIMIT 1" | tr '\t' ' ')
read -r scalls sname < <(q "SELECT json_extract(value, '\$.args.calls'), json_extract(value, '\$.name')
	FROM json_each(readfile('$T/poll.json'), '\$.traceEvents')
	WHERE json_extract(value, '\$.cat') = 'wait' ORDER BY json_extract(value, '\$.args.calls') DESC
	LIMIT 1" | tr '\t' ' ')
check_eq "--html: the poller's calls are one run" run "$kind"
check_true "--timeline: the run's slice is named as the call with its count" \
	grep -q "^wait4(P_ALL, WNOHANG) ×$scalls$" <<<"$sname"
if [ "$lost" = 0 ]; then
	# the log counts the loop's calls; the run holds them, plus the one
	# empty poll before the loop, if any, of the same kind
	check_true "--html: the run holds the log's $calls polls (got $n)" [ "$n" -ge "$calls" ] && [ "$n" -le $((calls + 1)) ]
	check_eq "--timeline: the slice's count is the html run's" "$n" "$scalls"
else
	echo "NOTE: $lost events lost: the run holds $n of the log's $calls polls"
	check_true "--html: the run holds at most the log's polls" [ "$n" -le $((calls + 1)) ]
fi
t_finish
