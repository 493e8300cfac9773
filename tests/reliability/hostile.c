/*
 * hostile.c - test generator: recordings whose self-description lies, for
 * hostile.sh.  Each case copies a real recording chunk by chunk (common/
 * reader and writer, so every CRC is right) and changes what the decoder
 * must not trust: an event FORMAT crafted against libtraceevent's parser,
 * field offsets and sizes beyond any record, a header_page with absurd
 * sizes, CPU_DATA chunks with absurd sub-buffer sizes or CPU numbers.
 *
 * usage: hostile INPUT OUTDIR
 * Prints one line per file written: "NAME EXPECT WHAT", where EXPECT is
 * "damage" (wtrec must refuse the lie and say so: exit 1 or 2 with a
 * message naming the file) or "any" (a lie the decoder may also survive
 * unharmed: exit 0 allowed).  Either way: no signal, no hang, and under
 * ASan no out-of-bounds access.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "wtfile.h"

#define MAX_CHUNKS 4096

struct chunk {
	uint32_t type;
	uint8_t *data;
	size_t len;
};

static struct chunk in[MAX_CHUNKS];
static int nin;
static struct wt_file_header hdr;

enum op {
	OP_REPLACE,   /* first @from in the chunk -> @to */
	OP_SET,       /* the payload becomes @to */
	OP_DROP,      /* the chunk is left out */
	OP_GEN,       /* the payload becomes gen() */
	OP_CPU_HDR,   /* CPU_DATA: u32 cpu, u32 subbuf_size = @cpu, @subbuf */
	OP_COPY_ID,   /* FORMAT: the ID line of event @from's FORMAT */
};

struct hcase {
	const char *name;
	const char *expect;
	const char *what;
	uint32_t type;
	const char *event;   /* FORMAT: only the chunk of this event */
	enum op op;
	const char *from, *to;
	char *(*gen)(size_t *len);
	uint32_t cpu, subbuf;
};

/* "syscalls\nname: sys_enter_wait4\n..." + "(((...": libtraceevent's
 * print-fmt parser recurses once per parenthesis. */
static char *deep_parens(size_t *len)
{
	const char *head = "syscalls\nname: sys_enter_wait4\nID: 212\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\n\tfield:pid_t upid;\toffset:16;\tsize:8;\tsigned:0;\n\n"
		"print fmt: \"%d\", ";
	size_t h = strlen(head), n = 200000;
	char *s = malloc(h + n + 1);

	if (!s)
		return NULL;
	memcpy(s, head, h);
	memset(s + h, '(', n);
	s[h + n] = '\0';
	*len = h + n;
	return s;
}

/* a format with 20000 fields, all inside an 8-byte record */
static char *many_fields(size_t *len)
{
	const char *head = "syscalls\nname: sys_exit_wait4\nID: 211\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n";
	size_t cap = strlen(head) + 20000 * 64, n;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	n = (size_t)sprintf(s, "%s", head);
	for (int i = 0; i < 20000; i++)
		n += (size_t)sprintf(s + n, "\tfield:long f%d;\toffset:%d;\tsize:8;\tsigned:1;\n",
				     i, 8 * (i % 2));
	*len = n;
	return s;
}

/* 1 MiB of binary noise (a fixed pattern, so the file is reproducible) */
static char *noise(size_t *len)
{
	size_t n = 1 << 20;
	char *s = malloc(n);
	uint32_t x = 2463534242u;

	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		s[i] = (char)x;
	}
	*len = n;
	return s;
}

static const struct hcase cases[] = {
	{ "h01-offset-past-record", "damage", "sys_enter_wait4 upid at offset 1048576",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_REPLACE,
	  "upid;\toffset:16;", "upid;\toffset:1048576;", NULL, 0, 0 },
	{ "h02-offset-overflow", "damage", "sys_exit_wait4 ret at offset 4294967296",
	  WT_CHUNK_FORMAT, "sys_exit_wait4", OP_REPLACE,
	  "ret;\toffset:16;", "ret;\toffset:4294967296;", NULL, 0, 0 },
	{ "h03-size-past-record", "damage", "sys_enter_wait4 options of 1048576 bytes",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_REPLACE,
	  "options;\toffset:32;\tsize:8;", "options;\toffset:32;\tsize:1048576;", NULL, 0, 0 },
	{ "h04-size-zero", "any", "sched_process_fork child_pid of 0 bytes",
	  WT_CHUNK_FORMAT, "sched_process_fork", OP_REPLACE,
	  "child_pid;\toffset:20;\tsize:4;", "child_pid;\toffset:20;\tsize:0;", NULL, 0, 0 },
	{ "h05-negative-offset", "damage", "sys_enter_wait4 upid at offset -8",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_REPLACE,
	  "upid;\toffset:16;", "upid;\toffset:-8;", NULL, 0, 0 },
	{ "h06-deep-print-fmt", "any", "200000 nested parentheses in print fmt",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_GEN, NULL, NULL, deep_parens, 0, 0 },
	{ "h07-many-fields", "any", "20000 fields in sys_exit_wait4",
	  WT_CHUNK_FORMAT, "sys_exit_wait4", OP_GEN, NULL, NULL, many_fields, 0, 0 },
	{ "h08-duplicate-id", "any", "sched_process_exit claims sys_exit_wait4's ID",
	  WT_CHUNK_FORMAT, "sched_process_exit", OP_COPY_ID, "sys_exit_wait4", NULL, NULL, 0, 0 },
	{ "h09-binary-format", "damage", "1 MiB of noise as a FORMAT",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_GEN, NULL, NULL, noise, 0, 0 },
	{ "h10-no-system-line", "damage", "a FORMAT without its system line",
	  WT_CHUNK_FORMAT, "sys_exit_wait4", OP_SET, NULL, "name: sys_exit_wait4", NULL, 0, 0 },
	{ "h11-huge-array", "any", "char parent_comm[99999999999] in sched_process_fork",
	  WT_CHUNK_FORMAT, "sched_process_fork", OP_REPLACE,
	  "__data_loc char[] parent_comm;", "char parent_comm[99999999999];", NULL, 0, 0 },
	{ "h12-data-loc-moved", "any", "__data_loc filename read from the pid field",
	  WT_CHUNK_FORMAT, "sched_process_exec", OP_REPLACE,
	  "filename;\toffset:8;", "filename;\toffset:12;", NULL, 0, 0 },
	{ "h13-nul-in-format", "damage", "a NUL byte inside a field line",
	  WT_CHUNK_FORMAT, "sys_enter_wait4", OP_REPLACE, "upid;", "up\0d;", NULL, 0, 0 },
	{ "h14-page-timestamp-huge", "damage", "header_page timestamp of 1048576 bytes",
	  WT_CHUNK_HEADER_PAGE, NULL, OP_REPLACE,
	  "timestamp;\toffset:0;\tsize:8;", "timestamp;\toffset:0;\tsize:1048576;", NULL, 0, 0 },
	{ "h15-page-commit-far", "damage", "header_page commit at offset 1048576",
	  WT_CHUNK_HEADER_PAGE, NULL, OP_REPLACE,
	  "commit;\toffset:8;", "commit;\toffset:1048576;", NULL, 0, 0 },
	{ "h16-page-data-huge", "damage", "header_page data of 4294967295 bytes",
	  WT_CHUNK_HEADER_PAGE, NULL, OP_REPLACE,
	  "data;\toffset:16;\tsize:4080;", "data;\toffset:16;\tsize:4294967295;", NULL, 0, 0 },
	{ "h17-page-garbage", "damage", "header_page of binary noise",
	  WT_CHUNK_HEADER_PAGE, NULL, OP_GEN, NULL, NULL, noise, 0, 0 },
	{ "h18-no-header-page", "any", "no header_page chunk at all",
	  WT_CHUNK_HEADER_PAGE, NULL, OP_DROP, NULL, NULL, NULL, 0, 0 },
	{ "h19-subbuf-zero", "damage", "CPU_DATA with sub-buffer size 0",
	  WT_CHUNK_CPU_DATA, NULL, OP_CPU_HDR, NULL, NULL, NULL, 0, 0 },
	{ "h20-subbuf-huge", "damage", "CPU_DATA with sub-buffer size 4294967295",
	  WT_CHUNK_CPU_DATA, NULL, OP_CPU_HDR, NULL, NULL, NULL, 0, 0xffffffffu },
	{ "h21-subbuf-tiny", "damage", "CPU_DATA with sub-buffer size 7",
	  WT_CHUNK_CPU_DATA, NULL, OP_CPU_HDR, NULL, NULL, NULL, 0, 7 },
	{ "h22-cpu-huge", "damage", "CPU_DATA of cpu 4000000000",
	  WT_CHUNK_CPU_DATA, NULL, OP_CPU_HDR, NULL, NULL, NULL, 4000000000u, 0 },
	{ "h23-stats-garbage", "any", "CPU_STATS of binary noise",
	  WT_CHUNK_CPU_STATS, NULL, OP_GEN, NULL, NULL, noise, 0, 0 },
	{ "h24-proc-garbage", "damage", "a PROC snapshot of binary noise",
	  WT_CHUNK_PROC, NULL, OP_GEN, NULL, NULL, noise, 0, 0 },
};

/* Does FORMAT payload @c describe @event ("name: EVENT\n" on line 2)? */
static bool is_event(const struct chunk *c, const char *event)
{
	char line[128];
	const uint8_t *nl = memchr(c->data, '\n', c->len);
	size_t n = snprintf(line, sizeof(line), "name: %s\n", event);

	return nl && (size_t)(c->data + c->len - (nl + 1)) >= n &&
	       !memcmp(nl + 1, line, n);
}

/* The "ID: N\n" line of FORMAT payload @c, copied into @line (or ""). */
static void id_line(const struct chunk *c, char *line, size_t size)
{
	struct wt_lines it = wt_lines_of((const char *)c->data, c->len);
	const char *end = (const char *)c->data + c->len, *p;
	size_t n;

	line[0] = '\0';
	/* only lines that end in '\n', copied with it */
	while (wt_lines_next(&it, &p, &n) && p + n < end)
		if (n > 4 && !memcmp(p, "ID: ", 4) && n + 2 <= size) {
			memcpy(line, p, n + 1);
			line[n + 1] = '\0';
			return;
		}
}

/* Event @event's "ID: N\n" line in the input, or "". */
static void event_id_line(const char *event, char *line, size_t size)
{
	line[0] = '\0';
	for (int i = 0; i < nin; i++)
		if (in[i].type == WT_CHUNK_FORMAT && is_event(&in[i], event))
			id_line(&in[i], line, size);
}

/* Find @from (which may hold NULs: its length is strlen of the source
 * text only up to the first NUL, so pass lengths explicitly). */
static uint8_t *replace(const struct chunk *c, const char *from, size_t flen,
			const char *to, size_t tlen, size_t *len)
{
	uint8_t *out;

	for (size_t i = 0; i + flen <= c->len; i++) {
		if (memcmp(c->data + i, from, flen))
			continue;
		out = malloc(c->len - flen + tlen);
		if (!out)
			return NULL;
		memcpy(out, c->data, i);
		memcpy(out + i, to, tlen);
		memcpy(out + i + tlen, c->data + i + flen, c->len - i - flen);
		*len = c->len - flen + tlen;
		return out;
	}
	return NULL;
}

/* Length of a replacement text that may contain one embedded NUL. */
static size_t text_len(const char *s, const struct hcase *k)
{
	if (!strcmp(k->name, "h13-nul-in-format") && s == k->to)
		return 5; /* "up\0d;" */
	return strlen(s);
}

/* Write case @k; returns 1 if it changed something, 0 if not, -1 error. */
static int write_case(const struct hcase *k, const char *dir)
{
	char path[4096];
	struct wt_writer *w;
	int changed = 0, ret = 0;

	snprintf(path, sizeof(path), "%s/%s.wtrec", dir, k->name);
	w = wt_writer_open(path, false, hdr.byte_order_le, hdr.word_size,
			   WT_CODEC_DEFAULT);
	if (!w)
		return -1;
	for (int i = 0; i < nin && !ret; i++) {
		const struct chunk *c = &in[i];
		uint8_t *data = c->data, *owned = NULL;
		size_t len = c->len;
		bool target = c->type == k->type &&
			      (!k->event || is_event(c, k->event));

		if (target && k->op == OP_DROP) {
			changed = 1;
			continue;
		}
		if (target && k->op == OP_REPLACE)
			owned = replace(c, k->from, strlen(k->from), k->to,
					text_len(k->to, k), &len);
		else if (target && k->op == OP_SET) {
			len = strlen(k->to);
			owned = (uint8_t *)strdup(k->to);
		} else if (target && k->op == OP_GEN)
			owned = (uint8_t *)k->gen(&len);
		else if (target && k->op == OP_COPY_ID) {
			char mine[32], theirs[32];

			id_line(c, mine, sizeof(mine));
			event_id_line(k->from, theirs, sizeof(theirs));
			if (*mine && *theirs)
				owned = replace(c, mine, strlen(mine), theirs,
						strlen(theirs), &len);
		} else if (target && k->op == OP_CPU_HDR && c->len >= 8) {
			owned = malloc(c->len);
			if (owned) {
				memcpy(owned, c->data, c->len);
				if (k->cpu)
					wt_put_le32(owned, k->cpu);
				else
					wt_put_le32(owned + 4, k->subbuf);
			}
		}
		if (owned) {
			data = owned;
			changed = 1;
		} else {
			len = c->len;
		}
		ret = wt_writer_add(w, c->type, data, len);
		free(owned);
	}
	if (wt_writer_close(w) < 0 || ret < 0)
		return -1;
	return changed;
}

static int load(const char *path)
{
	char err[256];
	struct wt_reader *r = wt_reader_open(path, err, sizeof(err));
	struct wt_chunk c;
	int rc;

	if (!r) {
		fprintf(stderr, "hostile: %s\n", err);
		return -1;
	}
	hdr = *wt_reader_header(r);
	while ((rc = wt_reader_next(r, &c)) == 1 && nin < MAX_CHUNKS) {
		in[nin].type = c.type;
		in[nin].len = c.len;
		in[nin].data = malloc(c.len ? c.len : 1);
		if (!in[nin].data)
			return -1;
		memcpy(in[nin].data, c.data, c.len);
		nin++;
	}
	if (rc < 0)
		fprintf(stderr, "hostile: %s\n", wt_reader_error(r));
	wt_reader_close(r);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: hostile INPUT OUTDIR\n");
		return 2;
	}
	if (load(argv[1]) < 0)
		return 2;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = write_case(&cases[i], argv[2]);

		if (rc <= 0) {
			/* a case that changes nothing tests nothing: the input
			 * no longer has what the case aims at */
			fprintf(stderr, "hostile: %s: %s\n", cases[i].name,
				rc < 0 ? "cannot write" : "nothing to change in the input");
			status = 1;
			continue;
		}
		printf("%s.wtrec %s %s\n", cases[i].name, cases[i].expect,
		       cases[i].what);
	}
	for (int i = 0; i < nin; i++)
		free(in[i].data);
	return status;
}
