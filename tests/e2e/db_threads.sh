#!/bin/bash
# db_threads.sh WTREC WTWORK offline|live [POLLLOOP] - `wtrec analyze`
# loads the database on a second thread (analyze/db_writer.c; its page
# writes on a third, db_vfs.c); WTREC_DB_THREADS=0 loads it on one.  Both
# must give the same database: every table equal row by row (db_same,
# tests/lib/follow.sh), and the tables with an implicit rowid equal in
# rowid order too (the rows went in in the same order).  offline: the
# shipped recordings; live (root): 0.05 s of tests/record/pollloop
# (60-100 k calls: uniform wait_call batches across many of the writer's
# batches; short, since comparing row by row costs far more than
# analyzing), and the basic scenario's mix of processes, threads and
# calls; SIGINT/SIGTERM mid-load; a full file system mid-load.
. "$(dirname "$0")/lib.sh"
e2e_init "$1" "$2" "${3:-offline}"

# rowid_rows DB TABLE: every row with its rowid, in rowid order
rowid_rows() {
	sqlite3 -batch "$1" ".mode quote" "SELECT rowid, * FROM $2 ORDER BY rowid"
}

# same_db WHAT FILE: FILE analyzed both ways, the databases compared
same_db() {
	local what=$1 f=$2 t a=$T/threads.db b=$T/one.db
	rm -f "$a" "$b"
	"$WTREC" analyze "$f" -o "$a" >/dev/null 2>"$T/a.err"
	check_eq "$what: analyze exit status (writer thread)" 0 $?
	WTREC_DB_THREADS=0 "$WTREC" analyze "$f" -o "$b" >/dev/null 2>"$T/b.err"
	check_eq "$what: analyze exit status (WTREC_DB_THREADS=0)" 0 $?
	check_eq "$what: the same tables" \
		"$(sqlite3 -batch "$b" "SELECT name FROM sqlite_master
		   WHERE type = 'table' ORDER BY name")" \
		"$(sqlite3 -batch "$a" "SELECT name FROM sqlite_master
		   WHERE type = 'table' ORDER BY name")"
	check_true "$what: wait_call has rows" \
		[ "$(sqlite3 -batch "$b" "SELECT count(*) FROM wait_call")" -gt 0 ]
	for t in $(sqlite3 -batch "$b" "SELECT name FROM sqlite_master
		   WHERE type = 'table' ORDER BY name"); do
		db_same "$what" "$b" "$a" "$t"
	done
	for t in $(sqlite3 -batch "$b" "SELECT name FROM sqlite_master
		   WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		   AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name"); do
		rowid_rows "$b" "$t" >"$T/r.b"
		rowid_rows "$a" "$t" >"$T/r.a"
		check "$what: $t in the same rowid order" cmp -s "$T/r.b" "$T/r.a"
	done
}

differs() { ! cmp -s "$1" "$2"; }

# The comparison can fail: one changed wait_call row is seen.
control() {
	cp "$T/threads.db" "$T/changed.db"
	sqlite3 -batch "$T/changed.db" "UPDATE wait_call SET dur_ns = dur_ns + 1
		WHERE id = (SELECT max(id) FROM wait_call WHERE dur_ns IS NOT NULL)"
	db_rows "$T/one.db" wait_call >"$T/r.b"
	db_rows "$T/changed.db" wait_call >"$T/r.a"
	check "control: one changed row makes wait_call differ" \
		differs "$T/r.b" "$T/r.a"
}

if [ "$E2E_MODE" = offline ]; then
	for f in samples/wtwork.wtrec tests/live/data/incident.wtrec; do
		[ -f "$SRC/$f" ] || t_bail "no $SRC/$f"
		same_db "$f" "$SRC/$f"
	done
	control
	t_finish
fi

POLLLOOP=${4:?usage: $0 WTREC WTWORK live POLLLOOP}
"$WTREC" record -q -o "$T/p.wtrec" -- "$POLLLOOP" 0.05 >"$T/p.out" 2>"$T/p.err" ||
	t_bail "wtrec record -- pollloop failed: $(cat "$T/p.err")"
calls=$(awk '$1 == "pollloop:" { print $2 }' "$T/p.out")
check_true "pollloop: more calls ($calls) than 20 of the writer's batches hold" \
	[ "${calls:-0}" -gt 20480 ]
same_db "pollloop 0.05 s" "$T/p.wtrec"
control

# Interrupted while the writer loads (1 s of pollloop: ~2 M calls take
# analyze well over a second; the signal comes after 0.3 s, and at any
# earlier moment the answer is the same): the writer is stopped and joined,
# exit 130, nothing left at -o or beside it.
"$WTREC" record -q -o "$T/big.wtrec" -- "$POLLLOOP" 1 >/dev/null 2>"$T/big.err" ||
	t_bail "wtrec record -- pollloop 1 failed: $(cat "$T/big.err")"
mkdir "$T/out"
for sig in INT TERM; do
	env --default-signal=INT,TERM "$WTREC" analyze "$T/big.wtrec" \
		-o "$T/out/db" >/dev/null 2>"$T/int.err" &
	pid=$!
	sleep 0.3
	kill -"$sig" "$pid"
	wait "$pid"
	check_eq "SIG$sig during the load: exit status" 130 $?
	check "SIG$sig during the load: says interrupted" \
		grep -q 'interrupted' "$T/int.err"
	check_eq "SIG$sig during the load: nothing left" "" "$(ls -A "$T/out")"
done

# A full file system mid-load (a 2 MiB tmpfs; the database is ~6 MB): the
# page write that fails (on the I/O thread, db_vfs.c) fails the insert on
# the writer thread, and that fails the load: exit 2 naming the error,
# nothing left at -o or beside it; the same on one thread.
full_umount() { umount "$T/full" 2>/dev/null; return 0; }
mkdir "$T/full"
if mount -t tmpfs -o size=2m wtrec-test-full "$T/full"; then
	t_at_exit full_umount
	for threads in 1 0; do
		WTREC_DB_THREADS=$threads "$WTREC" analyze "$T/p.wtrec" \
			-o "$T/full/db" >/dev/null 2>"$T/full.err"
		check_eq "disk full, WTREC_DB_THREADS=$threads: exit status" 2 $?
		check "disk full, WTREC_DB_THREADS=$threads: says so" \
			grep -q 'disk is full' "$T/full.err"
		check_eq "disk full, WTREC_DB_THREADS=$threads: nothing left" "" \
			"$(ls -A "$T/full")"
	done
else
	echo "$TEST_NAME: note: cannot mount a tmpfs; the disk-full case is skipped"
fi

e2e_record basic || t_skip "wtwork basic cannot run here"
same_db "basic" "$T/x.wtrec"
t_finish
