/*
 * live_out.c - printing the live findings (see live_out.h).
 *
 * A finding is the row of its look (live_find.c); the JSON line is that
 * row as it is (column name: value), the text line a sentence per kind
 * built from the same columns.  The terminal view keeps the latest
 * sentences and redraws everything with ANSI "home, clear".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "live_out.h"

#define LATEST 8      /* sentences the view keeps */
#define LINE_MAX 512

struct wt_live_out {
	FILE *f;
	enum wt_live_format fmt;
	bool view;
	int64_t wall_offset;      /* WT_DB_NULL: unknown */
	int64_t start_ns;         /* for times before the wall is known */
	char latest[LATEST][LINE_MAX];
	int nlatest, head;
	bool failed;
};

int wt_live_format_parse(const char *name, enum wt_live_format *fmt)
{
	if (!strcmp(name, "text"))
		*fmt = WT_LIVE_TEXT;
	else if (!strcmp(name, "jsonl"))
		*fmt = WT_LIVE_JSONL;
	else
		return -1;
	return 0;
}

struct wt_live_out *wt_live_out_new(FILE *f, enum wt_live_format fmt,
				    bool view)
{
	struct wt_live_out *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->f = f;
	o->fmt = fmt;
	o->view = view && fmt == WT_LIVE_TEXT;
	o->wall_offset = o->start_ns = WT_DB_NULL;
	return o;
}

void wt_live_out_set_wall(struct wt_live_out *o, int64_t offset_ns)
{
	o->wall_offset = offset_ns;
}

bool wt_live_out_error(const struct wt_live_out *o)
{
	return o->failed;
}

void wt_live_out_free(struct wt_live_out *o)
{
	free(o);
}

/* End a line (or a screen): flushed, so a pipe reader sees it now. */
static void done(struct wt_live_out *o)
{
	if (fflush(o->f) != 0 || ferror(o->f))
		o->failed = true;
}

/* ---- columns of the finding's row ---------------------------------------- */

static int col(sqlite3_stmt *st, const char *name)
{
	for (int c = 0; c < sqlite3_column_count(st); c++)
		if (!strcmp(sqlite3_column_name(st, c), name))
			return c;
	return -1;
}

static bool is_null(sqlite3_stmt *st, const char *name)
{
	int c = col(st, name);

	return c < 0 || sqlite3_column_type(st, c) == SQLITE_NULL;
}

static int64_t num(sqlite3_stmt *st, const char *name)
{
	int c = col(st, name);

	return c < 0 ? 0 : sqlite3_column_int64(st, c);
}

static double real(sqlite3_stmt *st, const char *name)
{
	int c = col(st, name);

	return c < 0 ? 0 : sqlite3_column_double(st, c);
}

/* Text of a column, "?" when NULL. */
static const char *str(sqlite3_stmt *st, const char *name)
{
	int c = col(st, name);
	const unsigned char *s = c < 0 ? NULL : sqlite3_column_text(st, c);

	return s ? (const char *)s : "?";
}

/* ---- times ---------------------------------------------------------------- */

/* "12:00:01.234" (local wall clock), or "+1.234s" before it is known. */
static void clock_text(const struct wt_live_out *o, int64_t ts, char *buf,
		       size_t n)
{
	if (o->wall_offset != WT_DB_NULL && ts > 0) {
		int64_t w = ts + o->wall_offset;
		time_t secs = (time_t)(w / 1000000000);
		struct tm tm;

		localtime_r(&secs, &tm);
		snprintf(buf, n, "%02d:%02d:%02d.%03d", tm.tm_hour % 100,
			 tm.tm_min % 100, tm.tm_sec % 100,
			 (int)(w / 1000000 % 1000));
	} else {
		snprintf(buf, n, "+%.3fs", ts / 1e9);
	}
}

/* ISO 8601 UTC with milliseconds; "" when the wall clock is unknown. */
static void iso_text(const struct wt_live_out *o, int64_t ts, char *buf,
		     size_t n)
{
	int64_t w;
	time_t secs;
	struct tm tm;

	*buf = '\0';
	if (o->wall_offset == WT_DB_NULL || ts <= 0)
		return;
	w = ts + o->wall_offset;
	secs = (time_t)(w / 1000000000);
	gmtime_r(&secs, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, (int)(w / 1000000 % 1000));
}

/* A duration: "95 us", "1.2 ms", "3.0 s". */
static void span(int64_t ns, char *buf, size_t n)
{
	if (ns < 0)
		ns = 0;
	if (ns < 1000000)
		snprintf(buf, n, "%" PRId64 " us", ns / 1000);
	else if (ns < 1000000000)
		snprintf(buf, n, "%.1f ms", ns / 1e6);
	else
		snprintf(buf, n, "%.1f s", ns / 1e9);
}

/* ---- the sentences --------------------------------------------------------- */

static void say_steal(sqlite3_stmt *st, char *b, size_t n)
{
	char gap[32];

	span(num(st, "gap_ns"), gap, sizeof(gap));
	snprintf(b, n, "steal: tid %" PRId64 "'s %s(%s %" PRId64 ") got %s: "
		 "child %" PRId64 " (%s) was reaped %s before by tid %" PRId64
		 "'s %s(%s) [calls %" PRId64 ", %" PRId64 "]",
		 num(st, "victim_tid"), str(st, "victim_syscall"),
		 str(st, "victim_idtype"), num(st, "child_pid"),
		 str(st, "victim_result"), num(st, "child_pid"),
		 str(st, "child_comm"), gap, num(st, "thief_tid"),
		 str(st, "thief_syscall"), str(st, "thief_idtype"),
		 num(st, "victim_call_id"), num(st, "thief_call_id"));
}

static void say_double_wait(sqlite3_stmt *st, char *b, size_t n)
{
	snprintf(b, n, "double wait: tid %" PRId64 "'s %s(%s %" PRId64 ") "
		 "got %s: its own call %" PRId64 " had reaped child %" PRId64
		 " (%s) already", num(st, "tid"), str(st, "syscall"),
		 str(st, "idtype"), num(st, "child_pid"), str(st, "result"),
		 num(st, "first_call_id"), num(st, "child_pid"),
		 str(st, "child_comm"));
}

static void say_autoreap(sqlite3_stmt *st, char *b, size_t n)
{
	snprintf(b, n, "auto-reaped: pid %" PRId64 " (%s), child of pid %"
		 PRId64 " (%s), left no zombie: %s", num(st, "pid"),
		 str(st, "comm"), num(st, "parent_pid"), str(st, "parent_comm"),
		 str(st, "evidence"));
}

static void say_echild(sqlite3_stmt *st, char *b, size_t n)
{
	char fate[96];

	if (!is_null(st, "child_reap_call_id"))
		snprintf(fate, sizeof(fate), "was reaped by tid %" PRId64
			 " (call %" PRId64 ")", num(st, "child_reaper_tid"),
			 num(st, "child_reap_call_id"));
	else if (!is_null(st, "child_release_kind"))
		snprintf(fate, sizeof(fate), "was released without a wait "
			 "(%s)", str(st, "child_release_kind"));
	else if (!is_null(st, "child_upid"))
		snprintf(fate, sizeof(fate), "is not a child it may wait for");
	else
		snprintf(fate, sizeof(fate), "is not a process of the recording");
	snprintf(b, n, "ECHILD: tid %" PRId64 "'s %s(%s %" PRId64 ") found "
		 "no such child: pid %" PRId64 " (%s) %s", num(st, "tid"),
		 str(st, "syscall"), str(st, "idtype"), num(st, "target"),
		 num(st, "child_pid"), str(st, "child_comm"), fate);
}

static void say_zombie(sqlite3_stmt *st, char *b, size_t n)
{
	char age[32];

	span(num(st, "age_ns"), age, sizeof(age));
	snprintf(b, n, "zombie: pid %" PRId64 " (%s) %s%s%s, not reaped; "
		 "parent pid %" PRId64 " (%s) made %" PRId64 " wait call(s)",
		 num(st, "pid"), str(st, "comm"),
		 num(st, "zombie_at_start") ? "a zombie since before the "
		 "recording (at least " : "exited ", age,
		 num(st, "zombie_at_start") ? ")" : " ago",
		 num(st, "parent_pid"), str(st, "parent_comm"),
		 num(st, "parent_wait_calls"));
}

static void say_orphan_init(sqlite3_stmt *st, char *b, size_t n)
{
	snprintf(b, n, "init not reaping: pid %" PRId64 " (%s), pid %" PRId64
		 " of its namespace, holds %" PRId64 " inherited zombie(s) "
		 "and has not waited since they became waitable",
		 num(st, "init_pid"), str(st, "init_comm"),
		 num(st, "init_ns_pid"), num(st, "zombies"));
}

static void say_poller(sqlite3_stmt *st, char *b, size_t n)
{
	snprintf(b, n, "poller: tid %" PRId64 " (%s) spins on WNOHANG waits "
		 "at %.0f/s: %" PRId64 " empty polls no SIGCHLD drove (of %"
		 PRId64 ")", num(st, "tid"), str(st, "comm"),
		 real(st, "rate_per_s"), num(st, "undriven"),
		 num(st, "calls"));
}

/* A docker-style 64-hex id as `docker ps` shows it (its first 12, as the
 * containers report does); any other id whole. */
static void short_id(const char *id, char *b, size_t n)
{
	size_t len = strlen(id);

	if (len == 64 && strspn(id, "0123456789abcdef") == 64)
		len = 12;
	snprintf(b, n, "%.*s", (int)len, id);
}

static void say_fork_failure(sqlite3_stmt *st, char *b, size_t n)
{
	char where[256], id[80];

	if (!is_null(st, "cgroup_pids"))
		snprintf(where, sizeof(where), "cgroup pids:%s",
			 str(st, "cgroup_pids"));
	else if (!is_null(st, "cgroup"))
		snprintf(where, sizeof(where), "cgroup v2:%s", str(st, "cgroup"));
	else
		snprintf(where, sizeof(where), "cgroup unknown");
	if (!is_null(st, "container_id")) {
		short_id(str(st, "container_id"), id, sizeof(id));
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 ", container %s (%s)", id, str(st, "container_runtime"));
	}
	snprintf(b, n, "fork failed: tid %" PRId64 " (pid %" PRId64 ", %s): "
		 "%s() returned %s; %s", num(st, "tid"), num(st, "pid"),
		 str(st, "comm"), str(st, "syscall"), str(st, "errno_name"),
		 where);
}

static void say_lost(sqlite3_stmt *st, char *b, size_t n)
{
	snprintf(b, n, "LOST %" PRId64 " events (%s counters; %" PRId64
		 " in all): findings may be missing", num(st, "new_events"),
		 str(st, "source"), num(st, "lost_events"));
}

static void sentence(const struct wt_finding *f, char *b, size_t n)
{
	static void (*const say[WT_LK_COUNT])(sqlite3_stmt *, char *,
					      size_t) = {
		[WT_LK_STEAL] = say_steal, [WT_LK_DOUBLE_WAIT] = say_double_wait,
		[WT_LK_AUTOREAP] = say_autoreap, [WT_LK_ECHILD] = say_echild,
		[WT_LK_ZOMBIE] = say_zombie,
		[WT_LK_ORPHAN_INIT] = say_orphan_init,
		[WT_LK_POLLER] = say_poller,
		[WT_LK_FORK_FAILURE] = say_fork_failure, [WT_LK_LOST] = say_lost,
	};

	say[f->kind](f->st, b, n);
	b[strcspn(b, "\n")] = '\0';
	for (size_t len = strlen(b); len && b[len - 1] == ' ';)
		b[--len] = '\0';
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p); /* a byte, not a character */
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Every column of the row but its bookkeeping (key, seen_level). */
static void json_row(FILE *f, sqlite3_stmt *st)
{
	for (int c = 0; c < sqlite3_column_count(st); c++) {
		const char *name = sqlite3_column_name(st, c);

		if (!strcmp(name, "key") || !strcmp(name, "seen_level"))
			continue;
		fputc(',', f);
		json_string(f, name);
		fputc(':', f);
		switch (sqlite3_column_type(st, c)) {
		case SQLITE_INTEGER:
			fprintf(f, "%lld", sqlite3_column_int64(st, c));
			break;
		case SQLITE_FLOAT:
			fprintf(f, "%.17g", sqlite3_column_double(st, c));
			break;
		case SQLITE_NULL:
			fputs("null", f);
			break;
		default:
			json_string(f, (const char *)sqlite3_column_text(st, c));
		}
	}
}

static void json_head(struct wt_live_out *o, const char *kind, int64_t ts)
{
	char wall[64];

	iso_text(o, ts, wall, sizeof(wall));
	fprintf(o->f, "{\"kind\":\"%s\",\"wall\":", kind);
	if (*wall)
		json_string(o->f, wall);
	else
		fputs("null", o->f);
}

/* ---- entry points --------------------------------------------------------- */

void wt_live_out_start(struct wt_live_out *o, const char *path,
		       int64_t start_ns)
{
	if (o->fmt != WT_LIVE_JSONL)
		return;
	json_head(o, "start", start_ns == WT_DB_NULL ? 0 : start_ns);
	fputs(",\"ts_ns\":", o->f);
	if (start_ns == WT_DB_NULL)
		fputs("null", o->f);
	else
		fprintf(o->f, "%" PRId64, start_ns);
	fputs(",\"file\":", o->f);
	json_string(o->f, path);
	fputs("}\n", o->f);
	done(o);
}

void wt_live_out_finding(struct wt_live_out *o, const struct wt_finding *f)
{
	char line[LINE_MAX], when[32];

	if (o->fmt == WT_LIVE_JSONL) {
		json_head(o, wt_live_kind_name(f->kind), f->ts_ns);
		json_row(o->f, f->st);
		fputs("}\n", o->f);
		done(o);
		return;
	}
	sentence(f, line, sizeof(line));
	clock_text(o, f->ts_ns, when, sizeof(when));
	if (!o->view) {
		fprintf(o->f, "%s %s\n", when, line);
		done(o);
		return;
	}
	snprintf(o->latest[o->head], LINE_MAX, "%s %s", when, line);
	o->head = (o->head + 1) % LATEST;
	if (o->nlatest < LATEST)
		o->nlatest++;
}

static void counts_line(FILE *f, const int64_t *counts)
{
	for (int k = 0; k < WT_LK_COUNT; k++)
		fprintf(f, "%s%s %" PRId64, k ? "  " : "", wt_live_kind_name(k),
			counts[k]);
	fputc('\n', f);
}

static void draw(struct wt_live_out *o, const struct wt_live_status *s)
{
	char age[32];

	fprintf(o->f, "wtrec live  %s  %.1f s  %" PRId64 " events  lost %s%"
		PRId64 "%s\n", s->path,
		s->start_ns != WT_DB_NULL && s->now_ns > s->start_ns ?
		(s->now_ns - s->start_ns) / 1e9 : 0.0, s->events,
		s->lost < 0 ? "(unknown " : "", s->lost < 0 ? 0 : s->lost,
		s->lost < 0 ? ")" : "");
	counts_line(o->f, s->counts);
	fprintf(o->f, "latest findings:\n");
	for (int i = 0; i < o->nlatest; i++)
		fprintf(o->f, "  %s\n", o->latest[(o->head - o->nlatest + i +
						   LATEST) % LATEST]);
	if (!o->nlatest)
		fprintf(o->f, "  (none)\n");
	fprintf(o->f, "zombies now: %" PRId64 "\n", s->zombies_total);
	for (int i = 0; i < s->nzombies; i++) {
		span(s->zombies[i].age_ns, age, sizeof(age));
		fprintf(o->f, "  pid %-7" PRId64 " %-15s %9s  parent %" PRId64
			" %s\n", s->zombies[i].pid, s->zombies[i].comm, age,
			s->zombies[i].ppid, s->zombies[i].parent_comm);
	}
	if (s->final)
		fprintf(o->f, "end of the recording (%s)\n", s->end_note);
}

void wt_live_out_view(struct wt_live_out *o, const struct wt_live_status *s)
{
	if (!o->view)
		return;
	fputs("\033[H\033[J", o->f);
	draw(o, s);
	done(o);
}

void wt_live_out_end(struct wt_live_out *o, const struct wt_live_status *s)
{
	if (o->view) {
		wt_live_out_view(o, s);
		return;
	}
	if (o->fmt == WT_LIVE_TEXT) {
		fprintf(o->f, "end of %s (%s): %" PRId64 " events, lost %" PRId64
			", zombies at end %" PRId64 "; findings: ", s->path,
			s->end_note, s->events, s->lost < 0 ? 0 : s->lost,
			s->zombies_total);
		counts_line(o->f, s->counts);
		if (s->late_events)
			fprintf(o->f, "%" PRId64 " events came after their time "
				"was promised complete: modeled out of order\n",
				s->late_events);
		done(o);
		return;
	}
	json_head(o, "end", s->now_ns);
	fprintf(o->f, ",\"ts_ns\":%" PRId64 ",\"file\":", s->now_ns);
	json_string(o->f, s->path);
	fprintf(o->f, ",\"how\":");
	json_string(o->f, s->end_note);
	fprintf(o->f, ",\"events\":%" PRId64 ",\"lost_events\":", s->events);
	if (s->lost < 0)
		fputs("null", o->f);
	else
		fprintf(o->f, "%" PRId64, s->lost);
	fprintf(o->f, ",\"zombies\":%" PRId64 ",\"late_events\":%" PRId64
		",\"findings\":{", s->zombies_total, s->late_events);
	for (int k = 0; k < WT_LK_COUNT; k++)
		fprintf(o->f, "%s\"%s\":%" PRId64, k ? "," : "",
			wt_live_kind_name(k), s->counts[k]);
	fputs("}}\n", o->f);
	done(o);
}
