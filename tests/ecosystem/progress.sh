#!/bin/bash
# progress.sh TEST_PROGRESS WTREC - run the progress line's unit test
# (test_progress.c) with the sample recording and the number of events
# its analysis decoded (the recording table's "events": the decoder's
# count, which the kernel's per-CPU "read events" must match for a
# recording that lost nothing).
. "$(dirname "$0")/lib.sh"
TP=${1:?usage: $0 TEST_PROGRESS WTREC}
eco_init "$2"
eco_sample_db
events=$(q "SELECT events FROM recording")
"$TP" "$SAMPLE" "$events"
