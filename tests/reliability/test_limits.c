/*
 * test_limits.c - table-driven unit tests of the `wtrec record` options
 * this part added: --max-size SIZE (suffixes k, M, G: powers of 1024;
 * > 0, at most 1 PiB; anything else refused with status 2 and the usage
 * hint) and --cleanup (takes no option but -q).  No root, no tracefs.
 * Exits 1 if any case fails, printing each failure with its case id.
 */
#include <stdio.h>
#include <string.h>

#include "options.h"

static int failures;

static const struct {
	const char *id;
	const char *args[6];
	int ok;                      /* 1 = parses, 0 = refused */
	unsigned long long max_size; /* when ok */
	int cleanup;                 /* when ok */
} cases[] = {
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

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[8] = { "record" };
		struct wt_record_opts o;
		struct wt_diag d = { 0 };
		int argc = 1, rc;

		for (int j = 0; cases[i].args[j]; j++)
			argv[argc++] = (char *)cases[i].args[j];
		rc = wt_record_opts_parse(&o, argc, argv, &d);
		if (cases[i].ok && rc != 0) {
			printf("FAIL %s: refused: %s\n", cases[i].id, d.msg);
			failures++;
		} else if (!cases[i].ok && (rc == 0 || d.status != 2 || !d.hint ||
					     strncmp(d.msg, "wtrec: ", 7))) {
			printf("FAIL %s: want a usage error (status 2, hint), got rc %d "
			       "status %d hint %d [%s]\n", cases[i].id, rc, d.status,
			       d.hint, d.msg);
			failures++;
		} else if (cases[i].ok && (o.max_size != cases[i].max_size ||
					   o.cleanup != cases[i].cleanup)) {
			printf("FAIL %s: max_size %llu cleanup %d, want %llu %d\n",
			       cases[i].id, o.max_size, o.cleanup,
			       cases[i].max_size, cases[i].cleanup);
			failures++;
		}
		if (rc == 0)
			wt_record_opts_free(&o);
	}
	printf("test_limits: %d failure%s\n", failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
