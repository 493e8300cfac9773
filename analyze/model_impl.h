/*
 * model_impl.h - the state shared by model.c (process life, snapshots,
 * flushing) and model_wait.c (wait calls and reaps).  Internal to the
 * model: nothing outside those two files includes it.
 *
 * Errors follow model.h: 0 / -1, the message in m->err, m->failed set.
 */
#ifndef WT_MODEL_IMPL_H
#define WT_MODEL_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include "model.h"
#include "model_proc.h"

#define SIGCHLD_NR 17
#define CLD_EXITED_CODE 1
#define CLD_DUMPED_CODE 3

#define WNOHANG_FL 0x00000001u
#define WUNTRACED_FL 0x00000002u
#define WEXITED_FL 0x00000004u
#define WCONTINUED_FL 0x00000008u
#define WNOWAIT_FL 0x01000000u

enum meta_key { MK_HOST, MK_KERNEL, MK_ARCH, MK_BACKEND, MK_CLOCK, MK_SCOPE,
		MK_COMMAND, MK_COMMAND_STATUS, MK_EVENTS, MK_MISSING, MK_CPUS,
		MK_START, MK_STOP, MK_WALL_RT, MK_WALL_TRACE, MK_SCOPE_PIDS,
		MK_COUNT };

struct cpu_acc {
	bool has_stats;
	struct wt_cpu_stats st;
	int64_t lost_markers;
};

enum snap_phase { SNAP_NONE, SNAP_START, SNAP_EVENTS };

/* Calls per (syscall, idtype, outcome, errno): a few dozen combinations,
 * counted here so the summary needs no pass over every wait_call row. */
struct outcome_acc {
	uint8_t sys;
	int8_t which;
	const char *outcome, *errno_name; /* static strings */
	int64_t calls, inferred;
};

struct wt_model {
	struct wt_db *db;
	struct wt_ptab pt;
	struct wt_imap newtask;       /* child tid -> clone flags */
	int64_t rec_id;
	char *path;
	char *meta[MK_COUNT];
	enum snap_phase phase;
	int64_t start_snap_ns, stop_snap_ns;
	bool saw_group_dead;          /* the exit tracepoint has group_dead */
	int64_t first_ts, last_ts;
	struct cpu_acc *cpus;
	uint32_t ncpu;
	struct outcome_acc *oc;
	uint32_t noc, coc;
	/* options_text of the last call: pollers repeat the same options */
	char opts[160];
	int opts_sys;
	uint32_t opts_val;
	bool failed, finished;
	char err[512];
};

static inline struct wt_mproc *proc_at(struct wt_model *m, uint32_t idx)
{
	return idx == WT_NOIDX ? NULL : wt_ptab_proc(&m->pt, idx);
}

static inline struct wt_mthread *thread_at(struct wt_model *m, uint32_t idx)
{
	return idx == WT_NOIDX ? NULL : wt_ptab_thread(&m->pt, idx);
}

/* model.c */
int wt_mdl_fail(struct wt_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int wt_mdl_fail_db(struct wt_model *m);
int wt_mdl_fail_nomem(struct wt_model *m);
uint32_t wt_mdl_new_proc(struct wt_model *m, int32_t pid);
void wt_mdl_set_parent(struct wt_model *m, struct wt_mproc *p, uint32_t par);
uint32_t wt_mdl_thread_of(struct wt_model *m, int32_t tid, const char *comm);
int wt_mdl_status_decode(int32_t st, int32_t *val);

/* model_wait.c */
int wt_mdl_wait_enter(struct wt_model *m, const struct wt_event *ev);
int wt_mdl_wait_exit(struct wt_model *m, const struct wt_event *ev);
int wt_mdl_close_unfinished(struct wt_model *m, struct wt_mthread *th);
int wt_mdl_flush_outcomes(struct wt_model *m);

#endif /* WT_MODEL_IMPL_H */
