/*
 * options.c - parse the `wtrec record` command line (see options.h).
 *
 * Every refusal is one line naming the offending option and value; the caller
 * adds the synopsis.  Numbers are parsed strictly (no trailing junk, no
 * negative values, no overflow) because a typo in -d or -b must not start a
 * recording that runs forever or allocates nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "options.h"
#include "wtfile.h"

const char wt_record_synopsis[] =
"usage: wtrec record [-o FILE] [-d SECONDS] [-p PID[,PID...]] [-b KB_PER_CPU]\n"
"                    [--cgroup PATH | --container ID]\n"
"                    [--max-size SIZE] [--backend auto|tracepoint|kprobe] [-q] [-h]\n"
"                    [--live [--live-format text|jsonl] [--zombie-age S]]\n"
"                    [--rotate SIZE|DURATION [--keep N]] [--codec zstd|zlib]\n"
"                    [--exit-status] [--dry-run] [-- COMMAND [ARGS...]]\n"
"       wtrec record --cleanup [-q]\n";

const char wt_record_help[] =
"Record wait4/waitid calls, forks, execs, exits and fatal signals into a\n"
".wtrec file for `wtrec analyze`.  Needs root and tracefs.\n"
"\n"
"Scope (pick one; default system-wide until Ctrl-C, SIGTERM or SIGHUP):\n"
"  -- COMMAND [ARGS...]  run COMMAND, trace it and its descendants, stop\n"
"                        when it exits\n"
"  -p, --pid PID[,PID]   trace these processes and their descendants\n"
"      --cgroup PATH     trace the processes of a cgroup (and of the cgroups\n"
"                        below it) and their descendants; PATH as in\n"
"                        /proc/PID/cgroup (looked up in cgroup v2 and the v1\n"
"                        pids hierarchy) or a directory under a cgroup mount.\n"
"                        Processes that enter it later (docker exec) are\n"
"                        picked up within 100 ms; their earlier events are\n"
"                        not recorded\n"
"      --container ID    the same for the cgroup of a container (docker,\n"
"                        containerd, cri-o, podman, runc, nspawn, lxc): its\n"
"                        id, or a unique prefix of 4 or more hex digits\n"
"\n"
"Options:\n"
"  -o, --output FILE     output file (default " WT_REC_DEFAULT_OUTPUT "; an existing\n"
"                        file is kept as FILE.old)\n"
"  -d, --duration SECS   stop after SECS seconds (may be fractional)\n"
"  -b, --buffer KB       ring buffer per CPU in KiB (default 32768)\n"
"      --max-size SIZE   stop cleanly (exit 1) once the file reaches SIZE\n"
"                        bytes (suffix k, M, G: powers of 1024); the file\n"
"                        ends a little past SIZE: what the ring buffers\n"
"                        still hold, the stop snapshot and the trailer\n"
"      --backend B       auto, tracepoint or kprobe (default auto): auto\n"
"                        uses kprobes when the kernel has kprobe_events\n"
"      --codec C         zstd or zlib (default zstd): how chunks are\n"
"                        compressed; zlib writes a format version 1 file,\n"
"                        which wtrec 0.1 also reads\n"
"      --live            print each finding while recording, within a second\n"
"                        of the event that decides it: steals, double waits,\n"
"                        auto-reaps, ECHILD of a wait for one child, zombies\n"
"                        (--zombie-age S old, default 1, then 2S, 4S...),\n"
"                        namespace inits not reaping, pollers, failed\n"
"                        forks, lost events\n"
"                        (`wtrec analyze --follow FILE` run alongside: on a\n"
"                        terminal a view redrawn every second)\n"
"      --live-format F   text (default) or jsonl: one JSON object a line\n"
"      --rotate SIZE|DURATION  flight recorder: write a numbered series\n"
"                        FILE.000001.wtrec, ... each file whole and self-\n"
"                        contained, a new one when this one would pass SIZE\n"
"                        (N, Nk, NM, NG) or is DURATION old (Ns, Nmin, Nh)\n"
"      --keep N          keep the newest N files of the series (disk use at\n"
"                        most N x SIZE), deleting the oldest; default all\n"
"      --dry-run         print every tracefs write the recording would make\n"
"                        (instance, probes, filters, events, scope) and the\n"
"                        cleanup after it, as shell commands; change nothing\n"
"      --exit-status     with -- COMMAND: exit with the command's status\n"
"                        (its exit code, 128 + N if killed by signal N)\n"
"                        once the recording itself went well\n"
"  -q, --quiet           no status line and no notes; the summary stays\n"
"  -h, --help            this text\n"
"      --cleanup         only remove what killed recorders left behind\n"
"                        (tracefs instances and kprobe groups of dead runs),\n"
"                        say what, exit 0\n"
"\n"
"Examples:\n"
"  wtrec record -o svc.wtrec -- ./my-service --flag   # a command and its children\n"
"  wtrec record -p 1234 -d 60                         # a running tree, 60 s\n"
"  wtrec record --exit-status -- make test            # in CI: fail as make fails\n"
"  wtrec record --container 7a5c3b2e9f00 -d 60        # one container, 60 s\n"
"  wtrec record -b 65536                              # whole system until Ctrl-C\n"
"  wtrec record --live -- ./my-service                # findings as they happen\n"
"  wtrec record --rotate 64M --keep 8 --live --live-format jsonl >> alerts.jsonl\n"
"  wtrec analyze svc.wtrec -r tree,zombies            # then, anywhere, no root\n";

enum { OPT_BACKEND = 256, OPT_CLEANUP, OPT_MAX_SIZE, OPT_DRY_RUN, OPT_CODEC,
       OPT_EXIT_STATUS, OPT_CGROUP, OPT_CONTAINER, OPT_LIVE, OPT_LIVE_FORMAT,
       OPT_ZOMBIE_AGE, OPT_ROTATE, OPT_KEEP };

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "duration", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "buffer", required_argument, NULL, 'b' },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "codec", required_argument, NULL, OPT_CODEC },
	{ "cleanup", no_argument, NULL, OPT_CLEANUP },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "exit-status", no_argument, NULL, OPT_EXIT_STATUS },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "container", required_argument, NULL, OPT_CONTAINER },
	{ "live", no_argument, NULL, OPT_LIVE },
	{ "live-format", required_argument, NULL, OPT_LIVE_FORMAT },
	{ "zombie-age", required_argument, NULL, OPT_ZOMBIE_AGE },
	{ "rotate", required_argument, NULL, OPT_ROTATE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* A command-line mistake: status 2 and the usage line after the message. */
static void bad(struct wt_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(struct wt_diag *d, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!d->status)
		d->hint = true;
	wt_diag_set(d, 2, "%s", msg);
}

static int parse_duration(struct wt_record_opts *o, const char *s,
			  struct wt_diag *d)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || isnan(v) || isinf(v)) {
		bad(d, "-d: '%s' is not a number of seconds", s);
		return -1;
	}
	if (v <= 0 || v > 366.0 * 24 * 3600) {
		bad(d, "-d: duration must be > 0 and at most a year, got '%s'", s);
		return -1;
	}
	o->duration = v;
	return 0;
}

/* Strict decimal: digits only, no sign, no overflow past @max. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "4096", "64k", "10M", "1G" (powers of 1024), > 0 and at most 1 PiB,
 * into *@out; -1 if it is not one. */
static int size_value(const char *s, unsigned long long *out)
{
	static const char units[] = "kKmMgG";
	unsigned long v;
	const char *u;
	char digits[24];
	size_t n = strspn(s, "0123456789");
	int shift = 0;

	if (n && n < sizeof(digits) && s[n] && !s[n + 1] &&
	    (u = strchr(units, s[n])) != NULL)
		shift = 10 * (int)(1 + (u - units) / 2);
	else if (s[n])
		n = 0;
	if (n && n < sizeof(digits)) {
		memcpy(digits, s, n);
		digits[n] = '\0';
	}
	if (!n || n >= sizeof(digits) || parse_ulong(digits, 1ul << 50, &v) < 0 ||
	    v == 0 || v > (1ul << 50) >> shift)
		return -1;
	*out = (unsigned long long)v << shift;
	return 0;
}

static int parse_size(struct wt_record_opts *o, const char *s,
		      struct wt_diag *d)
{
	if (size_value(s, &o->max_size) < 0) {
		bad(d, "--max-size: '%s' is not a size (N, Nk, NM or NG; > 0, "
		    "at most 1P)", s);
		return -1;
	}
	return 0;
}

/* A positive number of seconds, at most a year, into *@out. */
static int seconds_value(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || isnan(v) || isinf(v) || v <= 0 ||
	    v > 366.0 * 24 * 3600)
		return -1;
	*out = v;
	return 0;
}

/* --rotate: a DURATION ends in s, min, h or d; anything else is a SIZE
 * (so 10m is 10 MiB, as for --max-size). */
static int parse_rotate(struct wt_record_opts *o, const char *s,
			struct wt_diag *d)
{
	static const struct { const char *unit; double secs; } units[] = {
		{ "min", 60 }, { "s", 1 }, { "h", 3600 }, { "d", 86400 },
	};
	size_t len = strlen(s);

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t ul = strlen(units[i].unit);
		char num[32];

		if (len <= ul || strcmp(s + len - ul, units[i].unit) ||
		    len - ul >= sizeof(num))
			continue;
		memcpy(num, s, len - ul);
		num[len - ul] = '\0';
		if (strspn(num, "0123456789.") != len - ul ||
		    seconds_value(num, &o->rotate_secs) < 0 ||
		    (o->rotate_secs *= units[i].secs) < 1)
			break;
		return 0;
	}
	o->rotate_secs = 0;
	if (!strpbrk(s, "sSdDhH") && size_value(s, &o->rotate_size) == 0 &&
	    o->rotate_size >= WT_REC_ROTATE_MIN_SIZE)
		return 0;
	bad(d, "--rotate: '%s' is not a SIZE (N, Nk, NM, NG; at least %uk) or "
	    "a DURATION (Ns, Nmin, Nh, Nd; at least 1s)", s,
	    WT_REC_ROTATE_MIN_SIZE >> 10);
	return -1;
}

static int add_pid(struct wt_record_opts *o, const char *s, struct wt_diag *d)
{
	unsigned long v;

	if (parse_ulong(s, INT_MAX, &v) < 0 || v == 0) {
		bad(d, "-p: '%s' is not a process id", s);
		return -1;
	}
	if (kill((pid_t)v, 0) < 0 && errno == ESRCH) {
		/* not a typo but a fact about the system: no usage line */
		wt_diag_set(d, 2, "-p: no process with pid %lu", v);
		return -1;
	}
	if (wt_array_reserve(&o->pids, &o->pids_cap, o->npids + 1,
			     sizeof(*o->pids)) < 0) {
		wt_diag_errno(d, 1, "-p");
		return -1;
	}
	o->pids[o->npids++] = (pid_t)v;
	return 0;
}

/* "-p 12,34" and repeated -p both accumulate. */
static int parse_pids(struct wt_record_opts *o, const char *arg,
		      struct wt_diag *d)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	int ret = 0;

	if (!copy) {
		wt_diag_errno(d, 1, "-p");
		return -1;
	}
	if (!*arg || arg[strlen(arg) - 1] == ',' || *arg == ',' ||
	    strstr(arg, ",,")) {
		bad(d, "-p: '%s' is not a comma-separated list of pids", arg);
		ret = -1;
		goto out;
	}
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save))
		ret = add_pid(o, tok, d);
out:
	free(copy);
	return ret;
}

static int parse_backend(struct wt_record_opts *o, const char *s,
			 struct wt_diag *d)
{
	if (!strcmp(s, "auto"))
		o->backend = WT_BACKEND_AUTO;
	else if (!strcmp(s, "tracepoint"))
		o->backend = WT_BACKEND_TRACEPOINT;
	else if (!strcmp(s, "kprobe"))
		o->backend = WT_BACKEND_KPROBE;
	else {
		bad(d, "--backend: '%s' is not auto, tracepoint or kprobe", s);
		return -1;
	}
	return 0;
}

/* --cgroup PATH / --container ID: one of them, once, not empty; whether
 * it exists is the session's business (it needs the cgroup mounts). */
static int parse_cgroup(struct wt_record_opts *o, bool cgroup, const char *arg,
			struct wt_diag *d)
{
	const char *name = cgroup ? "--cgroup" : "--container";

	if (!*arg || strchr(arg, '\n')) {
		bad(d, "%s: '%s' is not a %s", name, arg,
		    cgroup ? "cgroup path" : "container id");
		return -1;
	}
	if (o->cgroup || o->container) {
		bad(d, "%s: give one --cgroup or --container", name);
		return -1;
	}
	if (cgroup)
		o->cgroup = arg;
	else
		o->container = arg;
	return 0;
}

static int parse_one(struct wt_record_opts *o, int c, const char *arg,
		     int badopt, const char *badarg, struct wt_diag *d)
{
	switch (c) {
	case 'o':
		if (!*arg) {
			bad(d, "-o: empty file name");
			return -1;
		}
		o->output = arg;
		return 0;
	case 'd':
		return parse_duration(o, arg, d);
	case 'p':
		return parse_pids(o, arg, d);
	case 'b':
		if (parse_ulong(arg, WT_REC_MAX_BUFFER_KB, &o->buffer_kb) < 0 ||
		    o->buffer_kb < 4) {
			bad(d, "-b: '%s' is not a buffer size in KiB (4..%u)",
				    arg, WT_REC_MAX_BUFFER_KB);
			return -1;
		}
		return 0;
	case OPT_BACKEND:
		return parse_backend(o, arg, d);
	case OPT_CODEC:
		c = wt_codec_by_name(arg);
		if (c < 0) {
			bad(d, "--codec: '%s' is not zstd or zlib", arg);
			return -1;
		}
		o->codec = (unsigned)c;
		return 0;
	case OPT_MAX_SIZE:
		return parse_size(o, arg, d);
	case OPT_CLEANUP:
		o->cleanup = true;
		return 0;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case OPT_EXIT_STATUS:
		o->exit_status = true;
		return 0;
	case OPT_CGROUP:
	case OPT_CONTAINER:
		return parse_cgroup(o, c == OPT_CGROUP, arg, d);
	case OPT_LIVE:
		o->live = true;
		return 0;
	case OPT_LIVE_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "jsonl")) {
			bad(d, "--live-format: '%s' is not text or jsonl", arg);
			return -1;
		}
		o->live_format = arg;
		return 0;
	case OPT_ZOMBIE_AGE:
		if (seconds_value(arg, &o->zombie_age) < 0) {
			bad(d, "--zombie-age: '%s' is not a number of seconds "
			    "> 0", arg);
			return -1;
		}
		return 0;
	case OPT_ROTATE:
		return parse_rotate(o, arg, d);
	case OPT_KEEP:
		/* 2: the file being written and the next one, prepared */
		if (parse_ulong(arg, 1000000, &o->keep) < 0 || o->keep < 2) {
			bad(d, "--keep: '%s' is not a number of files (2 or "
			    "more)", arg);
			return -1;
		}
		return 0;
	case 'q':
		o->quiet = true;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	case ':':
		if (badopt > 0 && badopt < 128)
			bad(d, "option -%c needs a value", badopt);
		else
			bad(d, "option %s needs a value", badarg);
		return -1;
	default:
		if (badopt > 0 && badopt < 128)
			bad(d, "unknown option -%c", badopt);
		else
			bad(d, "unknown option %s", badarg);
		return -1;
	}
}

static int check_scope(struct wt_record_opts *o, struct wt_diag *d)
{
	if (o->command && o->npids) {
		bad(d, "-p and a COMMAND cannot be combined");
		return -1;
	}
	if ((o->cgroup || o->container) && (o->command || o->npids)) {
		bad(d, "%s cannot be combined with %s",
		    o->cgroup ? "--cgroup" : "--container",
		    o->npids ? "-p" : "a COMMAND");
		return -1;
	}
	/* --cleanup records nothing: an option that shapes a recording is a
	 * mistake, not something to ignore */
	if (o->cleanup && (o->command || o->npids || o->duration > 0 ||
			   o->cgroup || o->container ||
			   o->max_size || strcmp(o->output, WT_REC_DEFAULT_OUTPUT) ||
			   o->buffer_kb != WT_REC_DEFAULT_BUFFER_KB ||
			   o->backend != WT_BACKEND_AUTO || o->dry_run ||
			   o->codec != WT_CODEC_DEFAULT || o->live ||
			   o->rotate_size || o->rotate_secs)) {
		bad(d, "--cleanup takes no other option than -q");
		return -1;
	}
	if (o->exit_status && !o->command) {
		bad(d, "--exit-status needs a COMMAND (-- COMMAND ARGS...)");
		return -1;
	}
	if ((o->live_format || o->zombie_age > 0) && !o->live) {
		bad(d, "--live-format and --zombie-age need --live");
		return -1;
	}
	if (o->keep && !o->rotate_size && !o->rotate_secs) {
		bad(d, "--keep needs --rotate");
		return -1;
	}
	if ((o->rotate_size || o->rotate_secs) && o->max_size) {
		bad(d, "--rotate and --max-size cannot be combined (--keep "
		    "bounds a series' size)");
		return -1;
	}
	if (o->command)
		o->scope = WT_SCOPE_COMMAND;
	else if (o->npids)
		o->scope = WT_SCOPE_PID;
	else if (o->cgroup || o->container)
		o->scope = WT_SCOPE_CGROUP;
	else
		o->scope = WT_SCOPE_SYSTEM;
	return 0;
}

int wt_record_opts_parse(struct wt_record_opts *o, int argc, char **argv,
			 struct wt_diag *d)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->output = WT_REC_DEFAULT_OUTPUT;
	o->buffer_kb = WT_REC_DEFAULT_BUFFER_KB;
	o->codec = WT_CODEC_DEFAULT;
	o->argc = argc;
	o->argv = argv;

	/* "+": stop at the first non-option, which starts the COMMAND */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:o:d:p:b:qh", longopts, NULL)) != -1) {
		if (parse_one(o, c, optarg, optopt, argv[optind - 1], d) < 0)
			goto fail;
		if (o->help)
			return 0;
	}
	if (optind < argc)
		o->command = argv + optind;
	else if (optind > 1 && !strcmp(argv[optind - 1], "--")) {
		bad(d, "'--' must be followed by a COMMAND");
		goto fail;
	}
	if (check_scope(o, d) < 0)
		goto fail;
	return 0;
fail:
	wt_record_opts_free(o);
	return -1;
}

void wt_record_opts_free(struct wt_record_opts *o)
{
	free(o->pids);
	o->pids = NULL;
	o->npids = 0;
	o->pids_cap = 0;
}
