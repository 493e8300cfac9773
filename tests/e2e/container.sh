#!/bin/bash
# container.sh WTREC WTWORK noreap|tini - the zombie incident of a
# container, built without a container runtime: a pids cgroup with a small
# pids.max (the v1 pids hierarchy where the host mounts one, else cgroup
# v2 with the pids controller), a pid namespace (unshare -fp) and in it
# `wtwork cgleak` (tests/workload/sc_cgleak.c), which orphans children
# until fork() fails.
#
#   noreap  PID 1 is a shell that exec'd sleep: it never waits.  The
#           cgroup is named as docker's cgroupfs driver names a container's
#           (/docker/<64 hex digits>) and recorded with `wtrec record
#           --container <12 of them>` (the cgroup found by its id, its
#           processes from the start snapshot, their forks through
#           event-fork).  The orphans stay zombies, fill pids.max, forks
#           fail with EAGAIN.
#   tini    PID 1 is tini, which reaps.  Recorded as a COMMAND whose shell
#           moves itself into the cgroup (the cgroup comes from the
#           traced cgroup_attach_task).  No zombies, no failed forks.
#
# Every expectation comes from wtwork's log (what its syscalls returned,
# /proc and the cgroup's files as it saw them), never from wtrec.  The
# cgroup, the namespace and every process are removed at exit, also when
# the test fails.
. "$(dirname "$0")/lib.sh"
MODE=${3:?usage: $0 WTREC WTWORK noreap|tini}
e2e_init "$1" "$2"

ITER=40
MAXPIDS=12
NAME=wtrec-e2e-$$
# noreap: a docker-shaped cgroup, /docker/<id> (its parent made if missing)
ID=$(printf 'wtrec-e2e %s %s' $$ "$(date +%s%N)" | sha256sum | cut -c1-64)
[ "$MODE" = noreap ] && NAME=docker/$ID
CG_DIR= CG_PATH= CG_HIER= V2_ENABLED= INIT= WRAP= REC= MADE_PARENT=

# The pids hierarchy: v1 where mounted (pids.max lives there on hybrid
# hosts), else v2 with the pids controller enabled below the root.
cg_setup() {
	local v1 v2
	# mountinfo: ... MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
	v1=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") break }
		  $(i + 1) == "cgroup" && $(i + 3) ~ /(^|,)pids(,|$)/ { print $5; exit }' /proc/self/mountinfo)
	v2=$(awk '{ for (i = 7; i < NF; i++) if ($i == "-") break }
		  $(i + 1) == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	if [ -n "$v1" ]; then
		CG_HIER=pids CG_DIR=$v1/$NAME
	elif [ -n "$v2" ] && grep -qw pids "$v2/cgroup.controllers"; then
		if ! grep -qw pids "$v2/cgroup.subtree_control"; then
			echo +pids >"$v2/cgroup.subtree_control" ||
				t_skip "cannot enable the pids controller in $v2"
			V2_ENABLED=$v2
		fi
		CG_HIER=v2 CG_DIR=$v2/$NAME
	else
		t_skip "no pids cgroup here (neither a v1 pids hierarchy nor cgroup v2 with pids)"
	fi
	CG_PATH=/$NAME
	if [ "$MODE" = noreap ] && [ ! -d "$(dirname "$CG_DIR")" ]; then
		mkdir "$(dirname "$CG_DIR")" || t_bail "cannot create $(dirname "$CG_DIR")"
		MADE_PARENT=$(dirname "$CG_DIR")
	fi
	mkdir "$CG_DIR" || t_bail "cannot create $CG_DIR"
	echo $MAXPIDS >"$CG_DIR/pids.max" || t_bail "cannot set $CG_DIR/pids.max"
}

# Everything this test made goes, whatever happened: the recorder, the
# namespace (SIGKILL to its PID 1 kills and reaps the rest), the wrapper,
# then the empty cgroup.
cg_cleanup() {
	local p _
	[ -n "$REC" ] && stop_recorders "$REC"
	[ -n "$INIT" ] && kill -KILL "$INIT" 2>/dev/null
	[ -n "$WRAP" ] && kill -KILL "$WRAP" 2>/dev/null
	if [ -n "$CG_DIR" ] && [ -d "$CG_DIR" ]; then
		for p in $(cat "$CG_DIR/cgroup.procs" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		for _ in $(seq 100); do
			[ -s "$CG_DIR/cgroup.procs" ] || break
			sleep 0.05
		done
		rmdir "$CG_DIR" 2>/dev/null || echo "container.sh: cannot remove $CG_DIR" >&2
	fi
	[ -n "$MADE_PARENT" ] && rmdir "$MADE_PARENT" 2>/dev/null
	[ -n "$V2_ENABLED" ] && echo -pids >"$V2_ENABLED/cgroup.subtree_control" 2>/dev/null
	return 0
}
t_at_exit cg_cleanup

command -v unshare >/dev/null || t_skip "unshare (util-linux) is not installed"
if [ "$MODE" = tini ]; then
	"$SRC/scripts/deps.sh" >/dev/null || t_bail "scripts/deps.sh failed"
	command -v tini >/dev/null || t_skip "tini is not installed"
fi
unshare -fp true 2>/dev/null || t_skip "cannot make pid namespaces here (unshare -fp)"
cg_setup

has_prefix() { [[ "$1" == "$2"* ]]; }
has_suffix() { [[ "$1" == *"$2" ]]; }

# wait_log LINE: until the log has a line starting with LINE (bounded)
wait_log() {
	local _
	for _ in $(seq 1200); do
		grep -q "^$1" "$T/log" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

if [ "$MODE" = noreap ]; then
	mkfifo "$T/gate" "$T/hold" || t_bail "mkfifo"
	# the container: held at the gate until the recorder runs
	sh -c 'echo $$ >"$1/cgroup.procs" && read -r _ <"$2" &&
	       exec unshare -fp -- sh -c "\"$3\" cgleak $4 \"$1\" \"$5\" -l \"$6\" & exec sleep 600"' \
		wrap "$CG_DIR" "$T/gate" "$WTWORK" $ITER "$T/hold" "$T/log" 2>"$T/wrap.err" &
	WRAP=$!
	for _ in $(seq 100); do
		grep -qx "$WRAP" "$CG_DIR/cgroup.procs" && break
		sleep 0.05
	done
	"$WTREC" record -q -o "$T/x.wtrec" --container "${ID:0:12}" >"$T/record.out" 2>"$T/record.err" &
	REC=$!
	wait_started "$T/x.wtrec" "$REC" || { cat "$T/record.err"; t_bail "the recorder did not start"; }
	echo go >"$T/gate"
	wait_log holding || { cat "$T/log"; t_bail "wtwork cgleak did not reach its hold"; }
	INIT=$(log_field cgjob 2)
	kill -INT "$REC"
	wait "$REC"
	rc=$?
	REC=
	check_eq "wtrec record --container: exit status" 0 $rc
	echo >"$T/hold"     # the job ends (its last log line); then the namespace goes
	wait_log done || { cat "$T/log"; t_bail "wtwork cgleak did not end after its hold"; }
	kill -KILL "$INIT" 2>/dev/null
	wait "$WRAP" 2>/dev/null
	WRAP=
else
	"$WTREC" record -q -o "$T/x.wtrec" -- sh -c \
		'echo $$ >"$1/cgroup.procs" && exec unshare -fp -- tini -- "$2" cgleak $3 "$1" -l "$4"' \
		wrap "$CG_DIR" "$WTWORK" $ITER "$T/log" >"$T/record.out" 2>"$T/record.err"
	rc=$?
	check_eq "wtrec record -- COMMAND: exit status" 0 $rc
	INIT=$(log_field cgjob 2)
fi
[ "$(tail -n 1 "$T/log")" = done ] || { cat "$T/log"; t_bail "wtwork cgleak did not finish as planned"; }
"$SRC/tests/workload/check_log.sh" "$T/log" || t_bail "wtwork log inconsistent"
[ -n "$INIT" ] || t_bail "no cgjob line in the log"
e2e_analyze
e2e_summary_check
cp "$T/db" "$T/cmp.db"

# --- the log's facts ------------------------------------------------------
JOB=$(log_field proc 3)
ZOMBIES=$(log_field zombie 2 | sort -n | tr '\n' ' ')
NZ=$(log_field zombie 2 | wc -l)
ORPHANS=$(awk -F'\t' '$1 == "orphan" { print $2 " " $3 }' "$T/log" | sort | tr '\n' ',')
FAILS=$(awk -F'\t' '$1 == "forkfail" { print $2 " " $3 }' "$T/log" | sort | tr '\n' ',')
NF=$(log_field forkfail 2 | wc -l)
read -r PCUR PMAX PEV <<<"$(awk -F'\t' '$1 == "pids" { print $2, $3, $4 }' "$T/log")"
PIDS=$(log_pids)
CGCOL=$( [ $CG_HIER = pids ] && echo cgroup_pids || echo cgroup)
# incg [ALIAS]: the SQL condition "a process of the log, in the cgroup"
incg() { local a=${1:+$1.}; echo "${a}pid IN ($PIDS) AND ${a}$CGCOL = '$CG_PATH'"; }
INCG=$(incg)

if [ "$MODE" = noreap ]; then
	check_true "the workload orphaned children" [ "$(log_field orphan 2 | wc -l)" -gt 0 ]
	check_true "... until forks failed" [ "$NF" -gt 0 ]
	check_eq "the log's failures are the cgroup's refusals (pids.events max)" "$NF" "$PEV"
	check_eq "every logged fork failure was pids.current = pids.max" "$NF" \
		"$(awk -F'\t' -v m=$MAXPIDS '$1 == "forkfail" && $3 == "EAGAIN" && $4 == m && $5 == m' "$T/log" | wc -l)"
else
	check_eq "tini: no zombies in the log" 0 "$NZ"
	check_eq "tini: no failed forks in the log" 0 "$NF"
	check_eq "tini reaped every orphan (log init_reaped)" \
		"$(log_field orphan 2 | wc -l)" "$(log_field init_reaped 2 | wc -l)"
fi

# --- the model -------------------------------------------------------------
check_eq "every logged process is in the cgroup ($CG_HIER:$CG_PATH)" \
	"$(echo "$PIDS" | tr ',' '\n' | grep -c .)" "$(cq "SELECT count(*) FROM process WHERE $INCG")"
if [ "$MODE" = tini ]; then
	check_eq "the cgroup came from the traced cgroup_attach_task of the wrapper" 1 \
		"$(cq "SELECT count(*) FROM cgroup_move m JOIN process p ON p.upid = m.upid
		       WHERE m.path = '$CG_PATH' AND m.hierarchy = '$CG_HIER' AND m.thread_only = 0")"
	check_eq "the workload inherited it at fork" 0 \
		"$(cq "SELECT count(*) FROM process WHERE $INCG AND cgroup_basis NOT IN ('fork')")"
else
	check_eq "scope: META scope = cgroup" cgroup "$(cq "SELECT scope FROM recording")"
	check_eq "scope: META scope_cgroup names the cgroup" "$CG_HIER:$CG_PATH" \
		"$(cq "SELECT value FROM meta WHERE key = 'scope_cgroup'")"
	check_eq "scope: META scope_container = the whole id" "$ID" \
		"$(cq "SELECT value FROM meta WHERE key = 'scope_container'")"
	check_eq "every logged process: container_id $ID, runtime docker" \
		"$(echo "$PIDS" | tr ',' '\n' | grep -c .)" \
		"$(cq "SELECT count(*) FROM process WHERE $INCG AND container_id = '$ID'
		       AND container_runtime = 'docker'")"
	check_eq "the failed forks name the container too" "$NF" \
		"$(cq "SELECT count(*) FROM fork_failure WHERE container_id = '$ID'")"
fi
check_eq "the namespace's init is the log's PID 1" "$INIT" \
	"$(cq "SELECT i.pid FROM pidns n JOIN process i ON i.upid = n.init_upid
	       JOIN process j ON j.pidns_id = n.id WHERE j.pid = $JOB")"
check_eq "zombies at the end = the log's zombie lines" "$ZOMBIES" \
	"$(cq "SELECT pid FROM zombie_v WHERE $INCG ORDER BY pid" | tr '\n' ' ')"
check_eq "their parent at the end is the init" "$NZ" \
	"$(cq "SELECT count(*) FROM zombie_v z JOIN process i ON i.upid = z.parent_upid
	       WHERE i.pid = $INIT AND $(incg z)")"
check_eq "who orphaned whom (log orphan O S) = original_parent_upid" "$ORPHANS" \
	"$(cq "SELECT c.pid || ' ' || op.pid FROM process c JOIN process op ON op.upid = c.original_parent_upid
	       JOIN reparent r ON r.upid = c.upid JOIN process np ON np.upid = r.to_upid
	       WHERE np.pid = $INIT AND r.reason = 'ns_init' AND $(incg c) ORDER BY 1" | sort | tr '\n' ',')"
check_eq "failed forks (tid errno) = the log's forkfail lines" "$FAILS" \
	"$(cq "SELECT tid || ' ' || errno_name FROM fork_failure WHERE pid IN ($PIDS)
	       AND COALESCE(cgroup_pids, cgroup) = '$CG_PATH'" | sort | tr '\n' ',')"
# the live findings of the replay (e2e_analyze's follow_check, which also
# holds them to the table): a line per logged failure, text and jsonl
if e2e_on_host "live fork_failure"; then
	jsonl_load "$T/follow.jsonl" "$T/ff.db"
	check_eq "live: fork_failure lines (tid errno) = the log's forkfail lines" "$FAILS" \
		"$(jq_ "$T/ff.db" "SELECT json_extract(line, '\$.tid') || ' ' ||
			json_extract(line, '\$.errno_name') FROM j
			WHERE json_extract(line, '\$.kind') = 'fork_failure'" | sort | tr '\n' ',')"
	"$WTREC" analyze --follow "$T/x.wtrec" --live-format text >"$T/follow.txt" 2>&1
	check_eq "live text: exit status" 0 $?
	if [ "$MODE" = noreap ]; then
		want=$(awk -F'\t' -v cg="pids:$CG_PATH" -v id="${ID:0:12}" '$1 == "forkfail" {
			print "fork failed: tid " $2 " (pid " $2 ", wtwork): SYSCALL() returned " $3 "; cgroup " cg ", container " id " (docker)" }' "$T/log" | sort)
		[ "$CG_HIER" = v2 ] && want=${want//cgroup pids:/cgroup v2:}
		check_eq "live text: a sentence per logged failure, with its container" "$want" \
			"$(grep -o 'fork failed: .*' "$T/follow.txt" |
			   sed -E 's/: (clone|clone3|fork|vfork)\(\) returned/: SYSCALL() returned/' | sort)"
	fi
	check_true "live text: the end line counts them" \
		grep -q "fork_failure $NF " "$T/follow.txt"
fi
# (noreap: nothing changes between the log's last reading and the stop;
# tini: the cgroup is empty by then, and was entered after the start)
if [ "$MODE" = noreap ]; then
	check_eq "pids.current at stop = the log's at the end" "$PCUR" \
		"$(cq "SELECT pids_current FROM cgroup_limit WHERE snapshot = 'stop'
		       AND hierarchy = '$CG_HIER' AND path = '$CG_PATH'")"
	check_eq "pids.max at stop = $MAXPIDS" "$MAXPIDS" \
		"$(cq "SELECT pids_max FROM cgroup_limit WHERE snapshot = 'stop'
		       AND hierarchy = '$CG_HIER' AND path = '$CG_PATH'")"
	# the zombies are what fills the limit: the model's processes in the
	# cgroup at stop (alive or zombie) are the kernel's pids.current
	check_eq "processes in the cgroup at stop (model) = pids.current (log)" "$PCUR" \
		"$(cq "SELECT count(*) FROM process WHERE $CGCOL = '$CG_PATH' AND in_stop_snapshot = 1")"
	check_eq "... of which zombies: the log's" "$NZ" \
		"$(cq "SELECT count(*) FROM process WHERE $CGCOL = '$CG_PATH' AND zombie_at_stop = 1")"
fi

# --- the reports -------------------------------------------------------------
"$WTREC" analyze "$T/db" -r containers -f csv >"$T/containers.csv" 2>"$T/containers.err"
check_eq "-r containers: exit status" 0 $?
"$WTREC" analyze "$T/db" -r containers >"$T/containers.txt" 2>&1
row=$(awk -F, -v cg="$CG_HIER:$CG_PATH" -v init="$INIT" 'index($0, cg) && index($0, init " ")' "$T/containers.csv" | head -1)
check_true "containers: a row for the cgroup and the namespace of init $INIT" [ -n "$row" ]
cell() { csv_lookup "$T/containers.csv" init "$INIT $1" "$2" | head -1; }
ICOMM=$( [ "$MODE" = tini ] && echo tini || echo sleep )
check_eq "containers: the init" "$INIT $ICOMM" "$(csv_lookup "$T/containers.csv" init "$INIT $ICOMM" init | head -1)"
NORPH=$(log_field orphan 2 | wc -l)
if [ "$MODE" = noreap ]; then
	check_eq "containers: the container, as docker ps shows its id" "${ID:0:12} docker" \
		"$(cell $ICOMM container) $(cell $ICOMM runtime)"
	check_eq "containers: the init never waits" "no (0 calls)" "$(cell $ICOMM init_waits)"
	check_eq "containers: orphans inherited, reaped, left (log)" \
		"$NORPH inherited, 0 reaped, $NZ left" "$(cell $ICOMM orphans)"
	check_true "containers: zombies 0 -> $NZ" has_prefix "$(cell $ICOMM zombies)" "0 -> $NZ "
	check_eq "containers: failed forks" "$NF (EAGAIN $NF)" "$(cell $ICOMM failed_forks)"
	check_true "containers: pids at stop $PCUR/$MAXPIDS, $NF refused" \
		has_suffix "$(cell $ICOMM pids)" " -> $PCUR/$MAXPIDS, $NF refused"
	oldest=$(log_field zombie 2 | head -1)
	check_true "containers: the oldest zombie is the first orphan ($oldest)" \
		has_prefix "$(cell $ICOMM oldest_zombie)" "$oldest "
	for s in $(awk -F'\t' '$1 == "orphan" { print $3 }' "$T/log"); do
		check_true "containers: orphaned_by names spawner $s" \
			grep -qE "(^|, )$s wtwork(,|$)" <<<"$(cell $ICOMM orphaned_by)"
	done
	"$WTREC" analyze "$T/db" >"$T/summary.txt" 2>&1
	check_true "summary: a line for the container with its zombies and EAGAIN" \
		grep -q "container ${ID:0:12} (docker), pid ns .*zombies $NZ (at start 0), failed forks $NF (EAGAIN $NF), init $INIT sleep never waits" "$T/summary.txt"
else
	check_true "containers: tini waits" has_prefix "$(cell $ICOMM init_waits)" "yes ("
	check_eq "containers: orphans inherited and reaped (log)" \
		"$NORPH inherited, $NORPH reaped, 0 left" "$(cell $ICOMM orphans)"
	check_true "containers: no zombies at the end" has_prefix "$(cell $ICOMM zombies)" "0 -> 0 "
	check_eq "containers: no failed forks" "0" "$(cell $ICOMM failed_forks)"
	"$WTREC" analyze "$T/db" >"$T/summary.txt" 2>&1
	check_eq "summary: no line for this container" 0 \
		"$(grep -c "cgroup $CG_HIER:$CG_PATH" "$T/summary.txt")"
fi

# tree, cut to the container (noreap: by its id; tini: by its cgroup):
# its processes, nobody else's
CUT=$( [ "$MODE" = noreap ] && echo "${ID:0:12}" || echo "$CG_HIER:$CG_PATH")
"$WTREC" analyze "$T/db" -r tree --container "$CUT" -f csv >"$T/tree.csv" 2>"$T/tree.err"
check_eq "-r tree --container: exit status" 0 $?
check_eq "tree --container: one line per process of the cgroup" \
	"$(cq "SELECT count(*) FROM process WHERE traced = 1 AND $CGCOL = '$CG_PATH'")" \
	"$(($(wc -l <"$T/tree.csv") - 1))"
check_eq "tree --container: no process outside it" "" \
	"$(grep -oE '\(pid [0-9]+' "$T/tree.csv" | grep -oE '[0-9]+' | while read -r p; do
		[ "$(cq "SELECT $CGCOL FROM process WHERE pid = $p LIMIT 1")" = "$CG_PATH" ] || echo "$p"
	done)"
"$WTREC" analyze "$T/db" -r tree --container /no-such-cgroup >/dev/null 2>"$T/none.err"
check_eq "--container that names nothing: exit 2" 2 $?
check_true "... and says so" grep -q "no process of the recording is in it" "$T/none.err"
echo "--- containers report ($MODE) ---"
cat "$T/containers.txt"
t_finish
