#!/bin/sh
# Install what building and testing wtrec needs on Debian 12, only if missing.
# Idempotent and quiet when everything is there already.
#   ./scripts/deps.sh      build and test dependencies
#   ./scripts/deps.sh vm   what the VM tests (tests/vm) add: QEMU, a static
#                          busybox, cpio and xz for the guests' initramfs
set -eu
pkgs="build-essential cmake pkg-config libtracefs-dev libtraceevent-dev \
libsqlite3-dev zlib1g-dev sqlite3 clang"
[ "${1:-}" = vm ] && pkgs="qemu-system-x86 busybox-static cpio xz-utils"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
		|| missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "wtrec: missing packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "wtrec: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
