#!/bin/bash
# timeline_view.sh WTREC [ARTIFACT_DIR] - the offline viewer the README
# and wtrec(1) name for --timeline really opens it: speedscope (npm, its
# offline build) in Debian's Chromium, headless, with no network.  The
# sample's timeline imports: the title names the file, speedscope lists
# a profile per track of the trace (at least one per thread of the log
# that called wait), no page error or console error, and every request is
# a local file.  A screenshot is kept in ARTIFACT_DIR.
. "$(dirname "$0")/lib.sh"
eco_init "$1"
ART=${2:-$(dirname "$WTREC")/artifacts}
eco_sample_db
eco_load_log
eco_need_browser playwright-core speedscope
mkdir -p "$ART"

"$WTREC" analyze "$T/db" --timeline "$T/sample.json" 2>"$T/err"
check_eq "--timeline: exit status" 0 $?
node "$NODE_DIR/timeline_view.mjs" "$T/sample.json" "$ART/eco_timeline_speedscope.png" >"$T/view" 2>"$T/node.err"
check_eq "speedscope: timeline_view.mjs exit status" 0 $?
check_eq "speedscope: no error output" "" "$(cat "$T/node.err")"
check_eq "speedscope: imported (no import error)" "" "$(grep '^error ' "$T/view")"
check_true "speedscope: the title names the file" grep -q '^title sample.json - speedscope' "$T/view"
profiles=$(sed -n 's/^profiles //p' "$T/view")
threads=$(lq "SELECT count(DISTINCT tid) FROM call")
check_true "speedscope: a profile per track ($profiles >= the log's $threads waiting threads)" \
	[ "${profiles:-0}" -ge "$threads" ]
check_eq "speedscope: no page error or console error" "" "$(grep -E '^console (error|pageerror) ' "$T/view")"
check_eq "speedscope: only local files requested" "" "$(grep '^request ' "$T/view" | grep -v '^request file://')"
t_finish
