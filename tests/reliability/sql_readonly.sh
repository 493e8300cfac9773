#!/bin/bash
# sql_readonly.sh SAMPLE - `wtrec analyze` needs no privileges, and --sql
# cannot change a database.
#  1. As an unprivileged user (`nobody` via setpriv when run as root; the
#     current user otherwise), on a copy of the sample in a world-readable
#     directory: `wtrec info`, `wtrec analyze` and `analyze -o DB` work, and
#     the DB is created mode 0600.
#  2. On that DB, every writing statement given to --sql - INSERT, UPDATE,
#     DELETE, DROP, CREATE, ATTACH, DETACH, PRAGMA writable_schema=1,
#     PRAGMA query_only=0, VACUUM [INTO], BEGIN, a write hidden after a
#     SELECT, INSERT ... RETURNING - is refused with exit 2 and a message,
#     the DB's sha256 is unchanged, and no other file appears next to it.
. "$(dirname "$0")/lib.sh"
SAMPLE=${1:?usage: $0 SAMPLE.wtrec}
rl_init

# everything the other user runs or reads lives in $T, world-readable
chmod 755 "$T"
mkdir "$T/ro" "$T/rw"
cp "$WTREC" "$T/ro/wtrec"
cp "$SAMPLE" "$T/ro/s.wtrec"
chmod 755 "$T/ro" "$T/ro/wtrec"
chmod 644 "$T/ro/s.wtrec"
as_user=()
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || t_skip "setpriv (util-linux) is not installed"
	id nobody >/dev/null 2>&1 || t_skip "there is no user 'nobody'"
	chown nobody "$T/rw"
	as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups
		 env HOME=/nonexistent TMPDIR="$T/rw")
	echo "$TEST_NAME: running analyze as nobody"
fi
chmod 700 "$T/rw"
run() {
	"${as_user[@]}" "$T/ro/wtrec" "$@"
}

run info "$T/ro/s.wtrec" >"$T/info.txt" 2>"$T/err"
check_eq "info unprivileged: exit status" 0 "$?"
run analyze "$T/ro/s.wtrec" >"$T/sum.txt" 2>"$T/err"
check_eq "analyze unprivileged: exit status" 0 "$?"
check "analyze unprivileged: prints the summary" grep -q "wait calls" "$T/sum.txt"
umask 000
run analyze "$T/ro/s.wtrec" -o "$T/rw/s.db" >/dev/null 2>"$T/err"
check_eq "analyze -o unprivileged: exit status" 0 "$?"
umask 022
check_eq "DB mode (umask 000)" 600 "$(stat -c %a "$T/rw/s.db")"
cat "$T/err"

before=$(sha256sum <"$T/rw/s.db")
ls -a "$T/rw" >"$T/ls.before"
statements=(
	"INSERT INTO process(upid, recording_id, pid) VALUES (999999, 1, 1)"
	"UPDATE process SET pid = 1"
	"DELETE FROM wait_call"
	"DROP TABLE process"
	"CREATE TABLE evil (x)"
	"CREATE TEMP TABLE evil (x)"
	"ATTACH DATABASE '$T/rw/evil.db' AS e"
	"DETACH DATABASE main"
	"PRAGMA writable_schema = 1"
	"PRAGMA query_only = 0"
	"PRAGMA user_version = 7"
	"PRAGMA journal_mode = WAL"
	"VACUUM"
	"VACUUM INTO '$T/rw/copy.db'"
	"BEGIN"
	"SELECT count(*) FROM process; DELETE FROM process"
	"INSERT INTO meta (recording_id, key, value) VALUES (1, 'k', 'v') RETURNING key"
	"WITH x AS (SELECT 1) DELETE FROM process"
	"SELECT load_extension('$T/rw/evil.so')"
)
for i in "${!statements[@]}"; do
	q=${statements[$i]}
	run analyze "$T/rw/s.db" --sql "$q" >"$T/out" 2>"$T/err"
	check_eq "--sql #$i ($q): exit status" 2 "$?"
	check "--sql #$i: one-line message" [ "$(wc -l <"$T/err")" = 1 ]
	check "--sql #$i: says why" grep -Eq "refused|not authorized" "$T/err"
	check_eq "--sql #$i: DB unchanged (sha256)" "$before" "$(sha256sum <"$T/rw/s.db")"
	check_eq "--sql #$i: no file created next to the DB" \
		"$(cat "$T/ls.before")" "$(ls -a "$T/rw")"
done
# and a read still works on the same DB
run analyze "$T/rw/s.db" --sql "SELECT count(*) AS n FROM process" -f csv >"$T/out" 2>"$T/err"
check_eq "--sql SELECT: exit status" 0 "$?"
check "--sql SELECT: a count" grep -Eq "^[0-9]+" <(tail -1 "$T/out")
t_finish
