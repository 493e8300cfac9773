#!/bin/bash
# make-data.sh [BUILD_DIR] - regenerate tests/live/data/incident.wtrec and
# incident.log (run as root): one shell running wtwork scenarios with a
# steal, double waits, auto-reaps and zombies that live past a second, in
# a recording with WATERMARK chunks, for the follow tests that need no
# root (follow_grow.sh).  The concatenated wtwork logs are the ground truth.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
wtrec=$build/wtrec
wtwork=$build/tests/workload/wtwork
[ "$(id -u)" = 0 ] || { echo "make-data.sh: must run as root" >&2; exit 1; }
[ -x "$wtrec" ] && [ -x "$wtwork" ] ||
	{ echo "make-data.sh: build wtrec and wtwork in $build first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$wtwork" "$tmp/wtwork"
cd "$tmp"
script="./wtwork stolen -l stolen.log && ./wtwork doublewait -l doublewait.log"
script="$script && ./wtwork autoreap -l autoreap.log && ./wtwork zombie 3 -l zombie.log"
script="$script && sleep 1.5"
"$wtrec" record -q -o "$tmp/incident.wtrec" -b 4096 -- sh -c "$script"
for s in stolen doublewait autoreap zombie; do
	"$here/../workload/check_log.sh" "$s.log"
	tail -n 1 "$s.log" | grep -qx done ||
		{ echo "make-data.sh: wtwork $s did not finish" >&2; exit 1; }
done
mkdir -p "$here/data"
cat stolen.log doublewait.log autoreap.log zombie.log >"$here/data/incident.log"
cp "$tmp/incident.wtrec" "$here/data/incident.wtrec"
chmod 644 "$here/data/incident.wtrec" "$here/data/incident.log"
"$wtrec" info "$here/data/incident.wtrec" | grep -E "watermark|trailer"
# Let middle (wtwork zombie) finish, so its zombies are gone before we exit.
sleep 2
