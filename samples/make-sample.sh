#!/bin/bash
# make-sample.sh [BUILD_DIR] - regenerate samples/wtwork.wtrec and
# samples/wtwork.log (run as root).  Records one shell that runs several
# wtwork scenarios one after another; the concatenated wtwork logs are the
# ground truth the `e2e_sample` test checks `wtrec analyze` against.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
wtrec=$build/wtrec
wtwork=$build/tests/workload/wtwork
[ "$(id -u)" = 0 ] || { echo "make-sample.sh: must run as root" >&2; exit 1; }
[ -x "$wtrec" ] && [ -x "$wtwork" ] ||
	{ echo "make-sample.sh: build wtrec and wtwork in $build first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Copy wtwork so the recorded command line does not carry a build path.
cp "$wtwork" "$tmp/wtwork"
cd "$tmp"
# One line, so the recorded command reads well in the summary.
script="./wtwork basic -l basic.log && ./wtwork stolen -l stolen.log"
script="$script && ./wtwork autoreap -l autoreap.log && ./wtwork peek -l peek.log"
script="$script && ./wtwork pidreuse -l pidreuse.log && ./wtwork zombie 2 -l zombie.log"
"$wtrec" record -o "$tmp/wtwork.wtrec" -b 4096 -- sh -c "$script"
for s in basic stolen autoreap peek pidreuse zombie; do
	"$here/../tests/workload/check_log.sh" "$s.log"
	tail -n 1 "$s.log" | grep -qx done ||
		{ echo "make-sample.sh: wtwork $s did not finish" >&2; exit 1; }
done
cat basic.log stolen.log autoreap.log peek.log pidreuse.log zombie.log \
	>"$here/wtwork.log"
cp "$tmp/wtwork.wtrec" "$here/wtwork.wtrec"
chmod 644 "$here/wtwork.wtrec" "$here/wtwork.log"
"$wtrec" info "$here/wtwork.wtrec" >/dev/null
ls -l "$here/wtwork.wtrec" "$here/wtwork.log"
# Let middle (wtwork zombie) finish, so its zombies are gone before we exit.
sleep 3
