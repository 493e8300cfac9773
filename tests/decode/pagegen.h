/*
 * pagegen.h - build real ring-buffer sub-buffers, trace records and whole
 * .wtrec images for the decoder tests (and the fuzz seed corpus).
 *
 * Layouts follow the kernel (kernel/trace/ring_buffer.c), not the decoder:
 * a sub-buffer is u64 timestamp, local_t commit (size in the low bits;
 * RB_MISSED_EVENTS 1<<31, RB_MISSED_STORED 1<<30, with the missed count
 * stored right after the data), then 32-bit event headers
 * {type_len:5, time_delta:27} (bit order reversed on big-endian), with
 * type_len 1..28 = payload of type_len*4 bytes, 0 = a length word follows
 * (payloads over 112 bytes), 29 padding, 30 time extend, 31 absolute time
 * stamp.  Record payloads use the field offsets of the formats copied from
 * this machine's tracefs into tests/decode/formats/ (the constants below
 * are read off those files).
 */
#ifndef WT_PAGEGEN_H
#define WT_PAGEGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wtfile.h"

#define PG_HDR 16            /* 64-bit kernel: u64 ts + 8-byte commit */
#define PG_TS_BITS 27
#define PG_MISSED_EVENTS (1ull << 31)
#define PG_MISSED_STORED (1ull << 30)

/* ---- sub-buffers ------------------------------------------------------- */

struct pg {
	uint8_t *page;    /* subbuf bytes, caller-owned */
	unsigned subbuf;
	bool be;          /* big-endian recording */
	unsigned off;     /* bytes written after the header */
	uint64_t ts;      /* time of the last entry (what deltas add to) */
};

/* Start a sub-buffer at @page (zeroed) whose header time stamp is @ts. */
void pg_begin(struct pg *g, uint8_t *page, unsigned subbuf, bool be,
	      uint64_t ts);

/* Append a record at time @ts (>= the previous); a time extend is inserted
 * when the delta does not fit 27 bits.  @big forces the type_len 0 form.
 * Returns 0, -1 when the sub-buffer is full. */
int pg_record(struct pg *g, uint64_t ts, const void *payload, unsigned len,
	      bool big);

int pg_time_extend(struct pg *g, uint64_t delta);
int pg_abs_ts(struct pg *g, uint64_t ts);             /* ts < 2^59 */
/* Padding of @total bytes (>= 8, header included), time delta @delta (the
 * kernel's discarded events carry delta >= 1). */
int pg_padding(struct pg *g, unsigned total, unsigned delta);
/* Raw 32-bit words, for hostile layouts. */
int pg_raw32(struct pg *g, uint32_t w);
/* Header word for @type_len / @delta in the page's byte order. */
uint32_t pg_hdr_word(const struct pg *g, unsigned type_len, uint32_t delta);

/* Write the commit word: missed 0 = none, -1 = lost an unknown amount,
 * > 0 = that many, stored after the data. */
void pg_end(struct pg *g, int64_t missed);
/* Overwrite the commit word with anything. */
void pg_set_commit(struct pg *g, uint64_t commit);

/* ---- records (payloads with the real field layouts) --------------------- */

struct pg_rec {
	uint8_t b[512];
	unsigned len;
};

void pgr_common(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		unsigned len);
void pgr_put(struct pg_rec *r, bool be, unsigned off, unsigned size,
	     uint64_t v);
/* A __data_loc string appended at the end of the record. */
void pgr_dataloc(struct pg_rec *r, bool be, unsigned field_off,
		 const char *s);

void pgr_wait4_enter(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		     int64_t upid, uint64_t options);
void pgr_waitid_enter(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		      int64_t which, int64_t upid, uint64_t options);
void pgr_sys_exit(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		  int64_t ret);              /* sys_exit_wait4 / waitid */
void pgr_exit_call(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		   int64_t code);            /* sys_enter_exit(_group) */
void pgr_fork(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *pcomm, int32_t ppid, const char *ccomm,
	      int32_t cpid);
void pgr_exec(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *filename, int32_t old_pid);
void pgr_exit(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *comm, int group_dead); /* group_dead < 0: old layout */
void pgr_free(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
	      const char *comm, int32_t tpid);
void pgr_newtask(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		 int32_t cpid, const char *comm, uint64_t flags);
void pgr_sig_deliver(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		     int32_t sig, int32_t code);
void pgr_sig_generate(struct pg_rec *r, bool be, uint16_t id, int32_t pid,
		      int32_t sig, int32_t code, const char *comm,
		      int32_t tpid, int32_t group, int32_t result);

/* ---- .wtrec images ----------------------------------------------------- */

struct pg_file {
	struct wt_buf buf;	/* the file, chunks in the default codec */
	struct wt_encoder *enc;
	/* the same chunks unframed, fuzz_decode's raw input form: u8 flags
	 * (1 = big-endian, 2 = 4-byte words), then per chunk u32 type,
	 * u32 len, payload (all LE) */
	struct wt_buf raw;
	bool be;
};

/* Header; 0 or -1. */
int pgf_begin(struct pg_file *f, bool be);
int pgf_chunk(struct pg_file *f, uint32_t type, const void *data, size_t len);
int pgf_text(struct pg_file *f, uint32_t type, const char *text);
/* FORMAT chunk from @dir/<system>__<name>.format; the event's ID is stored
 * in *@id.  @drop_field: a field line to leave out (NULL: none), to mimic an
 * older kernel.  0 or -1. */
int pgf_format(struct pg_file *f, const char *dir, const char *system,
	       const char *name, const char *drop_field, uint16_t *id);
/* HEADER_PAGE chunk from @dir/header_page. */
int pgf_header_page(struct pg_file *f, const char *dir);
/* CPU_DATA: u32 cpu, u32 subbuf, then @n sub-buffers. */
int pgf_cpu_data(struct pg_file *f, uint32_t cpu, uint32_t subbuf,
		 const uint8_t *pages, unsigned n);
int pgf_cpu_stats(struct pg_file *f, uint32_t cpu, const char *text);
int pgf_write(const struct pg_file *f, const char *path);
int pgf_write_raw(const struct pg_file *f, const char *path);
void pgf_free(struct pg_file *f);

/* Read a whole file into a malloc'd NUL-terminated buffer, or NULL. */
char *pg_slurp(const char *path, size_t *len);

#endif /* WT_PAGEGEN_H */
