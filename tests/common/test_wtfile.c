/*
 * test_wtfile.c - unit tests of the .wtrec container (common/).
 *
 * Ground truth comes from outside the code under test: file images are built
 * here byte by byte from the spec (docs/FORMAT.md) with zlib's own crc32,
 * compress2 and libzstd's ZSTD_compress, in both format versions, and files
 * the writer produces are parsed by a small reference decoder in this file
 * (zlib's uncompress, ZSTD_decompress).  The reader is then run over every
 * truncation point and every single-byte and single-bit corruption of small
 * images of both versions, and over the version 1 files the repository
 * ships (old recordings must stay readable).
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
#include <zstd.h>

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
	unsigned version;	/* of the header img_build wrote */
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

/* The first header word of a version 2 chunk: u16 type, u8 codec, u8 0. */
static uint32_t v2_word(uint32_t type, unsigned codec)
{
	return type | codec << 16;
}

/* Frame a chunk with explicit header fields (for lying headers); @type is
 * the whole first word (v2_word() for version 2). */
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

/* A zstd payload of @len bytes as one frame (level 3: any level decodes
 * the same), malloc'ed; *@zlen its size. */
static uint8_t *zstd_of(const void *d, size_t len, size_t *zlen)
{
	size_t cap = ZSTD_compressBound(len);
	uint8_t *z = malloc(cap);

	*zlen = ZSTD_compress(z, cap, len ? d : "", len, 3);
	return z;
}

static void img_chunk(struct image *im, uint32_t type, const void *d,
		      size_t len)
{
	uLongf clen = compressBound(len);
	uint8_t *z;
	size_t zlen;

	if (im->version == 2) {
		z = zstd_of(d, len, &zlen);
		img_raw_chunk(im, v2_word(type, WT_CODEC_ZSTD), zlen, len, z,
			      zlen);
		free(z);
		return;
	}
	z = malloc(clen);
	compress2(z, &clen, d, len, 6); /* any level decodes the same */
	img_raw_chunk(im, type, clen, len, z, clen);
	free(z);
}

/* Version 1: zlib chunks; version 2: zstd chunks. */
static void img_build_v(struct image *im, unsigned version,
			const struct spec_chunk *cs, int n)
{
	memset(im, 0, sizeof(*im));
	im->version = version;
	img_header(im, version, 1, 8);
	for (int i = 0; i < n; i++)
		img_chunk(im, cs[i].type, cs[i].data, cs[i].len);
}

static void img_build(struct image *im, const struct spec_chunk *cs, int n)
{
	img_build_v(im, 1, cs, n);
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

/* Write @n chunks of @cs with the writer in @codec; offsets of each chunk
 * to @offs. */
static int write_set(const char *path, const struct spec_chunk *cs, int n,
		     bool encoded, uint64_t *offs, unsigned codec)
{
	struct wt_writer *w = wt_writer_open(path, false, true, 8, codec);
	struct wt_encoder *e = wt_encoder_new(codec);
	struct wt_buf b = { 0 };
	int i, ret = 0;

	if (!w || !e) {
		wt_writer_close(w);
		wt_encoder_free(e);
		return -1;
	}
	for (i = 0; i < n && ret == 0; i++) {
		if (offs)
			offs[i] = wt_writer_bytes(w);
		if (!encoded) {
			ret = wt_writer_add(w, cs[i].type, cs[i].data, cs[i].len);
			continue;
		}
		b.len = 0;
		ret = wt_chunk_encode(e, cs[i].type, cs[i].data, cs[i].len, &b);
		if (ret == 0)
			ret = wt_writer_add_encoded(w, b.data, b.len);
	}
	wt_buf_free(&b);
	wt_encoder_free(e);
	if (wt_writer_close(w) < 0)
		ret = -1;
	return ret;
}

/* Read @path back and compare with @cs; checks offsets, end, trailer and
 * that every chunk came in @codec. */
static void verify_file_c(const char *path, const struct spec_chunk *cs,
			  int n, const uint64_t *offs, bool want_trailer,
			  unsigned codec)
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
		CHECK(c.codec == codec, "chunk %d: codec %u, want %u", i,
		      c.codec, codec);
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

static void verify_file(const char *path, const struct spec_chunk *cs, int n,
			const uint64_t *offs, bool want_trailer)
{
	verify_file_c(path, cs, n, offs, want_trailer, WT_CODEC_ZLIB);
}

/* ---- 1: round trips ----------------------------------------------------- */

static void roundtrip(unsigned codec, const char *name)
{
	uint64_t offs[16];
	const char *p = tpath(name);

	max_alloc = 0;
	CHECK(write_set(p, full, nfull, false, offs, codec) == 0, "write: %s",
	      strerror(errno));
	verify_file_c(p, full, nfull, offs, true, codec);
	/* proves the realloc observer sees the library's buffers */
	CHECK(max_alloc >= big_len, "observer saw only %zu bytes", max_alloc);
}

static void t_roundtrip(void)
{
	roundtrip(WT_CODEC_ZLIB, "rt.wtrec");
}

static void t_roundtrip_zstd(void)
{
	roundtrip(WT_CODEC_ZSTD, "rt-zstd.wtrec");
}

static void t_roundtrip_encoded(void)
{
	uint64_t offs[16];
	const char *p = tpath("rt-enc.wtrec");

	for (unsigned codec = 0; codec <= WT_CODEC_MAX; codec++) {
		CHECK(write_set(p, full, nfull, true, offs, codec) == 0,
		      "write: %s", strerror(errno));
		verify_file_c(p, full, nfull, offs, true, codec);
	}
}

static void t_no_trailer(void)
{
	const char *p = tpath("rt-notrailer.wtrec");

	CHECK(write_set(p, full, nfull - 1, false, NULL, WT_CODEC_ZLIB) == 0,
	      "write");
	verify_file(p, full, nfull - 1, NULL, false);
}

/* Chunk @i's payload @z (@clen bytes) decoded with @codec's own library:
 * exactly the bytes written?  For zstd, a CPU_DATA payload's first frame
 * holds just its 8-byte prefix (the writer's split, FORMAT.md). */
static bool reference_payload(int i, unsigned codec, const uint8_t *z,
			      uint32_t clen, uint32_t rlen)
{
	uint8_t *out = malloc(rlen + 1);
	uLongf got = rlen;
	size_t n = 0;
	bool ok;

	if (codec == WT_CODEC_ZLIB) {
		ok = uncompress(out, &got, z, clen) == Z_OK && got == rlen;
	} else {
		n = ZSTD_decompress(out, rlen, z, clen);
		ok = !ZSTD_isError(n) && n == rlen;
		if (full[i].type == WT_CHUNK_CPU_DATA)
			ok = ok && ZSTD_getFrameContentSize(z, clen) == 8;
	}
	ok = ok && (!rlen || !memcmp(out, full[i].data, rlen));
	free(out);
	return ok;
}

/* The writer's bytes, parsed by a decoder written from FORMAT.md. */
static void reference_decoder(const char *p, unsigned codec)
{
	static const uint8_t v1[16] = "WTREC\0\r\n\1\0\1\10\0\0\0";
	static const uint8_t v2[16] = "WTREC\0\r\n\2\0\1\10\0\0\0";
	size_t len, off = 16;
	uint8_t *f = slurp(p, &len);
	int i = 0;

	if (!f || len < 16) {
		tcheck_failf("cannot read %s", p);
		free(f);
		return;
	}
	CHECK(!memcmp(f, codec == WT_CODEC_ZLIB ? v1 : v2, 16),
	      "header bytes differ from the spec");
	while (off + 16 <= len && i < nfull) {
		uint32_t clen = get32(f + off + 4), rlen = get32(f + off + 8);
		uint32_t word = codec == WT_CODEC_ZLIB ? full[i].type
						       : v2_word(full[i].type, codec);

		CHECK(get32(f + off) == word, "chunk %d type/codec %08x", i,
		      get32(f + off));
		CHECK(rlen == full[i].len, "chunk %d raw_len %u", i, rlen);
		CHECK(off + 16 + clen <= len, "chunk %d past end", i);
		if (off + 16 + clen > len)
			break;
		CHECK(get32(f + off + 12) ==
			      crc32(crc32(0, f + off, 12), f + off + 16, clen),
		      "chunk %d CRC", i);
		CHECK(reference_payload(i, codec, f + off + 16, clen, rlen),
		      "chunk %d %s payload", i, wt_codec_name(codec));
		off += 16 + clen;
		i++;
	}
	CHECK(i == nfull && off == len, "parsed %d chunks up to %zu of %zu", i,
	      off, len);
	free(f);
}

static void t_reference_decoder(void)
{
	reference_decoder(tpath("rt.wtrec"), WT_CODEC_ZLIB);
	reference_decoder(tpath("rt-zstd.wtrec"), WT_CODEC_ZSTD);
}

static void t_header_fields(void)
{
	const char *p = tpath("be4.wtrec");
	const struct wt_file_header *h;
	struct wt_writer *w;
	struct wt_reader *r;
	char err[512];

	for (unsigned codec = 0; codec <= WT_CODEC_MAX; codec++) {
		w = wt_writer_open(p, false, false, 4, codec);
		CHECK(w && wt_writer_close(w) == 0, "writer");
		r = wt_reader_open(p, err, sizeof(err));
		if (!r) {
			tcheck_failf("open: %s", err);
			return;
		}
		h = wt_reader_header(r);
		CHECK(h->version == (codec == WT_CODEC_ZLIB ? 1 : 2) &&
			      !h->byte_order_le && h->word_size == 4,
		      "%s: header %u/%d/%u", wt_codec_name(codec), h->version,
		      h->byte_order_le, h->word_size);
		CHECK(wt_reader_size(r) == 16, "size %" PRIu64, wt_reader_size(r));
		wt_reader_close(r);
	}
	CHECK(wt_writer_open(tpath("w3.wtrec"), false, true, 3,
			     WT_CODEC_ZSTD) == NULL && errno == EINVAL,
	      "word size 3 accepted");
	CHECK(wt_writer_open(tpath("c9.wtrec"), false, true, 8, 9) == NULL &&
		      errno == EINVAL && access(tpath("c9.wtrec"), F_OK) < 0,
	      "codec 9 accepted");
}

static void t_type_names(void)
{
	static const char *want[] = { "unknown", "meta", "header_page",
		"header_event", "format", "proc", "cpu_data", "cpu_stats",
		"trailer", "cgroup", "unknown" };

	for (uint32_t t = 0; t < 11; t++)
		CHECK(!strcmp(wt_chunk_type_name(t), want[t]), "type %u: %s", t,
		      wt_chunk_type_name(t));
	CHECK(!strcmp(wt_chunk_type_name(UINT32_MAX), "unknown"), "max");
}

/* ---- 2: truncation ------------------------------------------------------ */

/* header + 4 chunks, the last a trailer, in each version; the cases run
 * on both, through sm */
static struct image small_v1, small_v2, *sm = &small_v1;
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
	img_build_v(&small_v1, 1, cs, 4);
	img_build_v(&small_v2, 2, cs, 4);
}

/* Chunks fully inside the first @cut bytes of @sm-> */
static int whole_before(size_t cut)
{
	int k = 0;

	while (k < sm->n && sm->end[k] <= cut)
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
	if (k < sm->n && sm->start[k] == cut)
		CHECK(ret == 0, "cut %zu at a boundary: ret %d (%s)", cut, ret,
		      wt_reader_error(r));
	else if (k < sm->n)
		CHECK(ret == -1 && has_offset(wt_reader_error(r), sm->start[k]) &&
			      strstr(wt_reader_error(r), "truncated"),
		      "cut %zu: ret %d, '%s'", cut, ret, wt_reader_error(r));
	else
		CHECK(ret == 0, "cut %zu: whole file: ret %d (%s)", cut, ret,
		      wt_reader_error(r));
	CHECK(wt_reader_next(r, &c) == ret, "cut %zu: not sticky", cut);
	CHECK(wt_reader_saw_trailer(r) == (cut == sm->len),
	      "cut %zu: trailer flag %d", cut, wt_reader_saw_trailer(r));
}

static void truncate_mem(void)
{
	for (size_t cut = 0; cut <= sm->len; cut++) {
		char err[512] = "";
		uint8_t *copy = malloc(cut + 1); /* exact size: ASan sees overreads */
		struct wt_reader *r;

		memcpy(copy, sm->data, cut);
		r = wt_reader_open_mem(copy, cut, sm->version == 1 ? "small" : "small2", err, sizeof(err));
		check_cut(r, err, cut);
		wt_reader_close(r);
		free(copy);
	}
}

static void truncate_file(void)
{
	const char *p = tpath("cut.wtrec");

	for (size_t cut = 0; cut <= sm->len; cut++) {
		char err[512] = "";
		struct wt_reader *r;

		if (write_file(p, sm->data, cut) < 0) {
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
						  sm->start[k]),
	      "%s: %d chunks, ret %d, '%s'", what, got, ret,
	      wt_reader_error(r));
	CHECK(k < sm->n - 1 || !wt_reader_saw_trailer(r),
	      "%s: damaged trailer counted", what);
	wt_reader_close(r);
}

static void flip_chunk(int k, bool single_bits)
{
	uint8_t *copy = malloc(sm->len);
	char what[64];

	for (uint64_t i = sm->start[k]; i < sm->end[k]; i++) {
		for (int bit = 0; bit < (single_bits ? 8 : 1); bit++) {
			uint8_t mask = single_bits ? 1u << bit : 0xff;

			memcpy(copy, sm->data, sm->len);
			copy[i] ^= mask;
			snprintf(what, sizeof(what), "chunk %d byte %" PRIu64
				 " ^%02x", k, i, mask);
			expect_refused(copy, sm->len, k, what);
		}
	}
	free(copy);
}

static void flip_bytes(void)
{
	for (int k = 0; k < sm->n; k++)
		flip_chunk(k, false);
}

static void flip_bits(void)
{
	flip_chunk(1, true);
	flip_chunk(3, true);
}

static void file_header_damage(void)
{
	static const struct {
		int byte;
		uint8_t value;
		const char *want; /* NULL: still accepted */
	} t[] = {
		{ 0, 'w', "bad magic" },      { 5, '1', "bad magic" },
		{ 6, '\n', "bad magic" },     { 7, '\r', "bad magic" },
		{ 8, 9, "unsupported format version 9" },
		{ 8, 3, "unsupported format version 3" },
		{ 8, 1, NULL }, { 8, 2, NULL }, /* v1 zlib chunks read as v2 */
		{ 9, 1, "unsupported format version 25" }, /* 257, 258 */
		{ 8, 0, "unsupported format version 0" },
		{ 10, 0, "bad byte order" },  { 10, 3, "bad byte order" },
		{ 11, 0, "bad word size" },   { 11, 7, "bad word size" },
		{ 12, 0xff, NULL },           { 15, 0x80, NULL },
	};
	uint8_t *copy = malloc(sm->len);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char err[512] = "";
		struct wt_reader *r;

		memcpy(copy, sm->data, sm->len);
		copy[t[i].byte] = t[i].value;
		r = wt_reader_open_mem(copy, sm->len, "hdr", err, sizeof(err));
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

/* Run @fn on the small image of each format version. */
static void both_versions(void (*fn)(void))
{
	struct image *imgs[2] = { &small_v1, &small_v2 };

	for (int i = 0; i < 2; i++) {
		sm = imgs[i];
		fn();
	}
	sm = &small_v1;
}

static void t_truncate_mem(void) { both_versions(truncate_mem); }
static void t_truncate_file(void) { both_versions(truncate_file); }
static void t_flip_bytes(void) { both_versions(flip_bytes); }
static void t_flip_bits(void) { both_versions(flip_bits); }
static void t_file_header_damage(void) { both_versions(file_header_damage); }

/* ---- 4: lying lengths --------------------------------------------------- */

/* Image of one chunk with explicit lengths in a file of @version whose
 * chunk header starts with @word; read it from memory and file. */
static void expect_lie_v(unsigned version, uint32_t word, uint32_t clen,
			 uint32_t raw_len, const void *pl, size_t plen,
			 const char *want, size_t alloc_limit)
{
	struct image im = { 0 };
	const char *p = tpath("lie.wtrec");
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	img_header(&im, version, 1, 8);
	img_raw_chunk(&im, word, clen, raw_len, pl, plen);
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

/* A version 1 CPU_DATA chunk. */
static void expect_lie(uint32_t clen, uint32_t raw_len, const void *pl,
		       size_t plen, const char *want, size_t alloc_limit)
{
	expect_lie_v(1, WT_CHUNK_CPU_DATA, clen, raw_len, pl, plen, want,
		     alloc_limit);
}

/* A version 2 CPU_DATA chunk of @codec. */
static void expect_lie2(unsigned codec, uint32_t clen, uint32_t raw_len,
			const void *pl, size_t plen, const char *want,
			size_t alloc_limit)
{
	expect_lie_v(2, v2_word(WT_CHUNK_CPU_DATA, codec), clen, raw_len, pl,
		     plen, want, alloc_limit);
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

/* zstd payloads that do not give exactly raw_len bytes, or are not what
 * FORMAT.md allows (skippable, legacy, empty, trailing bytes), and codec
 * bytes version 2 does not define. */
static void t_zstd_mismatch(void)
{
	static const uint8_t skippable[8] = { 0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0 };
	uint8_t junk[64], zl[64];
	uLongf zllen = sizeof(zl);
	size_t zlen;
	uint8_t *z = zstd_of("hello world", 11, &zlen);

	expect_lie2(WT_CODEC_ZSTD, zlen, 10, z, zlen, "more than the declared 10", 4096);
	expect_lie2(WT_CODEC_ZSTD, zlen, 0, z, zlen, "more than the declared 0", 4096);
	expect_lie2(WT_CODEC_ZSTD, zlen, 12, z, zlen, "fewer than the declared 12", 4096);
	expect_lie2(WT_CODEC_ZSTD, zlen, WT_CHUNK_MAX_RAW, z, zlen, "fewer than",
		    WT_CHUNK_MAX_RAW);
	memcpy(junk, z, zlen);
	memcpy(junk + zlen, "xx", 2); /* trailing bytes after the frame */
	expect_lie2(WT_CODEC_ZSTD, zlen + 2, 11, junk, zlen + 2, "bad zstd data", 4096);
	expect_lie2(WT_CODEC_ZSTD, zlen - 3, 11, z, zlen - 3, "bad zstd data", 4096);
	expect_lie2(WT_CODEC_ZSTD, 0, 0, "", 0, "bad zstd data", 4096); /* no frame */
	memcpy(junk, skippable, 8); /* a skippable frame, then the data */
	memcpy(junk + 8, z, zlen);
	expect_lie2(WT_CODEC_ZSTD, zlen + 8, 11, junk, zlen + 8, "bad zstd data", 4096);
	memcpy(junk, z, zlen);
	junk[0] = 0x27; /* magic 0xFD2FB527: a legacy (v0.7) frame */
	expect_lie2(WT_CODEC_ZSTD, zlen, 11, junk, zlen, "bad zstd data", 4096);
	memset(junk, 0x5a, sizeof(junk));
	expect_lie2(WT_CODEC_ZSTD, sizeof(junk), 11, junk, sizeof(junk), "bad zstd data", 4096);
	/* each codec's data under the other's number */
	compress2(zl, &zllen, (const uint8_t *)"hello world", 11, 6);
	expect_lie2(WT_CODEC_ZSTD, zllen, 11, zl, zllen, "bad zstd data", 4096);
	expect_lie2(WT_CODEC_ZLIB, zlen, 11, z, zlen, "bad zlib data", 4096);
	/* what version 2 does not define, with a right CRC */
	expect_lie_v(2, v2_word(WT_CHUNK_CPU_DATA, 2), zlen, 11, z, zlen,
		     "unknown codec 2", 4096);
	expect_lie_v(2, v2_word(WT_CHUNK_CPU_DATA, 255), zlen, 11, z, zlen,
		     "unknown codec 255", 4096);
	expect_lie_v(2, v2_word(WT_CHUNK_CPU_DATA, WT_CODEC_ZSTD) | 1u << 24,
		     zlen, 11, z, zlen, "unknown chunk flags 0x01", 4096);
	free(z);
}

/* Read the one chunk of a version 2 image whose payload is @pl; its raw
 * bytes must be @want (@len) and its codec @codec, read whole and lazily
 * (prefix 8, as the analyzer's first pass). */
static void expect_payload(unsigned codec, const void *pl, size_t plen,
			   const uint8_t *want, size_t len, const char *what)
{
	struct image im = { 0 };
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	img_header(&im, 2, 1, 8);
	img_raw_chunk(&im, v2_word(WT_CHUNK_CPU_DATA, codec), plen, len, pl,
		      plen);
	r = wt_reader_open_mem(im.data, im.len, "pl", err, sizeof(err));
	CHECK(r && wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 8) == 1 &&
		      c.len == len && c.codec == codec &&
		      !memcmp(c.data, want, len < 8 ? len : 8),
	      "%s: lazy read: %s", what, r ? wt_reader_error(r) : err);
	CHECK(r && wt_reader_read_at(r, 16, &c) == 1 && c.len == len &&
		      !memcmp(c.data, want, len),
	      "%s: whole read: %s", what, r ? wt_reader_error(r) : err);
	wt_reader_close(r);
	img_free(&im);
}

/* What FORMAT.md allows a zstd payload to be besides one frame: several
 * frames, frames without a content size; and the prefix of each. */
static void t_zstd_frames(void)
{
	uint8_t *data, *f1, *f2, *both, *stream;
	size_t len, n1, n2, ns, cap;
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;

	data = cpu_data(3, 2, &len);
	/* split after 3 bytes: the prefix spans two frames */
	f1 = zstd_of(data, 3, &n1);
	f2 = zstd_of(data + 3, len - 3, &n2);
	both = malloc(n1 + n2);
	memcpy(both, f1, n1);
	memcpy(both + n1, f2, n2);
	expect_payload(WT_CODEC_ZSTD, both, n1 + n2, data, len, "two frames");
	/* one frame, no content size: the prefix is streamed */
	cap = ZSTD_compressBound(len);
	stream = malloc(cap);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
	in = (ZSTD_inBuffer){ data, len, 0 };
	out = (ZSTD_outBuffer){ stream, cap, 0 };
	ns = ZSTD_compressStream2(cc, &out, &in, ZSTD_e_end);
	CHECK(ns == 0 && ZSTD_getFrameContentSize(stream, out.pos) ==
		      ZSTD_CONTENTSIZE_UNKNOWN, "no content size: %zu", ns);
	expect_payload(WT_CODEC_ZSTD, stream, out.pos, data, len,
		       "frame without content size");
	/* a single frame holding everything (not split by the writer) */
	expect_payload(WT_CODEC_ZSTD, f2, n2, data + 3, len - 3, "one frame");
	ZSTD_freeCCtx(cc);
	free(stream);
	free(both);
	free(f1);
	free(f2);
	free(data);
}

/* A version 2 file may mix codecs chunk by chunk. */
static void t_mixed_codecs(void)
{
	struct image im = { 0 };
	struct wt_reader *r;
	struct wt_chunk c;
	uLongf zlen = 64;
	uint8_t zl[64];
	char err[512];
	int n = 0;

	img_header(&im, 2, 1, 8);
	im.version = 2;
	img_chunk(&im, WT_CHUNK_META, meta_txt, strlen(meta_txt));
	compress2(zl, &zlen, (const uint8_t *)stats_txt, strlen(stats_txt), 6);
	img_raw_chunk(&im, v2_word(WT_CHUNK_CPU_STATS, WT_CODEC_ZLIB), zlen,
		      strlen(stats_txt), zl, zlen);
	img_chunk(&im, WT_CHUNK_TRAILER, trailer_txt, strlen(trailer_txt));
	r = wt_reader_open_mem(im.data, im.len, "mixed", err, sizeof(err));
	while (r && wt_reader_next(r, &c) == 1) {
		CHECK(c.codec == (n == 1 ? WT_CODEC_ZLIB : WT_CODEC_ZSTD),
		      "chunk %d: codec %u", n, c.codec);
		CHECK(n != 1 || (c.type == WT_CHUNK_CPU_STATS &&
				 c.len == strlen(stats_txt) &&
				 !memcmp(c.data, stats_txt, c.len)),
		      "zlib chunk payload");
		n++;
	}
	CHECK(r && n == 3 && wt_reader_saw_trailer(r) && !*wt_reader_error(r),
	      "%d chunks: %s", n, r ? wt_reader_error(r) : err);
	wt_reader_close(r);
	img_free(&im);
}

static void codec_contract(const struct wt_codec *zc)
{
	void *st = zc->state_new ? zc->state_new() : NULL;
	uint8_t in[3000], z[4000], out[3001];
	size_t zlen = sizeof(z), got;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = i % 7 ? 0 : (uint8_t)rnd();
	CHECK(zc->bound(sizeof(in), 0) <= sizeof(z) &&
	      zc->bound(sizeof(in), 8) <= sizeof(z), "%s: bound", zc->name);
	CHECK(zc->compress(st, in, sizeof(in), 0, z, &zlen) == 0,
	      "%s: compress", zc->name);
	CHECK(zc->decompress(st, z, zlen, out, sizeof(in)) == 0 &&
		      !memcmp(in, out, sizeof(in)), "%s: round trip", zc->name);
	out[2999] = 0xee;
	CHECK(zc->decompress(st, z, zlen, out, 2999) < 0 && errno == EMSGSIZE &&
		      out[2999] == 0xee, "%s: longer: errno %d or wrote past",
	      zc->name, errno);
	CHECK(zc->decompress(st, z, zlen, out, 3001) < 0 && errno == ENODATA,
	      "%s: shorter: errno %d", zc->name, errno);
	CHECK(zc->decompress(st, z, zlen - 1, out, 3000) < 0 && errno == EBADMSG,
	      "%s: cut stream: errno %d", zc->name, errno);
	memset(out, 0xee, sizeof(out));
	CHECK(zc->decompress_prefix(st, z, zlen, out, 100, &got) == 0 &&
		      got == 100 && !memcmp(in, out, 100) && out[100] == 0xee,
	      "%s: prefix of an unsplit stream: got %zu", zc->name, got);
	CHECK(zc->decompress_prefix(st, z, zlen, out, 3001, &got) == 0 &&
		      got == 3000, "%s: prefix past the end: got %zu", zc->name,
	      got);
	zlen = sizeof(z);
	CHECK(zc->compress(st, in, sizeof(in), 8, z, &zlen) == 0 &&
		      zc->decompress(st, z, zlen, out, sizeof(in)) == 0 &&
		      !memcmp(in, out, sizeof(in)), "%s: split round trip",
	      zc->name);
	memset(out, 0xee, sizeof(out));
	CHECK(zc->decompress_prefix(st, z, zlen, out, 8, &got) == 0 &&
		      got == 8 && !memcmp(in, out, 8) && out[8] == 0xee,
	      "%s: split prefix: got %zu", zc->name, got);
	zlen = 10;
	CHECK(zc->compress(st, in, sizeof(in), 0, z, &zlen) < 0 && errno == ENOBUFS,
	      "%s: small output: errno %d", zc->name, errno);
	if (zc->state_free)
		zc->state_free(st);
}

static void t_codec(void)
{
	for (unsigned id = 0; id <= WT_CODEC_MAX; id++) {
		CHECK(wt_codec_get(id) && wt_codec_get(id)->id == id &&
			      wt_codec_by_name(wt_codec_name(id)) == (int)id,
		      "codec %u: table", id);
		if (wt_codec_get(id))
			codec_contract(wt_codec_get(id));
	}
	CHECK(!wt_codec_get(WT_CODEC_MAX + 1) && wt_codec_by_name("lz4") < 0 &&
		      wt_codec_by_name(NULL) < 0 &&
		      !strcmp(wt_codec_name(7), "unknown"), "unknown codecs");
}

static void t_encode_limits(void)
{
	struct wt_buf b = { 0 };
	struct wt_encoder *e;

	for (unsigned codec = 0; codec <= WT_CODEC_MAX; codec++) {
		e = wt_encoder_new(codec);
		if (!e) {
			tcheck_failf("encoder %u: %s", codec, strerror(errno));
			continue;
		}
		max_alloc = 0;
		CHECK(wt_chunk_encode(e, 1, "x", WT_CHUNK_MAX_RAW + 1, &b) < 0 &&
			      errno == EINVAL && b.len == 0 && max_alloc == 0,
		      "len > max: errno %d", errno);
		CHECK(wt_chunk_encode(e, WT_CHUNK_TYPE_LIMIT, "x", 1, &b) < 0 &&
			      errno == EINVAL && b.len == 0,
		      "type 0x10000: errno %d", errno);
		CHECK(wt_chunk_encode(e, 1, NULL, 0, &b) == 0 && b.len > 16,
		      "empty chunk");
		CHECK(wt_encoder_codec(e) == codec && b.data[2] == codec &&
			      b.data[3] == 0, "codec byte %u", b.data[2]);
		b.len = 0;
		wt_encoder_free(e);
	}
	CHECK(wt_encoder_new(WT_CODEC_MAX + 1) == NULL && errno == EINVAL,
	      "unknown codec: errno %d", errno);
	wt_encoder_free(NULL);
	wt_buf_free(&b);
	wt_buf_free(NULL);
}

/* add_encoded takes only whole chunks the file's version can hold. */
static void t_add_encoded_checks(void)
{
	struct wt_encoder *zs = wt_encoder_new(WT_CODEC_ZSTD);
	struct wt_encoder *zl = wt_encoder_new(WT_CODEC_ZLIB);
	struct wt_buf a = { 0 }, b = { 0 };
	struct wt_writer *w1, *w2;
	uint64_t before;

	if (!zs || !zl || wt_chunk_encode(zs, WT_CHUNK_META, "a=1\n", 4, &a) ||
	    wt_chunk_encode(zl, WT_CHUNK_META, "b=2\n", 4, &b)) {
		tcheck_failf("encode: %s", strerror(errno));
		goto out;
	}
	w1 = wt_writer_open(tpath("enc1.wtrec"), false, true, 8, WT_CODEC_ZLIB);
	w2 = wt_writer_open(tpath("enc2.wtrec"), false, true, 8, WT_CODEC_ZSTD);
	if (!w1 || !w2) {
		tcheck_failf("open: %s", strerror(errno));
		wt_writer_close(w1);
		wt_writer_close(w2);
		goto out;
	}
	before = wt_writer_bytes(w1);
	CHECK(wt_writer_add_encoded(w1, a.data, a.len) < 0 && errno == EINVAL &&
		      wt_writer_bytes(w1) == before, "zstd chunk in version 1");
	CHECK(wt_writer_add_encoded(w1, b.data, b.len) == 0, "zlib in v1");
	CHECK(wt_writer_add_encoded(w2, b.data, b.len) == 0 &&
		      wt_writer_add_encoded(w2, a.data, a.len) == 0,
	      "both codecs in version 2");
	before = wt_writer_bytes(w2);
	CHECK(wt_writer_add_encoded(w2, a.data, a.len - 1) < 0 &&
		      errno == EINVAL && wt_writer_add_encoded(w2, a.data, 5) < 0 &&
		      wt_writer_bytes(w2) == before, "partial chunk accepted");
	a.data[2] = 7;
	CHECK(wt_writer_add_encoded(w2, a.data, a.len) < 0 && errno == EINVAL,
	      "codec 7 accepted");
	CHECK(wt_writer_close(w1) == 0 && wt_writer_close(w2) == 0, "close");
	{
		struct spec_chunk two[2] = { { WT_CHUNK_META, "b=2\n", 4 },
					     { WT_CHUNK_META, "a=1\n", 4 } };
		struct wt_reader *r = wt_reader_open(tpath("enc2.wtrec"), NULL, 0);
		struct wt_chunk c;
		int n = 0;

		while (r && wt_reader_next(r, &c) == 1 && n < 2) {
			expect_chunk(n, &c, &two[n]);
			CHECK(c.codec == (n ? WT_CODEC_ZSTD : WT_CODEC_ZLIB),
			      "chunk %d codec %u", n, c.codec);
			n++;
		}
		CHECK(n == 2, "read back %d chunks", n);
		wt_reader_close(r);
	}
out:
	wt_encoder_free(zs);
	wt_encoder_free(zl);
	wt_buf_free(&a);
	wt_buf_free(&b);
}

/* ---- 5: writer ---------------------------------------------------------- */

static int add_text(struct wt_writer *w, const char *s)
{
	return wt_writer_add(w, WT_CHUNK_META, s, strlen(s));
}

static void t_mode(void)
{
	const char *p = tpath("mode.wtrec");
	struct wt_writer *w = wt_writer_open(p, false, true, 8, WT_CODEC_DEFAULT);
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
	w = wt_writer_open(p, true, true, 8, WT_CODEC_DEFAULT);
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
	w = wt_writer_open(p, false, true, 8, WT_CODEC_DEFAULT);
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
		w = wt_writer_open(p, keep, true, 8, WT_CODEC_DEFAULT);
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
	w = wt_writer_open(p2, false, true, 8, WT_CODEC_DEFAULT);
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
		w = wt_writer_open(path, true, true, 8, WT_CODEC_DEFAULT);
		_exit(w ? 1 : errno == EACCES ? 0 : 2);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid &&
		      WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child status %d (1: opened, 2: wrong errno, 3: setuid)",
	      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	CHECK(count_entries(dir) == 0, "%d entries left in %s",
	      count_entries(dir), dir);
	errno = 0;
	CHECK(wt_writer_open(tpath("missing/x.wtrec"), false, true, 8, WT_CODEC_DEFAULT) == NULL &&
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
		CHECK(wt_writer_open(p, keep, true, 8, WT_CODEC_DEFAULT) == NULL && errno == EISDIR,
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
		struct wt_writer *w = wt_writer_open(p, false, true, 8, WT_CODEC_DEFAULT);
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
	verify_file_c(p, cs, 2, NULL, false, WT_CODEC_DEFAULT);
}

/* ---- 6: read_at --------------------------------------------------------- */

static void t_read_at(void)
{
	const char *p = tpath("at.wtrec");
	uint64_t offs[16], pos;
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	if (write_set(p, full, nfull, false, offs, WT_CODEC_DEFAULT) < 0 ||
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

/* wt_reader_next_lazy over the writer's files: CPU_DATA gives its prefix
 * and declared length, everything else whole; read_at then gives all. */
static void t_lazy(void)
{
	const char *files[2] = { "rt.wtrec", "rt-zstd.wtrec" };
	struct wt_reader *r;
	struct wt_chunk c;
	char err[512];

	for (int f = 0; f < 2; f++) {
		int i = 0;

		r = wt_reader_open(tpath(files[f]), err, sizeof(err));
		if (!r) {
			tcheck_failf("open: %s", err);
			continue;
		}
		while (i < nfull &&
		       wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 8) == 1) {
			bool lazy = full[i].type == WT_CHUNK_CPU_DATA;
			uint64_t at = c.offset;

			CHECK(c.type == full[i].type && c.len == full[i].len &&
				      !memcmp(c.data, full[i].data,
					      lazy ? 8 : full[i].len),
			      "%s chunk %d: lazy read", files[f], i);
			if (lazy)
				CHECK(wt_reader_read_at(r, at, &c) == 1 &&
					      c.len == full[i].len &&
					      !memcmp(c.data, full[i].data, c.len),
				      "%s chunk %d: read_at", files[f], i);
			i++;
		}
		CHECK(i == nfull && !*wt_reader_error(r), "%s: %d chunks: %s",
		      files[f], i, wt_reader_error(r));
		wt_reader_close(r);
	}
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
	uint8_t *copy = malloc(small_v1.len);

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t len = t[i].len == SIZE_MAX ? small_v1.len : t[i].len;
		char err[512] = "", want[256];
		struct wt_reader *r;
		struct wt_chunk c;
		int n = 0;

		memcpy(copy, small_v1.data, small_v1.len);
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
		CHECK(n == (len == 16 ? 0 : small_v1.n) && !wt_reader_error(r)[0],
		      "row %zu: %d chunks, '%s'", i, n, wt_reader_error(r));
		wt_reader_close(r);
	}
	free(copy);
	CHECK(wt_reader_open_mem(NULL, 0, NULL, NULL, 0) == NULL, "NULL image");
	wt_reader_close(NULL);
}

/* ---- 8: old files ------------------------------------------------------ */

#ifndef WT_SOURCE_DIR
#define WT_SOURCE_DIR ""
#endif

/*
 * The version 1 recordings the repository ships, written by wtrec 0.1
 * with zlib before version 2 existed: each must still open as version 1
 * and read to its trailer with every chunk zlib.  (What they decode to is
 * checked by tests/common/old_files.sh against the same data recoded.)
 */
static void t_old_files(void)
{
	static const char *const old[] = {
		"samples/wtwork.wtrec",
		"tests/reliability/corpus/wtwork.wtrec",
		"tests/decode/corpus/basic-le.wtrec",
		"tests/decode/corpus/basic-be.wtrec",
		"tests/decode/corpus/small.wtrec",
		"tests/common/corpus/valid_small.wtrec",
	};

	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		char path[1024], err[512];
		struct wt_reader *r;
		struct wt_chunk c;
		int n = 0, ret = -1, zlib = 0;

		snprintf(path, sizeof(path), "%s/%s", WT_SOURCE_DIR, old[i]);
		r = wt_reader_open(path, err, sizeof(err));
		while (r && (ret = wt_reader_next(r, &c)) == 1) {
			n++;
			zlib += c.codec == WT_CODEC_ZLIB;
		}
		CHECK(r && wt_reader_header(r)->version == 1 && ret == 0 &&
			      wt_reader_saw_trailer(r) && n > 1 && zlib == n,
		      "%s: %d chunks (%d zlib), %s", old[i], n, zlib,
		      r ? wt_reader_error(r) : err);
		wt_reader_close(r);
	}
}

/* ---- 9: seed corpus ----------------------------------------------------- */

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
	/* version 2, zstd: the same shapes */
	cs[0] = (struct spec_chunk){ WT_CHUNK_META, "version=0.2.0\ncpus=1\n", 21 };
	cs[1] = (struct spec_chunk){ WT_CHUNK_CPU_DATA, small_cpu, 8 + 4096 };
	img_build_v(&im, 2, cs, 3);
	SEED("valid_small_zstd.wtrec", im.data, im.len);
	SEED("cut_in_chunk_zstd.wtrec", im.data, im.start[1] + 20);
	im.data[im.start[1] + 30] ^= 0x10;
	SEED("bad_crc_zstd.wtrec", im.data, im.len);
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
	{ 7, "round trip in zstd, a version 2 file", t_roundtrip_zstd },
	{ 4, "writer output parsed by a reference decoder (zlib, zstd)", t_reference_decoder },
	{ 5, "header fields: big-endian, word size 4", t_header_fields },
	{ 6, "chunk type names", t_type_names },
	{ 10, "truncation at every byte offset (memory)", t_truncate_mem },
	{ 11, "truncation at every byte offset (file)", t_truncate_file },
	{ 20, "every byte of every chunk flipped: refused with offset", t_flip_bytes },
	{ 21, "every single bit of two chunks flipped", t_flip_bits },
	{ 22, "file header damage: magic, version, order, word size", t_file_header_damage },
	{ 30, "oversize and past-the-end lengths refused, no allocation", t_oversize },
	{ 31, "payload inflating to more/fewer than raw_len, bad zlib", t_inflate_mismatch },
	{ 32, "codecs: exact length, never writes past the output, prefix", t_codec },
	{ 33, "encode refuses len > WT_CHUNK_MAX_RAW, type >= 2^16", t_encode_limits },
	{ 34, "zstd payloads not of raw_len or not allowed; unknown codec", t_zstd_mismatch },
	{ 35, "zstd: several frames, no content size, prefix of each", t_zstd_frames },
	{ 36, "version 2 with zlib and zstd chunks mixed", t_mixed_codecs },
	{ 47, "writer: add_encoded takes whole chunks of its version only", t_add_encoded_checks },
	{ 40, "writer: mode 0600, size = wt_writer_bytes", t_mode },
	{ 41, "writer: keep_old moves the previous file to .old", t_keep_old },
	{ 42, "writer: keep_old=false replaces, no .old", t_replace },
	{ 43, "writer: symlink at path not followed", t_symlink },
	{ 44, "writer: unwritable dir fails with errno, nothing left", t_unwritable },
	{ 45, "writer: path is a directory, temp file removed", t_path_is_dir },
	{ 46, "writer: failed write leaves whole chunks only", t_write_failure },
	{ 50, "read_at on every valid offset", t_read_at },
	{ 51, "read_at on invalid offsets", t_read_at_invalid },
	{ 52, "lazy reads give the CPU_DATA prefix in both codecs", t_lazy },
	{ 60, "open_mem: valid image, header errors with name", t_open_mem },
	{ 70, "seed corpus replays", t_corpus },
	{ 80, "the version 1 files the repository ships still read", t_old_files },
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
