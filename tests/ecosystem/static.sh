#!/bin/bash
# static.sh WTREC CMAKE BUILD_DIR FORKWAIT - `-DWT_STATIC=ON` makes a
# self-contained wtrec: no NEEDED library, no program interpreter, and, as
# root, in an empty chroot (nothing but wtrec, the static workload
# FORKWAIT, /proc and tracefs mounted) `wtrec record -- /forkwait` and
# `wtrec analyze` work: the children report has each child the workload
# says it reaped, with its exit status and the thread that reaped it.
# When BUILD_DIR's wtrec is not static, a static one is built in
# BUILD_DIR/static (cmake -DWT_STATIC=ON, only the wtrec target).
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/live.sh
. "$(dirname "$0")/../lib/live.sh"
eco_init "$1"
CMAKE=${2:?usage: $0 WTREC CMAKE BUILD_DIR FORKWAIT}
BUILD=${3:?usage: $0 WTREC CMAKE BUILD_DIR FORKWAIT}
FORKWAIT=${4:?usage: $0 WTREC CMAKE BUILD_DIR FORKWAIT}
command -v readelf >/dev/null || t_skip "readelf (binutils) is not installed"

# a sanitizer build's binary needs libasan and /proc: packaging is
# checked on the normal build (scripts/test.sh builds both)
readelf -d "$WTREC" 2>/dev/null | grep -q 'NEEDED.*libasan' &&
	t_skip "an ASan/UBSan build: the package and the static binary are tested on the normal build"
is_static() { ! readelf -d "$1" 2>/dev/null | grep -q '(NEEDED)' && ! readelf -l "$1" | grep -q INTERP; }
S=$WTREC
if ! is_static "$S"; then
	"$CMAKE" -S "$SRC" -B "$BUILD/static" -DWT_STATIC=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		>"$T/cmake.out" 2>&1 || t_bail "cmake -DWT_STATIC=ON failed: $(tail -5 "$T/cmake.out")"
	"$CMAKE" --build "$BUILD/static" -j"$(nproc)" --target wtrec >"$T/build.out" 2>&1 ||
		t_bail "static build failed: $(grep -m3 -i error "$T/build.out")"
	S=$BUILD/static/wtrec
fi
check_true "-DWT_STATIC=ON: wtrec needs no shared library" is_static "$S"
check_true "the workload is static too" is_static "$FORKWAIT"
"$S" --version >/dev/null
check_eq "static wtrec --version runs" 0 $?
echo "static wtrec: $(stat -c %s "$S") bytes"

[ "$(id -u)" = 0 ] || t_skip "the empty-chroot run needs root (chroot, mount, tracefs); the static link was checked"
need_live
R=$T/root
mkdir -p "$R/proc" "$R/sys/kernel/tracing" "$R/tmp"
cp "$S" "$R/wtrec"
cp "$FORKWAIT" "$R/forkwait"
mount -t proc proc "$R/proc" && TEST_MOUNTS+=("$R/proc") || t_bail "cannot mount proc in the chroot"
mount -t tracefs nodev "$R/sys/kernel/tracing" && TEST_MOUNTS=("$R/sys/kernel/tracing" "${TEST_MOUNTS[@]}") ||
	t_bail "cannot mount tracefs in the chroot"
t_at_exit live_unmount
check_eq "the chroot holds nothing else" "forkwait proc sys tmp wtrec" "$(ls "$R" | tr '\n' ' ' | sed 's/ $//')"

chroot "$R" /wtrec record -q -o /r.wtrec -- /forkwait >"$T/log" 2>"$T/rec.err"
check_eq "chroot: wtrec record -- /forkwait: exit status" 0 $?
check_eq "chroot: the workload reaped its three children" 3 "$(grep -c '^reaped ' "$T/log")"
TMPDIR=/tmp chroot "$R" /wtrec analyze /r.wtrec -r children -f csv >"$T/children.csv" 2>"$T/an.err"
check_eq "chroot: wtrec analyze: exit status" 0 $?
check_set "chroot: each child reaped, its status and its reaper = the workload's" \
	"$(awk '{ print $2, "exited " $4, $6 }' "$T/log")" \
	"$(sqlite3 -batch :memory: ".import --csv $T/children.csv c" \
	   "SELECT pid || ' ' || status || ' ' || reaper_tid FROM c WHERE comm = 'forkwait' AND parent_comm = 'forkwait'")"
t_finish
