/*
 * series.c - grouping the files of a --rotate series (see series.h).
 * Only the first META chunk of each file is read (a few hundred bytes).
 */
#include <stdlib.h>
#include <string.h>
#include "meta.h"
#include "series.h"
#include "wtfile.h"

int wt_series_probe(const char *path, char *id, size_t idlen,
		    unsigned long *seq)
{
	char err[256];
	struct wt_reader *r = wt_reader_open(path, err, sizeof(err));
	struct wt_meta m = { 0 };
	struct wt_chunk c;
	const char *sid, *sno;
	char *end;
	int rc = 0;

	while (r && wt_reader_next_lazy(r, &c, WT_CHUNK_CPU_DATA, 8) == 1) {
		if (c.type != WT_CHUNK_META)
			continue;
		if (wt_meta_parse(&m, (const char *)c.data, c.len, NULL) < 0)
			break;
		sid = wt_meta_get(&m, "series");
		sno = wt_meta_get(&m, "series_file");
		if (sid && *sid && sno && strlen(sid) < idlen) {
			*seq = strtoul(sno, &end, 10);
			if (*sno && !*end && *seq > 0) {
				strcpy(id, sid);
				rc = 1;
			}
		}
		break;
	}
	wt_meta_free(&m);
	wt_reader_close(r);
	return rc;
}

size_t wt_series_run(char *const *paths, size_t n)
{
	char first[128], id[128];
	unsigned long seq, next;
	size_t k = 1;

	if (!n || wt_series_probe(paths[0], first, sizeof(first), &seq) != 1)
		return n ? 1 : 0;
	for (next = seq + 1; k < n; k++, next++)
		if (wt_series_probe(paths[k], id, sizeof(id), &seq) != 1 ||
		    strcmp(id, first) || seq != next)
			break;
	return k;
}
