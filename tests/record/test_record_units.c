/*
 * test_record_units.c - table-driven unit tests of the pure parts of
 * record/: option parsing (--max-size and --cleanup included) and shell
 * quoting of the META command line.  No root, no tracefs.  Exits 1 if any
 * case fails, printing each failure with its case id.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "rec_meta.h"
#include "tcheck.h"

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

int main(void)
{
	tcheck_case(1, "shell quoting of the META command line", test_quote);
	tcheck_case(2, "record options", test_options);
	tcheck_case(3, "--max-size and --cleanup", test_limits);
	return tcheck_report();
}
