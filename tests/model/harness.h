/*
 * harness.h - the scenario builder the model's unit tests share: a fresh
 * database per case, the events and snapshot lines a scenario feeds the
 * model (what the decoder would deliver), and queries on the result.
 *
 * Ground truth is the scenario itself: the events say which child exited
 * with what and which call returned it, so the expected rows are known
 * without looking at the model's code.  What the kernel does that a
 * scenario need not spell out (each exit's SIGCHLD to the parent thread,
 * none when that parent ignores SIGCHLD) die() adds from the forks and
 * snapshot lines seen so far.
 *
 * Checks are tests/lib/tcheck.h's (CHECK, and EXPECT_INT / EXPECT_STR
 * below, which name what they compare); the harness's own failures (an
 * event the model refused, a query that did not prepare) go through
 * t_failf(), which each test program defines with tcheck_failf(): the
 * tcheck counters are per program.
 */
#ifndef WT_TEST_MODEL_HARNESS_H
#define WT_TEST_MODEL_HARNESS_H

#include "model.h"   /* before anything pulling <signal.h> (event.h si_*) */
#include "db.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sqlite3.h>
#include "tcheck.h"

#define BASE 1000000000000LL        /* 1000 s after boot */
#define MS(x) ((uint64_t)(BASE + (int64_t)((x) * 1000000.0)))

#define WNOHANG 1
#define WUNTRACED 2
#define WEXITED 4
#define WNOWAIT 0x01000000
#define CLONE_THREAD 0x10000
#define CLONE_PARENT 0x8000
#define CLONE_NEWPID 0x20000000
#define WALL 0x40000000
#define WNOTHREAD 0x20000000
#define SIGCHLD_IGN_MASK 0x10000ULL  /* SigIgn bit of signal 17 */

#define MAXPID 4096

#define EXPECT_INT(got, want, what) do { \
	long long g_ = (got), w_ = (want); \
	CHECK(g_ == w_, "%s: got %lld, want %lld", what, g_, w_); \
} while (0)
#define EXPECT_STR(got, want, what) do { \
	const char *g_ = (got), *w_ = (want); \
	CHECK(g_ && w_ ? !strcmp(g_, w_) : g_ == w_, "%s: got '%s', want '%s'", \
	      what, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

struct t {
	char path[256];
	struct wt_db *db;
	struct wt_model *m;
	sqlite3 *h;         /* read-only handle once finished */
	bool ok;
	uint64_t lost;
};

#define NUL -999999   /* what q_int returns for NULL or no row */

extern int cur_case;              /* names the case's database file */
extern int parent_of[MAXPID];    /* pid -> its parent thread's tid */
extern bool ignores[MAXPID];     /* pid -> SigIgn has SIGCHLD */
extern char tmpdir[];
/* When set, t_model() attaches it to each new model (before its first
 * meta, as model.h asks); NULL by default. */
extern const struct wt_model_observer *t_observer;

/* A failure of the harness itself, counted by the test program (which
 * defines it with tcheck_failf()). */
void t_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void t_model(struct t *t, const char *name);
void t_begin(struct t *t, const char *dbpath);
void t_end_recording(struct t *t, bool complete);
void t_finish(struct t *t);
void t_close(struct t *t);
void ev(struct t *t, struct wt_event e);
void snap(struct t *t, bool start, uint64_t ts, int tgid, int tid,
		 int ppid, char state, uint64_t start_ns, uint64_t sigign,
		 const char *comm);
void snap_proc(struct t *t, int pid, int ppid, const char *comm,
		      uint64_t sigign);
void fork_ev(struct t *t, double ms, int parent, int child,
		    const char *comm);
void newtask(struct t *t, double ms, int cur, int child,
		    uint64_t flags);
void exit_ev(struct t *t, double ms, int tid, bool group_dead);
/* sched_process_exit of a kernel before 6.13 (no group_dead field), as
 * the decoder gives it: group_dead true, has_group_dead false. */
void exit_ev_old(struct t *t, double ms, int tid);
void exit_group(struct t *t, double ms, int tid, int code);
void die_quiet(struct t *t, double ms, int pid, int code);
void die(struct t *t, double ms, int pid, int code);
void sig_deliver(struct t *t, double ms, int tid, int sig);
void sigchld(struct t *t, double ms, int tid, int target, int code,
		    int result);
void free_ev(struct t *t, double ms, int pid);
void wait4_enter(struct t *t, double ms, int tid, int pid, int opt);
void waitid_enter(struct t *t, double ms, int tid, int which, int id,
			 int opt);
void wait_exit(struct t *t, double ms, int tid, int sys, int64_t ret);
void wait4(struct t *t, double ms, int tid, int pid, int opt,
		  int64_t ret);
void waitid(struct t *t, double ms, int tid, int which, int id,
		   int opt, int64_t ret);
sqlite3_stmt *q_prep(struct t *t, const char *sql);
long long q_int(struct t *t, const char *sql);
const char *q_text(struct t *t, const char *sql);
int report_rows(struct t *t, const char *name, const char *col,
		       int row, char *cell, size_t cellsz);
const char *report_cell(struct t *t, const char *name, const char *col,
			       int row);

/* sched_process_wait of the open call of @tid: do_wait()'s global target */
void wait_target(struct t *t, double ms, int tid, int gpid);
/* prctl(PR_SET_CHILD_SUBREAPER, on) */
void subreaper(struct t *t, double ms, int tid, bool on);
/* unshare(CLONE_NEWPID), failing when @fails */
void unshare_pidns(struct t *t, double ms, int tid, bool fails);
/* task_newtask with @flags, then the fork */
void fork_flags(struct t *t, double ms, int parent, int child,
		uint64_t flags, const char *comm);
/* signal_generate of @sig from @from to @target, delivered (result 0) */
void sig_generate(struct t *t, double ms, int from, int target, int sig);
/* a start-snapshot leader line with its pid namespace: @nlev NSpid
 * levels, outermost first */
void snap_ns(struct t *t, int pid, int ppid, const char *comm,
	     uint64_t ino, int nlev, const int *nspid);

#endif
