/*
 * watermark.c - WATERMARK chunks (see watermark.h).
 *
 * Workload: one call every WT_REC_WATERMARK_MS on the main thread; a few
 * atomic loads per CPU and, a few times a second, one 16-byte chunk.
 */
#include <stdint.h>

#include "cpu_reader.h"
#include "rec_file.h"
#include "watermark.h"
#include "wtfile.h"

void wt_rec_watermark_encode(uint8_t *p, uint64_t complete_ns, uint64_t lost)
{
	wt_put_le64(p, complete_ns);
	wt_put_le64(p + 8, lost);
}

/* The minimum completeness point over the readers (0 while one of them
 * has none yet, or there is no reader), and the newest record written. */
static uint64_t common_point(struct wt_cpu_reader *const *readers, int n,
			     uint64_t *data_ns)
{
	uint64_t min = UINT64_MAX;

	*data_ns = 0;
	for (int i = 0; i < n; i++) {
		uint64_t d;

		if (!readers[i])
			continue;
		d = wt_cpu_reader_done_ns(readers[i]);
		if (d < min)
			min = d;
		d = wt_cpu_reader_data_ns(readers[i]);
		if (d > *data_ns)
			*data_ns = d;
	}
	return min == UINT64_MAX ? 0 : min;
}

int wt_rec_watermark_tick(struct wt_rec_watermark *wm,
			  struct wt_cpu_reader *const *readers, int n,
			  struct wt_rec_output *out, double now)
{
	uint8_t p[WT_WATERMARK_LEN];
	uint64_t data, w = common_point(readers, n, &data);

	if (!w || w <= wm->last_ns)
		return 0;
	/* records past the last mark are waiting for one; otherwise the
	 * clock alone moves, now and then */
	if (data <= wm->last_ns &&
	    (now - wm->last_at) * 1000 < WT_REC_WATERMARK_IDLE_MS)
		return 0;
	wt_rec_watermark_encode(p, w, wm->lost_known ? wm->lost : UINT64_MAX);
	if (wt_rec_output_add_mark(out, WT_CHUNK_WATERMARK, p, sizeof(p)) < 0)
		return -1;
	wm->last_ns = w;
	wm->last_at = now;
	wm->written++;
	return 0;
}
