/*
 * decode_merge.h - pass 2 of the decoder: one cursor per CPU over that CPU's
 * CPU_DATA chunks, walking sub-buffers with kbuffer, and a k-way merge of
 * the cursors by timestamp (ties: lower CPU first).
 *
 * Memory: each cursor holds a copy of its current chunk only (the reader's
 * buffer is reused by the next read), plus the offsets indexed in pass 1.
 *
 * Every sub-buffer is validated before kbuffer sees it (commit length,
 * record lengths, no backwards step): kbuffer trusts the page completely,
 * and a hostile page could otherwise make it read outside the page or loop.
 * A bad chunk or sub-buffer is counted and skipped; the first problem's
 * message is kept for the caller to report as damage.
 */
#ifndef WT_DECODE_MERGE_H
#define WT_DECODE_MERGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct wt_reader;
struct kbuffer;

/* Sanity bounds on a CPU_DATA chunk's subbuf_size (kernel: page size up to
 * the sub-buffer order limit; 1 MB leaves room for any real setting). */
#define WT_SUBBUF_MIN 64u
#define WT_SUBBUF_MAX (1u << 20)
#define WT_MAX_CPUS 4096 /* CPU numbers at or above are refused as damage */

/*
 * A chunk of a recording that may span several files (a --rotate series):
 * the file's number in the series (0 = the first) in the top 16 bits, the
 * offset of the chunk header in that file below.  Files of a series are
 * far below 256 TiB.
 */
#define WT_REF_SHIFT 48
#define WT_REF_MAX_FILES (1u << 16)
#define WT_REF(file, off) ((uint64_t)(file) << WT_REF_SHIFT | (off))
#define WT_REF_FILE(ref) ((size_t)((ref) >> WT_REF_SHIFT))
#define WT_REF_OFF(ref) ((ref) & ((1ull << WT_REF_SHIFT) - 1))

/* Pass-1 index of one CPU's chunks, in recording order.  Zeroed = empty. */
struct wt_cpu_index {
	int cpu;
	uint64_t *offs;    /* WT_REF()s of the chunks, for wt_reader_read_at */
	size_t n, cap;
};

/* Append @off to @ix.  0 or -1 (ENOMEM). */
int wt_cpu_index_add(struct wt_cpu_index *ix, uint64_t off);
void wt_cpu_index_free(struct wt_cpu_index *ix);

enum wt_item_kind { WT_ITEM_RECORD = 1, WT_ITEM_LOST };

/* What wt_merge_next returns: a record (payload as kbuffer gives it) or a
 * marker that the kernel lost events before this sub-buffer. */
struct wt_merge_item {
	enum wt_item_kind kind;
	int cpu;
	uint64_t ts;
	const uint8_t *rec;  /* RECORD: valid until the next wt_merge_next */
	unsigned size;
	int64_t lost;        /* LOST: count, or -1 when the kernel did not say */
};

struct wt_cursor;

struct wt_merge {
	struct wt_reader *const *r; /* by file number (WT_REF_FILE) */
	size_t nr;
	struct wt_cpu_index *idx;   /* the decoder's, one per cursor */
	bool file_le;
	unsigned word_size;
	struct wt_cursor *cur;
	size_t ncur;
	size_t *heap;        /* indices into cur[], min-heap on (ts, cpu) */
	size_t nheap;
	ssize_t last;        /* cursor returned last time, advanced lazily */
	uint64_t bytes_loaded;  /* payload bytes of chunks loaded so far */
	uint64_t bad_chunks, bad_subbufs;
	bool oom;            /* a chunk could not be loaded: out of memory */
	char damage[256];    /* first problem seen, "" if none */
};

/*
 * Set up cursors over @nidx per-CPU indexes reading the @nr files @r (both
 * arrays must stay valid until the next wt_merge_sync or wt_merge_free).
 * @file_le / @word_size: from the file header.  Returns 0, or -1 with
 * errno (ENOMEM, EINVAL for a word size other than 4 or 8).
 */
int wt_merge_init(struct wt_merge *m, struct wt_reader *const *r, size_t nr,
		  bool file_le, unsigned word_size, struct wt_cpu_index *idx,
		  size_t nidx);

/*
 * A recording that grows (`analyze --follow`): the decoder indexed more
 * chunks, maybe of new CPUs (@nidx >= before) or new files, and may have
 * moved both arrays.  Cursors that had run out of chunks take up the new
 * ones.  Entries of an index that every cursor is past may be dropped
 * (the index is compacted).  0, or -1 with errno ENOMEM.
 */
int wt_merge_sync(struct wt_merge *m, struct wt_reader *const *r, size_t nr,
		  struct wt_cpu_index *idx, size_t nidx);

/* Next item in global time order: 1 with @it filled, 0 when every CPU is
 * done, -1 on ENOMEM. */
int wt_merge_next(struct wt_merge *m, struct wt_merge_item *it);

/*
 * Like wt_merge_next, but 0 also when the next item is later than @until:
 * a follower that knows every CPU complete up to @until (a WATERMARK)
 * takes the items up to there, and calls again after wt_merge_sync.
 */
int wt_merge_next_until(struct wt_merge *m, uint64_t until,
			struct wt_merge_item *it);

/* The lowest file number a cursor may still read a chunk from (@nr when
 * none): files below it are no longer needed by the merge. */
size_t wt_merge_oldest_file(const struct wt_merge *m, size_t nr);

/* Sum of page-header missed-event counts seen so far on CPU @cpu (events
 * lost an unknown amount count 0). */
uint64_t wt_merge_missed(const struct wt_merge *m, int cpu);

/* Free the cursors; @m is left zeroed.  Accepts a zeroed @m. */
void wt_merge_free(struct wt_merge *m);

#endif /* WT_DECODE_MERGE_H */
