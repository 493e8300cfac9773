#!/bin/sh
# docs/screenshot.sh [BUILD_DIR] - remake docs/incident-report*.png, the
# README's screenshots of the HTML report of its worked incident (as root:
# it records).  Needs a build (default build/) and the npm packages of
# tests/ecosystem (scripts/deps.sh).
#   incident-report.png        the stolen reaps, zoomed in, one clicked
#   incident-report-whole.png  the whole recording (the zombies' 2 s)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp "$build/tests/workload/wtwork" .
"$build/wtrec" record -o incident.wtrec -- sh -c \
	'./wtwork stolen -l stolen.log; ./wtwork zombie 10 -l zombie.log; sleep 2'
"$build/wtrec" analyze incident.wtrec --html incident.html
# the steals happen within the first ~6 ms: show 1.2 ms around the first
first=$("$build/wtrec" analyze incident.wtrec --sql "SELECT s.victim_exit_ns - r.start_ns
	FROM stolen_v s JOIN recording r ON r.id = s.recording_id ORDER BY 1 LIMIT 1" -f csv | tail -1 | tr -d '\r')
view="$((first - 400000)),$((first + 800000))"
shot=$src/tests/ecosystem/html_shot.mjs
node "$shot" "$work/incident.html" "$src/docs/incident-report.png" '#timeline .marker.steal' "$view"
node "$shot" "$work/incident.html" "$src/docs/incident-report-whole.png" '#timeline .marker.steal'
echo "docs/incident-report.png, docs/incident-report-whole.png: view $view"
