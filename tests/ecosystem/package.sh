#!/bin/bash
# package.sh WTREC CMAKE BUILD_DIR - the .deb of `cpack -G DEB`:
#   - its Depends name, for every shared library the packaged wtrec needs
#     (readelf NEEDED), the Debian package that ships that library (dpkg -S:
#     this system's own database, not cpack's answer);
#   - it holds bin/wtrec, the gzipped man page and the sql files under /usr;
#   - as root: a fresh root holding only the .deb and the packages its
#     Depends pull in (apt-cache depends --recurse; downloaded with
#     apt-get download, unpacked with dpkg-deb -x: no dpkg database, no
#     maintainer scripts, nothing else of the system), where, chrooted,
#     `wtrec --version` prints the version and `wtrec analyze` of the
#     sample prints the same tree as the build's wtrec; and the same root
#     without libtracefs1 cannot start wtrec (so a missing Depends would be
#     caught).  Downloads are kept in BUILD_DIR/deb-cache.
. "$(dirname "$0")/lib.sh"
eco_init "$1"
CMAKE=${2:?usage: $0 WTREC CMAKE BUILD_DIR}
BUILD=${3:?usage: $0 WTREC CMAKE BUILD_DIR}
CPACK=$(dirname "$CMAKE")/cpack
# a sanitizer build's binary needs libasan and /proc: packaging is
# checked on the normal build (scripts/test.sh builds both)
readelf -d "$WTREC" 2>/dev/null | grep -q 'NEEDED.*libasan' &&
	t_skip "an ASan/UBSan build: the package and the static binary are tested on the normal build"
for t in dpkg-deb dpkg-shlibdeps readelf; do
	command -v $t >/dev/null || t_skip "$t is not installed (dpkg-dev, binutils)"
done

"$CPACK" --config "$BUILD/CPackConfig.cmake" -G DEB -B "$T/pkg" >"$T/cpack.out" 2>&1
check_eq "cpack -G DEB: exit status" 0 $?
deb=$(ls "$T"/pkg/wtrec_*.deb 2>/dev/null | head -1)
check_true "cpack wrote wtrec_VERSION_ARCH.deb" [ -f "$deb" ]
[ -f "$deb" ] || t_finish
version=$("$WTREC" --version | awk '{ print $NF }')
check_eq "package version = wtrec --version" "$version" "$(dpkg-deb -f "$deb" Version)"

mkdir "$T/x"
dpkg-deb -x "$deb" "$T/x"
for f in usr/bin/wtrec usr/share/man/man1/wtrec.1.gz; do
	check_true "package holds /$f" [ -s "$T/x/$f" ]
done
check_true "the man page is gzipped and is docs/wtrec.1" \
	cmp -s <(zcat "$T/x/usr/share/man/man1/wtrec.1.gz") "$SRC/docs/wtrec.1"
for f in "$SRC"/sql/*.sql; do
	check_true "package holds /usr/share/wtrec/sql/$(basename "$f")" \
		cmp -s "$f" "$T/x/usr/share/wtrec/sql/$(basename "$f")"
done

# Depends: a package for every NEEDED library, found by dpkg -S
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
needed=$(readelf -d "$T/x/usr/bin/wtrec" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
check_true "the packaged wtrec needs shared libraries (a dynamic build)" [ -n "$needed" ]
want=
for lib in $needed; do
	path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64|64bit/ { print $NF; exit }')
	[ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
	pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
	[ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
	check_true "$lib: shipped by a Debian package ($pkg)" [ -n "$pkg" ]
	check_true "Depends names $pkg (for $lib)" grep -qE "(^|, )$pkg( |,|$)" <<<"$depends"
	want="$want $pkg"
done
for p in libtracefs1 libtraceevent1; do
	check_true "Depends names $p (the libraries an incident host may lack)" grep -qE "(^|, )$p( |,|$)" <<<"$depends"
done

[ "$(id -u)" = 0 ] || { echo "SKIP part: the fresh-root run needs root (chroot)"; t_finish; }

# The fresh root: the Depends and what they depend on, nothing else.
pkgs=$(sed 's/ *([^)]*)//g; s/,/ /g; s/|/ /g' <<<"$depends")
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
	--no-breaks --no-replaces --no-enhances $pkgs 2>/dev/null | grep '^[a-z0-9]' | sort -u)
check_true "apt-cache knows the Depends' closure ($(echo $closure))" [ -n "$closure" ]
cache=$BUILD/deb-cache
mkdir -p "$cache"
chmod 777 "$cache" # apt-get download writes as the _apt user
for p in $closure; do
	ls "$cache/${p}_"*.deb >/dev/null 2>&1 && continue
	(cd "$cache" && apt-get download -q "$p" >/dev/null 2>"$T/apt.err") ||
		fail "apt-get download $p: $(head -1 "$T/apt.err")"
done
fresh_root() { # DIR [PACKAGE-TO-LEAVE-OUT]
	mkdir -p "$1/tmp" "$1/data"
	for p in $closure; do
		[ "$p" = "${2:-}" ] && continue
		dpkg-deb -x "$(ls "$cache/${p}_"*.deb | head -1)" "$1"
	done
	dpkg-deb -x "$deb" "$1"
	cp "$SAMPLE" "$1/data/sample.wtrec"
}
fresh_root "$T/root"
check_eq "fresh root: no shell, no coreutils (only the Depends' closure)" "" \
	"$(ls "$T/root/bin/sh" "$T/root/usr/bin/ls" 2>/dev/null)"
chroot "$T/root" /usr/bin/wtrec --version >"$T/v.out" 2>"$T/v.err"
check_eq "fresh root: wtrec --version runs" 0 $?
check_eq "fresh root: wtrec --version says $version" "$("$WTREC" --version)" "$(cat "$T/v.out")"
TMPDIR=/tmp chroot "$T/root" /usr/bin/wtrec analyze /data/sample.wtrec -r tree >"$T/tree.out" 2>"$T/tree.err"
check_eq "fresh root: wtrec analyze of the sample: exit status" 0 $?
"$WTREC" analyze "$SAMPLE" -r tree 2>/dev/null | sed 's|samples/wtwork.wtrec|/data/sample.wtrec|' >"$T/tree.want"
check_true "fresh root: the sample's tree is the build's" cmp -s "$T/tree.want" "$T/tree.out"
check_true "fresh root: the tree has lines" [ "$(wc -l <"$T/tree.out")" -gt 10 ]

fresh_root "$T/lacking" libtracefs1
chroot "$T/lacking" /usr/bin/wtrec --version >/dev/null 2>"$T/l.err"
check_true "a root without libtracefs1 cannot start wtrec (the Depends matter)" [ $? -ne 0 ]
check_true "... because libtracefs.so.1 is missing" grep -q "libtracefs.so.1" "$T/l.err"
t_finish
