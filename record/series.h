/*
 * series.h - the files of a --rotate recording (the flight recorder):
 * their names, the ones kept, the oldest deleted.
 *
 * `-o rec.wtrec --rotate 64M --keep 8` writes rec.000001.wtrec,
 * rec.000002.wtrec, ... (the number goes before a .wtrec extension, or at
 * the end of a name without one).  Each file is a whole recording of its
 * own (META, formats, a start snapshot, a stop snapshot, a TRAILER naming
 * the next file: continued_in), and the series is one recording: `wtrec
 * analyze rec.*.wtrec` decodes consecutive files of one series as one.
 *
 * Which files are kept is rotate.c's decision; only files this run wrote
 * and closed are ever deleted.
 */
#ifndef WT_REC_SERIES_H
#define WT_REC_SERIES_H

#include <stdint.h>

#include "diag.h"

struct wt_rec_series;

/* The series named after @base (the -o path).  NULL on ENOMEM. */
struct wt_rec_series *wt_rec_series_new(const char *base);

/* The name of file @n (from 1); malloc'd, NULL on ENOMEM. */
char *wt_rec_series_path(const struct wt_rec_series *s, unsigned n);

/* The series id (META series): the same in every file of the series. */
const char *wt_rec_series_id(const struct wt_rec_series *s);

/* The last component of @path (for TRAILER continued_in). */
const char *wt_rec_series_base(const char *path);

/* File @path was closed, complete. */
void wt_rec_series_closed(struct wt_rec_series *s, const char *path);

/* Delete the oldest closed files until at most @max are left; how many
 * were deleted.  One that cannot be is said on stderr (a warning: the
 * recording goes on) and forgotten. */
int wt_rec_series_prune(struct wt_rec_series *s, unsigned long max);

/* At stop: the armed next file was never used; delete it. */
void wt_rec_series_discard(const char *path);

void wt_rec_series_free(struct wt_rec_series *s);

#endif
