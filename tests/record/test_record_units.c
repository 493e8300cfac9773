/*
 * test_record_units.c - table-driven unit tests of the pure parts of
 * record/: option parsing (--max-size, --cleanup and --codec included),
 * shell quoting of the META command line, and the readers' record counter
 * (against kbuffer).  No root, no tracefs.  Exits 1 if any case fails,
 * printing each failure with its case id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kbuffer.h>

#include "options.h"
#include "rec_meta.h"
#include "subbuf_count.h"
#include "tcheck.h"
#include "wtfile.h"

/* ---- shell quoting ------------------------------------------------------ */

static const struct {
	const char *id;
	const char *words[4];
	const char *want;
} quote_cases[] = {
	{ "q01", { "ls", "-l", NULL }, "ls -l" },
	{ "q02", { "echo", "a b", NULL }, "echo 'a b'" },
	{ "q03", { "echo", "it's", NULL }, "echo 'it'\\''s'" },
	{ "q04", { "echo", "", NULL }, "echo ''" },
	{ "q05", { "printf", "a\nb", NULL }, "printf $'a\\x0ab'" },
	{ "q06", { "x", "$HOME", "*", NULL }, "x '$HOME' '*'" },
	{ "q07", { "/usr/bin/env", "A=1,2:3", NULL }, "/usr/bin/env A=1,2:3" },
	{ "q08", { "t", "tab\there", NULL }, "t $'tab\\x09here'" },
};

static void test_quote(void)
{
	for (size_t i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++) {
		struct wt_buf b = { 0 };

		wt_rec_shell_quote(&b, -1, (char **)quote_cases[i].words);
		wt_buf_append(&b, "", 1);
		CHECK(!strcmp((char *)b.data, quote_cases[i].want),
		      "%s: got [%s], want [%s]", quote_cases[i].id,
		      (char *)b.data, quote_cases[i].want);
		wt_buf_free(&b);
	}
}

/* ---- options ------------------------------------------------------------ */

struct opt_case {
	const char *id;
	const char *args; /* space-separated, after "record" */
	int ok;           /* 0 = refused with status 2 */
	enum wt_scope scope;
	double duration;
	unsigned long buffer_kb;
	int npids;
	const char *command0;
};

static int split(char *s, char **argv, int max)
{
	int n = 0;

	argv[n++] = "record";
	for (char *t = strtok(s, " "); t && n < max - 1; t = strtok(NULL, " "))
		argv[n++] = t;
	argv[n] = NULL;
	return n;
}

static void test_options(void)
{
	char self[16];
	const struct opt_case cases[] = {
		{ "o01", "", 1, WT_SCOPE_SYSTEM, 0, WT_REC_DEFAULT_BUFFER_KB, 0, NULL },
		{ "o02", "-d 1.5 -b 4096 -q", 1, WT_SCOPE_SYSTEM, 1.5, 4096, 0, NULL },
		{ "o03", "-- sleep 1", 1, WT_SCOPE_COMMAND, 0, WT_REC_DEFAULT_BUFFER_KB, 0, "sleep" },
		{ "o04", "sleep 1", 1, WT_SCOPE_COMMAND, 0, WT_REC_DEFAULT_BUFFER_KB, 0, "sleep" },
		{ "o05", "-p SELF,1", 1, WT_SCOPE_PID, 0, WT_REC_DEFAULT_BUFFER_KB, 2, NULL },
		{ "o06", "-p SELF -p 1", 1, WT_SCOPE_PID, 0, WT_REC_DEFAULT_BUFFER_KB, 2, NULL },
		{ "o07", "--backend=tracepoint -o x", 1, WT_SCOPE_SYSTEM, 0, WT_REC_DEFAULT_BUFFER_KB, 0, NULL },
		{ "o08", "-d -1", 0, 0, 0, 0, 0, NULL },
		{ "o09", "-d 0", 0, 0, 0, 0, 0, NULL },
		{ "o10", "-d nan", 0, 0, 0, 0, 0, NULL },
		{ "o11", "-b 3", 0, 0, 0, 0, 0, NULL },
		{ "o12", "-b 1048577", 0, 0, 0, 0, 0, NULL },
		{ "o13", "-p 1, ", 0, 0, 0, 0, 0, NULL },
		{ "o14", "-p SELF -- true", 0, 0, 0, 0, 0, NULL },
		{ "o15", "--backend", 0, 0, 0, 0, 0, NULL },
		{ "o16", "-o", 0, 0, 0, 0, 0, NULL },
		{ "o17", "--", 0, 0, 0, 0, 0, NULL },
		{ "o18", "-p +5", 0, 0, 0, 0, 0, NULL },
		{ "o19", "--codec zlib -o x", 1, WT_SCOPE_SYSTEM, 0, WT_REC_DEFAULT_BUFFER_KB, 0, NULL },
		{ "o20", "--codec=zstd", 1, WT_SCOPE_SYSTEM, 0, WT_REC_DEFAULT_BUFFER_KB, 0, NULL },
		{ "o21", "--codec lz4", 0, 0, 0, 0, 0, NULL },
		{ "o22", "--codec", 0, 0, 0, 0, 0, NULL },
		{ "o23", "--cleanup --codec zlib", 0, 0, 0, 0, 0, NULL },
	};

	snprintf(self, sizeof(self), "%d", (int)getpid());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct opt_case *c = &cases[i];
		char buf[256], *argv[32];
		struct wt_record_opts o;
		struct wt_diag d = { 0 };
		int argc, ret;

		/* "SELF" stands for our pid (a pid that surely exists) */
		snprintf(buf, sizeof(buf), "%s", c->args);
		for (char *p; (p = strstr(buf, "SELF"));) {
			char rest[256];

			snprintf(rest, sizeof(rest), "%s", p + 4);
			snprintf(p, sizeof(buf) - (p - buf), "%s%s", self, rest);
		}
		argc = split(buf, argv, 32);
		ret = wt_record_opts_parse(&o, argc, argv, &d);
		if (!c->ok) {
			CHECK(ret < 0 && d.status == 2 && !strncmp(d.msg, "wtrec: ", 7),
			      "%s: [%s] should be refused with status 2 (ret %d "
			      "status %d)", c->id, c->args, ret, d.status);
			continue;
		}
		CHECK(ret == 0, "%s: [%s] refused: %s", c->id, c->args, d.msg);
		if (ret)
			continue;
		CHECK(o.scope == c->scope, "%s: scope %d", c->id, o.scope);
		CHECK(o.duration == c->duration, "%s: duration %g", c->id,
		      o.duration);
		CHECK(o.buffer_kb == c->buffer_kb, "%s: buffer %lu", c->id,
		      o.buffer_kb);
		CHECK(o.npids == c->npids, "%s: npids %d", c->id, o.npids);
		/* zstd unless the row asks for zlib */
		CHECK(o.codec == (strstr(c->args, "--codec zlib") ?
				  WT_CODEC_ZLIB : WT_CODEC_ZSTD),
		      "%s: codec %u", c->id, o.codec);
		CHECK(!c->command0 ||
		      (o.command && !strcmp(o.command[0], c->command0)),
		      "%s: command", c->id);
		wt_record_opts_free(&o);
	}
}

/* --max-size SIZE (suffixes k, M, G: powers of 1024; > 0, at most 1 PiB;
 * anything else refused with status 2 and the usage hint) and --cleanup
 * (takes no option but -q). */
static const struct {
	const char *id;
	const char *args[6];
	int ok;                      /* 1 = parses, 0 = refused */
	unsigned long long max_size; /* when ok */
	int cleanup;                 /* when ok */
} limit_cases[] = {
	{ "m01", { "--max-size", "4096" }, 1, 4096, 0 },
	{ "m02", { "--max-size", "64k" }, 1, 64ull << 10, 0 },
	{ "m03", { "--max-size", "64K" }, 1, 64ull << 10, 0 },
	{ "m04", { "--max-size", "10M" }, 1, 10ull << 20, 0 },
	{ "m05", { "--max-size", "10m" }, 1, 10ull << 20, 0 },
	{ "m06", { "--max-size", "1G" }, 1, 1ull << 30, 0 },
	{ "m07", { "--max-size=2g" }, 1, 2ull << 30, 0 },
	{ "m08", { "--max-size", "1048576G" }, 1, 1ull << 50, 0 },
	{ "m09", { "--max-size", "1048577G" }, 0, 0, 0 },
	{ "m10", { "--max-size", "0" }, 0, 0, 0 },
	{ "m11", { "--max-size", "0k" }, 0, 0, 0 },
	{ "m12", { "--max-size", "-1" }, 0, 0, 0 },
	{ "m13", { "--max-size", "10X" }, 0, 0, 0 },
	{ "m14", { "--max-size", "10MB" }, 0, 0, 0 },
	{ "m15", { "--max-size", "1.5M" }, 0, 0, 0 },
	{ "m16", { "--max-size", "" }, 0, 0, 0 },
	{ "m17", { "--max-size", "M" }, 0, 0, 0 },
	{ "m18", { "--max-size", " 10M" }, 0, 0, 0 },
	{ "m19", { "--max-size", "99999999999999999999999" }, 0, 0, 0 },
	{ "m20", { "--max-size", "18446744073709551615" }, 0, 0, 0 },
	{ "m21", { "--max-size" }, 0, 0, 0 },
	{ "c01", { "--cleanup" }, 1, 0, 1 },
	{ "c02", { "--cleanup", "-q" }, 1, 0, 1 },
	{ "c03", { "--cleanup", "-d", "1" }, 0, 0, 0 },
	{ "c04", { "--cleanup", "-o", "x.wtrec" }, 0, 0, 0 },
	{ "c05", { "--cleanup", "-b", "64" }, 0, 0, 0 },
	{ "c06", { "--cleanup", "--max-size", "1M" }, 0, 0, 0 },
	{ "c07", { "--cleanup", "--backend", "tracepoint" }, 0, 0, 0 },
	{ "c08", { "--cleanup", "--", "true" }, 0, 0, 0 },
	{ "c09", { "-p", "1", "--cleanup" }, 0, 0, 0 },
};

static void test_limits(void)
{
	for (size_t i = 0; i < sizeof(limit_cases) / sizeof(limit_cases[0]);
	     i++) {
		const char *id = limit_cases[i].id;
		char *argv[8] = { "record" };
		struct wt_record_opts o;
		struct wt_diag d = { 0 };
		int argc = 1, rc;

		for (int j = 0; limit_cases[i].args[j]; j++)
			argv[argc++] = (char *)limit_cases[i].args[j];
		rc = wt_record_opts_parse(&o, argc, argv, &d);
		if (limit_cases[i].ok) {
			CHECK(rc == 0, "%s: refused: %s", id, d.msg);
			CHECK(rc != 0 || (o.max_size == limit_cases[i].max_size &&
					  o.cleanup == limit_cases[i].cleanup),
			      "%s: max_size %llu cleanup %d, want %llu %d", id,
			      o.max_size, o.cleanup, limit_cases[i].max_size,
			      limit_cases[i].cleanup);
		} else {
			CHECK(rc != 0 && d.status == 2 && d.hint &&
			      !strncmp(d.msg, "wtrec: ", 7),
			      "%s: want a usage error (status 2, hint), got rc %d "
			      "status %d hint %d [%s]", id, rc, d.status, d.hint,
			      d.msg);
		}
		if (rc == 0)
			wt_record_opts_free(&o);
	}
}

/* ---- the readers' record counter ---------------------------------------- */

/*
 * record/subbuf_count.c against libtraceevent's kbuffer, the parser the
 * analyzer decodes with: sub-buffers are built here byte by byte as the
 * kernel lays them out (include/linux/ring_buffer.h, rb_reset_tail) -
 * small and large data records, time extends, absolute time stamps,
 * records a filter discarded, padding to the end - and both must find the
 * same records of the same types.  Then the refusals: a commit length that
 * does not fit, a record running past the data.
 */

#define SB 4096
#define HDR (8 + sizeof(long))

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16) % n;
}

/* A record header: type_len and time_delta as the host's kernel packs the
 * bit-field (low bits first on little-endian machines). */
static uint32_t rec_hdr(unsigned type_len, uint32_t delta)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return (uint32_t)type_len << 27 | (delta & ((1u << 27) - 1));
#else
	return (type_len & 0x1f) | delta << 5;
#endif
}

struct gen {
	uint8_t sb[SB];
	size_t pos;	/* bytes of records so far */
};

static bool room(const struct gen *g, size_t n)
{
	return g->pos + n <= SB - HDR;
}

static void put32(struct gen *g, uint32_t v)
{
	memcpy(g->sb + HDR + g->pos, &v, 4);
	g->pos += 4;
}

/* @n payload bytes starting with the u16 common_type @type */
static void payload(struct gen *g, uint16_t type, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g->sb[HDR + g->pos + i] = (uint8_t)rnd(256);
	memcpy(g->sb + HDR + g->pos, &type, 2);
	g->pos += n;
}

/* A data record of @words 4-byte words of payload: type_len form up to 28
 * words, the length word above. */
static bool data_rec(struct gen *g, uint16_t type, unsigned words)
{
	if (words <= 28) {
		if (!room(g, 4 + 4 * words))
			return false;
		put32(g, rec_hdr(words, rnd(1000)));
	} else {
		if (!room(g, 8 + 4 * words))
			return false;
		put32(g, rec_hdr(0, rnd(1000)));
		put32(g, 4 + 4 * words); /* counts the length word itself */
	}
	payload(g, type, 4 * words);
	return true;
}

static bool other_rec(struct gen *g, unsigned kind)
{
	unsigned words = 2 + rnd(20);

	if (kind == 0) { /* time extend / absolute time stamp */
		if (!room(g, 8))
			return false;
		put32(g, rec_hdr(30 + rnd(2), rnd(1 << 27)));
		put32(g, rnd(1u << 31));
		return true;
	}
	/* discarded by a filter: padding, non-zero delta, a length */
	if (!room(g, 8 + 4 * words))
		return false;
	put32(g, rec_hdr(29, 1 + rnd(1000)));
	put32(g, 4 + 4 * words);
	payload(g, 7, 4 * words);
	return true;
}

/* The header; @end_padding: the rest of the sub-buffer as padding, inside
 * the commit length (as the kernel pads a page it leaves: delta 1 and a
 * length; a padding of delta 0 the kernel writes only where fewer than 8
 * bytes are left, beyond the commit length) */
static void finish(struct gen *g, bool end_padding, unsigned long flags)
{
	unsigned long commit;
	uint64_t ts = 1000;
	size_t rest = SB - HDR - g->pos;

	if (end_padding && rest >= 8) {
		put32(g, rec_hdr(29, 1));
		put32(g, (uint32_t)rest - 4);
		g->pos += rest - 8;
	}
	commit = g->pos | flags;
	memcpy(g->sb, &ts, 8);
	memcpy(g->sb + 8, &commit, sizeof(commit));
}

static const uint16_t ids[] = { 300, 301, 302, 999, 65535 }; /* 999+: unknown */

static void events_init(struct wt_rec_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	memset(ev->index_of_id, WT_REC_NO_EVENT, sizeof(ev->index_of_id));
	for (int i = 0; i < 3; i++)
		ev->index_of_id[ids[i]] = (uint8_t)i;
	ev->n = 3;
}

/* kbuffer's view of @sb: counts by index, like wt_rec_subbuf_count */
static long kbuffer_count(struct kbuffer *kb, uint8_t *sb,
			  const struct wt_rec_events *ev, uint64_t *counts)
{
	unsigned long long ts;
	uint16_t type;
	long n = 0;
	int idx;

	if (kbuffer_load_subbuffer(kb, sb) < 0)
		return -1;
	for (void *r = kbuffer_read_event(kb, &ts); r;
	     r = kbuffer_next_event(kb, &ts)) {
		memcpy(&type, r, 2);
		idx = wt_rec_events_index(ev, type);
		counts[idx < 0 ? WT_REC_MAX_EVENTS : idx]++;
		n++;
	}
	return n;
}

/* Fill a sub-buffer with @nrec random records of the @mix kinds. */
static void random_subbuf(struct gen *g, int nrec, bool large, bool others)
{
	memset(g, 0, sizeof(*g));
	for (int i = 0; i < nrec; i++) {
		unsigned k = rnd(10);
		bool ok;

		if (others && k < 2)
			ok = other_rec(g, k);
		else
			ok = data_rec(g, ids[rnd(5)],
				      large && k == 9 ? 29 + rnd(40) : 1 + rnd(28));
		if (!ok)
			break;
	}
	finish(g, rnd(2), 0);
}

static void compare(const char *id, struct kbuffer *kb, struct gen *g,
		    const struct wt_rec_events *ev)
{
	uint64_t mine[WT_REC_MAX_EVENTS + 1] = { 0 }, theirs[WT_REC_MAX_EVENTS + 1] = { 0 };
	long a = wt_rec_subbuf_count(g->sb, SB, ev, mine);
	long b = kbuffer_count(kb, g->sb, ev, theirs);

	CHECK(a == b && !memcmp(mine, theirs, sizeof(mine)), "%s: " "counted %ld records, kbuffer %ld (or per type differs)", id, a, b);
}

static void test_subbuf_count(void)
{
	struct kbuffer *kb = kbuffer_alloc(sizeof(long) == 8 ? KBUFFER_LSIZE_8 :
					   KBUFFER_LSIZE_4,
					   KBUFFER_ENDIAN_SAME_AS_HOST);
	uint64_t counts[WT_REC_MAX_EVENTS + 1];
	struct wt_rec_events *ev = malloc(sizeof(*ev));
	static struct gen g;
	char id[32];
	long n;

	if (!kb || !ev) {
		CHECK(false, "%s: " "kbuffer_alloc or malloc failed", "s00");
		free(ev);
		kbuffer_free(kb);
		return;
	}
	events_init(ev);
	/* s01: no records */
	memset(&g, 0, sizeof(g));
	finish(&g, false, 0);
	compare("s01", kb, &g, ev);
	/* s02: one of each known and unknown type, counted where it belongs */
	memset(&g, 0, sizeof(g));
	for (int i = 0; i < 5; i++)
		data_rec(&g, ids[i], 3);
	finish(&g, false, 0);
	memset(counts, 0, sizeof(counts));
	n = wt_rec_subbuf_count(g.sb, SB, ev, counts);
	CHECK(n == 5 && counts[0] == 1 && counts[1] == 1 && counts[2] == 1 &&
	      counts[WT_REC_MAX_EVENTS] == 2, "%s: " "n %ld, other %llu", "s02", n, (unsigned long long)counts[WT_REC_MAX_EVENTS]);
	/* s03-s05: random sub-buffers: small records only, with large ones,
	 * with time stamps and discarded records; end padding or not */
	for (int i = 0; i < 300; i++) {
		snprintf(id, sizeof(id), "s%02d.%d", 3 + i % 3, i);
		random_subbuf(&g, 10 + rnd(400), i % 3 >= 1, i % 3 == 2);
		compare(id, kb, &g, ev);
	}
	/* s06: a commit length past the sub-buffer: nothing counted */
	random_subbuf(&g, 50, false, false);
	g.pos = SB - HDR + 4;
	finish(&g, false, 0);
	memset(counts, 0, sizeof(counts));
	CHECK(wt_rec_subbuf_count(g.sb, SB, ev, counts) == -1 &&
	      counts[0] + counts[1] + counts[2] + counts[WT_REC_MAX_EVENTS] == 0, "%s: " "commit past the end accepted", "s06");
	/* s07: with the lost-events count stored after the data, the data
	 * must leave room for it */
	memset(&g, 0, sizeof(g));
	g.pos = SB - HDR - 4;
	finish(&g, false, 1UL << 30);
	CHECK(wt_rec_subbuf_count(g.sb, SB, ev, counts) == -1, "%s: " "no room for the missed count accepted", "s07");
	/* s08: a record whose length runs past the data ends the walk there */
	memset(&g, 0, sizeof(g));
	data_rec(&g, ids[0], 2);
	data_rec(&g, ids[1], 2);
	put32(&g, rec_hdr(0, 5));
	put32(&g, 4000); /* a length word far past the data */
	finish(&g, false, 0);
	memset(counts, 0, sizeof(counts));
	CHECK(wt_rec_subbuf_count(g.sb, SB, ev, counts) == 2 &&
	      counts[0] == 1 && counts[1] == 1, "%s: " "overlong record", "s08");
	/* s09: a sub-buffer shorter than its own header */
	CHECK(wt_rec_subbuf_count(g.sb, HDR - 1, ev, counts) == -1, "%s: " "short sub-buffer", "s09");
	kbuffer_free(kb);
	free(ev);
}

int main(void)
{
	tcheck_case(1, "shell quoting of the META command line", test_quote);
	tcheck_case(2, "record options", test_options);
	tcheck_case(3, "--max-size and --cleanup", test_limits);
	tcheck_case(4, "the readers' record counter against kbuffer",
		    test_subbuf_count);
	return tcheck_report();
}
