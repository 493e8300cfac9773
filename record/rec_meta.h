/*
 * rec_meta.h - the text of the META chunks a recording writes: the one at
 * start (host, kernel, clock anchor, scope, events...) and the one at stop.
 * Keys are listed in docs/FORMAT.md; a later META overrides earlier keys.
 */
#ifndef WT_REC_META_H
#define WT_REC_META_H

#include <stdint.h>

#include "wtfile.h"

struct wt_rec_start_info {
	const char *backend;        /* "tracepoint" | "kprobe" */
	/* kprobe backend: the kprobe_events definitions, as probe.N */
	const char *const *probes;
	int nprobes;
	int argc;                   /* the wtrec command line */
	char **argv;
	const char *scope;          /* system | pid | command | cgroup */
	const char *scope_pids;     /* comma list, "" for system */
	const char *scope_cgroup;   /* cgroup scope: "pids:/path,v2:/path" */
	const char *scope_container; /* --container: the id that matched */
	char **command;             /* traced command argv, or NULL */
	int cpus;                   /* per-CPU streams */
	int subbuf_size;
	unsigned long buffer_kb;
	uint64_t start_ns;          /* trace clock when tracing went on */
	const char *events;         /* comma list system:name */
	const char *missing_events;
	const char *series;         /* --rotate: the series id, or NULL */
	unsigned series_file;       /* ... and this file's number, from 1 */
	const char *wait_memory;    /* what of the callers' buffers is
				       recorded, and why (kprobe_backend.h) */
};

/*
 * Append "key=value\n" lines of the start META to @b, reading the clock
 * anchor (CLOCK_REALTIME and CLOCK_BOOTTIME back to back) now.
 * 0 or -1 (ENOMEM).
 */
int wt_rec_meta_start(struct wt_buf *b, const struct wt_rec_start_info *si);

/* Append the META of a series' file that begins later than its head was
 * written: start_ns and a new wall clock anchor (later keys win). */
int wt_rec_meta_restart(struct wt_buf *b, uint64_t start_ns);

/* Append the stop META: stop_ns, command_status, stop_reason. */
int wt_rec_meta_stop(struct wt_buf *b, uint64_t stop_ns,
		     const char *command_status, const char *stop_reason);

/*
 * Append @argv (NULL-terminated, or @argc entries when @argc >= 0) to @b
 * as one shell-quoted line: words needing it are single-quoted, words with
 * control characters use $'...' so the line stays one line.
 */
int wt_rec_shell_quote(struct wt_buf *b, int argc, char **argv);

/* CLOCK_BOOTTIME in ns: the "boot" trace clock. */
uint64_t wt_rec_trace_clock_ns(void);

#endif
