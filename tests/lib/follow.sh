# follow.sh - `wtrec analyze --follow` checked against the offline analysis
# of the same recording (sourced after check.sh; needs $WTREC, sqlite3).
#
#   db_same WHAT A B TABLE [WHERE]  # one check: TABLE's rows equal in A and
#                                   # B (NULLs, types, every column kept)
#   jsonl_load JSONL DB             # DB's table j(line) = the lines of JSONL
#   live_check JSONL OFFLINE_DB AGE_NS  # the findings of JSONL against the
#                                   # views of the offline database
#   follow_check FILE OFFLINE_DB    # FILE replayed through --follow: its
#                                   # database equals OFFLINE_DB table by
#                                   # table, the live database's rows
#                                   # equal too, and its findings check
#
# The offline database is the ground truth here: the claim under test is
# that following gives the same answers as analyzing the finished file
# (the offline analysis is checked against the workloads' logs by each
# test itself).

# db_rows DB TABLE [WHERE]: every row, in a stable order, as SQL literals
db_rows() {
	local n
	n=$(sqlite3 -batch "$1" "SELECT count(*) FROM pragma_table_info('$2')")
	[ "$n" -gt 0 ] || { echo "no table $2"; return 0; }
	sqlite3 -batch "$1" ".mode quote" \
		"SELECT * FROM $2 ${3:+WHERE $3} ORDER BY $(seq -s, 1 "$n")"
}

db_same() {
	local what=$1 a=$2 b=$3 table=$4 where=${5:-}
	db_rows "$a" "$table" "$where" >"$T/rows.a" 2>&1
	db_rows "$b" "$table" "$where" >"$T/rows.b" 2>&1
	if cmp -s "$T/rows.a" "$T/rows.b"; then
		pass "$what: $table"
	else
		fail "$what: $table differs ($(wc -l <"$T/rows.a") vs" \
			"$(wc -l <"$T/rows.b") rows; < first, > second):"
		diff "$T/rows.a" "$T/rows.b" | grep '^[<>]' | head -10
	fi
}

# jsonl_load JSONL DB: table j(line TEXT) in DB (created here), a line a row
jsonl_load() {
	rm -f "$2"
	sqlite3 -batch "$2" "CREATE TABLE j(line TEXT)" ".mode ascii" \
		".separator \"\\037\" \"\\n\"" ".import '$1' j" ||
		t_bail "cannot load $1 into sqlite"
}

# jq_ JSONDB SQL: query the loaded lines
jq_() {
	sqlite3 -batch -noheader -separator ' ' "$1" "$2"
}

# live_check JSONL OFFLINE_DB AGE_NS: what the live findings said is what
# the offline views say.  Kinds whose rows are final at the end (steals,
# double waits, auto-reaps, unexplained ECHILDs, loss) must be the same
# sets, and the failed forks the rows of table fork_failure; a zombie
# line must describe a process that stayed a zombie at least that long,
# and every zombie of the end older than AGE_NS must have been reported;
# every poller and init of the offline views, too.
live_check() {
	local jl=$1 db=$2 age=$3 j=$T/jsonl.db
	jsonl_load "$jl" "$j"
	check_eq "live: every line is a JSON object with a kind" 0 \
		"$(jq_ "$j" "SELECT count(*) FROM j WHERE NOT json_valid(line)
			OR json_extract(line, '\$.kind') IS NULL")"
	check_eq "live: no kind but the documented ones" "" \
		"$(jq_ "$j" "SELECT DISTINCT json_extract(line, '\$.kind') FROM j
			WHERE json_extract(line, '\$.kind') NOT IN ('start', 'end',
			'steal', 'double_wait', 'autoreap', 'echild', 'zombie',
			'orphan_init', 'poller', 'fork_failure', 'lost')")"
	check_eq "live: one start line, first" start \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.kind') FROM j WHERE rowid = 1")"
	check_eq "live: one end line, last" end \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.kind') FROM j
			WHERE rowid = (SELECT max(rowid) FROM j)")"
	check_set "live: steals (victim call, thief call, child) = stolen_v" \
		"$(q_db "$db" "SELECT victim_call_id, thief_call_id, child_upid FROM stolen_v")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.victim_call_id'),
			json_extract(line, '\$.thief_call_id'), json_extract(line, '\$.child_upid')
			FROM j WHERE json_extract(line, '\$.kind') = 'steal'")"
	check_set "live: double waits (call, first call) = double_wait_v" \
		"$(q_db "$db" "SELECT call_id, first_call_id FROM double_wait_v")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.call_id'),
			json_extract(line, '\$.first_call_id') FROM j
			WHERE json_extract(line, '\$.kind') = 'double_wait'")"
	check_set "live: auto-reaps (upid) = autoreap_v" \
		"$(q_db "$db" "SELECT upid FROM autoreap_v")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.upid') FROM j
			WHERE json_extract(line, '\$.kind') = 'autoreap'")"
	check_set "live: ECHILDs of a targeted wait that no steal or double wait explains" \
		"$(q_db "$db" "SELECT id FROM wait_call WHERE error_class = 'lost_child'
			AND id NOT IN (SELECT victim_call_id FROM stolen_v)
			AND id NOT IN (SELECT call_id FROM double_wait_v)")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.call_id') FROM j
			WHERE json_extract(line, '\$.kind') = 'echild'")"
	# failed forks: every column of the table, a line per row (multisets)
	local c ffcols="recording_id ts_ns utid upid tid pid comm syscall ret
		errno_name pidns_id cgroup cgroup_pids container_id container_runtime"
	local ffsql="" ffjson=""
	for c in $ffcols; do
		ffsql="$ffsql${ffsql:+, }$c"
		ffjson="$ffjson${ffjson:+, }json_extract(line, '\$.$c')"
	done
	check_set "live: failed forks, a line per fork_failure row, every column" \
		"$(q_db "$db" "SELECT $ffsql FROM fork_failure")" \
		"$(jq_ "$j" "SELECT $ffjson FROM j
			WHERE json_extract(line, '\$.kind') = 'fork_failure'")"
	check_eq "live: no event came after a WATERMARK that promised its time" 0 \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.late_events') FROM j
			WHERE json_extract(line, '\$.kind') = 'end'")"
	check_eq "live: lost events at the end = recording.lost_events" \
		"$(q_db "$db" "SELECT lost_events FROM recording")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.lost_events') FROM j
			WHERE json_extract(line, '\$.kind') = 'end'")"
	# zombies: each line's upid, exit and age against the offline rows
	jq_ "$j" "SELECT json_extract(line, '\$.upid'), json_extract(line, '\$.age_ns')
		FROM j WHERE json_extract(line, '\$.kind') = 'zombie'" >"$T/zlines"
	local bad=0 upid agens
	while read -r upid agens; do
		[ "$(q_db "$db" "SELECT count(*) FROM process p, recording r
			WHERE p.upid = $upid AND p.traced = 1
			AND (p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
			AND COALESCE(p.reaped_ns, p.released_ns, p.freed_ns, r.end_ns)
			    - COALESCE(p.exit_ns, r.start_ns) >= $agens")" = 1 ] ||
			{ bad=$((bad + 1)); echo "zombie line upid $upid age $agens: not so in the database"; }
	done <"$T/zlines"
	check_eq "live: every zombie line is a process that stayed a zombie that long" 0 "$bad"
	check "live: every zombie of the end older than $age ns was reported" \
		set_within "$(q_db "$db" "SELECT z.upid FROM zombie_v z, recording r
			WHERE r.end_ns - COALESCE(z.exit_ns, r.start_ns) >= $age")" \
		"$(cut -d' ' -f1 "$T/zlines" | sort -u)"
	check "live: every poller of polling_v was reported" \
		set_within "$(q_db "$db" "SELECT utid FROM polling_v")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.utid') FROM j
			WHERE json_extract(line, '\$.kind') = 'poller'")"
	check "live: every init of orphan_init_v was reported" \
		set_within "$(q_db "$db" "SELECT init_upid FROM orphan_init_v")" \
		"$(jq_ "$j" "SELECT json_extract(line, '\$.init_upid') FROM j
			WHERE json_extract(line, '\$.kind') = 'orphan_init'")"
}

# q_db DB SQL: tab-separated rows, no header
q_db() {
	sqlite3 -batch -noheader -separator ' ' "$1" "$2"
}

# set_within SMALL BIG: every line of SMALL is a line of BIG
set_within() {
	local missing
	missing=$(comm -23 <(printf '%s\n' "$1" | sed '/^$/d' | sort -u) \
		<(printf '%s\n' "$2" | sed '/^$/d' | sort -u))
	[ -z "$missing" ] || { echo "missing: $(echo $missing)"; return 1; }
}

# follow_check FILE OFFLINE_DB [RC]: FILE replayed through --follow (the
# finished file: each WATERMARK is delivered in turn, as a live follower
# would); RC is the offline analysis' exit status (1 for damage).
follow_check() {
	local f=$1 db=$2 want=${3:-0} rc t
	rm -f "$T/follow.db" "$T/live.db"
	# zombies from 10 ms: the workloads' zombies live a few hundred ms
	"$WTREC" analyze --follow "$f" -o "$T/follow.db" --live-format jsonl \
		--zombie-age 0.01 --live-db "$T/live.db" >"$T/follow.jsonl" \
		2>"$T/follow.err"
	rc=$?
	check_eq "follow: exit status as offline" "$want" "$rc"
	[ -s "$T/follow.db" ] || { cat "$T/follow.err"; fail "follow: no database"; return; }
	for t in $(sqlite3 -batch "$db" "SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
		db_same "follow = offline" "$db" "$T/follow.db" "$t"
	done
	for t in recording process thread fork_failure; do
		db_same "live database = offline" "$db" "$T/live.db" "$t"
	done
	db_same "live database = offline" "$db" "$T/live.db" wait_call \
		"outcome IS NOT 'nothing'"
	live_check "$T/follow.jsonl" "$db" 10000000
}
