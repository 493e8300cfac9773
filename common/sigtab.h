/*
 * sigtab.h - the kernel's default action for each signal, the one table
 * both halves use: the recorder builds its signal_generate filter from it
 * (every signal whose default action terminates, plus SIGCHLD) and the
 * model decides from it which deliveries and generations can kill.
 *
 * Numbers are the generic Linux ones (x86, arm64, riscv: asm-generic
 * signal.h); the default actions are those of the kernel's
 * sig_kernel_{ignore,stop,coredump}() masks (include/linux/signal.h,
 * SIG_KERNEL_*_MASK): every other signal, the real-time ones (SIGRTMIN 32
 * .. SIGRTMAX 64, where glibc reserves 32 and 33) included, terminates.
 */
#ifndef WT_SIGTAB_H
#define WT_SIGTAB_H

#include <stddef.h>

#define WT_SIG_MAX 64    /* _NSIG on the architectures wtrec supports */
#define WT_SIGCHLD 17

enum wt_sig_action {
	WT_SIGACT_NONE = 0, /* not a signal number */
	WT_SIGACT_TERM,     /* terminate */
	WT_SIGACT_CORE,     /* terminate and dump core */
	WT_SIGACT_IGN,      /* ignore (CHLD, CONT, URG, WINCH) */
	WT_SIGACT_STOP,     /* stop (STOP, TSTP, TTIN, TTOU) */
};

/* Default action of @sig (1..64), WT_SIGACT_NONE for anything else. */
enum wt_sig_action wt_sig_default(int sig);

/* Does the default action of @sig end the process (TERM or CORE)? */
int wt_sig_kills(int sig);

/* "SIGTERM", "SIGRTMIN+3"; NULL for a number that is no signal.  The
 * returned string is static or stored in @buf (@len >= 16 bytes). */
const char *wt_sig_name(int sig, char *buf, size_t len);

/*
 * The in-kernel filter for signal:signal_generate: SIGCHLD plus every
 * signal whose default action terminates, as a tracefs filter expression
 * ("sig == 17 || sig == 1 || ... || (sig >= 32 && sig <= 64)").  Written
 * into @buf; returns its length, or -1 when @len is too small.
 */
int wt_sig_generate_filter(char *buf, size_t len);

#endif /* WT_SIGTAB_H */
