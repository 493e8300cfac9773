#!/bin/bash
# html.sh WTREC [ARTIFACT_DIR] - `wtrec analyze --html` on the sample
# recording, opened in a real browser: Debian's Chromium, headless, driven
# by playwright-core (tests/ecosystem/html_dom.mjs).  What the workload's
# log (samples/wtwork.log, the syscalls' own results) implies must be in
# the page's DOM:
#   a lane and an "alive" span for every fork (twice for a recycled pid);
#   an arrow from each reaped child to the thread whose wait reaped it;
#   a stolen-reap marker naming child, thief and victim for each steal;
#   ECHILD markers on each thread as many as its calls that got ECHILD;
#   an auto-reap marker for each auto-reaped child, a never-reaped zombie
#   span for each zombie;
#   every call of the log's threads drawn once: each run of consecutive
#   WNOHANG calls that found nothing (or failed alike) as one span with
#   its count, every other call as a span of its own;
# and the page: loads with no console message and no request but itself;
# has no external script, style, font or image; a click on a marker, an
# arrow, a lane, a run and a tree line shows its details with the SQL row
# and its query; "+" zooms, a drag pans.  Then, with the budgets lowered
# (WTREC_HTML_MAX_PROCS/ITEMS), the page says what it aggregated and still
# accounts for every call.  The screenshot is kept in ARTIFACT_DIR
# (default: the build tree's artifacts/).
. "$(dirname "$0")/lib.sh"
eco_init "$1"
ART=${2:-$(dirname "$WTREC")/artifacts}
eco_sample_db
eco_load_log
eco_need_browser playwright-core
mkdir -p "$ART"

"$WTREC" analyze "$T/db" --html "$T/r.html" >"$T/out" 2>"$T/err"
check_eq "--html: exit status" 0 $?
check_eq "--html: nothing on stdout" "" "$(cat "$T/out")"
check_eq "--html: nothing on stderr" "" "$(cat "$T/err")"
size=$(stat -c %s "$T/r.html")
echo "sample page: $size bytes"
check_true "--html: page under 5 MB ($size bytes)" [ "$size" -le 5242880 ]
check_eq "page: no external script, style, font or image" "" \
	"$(grep -oiE '<(script|link|img|iframe)[^>]+(src|href)="[^"d][^"]*"|url\(["'\'']?https?:|@import|@font-face' "$T/r.html")"
"$WTREC" analyze "$SAMPLE" --html - >"$T/r2.html" 2>/dev/null
check_true "--html - (stdout), from the recording: the same page" cmp -s "$T/r.html" "$T/r2.html"

node "$NODE_DIR/html_dom.mjs" "$T/r.html" "$ART/eco_html_sample.png" >"$T/dom" 2>"$T/node.err"
check_eq "browser: html_dom.mjs exit status" 0 $?
check_eq "browser: no error output" "" "$(cat "$T/node.err")"
echo "screenshot: $ART/eco_html_sample.png"
check_true "browser: screenshot kept ($ART/eco_html_sample.png)" [ -s "$ART/eco_html_sample.png" ]
check_eq "browser: no console message, no page error" "" "$(grep '^console ' "$T/dom")"
check_eq "browser: the only request is the page itself" "request file://$T/r.html" \
	"$(grep '^request ' "$T/dom" | sort -u)"

forks=$(lq "SELECT group_concat(pid, ' ') FROM fork")
# dom KIND: the facts of KIND about the log's processes/threads (field 2)
dom() { awk -v k="$1" -v keep="$2" 'BEGIN { n = split(keep, a, " "); for (i = 1; i <= n; i++) s[a[i]] = 1 }
	$1 == k && ($2 in s)' "$T/dom"; }
tids=$(lq "SELECT group_concat(DISTINCT tid) FROM call" | tr ',' ' ')

check_set "a lane per fork" "$(lq "SELECT 'lane ' || pid FROM fork")" "$(dom lane "$forks")"
check_set "an alive span per fork" "$(lq "SELECT 'alive ' || pid FROM fork")" "$(dom alive "$forks")"
check_set "an arrow per reap (child, reaping thread)" \
	"$(lq "SELECT 'arrow ' || reaped || ' ' || tid FROM call WHERE reaped > 0")" "$(dom arrow "$forks")"
check_set "a stolen-reap marker per steal (child thief victim)" \
	"$(lq "SELECT 'steal ' || child || ' ' || thief || ' ' || victim FROM steal")" "$(grep '^steal ' "$T/dom")"
check_set "ECHILD markers per thread (tid calls)" \
	"$(lq "SELECT 'echild ' || tid || ' ' || count(*) FROM call WHERE errno = 'ECHILD' GROUP BY tid")" \
	"$(dom echild "$tids" | awk '{ n[$2] += $3 } END { for (t in n) print "echild", t, n[t] }')"
check_set "an auto-reap marker per auto-reaped child" \
	"$(lq "SELECT 'autoreap ' || pid FROM fate WHERE kind = 'autoreaped'")" "$(dom autoreap "$forks")"
check_set "a never-reaped zombie span per zombie" \
	"$(lq "SELECT 'zombie-never-reaped ' || pid FROM fate WHERE kind = 'zombie'")" \
	"$(dom zombie-never-reaped "$forks")"

# The log's calls cut into runs: per thread, in log order, consecutive
# WNOHANG calls that reaped nothing and reported nothing, with the same
# result and the same syscall/idtype/target.
runs_from_log() {
	lq "WITH c AS (SELECT rowid AS r, *, CASE WHEN (options & 1) = 1 AND reaped = 0 AND status = '-'
	              THEN errno || ':' || syscall || ':' || idtype || ':' || target END AS k FROM call),
	    l AS (SELECT *, LAG(k) OVER (PARTITION BY tid ORDER BY r) AS pk FROM c),
	    g AS (SELECT *, sum(k IS NULL OR pk IS NULL OR k <> pk) OVER (PARTITION BY tid ORDER BY r) AS grp FROM l)
	    SELECT CASE WHEN count(*) > 1 THEN 'run' ELSE 'call' END || ' ' || tid || ' ' || count(*)
	    FROM g GROUP BY tid, grp"
}
check_set "every call of the log's threads drawn once: runs of empty polls as one span with a count" \
	"$(runs_from_log | sed 's/^/span /')" "$(awk -v keep="$tids" '
		BEGIN { n = split(keep, a, " "); for (i = 1; i <= n; i++) s[a[i]] = 1 }
		$1 == "span" && ($3 in s)' "$T/dom")"
check_true "the log has runs of empty polls (the check above means something)" \
	grep -q '^run ' <(runs_from_log)

# clicks: the details pane shows the SQL row and its query
click() { sed -n "s/^click $1: //p" "$T/dom"; }
steal1=$(lq "SELECT victim FROM steal LIMIT 1")
check_true "click on a stolen-reap marker: stolen_v row and query, victim tid $steal1" \
	grep -q "SELECT \* FROM stolen_v WHERE victim_call_id = .*victim_tid$steal1" <(click steal)
check_true "click on an arrow: the reap and its wait_call" grep -q "reaped by tid .*by wait_call [0-9]" <(click arrow)
check_true "click on a lane: the process row" grep -q "SELECT \* FROM process WHERE upid = [0-9]*;.*Rowof html/data.sql, section processes.*upid[0-9]" <(click lane)
check_true "click on a run: the calls' query and the first row" \
	grep -q "SELECT \* FROM wait_call WHERE utid = [0-9]* AND id BETWEEN [0-9]* AND [0-9]*;.*Rowof html/data.sql.*id[0-9]" <(click run)
check_true "click on a tree line: the process" grep -q "^process.*SELECT \* FROM process WHERE upid" <(click tree)
read -r _ w0 w1 < <(grep '^zoom ' "$T/dom")
check_true "zoom +: an alive span twice as wide ($w0 -> $w1)" awk -v a="$w0" -v b="$w1" 'BEGIN { exit !(b > 1.9 * a) }'
read -r _ x0 x1 < <(grep '^pan ' "$T/dom")
check_true "drag 200 px left: the span moves left ($x0 -> $x1)" awk -v a="$x0" -v b="$x1" 'BEGIN { exit !(a - b > 150) }'

# island PAGE: the page's data island (the JSON in #wtrec-data)
island() {
	awk '/id="wtrec-data">/ { on = 1; sub(/.*id="wtrec-data">/, "") }
	     on && /^}<\/script>/ { print "}"; exit }
	     on' "$1"
}
check_eq "the data island is JSON" 1 "$(island "$T/r.html" >"$T/r.json"; q "SELECT json_valid(readfile('$T/r.json'))")"

# Budgets lowered: the page says what it aggregated, and still counts
# every call of the database once.
WTREC_HTML_MAX_PROCS=20 WTREC_HTML_MAX_ITEMS=10 "$WTREC" analyze "$T/db" --html "$T/small.html" 2>/dev/null
check_eq "--html with small budgets: exit status" 0 $?
node "$NODE_DIR/html_dom.mjs" "$T/small.html" "$ART/eco_html_budget.png" >"$T/dom2" 2>"$T/node2.err"
check_eq "browser (small budgets): no console message" "" "$(grep '^console ' "$T/dom2")"
check_eq "small budgets: 20 lanes" 20 "$(grep -c '^lane ' "$T/dom2")"
for p in $(lq "SELECT pid FROM fate WHERE kind IN ('zombie', 'autoreaped')") \
	$(lq "SELECT victim FROM steal"); do
	check_true "small budgets: lane of pid $p (a finding) still drawn" grep -qx "lane $p" "$T/dom2"
done
island "$T/small.html" >"$T/small.json"
J="readfile('$T/small.json')"
check_eq "small budgets: the data island is JSON" 1 "$(q "SELECT json_valid($J)")"
check_eq "small budgets: groups of K spans (K > 1)" 1 "$(q "SELECT json_extract($J, '\$.calls.info.group_size') > 1")"
check_eq "small budgets: the drawn spans count every call of the drawn lanes" \
	"$(q "SELECT json_extract($J, '\$.calls.info.rows')")" \
	"$(q "SELECT sum(json_extract(value, '\$[2]')) FROM json_each($J, '\$.calls.items')")"
check_eq "small budgets: rows = the wait calls of the drawn processes" \
	"$(q "SELECT count(*) FROM wait_call WHERE utid IS NOT NULL AND upid IN
	      (SELECT json_extract(value, '\$[0]') FROM json_each($J, '\$.processes.rows'))")" \
	"$(q "SELECT json_extract($J, '\$.calls.info.rows')")"
check_true "small budgets: the page says spans were grouped" \
	grep -q "^note Beyond the budget of 10 spans .* every [0-9]* consecutive spans of a thread" "$T/dom2"
check_true "small budgets: the page says lanes were left out" \
	grep -q "^note [0-9]* of [0-9]* processes are not drawn (at most 20 lanes" "$T/dom2"
check_true "full budgets: the page says runs of polls are one span each" \
	grep -q "^note [0-9]* wait calls in [0-9]* runs of empty" "$T/dom"
check_true "small budgets: lanes not drawn are counted" \
	[ "$(q "SELECT json_extract($J, '\$.lanes_budget.rows[0][0]') > json_extract($J, '\$.lanes_budget.rows[0][1]')")" = 1 ]
t_finish
