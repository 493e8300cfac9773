#!/bin/bash
# fuzz_run.sh FUZZER SECONDS SEED_DIR... - a short libFuzzer run for ctest
# (WT_FUZZ=ON builds): explores from the seeds for SECONDS (and at most
# 2 million runs) with the inputs it finds kept in a temporary directory,
# never in the source tree.  Fails on any crash, leak, timeout (10 s per
# input) or input needing more than 2 GiB.  A crash leaves its input in
# the build directory (crash-*), for `FUZZER crash-...` to replay.
set -u
FUZZER=${1:?usage: $0 FUZZER SECONDS SEED_DIR...}
SECS=${2:?usage: $0 FUZZER SECONDS SEED_DIR...}
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/wtrec-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$FUZZER" -max_total_time="$SECS" -runs=2000000 -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 "$work" "$@" 2>&1 | tail -25
rc=${PIPESTATUS[0]}
echo "fuzz_run: $(basename "$FUZZER") exit status $rc"
exit "$rc"
