#!/bin/bash
# plan.sh BUILD SRC PLAN - what the guest runs on every kernel (see guest.sh
# for the format), taken from the build's own ctest list so that a new
# end-to-end scenario runs in the guest as soon as it is registered:
#   kprobe_dryrun_live, kprobe_live     as ctest runs them;
#   every test labelled both "live" and "e2e", once with WTREC_BACKEND=kprobe
#                                       and once with tracepoint, but those
#                                       the guest cannot hold (GUEST_SKIP);
#   vm_signals (tests/vm/guest_signals.sh) with each backend.
# Also writes PLAN.env: wtrec=PATH and wtwork=PATH (from kprobe_live's
# command).  Exit 1 with a message when ctest lists none of these.
set -u
BUILD=${1:?usage: $0 BUILD SRC PLAN}
SRC=${2:?}
PLAN=${3:?}

die() { echo "plan: $*" >&2; exit 1; }

# What the initramfs does not have, so these would only skip (and a guest
# test that skips twice fails): e2e_real_programs records node, CPython,
# make, perl, bash and tini under strace; e2e_container_* need cgroup
# hierarchies with a pids controller and tini; ecosystem_* build and
# package wtrec; live_rotate samples the series' disk use with a helper
# (dusample) the initramfs lacks, and needs a WNOHANG storm to fill
# several files, which TCG runs ~30 times slower (file rotation does not
# depend on the recording kernel).  They run on the host's kernel in the
# normal suite.  e2e_sql_files records the scenario e2e_analyze_basic
# records in the guest too, then only runs the SQL files over it, and
# e2e_db_threads_live tests the analyzer's load threads (a WNOHANG storm's
# recording, a full tmpfs): analysis, done on the host.
GUEST_SKIP='^(e2e_real_programs|e2e_container_.*|ecosystem_.*|live_rotate|e2e_sql_files|e2e_db_threads_live)$'

# ctest -N -V prints, per test: "N: Test command: CMD ARGS", "N: Working
# Directory: DIR", "Labels: L...", "  Test #N: NAME".  -> NAME TAB LABELS
# TAB DIR TAB CMD (labels comma-separated).
list=$(cd "$BUILD" && ctest -N -V 2>/dev/null | awk '
	/^[0-9]+: Test command: / { sub(/^[0-9]+: Test command: /, ""); cmd = $0; lab = ""; next }
	/^[0-9]+: Working Directory: / { sub(/^[0-9]+: Working Directory: /, ""); dir = $0; next }
	/^Labels:/ { lab = $2; for (i = 3; i <= NF; i++) lab = lab "," $i; next }
	/^ *Test +#[0-9]+: / { name = $3; if (cmd != "") print name "\t" lab "\t" dir "\t" cmd; cmd = "" }')
[ -n "$list" ] || die "ctest in $BUILD lists no tests"

field() { awk -F'\t' -v n="$1" -v f="$2" '$1 == n { print $f; exit }' <<<"$list"; }
kp_cmd=$(field kprobe_live 4)
[ -n "$kp_cmd" ] || die "ctest in $BUILD has no kprobe_live test"
# its command: bash LIVE_KPROBE "WTREC" "WTWORK"
read -r -a words <<<"$(tr -d '"' <<<"$kp_cmd")"
WTREC=${words[2]:-}
WTWORK=${words[3]:-}
[ -x "$WTREC" ] && [ -x "$WTWORK" ] || die "kprobe_live's command names no wtrec/wtwork: $kp_cmd"
printf 'wtrec=%s\nwtwork=%s\n' "$WTREC" "$WTWORK" >"$PLAN.env"

{
	for t in kprobe_dryrun_live kprobe_live; do
		c=$(field $t 4)
		[ -n "$c" ] || die "ctest in $BUILD has no $t test"
		printf '%s\t-\t%s\t%s\n' "$t" "$(field $t 3)" "$c"
	done
	n=0
	while IFS=$'\t' read -r name labels dir cmd; do
		case ",$labels," in *,live,*) ;; *) continue ;; esac
		case ",$labels," in *,e2e,*) ;; *) continue ;; esac
		[[ $name =~ $GUEST_SKIP ]] && continue
		for be in kprobe tracepoint; do
			printf '%s.%s\t%s\t%s\t%s\n' "$name" $be $be "$dir" "$cmd"
		done
		n=$((n + 1))
	done <<<"$list"
	[ $n -gt 0 ] || die "ctest in $BUILD has no test labelled live and e2e"
	for be in kprobe tracepoint; do
		printf 'vm_signals.%s\t%s\t%s\t%s\n' $be $be "$BUILD" \
			"/bin/bash \"$SRC/tests/vm/guest_signals.sh\" \"$WTREC\" \"$WTWORK\""
	done
} >"$PLAN"
