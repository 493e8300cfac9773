#!/bin/bash
# fetch_kernel.sh SUITE CACHE - a Debian kernel for the VM tests, without
# installing it.
#
# Resolves what SUITE's linux-image-amd64 metapackage depends on, downloads
# that package with a PRIVATE apt state (a sources list naming SUITE, lists
# and cache under CACHE/apt-SUITE: the host's own sources, lists and cache
# are only read, never written), and unpacks from it the kernel image and
# the modules a guest needs for its virtio-9p share (virtio_pci, 9pnet_virtio,
# 9p and what their .modinfo says they depend on; a module the kernel has
# built in is skipped).  The result, CACHE/SUITE/:
#   vmlinuz      the kernel
#   release      its release string (6.1.0-37-amd64)
#   modules/     the .ko files (decompressed), and
#   modules.load their insmod order, dependencies first
# A rerun with CACHE/SUITE/release present downloads nothing; remove the
# folder to take a newer kernel.  The .deb and the private apt state are
# deleted once the kernel is unpacked.
#
# The mirror is the one the host's apt sources use for its own release
# (WTREC_VM_MIRROR overrides).  Exit 0 and the folder on stdout; 77 with a
# reason when the registry cannot be reached or no longer has SUITE; 1 on
# any other failure.
set -u
SUITE=${1:?usage: $0 SUITE CACHE}
CACHE=${2:?usage: $0 SUITE CACHE}
OUT=$CACHE/$SUITE
APT=$CACHE/apt-$SUITE

say() { echo "fetch_kernel: $SUITE: $*" >&2; }
skip() { say "SKIP: $*"; exit 77; }
die() { say "$*"; exit 1; }

# One fetch of a suite at a time: its two halves start together on an
# empty cache.  The lock is held until this script exits.
mkdir -p "$CACHE" || die "cannot make $CACHE"
exec 9>"$CACHE/$SUITE.lock" && flock 9 || die "cannot lock $CACHE/$SUITE.lock"
[ -s "$OUT/release" ] && [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/modules.load" ] &&
	{ echo "$OUT"; exit 0; }

# The URI of a sources entry that serves this host's own release.
host_mirror() {
	local code
	code=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$code" ] || return 1
	# deb822 paragraphs (*.sources), then one-line entries (*.list)
	cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk -v c="$code" '
		function flush() { if (deb && on && ok && uri != "") { print uri; found = 1; exit }
			deb = 0; on = 1; ok = 0; uri = "" }
		BEGIN { on = 1 }
		/^[[:space:]]*$/ { flush(); next }
		$1 == "Types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
		$1 == "Enabled:" && $2 == "no" { on = 0 }
		$1 == "URIs:" { uri = $2 }
		$1 == "Suites:" { for (i = 2; i <= NF; i++) if ($i == c) ok = 1 }
		END { if (!found) flush() }'
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk -v c="$code" '
		$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++
			if ($i ~ /^\[/ || $i ~ /\]$/) i++
			if ($(i + 1) == c) { print $i; exit } }'
}

MIRROR=${WTREC_VM_MIRROR:-$(host_mirror | head -n 1)}
[ -n "$MIRROR" ] || skip "no Debian mirror in the host's apt sources (set WTREC_VM_MIRROR)"
command -v apt-get >/dev/null || skip "no apt-get on this host"
command -v dpkg-deb >/dev/null || skip "no dpkg-deb on this host"

mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$OUT.tmp" ||
	die "cannot make $APT"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
signed=
[ -r $KEYRING ] && signed="[signed-by=$KEYRING] "
echo "deb ${signed}$MIRROR $SUITE main" >"$APT/sources.list"
# Every path apt writes is ours; the download runs as root without the
# _apt sandbox user, which cannot write into the build tree.
aptopts=(-o "Dir::Etc::SourceList=$APT/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
	-o Dir::State::status=/dev/null -o APT::Sandbox::User=root
	-o Debug::NoLocking=1)

if ! apt-get "${aptopts[@]}" -qq update >"$APT/update.log" 2>&1 ||
	grep -q '^[WE]:' "$APT/update.log"; then
	cat "$APT/update.log" >&2
	skip "apt-get update of the private state for $SUITE failed (registry unreachable, or $SUITE gone from it)"
fi
image=$(apt-cache "${aptopts[@]}" depends linux-image-amd64 2>/dev/null |
	awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
[ -n "$image" ] || die "linux-image-amd64 of $SUITE depends on no linux-image-* package"
say "downloading $image"
(cd "$APT/cache/archives" && apt-get "${aptopts[@]}" -qq download "$image") \
	>"$APT/download.log" 2>&1 || { cat "$APT/download.log" >&2; die "apt-get download $image failed"; }
deb=$(ls "$APT/cache/archives/${image}_"*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || die "apt-get download left no ${image}_*.deb"

rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp/modules" || die "cannot make $OUT.tmp"
X=$OUT.tmp/x
mkdir -p "$X" && dpkg-deb -x "$deb" "$X" || die "dpkg-deb -x $deb failed"
vmlinuz=$(ls "$X"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "$deb has no boot/vmlinuz-*"
release=${vmlinuz##*/vmlinuz-}
mods=$(ls -d "$X"/lib/modules/"$release" "$X"/usr/lib/modules/"$release" 2>/dev/null | head -n 1)
[ -n "$mods" ] || die "$deb has no modules folder for $release"

# find_mod NAME: the file of module NAME (file names may spell _ as -)
find_mod() {
	find "$mods/kernel" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \
		-o -name "${1//_/-}.ko" -o -name "${1//_/-}.ko.xz" -o -name "${1//_/-}.ko.zst" \) |
		head -n 1
}
# builtin NAME: listed in modules.builtin (compiled into the kernel)
builtin() {
	grep -Eq "/(${1}|${1//_/-})\.ko\$" "$mods/modules.builtin" 2>/dev/null
}
# plain FILE: the module's ELF, decompressed into modules/ (busybox insmod
# reads neither xz nor zstd); prints the path
plain() {
	local f=$1 name dst
	name=$(basename "$f")
	name=${name%.xz}
	name=${name%.zst}
	dst=$OUT.tmp/modules/$name
	case "$f" in
	*.xz) xz -dc "$f" >"$dst" ;;
	*.zst) zstd -qdc "$f" >"$dst" ;;
	*) cp "$f" "$dst" ;;
	esac || return 1
	echo "$dst"
}

declare -A seen=()
# add NAME: NAME's dependencies, then NAME, into modules.load
add() {
	local name=$1 f ko dep
	[ -n "${seen[$name]:-}" ] && return 0
	seen[$name]=1
	f=$(find_mod "$name")
	if [ -z "$f" ]; then
		builtin "$name" && return 0
		die "module $name: neither a file nor built into $release"
	fi
	ko=$(plain "$f") || die "cannot decompress $f"
	for dep in $(tr '\0' '\n' <"$ko" | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '); do
		add "$dep"
	done
	basename "$ko" >>"$OUT.tmp/modules.load"
}
: >"$OUT.tmp/modules.load"
for m in virtio_pci 9pnet_virtio 9p; do
	add "$m"
done
cp "$vmlinuz" "$OUT.tmp/vmlinuz" || die "cannot copy $vmlinuz"
echo "$release" >"$OUT.tmp/release"
rm -rf "$X" "$deb"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT" || die "cannot move $OUT.tmp to $OUT"
rm -rf "$APT" # the lists (~20 MB): a rerun needs nothing from them
say "kernel $release, modules: $(tr '\n' ' ' <"$OUT/modules.load")"
echo "$OUT"
