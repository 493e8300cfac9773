/*
 * model_proc.c - process and thread instance tables for model.c: block
 * arrays of instances, pid/tid hash maps, per-parent zombie lists.
 *
 * Workload: one lookup per event (by tid), inserts per fork; a system-wide
 * recording of hours may hold a million instances, so instances are ~200
 * bytes, allocated in blocks of 1024, and never moved once allocated
 * (model.c keeps pointers across inserts).
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
		.upid = upid, .parent_upid = WT_NONE, .parent = WT_NOIDX,
		.pid = pid, .ppid = -1, .fork_tid = -1, .reaper_tid = -1,
		.ppid_at_stop = -1,
		.start_ns = WT_NONE, .fork_ns = WT_NONE, .exec_ns = WT_NONE,
		.exit_ns = WT_NONE, .reaped_ns = WT_NONE, .freed_ns = WT_NONE,
		.reaper_upid = WT_NONE, .reap_call_id = WT_NONE,
		.pid_prev = WT_NOIDX,
		.sigchld_ns = WT_NONE, .sigchld_code = -1,
		.last_wait_ns = WT_NONE,
		.sigchld_result = -1, .ignores_sigchld = -1,
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
		if (p->zombies) {
			free(p->zombies->v);
			free(p->zombies);
		}
	}
	for (uint32_t b = 0; b < t->pblk_cap; b++)
		free(t->pblk[b]);
	for (uint32_t b = 0; b < t->tblk_cap; b++)
		free(t->tblk[b]);
	free(t->pblk);
	free(t->tblk);
	wt_imap_free(&t->by_pid);
	wt_imap_free(&t->by_tid);
	memset(t, 0, sizeof(*t));
}

/* ---- zombie lists ------------------------------------------------------- */

/* Start order: start time, then creation order (upid) for equal times. */
static bool starts_before(const struct wt_mproc *a, const struct wt_mproc *b)
{
	if (a->start_ns != b->start_ns)
		return a->start_ns < b->start_ns;
	return a->upid < b->upid;
}

int wt_zlist_add(struct wt_ptab *t, struct wt_mproc *parent, uint32_t child)
{
	struct wt_zlist *z = parent->zombies;
	if (!z && !(z = parent->zombies = calloc(1, sizeof(*z))))
		return -1;
	if (z->head > 0 && z->head * 2 >= z->len) {
		memmove(z->v, z->v + z->head,
			(z->len - z->head) * sizeof(*z->v));
		z->len -= z->head;
		z->head = 0;
	}
	if (z->len == z->cap) {
		uint32_t ncap = z->cap ? z->cap * 2 : 4;
		uint32_t *nv = realloc(z->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		z->v = nv;
		z->cap = ncap;
	}
	/* Children usually exit in roughly the order they started: insert
	 * from the tail. */
	const struct wt_mproc *c = wt_ptab_proc(t, child);
	uint32_t i = z->len;
	while (i > z->head && starts_before(c, wt_ptab_proc(t, z->v[i - 1])))
		i--;
	memmove(z->v + i + 1, z->v + i, (z->len - i) * sizeof(*z->v));
	z->v[i] = child;
	z->len++;
	wt_ptab_proc(t, child)->in_zlist = true;
	return 0;
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
