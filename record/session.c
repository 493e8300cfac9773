/*
 * session.c - one recording from setup to teardown (see session.h for the
 * states and invariants).
 *
 * Setup order, and why:
 *  1. everything that can refuse without side effects (root, tracefs,
 *     output directory, COMMAND on PATH, backend) - so a refusal leaves
 *     nothing behind;
 *  2. signal handlers, then the sweep of stale instances, then our
 *     instance with tracing off, its events and filters, the pid filter
 *     (the COMMAND is forked and held first so its pid can go in);
 *  3. per-CPU files opened, tracing on, the start snapshot (step 4), the
 *     COMMAND released - if its exec fails we clean up before any file
 *     exists;
 *  4. the start /proc snapshot, read into memory after tracing_on (so
 *     nothing falls between the two) and before the COMMAND is released
 *     (so the scan does not race its first forks and exits);
 *  5. the output file: META, HEADER_PAGE/EVENT, FORMATs, that snapshot
 *     and the pids limits of the cgroups it names (CGROUP, read with it),
 *     then the reader threads; the ring buffer holds what happens
 *     meanwhile.
 * Stop order is the one the kernel hazards dictate: tracing off, readers
 * drained and joined, stats, snapshot and cgroup limits, META, TRAILER,
 * file closed, every per-CPU file closed, events disabled, pid filter
 * cleared, instance removed (instance.c: three writes whose cost is RCU
 * grace periods), then (kprobe backend) the probes deleted: a probe
 * enabled in an instance cannot be.
 *
 * Every tracefs change goes through s->ops (tfs_ops.h).  --dry-run runs
 * the same setup with the printing ops, stops before anything that needs
 * a real instance (readers, the COMMAND, the file), and lets wt_session_free print
 * the teardown.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "cg_limits.h"
#include "cg_scope.h"
#include "child.h"
#include "cpu_reader.h"
#include "kstats.h"
#include "events.h"
#include "follower.h"
#include "instance.h"
#include "rec_file.h"
#include "pidtree.h"
#include "proc_snapshot.h"
#include "rec_meta.h"
#include "rotate.h"
#include "session.h"
#include "signals.h"
#include "stale.h"
#include "kprobe_backend.h"
#include "tfs_ops.h"
#include "watermark.h"

enum state { S_NEW, S_SETUP, S_RUNNING, S_DRAINING, S_STOPPED, S_FREED };

/* The kernel's loss counters (per_cpu/cpuN/stats overrun, commit overrun
 * and dropped: common/kstats.h), summed over the CPUs. */
struct loss {
	uint64_t overrun, commit_overrun, dropped;
};

static uint64_t loss_total(const struct loss *l)
{
	return l->overrun + l->commit_overrun + l->dropped;
}

struct wt_session {
	enum state state;
	const struct wt_record_opts *o;
	struct wt_diag diag;
	struct wt_rec_sigsave sigs;
	struct wt_child *child;
	const struct wt_tfs_ops *ops;   /* real, or the dry run's */
	int backend;                    /* WT_BACKEND_TRACEPOINT | _KPROBE */
	struct wt_kp_probes kp;         /* kprobe backend: plan and probes */
	struct wt_rec_instance *inst;
	struct wt_rec_events ev;
	struct wt_pidset traced;        /* -p: tids put in set_event_pid */
	struct wt_rec_output *out;
	struct wt_cpu_reader **readers; /* indexed by cpu, NULL for gaps */
	int ncpu;                       /* highest cpu + 1 */
	int nstreams;                   /* readers opened */
	int stop_pipe[2];
	bool tracing;
	uint64_t start_ns, stop_ns;
	double t0, elapsed;
	char stop_reason[128];
	bool size_limited;              /* stopped because of --max-size */
	bool stats_known;
	struct loss kloss;              /* kernel counts, summed at stop */
	uint64_t counts[WT_REC_MAX_EVENTS + 1];
	uint64_t cost_ns[WT_REC_COST_N]; /* the readers' CPU by stage, summed */
	struct wt_rec_output_totals totals;
	struct wt_rec_watermark wm;     /* WATERMARK chunks, main thread */
	struct wt_rec_follower *live;   /* --live: the follower process */
	struct wt_rec_rotate *rot;      /* --rotate: the series */
	const char *path;               /* the (first) file written */
	bool rotate_failed;
	int live_status;                /* its exit status, -1 none */
	/* The start /proc snapshot, taken while a COMMAND is still held so
	 * its first forks cannot race the scan; written once the file is
	 * open.  Owned here, freed by wt_session_free. */
	struct wt_buf start_snap;
	/* The pids limits (CGROUP chunks): the cgroups seen, the start
	 * chunk's text until the file is open.  Owned here. */
	struct wt_cg_limits *cgl;
	struct wt_buf start_cg;
	/* --cgroup / --container: the cgroup, the pids found in it at
	 * start (META scope_pids), processes picked up since, next poll */
	struct wt_cg_scope cgs;
	struct wt_pidset cg_roots;
	unsigned long cg_picked;
	double cg_next_poll;
};

/* The invariants of session.h, checked at every state change. */
static void assert_state(const struct wt_session *s, enum state want)
{
	assert(s->state == want);
	assert(s->state != S_RUNNING || (s->tracing && s->out && s->inst));
	assert(s->state != S_STOPPED || (!s->tracing && !s->out));
	(void)s;
	(void)want;
}

/* --rotate (at the end of the file: it writes the parts of a file) */
static int setup_series(struct wt_session *s);
static void rotate_tick(struct wt_session *s, double now);

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct wt_session *wt_session_new(const struct wt_record_opts *o)
{
	struct wt_session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->o = o;
	s->stop_pipe[0] = s->stop_pipe[1] = -1;
	s->live_status = -1;
	s->state = S_NEW;
	return s;
}

const struct wt_diag *wt_session_diag(const struct wt_session *s)
{
	return &s->diag;
}

/* ---- setup, step 1: refusals without side effects ----------------------- */

/* kprobe or tracepoint (kprobe_backend.c says why) */
static int check_backend(struct wt_session *s)
{
	/* a dry run must not mount tracefs: tracefs_tracing_dir() would */
	const char *dir = s->o->dry_run ? wt_tfs_dry_dir() : tracefs_tracing_dir();
	int b = wt_kp_choose(s->o->backend, dir, s->o->dry_run, s->o->quiet,
			     &s->kp, &s->diag);

	if (b < 0)
		return -1;
	s->backend = b;
	return 0;
}

static int check_output(struct wt_session *s)
{
	char *copy = strdup(s->o->output);
	struct stat st;
	int ret = 0;

	if (!copy) {
		wt_diag_errno(&s->diag, 1, "%s", s->o->output);
		return -1;
	}
	if (stat(s->o->output, &st) == 0 && S_ISDIR(st.st_mode)) {
		wt_diag_set(&s->diag, 2, "-o %s: is a directory", s->o->output);
		ret = -1;
	} else if (access(dirname(copy), W_OK | X_OK) < 0) {
		wt_diag_errno(&s->diag, 2, "-o %s: cannot create files in %s",
			      s->o->output, copy);
		ret = -1;
	}
	free(copy);
	return ret;
}

/* The cgroup mounts, and --cgroup / --container resolved to a cgroup. */
static int check_cgroups(struct wt_session *s)
{
	if (!(s->cgl = wt_cg_limits_new())) {
		wt_diag_errno(&s->diag, 1, "cgroups");
		return -1;
	}
	if (s->o->scope != WT_SCOPE_CGROUP)
		return 0;
	if (wt_cg_scope_resolve(&s->cgs, wt_cg_limits_fs(s->cgl), s->o->cgroup,
				s->o->container, &s->diag) < 0)
		return -1;
	for (int i = 0; i < s->cgs.ndirs; i++)
		if (wt_cg_limits_add(s->cgl, s->cgs.hier[i], s->cgs.path[i]) < 0) {
			wt_diag_errno(&s->diag, 1, "cgroups");
			return -1;
		}
	wt_note(s->o->quiet, "scope: cgroup %s%s%s%s", s->cgs.label,
		s->o->container ? " (" : "",
		s->o->container ? s->cgs.container.runtime : "",
		s->o->container ? " container)" : "");
	return 0;
}

static int check_environment(struct wt_session *s)
{
	/* a dry run reads what it can and needs neither root nor a mount */
	if ((!s->o->dry_run && wt_rec_tracefs_check(s->o->quiet, &s->diag) < 0) ||
	    check_output(s) < 0 || check_cgroups(s) < 0)
		return -1;
	if (s->o->command) {
		s->child = wt_child_prepare(s->o->command, &s->diag);
		if (!s->child)
			return -1;
	}
	return check_backend(s);
}

/* ---- setup, step 2: tracefs state --------------------------------------- */

/* per_cpu/cpuN of the instance: one stream per directory present */
static int open_readers(struct wt_session *s)
{
	char *dir = tracefs_instance_get_file(s->inst->ti, "per_cpu");
	struct dirent *e;
	DIR *d = dir ? opendir(dir) : NULL;
	int cpu, ncpu = (int)sysconf(_SC_NPROCESSORS_CONF);

	tracefs_put_tracing_file(dir);
	if (!d) {
		wt_diag_errno(&s->diag, 1, "%s: cannot list per_cpu", s->inst->name);
		return -1;
	}
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "cpu%d", &cpu) == 1 && cpu >= ncpu)
			ncpu = cpu + 1;
	closedir(d);
	s->readers = calloc(ncpu, sizeof(*s->readers));
	if (!s->readers) {
		wt_diag_errno(&s->diag, 1, "readers");
		return -1;
	}
	s->ncpu = ncpu;
	for (cpu = 0; cpu < ncpu; cpu++) {
		char file[64];

		snprintf(file, sizeof(file), "per_cpu/cpu%d", cpu);
		if (!tracefs_dir_exists(s->inst->ti, file))
			continue;
		s->readers[cpu] = wt_cpu_reader_open(s->inst, cpu, &s->ev, NULL,
						     s->stop_pipe[0], &s->diag);
		if (!s->readers[cpu])
			return -1;
		s->nstreams++;
	}
	return 0;
}

/* @roots, their descendants and all their threads, until stable */
static int add_tree(struct wt_session *s, const pid_t *roots, size_t nroots)
{
	size_t before;
	int added;

	for (int round = 0; round < 10; round++) {
		before = s->traced.n;
		added = wt_pidtree_collect(roots, nroots, &s->traced);
		if (added < 0) {
			wt_diag_errno(&s->diag, 1, "reading /proc for -p");
			return -1;
		}
		if (!added)
			return 0;
		if (wt_rec_instance_add_pids(s->inst, s->traced.v + before,
					     added, &s->diag) < 0)
			return -1;
	}
	return 0;
}

/* -p: the pids, their descendants and all their threads */
static int add_pid_tree(struct wt_session *s)
{
	return add_tree(s, s->o->pids, (size_t)s->o->npids);
}

/* --cgroup: the processes in the cgroup, as -p does with pids */
static int add_cgroup_tree(struct wt_session *s)
{
	if (wt_cg_scope_members(&s->cgs, &s->cg_roots) < 0) {
		wt_diag_errno(&s->diag, 1, "reading %s/cgroup.procs", s->cgs.dir[0]);
		return -1;
	}
	return add_tree(s, s->cg_roots.v, s->cg_roots.n);
}

/*
 * --cgroup, while recording: processes that entered the cgroup since (not
 * descendants of a traced one: moved in, or created there with
 * CLONE_INTO_CGROUP) and are not in set_event_pid yet.  Their events
 * before this moment are not in the file.  The cgroup_attach_task event
 * of such a move comes from the task that wrote cgroup.procs (runc,
 * containerd-shim), which set_event_pid does not let through, so
 * cgroup.procs is read instead.
 */
static int poll_cgroup(struct wt_session *s)
{
	struct wt_pidset now = { 0 }, fresh = { 0 };
	size_t len = 0;
	int ret = 0;
	char *have = wt_rec_instance_read(s->inst, "set_event_pid", &len);

	if (wt_cg_scope_members(&s->cgs, &now) < 0)
		ret = -1;
	for (size_t i = 0; !ret && have && i < now.n; i++) {
		char pid[16];
		int n = snprintf(pid, sizeof(pid), "%d", (int)now.v[i]);
		const char *p = have;
		/* set_event_pid: one pid per line */
		while ((p = strstr(p, pid)) && ((p > have && p[-1] != '\n') ||
						(p[n] && p[n] != '\n')))
			p += n;
		if (!p && wt_pidset_add(&fresh, now.v[i]) < 0)
			ret = -1;
	}
	if (!ret && fresh.n) {
		s->cg_picked += fresh.n;
		ret = add_tree(s, fresh.v, fresh.n);
	} else if (ret) {
		wt_diag_errno(&s->diag, 1, "reading %s/cgroup.procs", s->cgs.dir[0]);
	}
	free(have);
	wt_pidset_free(&now);
	wt_pidset_free(&fresh);
	return ret;
}

static int set_scope(struct wt_session *s)
{
	pid_t pid;

	/* scoped recordings follow forks: set before any pid goes in */
	if (s->o->scope != WT_SCOPE_SYSTEM &&
	    wt_rec_instance_follow_forks(s->inst, &s->diag) < 0)
		return -1;
	switch (s->o->scope) {
	case WT_SCOPE_COMMAND:
		if (s->o->dry_run) {
			/* nothing is forked: the pid is a placeholder */
			wt_tfs_dry_comment("echo <pid of the held COMMAND> >> "
					   "%s/instances/%s/set_event_pid",
					   wt_tfs_dry_dir(), s->inst->name);
			return 0;
		}
		if (wt_child_spawn(s->child, &s->sigs, &s->diag) < 0)
			return -1;
		pid = wt_child_pid(s->child);
		return wt_rec_instance_add_pids(s->inst, &pid, 1, &s->diag);
	case WT_SCOPE_PID:
		return add_pid_tree(s);
	case WT_SCOPE_CGROUP:
		if (s->o->dry_run) {
			wt_tfs_dry_comment("echo <the pids of %s/cgroup.procs and "
					   "below, their threads and descendants> "
					   ">> %s/instances/%s/set_event_pid",
					   s->cgs.dir[0], wt_tfs_dry_dir(),
					   s->inst->name);
			return 0;
		}
		return add_cgroup_tree(s);
	case WT_SCOPE_SYSTEM:
		return 0;
	}
	return 0;
}

/* Signal handlers, the stop pipe, and the sweep: not for a dry run. */
static int setup_process(struct wt_session *s)
{
	if (wt_rec_signals_install(&s->sigs) < 0) {
		wt_diag_errno(&s->diag, 1, "signal handlers");
		return -1;
	}
	if (pipe2(s->stop_pipe, O_CLOEXEC) < 0) {
		wt_diag_errno(&s->diag, 1, "pipe");
		return -1;
	}
	wt_rec_stale_sweep(s->o->quiet);
	return 0;
}

/*
 * The kprobe backend's probes.  Under auto, probes the kernel refuses
 * (lockdown, a function it will not probe) mean tracepoints after all;
 * --backend kprobe fails.
 */
static int create_probes(struct wt_session *s)
{
	struct wt_diag d = { 0 };
	const char *why;

	if (wt_kp_probes_create(&s->kp, s->ops, &d) == 0)
		return 0;
	why = strncmp(d.msg, "wtrec: ", 7) ? d.msg : d.msg + 7;
	if (s->o->backend != WT_BACKEND_AUTO) {
		wt_diag_set(&s->diag, d.status, "--backend kprobe: %s; use "
			    "--backend tracepoint", why);
		return -1;
	}
	wt_kp_probes_destroy(&s->kp);
	wt_note(s->o->quiet, "backend auto: using tracepoint after all (%s)", why);
	s->backend = WT_BACKEND_TRACEPOINT;
	return 0;
}

static int setup_tracefs(struct wt_session *s)
{
	bool kprobe;

	if (!s->o->dry_run && setup_process(s) < 0)
		return -1;
	s->inst = wt_rec_instance_create(s->ops, s->o->buffer_kb, &s->diag);
	if (!s->inst)
		return -1;
	/* the probes exist before their events are enabled in our instance */
	if (s->backend == WT_BACKEND_KPROBE && create_probes(s) < 0)
		return -1;
	kprobe = s->backend == WT_BACKEND_KPROBE;
	if (wt_rec_events_enable(&s->ev, s->inst, kprobe ? s->kp.defs : NULL,
				      kprobe ? s->kp.plan.n : 0, &s->diag) < 0 ||
	    set_scope(s) < 0)
		return -1;
	return s->o->dry_run ? 0 : open_readers(s);
}

/* ---- setup, step 4: the file -------------------------------------------- */

static const char *scope_name(enum wt_scope sc)
{
	return sc == WT_SCOPE_COMMAND ? "command" : sc == WT_SCOPE_PID ? "pid" :
	       sc == WT_SCOPE_CGROUP ? "cgroup" : "system";
}

static int scope_pids(struct wt_session *s, struct wt_buf *b)
{
	char num[16];
	int n;

	if (s->o->scope == WT_SCOPE_COMMAND) {
		n = snprintf(num, sizeof(num), "%d", (int)wt_child_pid(s->child));
		if (wt_buf_append(b, num, n) < 0)
			return -1;
	}
	for (int i = 0; s->o->scope == WT_SCOPE_PID && i < s->o->npids; i++) {
		n = snprintf(num, sizeof(num), "%s%d", i ? "," : "", (int)s->o->pids[i]);
		if (wt_buf_append(b, num, n) < 0)
			return -1;
	}
	for (size_t i = 0; s->o->scope == WT_SCOPE_CGROUP && i < s->cg_roots.n; i++) {
		n = snprintf(num, sizeof(num), "%s%d", i ? "," : "",
			     (int)s->cg_roots.v[i]);
		if (wt_buf_append(b, num, n) < 0)
			return -1;
	}
	if (wt_buf_reserve(b, 1) < 0)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

static int write_meta_start(struct wt_session *s, struct wt_rec_output *out,
			    const char *series, unsigned series_file)
{
	struct wt_buf evs = { 0 }, miss = { 0 }, pids = { 0 }, meta = { 0 };
	const char *probes[WT_KP_MAX];
	bool kprobe = s->backend == WT_BACKEND_KPROBE;
	struct wt_rec_start_info si = {
		.backend = kprobe ? "kprobe" : "tracepoint",
		.wait_memory = wt_kp_wait_memory(s->backend, &s->kp),
		.probes = probes,
		.nprobes = kprobe ? s->kp.plan.n : 0,
		.argc = s->o->argc,
		.argv = s->o->argv,
		.scope = scope_name(s->o->scope),
		.scope_cgroup = s->o->scope == WT_SCOPE_CGROUP ? s->cgs.label : NULL,
		.scope_container = s->o->container ? s->cgs.container.id : NULL,
		.command = s->o->command,
		.cpus = s->nstreams,
		.subbuf_size = s->inst->subbuf_size,
		.buffer_kb = s->o->buffer_kb,
		.start_ns = s->start_ns,
		.series = series,
		.series_file = series_file,
	};
	int ret = -1;

	for (int i = 0; i < si.nprobes; i++)
		probes[i] = s->kp.lines[i];
	if (wt_rec_events_list(&s->ev, true, &evs) < 0 ||
	    wt_rec_events_list(&s->ev, false, &miss) < 0 ||
	    scope_pids(s, &pids) < 0)
		goto out;
	si.events = (char *)evs.data;
	si.missing_events = (char *)miss.data;
	si.scope_pids = (char *)pids.data;
	if (wt_rec_meta_start(&meta, &si) == 0)
		ret = wt_rec_output_add(out, WT_CHUNK_META, meta.data, meta.len);
out:
	wt_buf_free(&evs);
	wt_buf_free(&miss);
	wt_buf_free(&pids);
	wt_buf_free(&meta);
	return ret;
}

static int write_text_file(struct wt_session *s, struct wt_rec_output *out,
			   uint32_t type, const char *file)
{
	size_t len = 0;
	char *text = wt_rec_instance_read(s->inst, file, &len);
	int ret;

	if (!text)
		return -1;
	ret = wt_rec_output_add(out, type, text, len);
	free(text);
	return ret;
}

/* The CGROUP chunk of the cgroups named in the PROC text @snap, into
 * @out (a rotated series' files each have their own). */
static int write_cgroups(struct wt_session *s, struct wt_rec_output *out,
			 const struct wt_buf *snap, const char *when)
{
	struct wt_buf b = { 0 };
	int ret = -1;

	if (wt_cg_limits_text(s->cgl, snap, when, wt_rec_trace_clock_ns(),
			      &b) == 0)
		ret = wt_rec_output_add(out, WT_CHUNK_CGROUP, b.data, b.len);
	wt_buf_free(&b);
	return ret;
}

/* What a file holds before its start snapshot: META (a series' keys
 * with it), header_page, header_event, the formats. */
static int write_head(struct wt_session *s, struct wt_rec_output *out,
		      const char *series, unsigned series_file)
{
	if (write_meta_start(s, out, series, series_file) < 0 ||
	    write_text_file(s, out, WT_CHUNK_HEADER_PAGE, "events/header_page") < 0 ||
	    write_text_file(s, out, WT_CHUNK_HEADER_EVENT, "events/header_event") < 0 ||
	    wt_rec_events_write_formats(&s->ev, out) < 0)
		return -1;
	return 0;
}

static int write_snapshot(struct wt_session *s, const char *when)
{
	struct wt_buf b = { 0 };
	int ret = -1;

	if (wt_rec_proc_snapshot(&b, when, wt_rec_trace_clock_ns()) == 0)
		ret = wt_rec_output_add(s->out, WT_CHUNK_PROC, b.data, b.len);
	if (!ret)
		ret = write_cgroups(s, s->out, &b, when);
	wt_buf_free(&b);
	return ret;
}

static int open_file(struct wt_session *s)
{
	s->out = wt_rec_output_open(s->path, s->o->codec,
				    wt_rec_signals_wake_fd(), &s->diag);
	if (!s->out) {
		/* like check_output's refusals: this place cannot take a
		 * recording (e.g. a file system that cannot create files) */
		s->diag.status = 2;
		return -1;
	}
	if (write_head(s, s->out, s->rot ? wt_rec_rotate_id(s->rot) : NULL, 1) < 0 ||
	    wt_rec_output_add(s->out, WT_CHUNK_PROC, s->start_snap.data,
			      s->start_snap.len) < 0 ||
	    wt_rec_output_add(s->out, WT_CHUNK_CGROUP, s->start_cg.data,
			      s->start_cg.len) < 0) {
		wt_diag_errno(&s->diag, 1, "writing %s", s->path);
		return -1;
	}
	return s->rot ? wt_rec_rotate_begin(s->rot, s->out, s->start_snap.len,
					    mono_s(), &s->diag) : 0;
}

/* --live: the follower, started once the file has its head and before
 * the reader threads run (a fork with one thread is the simple kind). */
static int start_follower(struct wt_session *s)
{
	struct wt_rec_follower_opts fo = {
		.path = s->path,
		.format = s->o->live_format ? s->o->live_format : "text",
		.zombie_age_s = s->o->zombie_age,
	};

	if (!s->o->live)
		return 0;
	s->live = wt_rec_follower_start(&fo, &s->diag);
	return s->live ? 0 : -1;
}

/* Readers were opened without an output; give it to them and start them. */
static int start_readers(struct wt_session *s)
{
	for (int cpu = 0; cpu < s->ncpu; cpu++) {
		if (!s->readers[cpu])
			continue;
		wt_cpu_reader_set_output(s->readers[cpu], s->out);
		if (wt_cpu_reader_start(s->readers[cpu]) < 0) {
			wt_diag_errno(&s->diag, 1, "cpu%d reader thread", cpu);
			return -1;
		}
	}
	return 0;
}

/* --dry-run: what the backend is and why, as comments before the writes */
static void dry_run_header(struct wt_session *s)
{
	const struct wt_kp_probes *kp = &s->kp;

	wt_tfs_dry_comment("wtrec record --dry-run: every tracefs write this "
			   "recording would make, in order; nothing is changed");
	if (s->backend != WT_BACKEND_KPROBE) {
		wt_tfs_dry_comment("backend: tracepoint (syscalls:sys_{enter,exit}_"
				   "{wait4,waitid})");
		wt_tfs_dry_comment("the callers' buffers: %s",
				   wt_kp_wait_memory(s->backend, kp));
	} else {
		wt_tfs_dry_comment("backend: kprobe, group %s, %d probes planned "
				   "from %s and %s (return probes %s $arg<N>)",
				   kp->group, kp->plan.n, kp->paths[0], kp->paths[1],
				   kp->plan.ret_args ? "read" : "cannot read");
		wt_tfs_dry_comment("the callers' buffers: %s",
				   wt_kp_wait_memory(s->backend, kp));
		if (!kp->kprobe_events)
			wt_tfs_dry_comment("this kernel has no kprobe_events "
					   "(CONFIG_KPROBE_EVENTS): a real run with "
					   "--backend kprobe refuses (exit 2); use "
					   "--backend tracepoint");
	}
	wt_tfs_dry_comment("first, leftovers of dead runs (instances wtrec-N, "
			   "kprobe groups wtrec_N) are removed, as --cleanup does");
}

/*
 * The real setup through the printing ops, up to tracing_on.  Returns -1
 * with diag status 0: there is nothing to run or stop; wt_session_free prints the
 * teardown.
 */
static int dry_run(struct wt_session *s)
{
	if (check_environment(s) < 0)
		return -1;
	dry_run_header(s);
	if (setup_tracefs(s) < 0 || wt_rec_instance_trace_on(s->inst, &s->diag) < 0)
		return -1;
	wt_tfs_dry_comment("recording: per-CPU readers of trace_pipe_raw, the "
			   "file; then at stop (and on any error):");
	return -1;
}

int wt_session_setup(struct wt_session *s)
{
	assert_state(s, S_NEW);
	s->state = S_SETUP;
	s->ops = s->o->dry_run ? &wt_tfs_dry : &wt_tfs_real;
	if (s->o->dry_run)
		return dry_run(s);
	if (check_environment(s) < 0 || setup_tracefs(s) < 0)
		return -1;
	if (wt_rec_instance_trace_on(s->inst, &s->diag) < 0)
		return -1;
	s->tracing = true;
	s->start_ns = wt_rec_trace_clock_ns();
	s->t0 = mono_s();
	if (wt_rec_signals_stop_requested()) {
		/* do not start a command only to stop at once: nothing is written */
		wt_diag_set(&s->diag, 1, "interrupted by SIG%s during setup; nothing recorded",
			    sigabbrev_np(wt_rec_signals_stop_requested()));
		return -1;
	}
	/* Snapshot before the COMMAND runs: a scan that overlaps its first
	 * forks and exits reads half-dead tasks (ppid 1, state Z). */
	if (wt_rec_proc_snapshot(&s->start_snap, "start",
				 wt_rec_trace_clock_ns()) < 0) {
		wt_diag_errno(&s->diag, 1, "reading /proc for the start snapshot");
		return -1;
	}
	if (wt_cg_limits_text(s->cgl, &s->start_snap, "start",
			      wt_rec_trace_clock_ns(), &s->start_cg) < 0) {
		wt_diag_errno(&s->diag, 1, "reading the cgroups' pids limits");
		return -1;
	}
	if (s->child && wt_child_release(s->child, &s->diag) < 0)
		return -1;
	if (setup_series(s) < 0 || open_file(s) < 0 || start_follower(s) < 0 ||
	    start_readers(s) < 0)
		return -1;
	s->state = S_RUNNING;
	assert_state(s, S_RUNNING);
	/* -p: catch what forked between the first scan and tracing on */
	if (s->o->scope == WT_SCOPE_PID && add_pid_tree(s) < 0)
		return -1;
	if (s->o->scope == WT_SCOPE_CGROUP && add_cgroup_tree(s) < 0)
		return -1;
	return 0;
}

/* ---- running ------------------------------------------------------------ */

static uint64_t events_so_far(struct wt_session *s)
{
	uint64_t n = 0;

	for (int cpu = 0; cpu < s->ncpu; cpu++)
		if (s->readers[cpu])
			n += wt_cpu_reader_events(s->readers[cpu]);
	return n;
}

/* per_cpu/cpuN/stats of our instance, parsed into @k; the text
 * (malloc'd, the caller frees), or NULL with errno. */
static char *read_kstats(struct wt_session *s, int cpu, struct wt_kstats *k)
{
	char file[64];
	char *text;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	text = wt_rec_instance_read(s->inst, file, NULL);
	if (text)
		wt_kstats_parse(text, strlen(text), k);
	else
		wt_kstats_clear(k);
	return text;
}

static uint64_t lost_so_far(struct wt_session *s)
{
	struct wt_kstats k;
	uint64_t lost = 0;

	for (int cpu = 0; cpu < s->ncpu; cpu++) {
		if (!s->readers[cpu])
			continue;
		free(read_kstats(s, cpu, &k));
		lost += wt_kstats_lost(&k);
	}
	return lost;
}

static void show_status(struct wt_session *s, uint64_t lost)
{
	struct wt_rec_output_totals t;

	double elapsed = mono_s() - s->t0;
	wt_rec_output_totals(s->out, &t);
	wt_rec_status_line(stderr, elapsed, s->o->duration > 0 ?
			   s->o->duration - elapsed : -1, events_so_far(s),
			   t.file_bytes, lost);
}

/* The kernel's loss counters, into the watermarks: a follower reports
 * loss as it happens.  A few small tracefs reads per CPU. */
#define LOST_READ_S 0.25

static void read_lost(struct wt_session *s)
{
	s->wm.lost = lost_so_far(s);
	s->wm.lost_known = true;
}

static int reader_failed(struct wt_session *s)
{
	for (int cpu = 0; cpu < s->ncpu; cpu++)
		if (s->readers[cpu] && wt_cpu_reader_error(s->readers[cpu]))
			return cpu + 1;
	return 0;
}

/* Why to stop now, or NULL to go on. */
static const char *stop_cause(struct wt_session *s, double deadline)
{
	int sig = wt_rec_signals_stop_requested();
	int err, cpu;

	if (sig) {
		snprintf(s->stop_reason, sizeof(s->stop_reason), "signal SIG%s",
			 sigabbrev_np(sig));
		return s->stop_reason;
	}
	if (s->child && wt_child_reap(s->child))
		return "command exited";
	if ((err = wt_rec_output_error(s->out))) {
		errno = err;
		wt_diag_errno(&s->diag, 1, "writing %s (the file is readable up to its last whole chunk)",
			      s->o->output);
		return "write error";
	}
	if (s->rotate_failed)
		return "--rotate failed";
	if ((cpu = reader_failed(s))) {
		errno = wt_cpu_reader_error(s->readers[cpu - 1]);
		wt_diag_errno(&s->diag, 1, "reading cpu%d", cpu - 1);
		return "read error";
	}
	if (deadline > 0 && mono_s() >= deadline)
		return "duration";
	if (s->o->max_size) {
		struct wt_rec_output_totals t;

		wt_rec_output_totals(s->out, &t);
		if (t.file_bytes >= s->o->max_size) {
			s->size_limited = true;
			return "--max-size reached";
		}
	}
	return NULL;
}

int wt_session_run(struct wt_session *s)
{
	struct pollfd p = { .fd = wt_rec_signals_fd(), .events = POLLIN };
	/* --live's view owns the terminal */
	bool status = !s->o->quiet && !s->o->live && isatty(STDERR_FILENO);
	double deadline = s->o->duration > 0 ? s->t0 + s->o->duration : 0;
	double next_status = 0, next_lost = 0, now;
	const char *cause;
	int timeout;

	assert_state(s, S_RUNNING);
	while (!(cause = stop_cause(s, deadline))) {
		now = mono_s();
		if (now >= next_lost) {
			read_lost(s);
			next_lost = now + LOST_READ_S;
		}
		if (status && now >= next_status) {
			show_status(s, s->wm.lost);
			next_status = now + 1;
		}
		rotate_tick(s, now);
		/* a failed write is the output's sticky error: stop_cause */
		wt_rec_watermark_tick(&s->wm, s->readers, s->ncpu, s->out, now);
		/* also the granularity of --max-size and -d: the overshoot
		 * is what the readers write in that time */
		timeout = WT_REC_WATERMARK_MS;
		if (deadline > 0 && (deadline - mono_s()) * 1000 < timeout)
			timeout = (int)((deadline - mono_s()) * 1000) + 1;
		if (poll(&p, 1, timeout) > 0)
			wt_rec_signals_drain();
		if (s->o->scope == WT_SCOPE_CGROUP && mono_s() >= s->cg_next_poll) {
			s->cg_next_poll = mono_s() + 0.1;
			if (poll_cgroup(s) < 0)
				break;
		}
	}
	if (status)
		wt_rec_status_clear(stderr);
	if (s->cg_picked)
		wt_note(s->o->quiet, "%lu process(es) entered %s while recording "
			"and were traced from then on (their earlier events are "
			"not in the file)", s->cg_picked, s->cgs.label);
	if (!cause)
		cause = "error";
	if (cause != s->stop_reason)
		snprintf(s->stop_reason, sizeof(s->stop_reason), "%s", cause);
	return s->diag.status ? -1 : 0;
}

/* ---- draining ----------------------------------------------------------- */

static bool readers_finished(struct wt_session *s)
{
	for (int cpu = 0; cpu < s->ncpu; cpu++)
		if (s->readers[cpu] && !wt_cpu_reader_finished(s->readers[cpu]))
			return false;
	return true;
}

static void stop_readers(struct wt_session *s)
{
	struct timespec nap = { 0, 2 * 1000 * 1000 };
	char byte = 1;

	/* the pipe stays readable: every reader sees it, now or later */
	if (s->stop_pipe[1] >= 0 && write(s->stop_pipe[1], &byte, 1) < 0)
		wt_warn("cannot signal the readers to stop: %s", strerror(errno));
	/* --rotate: the final drain may fill a file too; the series goes on
	 * switching until every reader is done */
	while (s->rot && !s->rotate_failed && !readers_finished(s)) {
		rotate_tick(s, mono_s());
		nanosleep(&nap, NULL);
	}
	if (s->rot && s->rotate_failed) /* no reader may wait at a limit */
		wt_rec_output_disarm(s->out);
	for (int cpu = 0; cpu < s->ncpu; cpu++) {
		struct wt_cpu_reader *r = s->readers[cpu];
		uint64_t c[WT_REC_MAX_EVENTS + 1], ns[WT_REC_COST_N];

		if (!r)
			continue;
		if (wt_cpu_reader_stop(r) < 0)
			wt_diag_errno(&s->diag, 1, "reading cpu%d", cpu);
		wt_cpu_reader_counts(r, c);
		for (int i = 0; i <= WT_REC_MAX_EVENTS; i++)
			s->counts[i] += c[i];
		wt_cpu_reader_costs(r, ns);
		for (int i = 0; i < WT_REC_COST_N; i++)
			s->cost_ns[i] += ns[i];
	}
}

/* One CPU_STATS per CPU into @out, the counters summed into @sum;
 * *@known false when one could not be read. */
static int put_cpu_stats(struct wt_session *s, struct wt_rec_output *out,
			 struct loss *sum, bool *known)
{
	struct wt_kstats k;
	struct wt_buf b = { 0 };
	int ret = 0;

	*known = true;
	for (int cpu = 0; cpu < s->ncpu && !ret; cpu++) {
		char *text;

		if (!s->readers[cpu])
			continue;
		text = read_kstats(s, cpu, &k);
		if (!text) {
			*known = false;
			continue;
		}
		sum->overrun += k.overrun > 0 ? (uint64_t)k.overrun : 0;
		sum->commit_overrun += k.commit_overrun > 0 ?
				       (uint64_t)k.commit_overrun : 0;
		sum->dropped += k.dropped > 0 ? (uint64_t)k.dropped : 0;
		b.len = 0;
		if (wt_buf_reserve(&b, 4) < 0) {
			ret = -1;
		} else {
			wt_put_le32(b.data, (uint32_t)cpu);
			b.len = 4;
			ret = wt_buf_append(&b, text, strlen(text));
			if (!ret)
				ret = wt_rec_output_add(out, WT_CHUNK_CPU_STATS, b.data, b.len);
		}
		free(text);
	}
	wt_buf_free(&b);
	return ret;
}

/* The readers' CPU time by stage (cpu_reader.h), META reader_*_ns. */
static int reader_costs(struct wt_session *s, struct wt_buf *b)
{
	static const char *const key[WT_REC_COST_N] = {
		[WT_REC_COST_READ] = "reader_read_ns",
		[WT_REC_COST_COUNT] = "reader_count_ns",
		[WT_REC_COST_COMPRESS] = "reader_compress_ns",
		[WT_REC_COST_WRITE] = "reader_write_ns",
	};
	char line[64];
	int n;

	for (int i = 0; i < WT_REC_COST_N; i++) {
		n = snprintf(line, sizeof(line), "%s=%llu\n", key[i],
			     (unsigned long long)s->cost_ns[i]);
		if (wt_buf_append(b, line, n) < 0)
			return -1;
	}
	return 0;
}

static int write_cpu_stats(struct wt_session *s)
{
	return put_cpu_stats(s, s->out, &s->kloss, &s->stats_known);
}

static int put_meta_stop(struct wt_session *s, struct wt_rec_output *out,
			 uint64_t stop_ns, const char *reason)
{
	struct wt_buf b = { 0 };
	const char *cs = s->child ? wt_child_status(s->child) : "";
	int ret = -1;

	/* the readers' costs are known once they stopped: the last file */
	if (wt_rec_meta_stop(&b, stop_ns, cs, reason) == 0 &&
	    (out != s->out || reader_costs(s, &b) == 0))
		ret = wt_rec_output_add(out, WT_CHUNK_META, b.data, b.len);
	wt_buf_free(&b);
	return ret;
}

static int write_meta_stop(struct wt_session *s)
{
	return put_meta_stop(s, s->out, s->stop_ns, s->stop_reason);
}

/* The TRAILER of @out; @next: the file the series goes on in, or NULL. */
static int put_trailer(struct wt_rec_output *out, uint64_t stop_ns,
		       uint64_t lost, const char *next)
{
	struct wt_rec_output_totals t;
	char text[512];
	int n;

	wt_rec_output_totals(out, &t);
	n = snprintf(text, sizeof(text),
		     "stop_ns=%llu\nchunks=%llu\ndata_bytes=%llu\nevents_lost=%llu\n"
		     "%s%s%s", (unsigned long long)stop_ns,
		     (unsigned long long)t.chunks,
		     (unsigned long long)t.data_bytes, (unsigned long long)lost,
		     next ? "continued_in=" : "", next ? next : "",
		     next ? "\n" : "");
	if (n < 0 || (size_t)n >= sizeof(text)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return wt_rec_output_add(out, WT_CHUNK_TRAILER, text, (size_t)n);
}

static int write_trailer(struct wt_session *s)
{
	return put_trailer(s->out, s->stop_ns,
			   loss_total(&s->kloss), NULL);
}

/* ---- --rotate: the parts rotate.c asks for ------------------------------ */

static int rot_head(void *ctx, struct wt_rec_output *out, const char *id,
		    unsigned seq)
{
	return write_head(ctx, out, id, seq);
}

static int rot_tail(void *ctx, struct wt_rec_output *out, uint64_t stop_ns,
		    const struct wt_buf *snap, const char *next)
{
	struct wt_session *s = ctx;
	struct loss sum = { 0 };
	bool known;

	if (put_cpu_stats(s, out, &sum, &known) < 0 ||
	    (snap && (wt_rec_output_add(out, WT_CHUNK_PROC, snap->data,
					snap->len) < 0 ||
		      write_cgroups(s, out, snap, "stop") < 0)) ||
	    put_meta_stop(s, out, stop_ns, "rotated") < 0)
		return -1;
	return put_trailer(out, stop_ns, loss_total(&sum), next);
}

static int rot_start(void *ctx, struct wt_rec_output *out, uint64_t start_ns,
		     const struct wt_buf *snap)
{
	struct wt_session *s = ctx;
	struct wt_buf b = { 0 };
	int ret = -1;

	if (wt_rec_meta_restart(&b, start_ns) == 0 &&
	    wt_rec_output_add(out, WT_CHUNK_META, b.data, b.len) == 0 &&
	    wt_rec_output_add(out, WT_CHUNK_PROC, snap->data, snap->len) == 0)
		ret = write_cgroups(s, out, snap, "start");
	wt_buf_free(&b);
	return ret;
}

/* --rotate: the series, before its first file is opened. */
static int setup_series(struct wt_session *s)
{
	static const struct wt_rec_rotate_ops ops_tmpl = {
		NULL, rot_head, rot_tail, rot_start,
	};
	struct wt_rec_rotate_ops ops = ops_tmpl;

	s->path = s->o->output;
	if (!s->o->rotate_size && !s->o->rotate_secs)
		return 0;
	ops.ctx = s;
	s->rot = wt_rec_rotate_new(s->o, &ops, s->nstreams, &s->diag);
	if (!s->rot)
		return -1;
	s->path = wt_rec_rotate_first(s->rot);
	return 0;
}

/* A step of the series each tick; a failure stops the recording. */
static void rotate_tick(struct wt_session *s, double now)
{
	if (s->rot && !s->rotate_failed &&
	    wt_rec_rotate_tick(s->rot, s->out, now, &s->diag) < 0)
		s->rotate_failed = true;
}

static int write_stop_snapshot(struct wt_session *s)
{
	return write_snapshot(s, "stop");
}

/* What the end of a recording writes before its trailer, in order. */
static const struct {
	const char *what;
	int (*write)(struct wt_session *s);
} end_steps[] = {
	{ "the CPU stats", write_cpu_stats },
	{ "the stop snapshot", write_stop_snapshot },
	{ "the stop META", write_meta_stop },
};

/* Say that @what could not be written: with errno's text when the failing
 * callee set one (@err), without when it did not. */
static void end_failed(struct wt_session *s, const char *what, int err)
{
	static const char tail[] =
		"the file is readable up to its last whole chunk";

	if (err) {
		wt_diag_set(&s->diag, 1, "writing %s: %s: %s (%s)",
			    s->o->output, what, strerror(err), tail);
	} else {
		wt_diag_set(&s->diag, 1, "writing %s: %s failed (%s)",
			    s->o->output, what, tail);
	}
}

int wt_session_stop(struct wt_session *s)
{
	const char *failed = NULL; /* what could not be written, if anything */
	int werr = 0;

	if (s->state != S_RUNNING)
		return 0;
	assert_state(s, S_RUNNING);
	s->state = S_DRAINING;
	if (!*s->stop_reason)
		snprintf(s->stop_reason, sizeof(s->stop_reason), "error");
	wt_rec_instance_trace_off(s->inst);
	s->tracing = false;
	s->stop_ns = wt_rec_trace_clock_ns();
	s->elapsed = mono_s() - s->t0;
	stop_readers(s);
	/* a switch under way is finished, the armed next file deleted */
	if (s->rot && wt_rec_rotate_stop(s->rot, s->out, &s->diag) < 0)
		s->rotate_failed = true;
	if (s->child)
		wt_child_reap(s->child);
	/* Failure is carried in @failed, never inferred from errno: a callee
	 * that fails without setting errno must not get the file certified
	 * complete.  errno (cleared before each step) only details the
	 * message. */
	for (size_t i = 0; i < sizeof(end_steps) / sizeof(end_steps[0]); i++) {
		errno = 0;
		if (end_steps[i].write(s) < 0) {
			failed = end_steps[i].what;
			werr = errno;
			break;
		}
	}
	/* the trailer certifies a complete file: only when nothing failed */
	errno = 0;
	if (!failed && !wt_rec_output_error(s->out) && !s->diag.status &&
	    write_trailer(s) < 0) {
		failed = "the trailer";
		werr = errno;
	}
	wt_rec_output_totals(s->out, &s->totals);
	errno = 0;
	if (wt_rec_output_close(s->out) < 0 && !failed) {
		failed = "closing it";
		werr = errno;
	}
	s->out = NULL;
	/* the follower reads to the trailer, then ends: its last lines come
	 * before our summary */
	if (s->live)
		s->live_status = wt_rec_follower_wait(s->live,
						      wt_rec_signals_stop_count);
	if (failed)
		end_failed(s, failed, werr);
	/* a clean stop (the trailer is written) that still did not record
	 * all it was asked to: status 1, said after the summary */
	if (s->size_limited)
		wt_diag_set(&s->diag, 1, "stopped: --max-size reached (%s is %llu bytes, "
			    "limit %llu)", s->o->output,
			    (unsigned long long)s->totals.file_bytes, s->o->max_size);
	s->state = S_STOPPED;
	assert_state(s, S_STOPPED);
	return s->diag.status ? -1 : 0;
}

bool wt_session_summary(struct wt_session *s, struct wt_rec_summary *sum)
{
	if (s->state != S_STOPPED)
		return false;
	memset(sum, 0, sizeof(*sum));
	sum->ev = &s->ev;
	memcpy(sum->counts, s->counts, sizeof(s->counts));
	sum->elapsed_s = s->elapsed;
	sum->file_bytes = s->totals.file_bytes;
	sum->raw_bytes = s->totals.raw_bytes;
	sum->overrun = s->kloss.overrun;
	sum->commit_overrun = s->kloss.commit_overrun;
	sum->dropped = s->kloss.dropped;
	sum->stats_known = s->stats_known;
	sum->path = s->path ? s->path : s->o->output;
	if (s->rot) {
		uint64_t bytes, raw;
		unsigned files;

		wt_rec_rotate_totals(s->rot, &bytes, &raw, &files);
		sum->file_bytes += bytes;
		sum->raw_bytes += raw;
		sum->files = files;
	}
	return true;
}

int wt_session_live_status(const struct wt_session *s)
{
	return s->live_status;
}

const char *wt_session_command_status(struct wt_session *s)
{
	return s->child ? wt_child_status(s->child) : NULL;
}

int wt_session_command_code(struct wt_session *s)
{
	return s->child ? wt_child_exit_code(s->child) : -1;
}

/* ---- teardown ------------------------------------------------------------ */

/* A failure in SETUP or RUNNING: stop threads without writing anything. */
static void abort_running(struct wt_session *s)
{
	wt_rec_instance_trace_off(s->inst);
	s->tracing = false;
	if (s->rot) { /* no reader waits for a next file, none switches */
		wt_rec_rotate_abort(s->rot, s->out);
		s->rotate_failed = true;
	}
	stop_readers(s); /* the first error set in s->diag stays the one shown */
	wt_rec_output_close(s->out);
	s->out = NULL;
}

void wt_session_free(struct wt_session *s)
{
	if (!s)
		return;
	assert(s->state != S_FREED);
	if (s->state == S_SETUP || s->state == S_RUNNING || s->state == S_DRAINING)
		abort_running(s);
	assert(!s->tracing && !s->out);
	wt_rec_follower_free(s->live); /* one still running: killed */
	s->live = NULL;
	wt_rec_rotate_free(s->rot); /* an armed file unused: deleted */
	s->rot = NULL;
	/* every per-CPU file closed before the instance goes (EBUSY / oops) */
	for (int cpu = 0; cpu < s->ncpu; cpu++)
		wt_cpu_reader_close(s->readers[cpu]);
	free(s->readers);
	s->readers = NULL;
	/* events/enable 0 in there disables every event, the probes too: one
	 * write instead of one per event, which cost 11-14 ms more */
	wt_rec_instance_destroy(s->inst);
	/* no longer enabled anywhere and no file of theirs open: deletable */
	wt_kp_probes_destroy(&s->kp);
	wt_rec_events_free(&s->ev);
	wt_child_free(s->child);
	wt_pidset_free(&s->traced);
	wt_buf_free(&s->start_snap);
	wt_buf_free(&s->start_cg);
	wt_cg_limits_free(s->cgl);
	wt_pidset_free(&s->cg_roots);
	wt_rec_signals_restore(&s->sigs);
	wt_rec_signals_close();
	for (int i = 0; i < 2; i++)
		if (s->stop_pipe[i] >= 0)
			close(s->stop_pipe[i]);
	s->state = S_FREED;
	free(s);
}
