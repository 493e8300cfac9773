/*
 * status.c - status line and summary (see status.h).
 */
#include <inttypes.h>
#include <string.h>

#include "status.h"

static void human_bytes(char *out, size_t size, uint64_t b)
{
	if (b >= 10ull << 20)
		snprintf(out, size, "%.1f MB", b / 1048576.0);
	else if (b >= 10ull << 10)
		snprintf(out, size, "%.1f KB", b / 1024.0);
	else
		snprintf(out, size, "%" PRIu64 " bytes", b);
}

void wt_rec_status_line(FILE *f, double elapsed_s, double left_s,
			uint64_t events, uint64_t bytes, uint64_t lost)
{
	char hb[32], left[32] = "";

	human_bytes(hb, sizeof(hb), bytes);
	if (left_s >= 0)
		snprintf(left, sizeof(left), " (%.0fs left)", left_s);
	fprintf(f, "\rwtrec: recording %.0fs%s  %" PRIu64 " events  %s written  lost %" PRIu64 "\033[K",
		elapsed_s, left, events, hb, lost);
	fflush(f);
}

void wt_rec_status_clear(FILE *f)
{
	fputs("\r\033[K", f);
	fflush(f);
}

static void print_counts(FILE *f, const struct wt_rec_summary *s, uint64_t total)
{
	const char *sep = " (";

	if (!total)
		return;
	for (int i = 0; i < s->ev->n; i++) {
		if (!s->counts[i])
			continue;
		fprintf(f, "%s%s %" PRIu64, sep, s->ev->def[i].short_name, s->counts[i]);
		sep = ", ";
	}
	if (s->counts[WT_REC_MAX_EVENTS])
		fprintf(f, "%sother %" PRIu64, sep, s->counts[WT_REC_MAX_EVENTS]);
	fputc(')', f);
}

/* ", LOST N events (overrun O[, commit overrun C], dropped D): ..." */
static void print_lost(FILE *f, const struct wt_rec_summary *s, uint64_t lost)
{
	fprintf(f, ", LOST %" PRIu64 " events (overrun %" PRIu64, lost,
		s->overrun);
	if (s->commit_overrun)
		fprintf(f, ", commit overrun %" PRIu64, s->commit_overrun);
	fprintf(f, ", dropped %" PRIu64 "): enlarge -b or narrow the scope\n",
		s->dropped);
}

void wt_rec_summary_print(FILE *f, const struct wt_rec_summary *s)
{
	uint64_t total = 0, lost = s->overrun + s->commit_overrun + s->dropped;
	char hb[32];

	for (int i = 0; i <= WT_REC_MAX_EVENTS; i++)
		total += s->counts[i];
	human_bytes(hb, sizeof(hb), s->file_bytes);
	fprintf(f, "wtrec: %.1fs, %" PRIu64 " events", s->elapsed_s, total);
	print_counts(f, s, total);
	fprintf(f, ", %s written to %s", hb, s->path ? s->path : "(nothing)");
	if (s->files > 1)
		fprintf(f, " and %u more files of its series", s->files - 1);
	if (s->file_bytes && s->raw_bytes)
		fprintf(f, " (%.1fx compressed", (double)s->raw_bytes / s->file_bytes);
	if (s->file_bytes && s->raw_bytes && total)
		fprintf(f, ", %.1f bytes/event", (double)s->file_bytes / total);
	if (s->file_bytes && s->raw_bytes)
		fputc(')', f);
	if (!s->stats_known)
		fputs(", loss UNKNOWN (kernel stats unreadable)\n", f);
	else if (!lost)
		fputs(", lost 0 events\n", f);
	else
		print_lost(f, s, lost);
}
