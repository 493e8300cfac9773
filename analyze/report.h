/*
 * report.h - the reports of sql/ and `--sql` queries, run read-only over a
 * wtrec database and printed through result_format.h.
 *
 * A batch collects every statement to print first (so a bad query or a
 * write is refused before anything is printed, and the output knows how
 * many result sets it holds), then prints them in order.
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_REPORT_H
#define WT_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <sqlite3.h>
#include "result_format.h"

/* Report names (every embedded .sql but the schema), summary first;
 * NULL-terminated, static. */
const char *const *wt_report_names(void);

bool wt_report_exists(const char *name);

/* "summary, children, ..." on @f (no newline). */
void wt_report_list(FILE *f);

struct wt_report_item {
	char *title;
	sqlite3_stmt *st;
};

/* Zero-initialize; release with wt_report_batch_free(). */
struct wt_report_batch {
	struct wt_report_item *item;
	int n, cap;
};

/*
 * Prepare every statement of @sql (a report's text or a --sql query) on
 * @db and queue the ones that return columns under @title.  A statement
 * that could write (sqlite3_stmt_readonly() false) is refused.
 */
int wt_report_add(struct wt_report_batch *b, sqlite3 *db, const char *title,
		  const char *sql, char *err, size_t errlen);

/* Run and print every queued statement to @f in @fmt (several sets in a
 * machine format: see result_format.h; `wtrec analyze` uses
 * wt_report_write_dir for them). */
int wt_report_print(struct wt_report_batch *b, FILE *f, enum wt_format fmt,
		    char *err, size_t errlen);

/*
 * Write every queued statement to a file of its own in @dir (created if
 * missing): DIR/TITLE.EXT (EXT from wt_format_ext; a title seen before
 * gets "-2", "-3"...).  Each file appears only when complete; files of
 * other names in @dir are left alone.
 */
int wt_report_write_dir(struct wt_report_batch *b, const char *dir,
			enum wt_format fmt, char *err, size_t errlen);

/* Finalize the statements and free the batch's memory; accepts an empty
 * batch. */
void wt_report_batch_free(struct wt_report_batch *b);

/* One warning line on @f per recording that lost events or is damaged or
 * incomplete: their reports may miss things.  Returns how many. */
int wt_report_warn(sqlite3 *db, FILE *f);

#endif /* WT_REPORT_H */
