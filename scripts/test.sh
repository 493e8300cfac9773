#!/bin/sh
# README command 2: install what is missing, build, run the whole test suite:
#   1. the normal build (-Werror) and every ctest case but the VM ones;
#   2. the kernel matrix (ctest -L vm, two kernels at a time): the live
#      tests inside QEMU on Debian kernels that have kprobes (tests/vm;
#      ~5 min here; they skip, with the reason, where QEMU cannot be had);
#   3. the same suite as 1 in an ASan+UBSan build (WT_SANITIZE=ON);
#   4. a clang build with the libFuzzer targets, running their short fuzz
#      runs and seed replays (ctest -R fuzz).
# As root, the live tests (real tracefs recordings) run too; otherwise they
# report themselves skipped with the reason.  WTREC_QUICK=1 runs step 1 only
# (and step 2 too with WTREC_VM=1); WTREC_VM=0 leaves step 2 out.
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
(cd build && ctest --output-on-failure --timeout 600 -LE '^vm$')
vm=${WTREC_VM:-1}
[ "${WTREC_QUICK:-0}" = 1 ] && vm=${WTREC_VM:-0}
if [ "$vm" = 1 ]; then
	# QEMU and the guests' tools; without them the VM tests skip (77)
	./scripts/deps.sh vm || echo "test.sh: cannot install the VM tests' packages: they will skip" >&2
	(cd build && ctest --output-on-failure -L '^vm$' -j2)
fi
[ "${WTREC_QUICK:-0}" = 1 ] && exit 0

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWT_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ctest --output-on-failure --timeout 900 -LE '^vm$')

CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWT_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs"
(cd build-fuzz && ctest --output-on-failure --timeout 600 -R fuzz)
