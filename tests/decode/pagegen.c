/*
 * pagegen.c - ring-buffer sub-buffers, trace records and .wtrec images for
 * the decoder tests (see pagegen.h for the layouts and where they come from).
 *
 * Test helper: aborts on out-of-memory, returns -1 only for "does not fit".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pagegen.h"

static void put(uint8_t *p, bool be, unsigned size, uint64_t v)
{
	for (unsigned i = 0; i < size; i++) {
		unsigned shift = 8 * (be ? size - 1 - i : i);

		p[i] = (uint8_t)(v >> shift);
	}
}

/* ---- sub-buffers ------------------------------------------------------- */

void pg_begin(struct pg *g, uint8_t *page, unsigned subbuf, bool be,
	      uint64_t ts)
{
	memset(page, 0, subbuf);
	g->page = page;
	g->subbuf = subbuf;
	g->be = be;
	g->off = 0;
	g->ts = ts;
	put(page, be, 8, ts);
}

uint32_t pg_hdr_word(const struct pg *g, unsigned type_len, uint32_t delta)
{
	delta &= (1u << PG_TS_BITS) - 1;
	/* the kernel's bit field struct {type_len:5, time_delta:27}: the first
	 * field takes the low bits on little-endian, the high bits on big */
	return g->be ? (uint32_t)type_len << 27 | delta
		     : delta << 5 | type_len;
}

static int room(const struct pg *g, unsigned n)
{
	return g->off + n <= g->subbuf - PG_HDR ? 0 : -1;
}

static void emit32(struct pg *g, uint32_t w)
{
	put(g->page + PG_HDR + g->off, g->be, 4, w);
	g->off += 4;
}

int pg_raw32(struct pg *g, uint32_t w)
{
	if (room(g, 4))
		return -1;
	emit32(g, w);
	return 0;
}

int pg_time_extend(struct pg *g, uint64_t delta)
{
	if (room(g, 8))
		return -1;
	emit32(g, pg_hdr_word(g, 30, (uint32_t)delta));
	emit32(g, (uint32_t)(delta >> PG_TS_BITS));
	g->ts += delta;
	return 0;
}

int pg_abs_ts(struct pg *g, uint64_t ts)
{
	if (room(g, 8))
		return -1;
	emit32(g, pg_hdr_word(g, 31, (uint32_t)ts));
	emit32(g, (uint32_t)(ts >> PG_TS_BITS));
	g->ts = ts;
	return 0;
}

int pg_padding(struct pg *g, unsigned total, unsigned delta)
{
	if (total < 8 || total % 4 || room(g, total))
		return -1;
	emit32(g, pg_hdr_word(g, 29, delta));
	emit32(g, total - 4); /* array[0]: length after the header word */
	g->off += total - 8;
	g->ts += delta;
	return 0;
}

int pg_record(struct pg *g, uint64_t ts, const void *payload, unsigned len,
	      bool big)
{
	unsigned padded = (len + 3) & ~3u;
	uint64_t delta = ts - g->ts;

	big = big || padded > 28 * 4;
	if (delta >= (1u << PG_TS_BITS)) {
		if (pg_time_extend(g, delta))
			return -1;
		delta = 0;
	}
	if (room(g, 4 + (big ? 4 : 0) + padded))
		return -1;
	if (big) {
		emit32(g, pg_hdr_word(g, 0, (uint32_t)delta));
		emit32(g, padded + 4);
	} else {
		emit32(g, pg_hdr_word(g, padded / 4, (uint32_t)delta));
	}
	memcpy(g->page + PG_HDR + g->off, payload, len);
	g->off += padded;
	g->ts = ts;
	return 0;
}

void pg_set_commit(struct pg *g, uint64_t commit)
{
	put(g->page + 8, g->be, 8, commit);
}

void pg_end(struct pg *g, int64_t missed)
{
	uint64_t commit = g->off;

	if (missed) {
		commit |= PG_MISSED_EVENTS;
		if (missed > 0) {
			commit |= PG_MISSED_STORED;
			put(g->page + PG_HDR + g->off, g->be, 8, (uint64_t)missed);
		}
	}
	pg_set_commit(g, commit);
}

/* ---- records ----------------------------------------------------------- */

void pgr_put(struct pg_rec *r, bool be, unsigned off, unsigned size,
	     uint64_t v)
{
	put(r->b + off, be, size, v);
}

void pgr_common(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		unsigned len)
{
	memset(r, 0, sizeof(*r));
	r->len = len;
	pgr_put(r, be, 0, 2, id);       /* common_type */
	pgr_put(r, be, 2, 1, 1);        /* common_flags */
	pgr_put(r, be, 3, 1, 0);        /* common_preempt_count */
	pgr_put(r, be, 4, 4, (uint32_t)pid); /* common_pid */
}

void pgr_dataloc(struct pg_rec *r, bool be, unsigned field_off, const char *s)
{
	unsigned n = (unsigned)strlen(s) + 1;

	pgr_put(r, be, field_off, 4, (uint32_t)n << 16 | r->len);
	memcpy(r->b + r->len, s, n);
	r->len += n;
}

/* syscalls: int __syscall_nr at 8, arguments as 8-byte fields from 16 */
void pgr_wait4_enter(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		     int64_t upid, uint64_t options)
{
	pgr_common(r, be, id, pid, 48);
	pgr_put(r, be, 8, 4, 61);              /* __NR_wait4 (x86_64) */
	pgr_put(r, be, 16, 8, (uint64_t)upid); /* pid_t as unsigned long */
	pgr_put(r, be, 24, 8, 0x7ffc0000aa00ull);
	pgr_put(r, be, 32, 8, options);
	pgr_put(r, be, 40, 8, 0);
}

void pgr_waitid_enter(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		      int64_t which, int64_t upid, uint64_t options)
{
	pgr_common(r, be, id, pid, 56);
	pgr_put(r, be, 8, 4, 247);
	pgr_put(r, be, 16, 8, (uint64_t)which);
	pgr_put(r, be, 24, 8, (uint64_t)upid);
	pgr_put(r, be, 32, 8, 0x7ffc0000bb00ull);
	pgr_put(r, be, 40, 8, options);
	pgr_put(r, be, 48, 8, 0);
}

void pgr_sys_exit(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		  int64_t ret)
{
	pgr_common(r, be, id, pid, 24);
	pgr_put(r, be, 8, 4, 61);
	pgr_put(r, be, 16, 8, (uint64_t)ret);
}

void pgr_exit_call(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		   int64_t code)
{
	pgr_common(r, be, id, pid, 24);
	pgr_put(r, be, 8, 4, 231);
	pgr_put(r, be, 16, 8, (uint64_t)code);
}

/* sched_process_fork: __data_loc parent_comm 8, parent_pid 12,
 * __data_loc child_comm 16, child_pid 20 */
void pgr_fork(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *pcomm, int32_t ppid, const char *ccomm, int32_t cpid)
{
	pgr_common(r, be, id, pid, 24);
	pgr_put(r, be, 12, 4, (uint32_t)ppid);
	pgr_put(r, be, 20, 4, (uint32_t)cpid);
	pgr_dataloc(r, be, 8, pcomm);
	pgr_dataloc(r, be, 16, ccomm);
}

/* sched_process_exec: __data_loc filename 8, pid 12, old_pid 16 */
void pgr_exec(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *filename, int32_t old_pid)
{
	pgr_common(r, be, id, pid, 20);
	pgr_put(r, be, 12, 4, (uint32_t)pid);
	pgr_put(r, be, 16, 4, (uint32_t)old_pid);
	pgr_dataloc(r, be, 8, filename);
}

/* sched_process_exit: char comm[16] 8, pid 24, prio 28, bool group_dead 32 */
void pgr_exit(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *comm, int group_dead)
{
	pgr_common(r, be, id, pid, group_dead < 0 ? 32 : 33);
	strncpy((char *)r->b + 8, comm, 16);
	pgr_put(r, be, 24, 4, (uint32_t)pid);
	pgr_put(r, be, 28, 4, 120);
	if (group_dead >= 0)
		pgr_put(r, be, 32, 1, (uint64_t)group_dead);
}

/* sched_process_free: __data_loc comm 8, pid 12, prio 16 */
void pgr_free(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *comm, int32_t tpid)
{
	pgr_common(r, be, id, pid, 20);
	pgr_put(r, be, 12, 4, (uint32_t)tpid);
	pgr_put(r, be, 16, 4, 120);
	pgr_dataloc(r, be, 8, comm);
}

/* task_newtask: pid 8, char comm[16] 12, u64 clone_flags 32, short 40 */
void pgr_newtask(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		 int32_t cpid, const char *comm, uint64_t flags)
{
	pgr_common(r, be, id, pid, 42);
	pgr_put(r, be, 8, 4, (uint32_t)cpid);
	strncpy((char *)r->b + 12, comm, 16);
	pgr_put(r, be, 32, 8, flags);
	pgr_put(r, be, 40, 2, 0);
}

/* signal_deliver: sig 8, errno 12, code 16, sa_handler 24, sa_flags 32 */
void pgr_sig_deliver(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		     int32_t sig, int32_t code)
{
	pgr_common(r, be, id, pid, 40);
	pgr_put(r, be, 8, 4, (uint32_t)sig);
	pgr_put(r, be, 16, 4, (uint32_t)code);
}

/* signal_generate: sig 8, errno 12, code 16, comm[16] 20, pid 36,
 * group 40, result 44 */
void pgr_sig_generate(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		      int32_t sig, int32_t code, const char *comm,
		      int32_t tpid, int32_t group, int32_t result)
{
	pgr_common(r, be, id, pid, 48);
	pgr_put(r, be, 8, 4, (uint32_t)sig);
	pgr_put(r, be, 16, 4, (uint32_t)code);
	strncpy((char *)r->b + 20, comm, 16);
	pgr_put(r, be, 36, 4, (uint32_t)tpid);
	pgr_put(r, be, 40, 4, (uint32_t)group);
	pgr_put(r, be, 44, 4, (uint32_t)result);
}

/* ---- .wtrec images ----------------------------------------------------- */

static void must(int rc)
{
	if (rc) {
		fprintf(stderr, "pagegen: out of memory\n");
		abort();
	}
}

int pgf_begin(struct pg_file *f, bool be)
{
	uint8_t h[WT_FILE_HEADER_LEN] = { 0 };

	memset(f, 0, sizeof(*f));
	f->be = be;
	f->enc = wt_encoder_new(WT_CODEC_DEFAULT);
	must(!f->enc);
	memcpy(h, WT_MAGIC, WT_MAGIC_LEN);
	wt_put_le16(h + 8, wt_format_version(WT_CODEC_DEFAULT));
	h[10] = be ? 2 : 1;
	h[11] = 8;
	must(wt_buf_append(&f->buf, h, sizeof(h)));
	h[0] = be;
	must(wt_buf_append(&f->raw, h, 1));
	return 0;
}

int pgf_chunk(struct pg_file *f, uint32_t type, const void *data, size_t len)
{
	uint8_t hdr[8];

	must(wt_chunk_encode(f->enc, type, data, len, &f->buf));
	wt_put_le32(hdr, type);
	wt_put_le32(hdr + 4, (uint32_t)len);
	must(wt_buf_append(&f->raw, hdr, 8));
	must(wt_buf_append(&f->raw, data, len));
	return 0;
}

int pgf_text(struct pg_file *f, uint32_t type, const char *text)
{
	return pgf_chunk(f, type, text, strlen(text));
}

char *pg_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = '\0';
			if (len)
				*len = (size_t)n;
		}
	}
	fclose(fp);
	return buf;
}

/* Remove the line that declares field @field (";\tfield:... @field;"). */
static void drop_line(char *text, const char *field)
{
	char pat[128];
	char *hit, *start, *end;

	snprintf(pat, sizeof(pat), " %s;", field);
	hit = strstr(text, pat);
	if (!hit)
		return;
	start = hit;
	while (start > text && start[-1] != '\n')
		start--;
	end = strchr(hit, '\n');
	end = end ? end + 1 : hit + strlen(hit);
	memmove(start, end, strlen(end) + 1);
}

int pgf_format(struct pg_file *f, const char *dir, const char *system,
	       const char *name, const char *drop_field, uint16_t *id)
{
	char path[1024], *text, *idline, *chunk;
	unsigned v;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s__%s.format", dir, system, name);
	text = pg_slurp(path, NULL);
	if (!text)
		return -1;
	idline = strstr(text, "\nID: ");
	if (!idline || sscanf(idline, "\nID: %u", &v) != 1) {
		free(text);
		return -1;
	}
	if (id)
		*id = (uint16_t)v;
	if (drop_field)
		drop_line(text, drop_field);
	n = strlen(system) + 1 + strlen(text);
	chunk = malloc(n + 1);
	must(!chunk);
	snprintf(chunk, n + 1, "%s\n%s", system, text);
	pgf_chunk(f, WT_CHUNK_FORMAT, chunk, n);
	free(chunk);
	free(text);
	return 0;
}

int pgf_header_page(struct pg_file *f, const char *dir)
{
	char path[1024], *text;

	snprintf(path, sizeof(path), "%s/header_page", dir);
	text = pg_slurp(path, NULL);
	if (!text)
		return -1;
	pgf_text(f, WT_CHUNK_HEADER_PAGE, text);
	free(text);
	return 0;
}

int pgf_cpu_data(struct pg_file *f, uint32_t cpu, uint32_t subbuf,
		 const uint8_t *pages, unsigned n)
{
	size_t len = 8 + (size_t)n * subbuf;
	uint8_t *p = malloc(len);

	must(!p);
	wt_put_le32(p, cpu);
	wt_put_le32(p + 4, subbuf);
	memcpy(p + 8, pages, (size_t)n * subbuf);
	pgf_chunk(f, WT_CHUNK_CPU_DATA, p, len);
	free(p);
	return 0;
}

int pgf_cpu_stats(struct pg_file *f, uint32_t cpu, const char *text)
{
	size_t len = 4 + strlen(text);
	uint8_t *p = malloc(len);

	must(!p);
	wt_put_le32(p, cpu);
	memcpy(p + 4, text, len - 4);
	pgf_chunk(f, WT_CHUNK_CPU_STATS, p, len);
	free(p);
	return 0;
}

static int write_buf(const struct wt_buf *b, const char *path)
{
	FILE *fp = fopen(path, "wb");
	int rc = 0;

	if (!fp)
		return -1;
	if (fwrite(b->data, 1, b->len, fp) != b->len)
		rc = -1;
	if (fclose(fp))
		rc = -1;
	return rc;
}

int pgf_write(const struct pg_file *f, const char *path)
{
	return write_buf(&f->buf, path);
}

int pgf_write_raw(const struct pg_file *f, const char *path)
{
	return write_buf(&f->raw, path);
}

void pgf_free(struct pg_file *f)
{
	wt_buf_free(&f->buf);
	wt_buf_free(&f->raw);
	wt_encoder_free(f->enc);
	f->enc = NULL;
}
