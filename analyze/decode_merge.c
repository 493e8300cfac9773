/*
 * decode_merge.c - per-CPU cursors over CPU_DATA chunks and their k-way
 * merge by timestamp (see decode_merge.h).
 *
 * A cursor's states: no chunk -> chunk loaded (buf holds its payload) ->
 * sub-buffer loaded into kbuffer -> current item (a record, or a LOST marker
 * emitted before the first record of a sub-buffer whose header says events
 * were missed) -> ... -> done.  The item a cursor exposes stays valid until
 * the cursor advances, which is why the merge advances the cursor it
 * returned last only on the following call.
 *
 * Trust: lengths in the chunk, the sub-buffer header and every record header
 * come from the file.  page_check() walks a sub-buffer with the same
 * arithmetic kbuffer uses and rejects anything that would make kbuffer read
 * past the committed data, step backwards, or loop; the chunk copy carries a
 * zeroed tail so even kbuffer's 4-byte look-ahead stays inside our buffer.
 */
#include <byteswap.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <traceevent/kbuffer.h>
#include "array.h"
#include "wtfile.h"
#include "decode_merge.h"

#define COMMIT_MASK ((1u << 27) - 1) /* kbuffer's mask for the size bits */
#define RB_MISSED_EVENTS (1ull << 31)
#define RB_MISSED_STORED (1ull << 30)
#define BUF_SLACK 16 /* zeroed bytes after a chunk copy */

struct wt_cursor {
	const struct wt_cpu_index *ix;
	size_t next_chunk;        /* index into ix->offs */
	uint8_t *buf;             /* current chunk payload + BUF_SLACK */
	size_t cap;
	uint32_t subbuf_size, nsub, sub; /* sub = next sub-buffer to load */
	uint64_t chunk_off;
	struct kbuffer *kb;
	bool in_page, page_first;
	const uint8_t *page_end;  /* end of committed data of the page */
	unsigned page_left;       /* records page_check() counted */
	int last_off;
	bool done;
	uint64_t missed;
	struct wt_merge_item item;
};

int wt_cpu_index_add(struct wt_cpu_index *ix, uint64_t off)
{
	if (wt_array_reserve(&ix->offs, &ix->cap, ix->n + 1,
			     sizeof(*ix->offs)) < 0)
		return -1;
	ix->offs[ix->n++] = off;
	return 0;
}

void wt_cpu_index_free(struct wt_cpu_index *ix)
{
	if (!ix)
		return;
	free(ix->offs);
	memset(ix, 0, sizeof(*ix));
}

/* Keep the first problem's message; count every one. */
static void note(struct wt_merge *m, uint64_t *counter, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(struct wt_merge *m, uint64_t *counter, const char *fmt, ...)
{
	va_list ap;

	(*counter)++;
	if (m->damage[0])
		return;
	va_start(ap, fmt);
	vsnprintf(m->damage, sizeof(m->damage), fmt, ap);
	va_end(ap);
}

/* ---- sub-buffer validation --------------------------------------------- */

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? bswap_32(v) : v;
}

static uint64_t rdword(const uint8_t *p, unsigned word, bool swap)
{
	uint64_t v8;

	if (word == 4)
		return rd32(p, swap);
	memcpy(&v8, p, 8);
	return swap ? bswap_64(v8) : v8;
}

/* The 5-bit type_len of a record header word, in the recorded byte order
 * (kbuffer reads big-endian headers with the bit fields reversed). */
static unsigned type_len(uint32_t w, bool big)
{
	return big ? w >> 27 : w & 31;
}

struct page_info {
	uint32_t size;  /* committed bytes after the header */
	int64_t missed; /* 0 none, -1 unknown amount, else count */
	unsigned records;
};

/*
 * Walk the record headers of a sub-buffer exactly as kbuffer will.  Returns
 * 0 with @pi filled, or -1 when kbuffer could not walk it safely.
 */
static int page_check(const uint8_t *page, uint32_t subbuf, unsigned word,
		      bool file_le, bool swap, struct page_info *pi)
{
	unsigned hdr = 8 + word;
	uint64_t commit = rdword(page + 8, word, swap);
	const uint8_t *data = page + hdr;
	uint32_t size = (uint32_t)commit & COMMIT_MASK, off = 0;

	pi->size = size;
	pi->records = 0;
	pi->missed = 0;
	if (size > subbuf - hdr)
		return -1;
	if (commit & RB_MISSED_EVENTS) {
		pi->missed = -1;
		if (commit & RB_MISSED_STORED) {
			if (size + word > subbuf - hdr)
				return -1;
			pi->missed = (int64_t)(rdword(data + size, word, swap) &
					       INT64_MAX);
		}
	}
	while (off < size) {
		uint64_t next;
		uint32_t w;
		unsigned t;

		if (size - off < 4)
			return -1;
		w = rd32(data + off, swap);
		t = type_len(w, !file_le);
		if (t >= 1 && t <= 28) {
			next = off + 4 + t * 4;
			pi->records++;
		} else if (t == KBUFFER_TYPE_TIME_EXTEND ||
			   t == KBUFFER_TYPE_TIME_STAMP) {
			next = off + 8;
			if (next > size) /* kbuffer: nothing after it */
				break;
		} else {
			/* array[0] may lie just past the commit, where kbuffer
			 * reads it too: still inside the chunk copy (the next
			 * sub-buffer or the zeroed slack) */
			uint32_t a0 = rd32(data + off + 4, swap);

			if (t == KBUFFER_TYPE_PADDING) {
				/* kbuffer: next = off + 4 + a0 in 32 bits;
				 * a padding reaching the end ends the page */
				next = (uint64_t)off + 4 + a0;
				if (next >= (1ull << 32))
					return -1;
				if (next >= size)
					break;
			} else { /* type_len 0: a0 = payload length + 4 */
				if (a0 < 4 || a0 > size)
					return -1;
				next = off + 8 + ((a0 - 4 + 3) & ~3u);
				pi->records++;
			}
		}
		if (next > size)
			return -1; /* a record reaching past the committed data */
		off = (uint32_t)next;
	}
	return 0;
}
/* ---- cursor ------------------------------------------------------------- */

/* Load the next readable chunk of the cursor's CPU; false when none left. */
static bool load_chunk(struct wt_merge *m, struct wt_cursor *c)
{
	while (c->next_chunk < c->ix->n) {
		uint64_t off = c->ix->offs[c->next_chunk++];
		struct wt_chunk ch;
		uint32_t sb;

		if (wt_reader_read_at(m->r, off, &ch) != 1) {
			if (wt_reader_out_of_memory(m->r)) {
				m->oom = true;
				return false;
			}
			note(m, &m->bad_chunks, "%s", wt_reader_error(m->r));
			continue;
		}
		m->bytes_loaded += ch.len;
		sb = ch.len >= 8 ? wt_get_le32(ch.data + 4) : 0;
		if (ch.type != WT_CHUNK_CPU_DATA || ch.len < 8 ||
		    sb < WT_SUBBUF_MIN || sb > WT_SUBBUF_MAX ||
		    (ch.len - 8) % sb) {
			note(m, &m->bad_chunks,
			     "offset %" PRIu64 ": cpu_data chunk of %zu bytes "
			     "with subbuf_size %u: skipped", off, ch.len, sb);
			continue;
		}
		if (ch.len + BUF_SLACK > c->cap) {
			uint8_t *nb = realloc(c->buf, ch.len + BUF_SLACK);

			if (!nb) {
				m->oom = true;
				return false;
			}
			c->buf = nb;
			c->cap = ch.len + BUF_SLACK;
		}
		memcpy(c->buf, ch.data, ch.len);
		memset(c->buf + ch.len, 0, BUF_SLACK);
		c->subbuf_size = sb;
		c->nsub = (uint32_t)((ch.len - 8) / sb);
		c->sub = 0;
		c->chunk_off = off;
		return true;
	}
	return false;
}

/*
 * Load the next valid sub-buffer into kbuffer.  Returns 1, 0 when the CPU
 * has no more data.  Sets a LOST item (and returns 2) when the sub-buffer's
 * header says events were missed before it.
 */
static int load_page(struct wt_merge *m, struct wt_cursor *c)
{
	bool swap = m->file_le != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);

	for (;;) {
		struct page_info pi;
		uint8_t *page;

		if (c->sub >= c->nsub && !load_chunk(m, c))
			return 0;
		if (c->sub >= c->nsub)
			continue;
		page = c->buf + 8 + (size_t)c->sub++ * c->subbuf_size;
		if (page_check(page, c->subbuf_size, m->word_size, m->file_le,
			       swap, &pi) < 0) {
			note(m, &m->bad_subbufs,
			     "offset %" PRIu64 ": cpu %d sub-buffer %u has a "
			     "bad commit or record length: skipped",
			     c->chunk_off, c->ix->cpu, c->sub - 1);
			continue;
		}
		kbuffer_load_subbuffer(c->kb, page);
		c->in_page = true;
		c->page_first = true;
		c->page_end = page + 8 + m->word_size + pi.size;
		c->page_left = pi.records;
		c->last_off = -1;
		if (pi.missed) {
			c->missed += pi.missed > 0 ? (uint64_t)pi.missed : 0;
			c->item = (struct wt_merge_item){
				.kind = WT_ITEM_LOST, .cpu = c->ix->cpu,
				.ts = kbuffer_subbuf_timestamp(c->kb, page),
				.lost = pi.missed,
			};
			return 2;
		}
		return 1;
	}
}

/* The next record of the loaded sub-buffer; false at its end. */
static bool next_record(struct wt_merge *m, struct wt_cursor *c)
{
	unsigned long long ts;
	const uint8_t *rec;
	int off, size;

	if (!c->page_left)
		return false;
	rec = c->page_first ? kbuffer_read_event(c->kb, &ts)
			    : kbuffer_next_event(c->kb, &ts);
	c->page_first = false;
	if (!rec)
		return false;
	off = kbuffer_curr_offset(c->kb);
	size = kbuffer_event_size(c->kb);
	/* page_check() makes these impossible; kept as the last line of
	 * defence against a kbuffer that walks differently. */
	if (off <= c->last_off || size < 0 || rec + size > c->page_end) {
		note(m, &m->bad_subbufs, "cpu %d: kbuffer walk disagrees with "
		     "the page check: rest of sub-buffer skipped", c->ix->cpu);
		return false;
	}
	c->last_off = off;
	c->page_left--;
	c->item = (struct wt_merge_item){
		.kind = WT_ITEM_RECORD, .cpu = c->ix->cpu, .ts = ts,
		.rec = rec, .size = (unsigned)size,
	};
	return true;
}

/* Move @c to its next item; false when the CPU is done. */
static bool advance(struct wt_merge *m, struct wt_cursor *c)
{
	for (;;) {
		int rc;

		if (c->in_page && next_record(m, c))
			return true;
		c->in_page = false;
		rc = load_page(m, c);
		if (rc == 0) {
			c->done = true;
			return false;
		}
		if (rc == 2)
			return true; /* the LOST marker; records follow */
	}
}

/* ---- the merge ---------------------------------------------------------- */

static bool before(const struct wt_merge *m, size_t a, size_t b)
{
	const struct wt_merge_item *x = &m->cur[a].item, *y = &m->cur[b].item;

	if (x->ts != y->ts)
		return x->ts < y->ts;
	return x->cpu < y->cpu;
}

static void sift_down(struct wt_merge *m, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, min = i, t;

		if (l < m->nheap && before(m, m->heap[l], m->heap[min]))
			min = l;
		if (r < m->nheap && before(m, m->heap[r], m->heap[min]))
			min = r;
		if (min == i)
			return;
		t = m->heap[i];
		m->heap[i] = m->heap[min];
		m->heap[min] = t;
		i = min;
	}
}

int wt_merge_init(struct wt_merge *m, struct wt_reader *r, bool file_le,
		  unsigned word_size, const struct wt_cpu_index *idx,
		  size_t nidx)
{
	memset(m, 0, sizeof(*m));
	m->last = -1;
	if (word_size != 4 && word_size != 8) {
		errno = EINVAL;
		return -1;
	}
	m->r = r;
	m->file_le = file_le;
	m->word_size = word_size;
	m->cur = calloc(nidx ? nidx : 1, sizeof(*m->cur));
	m->heap = calloc(nidx ? nidx : 1, sizeof(*m->heap));
	if (!m->cur || !m->heap)
		goto fail;
	for (size_t i = 0; i < nidx; i++) {
		m->cur[i].ix = &idx[i];
		m->cur[i].kb = kbuffer_alloc(word_size == 8 ? KBUFFER_LSIZE_8
							     : KBUFFER_LSIZE_4,
					     file_le ? KBUFFER_ENDIAN_LITTLE
						     : KBUFFER_ENDIAN_BIG);
		m->ncur++;
		if (!m->cur[i].kb)
			goto fail;
	}
	/* prime every cursor; the heap holds the ones with an item */
	for (size_t i = 0; i < nidx; i++)
		if (advance(m, &m->cur[i]))
			m->heap[m->nheap++] = i;
	for (size_t i = m->nheap / 2 + 1; i-- > 0;)
		sift_down(m, i);
	if (m->oom)
		goto fail;
	return 0;
fail:
	wt_merge_free(m);
	errno = ENOMEM;
	return -1;
}

int wt_merge_next(struct wt_merge *m, struct wt_merge_item *it)
{
	if (m->last >= 0) {
		/* the item handed out last time is no longer needed */
		if (!advance(m, &m->cur[m->last]))
			m->heap[0] = m->heap[--m->nheap];
		if (m->nheap)
			sift_down(m, 0);
		m->last = -1;
	}
	if (m->oom) {
		errno = ENOMEM;
		return -1;
	}
	if (!m->nheap)
		return 0;
	m->last = (ssize_t)m->heap[0];
	*it = m->cur[m->last].item;
	return 1;
}

uint64_t wt_merge_missed(const struct wt_merge *m, int cpu)
{
	for (size_t i = 0; i < m->ncur; i++)
		if (m->cur[i].ix->cpu == cpu)
			return m->cur[i].missed;
	return 0;
}

void wt_merge_free(struct wt_merge *m)
{
	for (size_t i = 0; m->cur && i < m->ncur; i++) {
		kbuffer_free(m->cur[i].kb);
		free(m->cur[i].buf);
	}
	free(m->cur);
	free(m->heap);
	memset(m, 0, sizeof(*m));
	m->last = -1;
}
