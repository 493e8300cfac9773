/*
 * report.c - run the sql/ reports and --sql queries read-only.
 *
 * Three locks keep a query from changing a database: callers open it with
 * SQLITE_OPEN_READONLY (wt_db_open_readonly, which also sets query_only),
 * every statement must pass sqlite3_stmt_readonly() before it runs, and
 * every statement must return rows.  The last one refuses what
 * sqlite3_stmt_readonly() lets through because it changes the connection
 * rather than the file - ATTACH, DETACH, BEGIN, SAVEPOINT, PRAGMA x = y
 * (query_only = 0, writable_schema = 1) - instead of skipping it silently.
 */
#include <stdlib.h>
#include <string.h>
#include "report.h"
#include "sql_embed.h"
#include "errf.h"
#include "result_format.h"

/* The order reports are listed in; other embedded files follow. */
static const char *const preferred[] = {
	"summary", "children", "zombies", "stolen", "autoreap", "latency",
	"polling", "errors",
};
#define NPREF (sizeof(preferred) / sizeof(preferred[0]))
#define MAX_REPORTS 64

static bool listed(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

const char *const *wt_report_names(void)
{
	static const char *names[MAX_REPORTS + 1];
	static int n = -1;
	if (n >= 0)
		return names;
	n = 0;
	for (size_t i = 0; i < NPREF; i++)
		if (wt_sql_get(preferred[i]))
			names[n++] = preferred[i];
	for (const struct wt_sql_file *f = wt_sql_files;
	     f->name && n < MAX_REPORTS; f++)
		if (strcmp(f->name, "schema") && !listed(names, n, f->name))
			names[n++] = f->name;
	names[n] = NULL;
	return names;
}

bool wt_report_exists(const char *name)
{
	for (const char *const *p = wt_report_names(); *p; p++)
		if (!strcmp(*p, name))
			return true;
	return false;
}

void wt_report_list(FILE *f)
{
	const char *const *p = wt_report_names();
	for (int i = 0; p[i]; i++)
		fprintf(f, "%s%s", i ? ", " : "", p[i]);
}

static int batch_push(struct wt_report_batch *b, const char *title,
		      sqlite3_stmt *st)
{
	if (b->n == b->cap) {
		int ncap = b->cap ? b->cap * 2 : 8;
		struct wt_report_item *n = realloc(b->item, ncap * sizeof(*n));
		if (!n)
			return -1;
		b->item = n;
		b->cap = ncap;
	}
	char *t = strdup(title);
	if (!t)
		return -1;
	b->item[b->n++] = (struct wt_report_item){ t, st };
	return 0;
}

int wt_report_add(struct wt_report_batch *b, sqlite3 *db, const char *title,
		  const char *sql, char *err, size_t errlen)
{
	const char *tail = sql;
	while (tail && *tail) {
		sqlite3_stmt *st = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &st, &next) != SQLITE_OK)
			return wt_errf(err, errlen, "%s: %s", title,
				       sqlite3_errmsg(db));
		tail = next;
		if (!st)
			continue; /* only comments or whitespace left */
		if (!sqlite3_stmt_readonly(st)) {
			sqlite3_finalize(st);
			return wt_errf(err, errlen, "%s: refused: only "
				       "read-only queries may run", title);
		}
		if (sqlite3_column_count(st) == 0) {
			sqlite3_finalize(st);
			return wt_errf(err, errlen, "%s: refused: only queries "
				       "that return rows may run", title);
		}
		if (batch_push(b, title, st) < 0) {
			sqlite3_finalize(st);
			return wt_errf(err, errlen, "out of memory");
		}
	}
	return 0;
}

int wt_report_print(struct wt_report_batch *b, FILE *f, enum wt_format fmt,
		    char *err, size_t errlen)
{
	struct wt_out o;
	wt_out_begin(&o, f, fmt, b->n);
	for (int i = 0; i < b->n; i++)
		if (wt_out_stmt(&o, b->item[i].title, b->item[i].st, err,
				errlen) < 0) {
			wt_out_end(&o);
			return -1;
		}
	if (wt_out_end(&o) < 0)
		return wt_errf(err, errlen, "write error on output");
	return 0;
}

void wt_report_batch_free(struct wt_report_batch *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->item[i].title);
		sqlite3_finalize(b->item[i].st);
	}
	free(b->item);
	memset(b, 0, sizeof(*b));
}

int wt_report_warn(sqlite3 *db, FILE *f)
{
	static const char sql[] =
		"SELECT path, lost_events, complete, damaged FROM recording"
		" WHERE lost_events > 0 OR complete = 0 OR damaged = 1"
		" ORDER BY id";
	sqlite3_stmt *st = NULL;
	int n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *path = (const char *)sqlite3_column_text(st, 0);
		long long lost = sqlite3_column_int64(st, 1);
		bool incomplete = sqlite3_column_int(st, 2) == 0;
		bool damaged = sqlite3_column_int(st, 3) == 1;
		fprintf(f, "wtrec: warning: %s:", path ? path : "?");
		if (lost > 0)
			fprintf(f, " %lld events lost (LOSSY);", lost);
		if (damaged)
			fputs(" damaged, read up to the damage;", f);
		else if (incomplete)
			fputs(" incomplete (no trailer);", f);
		fputs(" results may be incomplete\n", f);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}
