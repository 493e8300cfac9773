/*
 * options.h - the `wtrec record` command line, parsed into a struct that the
 * session takes as its whole input.  Parsing touches nothing on the system
 * except looking up whether -p pids exist.
 */
#ifndef WT_REC_OPTIONS_H
#define WT_REC_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>

#include "diag.h"

#define WT_REC_DEFAULT_OUTPUT "wtrec.wtrec"

/*
 * Default ring buffer per CPU.  Measured on the 2-CPU test machine: a tight
 * wait4(-1, WNOHANG) loop (tests/record/pollloop.c) makes 1.1-1.8 M calls/s
 * while recorded, i.e. 2.2-3.6 M events/s or ~90-145 MB/s of ring buffer
 * (40 bytes per event on average).  With another process busy on the second
 * CPU, 1 s runs lost events in 3 of 8 runs at 8192 KiB and in none of 8 at
 * 16384 or 32768 KiB; 32768 keeps a margin for slower machines.  64 MiB of
 * kernel memory on 2 CPUs, freed when the instance is removed.
 */
#define WT_REC_DEFAULT_BUFFER_KB 32768
#define WT_REC_MAX_BUFFER_KB (1024 * 1024)

enum wt_backend {
	WT_BACKEND_AUTO,
	WT_BACKEND_TRACEPOINT,
	WT_BACKEND_KPROBE,
};

enum wt_scope {
	WT_SCOPE_SYSTEM,
	WT_SCOPE_PID,
	WT_SCOPE_COMMAND,
	WT_SCOPE_CGROUP,   /* --cgroup PATH or --container ID */
};

struct wt_record_opts {
	const char *output;     /* -o, or WT_REC_DEFAULT_OUTPUT */
	double duration;        /* -d seconds; 0 = until signaled */
	pid_t *pids;            /* -p list (malloc'd), npids entries */
	int npids;
	size_t pids_cap;        /* allocated entries of pids */
	const char *cgroup;     /* --cgroup PATH (points into argv) */
	const char *container;  /* --container ID (points into argv) */
	unsigned long buffer_kb;/* -b */
	enum wt_backend backend;
	unsigned codec;         /* --codec: enum wt_codec_id (wtfile.h) */
	bool quiet;             /* -q */
	bool help;              /* -h: print usage, exit 0 */
	bool cleanup;           /* --cleanup: remove leftovers of dead runs, exit */
	bool dry_run;           /* --dry-run: print the tracefs writes, touch nothing */
	bool exit_status;       /* --exit-status: exit with COMMAND's status */
	unsigned long long max_size; /* --max-size bytes; 0 = no limit */
	enum wt_scope scope;
	char **command;         /* argv after "--" (points into argv), or NULL */
	int argc;               /* the wtrec command line, for META cmdline */
	char **argv;
};

/*
 * Parse argv (argv[0] == "record").  Returns 0, or -1 with @d set (status 2,
 * a one-line message).  Free opts->pids with wt_record_opts_free(); the
 * other pointers point into argv, which must outlive @o.
 */
int wt_record_opts_parse(struct wt_record_opts *o, int argc, char **argv,
			 struct wt_diag *d);
void wt_record_opts_free(struct wt_record_opts *o);

/* The one-line synopsis and the full --help text. */
extern const char wt_record_synopsis[];
extern const char wt_record_help[];

#endif
