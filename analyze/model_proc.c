/*
 * model_proc.c - storage of the task table (see model_proc.h): block
 * arrays of process, thread and namespace instances, pid/tid hash maps,
 * index vectors.
 *
 * Workload: one lookup per event (by tid), inserts per fork; a system-wide
 * recording of hours may hold a million instances, so instances are a few
 * hundred bytes, allocated in blocks of 1024, and never moved once
 * allocated (the model keeps pointers across inserts).
 *
 * Errors: functions return 0 / -1 or WT_NOIDX, with errno = ENOMEM.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model_proc.h"

#define BLOCK 1024u

/* ---- int map ------------------------------------------------------------ */

enum { SLOT_EMPTY, SLOT_USED, SLOT_TOMB };

struct wt_imap_slot {
	int32_t key;
	uint32_t state;
	uint64_t val;
};

static uint32_t hash32(int32_t key)
{
	uint32_t x = (uint32_t)key;
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static struct wt_imap_slot *imap_lookup(const struct wt_imap *m, int32_t key)
{
	if (!m->cap)
		return NULL;
	uint32_t mask = m->cap - 1;
	for (uint32_t i = hash32(key) & mask;; i = (i + 1) & mask) {
		struct wt_imap_slot *s = &m->slots[i];
		if (s->state == SLOT_EMPTY)
			return NULL;
		if (s->state == SLOT_USED && s->key == key)
			return s;
	}
}

static int imap_grow(struct wt_imap *m)
{
	uint32_t cap = m->cap ? m->cap : 64;
	/* Double only when live entries need it; otherwise rehash in place
	 * size to drop tombstones. */
	if ((m->used + 1) * 2 > cap)
		cap *= 2;
	struct wt_imap_slot *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return -1;
	struct wt_imap old = *m;
	m->slots = slots;
	m->cap = cap;
	m->used = m->tombs = 0;
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.slots[i].state == SLOT_USED)
			wt_imap_put(m, old.slots[i].key, old.slots[i].val);
	free(old.slots);
	return 0;
}

int wt_imap_put(struct wt_imap *m, int32_t key, uint64_t val)
{
	struct wt_imap_slot *s = imap_lookup(m, key);
	if (s) {
		s->val = val;
		return 0;
	}
	if ((m->used + m->tombs + 1) * 10 > m->cap * 7 && imap_grow(m) < 0)
		return -1;
	uint32_t mask = m->cap - 1;
	uint32_t i = hash32(key) & mask;
	while (m->slots[i].state == SLOT_USED)
		i = (i + 1) & mask;
	if (m->slots[i].state == SLOT_TOMB)
		m->tombs--;
	m->slots[i] = (struct wt_imap_slot){ key, SLOT_USED, val };
	m->used++;
	return 0;
}

bool wt_imap_get(const struct wt_imap *m, int32_t key, uint64_t *val)
{
	const struct wt_imap_slot *s = imap_lookup(m, key);
	if (s && val)
		*val = s->val;
	return s != NULL;
}

bool wt_imap_del(struct wt_imap *m, int32_t key, uint64_t *val)
{
	struct wt_imap_slot *s = imap_lookup(m, key);
	if (!s)
		return false;
	if (val)
		*val = s->val;
	s->state = SLOT_TOMB;
	m->used--;
	m->tombs++;
	return true;
}

void wt_imap_free(struct wt_imap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

/* ---- instance tables ---------------------------------------------------- */

struct wt_mproc *wt_ptab_proc(struct wt_ptab *t, uint32_t idx)
{
	if (idx >= t->nproc)
		return NULL;
	return &t->pblk[idx / BLOCK][idx % BLOCK];
}

struct wt_mthread *wt_ptab_thread(struct wt_ptab *t, uint32_t idx)
{
	if (idx >= t->nthread)
		return NULL;
	return &t->tblk[idx / BLOCK][idx % BLOCK];
}

uint32_t wt_ptab_find_pid(const struct wt_ptab *t, int32_t pid)
{
	uint64_t v;
	return wt_imap_get(&t->by_pid, pid, &v) ? (uint32_t)v : WT_NOIDX;
}

uint32_t wt_ptab_find_tid(const struct wt_ptab *t, int32_t tid)
{
	uint64_t v;
	return wt_imap_get(&t->by_tid, tid, &v) ? (uint32_t)v : WT_NOIDX;
}

/* Room for element @n in a block array of @size-byte elements. */
static int blocks_reserve(void ***blk, uint32_t *cap, uint32_t n,
			  size_t size)
{
	uint32_t b = n / BLOCK;
	if (b >= *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 16;
		void **nb = realloc(*blk, ncap * sizeof(*nb));
		if (!nb)
			return -1;
		memset(nb + *cap, 0, (ncap - *cap) * sizeof(*nb));
		*blk = nb;
		*cap = ncap;
	}
	if (!(*blk)[b] && !((*blk)[b] = calloc(BLOCK, size)))
		return -1;
	return 0;
}

int wt_vec32_push(struct wt_vec32 *a, uint32_t x)
{
	if (a->len == a->cap) {
		uint32_t ncap = a->cap ? a->cap * 2 : 4;
		uint32_t *nv = realloc(a->v, ncap * sizeof(*nv));

		if (!nv) {
			errno = ENOMEM;
			return -1;
		}
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->len++] = x;
	return 0;
}

void wt_vec32_free(struct wt_vec32 *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}

struct wt_mns *wt_ptab_ns(struct wt_ptab *t, uint32_t idx)
{
	if (idx >= t->nns)
		return NULL;
	return &t->nblk[idx / BLOCK][idx % BLOCK];
}

uint32_t wt_ptab_new_proc(struct wt_ptab *t, int32_t pid, int64_t upid)
{
	if (t->nproc == WT_NOIDX - 1 ||
	    blocks_reserve((void ***)&t->pblk, &t->pblk_cap, t->nproc,
			   sizeof(struct wt_mproc)) < 0 ||
	    wt_imap_put(&t->by_pid, pid, t->nproc) < 0) {
		errno = ENOMEM;
		return WT_NOIDX;
	}
	uint32_t idx = t->nproc++;
	struct wt_mproc *p = wt_ptab_proc(t, idx);
	*p = (struct wt_mproc){
		.self = idx, .upid = upid, .pid = pid,
		.parent = WT_NOIDX, .parent_thread = WT_NOIDX,
		.orig_parent = WT_NOIDX,
		.ppid = -1, .ppid_at_stop = -1, .fork_tid = -1, .pgid = -1,
		.subreaper = -1, .pidns = 0,
		.start_ns = WT_NONE, .fork_ns = WT_NONE, .exec_ns = WT_NONE,
		.exit_ns = WT_NONE, .freed_ns = WT_NONE,
		.waitable_ns = WT_NONE,
		.sigchld_ns = WT_NONE, .sigchld_code = -1,
		.sigchld_result = -1, .ignores_sigchld = -1,
		.reaped_ns = WT_NONE, .reaper_upid = WT_NONE,
		.reap_call_id = WT_NONE, .reaper_tid = -1,
		.released_ns = WT_NONE, .pending_call = WT_NONE,
		.last_sigchld_rx_ns = WT_NONE,
		.last_wait_ns = WT_NONE, .pid_prev = WT_NOIDX,
	};
	return idx;
}

uint32_t wt_ptab_new_thread(struct wt_ptab *t, uint32_t proc, int32_t tid,
			    int64_t utid)
{
	if (t->nthread == WT_NOIDX - 1 ||
	    blocks_reserve((void ***)&t->tblk, &t->tblk_cap, t->nthread,
			   sizeof(struct wt_mthread)) < 0 ||
	    wt_imap_put(&t->by_tid, tid, t->nthread) < 0) {
		errno = ENOMEM;
		return WT_NOIDX;
	}
	uint32_t idx = t->nthread++;
	struct wt_mthread *th = wt_ptab_thread(t, idx);
	*th = (struct wt_mthread){
		.utid = utid, .start_ns = WT_NONE, .end_ns = WT_NONE,
		.proc = proc, .tid = tid,
		.poll = { .first_ns = WT_NONE, .last_ns = WT_NONE },
	};
	return idx;
}

uint32_t wt_ptab_new_ns(struct wt_ptab *t, int64_t id)
{
	if (t->nns == WT_NOIDX - 1 ||
	    blocks_reserve((void ***)&t->nblk, &t->nblk_cap, t->nns,
			   sizeof(struct wt_mns)) < 0) {
		errno = ENOMEM;
		return WT_NOIDX;
	}
	uint32_t idx = t->nns++;
	struct wt_mns *ns = wt_ptab_ns(t, idx);
	*ns = (struct wt_mns){
		.id = id, .parent = WT_NOIDX, .init = WT_NOIDX,
		.created_ns = WT_NONE, .teardown_ns = WT_NONE,
	};
	return idx;
}

int wt_ptab_rekey_thread(struct wt_ptab *t, uint32_t idx, int32_t tid)
{
	struct wt_mthread *th = wt_ptab_thread(t, idx);
	uint64_t cur;
	if (wt_imap_get(&t->by_tid, th->tid, &cur) && cur == idx)
		wt_imap_del(&t->by_tid, th->tid, NULL);
	th->tid = tid;
	if (wt_imap_put(&t->by_tid, tid, idx) < 0) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void wt_ptab_free(struct wt_ptab *t)
{
	for (uint32_t i = 0; i < t->nproc; i++) {
		struct wt_mproc *p = wt_ptab_proc(t, i);
		wt_vec32_free(&p->threads);
		free(p->nspid_chain);
	}
	for (uint32_t i = 0; i < t->nthread; i++)
		wt_vec32_free(&wt_ptab_thread(t, i)->children);
	for (uint32_t i = 0; i < t->nns; i++)
		wt_imap_free(&wt_ptab_ns(t, i)->by_nspid);
	for (uint32_t b = 0; b < t->pblk_cap; b++)
		free(t->pblk[b]);
	for (uint32_t b = 0; b < t->tblk_cap; b++)
		free(t->tblk[b]);
	for (uint32_t b = 0; b < t->nblk_cap; b++)
		free(t->nblk[b]);
	free(t->pblk);
	free(t->tblk);
	free(t->nblk);
	wt_imap_free(&t->by_pid);
	wt_imap_free(&t->by_tid);
	memset(t, 0, sizeof(*t));
}

void wt_comm_set(char dst[16], const char *src)
{
	if (!src) {
		dst[0] = 0;
		return;
	}
	strncpy(dst, src, 15);
	dst[15] = 0;
}
