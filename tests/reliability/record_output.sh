#!/bin/bash
# record_output.sh - where `wtrec record` writes, checked on the real
# binary (the writer's unit test covers the library):
#  - the recording is created mode 0600 whatever the umask (it shows
#    command lines and process names);
#  - a symlink planted at the output path is never followed: its target
#    stays unchanged (or uncreated, for a dangling one); the link itself is
#    moved aside to FILE.old like any previous output (a dangling one is
#    simply replaced);
#  - an output path that is a directory, on a read-only file system, or on
#    one that cannot create files (/proc) is refused with exit 2 and one
#    line, before or without recording: no file, no instance, the
#    directory unchanged.
. "$(dirname "$0")/lib.sh"
rl_init
need_live

umask 000
echo precious >"$T/victim"
chmod 644 "$T/victim"
victim_sum=$(sha256sum <"$T/victim")
ln -s "$T/victim" "$T/out.wtrec"
ln -s "$T/never-created" "$T/dangling.wtrec"
for f in out dangling; do
	rl_start "$T/o" "$T/err" -q -b 256 -o "$T/$f.wtrec" -- true
	wait "$REC_PID"
	check_eq "$f: exit status" 0 "$?"
	check "$f: output is a regular file, not a symlink" \
		[ -f "$T/$f.wtrec" ] && [ ! -L "$T/$f.wtrec" ]
	check_eq "$f: mode with umask 000" 600 "$(stat -c %a "$T/$f.wtrec")"
	check "$f: the recording is whole" "$LASTCHUNK" "$T/$f.wtrec" >/dev/null
	# an existing output is kept as .old; a dangling link is no output
	[ $f = out ] && check "$f: the planted link was moved aside, still a link" \
		[ -L "$T/$f.wtrec.old" ]
	check "$f: instance wtrec-$REC_PID removed" instance_gone "$REC_PID"
done
umask 022
check_eq "symlink target unchanged" "$victim_sum" "$(sha256sum <"$T/victim")"
check_eq "symlink target mode unchanged" 644 "$(stat -c %a "$T/victim")"
check "dangling symlink's target not created" [ ! -e "$T/never-created" ]

# refused output paths: exit 2, one line, nothing written
mkdir "$T/dir" "$T/ro"
if mount -t tmpfs -o ro,size=64k wtrec-test-ro "$T/ro"; then
	TEST_MOUNTS+=("$T/ro")
	ro_case=("ro|$T/ro/x.wtrec|$T/ro")
else
	echo "$TEST_NAME: note: cannot mount a read-only tmpfs; that case is skipped"
	ro_case=()
fi
# /proc's listing changes by itself: there only the file is looked for
cases=("dir|$T/dir|$T/dir" "proc|/proc/wtrec-test.wtrec|$T/dir" "${ro_case[@]}")
for c in "${cases[@]}"; do
	IFS='|' read -r id out dir <<<"$c"
	ls -la "$dir" >"$T/ls.before" 2>&1
	rl_start "$T/o" "$T/err" -q -b 256 -o "$out" -- true
	wait "$REC_PID"
	check_eq "$id ($out): exit status" 2 "$?"
	check_eq "$id: one line" 1 "$(wc -l <"$T/err")"
	check "$id: names the output" grep -qF "$out" "$T/err"
	check "$id: no instance wtrec-$REC_PID" instance_gone "$REC_PID"
	ls -la "$dir" >"$T/ls.after" 2>&1
	check_eq "$id: $dir unchanged" "$(cat "$T/ls.before")" "$(cat "$T/ls.after")"
	[ -d "$out" ] || check "$id: no $out" [ ! -e "$out" ]
	cat "$T/err"
done
t_finish
