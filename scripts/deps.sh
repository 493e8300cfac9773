#!/bin/sh
# Install what building and testing wtrec needs on Debian 12, only if missing.
# Idempotent and quiet when everything is there already.
#   apt: the build tools and libraries (their .a files too: -DWT_STATIC=ON),
#        sqlite3 (--shell, the tests), clang (fuzzing), dpkg-dev (cpack's
#        .deb Depends), chromium + a font (the HTML report's browser test),
#        nodejs + npm when there is no node;
#   npm: tests/ecosystem/package-lock.json (playwright-core, DuckDB,
#        speedscope), when tests/ecosystem/node_modules is missing or older;
#   and the real programs tests/e2e/real_programs.sh records with strace as
#   its oracle (strace, tini, python3, make, perl, node).
#   ./scripts/deps.sh      build and test dependencies
#   ./scripts/deps.sh vm   what the VM tests (tests/vm) add: QEMU, a static
#                          busybox, cpio and xz for the guests' initramfs
#                          (apt only)
set -eu
cd "$(dirname "$0")/.."
pkgs="build-essential cmake pkg-config libtracefs-dev libtraceevent-dev \
libsqlite3-dev zlib1g-dev libzstd-dev sqlite3 clang dpkg-dev chromium \
fonts-dejavu-core strace tini python3 make perl util-linux"
command -v node >/dev/null && command -v npm >/dev/null || pkgs="$pkgs nodejs npm"
[ "${1:-}" = vm ] && pkgs="qemu-system-x86 busybox-static cpio xz-utils"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
		|| missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "wtrec: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
		exit 1
	fi
	echo "wtrec: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

[ "${1:-}" = vm ] && exit 0
# npm ci installs exactly the lock file's versions; skip it when what is
# installed is as new as the lock file.
eco=tests/ecosystem
stamp=$eco/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$eco/package-lock.json" -nt "$stamp" ]; then
	echo "wtrec: npm ci in $eco" >&2
	(cd "$eco" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
