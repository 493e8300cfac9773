/*
 * wait_mem.c - a wait call's buffers and their strace spelling (see
 * wait_mem.h for what the kernel writes when).
 *
 * The spelling follows strace 6.x (src/wait.c printstatus(),
 * src/printsiginfo.c printsiginfo(), src/printrusage.c printrusage()),
 * restricted to the fields the recording holds; signal names as strace's
 * (SIGRT_n for real-time signals, n from 32).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sigtab.h"
#include "wait_mem.h"

static const struct wt_wait_mem none = {
	WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE,
	WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE,
	WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE, WT_MEM_NONE,
};

_Static_assert(sizeof(none) == 15 * sizeof(int64_t),
	       "initialize every field of none");

void wt_mem_clear(struct wt_wait_mem *m)
{
	*m = none;
}

static int64_t ptr(bool has, uint64_t addr)
{
	/* user addresses are below 2^63 on every architecture */
	return has && addr && addr <= INT64_MAX ? (int64_t)addr : WT_MEM_NONE;
}

void wt_mem_pointers(struct wt_wait_mem *m, enum wt_syscall sys, bool has,
		     uint64_t uaddr, uint64_t ru_addr)
{
	wt_mem_clear(m);
	if (sys == WT_SYS_WAIT4)
		m->status_addr = ptr(has, uaddr);
	else
		m->infop_addr = ptr(has, uaddr);
	m->rusage_addr = ptr(has, ru_addr);
}

static void put_rusage(struct wt_wait_mem *m, const struct wt_rusage *ru)
{
	m->ru_utime_us = ru->utime_sec * 1000000 + ru->utime_usec;
	m->ru_stime_us = ru->stime_sec * 1000000 + ru->stime_usec;
	m->ru_maxrss_kb = ru->maxrss; /* getrusage() gives KiB */
	m->ru_minflt = ru->minflt;
	m->ru_majflt = ru->majflt;
	m->ru_nvcsw = ru->nvcsw;
	m->ru_nivcsw = ru->nivcsw;
}

void wt_mem_contents(struct wt_wait_mem *m, const struct wt_event *ev,
		     bool info_ok)
{
	bool reported;

	if (ev->wait_exit.sys == WT_SYS_WAIT4) {
		reported = ev->wait_exit.ret > 0;
	} else {
		/* kernel_waitid()'s pid, or the caller's si_pid */
		reported = info_ok && ev->wait_exit.info_pid != 0;
		if (m->infop_addr != WT_MEM_NONE && info_ok &&
		    ev->wait_exit.has_full_siginfo) {
			m->info_signo = ev->wait_exit.info_signo;
			m->info_code = ev->wait_exit.info_code;
			m->info_pid = ev->wait_exit.info_pid;
			m->info_uid = ev->wait_exit.info_uid;
			m->info_status = ev->wait_exit.info_status;
		}
	}
	/* the kernel copies the rusage out only for a reported child; the
	 * probe reads it all the same */
	if (m->rusage_addr != WT_MEM_NONE && ev->wait_exit.has_rusage &&
	    reported)
		put_rusage(m, &ev->wait_exit.ru);
}

/* ---- strace's spelling ---------------------------------------------------- */

/* printf into @buf at *@used, truncating at the end. */
static void put(char *buf, size_t len, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

/* strace's sprintsigname(): "SIGKILL", "SIGRT_3"; the number otherwise */
static const char *signame(int64_t sig, char *buf, size_t len)
{
	const char *s;

	if (sig >= 32 && sig <= WT_SIG_MAX) {
		snprintf(buf, len, "SIGRT_%d", (int)sig - 32);
		return buf;
	}
	s = sig > 0 && sig < 32 ? wt_sig_name((int)sig, buf, len) : NULL;
	if (!s) {
		snprintf(buf, len, "%lld", (long long)sig);
		s = buf;
	}
	return s;
}

static const char *const ptrace_events[] = {
	[1] = "PTRACE_EVENT_FORK", [2] = "PTRACE_EVENT_VFORK",
	[3] = "PTRACE_EVENT_CLONE", [4] = "PTRACE_EVENT_EXEC",
	[5] = "PTRACE_EVENT_VFORK_DONE", [6] = "PTRACE_EVENT_EXIT",
	[7] = "PTRACE_EVENT_SECCOMP",
};

/* The bits the kind of status left over: " | PTRACE_EVENT_X << 16 | 0x..." */
static void status_rest(char *buf, size_t len, size_t *u, unsigned rest)
{
	unsigned ev = rest >> 16;

	if (ev) {
		if (ev < sizeof(ptrace_events) / sizeof(ptrace_events[0]) &&
		    ptrace_events[ev])
			put(buf, len, u, " | %s << 16", ptrace_events[ev]);
		else if (ev == 128)
			put(buf, len, u, " | PTRACE_EVENT_STOP << 16");
		else
			put(buf, len, u, " | %#x /* PTRACE_EVENT_??? */ << 16", ev);
		rest &= 0xffff;
	}
	if (rest)
		put(buf, len, u, " | %#x", rest);
}

const char *wt_status_text(int64_t status, char *buf, size_t len)
{
	unsigned st = (unsigned)status, low = st & 0x7f;
	char sb[24];
	size_t u = 0;

	if (status == WT_MEM_NONE)
		return NULL;
	if ((st & 0xff) == 0x7f) {                  /* WIFSTOPPED */
		unsigned sig = (st >> 8) & 0xff;
		put(buf, len, &u, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s%s}",
		    signame(sig & 0x7f, sb, sizeof(sb)),
		    sig & 0x80 ? " | 0x80" : "");
		st &= ~((sig << 8) | 0x7fu);
	} else if (low != 0 && low != 0x7f) {       /* WIFSIGNALED */
		put(buf, len, &u, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}",
		    signame(low, sb, sizeof(sb)),
		    st & 0x80 ? " && WCOREDUMP(s)" : "");
		st &= ~0xffu;
	} else if (low == 0) {                      /* WIFEXITED */
		put(buf, len, &u, "[{WIFEXITED(s) && WEXITSTATUS(s) == %u}",
		    (st >> 8) & 0xff);
		st &= ~0xff00u;
	} else if (st == 0xffff) {                  /* WIFCONTINUED */
		put(buf, len, &u, "[{WIFCONTINUED(s)}");
		st = 0;
	} else {                                    /* none of them */
		snprintf(buf, len, "[%#x]", st);
		return buf;
	}
	status_rest(buf, len, &u, st);
	put(buf, len, &u, "]");
	return buf;
}

static const char *const cld_codes[] = {
	[1] = "CLD_EXITED", [2] = "CLD_KILLED", [3] = "CLD_DUMPED",
	[4] = "CLD_TRAPPED", [5] = "CLD_STOPPED", [6] = "CLD_CONTINUED",
};

const char *wt_siginfo_text(const struct wt_wait_mem *m, char *buf,
			    size_t len)
{
	char sb[24], cb[24];
	const char *code;
	size_t u = 0;

	if (m->info_signo == WT_MEM_NONE)
		return NULL;
	if (m->info_signo == 0) /* nothing reported: the kernel zeroed it */
		return snprintf(buf, len, "{}") < 0 ? NULL : buf;
	if (m->info_code >= 1 && m->info_code <= 6) {
		code = cld_codes[m->info_code];
	} else {
		snprintf(cb, sizeof(cb), "%lld", (long long)m->info_code);
		code = cb;
	}
	put(buf, len, &u, "{si_signo=%s, si_code=%s, si_pid=%lld, si_uid=%lld",
	    signame(m->info_signo, sb, sizeof(sb)), code, (long long)m->info_pid,
	    (long long)m->info_uid);
	if (m->info_code == 1) /* CLD_EXITED: an exit code, else a signal */
		put(buf, len, &u, ", si_status=%lld}", (long long)m->info_status);
	else
		put(buf, len, &u, ", si_status=%s}",
		    signame(m->info_status, sb, sizeof(sb)));
	return buf;
}

const char *wt_rusage_text(const struct wt_wait_mem *m, char *buf,
			   size_t len)
{
	size_t u = 0;

	if (m->ru_utime_us == WT_MEM_NONE)
		return NULL;
	put(buf, len, &u, "{ru_utime={tv_sec=%lld, tv_usec=%lld}, "
	    "ru_stime={tv_sec=%lld, tv_usec=%lld}, ru_maxrss=%lld, "
	    "ru_minflt=%lld, ru_majflt=%lld, ru_nvcsw=%lld, ru_nivcsw=%lld, ...}",
	    (long long)(m->ru_utime_us / 1000000),
	    (long long)(m->ru_utime_us % 1000000),
	    (long long)(m->ru_stime_us / 1000000),
	    (long long)(m->ru_stime_us % 1000000), (long long)m->ru_maxrss_kb,
	    (long long)m->ru_minflt, (long long)m->ru_majflt,
	    (long long)m->ru_nvcsw, (long long)m->ru_nivcsw);
	return buf;
}
