/*
 * report_files.c - several reports as one file each (report.h,
 * wt_report_write_dir): what `wtrec analyze -f csv|json|jsonl --dir DIR`
 * does, since one stream of CSV or JSON can hold only one result set of
 * one shape.  Kept apart from report.c, which needs no file handling.
 */
#include <stdlib.h>
#include <string.h>
#include "errf.h"
#include "atomic_file.h"
#include "result_format.h"
#include "report.h"

/* Item @i's file name in @dir: its title, "-2", "-3"... for a title
 * that came before; malloc'ed, NULL on ENOMEM. */
static char *item_path(const struct wt_report_batch *b, int i,
		       const char *dir, enum wt_format fmt)
{
	int nth = 1;
	char *path = NULL;
	for (int j = 0; j < i; j++)
		nth += !strcmp(b->item[j].title, b->item[i].title);
	char suffix[16] = "";
	if (nth > 1)
		snprintf(suffix, sizeof(suffix), "-%d", nth);
	if (asprintf(&path, "%s/%s%s.%s", dir, b->item[i].title, suffix,
		     wt_format_ext(fmt)) < 0)
		return NULL;
	return path;
}

int wt_report_write_dir(struct wt_report_batch *b, const char *dir,
			enum wt_format fmt, char *err, size_t errlen)
{
	if (wt_atomic_file_mkdir(dir, err, errlen) < 0)
		return -1;
	for (int i = 0; i < b->n; i++) {
		struct wt_atomic_file of;
		struct wt_out o;
		char *path = item_path(b, i, dir, fmt);
		if (!path)
			return wt_errf(err, errlen, "out of memory");
		int rc = wt_atomic_file_open(&of, path, err, errlen);
		if (rc == 0) {
			wt_out_begin(&o, of.f, fmt, 1);
			rc = wt_out_stmt(&o, b->item[i].title, b->item[i].st,
					 err, errlen);
			if (rc < 0)
				wt_atomic_file_abort(&of);
			else
				rc = wt_atomic_file_commit(&of, err, errlen);
		}
		free(path);
		if (rc < 0)
			return -1;
	}
	return 0;
}
