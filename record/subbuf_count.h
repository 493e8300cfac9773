/*
 * subbuf_count.h - count the records of one ring-buffer sub-buffer by event
 * type, for the recorder's summary, without libtraceevent's kbuffer.
 *
 * The reader threads count every record they read, up to ~5 M records/s:
 * kbuffer's general walk (function pointers per field, timestamps kept)
 * cost ~20 ns a record there, as much CPU as compressing the data, and on
 * the 2-CPU test machine CPU the reader takes is taken from the traced
 * workload (bench/README.md).  This walk reads only what counting needs:
 * each record's length and the common_type of data records.
 */
#ifndef WT_REC_SUBBUF_COUNT_H
#define WT_REC_SUBBUF_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

/*
 * Count the data records of the sub-buffer @sb (@size bytes as read from
 * trace_pipe_raw of this machine's kernel: host byte order and long) into
 * @counts, indexed like @ev, [WT_REC_MAX_EVENTS] for types @ev does not
 * know.  Padding, discarded records and time stamps are not records.
 * Returns the number counted, or -1 (nothing counted) when the header's
 * length does not fit @size; a record that runs past the data ends the
 * walk (the analyzer reports such damage, the file keeps the bytes).
 */
long wt_rec_subbuf_count(const uint8_t *sb, size_t size,
			 const struct wt_rec_events *ev,
			 uint64_t counts[WT_REC_MAX_EVENTS + 1]);

#endif
