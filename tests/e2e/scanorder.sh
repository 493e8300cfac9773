#!/bin/bash
# scanorder.sh WTREC WTWORK - `wtwork scanorder`: four children waitable at
# once in three threads' lists; waitid(P_ALL) returns them in do_wait()'s
# scan order (the caller's list, then the threads after it, wrapping).
# The tracepoint does not name the child: the model's replay must match
# the log call by call; the kprobe backend names it.
. "$(dirname "$0")/lib.sh"
e2e_init "$@"

e2e_record scanorder
e2e_analyze
e2e_summary_check
e2e_load_log
e2e_compare

check_eq "model_check: the replay never disagreed" 0 \
	"$(cq "SELECT COALESCE(sum(count), 0) FROM model_check WHERE name IN
	       ('replay_disagrees', 'replay_saw_none', 'empty_but_waitable')")"
t_finish
