# lib.sh - shared helpers of wtrec's end-to-end tests (sourced, bash); the
# bookkeeping (check_eq, check_true, check_set, pass/fail, q, the EXIT
# cleanup), need_live and the log splitting are in tests/lib/check.sh,
# tests/lib/live.sh and tests/lib/wtlog.sh.
#
# Usage in a test:
#   . "$(dirname "$0")/lib.sh"
#   e2e_init "$@"            # args: WTREC WTWORK; skips (77) without root/tracefs
#   e2e_record basic         # wtrec record -- wtwork basic -l $T/log  -> $T/x.wtrec
#   e2e_analyze              # wtrec analyze $T/x.wtrec -o $T/db, and the
#                            # same through --follow: equal (follow.sh)
#   check_eq "what" "$expected" "$actual"
#   t_finish                 # "N passed, M failed"; exit 1 if any failed
#
# Expectations come from the workload's log ($T/log), never from wtrec's
# own output.  Everything is filtered by the workload's pids/tids: other
# recorders may run on the same machine at the same time.

# shellcheck source=../lib/live.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/live.sh"
# shellcheck source=../lib/wtlog.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/wtlog.sh"
# shellcheck source=../lib/follow.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/follow.sh"

E2E_PIDS=()   # processes this test started that may still run: SIGTERM at exit

e2e_kill_pids() {
	local p
	for p in "${E2E_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	return 0
}
t_at_exit e2e_kill_pids

# e2e_init WTREC WTWORK [live|offline]
e2e_init() {
	WTREC=${1:?usage: $0 WTREC WTWORK}
	WTWORK=${2:?usage: $0 WTREC WTWORK}
	SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	E2E_MODE=${3:-live}
	[ "$E2E_MODE" = live ] && need_live
	[ -x "$WTREC" ] || t_bail "wtrec binary not found: $WTREC"
	[ -x "$WTWORK" ] || t_bail "wtwork binary not found: $WTWORK"
	t_mktemp e2e
}

# e2e_record SCENARIO [ARGS...]: record wtwork under wtrec into $T/x.wtrec,
# its log in $T/log, with --backend $WTREC_BACKEND when that is set (the VM
# tests run every scenario with each backend).  Returns 77 when wtwork said
# the scenario cannot run here (the caller decides to skip); bails out when
# recording failed.
e2e_record() {
	local rc
	"$WTREC" record ${WTREC_BACKEND:+--backend "$WTREC_BACKEND"} \
		-o "$T/x.wtrec" -q -- "$WTWORK" "$@" -l "$T/log" \
		>"$T/record.out" 2>"$T/record.err"
	rc=$?
	if [ $rc != 0 ]; then
		cat "$T/record.out" "$T/record.err"
		t_bail "wtrec record exited $rc"
	fi
	[ -s "$T/log" ] || t_bail "wtwork wrote no log (record.err: $(head -c 500 "$T/record.err"))"
	local last
	last=$(tail -n 1 "$T/log")
	[ "$last" = "exit	77" ] && return 77
	if [ "$last" != done ]; then
		cat "$T/log"
		t_bail "wtwork $1 did not finish as planned (last log line: $last)"
	fi
	"$SRC/tests/workload/check_log.sh" "$T/log" || t_bail "wtwork log inconsistent"
	return 0
}

# e2e_analyze [FILE]: wtrec analyze FILE -o $T/db; then FILE replayed
# through `analyze --follow` must give the same database, table by table,
# and live findings that match its views (follow_check, tests/lib/follow.sh):
# every e2e recording is also a test of the live path.
e2e_analyze() {
	local f=${1:-$T/x.wtrec} rc
	rm -f "$T/db"
	"$WTREC" analyze "$f" -o "$T/db" >"$T/analyze.out" 2>"$T/analyze.err"
	rc=$?
	if [ $rc != 0 ] || [ ! -s "$T/db" ]; then
		cat "$T/analyze.err"
		t_bail "wtrec analyze exited $rc"
	fi
	e2e_on_host follow || return 0
	follow_check "$f" "$T/db"
}

# e2e_on_host WHAT: false in a QEMU guest of tests/vm (guest.sh sets
# WTREC_VM_GUEST=1), where the checks of analysis alone are left to the
# host: tests/vm/host_check.sh re-analyzes every guest recording and runs
# them there (follow_check, e2e_summary_check), since they do not depend
# on the recording kernel and TCG makes their many sqlite3 runs several
# times slower.
e2e_on_host() {
	[ "${WTREC_VM_GUEST:-}" = 1 ] || return 0
	echo "# $1 checks: on the host (tests/vm/host_check.sh)"
	return 1
}

# e2e_summary_check [DB]: every number of DB's summary equals a query over
# the rows it summarizes (tests/e2e/summary_recompute.sql; issue 11 item
# 4).  One check per summary number; a summary number the recompute does
# not cover fails too, and so does a recomputed count other than 0 the
# summary leaves out.  Every live e2e test calls it after e2e_analyze.
E2E_SUMMARY_SKIP='^(recording|host|kernel|backend|scope|command status|started|time span|events|complete|damaged|missing events)(#[0-9]+)?$'
e2e_summary_check() {
	local db=${1:-$T/db} r n rows="" out=$T/sumcheck
	e2e_on_host summary || return 0
	mkdir -p "$out"
	"$WTREC" analyze "$db" -f csv >"$out/summary.csv" 2>"$out/summary.err" ||
		{ fail "summary of $db: wtrec analyze exited $?"; return 1; }
	for r in released zombies stolen double_wait autoreap polling; do
		"$WTREC" analyze "$db" -r "$r" -f csv >"$out/$r.csv" 2>>"$out/summary.err" ||
			{ fail "summary check: wtrec analyze -r $r exited $?"; return 1; }
		n=$(($(wc -l <"$out/$r.csv") - 1))
		[ "$n" -lt 0 ] && n=0
		rows="$rows INSERT INTO report_rows VALUES ('$r', $n);"
	done
	# the summary's numbers: "item<TAB>number", "item|name<TAB>number"
	awk "$CSV_AWK"'
		NR > 1 { csvsplit($0, f); item = f[1]; v = f[2]
		  sub(/^ +/, "", item)
		  seen[item]++
		  if (item ~ /^(recording|host|kernel|backend|scope|command status|started|time span|events|lost events|complete|damaged|missing events)$/)
			item = item "#" seen[item]
		  if (item ~ /#[0-9]+$/ && item !~ /^lost events#/) next
		  if (match(v, /^[0-9]+(\.[0-9]+)?/)) print item "\t" substr(v, 1, RLENGTH)
		  n = split(v, piece, /[(),;:]/)
		  for (i = 1; i <= n; i++) {
			x = piece[i]; sub(/^ +/, "", x); sub(/ +$/, "", x)
			if (i > 1 || v !~ /^[0-9]/)
				if (match(x, /^[A-Za-z_][A-Za-z_ -]* [0-9]+$/)) {
					name = x; sub(/ [0-9]+$/, "", name)
					val = x; sub(/.* /, "", val)
					print item "|" name "\t" val
				}
		  } }' "$out/summary.csv" | sort >"$out/summary.num"
	sqlite3 -batch -readonly -noheader -separator '	' "$db" \
		"CREATE TEMP TABLE report_rows(name TEXT, n INTEGER); $rows" \
		".read $SRC/tests/e2e/summary_recompute.sql" >"$out/recompute" ||
		{ fail "summary check: summary_recompute.sql failed on $db"; return 1; }
	local key val src got bad=0
	while IFS='	' read -r key val; do
		[[ $key =~ $E2E_SUMMARY_SKIP ]] && continue
		got=$(awk -F'\t' -v k="$key" '$1 == k { print $2 "\t" $3 }' "$out/recompute")
		if [ -z "$got" ]; then
			fail "summary line '$key' = $val: no recomputation in summary_recompute.sql"
			bad=1
			continue
		fi
		while IFS='	' read -r n src; do
			if [ "$n" = "$val" ]; then
				pass "summary '$key' = $val = $src rows"
			else
				fail "summary '$key' says $val, the $src rows say $n"
				bad=1
			fi
		done <<<"$got"
	done <"$out/summary.num"
	while IFS='	' read -r key val src; do
		[ "$val" = 0 ] || [ "$val" = 0.000 ] || [ -z "$val" ] && continue
		if ! awk -F'\t' -v k="$key" '$1 == k { f = 1 } END { exit !f }' "$out/summary.num"; then
			fail "summary has no '$key', the $src rows count $val"
			bad=1
		fi
	done <"$out/recompute"
	return $bad
}

# --- facts from the workload log ----------------------------------------

# log_field KIND N: field N of every line whose first field is KIND
log_field() { awk -F'\t' -v k="$1" -v n="$2" '$1 == k { print $n }' "${3:-$T/log}"; }

# log_tids: every tid that made a logged wait call, comma-separated
log_tids() {
	awk -F'\t' '$1 == "call" || $1 == "thread" || $1 == "pollstorm" {
		t = ($1 == "call") ? $3 : ($1 == "thread" ? $2 : $3)
		if (!(t in s)) { s[t] = 1; o = o (o ? "," : "") t } }
		END { print o }' "${1:-$T/log}"
}

# log_count_calls SYSCALL: how many wait calls of SYSCALL the log has
# (pollstorm's unlogged polls counted in for wait4)
log_count_calls() {
	awk -F'\t' -v s="$1" '$1 == "call" && $4 == s { n++ }
		$1 == "pollstorm" && s == "wait4" { n += $2 }
		END { print n + 0 }' "${2:-$T/log}"
}

# log_pids: every pid the workload logged (main, forks, subprocs), comma list
log_pids() {
	awk -F'\t' '($1 == "proc" && $2 == "main_pid") { p[$3] = 1 }
		$1 == "fork" { p[$2] = 1 }
		END { for (x in p) o = o (o ? "," : "") x; print o }' "${1:-$T/log}"
}

# --- the log as SQL tables, next to wtrec's model -------------------------

# e2e_reads_memory: should the recording in $T/db hold what the kernel
# wrote to the callers' buffers?  yes on the kprobe backend when the
# kernel's return probes read entry arguments (its tracefs README, asked
# here when the test recorded on this kernel; E2E_RETARGS=yes|no says it
# for a recording made elsewhere), no on other backends and kernels,
# unknown for an offline recording without E2E_RETARGS.
e2e_reads_memory() {
	local be
	be=$(sqlite3 -batch -noheader "$T/db" "SELECT backend FROM recording LIMIT 1")
	if [ "$be" != kprobe ]; then
		echo no
	elif [ -n "${E2E_RETARGS:-}" ]; then
		echo "$E2E_RETARGS"
	elif [ "$E2E_MODE" = live ] && [ -r "$TRACING/README" ]; then
		grep 'kernel return probes support:' "$TRACING/README" |
			grep -qF '$arg<N>' && echo yes || echo no
	else
		echo unknown
	fi
}

# e2e_load_log [LOG]: $T/cmp.db = a copy of $T/db plus the log as tables:
#   log_main(pid)  log_call(seq, tid, syscall, idtype, target, options, ret,
#   errno, reaped, status, child)  log_mem(seq, tid, addr, ru_addr, ...:
#   the callmem lines, wtlog.sh)  log_fork(pid, by_tid, by_pid)
#   log_fate(pid, kind, status)  kind: child_exit|autoreaped|zombie|left_running
#   log_steal(child, thief, victim, variant)
#   e2e_expect(reads, backend): e2e_reads_memory and the recording's backend
# and views that put log and model side by side (see e2e_compare).
e2e_load_log() {
	local log=${1:-$T/log} d=$T/logtab reads
	reads=$(e2e_reads_memory)
	wtlog_split "$log" "$d" '
		$1 == "proc" && $2 == "main_pid" { print $3 > d "/main" }
		$1 == "fork" { print $2, $3, ($4 != "" ? $4 : $3) > d "/fork" }
	'
	touch "$d/main" "$d/fork"
	cp "$T/db" "$T/cmp.db"
	sqlite3 -batch "$T/cmp.db" <<SQL || t_bail "cannot load the log into sqlite"
CREATE TABLE log_main(pid INTEGER);
CREATE TABLE log_call(seq INTEGER, tid INTEGER, syscall TEXT, idtype TEXT,
  target INTEGER, options INTEGER, ret INTEGER, errno TEXT, reaped INTEGER,
  status TEXT, child INTEGER);
CREATE TABLE log_mem(seq INTEGER, tid INTEGER, addr INTEGER, ru_addr INTEGER,
  status TEXT, si_signo TEXT, si_code TEXT, si_pid TEXT, si_uid TEXT,
  si_status TEXT, ru_utime_us TEXT, ru_stime_us TEXT, ru_maxrss TEXT,
  ru_minflt TEXT, ru_majflt TEXT, ru_nvcsw TEXT, ru_nivcsw TEXT);
CREATE TABLE log_fork(pid INTEGER, by_tid INTEGER, by_pid INTEGER);
CREATE TABLE log_fate(pid INTEGER, kind TEXT, status TEXT);
CREATE TABLE log_steal(child INTEGER, thief INTEGER, victim INTEGER, variant INTEGER);
CREATE TABLE e2e_expect(reads TEXT, backend TEXT);
INSERT INTO e2e_expect SELECT '$reads', backend FROM recording LIMIT 1;
.mode tabs
.import $d/main log_main
.import $d/call log_call
.import $d/mem log_mem
.import $d/fork log_fork
.import $d/fate log_fate
.import $d/steal log_steal
$(cat "$SRC/tests/e2e/compare.sql")
SQL
}

# cq SQL: query $T/cmp.db (after e2e_load_log)
cq() {
	sqlite3 -batch -noheader -separator '	' "$T/cmp.db" "$1"
}

# e2e_compare: the model's processes and wait calls of the workload equal
# the log's, line by line (see compare.sql for what a line holds), and so
# do the calls' buffers (the pointers; what the kernel wrote where the
# recording should hold it, else nothing) when the log has callmem lines;
# the recording's wait_memory says why it holds what it holds.  One check
# per log line; mismatches are printed as a diff.  A log that gave nothing
# at all to compare (neither calls nor children: a log parser that read
# nothing?) is a failure.
e2e_compare() {
	local what whats="call proc" n_all=0
	if [ "$(cq "SELECT count(*) FROM log_mem")" -gt 0 ]; then
		whats="$whats mem"
		check_eq "recording.wait_memory gives the reason for what it holds" 1 \
			"$(cq "SELECT count(*) FROM recording r, e2e_expect e WHERE
			       r.wait_memory LIKE CASE
			         WHEN e.backend = 'tracepoint' THEN 'pointers only: the syscall tracepoints %'
			         WHEN e.reads = 'yes' THEN 'read: %'
			         WHEN e.reads = 'no' THEN 'pointers only: this kernel''s return probes cannot read entry arguments%'
			         ELSE '%' END")"
	else
		echo "note: the log has no callmem lines (an older wtwork): buffers not compared"
	fi
	for what in $whats; do
		cq "SELECT line FROM expect_$what ORDER BY line" >"$T/expect_$what"
		cq "SELECT line FROM got_$what ORDER BY line" >"$T/got_$what"
		local n_exp n_ok
		n_exp=$(wc -l <"$T/expect_$what")
		n_all=$((${n_all:-0} + n_exp))
		n_ok=$(comm -12 "$T/expect_$what" "$T/got_$what" | wc -l)
		TEST_PASS=$((TEST_PASS + n_ok))
		if ! cmp -s "$T/expect_$what" "$T/got_$what"; then
			# one failure per log line not matched, plus model rows beyond the log's
			local n_got n_bad
			n_got=$(wc -l <"$T/got_$what")
			n_bad=$((n_exp - n_ok))
			[ "$n_got" -gt "$n_exp" ] && n_bad=$((n_bad + n_got - n_exp))
			TEST_FAIL=$((TEST_FAIL + n_bad))
			echo "FAIL: $what rows: $n_ok of $n_exp log lines match the model;" \
				"differences (< log, > wtrec):"
			diff "$T/expect_$what" "$T/got_$what" | grep '^[<>]' | head -40
		fi
	done
	[ "$n_all" -gt 0 ] ||
		fail "e2e_compare: the log gave nothing to compare (a log parser that read nothing?)"
}

# CSV as wtrec writes it (RFC 4180: fields with commas or quotes are quoted,
# quotes doubled).  csvsplit(line, f) fills f[1..n] unquoted, returns n.
CSV_AWK='
function csvsplit(s, f,    n, i, c, v, q) {
	n = 0; v = ""; q = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(s, i + 1, 1) == "\"") { v = v c; i++ } else q = 0
			} else v = v c
		} else if (c == "\"") q = 1
		else if (c == ",") { f[++n] = v; v = "" }
		else if (c != "\r") v = v c
	}
	f[++n] = v
	return n
}'

# csv_has_row FILE VALUE...: some data row of FILE has every VALUE as a
# whole field.
csv_has_row() {
	local f=$1
	shift
	awk -v want="$*" "$CSV_AWK"'
		BEGIN { n = split(want, w, " ") }
		NR > 1 { m = csvsplit($0, fld); for (i = 1; i <= m; i++) have[fld[i]] = 1
		  ok = 1; for (j = 1; j <= n; j++) if (!(w[j] in have)) ok = 0
		  for (x in have) delete have[x]; if (ok) { found = 1; exit } }
		END { exit !found }' "$f"
}

# csv_column FILE NAME: the values of column NAME (by header), one a line
csv_column() {
	awk -v name="$2" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h); for (i = 1; i <= m; i++) if (h[i] == name) c = i
			  if (!c) exit 1; next }
		{ csvsplit($0, fld); print fld[c] }' "$1"
}

# csv_lookup FILE KEYCOL KEY VALCOL: VALCOL of the rows whose KEYCOL is KEY
csv_lookup() {
	awk -v kc="$2" -v key="$3" -v vc="$4" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h)
			  for (i = 1; i <= m; i++) { if (h[i] == kc) k = i; if (h[i] == vc) v = i }
			  if (!k || !v) exit 1; next }
		{ csvsplit($0, fld); if (fld[k] == key) print fld[v] }' "$1"
}

# csv_select FILE COL...: the named columns of every data row, tab-separated
csv_select() {
	local f=$1
	shift
	awk -v cols="$*" "$CSV_AWK"'
		NR == 1 { m = csvsplit($0, h); n = split(cols, want, " ")
			  for (j = 1; j <= n; j++) { idx[j] = 0
				for (i = 1; i <= m; i++) if (h[i] == want[j]) idx[j] = i
				if (!idx[j]) { print "csv_select: no column " want[j] > "/dev/stderr"; exit 1 } }
			  next }
		{ csvsplit($0, fld); o = ""
		  for (j = 1; j <= n; j++) o = o (j > 1 ? "\t" : "") fld[idx[j]]
		  print o }' "$f"
}
