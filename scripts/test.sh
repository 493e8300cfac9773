#!/bin/sh
# README command 2: install what is missing, build, run the whole test suite:
#   1. the normal build (-Werror) and every ctest case;
#   2. the same suite in an ASan+UBSan build (WT_SANITIZE=ON);
#   3. a clang build with the libFuzzer targets, running their short fuzz
#      runs and seed replays (ctest -R fuzz).
# As root, the live tests (real tracefs recordings) run too; otherwise they
# report themselves skipped with the reason.  WTREC_QUICK=1 runs step 1 only.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
jobs=$(nproc)
# The live tests need tracefs; wtrec mounts it itself when it records, but
# the tests look for it first, so mount it here on a machine that has not.
if [ "$(id -u)" = 0 ] && [ ! -d /sys/kernel/tracing/instances ]; then
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
		echo "test.sh: cannot mount tracefs: live tests will skip" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure --timeout 600)
[ "${WTREC_QUICK:-0}" = 1 ] && exit 0

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest --output-on-failure --timeout 900)

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWT_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs"
(cd build-fuzz && ctest --output-on-failure --timeout 600 -R fuzz)
