/*
 * db_writer.h - a second thread that executes the database load's rows
 * while the caller's thread decodes and models the next ones.
 *
 * The producer (the model's thread) hands over rows of the tables db.c
 * writes; each is copied (its integers as they are, its strings deep-copied
 * into the batch's arena: a row's strings are valid only during the put) into
 * the batch being filled.  A full batch goes to a bounded queue; a full queue
 * blocks the producer, so memory stays flat whatever the input.  The writer
 * thread calls @apply for every row in the order they were put.  It owns
 * whatever @apply touches (db.c: the sqlite3 connection, its statements, the
 * pending wait_call rows) from wt_dbw_start() until wt_dbw_finish() or
 * wt_dbw_stop() returns.
 *
 * Errors: @apply's -1 is sticky: the writer stops, and the next wt_dbw_put()
 * (or wt_dbw_finish()) returns -1.  @apply's message is the caller's to keep
 * (db.c: its err buffer, written only by the writer until it is joined, which
 * every -1 from here has done).  Functions return 0 / -1, or NULL.
 */
#ifndef WT_DB_WRITER_H
#define WT_DB_WRITER_H

#include <stddef.h>
#include "db.h"

struct wt_dbw;

/* Batches in all (the producer's, queued, the writer's): what a producer
 * lending rows by reference (wt_dbw_put_ref) has in flight is bounded by
 * this many times what it puts between two wt_dbw_push(). */
#define WT_DBW_BATCHES 4

/* Executes one row of table @table (an index of the caller's) on the writer
 * thread; @row lives until the call returns.  0 or -1. */
typedef int (*wt_dbw_apply)(void *ctx, int table, const void *row);

/* Start the writer thread (all signals blocked in it: they stay the caller
 * thread's).  NULL with errno set.  Free with wt_dbw_finish() or
 * wt_dbw_stop(). */
struct wt_dbw *wt_dbw_start(wt_dbw_apply apply, void *ctx);

/* Queue a copy of @row, @size bytes laid out as @cols (@ncols of them) say,
 * for @table.  -1 when the writer failed or on ENOMEM: the writer has then
 * been joined (wt_dbw_stop() still frees). */
int wt_dbw_put(struct wt_dbw *w, int table, const void *row, size_t size,
	       const struct wt_db_column *cols, int ncols);

/* Queue @ref itself for @table, not a copy: the caller keeps it valid and
 * unchanged until the writer's @apply for it has returned (it must know
 * when by itself).  -1 as wt_dbw_put(). */
int wt_dbw_put_ref(struct wt_dbw *w, int table, const void *ref);

/* Queue the current batch now, however full, and wait for a free one.  -1
 * as wt_dbw_put(). */
int wt_dbw_push(struct wt_dbw *w);

/* Execute everything queued, join the writer and free @w.  -1 when a row
 * failed (@w is freed either way). */
int wt_dbw_finish(struct wt_dbw *w);

/* Drop what is queued, join the writer and free @w.  Accepts NULL. */
void wt_dbw_stop(struct wt_dbw *w);

#endif /* WT_DB_WRITER_H */
