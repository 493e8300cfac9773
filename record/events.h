/*
 * events.h - the trace events wtrec records, enabling them (with their
 * in-kernel filters) in our instance, their format files for the FORMAT
 * chunks, and the map from a record's common_type to our event index that
 * the readers use to count events per type.
 *
 * Functions return 0 or -1 with a message in the struct wt_diag.
 */
#ifndef WT_REC_EVENTS_H
#define WT_REC_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "wtfile.h"

struct wt_rec_instance;
struct wt_rec_output;

/* One event of the tracepoint backend (see the table in events.c). */
struct wt_rec_event_def {
	const char *system;
	const char *name;
	const char *short_name; /* for the summary line */
	const char *filter;     /* in-kernel filter, or NULL */
	bool required;          /* refuse to record without it */
	bool wait_tp;           /* a syscall wait tracepoint: the kprobe
				   backend's probes replace it */
};

#define WT_REC_MAX_EVENTS 32
#define WT_REC_NO_EVENT 0xff

struct wt_rec_events {
	int n;                                   /* entries of the table */
	const struct wt_rec_event_def *def;      /* = defs */
	struct wt_rec_event_def defs[WT_REC_MAX_EVENTS];
	bool enabled[WT_REC_MAX_EVENTS];
	int id[WT_REC_MAX_EVENTS];               /* tracefs event id */
	char *format[WT_REC_MAX_EVENTS];         /* text of the format file */
	size_t format_len[WT_REC_MAX_EVENTS];
	uint8_t index_of_id[65536];              /* common_type -> index */
};

/*
 * Enable every event of the table in @in that this kernel has, setting
 * filters first so no unfiltered record slips in.  A missing optional
 * event is a warning; a missing required one fails with status 2.  @ev is
 * filled (caller-owned; release with wt_rec_events_free()).
 * For the kprobe backend, @probes (@nprobes rows whose strings must
 * outlive @ev) come first, then the table without the syscall wait
 * tracepoints they replace.  @nprobes 0: the tracepoint backend's table.
 */
int wt_rec_events_enable(struct wt_rec_events *ev,
			      struct wt_rec_instance *in,
			      const struct wt_rec_event_def *probes, int nprobes,
			      struct wt_diag *d);

/*
 * Append "system:name,..." of the enabled (@enabled true) or missing ones
 * to @b, NUL-terminated.  0 or -1 (ENOMEM).
 */
int wt_rec_events_list(const struct wt_rec_events *ev, bool enabled,
		       struct wt_buf *b);

/* Write one FORMAT chunk per enabled event.  0 or -1 with errno. */
int wt_rec_events_write_formats(const struct wt_rec_events *ev,
				struct wt_rec_output *out);

/* Index of the event whose record starts with @common_type, or -1. */
static inline int wt_rec_events_index(const struct wt_rec_events *ev,
				      uint16_t common_type)
{
	uint8_t i = ev->index_of_id[common_type];

	return i == WT_REC_NO_EVENT ? -1 : i;
}

void wt_rec_events_free(struct wt_rec_events *ev);

#endif
