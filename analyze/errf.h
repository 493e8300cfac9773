/*
 * errf.h - the error convention of analyze/ modules that report to their
 * caller through a message buffer: a failing function formats one line
 * into the caller's @err (@errlen bytes) and returns -1, so an error path
 * reads `return wt_errf(err, errlen, "...", ...);`.
 */
#ifndef WT_ERRF_H
#define WT_ERRF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline int wt_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline int wt_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#endif /* WT_ERRF_H */
