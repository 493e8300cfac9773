/*
 * sigtab.c - default signal actions (see sigtab.h).
 *
 * The four non-terminating classes are short lists; everything else from 1
 * to 64 terminates.  Kernel source: include/linux/signal.h,
 * SIG_KERNEL_IGNORE_MASK (CHLD CONT URG WINCH), SIG_KERNEL_STOP_MASK (STOP
 * TSTP TTIN TTOU), SIG_KERNEL_COREDUMP_MASK (QUIT ILL TRAP ABRT BUS FPE
 * SEGV XCPU XFSZ SYS; EMT where it exists).
 */
#include <stdio.h>
#include <string.h>
#include "sigtab.h"

static const char *const names[32] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

enum wt_sig_action wt_sig_default(int sig)
{
	switch (sig) {
	case 17: case 18: case 23: case 28:
		return WT_SIGACT_IGN;
	case 19: case 20: case 21: case 22:
		return WT_SIGACT_STOP;
	case 3: case 4: case 5: case 6: case 7: case 8: case 11: case 24:
	case 25: case 31:
		return WT_SIGACT_CORE;
	default:
		return sig >= 1 && sig <= WT_SIG_MAX ? WT_SIGACT_TERM
						     : WT_SIGACT_NONE;
	}
}

int wt_sig_kills(int sig)
{
	enum wt_sig_action a = wt_sig_default(sig);

	return a == WT_SIGACT_TERM || a == WT_SIGACT_CORE;
}

const char *wt_sig_name(int sig, char *buf, size_t len)
{
	if (sig >= 1 && sig < 32)
		return names[sig];
	if (sig < 32 || sig > WT_SIG_MAX || len < 16)
		return NULL;
	/* The kernel's SIGRTMIN is 32; glibc keeps 32 and 33 for itself and
	 * calls 34 SIGRTMIN, which is how strace and kill -l name them. */
	if (sig < 34)
		snprintf(buf, len, "SIG%d", sig);
	else if (sig == 34)
		snprintf(buf, len, "SIGRTMIN");
	else
		snprintf(buf, len, "SIGRTMIN+%d", sig - 34);
	return buf;
}

int wt_sig_generate_filter(char *buf, size_t len)
{
	size_t n = 0;
	int w = snprintf(buf, len, "sig == %d", WT_SIGCHLD);

	if (w < 0 || (size_t)w >= len)
		return -1;
	n = (size_t)w;
	/* Signals 1..31 one by one; the real-time range in one term. */
	for (int sig = 1; sig < 32; sig++) {
		if (!wt_sig_kills(sig))
			continue;
		w = snprintf(buf + n, len - n, " || sig == %d", sig);
		if (w < 0 || (size_t)w >= len - n)
			return -1;
		n += (size_t)w;
	}
	w = snprintf(buf + n, len - n, " || (sig >= 32 && sig <= %d)",
		     WT_SIG_MAX);
	if (w < 0 || (size_t)w >= len - n)
		return -1;
	return (int)(n + (size_t)w);
}
