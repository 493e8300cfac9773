#!/bin/sh
# README command 2: install what is missing, build, run the whole test suite.
# As root, the live tests (real tracefs recordings) run too; otherwise they
# report themselves skipped with the reason.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure --timeout 600
