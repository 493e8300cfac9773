#!/bin/bash
# signals.sh WTREC WTWORK - `wtwork signals`: a child killed by a signal of
# each class whose default action kills (terminate, core, real-time): the
# model says which signal killed each (compare.sql: killed N), never
# "SIGKILL or other".
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record signals
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_eq "no death left as 'SIGKILL or other fatal signal'" 0 \
	"$(cq "SELECT count(*) FROM process p JOIN process_status s ON s.upid = p.upid
	       WHERE p.pid IN (SELECT pid FROM log_fork) AND s.status LIKE '%other fatal%'")"
t_finish
