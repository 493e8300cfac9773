/*
 * analyze_cmd.c - `wtrec analyze FILE... [-o DB] [-r REPORT,...] [--sql Q]
 * [-f table|csv|json]`: decode recordings into one SQLite database (or use
 * a wtrec database as it is) and print reports.
 *
 * Steps: parse options -> classify inputs (recording or wtrec database) ->
 * load every recording into a database under a temporary name (in -o's
 * directory, renamed to -o only when complete; without -o in $TMPDIR,
 * removed at exit) -> reopen it read-only -> print the reports.
 *
 * Exit status: 0 ok; 1 an input was damaged (what was read is analyzed);
 * 2 usage error, unreadable input, or a database of another schema;
 * 130 interrupted.  Nothing partial is ever left at -o.
 */
#include "model.h"
#include "analyze_cmd.h"
#include "db.h"
#include "decode.h"
#include "export.h"
#include "atomic_file.h"
#include "html.h"
#include "follow.h"
#include "series.h"
#include "live.h"
#include "result_format.h"
#include "progress.h"
#include "report.h"
#include "scope.h"
#include "shell.h"
#include "timeline.h"
#include "sql_embed.h"
#include "wtfile.h"
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: wtrec analyze FILE... [-o DB] [-r REPORT[,REPORT...]] [--sql QUERY]\n"
"                     [-f table|csv|json|jsonl] [--dir DIR]\n"
"                     [--timeline OUT.json] [--html OUT.html]\n"
"                     [--since S] [--until S] [--pid PID]\n"
"                     [--export DIR [--export-format csv|jsonl]]\n"
"                     [--shell [--rw]] [--container ID|CGROUP]\n"
"\n"
"Decode .wtrec recordings into one SQLite database and print reports.\n"
"A FILE may also be a database written by `wtrec analyze -o` (used as is).\n"
"\n"
"  -o, --output DB     keep the database at DB (default: temporary)\n"
"  -r, --report NAMES  reports to print, comma-separated (default: summary)\n"
"      --sql QUERY     run a read-only SQL query over the database\n"
"  -f, --format FMT    table (default), csv, json or jsonl; csv/json/jsonl\n"
"                      hold one result set: several need --dir\n"
"      --dir DIR       write each report to DIR/NAME.FMT (txt for tables)\n"
"      --timeline OUT  write a Chrome/Perfetto trace-event JSON timeline\n"
"                      to OUT (\"-\": stdout); open it in ui.perfetto.dev\n"
"                      or, offline, in speedscope\n"
"      --html OUT      write the incident report: one self-contained HTML\n"
"                      file (findings, process tree, timeline) to OUT\n"
"      --since S, --until S  --timeline/--html: only seconds S.. / ..S from\n"
"                      the start of the recording\n"
"      --pid PID       --timeline/--html: only pid PID, its parent and its\n"
"                      children\n"
"      --export DIR    write every table as DIR/TABLE.csv (or .jsonl)\n"
"      --export-format FMT  csv (default) or jsonl, for --export\n"
"      --shell         open the sqlite3 shell on the database, read-only;\n"
"                      every report a view report_NAME (SELECT * FROM\n"
"                      report_zombies;)\n"
"      --rw            with --shell: let the shell write the database\n"
"      --container X   cut the tree and containers reports to one container:\n"
"                      its id (or a prefix of 4+ hex digits) or its cgroup\n"
"                      path (and the cgroups below it; pids:/P or v2:/P for\n"
"                      one hierarchy)\n"
"  -h, --help          this help\n"
"\n"
"Following a recording while `wtrec record` writes it (like tail -f):\n"
"      --follow        FILE is being written: print each finding as soon as\n"
"                      it is known (steal, double wait, auto-reap, ECHILD of\n"
"                      a targeted wait, zombie, init not reaping, poller,\n"
"                      failed fork, lost events) until the recording is\n"
"                      complete; the database (-o, reports) is then the\n"
"                      offline one\n"
"      --live-format F text (default; on a terminal a view redrawn every\n"
"                      second) or jsonl (one JSON object a line, field kind)\n"
"      --zombie-age S  report a zombie once S seconds old (default 1), then\n"
"                      at 2S, 4S, ...\n"
"      --writer-pid P  stop when process P (the recorder) is gone\n"
"      --live-db DB    keep the live findings' own database at DB\n"
"\n"
"The summary is printed when neither -r, --sql, --timeline, --html,\n"
"--export, --shell nor --follow is given.  On a terminal a progress line shows for\n"
"slow files.\n"
"\n"
"Examples:\n"
"  wtrec analyze wtrec.wtrec                      # summary\n"
"  wtrec analyze wtrec.wtrec -r tree,stolen,zombies\n"
"  wtrec analyze wtrec.wtrec -r containers        # zombies, PID 1, EAGAIN\n"
"  wtrec analyze wtrec.wtrec -r tree --container 7a5c3b2e9f00\n"
"  wtrec analyze wtrec.wtrec -o wait.db           # keep the SQLite model\n"
"  wtrec analyze wait.db --sql \"SELECT * FROM wait_call WHERE ret < 0\" -f csv\n"
"  wtrec analyze wait.db -r zombies,stolen -f json --dir out/\n"
"  wtrec analyze wtrec.wtrec --html incident.html # attach it to the ticket\n"
"  wtrec analyze wtrec.wtrec --timeline wait.json # then ui.perfetto.dev\n"
"  wtrec analyze wait.db --timeline w.json --pid 1234 --since 2 --until 3\n"
"  wtrec analyze wait.db --export out/ --export-format jsonl\n"
"  wtrec analyze wait.db --shell\n"
"  wtrec analyze --follow svc.wtrec --live-format jsonl | my-alerting\n"
"\n"
"Exit status: 0 ok, 1 damaged input (partly analyzed), 2 error.\n";

struct analyze_opts {
	char **files;
	int nfiles;
	const char *out;
	char *reports[64];
	int nreports;
	const char *sql;
	enum wt_format fmt;
	const char *dir;          /* --dir DIR: one file per report */
	const char *timeline;     /* --timeline FILE */
	const char *html;         /* --html FILE */
	struct wt_window win;     /* --since, --until, --pid */
	const char *export_dir;   /* --export DIR */
	enum wt_export_format export_fmt;
	bool shell;               /* --shell */
	bool shell_rw;            /* --rw: the shell may write the database */
	const char *container;    /* --container: the tree/containers cut */
	bool follow;              /* --follow */
	enum wt_live_format live_fmt;
	double zombie_age;        /* --zombie-age, seconds */
	pid_t writer_pid;         /* --writer-pid */
	const char *live_db;      /* --live-db */
};

/* SIGINT, SIGTERM and SIGHUP are caught from the first file created to
 * the last one removed: the loaders poll @interrupted, and so does every
 * query on a read connection (stop_query), which then fails with
 * SQLITE_INTERRUPT.  Polling, not sqlite3_interrupt() from the handler: a
 * signal that came before a statement started would be lost. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* SQLite's progress handler: non-zero stops the running statement. */
static int stop_query(void *ctx)
{
	(void)ctx;
	return interrupted;
}

/* A read connection to @path whose queries stop when interrupted; NULL
 * with @err set. */
static sqlite3 *open_interruptible(const char *path, char *err,
				  size_t errlen)
{
	sqlite3 *h = wt_db_open_readonly(path, err, errlen);

	if (h)
		sqlite3_progress_handler(h, 1000, stop_query, NULL);
	return h;
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("wtrec analyze: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n(see `wtrec analyze --help`)\n", stderr);
	return 2;
}

static int bad_report(const char *name)
{
	fprintf(stderr, "wtrec analyze: unknown report '%s'; reports: ", name);
	wt_report_list(stderr);
	fputs("\n(see `wtrec analyze --help`)\n", stderr);
	return 2;
}

/* "1", "0.5": seconds > 0, at most a year. */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !(v > 0) || v > 366.0 * 24 * 3600)
		return -1;
	*out = v;
	return 0;
}

static int parse_pid(const char *s, pid_t *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v <= 0 || v > INT32_MAX)
		return -1;
	*out = (pid_t)v;
	return 0;
}

/* Split "a,b" into opts->reports (pointers into @arg, which is modified). */
static int add_reports(struct analyze_opts *o, char *arg)
{
	for (char *save = NULL, *t = strtok_r(arg, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (!wt_report_exists(t))
			return bad_report(t);
		if (o->nreports == (int)(sizeof(o->reports) /
					 sizeof(o->reports[0])))
			return usage_error("too many reports%s", "");
		o->reports[o->nreports++] = t;
	}
	return 0;
}

/* --since S, --until S, --pid PID into @o->win; 0 or 2 (usage error). */
static int parse_window(struct analyze_opts *o, int c, const char *arg)
{
	struct wt_window *w = &o->win;
	char *end;
	if (c == 'p') {
		long pid = strtol(arg, &end, 10);
		if (end == arg || *end || pid <= 0 || pid > 0x7fffffff)
			return usage_error("--pid '%s': not a pid", arg);
		w->pid = (int)pid;
		w->pid_set = true;
		return 0;
	}
	double *v = c == 's' ? &w->since_s : &w->until_s;
	if (wt_window_parse_seconds(arg, v) < 0)
		return usage_error("'%s': not a number of seconds", arg);
	*(c == 's' ? &w->since_set : &w->until_set) = true;
	return 0;
}

/* The long options without a letter of their own. */
enum { OPT_FOLLOW = 256, OPT_LIVE_FORMAT, OPT_ZOMBIE_AGE, OPT_WRITER_PID,
       OPT_LIVE_DB };

/* 0 ok, 1 = help printed, 2 = usage error. */
static int parse_args(int argc, char **argv, struct analyze_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "report", required_argument, NULL, 'r' },
		{ "sql", required_argument, NULL, 'S' },
		{ "format", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'D' },
		{ "timeline", required_argument, NULL, 'T' },
		{ "html", required_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, 'p' },
		{ "export", required_argument, NULL, 'E' },
		{ "export-format", required_argument, NULL, 'F' },
		{ "shell", no_argument, NULL, 'L' },
		{ "rw", no_argument, NULL, 'W' },
		{ "container", required_argument, NULL, 'C' },
		{ "follow", no_argument, NULL, OPT_FOLLOW },
		{ "live-format", required_argument, NULL, OPT_LIVE_FORMAT },
		{ "zombie-age", required_argument, NULL, OPT_ZOMBIE_AGE },
		{ "writer-pid", required_argument, NULL, OPT_WRITER_PID },
		{ "live-db", required_argument, NULL, OPT_LIVE_DB },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	opterr = 0;
	optind = 1;
	/* leading ':': a missing value is ':' rather than '?' */
	while ((c = getopt_long(argc, argv, ":o:r:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->out = optarg; break;
		case 'S': o->sql = optarg; break;
		case 'D': o->dir = optarg; break;
		case 'T': o->timeline = optarg; break;
		case 'H': o->html = optarg; break;
		case 's':
		case 'u':
		case 'p':
			if ((rc = parse_window(o, c, optarg)))
				return rc;
			break;
		case 'E': o->export_dir = optarg; break;
		case 'L': o->shell = true; break;
		case 'W': o->shell_rw = true; break;
		case 'C': o->container = optarg; break;
		case OPT_FOLLOW: o->follow = true; break;
		case OPT_LIVE_DB: o->live_db = optarg; break;
		case OPT_LIVE_FORMAT:
			if (wt_live_format_parse(optarg, &o->live_fmt) < 0)
				return usage_error("unknown live format '%s' "
						   "(text or jsonl)", optarg);
			break;
		case OPT_ZOMBIE_AGE:
			if (parse_seconds(optarg, &o->zombie_age) < 0)
				return usage_error("--zombie-age: '%s' is not a "
						   "number of seconds > 0", optarg);
			break;
		case OPT_WRITER_PID:
			if (parse_pid(optarg, &o->writer_pid) < 0)
				return usage_error("--writer-pid: '%s' is not a "
						   "process id", optarg);
			break;
		case 'F':
			if (wt_export_format_parse(optarg, &o->export_fmt) < 0)
				return usage_error("unknown export format '%s' "
						   "(csv or jsonl)", optarg);
			break;
		case 'r':
			if ((rc = add_reports(o, optarg)))
				return rc;
			break;
		case 'f':
			if (wt_format_parse(optarg, &o->fmt) < 0)
				return usage_error("unknown format '%s' "
						   "(table, csv, json or "
						   "jsonl)", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("Reports: ", stdout);
			wt_report_list(stdout);
			fputs(" (sql/NAME.sql).\n", stdout);
			return 1;
		case ':':
			return usage_error("option '%s' needs a value",
					   argv[optind - 1]);
		default:
			return usage_error("bad option '%s'", argv[optind - 1]);
		}
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (o->shell_rw && !o->shell)
		return usage_error("--rw goes with --shell%s", "");
	if ((o->win.since_set || o->win.until_set || o->win.pid_set) &&
	    !o->timeline && !o->html)
		return usage_error("--since, --until and --pid go with "
				   "--timeline or --html%s", "");
	if (o->win.since_set && o->win.until_set &&
	    o->win.until_s <= o->win.since_s)
		return usage_error("--until must come after --since%s", "");
	if (o->nfiles == 0)
		return usage_error("no input FILE%s", "");
	if (o->follow && o->nfiles > 1)
		return usage_error("--follow takes one FILE (a --rotate series "
				   "is followed from its first)%s", "");
	if (!o->follow && (o->live_db || o->writer_pid))
		return usage_error("--live-db and --writer-pid need --follow%s",
				   "");
	if (!o->nreports && !o->sql && !o->timeline && !o->export_dir &&
	    !o->shell && !o->html && !o->follow)
		o->reports[o->nreports++] = "summary";
	return 0;
}

/* ---- loading recordings ------------------------------------------------- */

struct load_ctx {
	struct wt_model *m;
	const char *path;
	struct wt_progress prog; /* the terminal's progress line */
};

/* Event callback: the model's, unless Ctrl-C asked us to stop. */
static int sink_event(void *ctx, const struct wt_event *ev)
{
	struct load_ctx *c = ctx;
	if (interrupted)
		return -1;
	c->prog.events++;
	return wt_model_event(c->m, ev);
}

static int sink_meta(void *ctx, const char *k, const char *v)
{
	return wt_model_meta(((struct load_ctx *)ctx)->m, k, v);
}

static int sink_proc(void *ctx, const struct wt_proc_entry *p)
{
	return wt_model_proc(((struct load_ctx *)ctx)->m, p);
}

static int sink_stats(void *ctx, const struct wt_cpu_stats *s)
{
	return wt_model_stats(((struct load_ctx *)ctx)->m, s);
}

static int sink_cgroup(void *ctx, const struct wt_cgroup_entry *e)
{
	return wt_model_cgroup(((struct load_ctx *)ctx)->m, e);
}

/* The decoder passes the sink's ctx. */
static void show_progress(void *ctx, uint64_t done, uint64_t total)
{
	wt_progress_update(&((struct load_ctx *)ctx)->prog, done, total);
}

/*
 * Decode @paths (one file, or @n files of a --rotate series: one
 * recording named after the first) into @db.  Returns 0 ok, 1 damaged
 * (partly read), 2 when a file could not be read or loading failed
 * (message printed).
 */
static int load_file(struct wt_db *db, char *const *paths, size_t n)
{
	const char *path = paths[0];
	char err[512] = "";
	struct wt_decode_result res;
	struct load_ctx ctx = { wt_model_new(db, path), path, { 0 } };
	struct wt_sink sink = { &ctx, sink_meta, sink_proc, sink_event,
				sink_stats, sink_cgroup };
	int rc = 2;
	memset(&res, 0, sizeof(res));
	if (!ctx.m) {
		fprintf(stderr, "wtrec analyze: out of memory\n");
		return 2;
	}
	wt_progress_start(&ctx.prog, stderr, path); /* only on a terminal */
	/* a series' kernel counters are cumulative: its last file's */
	wt_progress_expect(&ctx.prog, paths[n - 1]);
	int drc = wt_decode_series(paths, n, path, &sink, &res, show_progress,
				   err, sizeof(err));
	wt_progress_end(&ctx.prog);
	if (drc < 0) {
		const char *merr = wt_model_error(ctx.m);
		const char *why = interrupted ? "interrupted" :
				  *merr ? merr : err;
		fprintf(stderr, "wtrec analyze: %s%s%s\n",
			strstr(why, path) ? "" : path,
			strstr(why, path) ? "" : ": ", why);
		goto out;
	}
	if (wt_model_finish(ctx.m, &res) < 0) {
		fprintf(stderr, "wtrec analyze: %s: %s\n", path,
			wt_model_error(ctx.m));
		goto out;
	}
	rc = 0;
	if (res.damaged) {
		/* The decoder's message names the file and the offset. */
		fprintf(stderr, "wtrec analyze: %s%s%s (damaged; analyzed what "
			"was read)\n", strstr(res.damage, path) ? "" : path,
			strstr(res.damage, path) ? "" : ": ", res.damage);
		rc = 1;
	}
out:
	wt_model_free(ctx.m);
	return rc;
}

/* A temporary database name: next to @out (so the final rename stays in
 * one file system), or in $TMPDIR.  Creates the empty file; NULL on
 * failure (message printed). */
static char *temp_db(const char *out)
{
	char *name = NULL;
	if (out) {
		name = wt_atomic_file_temp_name(out);
	} else {
		const char *dir = getenv("TMPDIR");
		if (asprintf(&name, "%s/wtrec-analyze-XXXXXX",
			     dir && *dir ? dir : "/tmp") < 0)
			name = NULL;
	}
	if (!name) {
		fprintf(stderr, "wtrec analyze: out of memory\n");
		return NULL;
	}
	int fd = mkstemp(name);
	if (fd < 0) {
		fprintf(stderr, "wtrec analyze: %s%s%scannot create %s: %s\n",
			out ? "-o " : "", out ? out : "", out ? ": " : "", name,
			strerror(errno));
		free(name);
		return NULL;
	}
	close(fd);
	return name;
}

/* Say what a follow could not do: @what names the step. */
static int follow_failed(const char *path, const char *why)
{
	fprintf(stderr, "wtrec analyze: %s%s%s\n", strstr(why, path) ? "" : path,
		strstr(why, path) ? "" : ": ", why);
	return 2;
}

/* How the followed recording ended, for its end line. */
static const char *follow_end(const struct wt_decode_result *res)
{
	return res->complete ? "complete" : res->damaged ? "damaged"
							 : "incomplete";
}

/*
 * --follow: follow the recording into @db and print the live findings.
 * Returns like load_file() (0, 1 damaged, 2), or 130 when interrupted.
 */
static int follow_into(const struct analyze_opts *o, struct wt_db *db)
{
	char err[512] = "";
	struct wt_decode_result res;
	const char *path = o->files[0];
	struct wt_live_opts lo = {
		.out = stdout, .fmt = o->live_fmt,
		.view = o->live_fmt == WT_LIVE_TEXT && isatty(STDOUT_FILENO),
		.zombie_age_s = o->zombie_age > 0 ? o->zombie_age : 1.0,
		.path = path, .db_path = o->live_db,
	};
	struct wt_model *m = wt_model_new(db, path);
	struct wt_live *lv = m ? wt_live_new(&lo, err, sizeof(err)) : NULL;
	int rc = 2;

	memset(&res, 0, sizeof(res));
	if (!m || !lv) {
		follow_failed(path, *err ? err : "out of memory");
		goto out;
	}
	wt_live_attach(lv, m);
	struct wt_follow_opts fo = { path, o->writer_pid, &interrupted,
				     wt_live_hooks(lv) };
	int frc = wt_follow(&fo, m, &res, err, sizeof(err));
	if (frc == 130) {
		fprintf(stderr, "wtrec analyze: interrupted\n");
		rc = 130;
		goto out;
	}
	if (frc == 2) {
		follow_failed(path, *wt_live_error(lv) ? wt_live_error(lv) : err);
		goto out;
	}
	if (wt_model_finish(m, &res) < 0) {
		follow_failed(path, wt_model_error(m));
		goto out;
	}
	if (wt_live_finish(lv, follow_end(&res), res.late_events, err,
			   sizeof(err)) < 0) {
		follow_failed(path, err);
		goto out;
	}
	if (frc == 1)
		fprintf(stderr, "wtrec analyze: %s%s%s (damaged; analyzed what "
			"was read)\n", strstr(res.damage, path) ? "" : path,
			strstr(res.damage, path) ? "" : ": ", res.damage);
	rc = frc;
out:
	wt_live_free(lv);
	wt_model_free(m);
	return rc;
}

/* --follow without a database to keep: ids only. */
static int follow_only(const struct analyze_opts *o)
{
	char err[512];
	struct wt_db *db = wt_db_create(NULL, err, sizeof(err));
	int rc;

	if (!db) {
		fprintf(stderr, "wtrec analyze: %s\n", err);
		return 2;
	}
	rc = follow_into(o, db);
	wt_db_close(db);
	return rc;
}

/* Does the run need a database (something to print or keep from it)? */
static bool needs_db(const struct analyze_opts *o)
{
	return o->out || o->nreports || o->sql || o->timeline ||
	       o->export_dir || o->shell;
}

/* Load every recording into the new database @path.  Returns the worst
 * of load_file()'s statuses (2 stops at once). */
static int load_all(const struct analyze_opts *o, const char *path)
{
	char err[512];
	struct wt_db *db = wt_db_create(path, err, sizeof(err));
	int worst = 0;
	if (!db) {
		fprintf(stderr, "wtrec analyze: %s\n", err);
		return 2;
	}
	if (o->follow)
		worst = follow_into(o, db);
	/* the files of a series, given in order, are one recording */
	for (int i = 0, n; !o->follow && i < o->nfiles && worst < 2; i += n) {
		n = (int)wt_series_run(o->files + i, (size_t)(o->nfiles - i));
		int rc = load_file(db, o->files + i, (size_t)n);
		worst = rc > worst ? rc : worst;
	}
	if (worst < 2 && !interrupted && wt_db_finish_load(db) < 0) {
		fprintf(stderr, "wtrec analyze: %s: %s\n", path,
			wt_db_error(db));
		worst = 2;
	}
	wt_db_close(db);
	return worst;
}

/* Copy the database @src to @dst (the -o of a database input). */
static int copy_db(const char *src, const char *dst)
{
	sqlite3 *from = NULL, *to = NULL;
	int rc = -1;
	if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) ||
	    sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE, NULL))
		goto out;
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (b) {
		sqlite3_backup_step(b, -1);
		if (sqlite3_backup_finish(b) == SQLITE_OK)
			rc = 0;
	}
out:
	if (rc < 0)
		fprintf(stderr, "wtrec analyze: cannot copy %s to %s: %s\n",
			src, dst, to ? sqlite3_errmsg(to) : "cannot open");
	sqlite3_close(from);
	sqlite3_close(to);
	return rc;
}

/* ---- reports ------------------------------------------------------------ */

/* -r and --sql.  0 ok, 2 failed, 130 interrupted (message printed). */
static int run_reports(const struct analyze_opts *o, const char *dbpath)
{
	char err[512];
	struct wt_report_batch b = { 0 };
	int rc = 2;
	sqlite3 *h = open_interruptible(dbpath, err, sizeof(err));
	if (!h) {
		fprintf(stderr, "wtrec analyze: %s\n", err);
		return 2;
	}
	if (o->container) {
		int n = wt_scope_container(h, o->container, err, sizeof(err));
		if (n < 0)
			goto fail;
		if (n == 0) {
			snprintf(err, sizeof(err), "--container %s: no process "
				 "of the recording is in it", o->container);
			goto fail;
		}
	}
	for (int i = 0; i < o->nreports; i++)
		if (wt_report_add(&b, h, o->reports[i],
				  wt_sql_get(o->reports[i]), err,
				  sizeof(err)) < 0)
			goto fail;
	if (o->sql && wt_report_add(&b, h, "sql", o->sql, err,
				    sizeof(err)) < 0)
		goto fail;
	if (b.n > 1 && o->fmt != WT_FMT_TABLE && !o->dir) {
		/* one CSV/JSON stream holds one result set of one shape */
		fprintf(stderr, "wtrec analyze: -f %s prints one result set and "
			"this asks for %d; give --dir DIR to write one file "
			"per report\n", wt_format_ext(o->fmt), b.n);
		rc = 2;
		goto out;
	}
	wt_report_warn(h, stderr);
	if (o->dir ? wt_report_write_dir(&b, o->dir, o->fmt, err,
					 sizeof(err)) < 0 :
		     wt_report_print(&b, stdout, o->fmt, err, sizeof(err)) < 0)
		goto fail;
	if (o->dir)
		fprintf(stderr, "wtrec analyze: wrote %d %s file%s to %s\n",
			b.n, wt_format_ext(o->fmt), b.n == 1 ? "" : "s",
			o->dir);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "wtrec analyze: %s\n", interrupted ? "interrupted"
							   : err);
out:
	wt_report_batch_free(&b);
	sqlite3_close(h);
	return rc && interrupted ? 130 : rc;
}

/* --timeline, --html and --export.  0 ok, 2 failed, 130 interrupted
 * (message printed; an interrupted file is not left behind). */
static int run_exports(const struct analyze_opts *o, const char *dbpath)
{
	char err[512];
	int rc = 2, ntables = 0;
	if (!o->timeline && !o->export_dir && !o->html)
		return 0;
	sqlite3 *h = open_interruptible(dbpath, err, sizeof(err));
	if (!h)
		goto fail;
	/* These two open connections of their own, stopped by the same
	 * signal flag as ours (stop_query). */
	if (o->timeline && wt_timeline_write(dbpath, o->timeline, &o->win,
					     stop_query, err,
					     sizeof(err)) < 0)
		goto fail;
	if (!interrupted && o->html && wt_html_write(dbpath, o->html, &o->win,
						     stop_query, err,
						     sizeof(err)) < 0)
		goto fail;
	if (interrupted)
		goto fail;
	if (o->export_dir && wt_export_write(h, o->export_dir, o->export_fmt,
					     &ntables, err, sizeof(err)) < 0)
		goto fail;
	if (o->export_dir)
		fprintf(stderr, "wtrec analyze: exported %d tables to %s\n",
			ntables, o->export_dir);
	rc = 0;
	goto out;
fail:
	if (interrupted) {
		snprintf(err, sizeof(err), "interrupted");
		rc = 130;
	}
	fprintf(stderr, "wtrec analyze: %s\n", err);
out:
	sqlite3_close(h);
	return rc;
}

/* ---- entry -------------------------------------------------------------- */

/* -o may replace a wtrec database, never anything else (such as the
 * recording being analyzed).  0 ok, 2 refused (message printed). */
static int check_output(const struct analyze_opts *o)
{
	char err[512];
	if (o->live_db && access(o->live_db, F_OK) == 0 &&
	    (!strcmp(o->live_db, o->files[0]) ||
	     wt_db_probe(o->live_db, err, sizeof(err)) != 1)) {
		fprintf(stderr, "wtrec analyze: refusing to overwrite %s: not "
			"a wtrec database\n", o->live_db);
		return 2;
	}
	if (!o->out || access(o->out, F_OK) < 0)
		return 0;
	for (int i = 0; i < o->nfiles; i++)
		if (!strcmp(o->files[i], o->out)) {
			fprintf(stderr, "wtrec analyze: -o %s is also an "
				"input\n", o->out);
			return 2;
		}
	if (wt_db_probe(o->out, err, sizeof(err)) != 1) {
		fprintf(stderr, "wtrec analyze: refusing to overwrite %s: not "
			"a wtrec database\n", o->out);
		return 2;
	}
	return 0;
}

/* 1 if every input is a wtrec database (then it must be alone), 0 if all
 * are recordings, 2 on error (message printed). */
static int classify_inputs(const struct analyze_opts *o)
{
	char err[512];
	int dbs = 0, db = -1;
	for (int i = 0; i < o->nfiles; i++) {
		int k = wt_db_probe(o->files[i], err, sizeof(err));
		/* a recording must at least have a good header: refuse it
		 * before any temporary database is created */
		struct wt_reader *r = k == 0 ? wt_reader_open(o->files[i], err,
							      sizeof(err)) : NULL;
		if (k < 0 || (k == 0 && !r)) {
			fprintf(stderr, "wtrec analyze: %s\n", err);
			return 2;
		}
		wt_reader_close(r);
		dbs += k;
		if (k && db < 0)
			db = i;
	}
	if (dbs && o->nfiles > 1) {
		fprintf(stderr, "wtrec analyze: %s: a database input must be "
			"the only FILE\n", o->files[db]);
		return 2;
	}
	return dbs ? 1 : 0;
}

/* Produce the database to report on; *@dbpath is malloc'ed, *@tmp says
 * whether to remove it at the end. */
static int build_db(const struct analyze_opts *o, int kind, char **dbpath,
		    bool *tmp)
{
	*tmp = false;
	if (kind == 1 && !o->out)
		return (*dbpath = strdup(o->files[0])) ? 0 : 2;
	char *name = temp_db(o->out);
	if (!name)
		return 2;
	int rc = kind == 1 ? (copy_db(o->files[0], name) < 0 ? 2 : 0) :
			     load_all(o, name);
	if (rc >= 2 || interrupted) {
		unlink(name);
		free(name);
		return interrupted ? 130 : rc;
	}
	if (o->out) {
		if (rename(name, o->out) < 0) {
			fprintf(stderr, "wtrec analyze: cannot create %s: %s\n",
				o->out, strerror(errno));
			unlink(name);
			free(name);
			return 2;
		}
		free(name);
		name = strdup(o->out);
	} else {
		*tmp = true;
	}
	*dbpath = name;
	return name ? rc : 2;
}

int wt_analyze_main(int argc, char **argv)
{
	struct analyze_opts o = { .fmt = WT_FMT_TABLE };
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc == 1 ? 0 : rc;
	int kind = classify_inputs(&o);
	if (kind == 2 || check_output(&o))
		return 2;
	/* caught until the temporary database is removed (--shell hands
	 * them to sqlite3 while it runs) */
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	for (int i = 0; i < 3; i++) {
		sigaction(sigs[i], NULL, &old[i]);
		/* ignored when we started (record --live's follower: its
		 * recorder ends the follow): stays ignored */
		if (old[i].sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
	if (o.follow && kind == 1) {
		fprintf(stderr, "wtrec analyze: --follow needs a recording, "
			"%s is a database\n", o.files[0]);
		return 2;
	}
	if (o.follow && !needs_db(&o)) {
		rc = follow_only(&o);
		for (int i = 0; i < 3; i++)
			sigaction(sigs[i], &old[i], NULL);
		return rc;
	}
	char *dbpath = NULL;
	bool tmp = false;
	int rrc = 0;
	rc = build_db(&o, kind, &dbpath, &tmp);
	if (rc < 2)
		rrc = run_reports(&o, dbpath);
	if (rc < 2 && !rrc)
		rrc = run_exports(&o, dbpath);
	if (rc < 2 && !rrc && interrupted) {
		/* between two queries: nothing failed, but stop here */
		fprintf(stderr, "wtrec analyze: interrupted\n");
		rrc = 130;
	}
	if (rc < 2 && !rrc && o.shell) {
		char err[512];
		if ((rrc = wt_shell_run(dbpath, tmp, o.shell_rw, err,
					   sizeof(err))) < 0) {
			fprintf(stderr, "wtrec analyze: %s\n", err);
			rrc = 2;
		}
	}
	if (tmp)
		unlink(dbpath);
	free(dbpath);
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	if (rc >= 2)
		return rc;
	return rrc ? rrc : rc;
}
