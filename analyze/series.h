/*
 * series.h - which inputs of `wtrec analyze` are files of one --rotate
 * series, to be decoded as one recording (wt_decode_series): a file's
 * first META names its series (series=ID) and its place in it
 * (series_file=N).  Consecutive inputs of one series with consecutive
 * numbers are one recording; a gap (a file deleted by --keep, or not
 * given) starts another.
 */
#ifndef WT_SERIES_H
#define WT_SERIES_H

#include <stddef.h>

/* The series of @path: 1 with its id (in @id, @idlen bytes) and number,
 * 0 when it is not a series file (or cannot be read: the load says why). */
int wt_series_probe(const char *path, char *id, size_t idlen,
		    unsigned long *seq);

/* How many of the @n inputs @paths, from the first, are one recording
 * (1 for a file that is not part of a series). */
size_t wt_series_run(char *const *paths, size_t n);

#endif /* WT_SERIES_H */
