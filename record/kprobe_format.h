/*
 * kprobe_format.h - the event format the kernel gives a probe of the plan
 * (kprobe_plan.h): its fields and the text of events/GROUP/EVENT/format.
 *
 * The layout is the kernel's (kernel/trace/trace_kprobe.c, trace_probe.c):
 * after the 8 bytes of common fields, a kprobe event has
 * `unsigned long __probe_ip` at 8 and its fetch arguments from 16; a
 * kretprobe event has `unsigned long __probe_func` at 8 and
 * `unsigned long __probe_ret_ip` at 16, arguments from 24.  Arguments are
 * packed in definition order at their type's size, with no alignment
 * padding; the field type is the fetch type's name (s32 -> "s32"), except
 * hexadecimal ones which show their unsigned alias (x64 -> "u64").
 *
 * Uses: the dry run's view of the probe events, and the test generator
 * (tests/kprobe) that builds recordings as a kprobe kernel would.  Pure.
 */
#ifndef WT_KPROBE_FORMAT_H
#define WT_KPROBE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "kprobe_plan.h"

#define WT_KP_MAX_FIELDS 16 /* waitid_exit with every field: 15 */

struct wt_kp_field {
	char name[32];
	char type[8];      /* as in the format: "s32", "u64" */
	int offset, size;
	bool is_signed;
	const char *print; /* printf conversion in the print fmt: "%d" */
};

/*
 * The fields of @p in record order, its own ones only (no common fields,
 * no __probe_*).  Returns how many (>= 0), or -1 with errno EINVAL when an
 * argument's type is not one the kernel's fetch types have or there are
 * more than WT_KP_MAX_FIELDS.
 */
int wt_kp_fields(const struct wt_kp_probe *p, struct wt_kp_field *f);

/* Offset of the first argument: 16 for a kprobe, 24 for a kretprobe. */
int wt_kp_args_offset(const struct wt_kp_probe *p);

/*
 * Write the text of the event's format file, with event id @id, into
 * @buf.  Returns the length, or -1 when @buflen is too small or the
 * arguments do not parse.
 */
int wt_kp_format_text(const struct wt_kp_probe *p, int id, char *buf,
		      size_t buflen);

#endif /* WT_KPROBE_FORMAT_H */
