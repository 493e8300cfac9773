#!/bin/sh
# Install what building and testing wtrec needs on Debian 12, only if missing.
# Idempotent and quiet when everything is there already.
set -eu
# The last line: the real programs tests/e2e/real_programs.sh records,
# with strace as its oracle.
pkgs="build-essential cmake pkg-config libtracefs-dev libtraceevent-dev \
libsqlite3-dev zlib1g-dev libzstd-dev sqlite3 clang \
strace tini nodejs python3 make perl util-linux"
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
