/*
 * test_strset.c - common/strset: a set of strings with a header each.
 * Checked against the simplest reference there is: a key is in the set
 * exactly when it was added, every entry keeps its address and its
 * zeroed header, and the count is the number of distinct keys.
 *
 *   test_strset    exit 1 if any check failed or none ran
 */
#include <stdio.h>
#include <string.h>

#include "strset.h"
#include "tcheck.h"

#define N 3000 /* > 256: the table grows several times */

struct hdr {
	long mark;
	char pad[3];
};

int main(void)
{
	struct wt_strset s = { .hdr = sizeof(struct hdr) };
	static void *first[N];
	char key[32];
	bool added;
	int bad_new = 0, bad_again = 0, bad_move = 0, bad_key = 0, bad_hdr = 0;

	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "/k/%d", i);
		first[i] = wt_strset_get(&s, key, &added);
		if (!first[i] || !added)
			bad_new++;
		else if (((struct hdr *)first[i])->mark != 0)
			bad_hdr++;
		else
			((struct hdr *)first[i])->mark = i;
	}
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "/k/%d", i);
		void *e = wt_strset_get(&s, key, &added);
		if (added)
			bad_again++;
		if (e != first[i] || wt_strset_find(&s, key) != e ||
		    ((struct hdr *)e)->mark != i)
			bad_move++;
		if (strcmp(wt_strset_key(&s, e), key) ||
		    wt_strset_entry(&s, wt_strset_key(&s, e)) != e)
			bad_key++;
	}
	check(bad_new == 0, 1, "new keys are added", bad_new ? "no" : "yes", "yes");
	check(bad_hdr == 0, 2, "headers start zeroed", bad_hdr ? "no" : "yes", "yes");
	check(bad_again == 0, 3, "a key added again is not new", bad_again ? "no" : "yes", "yes");
	check(bad_move == 0, 4, "entries keep their address and header", bad_move ? "no" : "yes", "yes");
	check(bad_key == 0, 5, "key <-> entry", bad_key ? "no" : "yes", "yes");
	check(s.used == N, 6, "count of distinct keys", s.used == N ? "N" : "other", "N");
	check(wt_strset_find(&s, "/k/x") == NULL, 7, "a key never added", "found?", "absent");
	wt_strset_free(&s);
	check(s.used == 0 && !wt_strset_find(&s, "/k/1"), 8, "freed: empty", "", "");
	return tcheck_report();
}
