/*
 * watermark.h - the WATERMARK chunks of a recording (docs/FORMAT.md): the
 * recorder's promise to a follower (`wtrec analyze --follow`, `record
 * --live`) that every CPU's events up to a trace time are in the chunks
 * before it, so the follower may merge the per-CPU streams up to there
 * without waiting for the end of the file.
 *
 * The main thread calls wt_rec_watermark_tick() about every
 * WT_REC_WATERMARK_MS.  The time written is the minimum over the readers
 * of wt_cpu_reader_done_ns(): each reader publishes it only after the
 * chunks it covers were appended, and the mark is appended after reading
 * it, so the file order keeps the promise.
 *
 * Functions return 0 or -1 with errno (a write error of the output).
 */
#ifndef WT_REC_WATERMARK_H
#define WT_REC_WATERMARK_H

#include <stdbool.h>
#include <stdint.h>

struct wt_cpu_reader;
struct wt_rec_output;

/* How often the main thread looks; a mark is written when the time moved
 * and records newer than the last mark are in the file, or at least every
 * WT_REC_WATERMARK_IDLE_MS (so a follower's clock moves on a quiet
 * recording: zombie ages). */
#define WT_REC_WATERMARK_MS 50
#define WT_REC_WATERMARK_IDLE_MS 500

/* Zeroed: no mark written yet. */
struct wt_rec_watermark {
	uint64_t last_ns;         /* complete_ns of the last mark */
	double last_at;           /* monotonic seconds of that mark */
	uint64_t lost;            /* the kernel's loss (wt_kstats_lost), summed */
	bool lost_known;
	uint64_t written;         /* marks written */
};

/*
 * Write a WATERMARK chunk to @out if the readers' common completeness
 * point moved (see above).  @readers has @n slots, NULL for CPUs without
 * a reader; @now is monotonic seconds.
 */
int wt_rec_watermark_tick(struct wt_rec_watermark *wm,
			  struct wt_cpu_reader *const *readers, int n,
			  struct wt_rec_output *out, double now);

/* The WATERMARK payload for @complete_ns and @lost (UINT64_MAX: unknown)
 * into @p, which has WT_WATERMARK_LEN bytes. */
void wt_rec_watermark_encode(uint8_t *p, uint64_t complete_ns, uint64_t lost);

#endif
