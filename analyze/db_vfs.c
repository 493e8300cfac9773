/*
 * db_vfs.c - an SQLite VFS over the default one whose main-database page
 * writes are done by a thread of their own.
 *
 * Workload: the bulk load writes a database of ~100 bytes a wait_call row
 * (1.6 GB for a 10 s pollstorm) once, page by page, as SQLite's cache
 * spills; nothing is read back until the indexes are built after the load
 * (strace of a 3.3 M-row load: ~20 k page writes, 9 reads, all at the
 * end).  The kernel's copy of those pages into the page cache was ~19 %
 * of the writer thread's CPU (perf, bench/README.md); here SQLite's
 * thread copies each page into a queue of QUEUE buffers and the I/O
 * thread writes them, in order, on the CPU the model's thread leaves
 * partly idle.
 *
 * Consistency: only xWrite is asynchronous.  Every other method that
 * reads or depends on the file's content or size (read, truncate, sync,
 * size, lock, unlock, file controls but the size hint) first waits until
 * the queue is empty, so SQLite sees the file as if every write had been
 * done at once.  A failed write is sticky: the next call returns its
 * error code (SQLite then fails the statement).  Other files (temporary
 * sorter files of CREATE INDEX) pass straight through.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "db_vfs.h"

#define QUEUE 32 /* page writes in flight: 32 x 16 KiB */
#define WAKE 8   /* queued writes that wake the I/O thread: a wake-up per
		    page cost the SQLite thread ~4 % in futex calls */

struct wio {
	void *buf;
	size_t cap;
	int amt;
	sqlite3_int64 off;
};

/* Our sqlite3_file; the default VFS's file follows it (real). */
struct afile {
	sqlite3_file base;
	sqlite3_file *real;
	bool async;             /* the main database: writes queued */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work_cv; /* queued, or stop */
	pthread_cond_t done_cv; /* one written */
	struct wio q[QUEUE];    /* FIFO q[head .. head + n), q[head] is
				   being written while n > 0 */
	int head, n;
	bool stop;
	int rc;                 /* first failed write, sticky */
};

static sqlite3_vfs *base_vfs;

/* ---- the I/O thread ------------------------------------------------------ */

static void *io_main(void *arg)
{
	struct afile *f = arg;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		while (!f->n && !f->stop)
			pthread_cond_wait(&f->work_cv, &f->mu);
		if (!f->n)
			break;
		struct wio *e = &f->q[f->head];
		pthread_mutex_unlock(&f->mu);
		int rc = f->real->pMethods->xWrite(f->real, e->buf, e->amt,
						   e->off);
		pthread_mutex_lock(&f->mu);
		if (rc != SQLITE_OK && f->rc == SQLITE_OK)
			f->rc = rc;
		f->head = (f->head + 1) % QUEUE;
		f->n--;
		pthread_cond_signal(&f->done_cv);
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* Wait until every queued write is done; the sticky error, or OK. */
static int drain(struct afile *f)
{
	int rc;

	if (!f->async)
		return SQLITE_OK;
	pthread_mutex_lock(&f->mu);
	if (f->n)
		pthread_cond_signal(&f->work_cv); /* fewer than WAKE */
	while (f->n)
		pthread_cond_wait(&f->done_cv, &f->mu);
	rc = f->rc;
	pthread_mutex_unlock(&f->mu);
	return rc;
}

/* ---- the file methods ---------------------------------------------------- */

static struct afile *af(sqlite3_file *p)
{
	return (struct afile *)p;
}

static int a_write(sqlite3_file *p, const void *buf, int amt,
		   sqlite3_int64 off)
{
	struct afile *f = af(p);
	struct wio *e;
	int rc;

	if (!f->async)
		return f->real->pMethods->xWrite(f->real, buf, amt, off);
	pthread_mutex_lock(&f->mu);
	while (f->n == QUEUE) /* n passed WAKE: it is awake */
		pthread_cond_wait(&f->done_cv, &f->mu);
	rc = f->rc;
	/* the free entry after the queued ones: the I/O thread never looks
	 * at it until n counts it */
	e = &f->q[(f->head + f->n) % QUEUE];
	pthread_mutex_unlock(&f->mu);
	if (rc != SQLITE_OK)
		return rc;
	if (e->cap < (size_t)amt) {
		void *nb = realloc(e->buf, (size_t)amt);

		if (!nb)
			return SQLITE_IOERR_NOMEM;
		e->buf = nb;
		e->cap = (size_t)amt;
	}
	memcpy(e->buf, buf, (size_t)amt);
	e->amt = amt;
	e->off = off;
	pthread_mutex_lock(&f->mu);
	/* it sleeps only on an empty queue; drain() wakes it for fewer */
	if (++f->n == WAKE)
		pthread_cond_signal(&f->work_cv);
	pthread_mutex_unlock(&f->mu);
	return SQLITE_OK;
}

static int a_close(sqlite3_file *p)
{
	struct afile *f = af(p);
	int rc = drain(f), crc;

	if (f->async) {
		pthread_mutex_lock(&f->mu);
		f->stop = true;
		pthread_cond_signal(&f->work_cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->thread, NULL);
		for (int i = 0; i < QUEUE; i++)
			free(f->q[i].buf);
		pthread_cond_destroy(&f->done_cv);
		pthread_cond_destroy(&f->work_cv);
		pthread_mutex_destroy(&f->mu);
	}
	crc = f->real->pMethods->xClose(f->real);
	return rc != SQLITE_OK ? rc : crc;
}

/* The methods that see the file's content or size: after the writes. */
#define AFTER_WRITES(call) do { \
		int rc_ = drain(f); \
		if (rc_ != SQLITE_OK) \
			return rc_; \
		return f->real->pMethods->call; \
	} while (0)

static int a_read(sqlite3_file *p, void *buf, int amt, sqlite3_int64 off)
{
	struct afile *f = af(p);
	AFTER_WRITES(xRead(f->real, buf, amt, off));
}

static int a_truncate(sqlite3_file *p, sqlite3_int64 size)
{
	struct afile *f = af(p);
	AFTER_WRITES(xTruncate(f->real, size));
}

static int a_sync(sqlite3_file *p, int flags)
{
	struct afile *f = af(p);
	AFTER_WRITES(xSync(f->real, flags));
}

static int a_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
	struct afile *f = af(p);
	AFTER_WRITES(xFileSize(f->real, size));
}

static int a_lock(sqlite3_file *p, int lock)
{
	struct afile *f = af(p);
	AFTER_WRITES(xLock(f->real, lock));
}

static int a_unlock(sqlite3_file *p, int lock)
{
	struct afile *f = af(p);
	AFTER_WRITES(xUnlock(f->real, lock));
}

static int a_check_reserved(sqlite3_file *p, int *out)
{
	struct afile *f = af(p);
	AFTER_WRITES(xCheckReservedLock(f->real, out));
}

/* The size hint (sent before every spill of a growing database) only
 * preallocates, with a chunk size set, which we never set: no wait. */
static int a_file_control(sqlite3_file *p, int op, void *arg)
{
	struct afile *f = af(p);

	if (op == SQLITE_FCNTL_SIZE_HINT)
		return f->real->pMethods->xFileControl(f->real, op, arg);
	AFTER_WRITES(xFileControl(f->real, op, arg));
}

static int a_sector_size(sqlite3_file *p)
{
	struct afile *f = af(p);

	return f->real->pMethods->xSectorSize(f->real);
}

static int a_device_characteristics(sqlite3_file *p)
{
	struct afile *f = af(p);

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* Version 1: no shared memory (journal_mode=OFF, never WAL) and no
 * memory-mapped reads. */
static const sqlite3_io_methods a_methods = {
	.iVersion = 1,
	.xClose = a_close,
	.xRead = a_read,
	.xWrite = a_write,
	.xTruncate = a_truncate,
	.xSync = a_sync,
	.xFileSize = a_file_size,
	.xLock = a_lock,
	.xUnlock = a_unlock,
	.xCheckReservedLock = a_check_reserved,
	.xFileControl = a_file_control,
	.xSectorSize = a_sector_size,
	.xDeviceCharacteristics = a_device_characteristics,
};

/* ---- the VFS ------------------------------------------------------------- */

/* The I/O thread, every signal blocked in it (they stay the caller's). */
static int start_io(struct afile *f)
{
	sigset_t all, old;
	int rc;

	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->work_cv, NULL);
	pthread_cond_init(&f->done_cv, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&f->thread, NULL, io_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		pthread_cond_destroy(&f->done_cv);
		pthread_cond_destroy(&f->work_cv);
		pthread_mutex_destroy(&f->mu);
	}
	return rc;
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *p,
		  int flags, int *out_flags)
{
	struct afile *f = af(p);
	int rc;

	(void)vfs;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK) {
		/* ours stays NULL (SQLite will not close it): close the real
		 * one if its xOpen left it to be closed */
		if (f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		return rc;
	}
	if ((flags & SQLITE_OPEN_MAIN_DB) && start_io(f) == 0)
		f->async = true;
	/* without the thread: synchronous, like the default VFS */
	p->pMethods = &a_methods;
	return SQLITE_OK;
}

/* The rest is the default VFS's. */
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return base_vfs->xDelete(base_vfs, name, sync);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int v_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *v, const char *name)
{
	(void)v;
	return base_vfs->xDlOpen(base_vfs, name);
}

static void v_dlerror(sqlite3_vfs *v, int n, char *msg)
{
	(void)v;
	base_vfs->xDlError(base_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
	(void)v;
	return base_vfs->xDlSym(base_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *v, void *h)
{
	(void)v;
	base_vfs->xDlClose(base_vfs, h);
}

static int v_randomness(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return base_vfs->xRandomness(base_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return base_vfs->xSleep(base_vfs, us);
}

static int v_current_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return base_vfs->xCurrentTime(base_vfs, out);
}

static int v_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return base_vfs->xGetLastError(base_vfs, n, out);
}

static sqlite3_vfs a_vfs = {
	.iVersion = 1,
	.zName = "wtrec-load",
	.xOpen = v_open,
	.xDelete = v_delete,
	.xAccess = v_access,
	.xFullPathname = v_full_pathname,
	.xDlOpen = v_dlopen,
	.xDlError = v_dlerror,
	.xDlSym = v_dlsym,
	.xDlClose = v_dlclose,
	.xRandomness = v_randomness,
	.xSleep = v_sleep,
	.xCurrentTime = v_current_time,
	.xGetLastError = v_last_error,
};

static const char *registered;

static void register_vfs(void)
{
	if (!(base_vfs = sqlite3_vfs_find(NULL)))
		return;
	a_vfs.szOsFile = (int)sizeof(struct afile) + base_vfs->szOsFile;
	a_vfs.mxPathname = base_vfs->mxPathname;
	if (sqlite3_vfs_register(&a_vfs, 0) == SQLITE_OK)
		registered = a_vfs.zName;
}

const char *wt_db_vfs_name(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, register_vfs);
	return registered;
}
