/*
 * diag.h - how record/ reports failures upward.
 *
 * Library code in record/ never prints errors or calls exit(): a failing
 * function fills a struct wt_diag with a one-line message and the exit
 * status it implies (2 = usage or an environment that cannot record,
 * 1 = recording failed, 126/127 = the command could not be executed) and
 * returns -1.  Only wt_record_main prints the message and returns the status.
 * Informational notes (stale instance removed, backend chosen) and warnings
 * (optional event missing) go straight to stderr: they do not change the
 * outcome.
 */
#ifndef WT_REC_DIAG_H
#define WT_REC_DIAG_H

#include <stdbool.h>

struct wt_diag {
	int status;     /* exit status to return; 0 while nothing failed */
	bool hint;      /* a command-line mistake: show the usage line too */
	char msg[512];  /* "wtrec: ..." without newline */
};

/* Record a failure unless one is already recorded (the first cause wins). */
void wt_diag_set(struct wt_diag *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, appending ": strerror(errno)" using the errno at call time. */
void wt_diag_errno(struct wt_diag *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print "wtrec: ..." on stderr unless @quiet (notes, not errors). */
void wt_note(bool quiet, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print "wtrec: warning: ..." on stderr, always. */
void wt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
