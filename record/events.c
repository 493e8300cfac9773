/*
 * events.c - which events wtrec records and how they are enabled (see
 * events.h).
 *
 * Events are enabled one by one by exact name: tracefs_event_enable() takes
 * anchored regular expressions, and every name here is a literal.  Filters
 * are written before the event is enabled, so signal_generate never records
 * an unfiltered burst.  An event whose filter the kernel refuses is treated
 * as missing: recording every signal would swamp the buffer.
 *
 * Every write goes through the instance's tfs_ops (real, or printed by
 * --dry-run).  The kprobe backend's probe events take the place of the
 * syscall wait tracepoints (rows marked wait_tp).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tracefs.h>

#include "events.h"
#include "instance.h"
#include "rec_file.h"
#include "sigtab.h"
#include "tfs_ops.h"

/*
 * signal_generate is filtered to SIGCHLD (a child became reapable; its
 * result shows a parent that ignores it, and its target the parent the
 * kernel notified) plus every signal whose default action kills
 * (common/sigtab.h): the kernel turns a fatal signal into SIGKILL for every
 * thread of the dying group (complete_signal()), so signal_deliver only
 * ever shows SIGKILL and the generate event is the only place the signal
 * really sent is seen.  The filter text is built from the table at start
 * (generate_filter()); the row below holds a placeholder.
 */
#define SIG_GENERATE_FILTER_PLACEHOLDER "(sigtab)"

#define FORK_FAIL_FILTER "ret < 0 && ret != -513"

static const struct wt_rec_event_def table[] = {
	{ "syscalls", "sys_enter_wait4", "wait4", NULL, true, true },
	{ "syscalls", "sys_exit_wait4", "wait4_ret", NULL, true, true },
	{ "syscalls", "sys_enter_waitid", "waitid", NULL, true, true },
	{ "syscalls", "sys_exit_waitid", "waitid_ret", NULL, true, true },
	/* do_wait()'s target as a global pid: the pid of P_PID, the group of
	 * P_PGID, the pidfd's process of P_PIDFD; 0 (filtered out, so
	 * WNOHANG pollers of P_ALL do not pay for it) for P_ALL. */
	{ "sched", "sched_process_wait", "wait_target", "pid != 0", false, false },
	{ "sched", "sched_process_fork", "fork", NULL, false, false },
	{ "sched", "sched_process_exec", "exec", NULL, false, false },
	{ "sched", "sched_process_exit", "exit", NULL, false, false },
	{ "sched", "sched_process_free", "free", NULL, false, false },
	{ "task", "task_newtask", "newtask", NULL, false, false },
	{ "syscalls", "sys_enter_exit_group", "exit_group", NULL, false, false },
	{ "syscalls", "sys_enter_exit", "exit_call", NULL, false, false },
	/* death by signal: only deliveries to the default handler */
	{ "signal", "signal_deliver", "fatal_signal", "sa_handler == 0", false, false },
	{ "signal", "signal_generate", "signal_sent",
	  SIG_GENERATE_FILTER_PLACEHOLDER, false, false },
	/* prctl(PR_SET_CHILD_SUBREAPER, v): orphans go to the nearest
	 * subreaper ancestor (kernel/exit.c find_new_reaper()); the option
	 * cannot fail (kernel/sys.c), so its return is not needed. */
	{ "syscalls", "sys_enter_prctl", "subreaper", "option == 36", false, false },
	/* unshare(CLONE_NEWPID) / setns() into a pid namespace: the caller's
	 * next children are born in another pid namespace.  Only failures of
	 * the calls are recorded: an entry without a failed exit worked. */
	{ "syscalls", "sys_enter_unshare", "unshare", "unshare_flags & 0x20000000",
	  false, false },
	{ "syscalls", "sys_exit_unshare", "unshare_fail", "ret != 0", false, false },
	{ "syscalls", "sys_enter_setns", "setns", "flags & 0x20000000",
	  false, false },
	{ "syscalls", "sys_exit_setns", "setns_fail", "ret != 0", false, false },
	/* Failed process (and thread) creation: only failures are recorded,
	 * so a successful fork costs the filter and nothing more.  -513
	 * (ERESTARTNOINTR: a signal came during the fork, the kernel
	 * restarts it) never reaches user space and is left out. */
	{ "syscalls", "sys_exit_clone", "clone_fail", FORK_FAIL_FILTER, false,
	  false },
	{ "syscalls", "sys_exit_clone3", "clone3_fail", FORK_FAIL_FILTER, false,
	  false },
	{ "syscalls", "sys_exit_fork", "fork_fail", FORK_FAIL_FILTER, false,
	  false },
	{ "syscalls", "sys_exit_vfork", "vfork_fail", FORK_FAIL_FILTER, false,
	  false },
	/* A task moved to another cgroup (kernel/cgroup/cgroup.c
	 * cgroup_attach_task(): a write to cgroup.procs, tasks or
	 * cgroup.threads; cgroup-v1.c cgroup_transfer_tasks(): cpuset
	 * emptying a cpuset).  Rare; unfiltered.  A child forked with
	 * CLONE_INTO_CGROUP gets its cgroup without either event. */
	{ "cgroup", "cgroup_attach_task", "cgroup_attach", NULL, false, false },
	{ "cgroup", "cgroup_transfer_tasks", "cgroup_transfer", NULL, false,
	  false },
};

_Static_assert(sizeof(table) / sizeof(table[0]) <= WT_REC_MAX_EVENTS,
	       "raise WT_REC_MAX_EVENTS");

/* "ID: 212" line of a format file, or -1. */
static int parse_id(const char *format)
{
	const char *p = strstr(format, "\nID: ");
	long v;

	if (!p)
		return -1;
	v = strtol(p + 5, NULL, 10);
	return v > 0 && v < 65536 ? (int)v : -1;
}

static int read_format(struct wt_rec_events *ev, int i,
		       struct wt_rec_instance *in)
{
	const struct wt_rec_event_def *e = &ev->def[i];
	int len = 0;

	ev->format[i] = in->ops->event_format(in, e->system, e->name, &len);
	if (!ev->format[i])
		return -1;
	ev->format_len[i] = len;
	ev->id[i] = parse_id(ev->format[i]);
	return ev->id[i] < 0 ? -1 : 0;
}

/* The filter to write for @e: the signal table's for signal_generate. */
static const char *filter_text(const struct wt_rec_event_def *e)
{
	static char sig_filter[512];

	if (strcmp(e->filter, SIG_GENERATE_FILTER_PLACEHOLDER))
		return e->filter;
	if (!sig_filter[0] &&
	    wt_sig_generate_filter(sig_filter, sizeof(sig_filter)) < 0)
		return e->filter; /* cannot happen: 512 bytes hold it */
	return sig_filter;
}

/* 0 enabled, 1 not available (warned), -1 failure of a required event. */
static int enable_one(struct wt_rec_events *ev, int i,
		      struct wt_rec_instance *in, struct wt_diag *d)
{
	const struct wt_rec_event_def *e = &ev->def[i];
	const char *why;

	why = "not in this kernel";
	if (!in->ops->event_exists(in, e->system, e->name))
		goto missing;
	why = "its format file is unreadable";
	if (read_format(ev, i, in) < 0)
		goto missing;
	why = "the kernel refused its filter";
	if (e->filter && in->ops->event_write(in, e->system, e->name,
					      "filter", filter_text(e)) < 0)
		goto missing;
	why = "it cannot be enabled";
	if (in->ops->event_enable(in, e->system, e->name) < 0)
		goto missing;
	ev->enabled[i] = true;
	ev->index_of_id[ev->id[i]] = (uint8_t)i;
	return 0;
missing:
	if (e->required) {
		wt_diag_set(d, 2, "required event %s:%s: %s%s", e->system,
			    e->name, why, !strcmp(e->system, "syscalls") ?
			    " (needs CONFIG_FTRACE_SYSCALLS)" : "");
		return -1;
	}
	wt_warn("optional event %s:%s skipped: %s", e->system, e->name, why);
	return 1;
}

int wt_rec_events_enable(struct wt_rec_events *ev,
			      struct wt_rec_instance *in,
			      const struct wt_rec_event_def *probes, int nprobes,
			      struct wt_diag *d)
{
	int ntable = (int)(sizeof(table) / sizeof(table[0]));

	memset(ev, 0, sizeof(*ev));
	memset(ev->index_of_id, WT_REC_NO_EVENT, sizeof(ev->index_of_id));
	ev->def = ev->defs;
	for (int i = 0; i < nprobes && ev->n < WT_REC_MAX_EVENTS; i++)
		ev->defs[ev->n++] = probes[i];
	for (int i = 0; i < ntable && ev->n < WT_REC_MAX_EVENTS; i++)
		if (!nprobes || !table[i].wait_tp)
			ev->defs[ev->n++] = table[i];
	for (int i = 0; i < ev->n; i++)
		if (enable_one(ev, i, in, d) < 0)
			return -1;
	return 0;
}

int wt_rec_events_list(const struct wt_rec_events *ev, bool enabled,
		       struct wt_buf *b)
{
	bool first = true;

	for (int i = 0; i < ev->n; i++) {
		const struct wt_rec_event_def *e = &ev->def[i];

		if (ev->enabled[i] != enabled)
			continue;
		if ((!first && wt_buf_append(b, ",", 1) < 0) ||
		    wt_buf_append(b, e->system, strlen(e->system)) < 0 ||
		    wt_buf_append(b, ":", 1) < 0 ||
		    wt_buf_append(b, e->name, strlen(e->name)) < 0)
			return -1;
		first = false;
	}
	if (wt_buf_reserve(b, 1) < 0)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

int wt_rec_events_write_formats(const struct wt_rec_events *ev,
				struct wt_rec_output *out)
{
	struct wt_buf b = { 0 };
	int ret = 0;

	for (int i = 0; i < ev->n && !ret; i++) {
		const struct wt_rec_event_def *e = &ev->def[i];

		if (!ev->enabled[i])
			continue;
		b.len = 0;
		if (wt_buf_append(&b, e->system, strlen(e->system)) < 0 ||
		    wt_buf_append(&b, "\n", 1) < 0 ||
		    wt_buf_append(&b, ev->format[i], ev->format_len[i]) < 0 ||
		    wt_rec_output_add(out, WT_CHUNK_FORMAT, b.data, b.len) < 0)
			ret = -1;
	}
	wt_buf_free(&b);
	return ret;
}

void wt_rec_events_free(struct wt_rec_events *ev)
{
	for (int i = 0; i < WT_REC_MAX_EVENTS; i++) {
		free(ev->format[i]);
		ev->format[i] = NULL;
	}
}
