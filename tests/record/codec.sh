#!/bin/bash
# --codec: the default writes a format version 2 file of zstd chunks,
# --codec zlib a version 1 file of zlib chunks (what wtrec 0.1 reads);
# both end with a trailer and hold every call of the workload.  Ground
# truth is pollloop's own count of its wait4(WNOHANG) calls; the header's
# version and the first chunk's codec byte are read with od, as
# docs/FORMAT.md places them.
. "$(dirname "$0")/lib.sh"
rec_init "$@"
need_live

# byte AT FILE: the unsigned byte at offset AT
byte() { od -An -tu1 -j "$1" -N1 "$2" | tr -d ' '; }

for codec in default zlib; do
	F=$T/$codec.wtrec
	args=()
	[ $codec = default ] || args=(--codec "$codec")
	rec_start -q "${args[@]}" -o "$F" -- "$POLLLOOP" 0.2
	rec_wait
	check_eq "$codec: exit status" 0 "$REC_RC"
	check_eq "$codec: ends with a trailer" trailer "$(last_chunk "$F")"
	want_v=2 want_c=1 name=zstd
	[ $codec = zlib ] && want_v=1 want_c=0 name=zlib
	check_eq "$codec: header version" "$want_v" "$(byte 8 "$F")"
	check_eq "$codec: first chunk's codec byte" "$want_c" "$(byte 18 "$F")"
	check_eq "$codec: every chunk $name (wtrec info)" \
		"version $want_v, little-endian, word size 8, $name" \
		"$("$WTREC" info "$F" | sed -n 's/^format: *//p')"
	calls=$(sed -n 's/^pollloop: \([0-9]*\) calls.*/\1/p' "$T/out")
	check "$codec: pollloop printed its count" [ -n "$calls" ]
	check_eq "$codec: lost events" 0 "$(meta_value "$F" events_lost)"
	check_eq "$codec: every WNOHANG call analyzed" "$calls" \
		"$("$WTREC" analyze "$F" -f csv --sql \
			'SELECT count(*) FROM wait_call WHERE options & 1' | tail -1 | tr -d '\r')"
	check "$codec: instance removed" instance_gone "$REC_PID"
done
t_finish
