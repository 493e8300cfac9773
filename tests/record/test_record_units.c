/*
 * test_record_units.c - table-driven unit tests of the pure parts of
 * record/: option parsing, shell quoting of the META command line, and
 * parsing of per_cpu stats.  No root, no tracefs.  Exits 1 if any case
 * fails, printing each failure with its case id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu_stats.h"
#include "options.h"
#include "rec_meta.h"
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

int main(void)
{
	test_quote();
	test_kstats();
	test_options();
	printf("test_record_units: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
