#!/bin/sh
# README command 1: install what is missing, build, and analyze the shipped
# sample recording (no root needed for the analysis itself).
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/wtrec analyze samples/wtwork.wtrec
