/*
 * test_wtfile.c - unit tests of the .wtrec container (common/).
 *
 * Ground truth comes from outside the code under test: file images are built
 * here byte by byte from the spec (docs/FORMAT.md) with zlib's own crc32 and
 * compress2, and files the writer produces are parsed by a small reference
 * decoder in this file (zlib's uncompress).  The reader is then run over
 * every truncation point and every single-byte and single-bit corruption of
 * small images.
 *
 * Allocation bounds are observed by wrapping realloc() at link time
 * (-Wl,--wrap=realloc, see CMakeLists.txt): wt_buf is the reader's only
 * way to get a payload-sized buffer, so the largest request seen is the
 * largest buffer the reader asked for.
 *
 * Usage: test_wtfile [--write-corpus DIR]
 * Prints one line per case and a closing "N passed, M failed" of the
 * checks; exits 1 if any failed (tests/lib/tcheck.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "compress.h"
#include "tcheck.h"
#include "wtfile.h"

/* ---- allocation observer ------------------------------------------------ */

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t max_alloc; /* largest realloc() request since last reset */

void *__wrap_realloc(void *p, size_t n)
{
	if (n > max_alloc)
		max_alloc = n;
	return __real_realloc(p, n);
}

/* ---- reporting ---------------------------------------------------------- */

/* ---- deterministic data ------------------------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static uint8_t *random_zero_data(size_t len)
{
	uint8_t *p = malloc(len);
	size_t i;

	/* 4 KiB blocks alternate between random bytes and zeros, as a ring
	 * buffer's partly filled sub-buffers do. */
	for (i = 0; i < len; i++)
		p[i] = (i / 4096) % 2 ? 0 : (uint8_t)rnd();
	return p;
}

/* ---- spec-literal image builder ----------------------------------------- */

#define MAXC 32

struct spec_chunk {
	uint32_t type;
	const void *data;
	size_t len;
};

struct image {
	uint8_t *data;
	size_t len, cap;
	int n;
	uint64_t start[MAXC], end[MAXC];
};

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void img_put(struct image *im, const void *d, size_t n)
{
	if (im->len + n > im->cap) {
		im->cap = (im->len + n) * 2;
		im->data = realloc(im->data, im->cap);
	}
	memcpy(im->data + im->len, d, n);
	im->len += n;
}

static void img_header(struct image *im, uint16_t version, uint8_t order,
		       uint8_t word)
{
	uint8_t h[16] = { 'W', 'T', 'R', 'E', 'C', 0, '\r', '\n' };

	h[8] = version;
	h[9] = version >> 8;
	h[10] = order;
	h[11] = word;
	img_put(im, h, 16);
}

/* Frame a chunk with explicit header fields (for lying headers). */
static void img_raw_chunk(struct image *im, uint32_t type, uint32_t clen,
			  uint32_t raw_len, const void *payload, size_t plen)
{
	uint8_t h[16];
	uLong crc;

	le32(h, type);
	le32(h + 4, clen);
	le32(h + 8, raw_len);
	crc = crc32(crc32(0, h, 12), payload, plen);
	le32(h + 12, crc);
	if (im->n < MAXC)
		im->start[im->n] = im->len;
	img_put(im, h, 16);
	img_put(im, payload, plen);
	if (im->n < MAXC)
		im->end[im->n++] = im->len;
}

static void img_chunk(struct image *im, uint32_t type, const void *d,
		      size_t len)
{
	uLongf clen = compressBound(len);
	uint8_t *z = malloc(clen);

	compress2(z, &clen, d, len, 6); /* any level decodes the same */
	img_raw_chunk(im, type, clen, len, z, clen);
	free(z);
}

static void img_build(struct image *im, const struct spec_chunk *cs, int n)
{
	memset(im, 0, sizeof(*im));
	img_header(im, 1, 1, 8);
	for (int i = 0; i < n; i++)
		img_chunk(im, cs[i].type, cs[i].data, cs[i].len);
}

static void img_free(struct image *im)
{
	free(im->data);
	memset(im, 0, sizeof(*im));
}

/* ---- files -------------------------------------------------------------- */

static char tmpdir[256];

static const char *tpath(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static int write_file(const char *path, const void *d, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, d, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Whole file into malloc'ed memory (caller frees), NULL on error. */
static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	p = malloc(st.st_size + 1);
	*len = read(fd, p, st.st_size);
	close(fd);
	return p;
}

/* Number of directory entries other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* No ".tmp." names (the writer's temporary files) in @dir. */
static bool no_temp_left(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool ok = d != NULL;

	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tmp."))
			ok = false;
	if (d)
		closedir(d);
	return ok;
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *f)
{
	(void)sb; (void)flag; (void)f;
	chmod(p, 0700);
	return remove(p);
}

static void rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static bool has_offset(const char *msg, uint64_t off)
{
	char want[64];

	snprintf(want, sizeof(want), "offset %" PRIu64 ":", off);
	return strstr(msg, want) != NULL;
}

/* ---- the chunks used by several cases ----------------------------------- */

static const char meta_txt[] =
	"version=0.1.0\nhost=testhost\nkernel=6.18.0\narch=x86_64\ncpus=2\n"
	"page_size=4096\nsubbuf_size=4096\nclock=boot\n";
static const char hpage_txt[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n";
static const char hevent_txt[] = "# compressed entry header\n\ttype_len : 5 bits\n";
static const char format_txt[] =
	"syscalls\nname: sys_enter_wait4\nID: 700\nformat:\n";
static const char proc_txt[] =
	"# wtrec-proc 1\nwhen=start\nts=1000\nclk_tck=100\n"
	"1\t1\t0\tS\t5\t0\t0\tinit\n";
static const char stats_txt[] = "entries: 0\noverrun: 0\ndropped_events: 0\n";
static const char trailer_txt[] =
	"stop_ns=2000\nchunks=12\ndata_bytes=8192\nevents_lost=0\n";

static uint8_t *cpu_data(uint32_t cpu, int nsub, size_t *len)
{
	uint8_t *p;

	*len = 8 + (size_t)nsub * 4096;
	p = random_zero_data(*len);
	le32(p, cpu);
	le32(p + 4, 4096);
	return p;
}

/* Compare one chunk read back with what was written. */
static void expect_chunk(int i, const struct wt_chunk *c,
			 const struct spec_chunk *s)
{
	CHECK(c->type == s->type, "chunk %d: type %u, want %u", i, c->type,
	      s->type);
	CHECK(c->len == s->len, "chunk %d: len %zu, want %zu", i, c->len,
	      s->len);
	CHECK(c->len != s->len || !s->len || !memcmp(c->data, s->data, s->len),
	      "chunk %d: payload bytes differ", i);
}

/* A full set: every type, an empty payload, unknown types, a ~1 MB one. */
static struct spec_chunk full[16];
static int nfull;
static uint8_t *big, *cpu0;
static size_t big_len, cpu0_len;

static void full_set_init(void)
{
	int n = 0;

	big_len = (1u << 20) + 123;
	big = random_zero_data(big_len);
	cpu0 = cpu_data(0, 4, &cpu0_len);
	full[n++] = (struct spec_chunk){ WT_CHUNK_META, meta_txt, strlen(meta_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_HEADER_PAGE, hpage_txt, strlen(hpage_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_HEADER_EVENT, hevent_txt, strlen(hevent_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_FORMAT, format_txt, strlen(format_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_PROC, proc_txt, strlen(proc_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_META, "", 0 };
	full[n++] = (struct spec_chunk){ WT_CHUNK_CPU_DATA, cpu0, cpu0_len };
	full[n++] = (struct spec_chunk){ WT_CHUNK_CPU_DATA, big, big_len };
	full[n++] = (struct spec_chunk){ 42, "future chunk", 12 };
	full[n++] = (struct spec_chunk){ 0, "", 0 };
	full[n++] = (struct spec_chunk){ WT_CHUNK_CPU_STATS, stats_txt, strlen(stats_txt) };
	full[n++] = (struct spec_chunk){ WT_CHUNK_TRAILER, trailer_txt, strlen(trailer_txt) };
	nfull = n;
}

/* Write @n chunks of @cs with the writer; offsets of each chunk to @offs. */
static int write_set(const char *path, const struct spec_chunk *cs, int n,
		     bool encoded, uint64_t *offs)
{
	struct wt_writer *w = wt_writer_open(path, false, true, 8);
	struct wt_buf b = { 0 };
	int i, ret = 0;

	if (!w)
		return -1;
	for (i = 0; i < n && ret == 0; i++) {
		if (offs)
			offs[i] = wt_writer_bytes(w);
		if (!encoded) {
			ret = wt_writer_add(w, cs[i].type, cs[i].data, cs[i].len);
			continue;
		}
		b.len = 0;
		ret = wt_chunk_encode(cs[i].type, cs[i].data, cs[i].len, &b);
		if (ret == 0)
			ret = wt_writer_add_encoded(w, b.data, b.len);
	}
	wt_buf_free(&b);
	if (wt_writer_close(w) < 0)
		ret = -1;
	return ret;
}

/* Read @path back and compare with @cs; checks offsets, end and trailer. */
static void verify_file(const char *path, const struct spec_chunk *cs, int n,
			const uint64_t *offs, bool want_trailer)
{
	char err[512];
	struct wt_reader *r = wt_reader_open(path, err, sizeof(err));
	struct wt_chunk c;
	struct stat st;
	int i = 0, ret;

	if (!r) {
		tcheck_failf("open: %s", err);
		return;
	}
	while ((ret = wt_reader_next(r, &c)) == 1) {
		if (i < n) {
			expect_chunk(i, &c, &cs[i]);
			CHECK(!offs || c.offset == offs[i],
			      "chunk %d at %" PRIu64 ", writer said %" PRIu64,
			      i, c.offset, offs[i]);
		}
		i++;
	}
	CHECK(ret == 0, "ended with %d: %s", ret, wt_reader_error(r));
	CHECK(i == n, "%d chunks read, %d written", i, n);
	CHECK(wt_reader_saw_trailer(r) == want_trailer, "trailer flag %d",
	      wt_reader_saw_trailer(r));
	CHECK(stat(path, &st) == 0 && wt_reader_size(r) == (uint64_t)st.st_size,
	      "reader size %" PRIu64 " != file size", wt_reader_size(r));
	CHECK(wt_reader_offset(r) == wt_reader_size(r), "offset at end %" PRIu64,
	      wt_reader_offset(r));
	CHECK(wt_reader_error(r)[0] == 0, "error set: %s", wt_reader_error(r));
	wt_reader_close(r);
}

/* ---- 1: round trips ----------------------------------------------------- */

static void t_roundtrip(void)
{
	uint64_t offs[16];
	const char *p = tpath("rt.wtrec");

	max_alloc = 0;
	CHECK(write_set(p, full, nfull, false, offs) == 0, "write: %s",
	      strerror(errno));
	verify_file(p, full, nfull, offs, true);
	/* proves the realloc observer sees the library's buffers */
	CHECK(max_alloc >= big_len, "observer saw only %zu bytes", max_alloc);
}

static void t_roundtrip_encoded(void)
{
	uint64_t offs[16];
	const char *p = tpath("rt-enc.wtrec");

	CHECK(write_set(p, full, nfull, true, offs) == 0, "write: %s",
	      strerror(errno));
	verify_file(p, full, nfull, offs, true);
}

static void t_no_trailer(void)
{
	const char *p = tpath("rt-notrailer.wtrec");

	CHECK(write_set(p, full, nfull - 1, false, NULL) == 0, "write");
	verify_file(p, full, nfull - 1, NULL, false);
}

/* The writer's bytes, parsed by a decoder written from FORMAT.md. */
static void t_reference_decoder(void)
{
	const char *p = tpath("rt.wtrec");
	size_t len, off = 16;
	uint8_t *f = slurp(p, &len);
	int i = 0;

	if (!f || len < 16) {
		tcheck_failf("cannot read %s", p);
		free(f);
		return;
	}
	CHECK(!memcmp(f, "WTREC\0\r\n\1\0\1\10\0\0\0\0", 16),
	      "header bytes differ from the spec");
	while (off + 16 <= len && i < nfull) {
		uint32_t clen = get32(f + off + 4), rlen = get32(f + off + 8);
		uLongf got = rlen;
		uint8_t *out = malloc(rlen + 1);

		CHECK(get32(f + off) == full[i].type, "chunk %d type", i);
		CHECK(rlen == full[i].len, "chunk %d raw_len %u", i, rlen);
		CHECK(off + 16 + clen <= len, "chunk %d past end", i);
		if (off + 16 + clen > len) {
			free(out);
			break;
		}
		CHECK(get32(f + off + 12) ==
			      crc32(crc32(0, f + off, 12), f + off + 16, clen),
		      "chunk %d CRC", i);
		CHECK(uncompress(out, &got, f + off + 16, clen) == Z_OK &&
			      got == rlen && (!rlen || !memcmp(out, full[i].data, rlen)),
		      "chunk %d zlib payload", i);
		free(out);
		off += 16 + clen;
		i++;
	}
	CHECK(i == nfull && off == len, "parsed %d chunks up to %zu of %zu", i,
	      off, len);
	free(f);
}

static void t_header_fields(void)
{
	const char *p = tpath("be4.wtrec");
	struct wt_writer *w = wt_writer_open(p, false, false, 4);
	const struct wt_file_header *h;
	struct wt_reader *r;
	char err[512];

	CHECK(w && wt_writer_close(w) == 0, "writer");
	r = wt_reader_open(p, err, sizeof(err));
	if (!r) {
		tcheck_failf("open: %s", err);
		return;
	}
	h = wt_reader_header(r);
	CHECK(h->version == 1 && !h->byte_order_le && h->word_size == 4,
	      "header %u/%d/%u", h->version, h->byte_order_le, h->word_size);
	CHECK(wt_reader_size(r) == 16, "size %" PRIu64, wt_reader_size(r));
	wt_reader_close(r);
	CHECK(wt_writer_open(tpath("w3.wtrec"), false, true, 3) == NULL &&
		      errno == EINVAL, "word size 3 accepted");
}

static void t_type_names(void)
{
	static const char *want[] = { "unknown", "meta", "header_page",
		"header_event", "format", "proc", "cpu_data", "cpu_stats",
		"trailer", "unknown" };

	for (uint32_t t = 0; t < 10; t++)
		CHECK(!strcmp(wt_chunk_type_name(t), want[t]), "type %u: %s", t,
		      wt_chunk_type_name(t));
	CHECK(!strcmp(wt_chunk_type_name(UINT32_MAX), "unknown"), "max");
}

/* ---- 2: truncation ------------------------------------------------------ */

static struct image small; /* header + 4 chunks, the last a trailer */
static uint8_t *small_cpu;

static void small_init(void)
{
	size_t clen;
	struct spec_chunk cs[4];

	small_cpu = cpu_data(1, 1, &clen);
	memset(small_cpu + 8 + 200, 0, 4096 - 200);
	cs[0] = (struct spec_chunk){ WT_CHUNK_META, meta_txt, strlen(meta_txt) };
	cs[1] = (struct spec_chunk){ WT_CHUNK_CPU_DATA, small_cpu, clen };
	cs[2] = (struct spec_chunk){ WT_CHUNK_META, "", 0 };
	cs[3] = (struct spec_chunk){ WT_CHUNK_TRAILER, trailer_txt, strlen(trailer_txt) };
	img_build(&small, cs, 4);
}

/* Chunks fully inside the first @cut bytes of @small. */
static int whole_before(size_t cut)
{
	int k = 0;

	while (k < small.n && small.end[k] <= cut)
		k++;
	return k;
}

static void check_cut(struct wt_reader *r, const char *err, size_t cut)
{
	struct wt_chunk c;
	int k = whole_before(cut), got = 0, ret;

	if (cut < 16) {
		CHECK(!r && has_offset(err, 0) && strstr(err, "truncated"),
		      "cut %zu: open gave '%s'", cut, err);
		return;
	}
	if (!r) {
		tcheck_failf("cut %zu: open failed: %s", cut, err);
		return;
	}
	while ((ret = wt_reader_next(r, &c)) == 1)
		got++;
	CHECK(got == k, "cut %zu: %d chunks, want %d", cut, got, k);
	if (k < small.n && small.start[k] == cut)
		CHECK(ret == 0, "cut %zu at a boundary: ret %d (%s)", cut, ret,
		      wt_reader_error(r));
	else if (k < small.n)
		CHECK(ret == -1 && has_offset(wt_reader_error(r), small.start[k]) &&
			      strstr(wt_reader_error(r), "truncated"),
		      "cut %zu: ret %d, '%s'", cut, ret, wt_reader_error(r));
	else
		CHECK(ret == 0, "cut %zu: whole file: ret %d (%s)", cut, ret,
		      wt_reader_error(r));
	CHECK(wt_reader_next(r, &c) == ret, "cut %zu: not sticky", cut);
	CHECK(wt_reader_saw_trailer(r) == (cut == small.len),
	      "cut %zu: trailer flag %d", cut, wt_reader_saw_trailer(r));
}

static void t_truncate_mem(void)
{
	for (size_t cut = 0; cut <= small.len; cut++) {
		char err[512] = "";
		uint8_t *copy = malloc(cut + 1); /* exact size: ASan sees overreads */
		struct wt_reader *r;

		memcpy(copy, small.data, cut);
		r = wt_reader_open_mem(copy, cut, "small", err, sizeof(err));
		check_cut(r, err, cut);
		wt_reader_close(r);
		free(copy);
	}
}

static void t_truncate_file(void)
{
	const char *p = tpath("cut.wtrec");

	for (size_t cut = 0; cut <= small.len; cut++) {
		char err[512] = "";
		struct wt_reader *r;

		if (write_file(p, small.data, cut) < 0) {
			tcheck_failf("write %s", p);
			return;
		}
		r = wt_reader_open(p, err, sizeof(err));
		check_cut(r, err, cut);
		wt_reader_close(r);
	}
}

/* ---- 3: corruption ------------------------------------------------------ */

/* Read a damaged copy; chunk @k must be refused with its offset. */
static void expect_refused(const uint8_t *img, size_t len, int k,
			   const char *what)
{
	char err[512];
	struct wt_reader *r = wt_reader_open_mem(img, len, "dmg", err,
						 sizeof(err));
	struct wt_chunk c;
	int got = 0, ret;

	if (!r) {
		tcheck_failf("%s: open: %s", what, err);
		return;
	}
	while ((ret = wt_reader_next(r, &c)) == 1)
		got++;
	CHECK(got == k && ret == -1 && has_offset(wt_reader_error(r),
						  small.start[k]),
	      "%s: %d chunks, ret %d, '%s'", what, got, ret,
	      wt_reader_error(r));
	CHECK(k < small.n - 1 || !wt_reader_saw_trailer(r),
	      "%s: damaged trailer counted", what);
	wt_reader_close(r);
}

static void flip_chunk(int k, bool single_bits)
{
	uint8_t *copy = malloc(small.len);
	char what[64];

	for (uint64_t i = small.start[k]; i < small.end[k]; i++) {
		for (int bit = 0; bit < (single_bits ? 8 : 1); bit++) {
			uint8_t mask = single_bits ? 1u << bit : 0xff;

			memcpy(copy, small.data, small.len);
			copy[i] ^= mask;
			snprintf(what, sizeof(what), "chunk %d byte %" PRIu64
				 " ^%02x", k, i, mask);
			expect_refused(copy, small.len, k, what);
		}
	}
	free(copy);
}

static void t_flip_bytes(void)
{
	for (int k = 0; k < small.n; k++)
		flip_chunk(k, false);
}

static void t_flip_bits(void)
{
	flip_chunk(1, true);
	flip_chunk(3, true);
}

static void t_file_header_damage(void)
{
	static const struct {
		int byte;
		uint8_t value;
		const char *want; /* NULL: still accepted */
	} t[] = {
		{ 0, 'w', "bad magic" },      { 5, '1', "bad magic" },
		{ 6, '\n', "bad magic" },     { 7, '\r', "bad magic" },
		{ 8, 9, "unsupported format version 9" },
		{ 9, 1, "unsupported format version 257" },
		{ 8, 0, "unsupported format version 0" },
		{ 10, 0, "bad byte order" },  { 10, 3, "bad byte order" },
		{ 11, 0, "bad word size" },   { 11, 7, "bad word size" },
		{ 12, 0xff, NULL },           { 15, 0x80, NULL },
	};
	uint8_t *copy = malloc(small.len);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char err[512] = "";
		struct wt_reader *r;

		memcpy(copy, small.data, small.len);
		copy[t[i].byte] = t[i].value;
		r = wt_reader_open_mem(copy, small.len, "hdr", err, sizeof(err));
		if (t[i].want)
			CHECK(!r && strstr(err, t[i].want) &&
				      !strncmp(err, "hdr: offset ", 12),
			      "byte %d=%u: '%s'", t[i].byte, t[i].value, err);
		else
			CHECK(r != NULL, "byte %d=%u refused: %s", t[i].byte,
			      t[i].value, err);
		wt_reader_close(r);
	}
	free(copy);
}

/* ---- 4: lying lengths --------------------------------------------------- */

/* Image of one chunk with explicit lengths; read it from memory and file. */
static void expect_lie(uint32_t clen, uint32_t raw_len, const void *pl,
		       size_t plen, const char *want, size_t alloc_limit)
{
	struct image im = { 0 };
	const char *p = tpath("lie.wtrec");
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	img_header(&im, 1, 1, 8);
	img_raw_chunk(&im, WT_CHUNK_CPU_DATA, clen, raw_len, pl, plen);
	write_file(p, im.data, im.len);
	for (int file = 0; file < 2; file++) {
		r = file ? wt_reader_open(p, err, sizeof(err))
			 : wt_reader_open_mem(im.data, im.len, "lie", err,
					      sizeof(err));
		if (!r) {
			tcheck_failf("open: %s", err);
			continue;
		}
		max_alloc = 0;
		CHECK(wt_reader_next(r, &c) == -1 &&
			      strstr(wt_reader_error(r), want) &&
			      has_offset(wt_reader_error(r), 16),
		      "clen %u raw %u: '%s' (want '%s')", clen, raw_len,
		      wt_reader_error(r), want);
		CHECK(max_alloc <= alloc_limit,
		      "clen %u raw %u: allocated %zu bytes", clen, raw_len,
		      max_alloc);
		wt_reader_close(r);
	}
	img_free(&im);
}

static void t_oversize(void)
{
	uint8_t z[64];
	uLongf zlen = sizeof(z);

	compress2(z, &zlen, (const uint8_t *)"hello", 5, 6);
	expect_lie(zlen, WT_CHUNK_MAX_RAW + 1, z, zlen, "raw length", 0);
	expect_lie(zlen, UINT32_MAX, z, zlen, "raw length", 0);
	expect_lie(WT_CHUNK_MAX_COMPRESSED + 1, 5, z, zlen,
		   "compressed length", 0);
	expect_lie(UINT32_MAX, 5, z, zlen, "compressed length", 0);
	expect_lie(60u << 20, 5, z, zlen,
		   "chunk truncated: header says 62914560 bytes, "
		   "13 remain", 0);
	expect_lie(zlen + 1, 5, z, zlen, "chunk truncated", 0);
}

static void t_inflate_mismatch(void)
{
	uint8_t z[64];
	uLongf zlen = sizeof(z);
	uint8_t junk[40];

	compress2(z, &zlen, (const uint8_t *)"hello world", 11, 6);
	expect_lie(zlen, 10, z, zlen, "more than the declared 10", 4096);
	expect_lie(zlen, 0, z, zlen, "more than the declared 0", 4096);
	expect_lie(zlen, 12, z, zlen, "fewer than the declared 12", 4096);
	/* the largest allowed raw_len: bounded allocation, then refused */
	expect_lie(zlen, WT_CHUNK_MAX_RAW, z, zlen, "fewer than",
		   WT_CHUNK_MAX_RAW);
	memcpy(junk, z, zlen);
	memcpy(junk + zlen, "xx", 2); /* trailing bytes after the stream */
	expect_lie(zlen + 2, 11, junk, zlen + 2, "bad zlib data", 4096);
	memset(junk, 0x5a, sizeof(junk));
	expect_lie(sizeof(junk), 11, junk, sizeof(junk), "bad zlib data", 4096);
	expect_lie(zlen - 5, 11, z, zlen - 5, "bad zlib data", 4096);
	expect_lie(0, 0, "", 0, "bad zlib data", 4096); /* empty: not a stream */
	expect_lie(0, 5, "", 0, "bad zlib data", 4096);
}

static void t_codec(void)
{
	const struct wt_codec *zc = &wt_codec_zlib;
	uint8_t in[3000], z[4000], out[3001];
	size_t zlen = sizeof(z);

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = i % 7 ? 0 : (uint8_t)rnd();
	CHECK(zc->bound(sizeof(in)) <= sizeof(z), "bound");
	CHECK(zc->compress(in, sizeof(in), z, &zlen) == 0, "compress");
	CHECK(zc->decompress(z, zlen, out, sizeof(in)) == 0 &&
		      !memcmp(in, out, sizeof(in)), "round trip");
	out[2999] = 0xee;
	CHECK(zc->decompress(z, zlen, out, 2999) < 0 && errno == EMSGSIZE &&
		      out[2999] == 0xee, "longer: errno %d or wrote past", errno);
	CHECK(zc->decompress(z, zlen, out, 3001) < 0 && errno == ENODATA,
	      "shorter: errno %d", errno);
	CHECK(zc->decompress(z, zlen - 1, out, 3000) < 0 && errno == EBADMSG,
	      "cut stream: errno %d", errno);
	zlen = 10;
	CHECK(zc->compress(in, sizeof(in), z, &zlen) < 0 && errno == ENOBUFS,
	      "small output: errno %d", errno);
}

static void t_encode_limits(void)
{
	struct wt_buf b = { 0 };

	max_alloc = 0;
	CHECK(wt_chunk_encode(1, "x", WT_CHUNK_MAX_RAW + 1, &b) < 0 &&
		      errno == EINVAL && b.len == 0 && max_alloc == 0,
	      "len > max: errno %d", errno);
	CHECK(wt_chunk_encode(1, NULL, 0, &b) == 0 && b.len > 16,
	      "empty chunk");
	wt_buf_free(&b);
	wt_buf_free(NULL);
}

/* ---- 5: writer ---------------------------------------------------------- */

static int add_text(struct wt_writer *w, const char *s)
{
	return wt_writer_add(w, WT_CHUNK_META, s, strlen(s));
}

static void t_mode(void)
{
	const char *p = tpath("mode.wtrec");
	struct wt_writer *w = wt_writer_open(p, false, true, 8);
	struct stat st;
	uint64_t bytes;

	if (!w) {
		tcheck_failf("open: %s", strerror(errno));
		return;
	}
	CHECK(add_text(w, meta_txt) == 0, "add");
	bytes = wt_writer_bytes(w);
	CHECK(wt_writer_close(w) == 0, "close");
	CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		      (st.st_mode & 07777) == 0600,
	      "mode %o", (unsigned)st.st_mode);
	CHECK((uint64_t)st.st_size == bytes, "size %lld, writer said %" PRIu64,
	      (long long)st.st_size, bytes);
	CHECK(wt_writer_close(NULL) == 0, "close(NULL)");
}

static void t_keep_old(void)
{
	const char *p = tpath("keep.wtrec"), *old = tpath("keep.wtrec.old");
	struct wt_writer *w;
	uint8_t *d;
	size_t len;

	write_file(p, "previous recording", 18);
	w = wt_writer_open(p, true, true, 8);
	CHECK(w && add_text(w, "second=1\n") == 0 && wt_writer_close(w) == 0,
	      "writer");
	d = slurp(old, &len);
	CHECK(d && len == 18 && !memcmp(d, "previous recording", 18),
	      ".old does not hold the previous file");
	free(d);
	d = slurp(p, &len);
	CHECK(d && len > 16 && !memcmp(d, "WTREC", 5), "new file not in place");
	free(d);
	CHECK(no_temp_left(tmpdir), "temporary file left in %s", tmpdir);
}

static void t_replace(void)
{
	const char *p = tpath("repl.wtrec"), *old = tpath("repl.wtrec.old");
	struct wt_writer *w;
	struct stat st;

	write_file(p, "previous recording", 18);
	w = wt_writer_open(p, false, true, 8);
	CHECK(w && wt_writer_close(w) == 0, "writer");
	CHECK(stat(p, &st) == 0 && st.st_size == 16, "size %lld",
	      (long long)st.st_size);
	CHECK(lstat(old, &st) < 0 && errno == ENOENT, ".old created");
}

static void t_symlink(void)
{
	const char *victim = tpath("victim"), *p = tpath("link.wtrec");
	const char *dangling = tpath("nowhere"), *p2 = tpath("dlink.wtrec");
	struct wt_writer *w;
	struct stat st;
	uint8_t *d;
	size_t len;

	for (int keep = 0; keep < 2; keep++) {
		unlink(p);
		write_file(victim, "precious", 8);
		if (symlink(victim, p) < 0) {
			tcheck_failf("symlink: %s", strerror(errno));
			return;
		}
		w = wt_writer_open(p, keep, true, 8);
		CHECK(w && add_text(w, meta_txt) == 0 && wt_writer_close(w) == 0,
		      "keep=%d: writer", keep);
		d = slurp(victim, &len);
		CHECK(d && len == 8 && !memcmp(d, "precious", 8),
		      "keep=%d: symlink target changed", keep);
		free(d);
		CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode),
		      "keep=%d: path is not a regular file", keep);
	}
	CHECK(symlink(dangling, p2) == 0, "symlink");
	w = wt_writer_open(p2, false, true, 8);
	CHECK(w && wt_writer_close(w) == 0, "dangling: writer");
	CHECK(lstat(dangling, &st) < 0 && errno == ENOENT,
	      "dangling symlink target was created");
	CHECK(no_temp_left(tmpdir), "temporary file left in %s", tmpdir);
}

/* Try to create a file in a 0555 directory as a user who cannot write it. */
static void t_unwritable(void)
{
	const char *dir = tpath("ro");
	char path[600];
	int status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/x.wtrec", dir);
	mkdir(dir, 0555);
	chmod(dir, 0555); /* against umask */
	pid = fork();
	if (pid == 0) {
		struct wt_writer *w;

		/* root ignores permissions: become nobody for this attempt */
		if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		w = wt_writer_open(path, true, true, 8);
		_exit(w ? 1 : errno == EACCES ? 0 : 2);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status %d (1: opened, 2: wrong errno, 3: setuid)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK(count_entries(dir) == 0, "%d entries left in %s",
	      count_entries(dir), dir);
	errno = 0;
	CHECK(wt_writer_open(tpath("missing/x.wtrec"), false, true, 8) == NULL &&
		      errno == ENOENT, "missing dir: errno %d", errno);
}

/* The temporary file exists by the time rename fails: it must go. */
static void t_path_is_dir(void)
{
	const char *dir = tpath("isdir"), *p = tpath("isdir/x.wtrec");

	mkdir(dir, 0755);
	mkdir(p, 0755);
	for (int keep = 0; keep < 2; keep++) {
		errno = 0;
		CHECK(wt_writer_open(p, keep, true, 8) == NULL && errno == EISDIR,
		      "keep=%d: errno %d", keep, errno);
		CHECK(count_entries(dir) == 1, "keep=%d: %d entries in %s",
		      keep, count_entries(dir), dir);
		CHECK(count_entries(p) == 0, "keep=%d: directory touched", keep);
	}
}

/*
 * A write that fails part-way (here EFBIG from RLIMIT_FSIZE, as ENOSPC
 * would) must leave the file ending at its last whole chunk, and the
 * writer usable.  Runs in a child because the limit is per process.
 */
static void t_write_failure(void)
{
	const char *p = tpath("fsize.wtrec");
	struct spec_chunk cs[2] = {
		{ WT_CHUNK_META, meta_txt, strlen(meta_txt) },
		{ WT_CHUNK_META, "after=1\n", 8 },
	};
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit rl = { 4096, RLIM_INFINITY };
		struct wt_writer *w = wt_writer_open(p, false, true, 8);
		uint64_t before;

		signal(SIGXFSZ, SIG_IGN);
		if (!w || add_text(w, meta_txt) < 0 || setrlimit(RLIMIT_FSIZE, &rl))
			_exit(2);
		before = wt_writer_bytes(w);
		if (wt_writer_add(w, WT_CHUNK_CPU_DATA, big, big_len) == 0 ||
		    errno != EFBIG || wt_writer_bytes(w) != before)
			_exit(3);
		if (add_text(w, "after=1\n") < 0 || wt_writer_close(w) < 0)
			_exit(4);
		_exit(0);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	verify_file(p, cs, 2, NULL, false);
}

/* ---- 6: read_at --------------------------------------------------------- */

static void t_read_at(void)
{
	const char *p = tpath("at.wtrec");
	uint64_t offs[16], pos;
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	if (write_set(p, full, nfull, false, offs) < 0 ||
	    !(r = wt_reader_open(p, err, sizeof(err)))) {
		tcheck_failf("setup");
		return;
	}
	CHECK(wt_reader_next(r, &c) == 1 && wt_reader_next(r, &c) == 1, "next");
	pos = wt_reader_offset(r);
	for (int i = nfull - 1; i >= 0; i--) {
		CHECK(wt_reader_read_at(r, offs[i], &c) == 1 &&
			      c.offset == offs[i],
		      "chunk %d: %s", i, wt_reader_error(r));
		expect_chunk(i, &c, &full[i]);
	}
	CHECK(wt_reader_offset(r) == pos, "read_at moved the position");
	CHECK(wt_reader_next(r, &c) == 1 && c.offset == offs[2],
	      "next after read_at");
	expect_chunk(2, &c, &full[2]);
	wt_reader_close(r);
}

static void t_read_at_invalid(void)
{
	const char *p = tpath("at.wtrec");
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];
	uint64_t size, bad[7];

	if (!(r = wt_reader_open(p, err, sizeof(err)))) {
		tcheck_failf("open: %s", err);
		return;
	}
	size = wt_reader_size(r);
	bad[0] = 0;
	bad[1] = 15;
	bad[2] = size;
	bad[3] = size + 1000;
	bad[4] = UINT64_MAX;
	bad[5] = 17;		/* inside the first chunk's header */
	bad[6] = size - 3;	/* a header that cannot fit */
	for (int i = 0; i < 7; i++) {
		CHECK(wt_reader_read_at(r, bad[i], &c) == -1 &&
			      has_offset(wt_reader_error(r), bad[i]),
		      "offset %" PRIu64 ": '%s'", bad[i], wt_reader_error(r));
	}
	/* a failed read_at does not stop the sequential pass */
	CHECK(wt_reader_next(r, &c) == 1 && c.type == full[0].type,
	      "next after a failed read_at");
	wt_reader_close(r);
}

/* ---- 7: open_mem -------------------------------------------------------- */

static void t_open_mem(void)
{
	static const struct {
		size_t len;
		int patch_byte;
		uint8_t value;
		const char *want; /* NULL: opens */
	} t[] = {
		{ 0, -1, 0, "offset 0: file header truncated: 16 bytes "
			   "needed, 0 present" },
		{ 10, -1, 0, "offset 0: file header truncated" },
		{ 16, 0, 'X', "offset 0: not a wtrec file (bad magic)" },
		{ 16, 8, 9, "offset 8: unsupported format version 9" },
		{ 16, -1, 0, NULL },
		{ SIZE_MAX, -1, 0, NULL },
	};
	uint8_t *copy = malloc(small.len);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = t[i].len == SIZE_MAX ? small.len : t[i].len;
		char err[512] = "", want[256];
		struct wt_reader *r;
		struct wt_chunk c;
		int n = 0;

		memcpy(copy, small.data, small.len);
		if (t[i].patch_byte >= 0)
			copy[t[i].patch_byte] = t[i].value;
		r = wt_reader_open_mem(copy, len, "memimg", err, sizeof(err));
		if (t[i].want) {
			snprintf(want, sizeof(want), "memimg: %s", t[i].want);
			CHECK(!r && !strncmp(err, want, strlen(want)),
			      "row %zu: '%s'", i, err);
			wt_reader_close(r);
			continue;
		}
		if (!r) {
			tcheck_failf("row %zu: %s", i, err);
			continue;
		}
		while (wt_reader_next(r, &c) == 1)
			n++;
		CHECK(n == (len == 16 ? 0 : small.n) && !wt_reader_error(r)[0],
		      "row %zu: %d chunks, '%s'", i, n, wt_reader_error(r));
		wt_reader_close(r);
	}
	free(copy);
	CHECK(wt_reader_open_mem(NULL, 0, NULL, NULL, 0) == NULL, "NULL image");
	wt_reader_close(NULL);
}

/* ---- 8: seed corpus ----------------------------------------------------- */

#ifndef WT_CORPUS_DIR
#define WT_CORPUS_DIR ""
#endif

/* Every seed reads without crashing; valid_* seeds read to a clean end. */
static void t_corpus(void)
{
	DIR *d = opendir(WT_CORPUS_DIR);
	struct dirent *e;
	int files = 0;

	if (!d) {
		tcheck_failf("no corpus at '%s'", WT_CORPUS_DIR);
		return;
	}
	while ((e = readdir(d))) {
		char path[1024], err[512];
		struct wt_reader *r;
		struct wt_chunk c;
		int ret = -1;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", WT_CORPUS_DIR, e->d_name);
		r = wt_reader_open(path, err, sizeof(err));
		while (r && (ret = wt_reader_next(r, &c)) == 1)
			;
		if (!strncmp(e->d_name, "valid_", 6))
			CHECK(r && ret == 0 && wt_reader_saw_trailer(r),
			      "%s: %s", e->d_name, r ? wt_reader_error(r) : err);
		wt_reader_close(r);
		files++;
	}
	closedir(d);
	CHECK(files >= 4, "only %d corpus files", files);
}

static int write_corpus(const char *dir)
{
	struct image im;
	struct spec_chunk cs[3] = {
		{ WT_CHUNK_META, "version=0.1.0\ncpus=1\n", 21 },
		{ WT_CHUNK_CPU_DATA, small_cpu, 8 + 4096 },
		{ WT_CHUNK_TRAILER, "stop_ns=1\nchunks=3\n", 19 },
	};
	char path[1024];
	int ret = 0;

#define SEED(name, data, len)                                            \
	do {                                                             \
		snprintf(path, sizeof(path), "%s/%s", dir, name);        \
		ret |= write_file(path, data, len);                      \
	} while (0)
	img_build(&im, cs, 3);
	SEED("valid_small.wtrec", im.data, im.len);
	SEED("no_trailer.wtrec", im.data, im.start[2]);
	SEED("cut_in_chunk.wtrec", im.data, im.start[1] + 20);
	im.data[im.start[1] + 30] ^= 0x10;
	SEED("bad_crc.wtrec", im.data, im.len);
	img_free(&im);
	cs[0] = (struct spec_chunk){ 99, "unknown type", 12 };
	cs[1] = (struct spec_chunk){ WT_CHUNK_META, "", 0 };
	img_build(&im, cs, 3);
	SEED("valid_unknown_empty.wtrec", im.data, im.len);
	img_free(&im);
#undef SEED
	return ret ? 1 : 0;
}

/* ---- driver ------------------------------------------------------------- */

static const struct tcase {
	int id;
	const char *name;
	void (*run)(void);
} cases[] = {
	{ 1, "round trip: every type, empty, unknown, 1 MB, trailer", t_roundtrip },
	{ 2, "round trip through wt_chunk_encode + add_encoded", t_roundtrip_encoded },
	{ 3, "round trip without trailer: flag stays false", t_no_trailer },
	{ 4, "writer output parsed by a reference decoder (zlib)", t_reference_decoder },
	{ 5, "header fields: big-endian, word size 4", t_header_fields },
	{ 6, "chunk type names", t_type_names },
	{ 10, "truncation at every byte offset (memory)", t_truncate_mem },
	{ 11, "truncation at every byte offset (file)", t_truncate_file },
	{ 20, "every byte of every chunk flipped: refused with offset", t_flip_bytes },
	{ 21, "every single bit of two chunks flipped", t_flip_bits },
	{ 22, "file header damage: magic, version, order, word size", t_file_header_damage },
	{ 30, "oversize and past-the-end lengths refused, no allocation", t_oversize },
	{ 31, "payload inflating to more/fewer than raw_len, bad zlib", t_inflate_mismatch },
	{ 32, "codec: exact length, never writes past the output", t_codec },
	{ 33, "encode refuses len > WT_CHUNK_MAX_RAW", t_encode_limits },
	{ 40, "writer: mode 0600, size = wt_writer_bytes", t_mode },
	{ 41, "writer: keep_old moves the previous file to .old", t_keep_old },
	{ 42, "writer: keep_old=false replaces, no .old", t_replace },
	{ 43, "writer: symlink at path not followed", t_symlink },
	{ 44, "writer: unwritable dir fails with errno, nothing left", t_unwritable },
	{ 45, "writer: path is a directory, temp file removed", t_path_is_dir },
	{ 46, "writer: failed write leaves whole chunks only", t_write_failure },
	{ 50, "read_at on every valid offset", t_read_at },
	{ 51, "read_at on invalid offsets", t_read_at_invalid },
	{ 60, "open_mem: valid image, header errors with name", t_open_mem },
	{ 70, "seed corpus replays", t_corpus },
};

int main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	umask(022);
	full_set_init();
	small_init();
	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		return write_corpus(argv[2]);
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_wtfile.XXXXXX", base);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	chmod(tmpdir, 0755); /* case 44's unprivileged child must get in */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tcheck_case(cases[i].id, cases[i].name, cases[i].run);
	rm_tree(tmpdir);
	return tcheck_report();
}
