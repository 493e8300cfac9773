/*
 * wtlog.h - the ground-truth log of wtwork: TSV, one fact per line, written
 * with one write(2) per line on an O_APPEND descriptor so that lines from
 * several threads and forked processes never interleave.
 *
 * The log records what the syscalls themselves returned, never what a tracer
 * saw; it is what wtrec's end-to-end tests compare wtrec's findings with.
 * Line kinds (fields separated by one TAB) are listed in wtwork.c.
 */
#ifndef WTLOG_H
#define WTLOG_H

#include <signal.h>
#include <stddef.h>

/* Open (truncate) the log; "-" means stdout.  Returns 0 or -1 with errno. */
int wl_open(const char *path);

/* Append one line: printf format, the newline is added.  A failed write is
 * remembered and reported by wl_failed(), the caller keeps going. */
void wl_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Log `mismatch<TAB>TEXT`: the workload did not behave as planned (a bug in
 * wtwork or a surprise from the kernel).  Counted by wl_failed(). */
void wl_mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Number of mismatches logged plus 1 if some line could not be written. */
int wl_failed(void);

/* The log descriptor, so forked helpers can keep it and close the rest. */
int wl_fd(void);

/* "exited N", "killed S", "stopped S", "continued" for a wait4 status word.
 * Writes into buf (size n) and returns buf. */
const char *wl_status_text(int status, char *buf, size_t n);

/* The same text for a waitid siginfo (si_code CLD_*, si_status). */
const char *wl_siginfo_text(const siginfo_t *si, char *buf, size_t n);

/* errno name ("ECHILD") or "-" for 0; unknown values as "E<number>". */
const char *wl_errno_name(int err);

#endif
