/*
 * subbuf_count.c - record counting over one sub-buffer (subbuf_count.h).
 *
 * Layout (the kernel's, include/linux/ring_buffer.h and
 * kernel/trace/ring_buffer.c; tracefs events/header_page says the same):
 * a sub-buffer is a u64 time stamp, a long "commit" whose low 27 bits are
 * the bytes of records that follow (bit 30: a count of lost events is
 * stored after them), then the records.  A record starts with a u32 of
 * type_len (5 bits) and time_delta (27 bits), allocated from the low bits
 * on little-endian machines and from the high bits on big-endian ones:
 *
 *   type_len 1..28  data, 4 * type_len bytes follow the header
 *   type_len 0      data, length L in the next u32 (L counts that u32)
 *   29 (padding)    time_delta 0: the rest of the sub-buffer; else a
 *                   discarded record (a filter refused it) of 4 + L bytes
 *   30, 31          time extend / absolute time stamp, 8 bytes
 *
 * A data record's payload starts with the u16 common_type.
 */
#include <string.h>

#include "subbuf_count.h"

#define COMMIT_MASK ((1UL << 27) - 1)
#define MISSED_STORED (1UL << 30)

#define TYPE_DATA_MAX 28
#define TYPE_PADDING 29

static inline uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline unsigned type_len(uint32_t h)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return h >> 27;
#else
	return h & 0x1f;
#endif
}

static inline uint32_t time_delta(uint32_t h)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return h & ((1u << 27) - 1);
#else
	return h >> 5;
#endif
}

long wt_rec_subbuf_count(const uint8_t *sb, size_t size,
			 const struct wt_rec_events *ev,
			 uint64_t counts[WT_REC_MAX_EVENTS + 1])
{
	const size_t hdr = 8 + sizeof(long);
	const uint8_t *p, *end;
	unsigned long commit;
	long n = 0;
	uint16_t type;
	int idx;

	if (size < hdr)
		return -1;
	memcpy(&commit, sb + 8, sizeof(commit));
	if ((commit & COMMIT_MASK) > size - hdr -
	    (commit & MISSED_STORED ? sizeof(long) : 0))
		return -1;
	p = sb + hdr;
	end = p + (commit & COMMIT_MASK);
	while (end - p >= 4) {
		uint32_t h = get32(p);
		unsigned tl = type_len(h);
		size_t len, skip;

		if (tl >= 1 && tl <= TYPE_DATA_MAX) {
			len = 4 + 4 * (size_t)tl;
			skip = 4;
		} else if (tl == 0 || tl == TYPE_PADDING) {
			if (tl == TYPE_PADDING && !time_delta(h))
				break; /* padding to the end */
			if (end - p < 8)
				break;
			len = 4 + (size_t)get32(p + 4);
			skip = 8;
		} else {
			len = 8; /* time extend, time stamp */
			skip = 0;
		}
		if (len > (size_t)(end - p) || len < 8)
			break;
		if (tl <= TYPE_DATA_MAX && skip + 2 <= len) {
			memcpy(&type, p + skip, sizeof(type));
			idx = wt_rec_events_index(ev, type);
			counts[idx < 0 ? WT_REC_MAX_EVENTS : idx]++;
			n++;
		}
		p += len;
	}
	return n;
}
