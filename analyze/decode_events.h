/*
 * decode_events.h - map the event formats stored in a recording to the
 * normalized events of event.h, and turn one raw ring-buffer record into a
 * struct wt_event.
 *
 * After pass 1 has fed every FORMAT chunk to libtraceevent, wt_evtab_build()
 * walks the parsed events once, matches each (system, name) against a static
 * table of handlers and resolves the field offsets that handler needs.  Per
 * record, wt_evtab_decode() is then one array lookup by event id plus a few
 * bounds-checked loads: no allocation, no field lookup by name.
 *
 * Records come from files that may be hostile: every field is checked to lie
 * inside the record before it is read.
 */
#ifndef WT_DECODE_EVENTS_H
#define WT_DECODE_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"

struct tep_handle;
struct wt_meta;

#define WT_EVF_MAX 16 /* fields one handler reads (waitid_exit: 15) */

/* A field of the stored format, resolved once. off < 0: not in the format. */
struct wt_evfield {
	int off, size;
	unsigned long flags; /* TEP_FIELD_IS_* */
};

struct wt_evslot;
typedef int (*wt_evdecode_fn)(const struct wt_evslot *s, const uint8_t *rec,
			      unsigned size, bool swap, struct wt_event *ev,
			      char *str, size_t strsz);

/* One event id of the recording that we model. */
struct wt_evslot {
	wt_evdecode_fn decode;
	int arg; /* handler parameter: syscall, exit vs exit_group... */
	struct wt_evfield f[WT_EVF_MAX];
};

/* The per-recording table.  A zeroed struct is empty; free with
 * wt_evtab_free(). */
struct wt_evtab {
	bool swap;                 /* recorded byte order differs from ours */
	struct wt_evfield type_f;  /* common_type */
	struct wt_evfield pid_f;   /* common_pid */
	uint16_t *by_id;           /* event id -> slot index + 1; 0 = unmodeled */
	size_t nids;
	struct wt_evslot *slots;
	size_t nslots;
	/* modeled events whose format lacks a required field: their records
	 * stay unknown.  The first one: "system:name", the field. */
	unsigned unusable;
	char unusable_event[96], unusable_field[64];
};

/* The arg of a kprobe waitid return slot: what a return value of 0 means
 * for the function probed (decode_events.c, dec_kp_waitid_exit). */
enum { WT_KP_RET_SYSCALL = 0, /* 0: a report or nothing (siginfo tells) */
       WT_KP_RET_PID = 1 };   /* kernel_waitid: 0 = nothing waitable */

/*
 * Build @t from the events parsed into @tep.  @file_le: byte order of the
 * recorded data.  @meta: the recording's META (may be NULL), whose probe.N
 * definitions say which function each kprobe event was put on.  Returns 0,
 * or -1 with errno ENOMEM.  On failure @t is left empty.  The table keeps
 * neither @tep nor @meta.
 */
int wt_evtab_build(struct wt_evtab *t, struct tep_handle *tep, bool file_le,
		   const struct wt_meta *meta);

void wt_evtab_free(struct wt_evtab *t);

/*
 * Decode one record (@rec, @size bytes: the payload kbuffer returns) into
 * @ev: type, tid and the union; ev->ts/ev->cpu are the caller's.  Strings are
 * copied NUL-terminated into @str (@strsz bytes) and ev->str points there.
 * Returns 1 when decoded, 0 for an event id we do not model (or a record too
 * short to hold its id), -1 when a field lies outside the record (malformed:
 * nothing beyond @size was read).
 */
int wt_evtab_decode(const struct wt_evtab *t, const uint8_t *rec,
		    unsigned size, struct wt_event *ev, char *str,
		    size_t strsz);

/*
 * Rewrite the text of one stored event format (after its "system" line) into
 * the canonical form libtraceevent is given: "name:", "ID:", "format:", the
 * field lines in two groups (common, then the event's own), and an empty
 * print fmt.  libtraceevent trusts its input (hostile text made it divide by
 * zero and dereference NULL under fuzzing), so only lines matching the
 * kernel's grammar with plain identifiers, bounded decimal numbers and
 * simple declarations pass; the recorded print fmt is dropped (it is never
 * used here).  Returns a malloc'd NUL-terminated text (*@outlen bytes, free
 * it), or NULL with a reason in @why (or ENOMEM: why = "out of memory").
 */
char *wt_format_canonical(const char *text, size_t len, size_t *outlen,
			  char *why, size_t whylen);

/*
 * Same for the text of events/header_page: only "\tfield: DECL;\toffset:N;
 * \tsize:N;\tsigned:N;" lines (and blank ones) pass.  Returns a malloc'd
 * canonical text, or NULL with errno EINVAL (refused) or ENOMEM.
 */
char *wt_header_page_canonical(const char *text, size_t len, size_t *outlen);

/*
 * The name `wtrec info` counts a normalized event under: the tracepoint it
 * came from for the tracepoint backend ("sys_enter_wait4",
 * "sched_process_exit", ...), "lost" for WT_EV_LOST, "do_exit" for the
 * kprobe.  Static string.
 */
const char *wt_event_name(const struct wt_event *ev);

/*
 * The same for a recording of the kprobe backend: the wait events under the
 * names of the probes they came from ("wait4_enter", "waitid_exit": group
 * wtrec_<pid>, record/kprobe_plan.h), every other event as
 * wt_event_name().  Static string.
 */
const char *wt_event_kprobe_name(const struct wt_event *ev);

#endif /* WT_DECODE_EVENTS_H */
