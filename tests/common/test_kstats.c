/*
 * test_kstats.c - common/kstats.c, the one parser of per_cpu/cpuN/stats:
 * the kernel's text as Linux 6.18 prints it, an older kernel's without
 * "dropped events", unknown lines, values that are not numbers, text
 * without a final newline, lines too long for the parser's buffer.
 * Expected values are read off the texts here, by hand.
 */
#include <stdio.h>
#include <string.h>
#include "kstats.h"
#include "tcheck.h"

static void check_i64(int id, const char *what, int64_t got, int64_t want)
{
	char g[32], w[32];

	snprintf(g, sizeof(g), "%lld", (long long)got);
	snprintf(w, sizeof(w), "%lld", (long long)want);
	check(got == want, id, what, g, w);
}

int main(void)
{
	static const char linux618[] =
		"entries: 12\noverrun: 34\ncommit overrun: 5\nbytes: 6789\n"
		"oldest event ts:   775.240208\nnow ts:   775.251249\n"
		"dropped events: 7\nread events: 1392685\n";
	static const char old[] = "entries: 0\noverrun: 3\ncommit overrun: 0\n"
				  "bytes: 0\nread events: 8";
	static const char junk[] = "overrun: x\nentries: 4\nnew thing: 9\n"
				   "dropped events: -2\nbytes:\n";
	char longline[300];
	struct wt_kstats k;

	check_i64(1, "linux 6.18: counters recognised",
		  wt_kstats_parse(linux618, strlen(linux618), &k), 6);
	check_i64(1, "entries", k.entries, 12);
	check_i64(1, "overrun", k.overrun, 34);
	check_i64(1, "commit overrun", k.commit_overrun, 5);
	check_i64(1, "bytes", k.bytes, 6789);
	check_i64(1, "dropped events", k.dropped, 7);
	check_i64(1, "read events", k.read_events, 1392685);
	check_i64(1, "lost = overrun + commit overrun + dropped",
		  (int64_t)wt_kstats_lost(&k), 46);

	check_i64(2, "no dropped line: recognised",
		  wt_kstats_parse(old, strlen(old), &k), 5);
	check_i64(2, "dropped unknown", k.dropped, -1);
	check_i64(2, "read events without a final newline", k.read_events, 8);
	check_i64(2, "lost counts the unknown one as 0",
		  (int64_t)wt_kstats_lost(&k), 3);

	check_i64(3, "junk: recognised", wt_kstats_parse(junk, strlen(junk), &k),
		  1);
	check_i64(3, "a value that is not a number stays unknown", k.overrun, -1);
	check_i64(3, "entries", k.entries, 4);
	check_i64(3, "a negative value stays unknown", k.dropped, -1);
	check_i64(3, "an empty value stays unknown", k.bytes, -1);

	check_i64(4, "empty text: recognised", wt_kstats_parse("", 0, &k), 0);
	check_i64(4, "everything unknown", k.entries + k.overrun +
		  k.commit_overrun + k.bytes + k.dropped + k.read_events, -6);
	check_i64(4, "no loss", (int64_t)wt_kstats_lost(&k), 0);

	memset(longline, ' ', sizeof(longline));
	memcpy(longline, "overrun: 5", 10);
	check_i64(5, "a line longer than the buffer is ignored",
		  wt_kstats_parse(longline, sizeof(longline), &k), 0);
	check_i64(5, "overrun", k.overrun, -1);
	/* only @len bytes are read: the 5 beyond them is not seen */
	check_i64(6, "length bound", wt_kstats_parse("overrun: 45", 10, &k), 1);
	check_i64(6, "overrun", k.overrun, 4);
	return tcheck_report();
}
