# strace2tsv.awk - strace's output as flat rows, the oracle of
# tests/e2e/real_programs.sh.  Input: `strace -f -q -ttt -o FILE` with
# trace=wait4,waitid,clone,clone3,fork,vfork,unshare,pidfd_open,
# rt_sigaction,execve (lines
# "TID EPOCH.USEC TEXT", one file).  Every pid is turned into a pid of
# strace's (= the recorder's) namespace here, since strace prints the tids
# there but the arguments and return values as the tracee saw them: each
# tracee's pid namespace and its pid there are followed from the clone
# returns ("N /* G in strace's PID NS */" with --pidns-translation, or the
# first child after unshare(CLONE_NEWPID), which is that namespace's 1).
#
# Output, tab-separated, one row per fact (first field the kind):
#   P  pid  parent_tid  parent_pid  is_thread  ns  ns_pid  ts
#        a task strace saw created (is_thread 1: CLONE_THREAD; its pid is
#        then the thread's tid and parent_pid its process); ns 0 is
#        strace's namespace; parent_pid is the real parent (CLONE_PARENT:
#        the forker's parent)
#   C  tid  pid  seq  syscall  arg1  arg2  options  ret  child  status
#      target  enter_ts  exit_ts
#        a wait4/waitid call, seq its number on that thread (1, 2, ...);
#        arg1/arg2 exactly as passed (wait4: pid, empty; waitid: idtype,
#        id); options as strace spells them; ret the return value, an
#        errno name for a failure, '?' when the tracee died inside the
#        call, 'blocked' when it never returned; child the global pid the
#        call returned (wait4's return value, waitid's si_pid), empty if
#        none; status 'exited N', 'killed SIGX', 'dumped SIGX', 'stopped
#        SIGX', 'continued' or empty; target the global pid a P_PID wait
#        names, the process a P_PIDFD's fd was opened for, empty otherwise
#   X  tid  pid  exited|killed|dumped  value  ts     (+++ lines)
#   S  tid  pid  signal  ts                         (--- signal deliveries)
#   A  pid  ignores  ts   SIGCHLD disposition of a process changed (at an
#        rt_sigaction, an exec, or a fork that inherits it): 1 = its
#        children are released at exit (SIG_IGN or SA_NOCLDWAIT), 0 = not
#   W  message                                      (what could not be read)

BEGIN { OFS = "\t" }

# The file is read twice (awk -f strace2tsv.awk FILE FILE).  The first
# pass only learns who created each task and how (creator[G], flags[G]):
# strace can print a child's own calls before its parent's clone has
# resumed, and then the child's namespace must come from its creator.
NR == FNR {
	s1 = $0
	sub(/^[0-9]+ +[0-9.]+ /, "", s1)
	if (s1 ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {   # joined as the main pass does
		if (!($1 in start1)) next
		sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", s1)
		s1 = start1[$1] s1
		delete start1[$1]
	} else if (s1 ~ / <unfinished \.\.\.>$/) {
		sub(/ <unfinished \.\.\.>$/, "", s1)
		start1[$1] = s1
		next
	}
	learn_creation($1, s1)
	next
}

# First pass: a whole line "NAME(ARGS) = RET..." of tid @t; a clone or fork
# that made a task records who made it and with which flags.
function learn_creation(t, s,    i, j, rest, g) {
	i = index(s, "(")
	if (!i || substr(s, 1, i - 1) !~ /^(clone3?|v?fork)$/) return
	j = close_paren(s, i)
	if (!j) return
	rest = substr(s, j)
	if (ret_of(rest) !~ /^[0-9]+$/) return
	sub(/^ *= */, "", rest)
	g = task_gpid(rest)
	creator[g] = t
	flags[g] = substr(s, i + 1, j - i - 2)
}

function fail(msg) { print "W\t" FILENAME ":" FNR ": " msg; }

# Index just after the ')' that closes the '(' at s[i0], counting (), [],
# {} and skipping "strings" and /* comments */; 0 when unbalanced.
function close_paren(s, i0,    i, c, d, n) {
	d = 0; n = length(s)
	for (i = i0; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "\"") {
			for (i++; i <= n && substr(s, i, 1) != "\""; i++)
				if (substr(s, i, 1) == "\\") i++
			continue
		}
		if (c == "/" && substr(s, i + 1, 1) == "*") {
			i = index(substr(s, i + 2), "*/") + i + 2
			continue
		}
		if (c == "(" || c == "[" || c == "{") d++
		else if (c == ")" || c == "]" || c == "}") { d--; if (d == 0) return i + 1 }
	}
	return 0
}

# Split the argument list s (without the parentheses) at top-level commas
# into a[1..n]; returns n.
function split_args(s, a,    i, c, d, n, cur, len) {
	n = 0; d = 0; cur = ""; len = length(s)
	for (i = 1; i <= len; i++) {
		c = substr(s, i, 1)
		if (c == "(" || c == "[" || c == "{") d++
		else if (c == ")" || c == "]" || c == "}") d--
		if (c == "," && d == 0) { a[++n] = trim(cur); cur = ""; continue }
		cur = cur c
	}
	if (trim(cur) != "" || n > 0) a[++n] = trim(cur)
	return n
}

function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }

# A number as strace printed it, comments dropped: "2 /* 940 in ... */" -> 2
function num(s) { sub(/ *\/\*.*\*\//, "", s); return trim(s) }

# The global pid of a task a clone returned as printed ("N", or "N /* G in
# strace's PID NS */": G).
function task_gpid(raw,    g) { g = xlated(raw); return g != "" ? g : num(raw) }

# The global pid strace's comment gives, or "" ("N /* G in strace's PID NS */")
function xlated(s,    m) {
	if (match(s, /\/\* [0-9]+ in strace's PID NS \*\//)) {
		m = substr(s, RSTART + 3)
		sub(/ .*/, "", m)
		return m
	}
	return ""
}

# A task seen before its creation (its creator's clone still unfinished
# in the output), or the traced command (no creator): its namespace, or
# its process for a thread, from its creator as new_task() will give it.
function early(t,    c) {
	if (!(t in creator)) { nsof[t] = 0; return }
	c = tg(creator[t])
	if (flags[t] ~ /CLONE_THREAD/) { tgid[t] = c; return }
	if (flags[t] ~ /CLONE_NEWPID/) { nsof[t] = 0; return } # new_task() says
	nsof[t] = (c in unshared) ? unshared[c] : ((c in nsof) ? nsof[c] : 0)
}

# The global pid of pid n as the process of tid t sees it.
function gpid(t, n,    ns) {
	if (n == "" || n + 0 <= 0) return ""
	ns = nsof[tg(t)]
	if (ns == 0) return n
	if ((ns, n) in nsmap) return nsmap[ns, n]
	fail("pid " n " of namespace " ns " unknown (tid " t ")")
	return ""
}

function tg(t) { return (t in tgid) ? tgid[t] : t }

# A task made by tid @t with clone flags @fl; @child_raw is the return
# value as printed ("N" or "N /* G in strace's PID NS */").
function new_task(t, child_raw, fl, ts,    child, p, thr, ns, nsp, par) {
	p = tg(t)
	child = task_gpid(child_raw)
	nsp = num(child_raw)
	thr = fl ~ /CLONE_THREAD/
	par = p
	if (fl ~ /CLONE_PARENT([^_]|$)/ && !thr) par = (p in parent) ? parent[p] : ""
	if (thr) {
		tgid[child] = p
		ns = nsof[p]
	} else {
		ns = nsof[p]
		if (fl ~ /CLONE_NEWPID/) ns = ++nns
		else if (p in unshared) ns = unshared[p]
		if (ns != nsof[p] && !((ns, "init") in nsmap)) {
			nsp = 1                # the first process of a new namespace
			nsmap[ns, "init"] = child
		} else if (ns != 0 && xlated(child_raw) == "") {
			fail("no namespace pid for " child " (tid " t ")")
			nsp = ""
		}
		nsof[child] = ns
		parent[child] = par
	}
	if (ns != 0 && nsp != "") nsmap[ns, nsp] = child
	print "P", child, t, par, thr, ns, (ns != 0 ? nsp : child), ts
	if (!thr) {
		sig_ign[child] = sig_ign[p]; nocldwait[child] = nocldwait[p]
		disposition(child, ts)
	}
}

# Print the SIGCHLD disposition of process @p when it changed.
function disposition(p, ts,    v) {
	v = (sig_ign[p] || nocldwait[p]) ? 1 : 0
	if (!(p in shown) && v == 0) { shown[p] = 0; return }
	if ((p in shown) && shown[p] == v) return
	shown[p] = v
	print "A", p, v, ts
}

function status_of_wait4(s) {
	if (match(s, /WIFEXITED\(s\) && WEXITSTATUS\(s\) == [0-9]+/)) {
		s = substr(s, RSTART, RLENGTH); sub(/.*== /, "", s); return "exited " s
	}
	if (match(s, /WIFSIGNALED\(s\) && WTERMSIG\(s\) == SIG[A-Z0-9+]+( && WCOREDUMP\(s\))?/)) {
		s = substr(s, RSTART, RLENGTH)
		k = s ~ /WCOREDUMP/ ? "dumped " : "killed "
		sub(/.*== /, "", s); sub(/ .*/, "", s); return k s
	}
	if (match(s, /WIFSTOPPED\(s\) && WSTOPSIG\(s\) == [^}]+/)) {
		s = substr(s, RSTART, RLENGTH); sub(/.*== /, "", s); return "stopped " s
	}
	if (s ~ /WIFCONTINUED/) return "continued"
	return ""
}

function field_of(s, name,    v) {
	if (!match(s, name "=[^,}]*")) return ""
	v = substr(s, RSTART + length(name) + 1, RLENGTH - length(name) - 1)
	return v
}

function status_of_siginfo(s,    code, st) {
	code = field_of(s, "si_code"); st = num(field_of(s, "si_status"))
	if (code == "CLD_EXITED") return "exited " st
	if (code == "CLD_KILLED") return "killed " st
	if (code == "CLD_DUMPED") return "dumped " st
	if (code == "CLD_STOPPED" || code == "CLD_TRAPPED") return "stopped " st
	if (code == "CLD_CONTINUED") return "continued"
	return ""
}

# The return part "= RET [ERRNO (text)] [/* ... */]": ret, or the errno
# name for a failure; '?' when the call never returned to the tracee.
function ret_of(r,    e) {
	sub(/^ *= */, "", r)
	if (r ~ /^-1 E[A-Z]+/ || r ~ /^\? E[A-Z]+/) {
		e = r; sub(/^[^ ]+ /, "", e); sub(/ .*/, "", e); return e
	}
	if (r ~ /^\?/) return "?"
	sub(/ .*/, "", r)
	return r
}

# One complete wait4/waitid call of tid @t.
function wait_call(t, name, args, rest, ts0, ts1,    a, n, a1, a2, opts, ret, ch, st, tgt, p) {
	n = split_args(args, a)
	p = tg(t)
	ret = ret_of(rest)
	ch = ""; st = ""; tgt = ""
	if (name == "wait4") {
		if (n < 3) { fail("wait4 with " n " arguments"); return }
		a1 = num(a[1]); a2 = ""; opts = a[3]
		if (a1 + 0 > 0) tgt = xlated(a[1]) != "" ? xlated(a[1]) : gpid(t, a1)
		if (ret ~ /^[0-9]+$/ && ret + 0 > 0) {
			ch = xlated(rest) != "" ? xlated(rest) : gpid(t, ret)
			st = status_of_wait4(a[2])
		}
	} else {
		if (n < 4) { fail("waitid with " n " arguments"); return }
		a1 = a[1]; a2 = num(a[2]); opts = a[4]
		if (a1 == "P_PID") tgt = xlated(a[2]) != "" ? xlated(a[2]) : gpid(t, a2)
		if (a1 == "P_PIDFD") tgt = ((p, a2) in pidfd) ? pidfd[p, a2] : ""
		if (ret == "0" && a[3] ~ /si_pid=/) {
			ch = field_of(a[3], "si_pid")
			ch = xlated(ch) != "" ? xlated(ch) : gpid(t, num(ch))
			st = status_of_siginfo(a[3])
		}
	}
	seq[t]++
	print "C", t, p, seq[t], name, a1, a2, opts, ret, ch, st, tgt, ts0, ts1
}

# One complete line "NAME(ARGS) = RET..." of tid @t.
function syscall_line(t, s, ts0, ts1,    i, j, name, args, rest, m, a, p) {
	i = index(s, "(")
	if (!i) { fail("no '(' in: " s); return }
	name = substr(s, 1, i - 1)
	j = close_paren(s, i)
	if (!j) { fail("unbalanced: " s); return }
	args = substr(s, i + 1, j - i - 2)
	rest = substr(s, j)
	if (name == "wait4" || name == "waitid") {
		wait_call(t, name, args, rest, ts0, ts1)
		return
	}
	m = ret_of(rest)
	if (m !~ /^[0-9]+$/) return          # a failed clone or unshare
	if (name == "clone" || name == "clone3" || name == "fork" || name == "vfork") {
		sub(/^ *= */, "", rest)
		new_task(t, rest, args, ts1)
	} else if (name == "unshare") {
		if (args ~ /CLONE_NEWPID/) unshared[tg(t)] = ++nns
	} else if (name == "rt_sigaction") {
		split_args(args, a)
		if (a[1] != "SIGCHLD" || a[2] == "NULL") return
		p = tg(t)
		sig_ign[p] = a[2] ~ /sa_handler=SIG_IGN/
		nocldwait[p] = a[2] ~ /SA_NOCLDWAIT/
		disposition(p, ts1)
	} else if (name == "execve" || name == "execveat") {
		# flush_signal_handlers(): SIG_IGN stays, every sa_flags is cleared
		p = tg(t)
		nocldwait[p] = 0
		disposition(p, ts1)
	} else if (name == "pidfd_open") {
		split_args(args, a)
		pidfd[tg(t), m] = gpid(t, num(a[1]))
	}
}

{
	t = $1; ts = $2
	s = $0
	sub(/^[0-9]+ +[0-9.]+ /, "", s)
	if (!(t in tgid) && !(t in nsof)) early(t)
	if (s ~ /^\+\+\+ exited with [0-9]+ \+\+\+/) {
		m = s; sub(/^\+\+\+ exited with /, "", m); sub(/ .*/, "", m)
		print "X", t, tg(t), "exited", m, ts
		next
	}
	if (s ~ /^\+\+\+ killed by SIG/) {
		m = s; sub(/^\+\+\+ killed by /, "", m)
		k = m ~ /core dumped/ ? "dumped" : "killed"
		sub(/ .*/, "", m)
		print "X", t, tg(t), k, m, ts
		next
	}
	if (s ~ /^--- SIG/) {
		m = s; sub(/^--- /, "", m); sub(/ .*/, "", m)
		print "S", t, tg(t), m, ts
		next
	}
	if (s ~ /^\+\+\+ / || s ~ /^--- /) next
	if (s ~ /^<\.\.\. [a-z0-9_]+ resumed>/) {
		if (!(t in pend)) { fail("resumed without a start: " s); next }
		r = s; sub(/^<\.\.\. [a-z0-9_]+ resumed>/, "", r)
		if (r ~ /^ <unfinished \.\.\.>\) = \?/) {
			# died inside the call: no return value reached the tracee
			r = pend[t]
			i = index(r, "(")
			if (substr(r, 1, i - 1) ~ /^wait(4|id)$/) {
				seq[t]++
				name = substr(r, 1, i - 1)
				split_args(substr(r, i + 1), a)
				a1 = name == "wait4" ? num(a[1]) : a[1]
				a2 = name == "wait4" ? "" : num(a[2])
				print "C", t, tg(t), seq[t], name, a1, a2, "", "?", "", "", "", pend_ts[t], ts
			}
			delete pend[t]
			next
		}
		full = pend[t] r
		ts0 = pend_ts[t]
		delete pend[t]
		syscall_line(t, full, ts0, ts)
		next
	}
	if (s ~ / <unfinished \.\.\.>$/) {
		sub(/ <unfinished \.\.\.>$/, "", s)
		pend[t] = s
		pend_ts[t] = ts
		next
	}
	syscall_line(t, s, ts, ts)
}

END {
	# calls still blocked when strace's output ended
	for (t in pend) {
		r = pend[t]
		i = index(r, "(")
		name = substr(r, 1, i - 1)
		if (name != "wait4" && name != "waitid") continue
		split_args(substr(r, i + 1), a)
		seq[t]++
		a1 = name == "wait4" ? num(a[1]) : a[1]
		a2 = name == "wait4" ? "" : num(a[2])
		print "C", t, tg(t), seq[t], name, a1, a2, "", "blocked", "", "", "", pend_ts[t], ""
	}
}
