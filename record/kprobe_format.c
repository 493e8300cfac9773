/*
 * kprobe_format.c - fields and format text of a planned probe event (see
 * kprobe_format.h for the layout and where it comes from).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kprobe_format.h"

/* The kernel's basic fetch types (trace_probe.c probe_fetch_types[]). */
static const struct fetch_type {
	const char *name, *fmttype, *print;
	int size;
	bool is_signed;
} types[] = {
	{ "u8", "u8", "%u", 1, false },    { "u16", "u16", "%u", 2, false },
	{ "u32", "u32", "%u", 4, false },  { "u64", "u64", "%Lu", 8, false },
	{ "s8", "s8", "%d", 1, true },     { "s16", "s16", "%d", 2, true },
	{ "s32", "s32", "%d", 4, true },   { "s64", "s64", "%Ld", 8, true },
	{ "x8", "u8", "0x%x", 1, false },  { "x16", "u16", "0x%x", 2, false },
	{ "x32", "u32", "0x%x", 4, false }, { "x64", "u64", "0x%Lx", 8, false },
};

static const struct fetch_type *find_type(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].name, name))
			return &types[i];
	return NULL;
}

int wt_kp_args_offset(const struct wt_kp_probe *p)
{
	return p->is_return ? 24 : 16;
}

/* One "name=FETCH:type" word into @f at @off; -1 if it does not parse. */
static int parse_arg(const char *w, size_t len, int off, struct wt_kp_field *f)
{
	const char *eq = memchr(w, '=', len), *colon = NULL;
	const struct fetch_type *t;
	char tname[8];

	for (const char *c = w + len; c > w; c--)
		if (c[-1] == ':') {
			colon = c - 1;
			break;
		}
	if (!eq || !colon || colon < eq || (size_t)(eq - w) >= sizeof(f->name) ||
	    (size_t)(w + len - colon - 1) >= sizeof(tname))
		return -1;
	memcpy(f->name, w, eq - w);
	f->name[eq - w] = '\0';
	memcpy(tname, colon + 1, w + len - colon - 1);
	tname[w + len - colon - 1] = '\0';
	t = find_type(tname);
	if (!t)
		return -1;
	snprintf(f->type, sizeof(f->type), "%s", t->fmttype);
	f->offset = off;
	f->size = t->size;
	f->is_signed = t->is_signed;
	f->print = t->print;
	return 0;
}

int wt_kp_fields(const struct wt_kp_probe *p, struct wt_kp_field *f)
{
	const char *s = p->args;
	int n = 0, off = wt_kp_args_offset(p);

	while (*s) {
		size_t len = strcspn(s, " ");

		if (len) {
			if (n == WT_KP_MAX_FIELDS || parse_arg(s, len, off, &f[n]) < 0) {
				errno = EINVAL;
				return -1;
			}
			off += f[n++].size;
		}
		s += len + (s[len] == ' ');
	}
	return n;
}

/* printf into @buf at *@used; false once it no longer fits. */
static bool put(char *buf, size_t buflen, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool put(char *buf, size_t buflen, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= buflen)
		return false;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, buflen - *used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= buflen - *used)
		return false;
	*used += n;
	return true;
}

static bool field_line(char *buf, size_t len, size_t *u, const char *decl,
		       int off, int size, bool sign)
{
	return put(buf, len, u, "\tfield:%s;\toffset:%d;\tsize:%d;\tsigned:%d;\n",
		   decl, off, size, sign);
}

int wt_kp_format_text(const struct wt_kp_probe *p, int id, char *buf,
		      size_t buflen)
{
	struct wt_kp_field f[WT_KP_MAX_FIELDS];
	int n = wt_kp_fields(p, f);
	size_t u = 0;
	bool ok;
	char decl[64];

	if (n < 0)
		return -1;
	ok = put(buf, buflen, &u, "name: %s\nID: %d\nformat:\n", p->event, id) &&
	     field_line(buf, buflen, &u, "unsigned short common_type", 0, 2, false) &&
	     field_line(buf, buflen, &u, "unsigned char common_flags", 2, 1, false) &&
	     field_line(buf, buflen, &u, "unsigned char common_preempt_count", 3, 1, false) &&
	     field_line(buf, buflen, &u, "int common_pid", 4, 4, true) &&
	     put(buf, buflen, &u, "\n");
	if (p->is_return)
		ok = ok && field_line(buf, buflen, &u, "unsigned long __probe_func", 8, 8, false) &&
		     field_line(buf, buflen, &u, "unsigned long __probe_ret_ip", 16, 8, false);
	else
		ok = ok && field_line(buf, buflen, &u, "unsigned long __probe_ip", 8, 8, false);
	for (int i = 0; ok && i < n; i++) {
		snprintf(decl, sizeof(decl), "%s %s", f[i].type, f[i].name);
		ok = field_line(buf, buflen, &u, decl, f[i].offset, f[i].size, f[i].is_signed);
	}
	/* print fmt: "(%lx) a=%d ...", REC->__probe_ip, REC->a, ... */
	ok = ok && put(buf, buflen, &u, "\nprint fmt: \"%s", p->is_return ? "(%lx <- %lx)" : "(%lx)");
	for (int i = 0; ok && i < n; i++)
		ok = put(buf, buflen, &u, " %s=%s", f[i].name, f[i].print);
	ok = ok && put(buf, buflen, &u, "\", %s", p->is_return ?
		       "REC->__probe_func, REC->__probe_ret_ip" : "REC->__probe_ip");
	for (int i = 0; ok && i < n; i++)
		ok = put(buf, buflen, &u, ", REC->%s", f[i].name);
	ok = ok && put(buf, buflen, &u, "\n");
	return ok ? (int)u : -1;
}
