/*
 * diag.c - failure messages and notes for record/ (see diag.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

static void vset(struct wt_diag *d, int status, int err, const char *fmt,
		 va_list ap)
{
	size_t n;

	if (d->status)
		return;
	d->status = status;
	n = snprintf(d->msg, sizeof(d->msg), "wtrec: ");
	vsnprintf(d->msg + n, sizeof(d->msg) - n, fmt, ap);
	if (err) {
		n = strlen(d->msg);
		snprintf(d->msg + n, sizeof(d->msg) - n, ": %s", strerror(err));
	}
}

void wt_diag_set(struct wt_diag *d, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(d, status, 0, fmt, ap);
	va_end(ap);
}

void wt_diag_errno(struct wt_diag *d, int status, const char *fmt, ...)
{
	int err = errno ? errno : EIO;
	va_list ap;

	va_start(ap, fmt);
	vset(d, status, err, fmt, ap);
	va_end(ap);
}

void wt_note(bool quiet, const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	fputs("wtrec: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void wt_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("wtrec: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
