/*
 * atomic_file.h - write an output file (timeline JSON, export tables) so that
 * a reader never sees half of it: the data goes to a temporary name in the
 * same directory and is renamed over PATH only once complete.  PATH "-"
 * means standard output (written directly, nothing to rename).
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_ATOMIC_FILE_H
#define WT_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

struct wt_atomic_file {
	FILE *f;        /* write here between open and commit/abort */
	char *path;     /* final name, NULL for stdout */
	char *tmp;      /* temporary name, NULL for stdout */
};

/* "DIR/.BASE.tmp-XXXXXX" beside @path (a mkstemp template: same file
 * system, so the final rename is atomic), malloc'ed; NULL on ENOMEM. */
char *wt_atomic_file_temp_name(const char *path);

/* Open a temporary file for @path.  On failure nothing is left behind
 * and @of needs no abort. */
int wt_atomic_file_open(struct wt_atomic_file *of, const char *path, char *err,
		    size_t errlen);

/* Flush, close and rename into place; on a write error (ENOSPC, EPIPE)
 * the temporary file is removed.  Frees @of's memory either way. */
int wt_atomic_file_commit(struct wt_atomic_file *of, char *err, size_t errlen);

/* Close and remove the temporary file; frees @of's memory.  Accepts an
 * @of that was zero-initialized or already committed. */
void wt_atomic_file_abort(struct wt_atomic_file *of);

/* Create the directory @dir, or accept it if it exists (a file of that
 * name is an error).  Files put in it go through wt_atomic_file_open. */
int wt_atomic_file_mkdir(const char *dir, char *err, size_t errlen);

#endif /* WT_ATOMIC_FILE_H */
