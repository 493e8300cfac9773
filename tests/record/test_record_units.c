/*
 * test_record_units.c - table-driven unit tests of the pure parts of
 * record/: option parsing, shell quoting of the META command line, parsing
 * of per_cpu stats, and the readers' record counter (against kbuffer).  No
 * root, no tracefs.  Exits 1 if any case fails, printing each failure with
 * its case id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kbuffer.h>

#include "cpu_stats.h"
#include "options.h"
#include "rec_meta.h"
#include "subbuf_count.h"
#include "wtfile.h"

static int failures;

#define CHECK(id, cond, ...)                                            \
	do {                                                            \
		if (!(cond)) {                                          \
			printf("FAIL %s: ", id);                        \
			printf(__VA_ARGS__);                            \
			putchar('\n');                                  \
			failures++;                                     \
		}                                                       \
	} while (0)

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
		CHECK(quote_cases[i].id, !strcmp((char *)b.data, quote_cases[i].want),
		      "got [%s], want [%s]", (char *)b.data, quote_cases[i].want);
		wt_buf_free(&b);
	}
}

/* ---- stats -------------------------------------------------------------- */

static void test_kstats(void)
{
	const char *text =
		"entries: 12\noverrun: 34\ncommit overrun: 5\nbytes: 6789\n"
		"oldest event ts:   775.240208\nnow ts:   775.251249\n"
		"dropped events: 7\nread events: 1392685\n";
	struct wt_rec_kstats s;

	wt_rec_kstats_parse(text, &s);
	CHECK("s01", s.entries == 12, "entries %llu", (unsigned long long)s.entries);
	CHECK("s02", s.overrun == 34, "overrun %llu", (unsigned long long)s.overrun);
	CHECK("s03", s.commit_overrun == 5, "commit overrun");
	CHECK("s04", s.bytes == 6789, "bytes");
	CHECK("s05", s.dropped == 7, "dropped");
	CHECK("s06", s.read == 1392685, "read");
	CHECK("s07", wt_rec_kstats_lost(&s) == 41, "lost = overrun + dropped");
	wt_rec_kstats_parse("", &s);
	CHECK("s08", s.read == 0 && s.overrun == 0, "empty text");
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
			CHECK(c->id, ret < 0 && d.status == 2 && !strncmp(d.msg, "wtrec: ", 7),
			      "[%s] should be refused with status 2 (ret %d status %d)",
			      c->args, ret, d.status);
			continue;
		}
		CHECK(c->id, ret == 0, "[%s] refused: %s", c->args, d.msg);
		if (ret)
			continue;
		CHECK(c->id, o.scope == c->scope, "scope %d", o.scope);
		CHECK(c->id, o.duration == c->duration, "duration %g", o.duration);
		CHECK(c->id, o.buffer_kb == c->buffer_kb, "buffer %lu", o.buffer_kb);
		CHECK(c->id, o.npids == c->npids, "npids %d", o.npids);
		/* zstd unless the row asks for zlib */
		CHECK(c->id, o.codec == (strstr(c->args, "--codec zlib") ?
					 WT_CODEC_ZLIB : WT_CODEC_ZSTD),
		      "codec %u", o.codec);
		CHECK(c->id, !c->command0 || (o.command && !strcmp(o.command[0], c->command0)),
		      "command");
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

	CHECK(id, a == b && !memcmp(mine, theirs, sizeof(mine)),
	      "counted %ld records, kbuffer %ld (or per type differs)", a, b);
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
		CHECK("s00", false, "kbuffer_alloc or malloc failed");
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
	CHECK("s02", n == 5 && counts[0] == 1 && counts[1] == 1 && counts[2] == 1 &&
	      counts[WT_REC_MAX_EVENTS] == 2, "n %ld, other %llu", n,
	      (unsigned long long)counts[WT_REC_MAX_EVENTS]);
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
	CHECK("s06", wt_rec_subbuf_count(g.sb, SB, ev, counts) == -1 &&
	      counts[0] + counts[1] + counts[2] + counts[WT_REC_MAX_EVENTS] == 0,
	      "commit past the end accepted");
	/* s07: with the lost-events count stored after the data, the data
	 * must leave room for it */
	memset(&g, 0, sizeof(g));
	g.pos = SB - HDR - 4;
	finish(&g, false, 1UL << 30);
	CHECK("s07", wt_rec_subbuf_count(g.sb, SB, ev, counts) == -1,
	      "no room for the missed count accepted");
	/* s08: a record whose length runs past the data ends the walk there */
	memset(&g, 0, sizeof(g));
	data_rec(&g, ids[0], 2);
	data_rec(&g, ids[1], 2);
	put32(&g, rec_hdr(0, 5));
	put32(&g, 4000); /* a length word far past the data */
	finish(&g, false, 0);
	memset(counts, 0, sizeof(counts));
	CHECK("s08", wt_rec_subbuf_count(g.sb, SB, ev, counts) == 2 &&
	      counts[0] == 1 && counts[1] == 1, "overlong record");
	/* s09: a sub-buffer shorter than its own header */
	CHECK("s09", wt_rec_subbuf_count(g.sb, HDR - 1, ev, counts) == -1,
	      "short sub-buffer");
	kbuffer_free(kb);
	free(ev);
}

int main(void)
{
	test_quote();
	test_kstats();
	test_options();
	test_subbuf_count();
	printf("test_record_units: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
