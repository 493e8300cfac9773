#!/bin/bash
# mkinitramfs.sh OUT KERNEL_DIR SRC PLAN EXE... - the VM tests' initramfs.
#
# OUT (an uncompressed newc cpio: the kernel unpacks it faster than TCG
# would inflate it) holds:
#   busybox (static) as the base userland, its applets linked in /bb;
#   /init (tests/vm/init), /etc/inittab and /vm/rc (tests/vm/rc);
#   the host's GNU tools the shell tests use (bash, sqlite3, awk, diff, cmp,
#   comm, sort, ...) and every EXE, each at its host path, with the shared
#   libraries ldd names and the dynamic loader;
#   SRC's tests/, sql/ and samples/ at the host path (the tests find their
#   libraries and data relative to themselves);
#   KERNEL_DIR's modules (fetch_kernel.sh) in /vm/modules, their order in
#   /vm/modules.load;
#   PLAN as /vm/plan and PLAN.env as /vm/plan.env (see guest.sh).
# Needs busybox-static and cpio; prints the missing one and exits 1.
set -u
OUT=${1:?usage: $0 OUT KERNEL_DIR SRC PLAN EXE...}
KDIR=${2:?}
SRC=${3:?}
PLAN=${4:?}
shift 4
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "mkinitramfs: $*" >&2; exit 1; }

# ldd refuses a static binary: busybox-static's, not busybox's
BUSYBOX=$(command -v busybox) && ! ldd "$BUSYBOX" >/dev/null 2>&1 ||
	die "no static busybox (apt-get install busybox-static)"
command -v cpio >/dev/null || die "no cpio (apt-get install cpio)"

ROOT=$OUT.root
rm -rf "$ROOT" && mkdir -p "$ROOT" || die "cannot make $ROOT"
# the host's layout (merged /usr on Debian 12): keep the same paths valid
for d in bin lib lib64 sbin; do
	if [ -L /$d ]; then
		mkdir -p "$ROOT/usr/$d" && ln -s "usr/$d" "$ROOT/$d"
	else
		mkdir -p "$ROOT/$d"
	fi
done
mkdir -p "$ROOT/usr/bin" "$ROOT/bb" "$ROOT/etc" "$ROOT/vm/modules" "$ROOT/dev" \
	"$ROOT/proc" "$ROOT/sys" "$ROOT/tmp" "$ROOT/out" "$ROOT/root"

cp "$BUSYBOX" "$ROOT/bin/busybox" || die "cannot copy $BUSYBOX"
for a in $("$BUSYBOX" --list); do
	ln -s /bin/busybox "$ROOT/bb/$a"
done
ln -sf busybox "$ROOT/bin/sh"
install -m 755 "$HERE/init" "$ROOT/init" || die "cannot install init"
install -m 755 "$HERE/rc" "$ROOT/vm/rc" || die "cannot install rc"
echo "::sysinit:/vm/rc" >"$ROOT/etc/inittab"
echo "root:x:0:0:root:/root:/bin/sh" >"$ROOT/etc/passwd"
echo "root:x:0:" >"$ROOT/etc/group"

# copy_file PATH: PATH (symlinks followed) at the same path under ROOT
copy_file() {
	[ -e "$ROOT$1" ] && return 0
	mkdir -p "$ROOT$(dirname "$1")" && cp -L "$1" "$ROOT$1"
}

# copy_exe PATH: PATH and what ldd says it loads
copy_exe() {
	copy_file "$1" || die "cannot copy $1"
	local lib
	for lib in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
			$1 ~ /^\// { print $1 }'); do
		copy_file "$lib" || die "cannot copy $lib (needed by $1)"
	done
}

# The tests run GNU tools; busybox fills in whatever is not listed here.
GNU_TOOLS="bash sqlite3 diff cmp comm sort grep sed mktemp seq tr cut wc head
tail cat cp mv rm ls mkdir rmdir touch sleep date tee timeout env basename
dirname id uname stat ln readlink realpath chmod printf expr find xargs od
tac uniq join paste nproc"
for t in $GNU_TOOLS; do
	p=$(type -P "$t") || die "the guest needs $t, not found on this host"
	copy_exe "$p"
	# the host's /usr/bin/x and /bin/x are the same file; keep both names
	[ -e "$ROOT/usr/bin/$t" ] || ln -s "$p" "$ROOT/usr/bin/$t"
done
awk_path=$(readlink -f "$(type -P awk)") || die "no awk on this host"
copy_exe "$awk_path"
[ -e "$ROOT/usr/bin/awk" ] || ln -s "$awk_path" "$ROOT/usr/bin/awk"
for e in "$@"; do
	copy_exe "$e"
done

for d in tests sql samples; do
	mkdir -p "$ROOT$SRC" && cp -a "$SRC/$d" "$ROOT$SRC/" || die "cannot copy $SRC/$d"
done
cp "$KDIR"/modules/*.ko "$ROOT/vm/modules/" 2>/dev/null
cp "$KDIR/modules.load" "$ROOT/vm/modules.load" || die "no $KDIR/modules.load"
cp "$PLAN" "$ROOT/vm/plan" && cp "$PLAN.env" "$ROOT/vm/plan.env" || die "cannot copy $PLAN"
echo "$HERE/guest.sh" >"$ROOT/vm/guest_path"
# the working directories ctest would use
awk -F'\t' '{ print $3 }' "$PLAN" | sort -u | while read -r d; do
	mkdir -p "$ROOT$d"
done

(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$OUT.tmp" ||
	die "cpio failed"
mv "$OUT.tmp" "$OUT" && rm -rf "$ROOT"
