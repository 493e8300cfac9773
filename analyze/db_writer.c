/*
 * db_writer.c - the database load's writer thread and the bounded queue of
 * row batches that feeds it (see db_writer.h).
 *
 * Workload: tens of millions of small rows (wait_call: ~450 bytes of row
 * struct, a few short strings) from one producer; SQLite's insert costs
 * several times what decoding and modelling the row did, so the writer is
 * the bottleneck and the producer mostly waits for a free batch.  Batches
 * are large (ARENA bytes or ITEMS rows) so that the threads meet a few
 * thousand times a second, not once a row.
 *
 * SLOTS batches circulate, each in exactly one place: the producer's
 * current batch (w->cur), the ready FIFO (producer -> writer), the writer's
 * hands, or the free stack (writer -> producer).  The FIFO keeps the order
 * the rows were put in; the writer applies them in that order.
 *
 * States: running -> (finishing: done set | stopping: abort set | failed:
 * the writer's apply failed and it returned) -> joined -> freed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "db_writer.h"

#define SLOTS WT_DBW_BATCHES /* memory: SLOTS * ~290 KiB */
#define ARENA (256 * 1024) /* bytes of rows and strings per batch */
#define ITEMS 2048         /* rows per batch */
#define MAX_COLS 64        /* columns of the widest table (process: 52) */

struct item {
	int table;
	const void *row; /* in the batch's arena or its big row */
};

struct slot {
	int nitems;
	size_t used;    /* bytes of arena[] taken */
	char *big;      /* a row larger than the arena, malloc'ed; the batch
			   is sent right after it */
	struct item items[ITEMS];
	alignas(16) char arena[ARENA];
};

struct wt_dbw {
	wt_dbw_apply apply;
	void *ctx;
	pthread_t thread;
	bool joined;
	struct slot *cur;           /* the producer's batch being filled */
	pthread_mutex_t mu;         /* guards the lists and done/abort */
	pthread_cond_t ready_cv;    /* a batch is ready, or done/abort */
	pthread_cond_t free_cv;     /* a batch is free, or failed */
	struct slot *ready[SLOTS];  /* FIFO from ready_head */
	int ready_head, nready;
	struct slot *free[SLOTS];
	int nfree;
	bool done, abort;
	atomic_bool failed;         /* set once by the writer, read unlocked */
	struct slot *slots[SLOTS];  /* every batch, for freeing */
};

static void reset(struct slot *s)
{
	s->nitems = 0;
	s->used = 0;
	free(s->big);
	s->big = NULL;
}

/* ---- the writer thread --------------------------------------------------- */

/* The next ready batch, or NULL once there is none to come. */
static struct slot *take(struct wt_dbw *w)
{
	struct slot *s = NULL;

	pthread_mutex_lock(&w->mu);
	while (!w->nready && !w->done && !w->abort)
		pthread_cond_wait(&w->ready_cv, &w->mu);
	if (!w->abort && w->nready) {
		s = w->ready[w->ready_head];
		w->ready_head = (w->ready_head + 1) % SLOTS;
		w->nready--;
	}
	pthread_mutex_unlock(&w->mu);
	return s;
}

/* @s is applied (@rc: how it went): back to the producer. */
static void give_back(struct wt_dbw *w, struct slot *s, int rc)
{
	reset(s);
	pthread_mutex_lock(&w->mu);
	w->free[w->nfree++] = s;
	if (rc < 0)
		atomic_store_explicit(&w->failed, true, memory_order_release);
	pthread_cond_signal(&w->free_cv);
	pthread_mutex_unlock(&w->mu);
}

static int apply_slot(struct wt_dbw *w, const struct slot *s)
{
	for (int i = 0; i < s->nitems; i++)
		if (w->apply(w->ctx, s->items[i].table, s->items[i].row) < 0)
			return -1;
	return 0;
}

static void *writer_main(void *arg)
{
	struct wt_dbw *w = arg;
	struct slot *s;

	while ((s = take(w))) {
		int rc = apply_slot(w, s);

		give_back(w, s, rc);
		if (rc < 0)
			break;
	}
	return NULL;
}

/* ---- the producer -------------------------------------------------------- */

static void join(struct wt_dbw *w)
{
	if (!w->joined)
		pthread_join(w->thread, NULL);
	w->joined = true;
}

/* Queue the current batch and take a free one (waiting for it).  -1 when
 * the writer failed: it is joined, and w->cur is NULL. */
static int send(struct wt_dbw *w)
{
	pthread_mutex_lock(&w->mu);
	w->ready[(w->ready_head + w->nready) % SLOTS] = w->cur;
	w->nready++;
	w->cur = NULL;
	pthread_cond_signal(&w->ready_cv);
	while (!w->nfree && !atomic_load(&w->failed))
		pthread_cond_wait(&w->free_cv, &w->mu);
	if (!atomic_load(&w->failed))
		w->cur = w->free[--w->nfree];
	pthread_mutex_unlock(&w->mu);
	if (w->cur)
		return 0;
	join(w);
	return -1;
}

/* Stop the writer where it is (abort: the batches not taken are dropped)
 * and join it. */
static void halt(struct wt_dbw *w)
{
	pthread_mutex_lock(&w->mu);
	w->abort = true;
	pthread_cond_broadcast(&w->ready_cv);
	pthread_mutex_unlock(&w->mu);
	join(w);
}

/* @need bytes for a row, 16-aligned, in the current batch (sending it when
 * full); NULL (writer failed, or ENOMEM) after joining the writer. */
static char *reserve(struct wt_dbw *w, size_t need)
{
	char *p;

	need = (need + 15) & ~(size_t)15;
	if (w->cur->used + need > ARENA && w->cur->nitems && send(w) < 0)
		return NULL;
	if (need <= ARENA) {
		p = w->cur->arena + w->cur->used;
		w->cur->used += need;
		return p;
	}
	/* the batch is empty here: this row alone, and then it is sent */
	if (!(w->cur->big = malloc(need))) {
		halt(w);
		errno = ENOMEM;
	}
	return w->cur->big;
}

static const char *text_at(const void *row, size_t off)
{
	return *(const char *const *)((const char *)row + off);
}

/* The bytes a copy of @row takes: the struct, then each string's bytes
 * (their lengths in @len[], by column). */
static size_t measure(const void *row, size_t size,
		      const struct wt_db_column *cols, int ncols, size_t *len)
{
	size_t n = (size + 15) & ~(size_t)15;

	for (int c = 0; c < ncols; c++) {
		const char *s = cols[c].type == WT_COL_TEXT
					? text_at(row, cols[c].offset) : NULL;

		len[c] = s ? strlen(s) + 1 : 0;
		n += len[c];
	}
	return n;
}

/* Copy @row to @dst: the struct, its strings after it, repointed. */
static void copy_row(char *dst, const void *row, size_t size,
		     const struct wt_db_column *cols, int ncols,
		     const size_t *len)
{
	char *text = dst + ((size + 15) & ~(size_t)15);

	memcpy(dst, row, size);
	for (int c = 0; c < ncols; c++) {
		if (!len[c])
			continue;
		memcpy(text, text_at(row, cols[c].offset), len[c]);
		*(const char **)(dst + cols[c].offset) = text;
		text += len[c];
	}
}

int wt_dbw_put(struct wt_dbw *w, int table, const void *row, size_t size,
	       const struct wt_db_column *cols, int ncols)
{
	size_t len[MAX_COLS];
	char *dst;

	/* joined: an earlier put failed (the writer is gone) */
	if (w->joined || ncols > MAX_COLS ||
	    atomic_load_explicit(&w->failed, memory_order_acquire)) {
		halt(w);
		return -1;
	}
	if (!(dst = reserve(w, measure(row, size, cols, ncols, len))))
		return -1;
	copy_row(dst, row, size, cols, ncols, len);
	w->cur->items[w->cur->nitems++] = (struct item){ table, dst };
	if (w->cur->nitems == ITEMS || w->cur->big)
		return send(w);
	return 0;
}

int wt_dbw_put_ref(struct wt_dbw *w, int table, const void *ref)
{
	if (w->joined || atomic_load_explicit(&w->failed, memory_order_acquire)) {
		halt(w);
		return -1;
	}
	w->cur->items[w->cur->nitems++] = (struct item){ table, ref };
	if (w->cur->nitems == ITEMS)
		return send(w);
	return 0;
}

int wt_dbw_push(struct wt_dbw *w)
{
	if (w->joined || atomic_load_explicit(&w->failed, memory_order_acquire)) {
		halt(w);
		return -1;
	}
	return send(w);
}

/* ---- lifecycle ----------------------------------------------------------- */

static void free_all(struct wt_dbw *w)
{
	for (int i = 0; i < SLOTS; i++) {
		if (w->slots[i])
			free(w->slots[i]->big);
		free(w->slots[i]);
	}
	pthread_cond_destroy(&w->free_cv);
	pthread_cond_destroy(&w->ready_cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

/* The thread, with every signal blocked in it: a signal handler of the
 * caller's (analyze's SIGINT flag) runs on the caller's thread, and no
 * write of SQLite's is cut short by EINTR. */
static int spawn(struct wt_dbw *w)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, writer_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct wt_dbw *wt_dbw_start(wt_dbw_apply apply, void *ctx)
{
	struct wt_dbw *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return NULL;
	w->apply = apply;
	w->ctx = ctx;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->ready_cv, NULL);
	pthread_cond_init(&w->free_cv, NULL);
	for (int i = 0; i < SLOTS; i++) {
		if (!(w->slots[i] = calloc(1, sizeof(struct slot)))) {
			w->joined = true;
			free_all(w);
			errno = ENOMEM;
			return NULL;
		}
		w->free[w->nfree++] = w->slots[i];
	}
	w->cur = w->free[--w->nfree];
	if ((rc = spawn(w)) != 0) {
		w->joined = true;
		free_all(w);
		errno = rc;
		return NULL;
	}
	return w;
}

int wt_dbw_finish(struct wt_dbw *w)
{
	int rc;

	pthread_mutex_lock(&w->mu);
	if (w->cur && w->cur->nitems) {
		w->ready[(w->ready_head + w->nready) % SLOTS] = w->cur;
		w->nready++;
		w->cur = NULL;
	}
	w->done = true;
	pthread_cond_signal(&w->ready_cv);
	pthread_mutex_unlock(&w->mu);
	join(w);
	rc = atomic_load(&w->failed) ? -1 : 0;
	free_all(w);
	return rc;
}

void wt_dbw_stop(struct wt_dbw *w)
{
	if (!w)
		return;
	halt(w);
	free_all(w);
}
