#!/bin/bash
# peek.sh WTREC WTWORK - `wtwork peek`: wait calls that return a child
# without reaping it (WUNTRACED stop report, WCONTINUED, waitid WNOWAIT),
# then the real reap.  The model must count only the last call as the reap
# (compare.sql: outcome 'report' for the others) and keep the child alive
# (no exit) until its release.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record peek
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare
t_finish
