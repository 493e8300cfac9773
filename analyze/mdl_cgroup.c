/*
 * mdl_cgroup.c - cgroups and containers: which cgroup each process is in,
 * which container that names, the forks that failed, and the pids limits
 * the recorder read.
 *
 * The kernel's rules (Linux 6.x):
 *  - kernel/cgroup/cgroup.c cgroup_post_fork(): a child starts in the
 *    cgroups of the task that forked it (its css_set), whatever its
 *    parent; with clone3(CLONE_INTO_CGROUP) in the cgroup the fd names
 *    instead (cgroup_css_set_fork()) - which no event says, so such a
 *    child's cgroup is unknown until a move or the stop snapshot shows it.
 *  - cgroup_attach_task() fires cgroup:cgroup_attach_task once per write
 *    to cgroup.procs / tasks / cgroup.threads, with the leader's pid when
 *    the whole process moved and a thread's for a single thread (its
 *    threadgroup flag is not in the event: a leader's tid may stand for a
 *    v1 tasks write that moved only the leader, taken as the process).
 *    cgroup-v1.c cgroup_transfer_tasks() fires cgroup_transfer_tasks per
 *    task.  dst_root is the hierarchy: 0 the v2 one, else a v1 id (the
 *    first field of /proc/PID/cgroup); only v2 and the v1 pids hierarchy
 *    (the CGROUP chunk's pids_hierarchy) are kept.
 *  - kernel/cgroup/pids.c: a zombie keeps its pid charged until it is
 *    reaped (pids_release() from release_task()), so zombies fill
 *    pids.max, and pids_can_fork() then fails the fork with EAGAIN -
 *    after alloc_pid() took a pid in each of the child's pid namespaces
 *    (kernel/fork.c copy_process()), which the namespaces' pid sequence
 *    must count (mdl_ns_failed_fork()).
 *
 * Paths are interned: one copy per distinct path, shared by every process
 * in it (a fork copies a pointer), with the container it names parsed once
 * (common/container_id.c).  wt_mproc.cgroup and cgroup_pids point into
 * this table; the model frees it at the end.
 *
 * Rows written here: fork_failure (also to the observer, model.h) and
 * cgroup_move as their events come, cgroup_limit as the CGROUP chunks
 * come, model_check's cgroup_* at the end; the process row's cgroup
 * columns through mdl_cg_row().
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "container_id.h"
#include "strset.h"
#include "mdl.h"
#include "wait_text.h"

#define CLONE_INTO_CGROUP_FL 0x200000000ull

enum cg_basis { CGB_NONE, CGB_SNAPSHOT, CGB_FORK, CGB_MOVE, CGB_STOP };

static const char *const basis_names[] = {
	[CGB_SNAPSHOT] = "snapshot", [CGB_FORK] = "fork", [CGB_MOVE] = "move",
	[CGB_STOP] = "stop_snapshot",
};

enum cg_check { CGK_UNSEEN_MOVE, CGK_CLONE_INTO, CGK_UNKNOWN_TASK,
		CGK_OTHER_HIERARCHY, CGK_THREAD_MOVE, CGK_NSPID_TAKEN,
		CGK_NSPID_LOST, CGK_COUNT };

static const struct mdl_check_name check_names[CGK_COUNT] = {
	[CGK_UNSEEN_MOVE] = { "cgroup_move_unseen", "disagreement",
		"processes whose cgroup in the stop snapshot is not the one the "
		"model had: a move the recording did not show" },
	[CGK_CLONE_INTO] = { "cgroup_clone_into", "inference",
		"children forked with CLONE_INTO_CGROUP: their cgroup is not "
		"their parent's, and no event names it" },
	[CGK_UNKNOWN_TASK] = { "cgroup_move_of_unknown_task", "count",
		"cgroup moves of a task the recording did not know" },
	[CGK_OTHER_HIERARCHY] = { "cgroup_move_other_hierarchy", "count",
		"cgroup moves in a v1 hierarchy other than pids (ignored)" },
	[CGK_THREAD_MOVE] = { "cgroup_thread_move", "count",
		"moves of a single thread, not its process" },
	[CGK_NSPID_TAKEN] = { "nspid_used_by_failed_fork", "inference",
		"forks in a pid namespace that failed with EAGAIN, taken to have "
		"used up a pid there (the pids controller refuses after "
		"alloc_pid(); RLIMIT_NPROC would refuse before)" },
	[CGK_NSPID_LOST] = { "nspid_sequence_lost", "inference",
		"forks in a pid namespace that failed otherwise: the namespace's "
		"pid sequence is no longer known" },
};

/* One interned path and the container it names: the header of its
 * entry in the set (the path follows it, common/strset.h). */
struct cg_path {
	bool parsed, found;
	struct wt_container c;
};

struct mdl_cgroups {
	struct wt_strset paths;  /* of struct cg_path */
	int32_t pids_root;       /* id of the v1 pids hierarchy, -1 unknown */
	int64_t checks[CGK_COUNT];
};

static struct mdl_cgroups *state(struct wt_model *m)
{
	if (!m->cg && (m->cg = calloc(1, sizeof(*m->cg)))) {
		m->cg->pids_root = -1;
		m->cg->paths.hdr = sizeof(struct cg_path);
	}
	if (!m->cg)
		mdl_fail_nomem(m);
	return m->cg;
}

/* The interned copy of @path (NULL stays NULL); NULL with m->failed on
 * ENOMEM. */
static const char *intern(struct wt_model *m, const char *path)
{
	struct mdl_cgroups *g = state(m);
	void *e;

	if (!path || !g)
		return NULL;
	if (!(e = wt_strset_get(&g->paths, path, NULL))) {
		mdl_fail_nomem(m);
		return NULL;
	}
	return wt_strset_key(&g->paths, e);
}

/* The container interned @path names, or NULL. */
static const struct wt_container *container_of(struct wt_model *m,
					       const char *path)
{
	if (!path || !m->cg)
		return NULL;
	struct cg_path *e = wt_strset_entry(&m->cg->paths, path);
	if (!e->parsed) {
		e->found = wt_container_parse(path, &e->c);
		e->parsed = true;
	}
	return e->found ? &e->c : NULL;
}

/* A process's container: its v2 cgroup's, else its pids cgroup's. */
static const struct wt_container *proc_container(struct wt_model *m,
						 const char *v2,
						 const char *pids)
{
	const struct wt_container *c = container_of(m, v2);
	return c ? c : container_of(m, pids);
}

void mdl_cg_free(struct wt_model *m)
{
	struct mdl_cgroups *g = m->cg;

	if (!g)
		return;
	wt_strset_free(&g->paths);
	free(g);
	m->cg = NULL;
}

/* ---- sources: snapshots, forks, moves ------------------------------------ */

int mdl_cg_snapshot(struct wt_model *m, struct wt_mproc *p,
		    const struct wt_proc_entry *e, bool at_start)
{
	const char *v2 = intern(m, e->cgroup2), *pids = intern(m, e->cgroup_pids);

	if (m->failed)
		return -1;
	if (at_start) {
		p->cgroup = v2;
		p->cgroup_pids = pids;
		p->cg_basis = CGB_SNAPSHOT;
		return 0;
	}
	/* The stop snapshot: the model's answer stands unless it has none
	 * or the snapshot says otherwise (a move the trace did not show). */
	if (!v2 && !pids)
		return 0;
	bool had = p->cgroup || p->cgroup_pids;
	if (had && p->cgroup == v2 && p->cgroup_pids == pids)
		return 0;
	if (had && p->exit_ns == WT_NONE)
		state(m)->checks[CGK_UNSEEN_MOVE]++;
	if (had && p->exit_ns != WT_NONE)
		return 0; /* a zombie keeps the cgroup it died in */
	p->cgroup = v2;
	p->cgroup_pids = pids;
	p->cg_basis = CGB_STOP;
	return m->failed ? -1 : 0;
}

void mdl_cg_fork(struct wt_model *m, struct wt_mproc *c,
		 const struct wt_mproc *forker, uint64_t flags)
{
	if (flags & CLONE_INTO_CGROUP_FL) {
		if (state(m))
			m->cg->checks[CGK_CLONE_INTO]++;
		return;
	}
	c->cgroup = forker->cgroup;
	c->cgroup_pids = forker->cgroup_pids;
	c->cg_basis = forker->cgroup || forker->cgroup_pids ? CGB_FORK
							    : CGB_NONE;
}

int mdl_on_cgroup_move(struct wt_model *m, const struct wt_event *ev)
{
	struct mdl_cgroups *g = state(m);
	const char *hier;

	if (!g)
		return -1;
	if (ev->cgroup_move.root == 0)
		hier = "v2";
	else if (ev->cgroup_move.root == g->pids_root)
		hier = "pids";
	else {
		g->checks[CGK_OTHER_HIERARCHY]++;
		return 0;
	}
	struct wt_mthread *th = thread_at(m, wt_ptab_find_tid(&m->pt,
						ev->cgroup_move.pid));
	if (!th) {
		g->checks[CGK_UNKNOWN_TASK]++;
		return 0;
	}
	struct wt_mproc *p = proc_at(m, th->proc);
	const char *path = intern(m, ev->str);
	if (!path)
		return -1;
	bool thread_only = ev->cgroup_move.pid != p->pid;
	if (thread_only) {
		g->checks[CGK_THREAD_MOVE]++;
	} else {
		if (hier[0] == 'v')
			p->cgroup = path;
		else
			p->cgroup_pids = path;
		p->cg_basis = CGB_MOVE;
	}
	struct wt_cgroup_move_row row = {
		.recording_id = m->rec_id, .ts_ns = (int64_t)ev->ts,
		.upid = p->upid, .tid = ev->cgroup_move.pid, .hierarchy = hier,
		.path = path, .thread_only = thread_only,
		.transfer = ev->cgroup_move.transfer,
	};
	return wt_db_put_cgroup_move(m->db, &row) < 0 ? mdl_fail_db(m) : 0;
}

/* ---- facts: failed forks, limits ----------------------------------------- */

static const char *fork_sys_name(uint8_t sys)
{
	static const char *const names[] = {
		[WT_FORK_CLONE] = "clone", [WT_FORK_CLONE3] = "clone3",
		[WT_FORK_FORK] = "fork", [WT_FORK_VFORK] = "vfork",
	};
	return sys >= WT_FORK_CLONE && sys <= WT_FORK_VFORK ? names[sys] : NULL;
}

int mdl_on_fork_fail(struct wt_model *m, const struct wt_event *ev)
{
	uint32_t ti = mdl_thread_of(m, ev->tid, NULL);
	struct mdl_cgroups *g = state(m);

	if (ti == WT_NOIDX || !g)
		return -1;
	bool eagain = ev->fork_fail.ret == -11;
	if (mdl_ns_failed_fork(m, ti, eagain))
		g->checks[eagain ? CGK_NSPID_TAKEN : CGK_NSPID_LOST]++;
	struct wt_mthread *th = thread_at(m, ti);
	struct wt_mproc *p = proc_at(m, th->proc);
	struct wt_mns *ns = ns_at(m, p->pidns);
	const struct wt_container *c = proc_container(m, p->cgroup,
						      p->cgroup_pids);
	struct wt_fork_failure_row row = {
		.recording_id = m->rec_id, .ts_ns = (int64_t)ev->ts,
		.utid = th->utid, .upid = p->upid, .tid = th->tid,
		.pid = p->pid, .comm = p->comm[0] ? p->comm : NULL,
		.syscall = fork_sys_name(ev->fork_fail.sys),
		.ret = ev->fork_fail.ret,
		.errno_name = wt_errno_name(ev->fork_fail.ret),
		.pidns_id = ns ? ns->id : WT_NONE,
		.cgroup = p->cgroup, .cgroup_pids = p->cgroup_pids,
		.container_id = c ? c->id : NULL,
		.container_runtime = c ? c->runtime : NULL,
	};
	if (wt_db_put_fork_failure(m->db, &row) < 0)
		return mdl_fail_db(m);
	if (m->obs && m->obs->fork_failure)
		m->obs->fork_failure(m->obs->ctx, &row);
	return 0;
}

static int64_t opt_count(int64_t v)
{
	return v < 0 ? WT_NONE : v;
}

int mdl_cg_limit(struct wt_model *m, const struct wt_cgroup_entry *e)
{
	struct mdl_cgroups *g = state(m);

	if (!g)
		return -1;
	if (!e->path) { /* the chunk's header */
		if (e->pids_hierarchy >= 0)
			g->pids_root = e->pids_hierarchy;
		return 0;
	}
	struct wt_container c;
	bool found = wt_container_parse(e->path, &c);
	bool read = e->pids_current >= 0 || e->pids_max != -1;
	struct wt_cgroup_limit_row row = {
		.recording_id = m->rec_id,
		.snapshot = e->at_start ? "start" : "stop",
		.ts_ns = e->snap_ts ? (int64_t)e->snap_ts : WT_NONE,
		.hierarchy = e->hierarchy, .path = e->path, .pids_read = read,
		.pids_current = opt_count(e->pids_current),
		.pids_max = opt_count(e->pids_max),
		.pids_peak = opt_count(e->pids_peak),
		.pids_events_max = opt_count(e->pids_events_max),
		.container_id = found ? c.id : NULL,
		.container_runtime = found ? c.runtime : NULL,
	};
	return wt_db_put_cgroup_limit(m->db, &row) < 0 ? mdl_fail_db(m) : 0;
}

/* ---- rows ------------------------------------------------------------------ */

void mdl_cg_row(struct wt_model *m, const struct wt_mproc *p,
		struct wt_process_row *row)
{
	const struct wt_container *c = proc_container(m, p->cgroup,
						      p->cgroup_pids);

	row->cgroup = p->cgroup;
	row->cgroup_pids = p->cgroup_pids;
	row->cgroup_basis = p->cg_basis ? basis_names[p->cg_basis] : NULL;
	row->container_id = c ? c->id : NULL;
	row->container_runtime = c ? c->runtime : NULL;
}

int mdl_cg_flush(struct wt_model *m)
{
	struct mdl_cgroups *g = state(m);

	if (!g)
		return -1;
	for (int i = 0; i < CGK_COUNT; i++) {
		struct wt_check_row row = {
			.recording_id = m->rec_id, .name = check_names[i].name,
			.kind = check_names[i].kind, .count = g->checks[i],
			.meaning = check_names[i].meaning,
		};
		if (wt_db_put_check(m->db, &row) < 0)
			return mdl_fail_db(m);
	}
	return 0;
}
