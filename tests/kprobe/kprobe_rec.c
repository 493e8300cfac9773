/*
 * kprobe_rec.c - one scripted activity, written as the recordings the two
 * backends would make of it, so that decoding and the model can be checked
 * for the kprobe backend on a kernel without kprobes.
 *
 *   kprobe_rec OUTDIR   writes OUTDIR/tp.wtrec        (tracepoint backend)
 *                              OUTDIR/kp.wtrec        (kprobe, return probes
 *                                                      read $arg<N>: >= 6.9)
 *                              OUTDIR/kp_plain.wtrec  (kprobe, they cannot)
 *
 * Formats: the context events use the real tracepoint formats copied from
 * a 6.18 kernel (tests/decode/formats); the probe events use the format the
 * kernel gives each probe of the plan that record/kprobe_plan.c builds from
 * tests/kprobe/data (an x86_64 kallsyms with the syscall wrappers and
 * kernel_waitid),
 * spelled by record/kprobe_format.c (itself checked against hand-written
 * kernel formats in test_kprobe_format.c).  Records are laid out field by
 * field from those same formats, into real ring-buffer sub-buffers
 * (tests/decode/pagegen.c), and the files are framed by the common writer.
 *
 * The activity (process 1000 "parent" with threads A=1000 and B=1001; the
 * expected outcome is in kprobe_decode.sh; &ru: a rusage buffer passed):
 *   A forks C1..C6 (1101..1106), each execs /bin/childN
 *   A polls wait4(-1, &st, WNOHANG, &ru) 3 times and waitid(P_ALL, &si,
 *     WNOHANG, &ru) once: 0 (the kernel's rusage is not filled: garbage
 *     for the probe; waitid's siginfo is zeroed)
 *   C1 exit_group(3); A wait4(1101, &st, 0, &ru) reaps it, status 0x300,
 *     rusage RU1
 *   A kills C2 with SIGTERM; A waitid(P_ALL, NULL, WEXITED, &ru) reaps it
 *     (tracepoint: the child is inferred; kprobe: kernel_waitid's own
 *     waitid_info says 1102, CLD_KILLED, though nothing was written to
 *     the caller), rusage RU2
 *   A wait4(1103, &st) blocks; B wait4(-1, &st, 0, NULL) blocks; C3
 *     exit_group(0); B returns 1103 (reaped; no rusage: garbage for the
 *     probe), A returns ECHILD: a stolen reap
 *   C5 exit_group(0); B wait4(-1, NULL, 0, &ru) reaps it (a kprobe's
 *     read-back of the NULL status pointer is garbage: the model must
 *     ignore it), rusage RU5
 *   C6 exit_group(7); A waitid(P_PID, 1106, &si, WEXITED, NULL) reaps it:
 *     si_uid 1000, CLD_EXITED, status 7
 *   A waitid(P_PID, 4242, NULL, WEXITED|WNOHANG, NULL): ECHILD
 *   C4 exit_group(1), never reaped: a zombie at the end
 *
 * A second activity, "race", the TCG race seen on Linux 6.1 (a child's
 * exit is traced well before it becomes waitable, in exit_notify): it is
 * written for the tracepoint backend (race_tp), for a kprobe on
 * kernel_waitid with and without return-probe arguments (race_kp,
 * race_kp_plain) and for a kprobe on the syscall wrapper __x64_sys_waitid
 * with and without (race_wrap, race_wrap_plain):
 *   A forks C1 (1201); C1 exit_group(7), do_exit, sched_process_exit
 *   A waitid(P_ALL, WEXITED|WNOHANG) = 0: C1 is not waitable yet, nothing
 *     (kernel_waitid returns 0; the syscall returns 0 with si_pid 0)
 *   C1's SIGCHLD to A (exit_notify); A waitid(P_ALL, WEXITED) reaps C1
 *
 * A third, "reuse": a pid used twice, seen on Linux 6.1 under QEMU with
 * both backends.  The kernel frees a reaped task only after an RCU grace
 * period (delayed_put_task_struct), and the pid filter of a scoped
 * recording (set_event_pid with event-fork) drops the pid when that task
 * is freed (kernel/trace/trace_events.c, event_filter_pid_sched_process_exit
 * on sched_process_free), whichever task has the pid by then:
 *   A forks C1 (1301); C1 exit_group(61); A wait4(1301) reaps it
 *   A forks C2, which gets pid 1301 again (ns_last_pid)
 *   reuse_*: C1's free clears 1301 from the filter: nothing of C2 is
 *     recorded, and C1's free itself runs outside the filter (unseen)
 *   reuse_sys_*: a system-wide recording: C1's free comes after C2's fork,
 *     then C2's exit_group(62) and everything else
 *   A wait4(1301) reaps C2 (status 62 << 8)
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kprobe_format.h"
#include "kprobe_plan.h"
#include "pagegen.h"

#ifndef FORMATS_DIR
#error "FORMATS_DIR must point at tests/decode/formats"
#endif
#ifndef DATA_DIR
#error "DATA_DIR must point at tests/kprobe/data"
#endif

#define SUBBUF 4096
#define MAXPAGES 24
#define T0 1000000000ull           /* trace clock at start: 1 s after boot */
#define STEP 10000ull              /* 10 us between records */
#define GROUP "wtrec_4242"
#define KP_ID0 1900                /* probe event ids (dynamic in a kernel) */
#define A 1000
#define B 1001
#define CLD_EXITED 1
#define CLD_KILLED 2
#define P_ALL 0
#define P_PID 1
#define WNOHANG 1
#define WEXITED 4
#define USER_STATUS 0x7ffc0000aa00ull  /* a user stat_addr */
#define USER_INFOP 0x7ffc0000bb00ull   /* a user siginfo_t * */
#define USER_RU 0x7ffc0000cc00ull      /* a user struct rusage * */
#define GARBAGE 0x5a5a5a5a5a5a5a5aull  /* what a failed read leaves */

/* struct rusage as the return probes read it (the caller's after wait4's
 * copy, kernel_waitid's own) */
struct ru {
	int64_t utime_sec, utime_usec, stime_sec, stime_usec, maxrss, minflt,
		majflt, nvcsw, nivcsw;
};
static const struct ru RU1 = { 0, 1843, 0, 512, 3412, 120, 1, 2, 3 };
static const struct ru RU2 = { 2, 5, 1, 999999, 1048576, 70000, 12, 40, 9 };
static const struct ru RU5 = { 0, 0, 0, 0, 1536, 88, 0, 1, 0 };
static const struct ru RU_GARBAGE = { (int64_t)GARBAGE, (int64_t)GARBAGE,
	(int64_t)GARBAGE, (int64_t)GARBAGE, (int64_t)GARBAGE, (int64_t)GARBAGE,
	(int64_t)GARBAGE, (int64_t)GARBAGE, (int64_t)GARBAGE };

enum backend { TP, KP };

struct ids {
	uint16_t w4_enter, w4_exit, wid_enter, wid_exit, fork, exec, exit,
		 free_, newtask, exit_group, exit_, sig_deliver, sig_generate;
};

struct gen {
	enum backend be;
	const struct wt_kp_plan *plan;
	struct wt_kp_field kf[WT_KP_MAX][WT_KP_MAX_FIELDS];
	int nkf[WT_KP_MAX];
	struct ids id;
	struct pg_file f;
	uint8_t pages[MAXPAGES * SUBBUF];
	unsigned npages;
	struct pg g;
	uint64_t ts;
	unsigned records;
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("kprobe_rec: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- pages ------------------------------------------------------------- */

static void next_page(struct gen *g)
{
	if (g->npages)
		pg_end(&g->g, 0);
	if (g->npages == MAXPAGES)
		die("script longer than %d sub-buffers", MAXPAGES);
	pg_begin(&g->g, g->pages + (size_t)g->npages++ * SUBBUF, SUBBUF, false,
		 g->ts);
}

/* A record one step after the last; @same_time: at the last one's time
 * (a record only one backend has must not shift the other's times). */
static void emit_at(struct gen *g, const struct pg_rec *r, bool same_time)
{
	if (!same_time)
		g->ts += STEP;
	if (pg_record(&g->g, g->ts, r->b, r->len, false)) {
		next_page(g);
		if (pg_record(&g->g, g->ts, r->b, r->len, false))
			die("record of %u bytes does not fit a sub-buffer", r->len);
	}
	g->records++;
}

static void emit(struct gen *g, const struct pg_rec *r)
{
	emit_at(g, r, false);
}

/* ---- kprobe records, laid out from the plan's formats ------------------- */

struct val {
	const char *name;
	uint64_t v;
};

static int probe_index(const struct gen *g, const char *event)
{
	for (int i = 0; i < g->plan->n; i++)
		if (!strcmp(g->plan->probes[i].event, event))
			return i;
	return -1;
}

/* One record of probe @event; @vals name every field the probe may have
 * (fields this plan's probe lacks are skipped, as the kernel would).
 * @same_time: see emit_at(). */
static void kp_emit_at(struct gen *g, const char *event, int32_t tid,
		       const struct val *vals, int nvals, bool same_time)
{
	int i = probe_index(g, event);
	const struct wt_kp_probe *p;
	struct pg_rec r;
	unsigned len;

	if (i < 0)
		die("probe %s not in the plan", event);
	p = &g->plan->probes[i];
	len = (unsigned)wt_kp_args_offset(p);
	for (int k = 0; k < g->nkf[i]; k++)
		len += (unsigned)g->kf[i][k].size;
	pgr_common(&r, false, (uint16_t)(KP_ID0 + i), tid, len);
	/* __probe_ip / __probe_func, __probe_ret_ip: kernel text addresses */
	pgr_put(&r, false, 8, 8, 0xffffffff81360c30ull);
	if (p->is_return)
		pgr_put(&r, false, 16, 8, 0xffffffff81360fdeull);
	for (int k = 0; k < g->nkf[i]; k++) {
		const struct wt_kp_field *f = &g->kf[i][k];
		int v = 0;

		while (v < nvals && strcmp(vals[v].name, f->name))
			v++;
		if (v == nvals)
			die("no value for %s.%s", event, f->name);
		pgr_put(&r, false, (unsigned)f->offset, (unsigned)f->size, vals[v].v);
	}
	emit_at(g, &r, same_time);
}

static void kp_emit(struct gen *g, const char *event, int32_t tid,
		    const struct val *vals, int nvals)
{
	kp_emit_at(g, event, tid, vals, nvals, false);
}

/* ---- the activity's steps, as each backend records them ---------------- */

/* Is waitid probed on kernel_waitid (which returns the child's pid and
 * fills a kernel struct waitid_info) rather than on the syscall? */
static bool kernel_waitid(const struct gen *g)
{
	int i = probe_index(g, "waitid_exit");

	return i >= 0 && !strcmp(g->plan->probes[i].symbol, "kernel_waitid");
}

static void wait4_enter(struct gen *g, int32_t tid, int32_t upid,
			uint64_t stat_addr, int32_t options, uint64_t ru)
{
	struct pg_rec r;

	if (g->be == KP) {
		struct val v[] = { { "upid", (uint32_t)upid },
				   { "stat_addr", stat_addr },
				   { "options", (uint32_t)options },
				   { "ru", ru } };
		kp_emit(g, "wait4_enter", tid, v, 4);
		return;
	}
	/* syscall tracepoint: every argument an 8-byte unsigned field */
	pgr_common(&r, false, g->id.w4_enter, tid, 48);
	pgr_put(&r, false, 8, 4, 61);
	pgr_put(&r, false, 16, 8, (uint64_t)(int64_t)upid);
	pgr_put(&r, false, 24, 8, stat_addr);
	pgr_put(&r, false, 32, 8, (uint64_t)(int64_t)options);
	pgr_put(&r, false, 40, 8, ru);
	emit(g, &r);
}

/* The rusage fields of a return probe, at @v (9 slots). */
static void ru_vals(struct val *v, const struct ru *ru)
{
	const int64_t f[9] = { ru->utime_sec, ru->utime_usec, ru->stime_sec,
			       ru->stime_usec, ru->maxrss, ru->minflt,
			       ru->majflt, ru->nvcsw, ru->nivcsw };
	static const char *const names[9] = {
		"ru_utime_sec", "ru_utime_usec", "ru_stime_sec", "ru_stime_usec",
		"ru_maxrss", "ru_minflt", "ru_majflt", "ru_nvcsw", "ru_nivcsw",
	};

	for (int i = 0; i < 9; i++)
		v[i] = (struct val){ names[i], (uint64_t)f[i] };
}

/* @status: what the kernel left in *stat_addr, @ru in *ru (garbage when
 * it wrote nothing: the probe reads them all the same) */
static void wait4_exit(struct gen *g, int32_t tid, int64_t ret, int32_t status,
		       const struct ru *ru)
{
	struct pg_rec r;

	if (g->be == KP) {
		struct val v[11] = { { "ret", (uint64_t)ret },
				     { "status", (uint32_t)status } };
		ru_vals(v + 2, ru);
		kp_emit(g, "wait4_exit", tid, v, 11);
		return;
	}
	pgr_sys_exit(&r, false, g->id.w4_exit, tid, ret);
	emit(g, &r);
}

static void waitid_enter(struct gen *g, int32_t tid, int32_t which,
			 int32_t upid, uint64_t infop, int32_t options,
			 uint64_t ru)
{
	struct pg_rec r;

	if (g->be == KP) {
		/* __x64_sys_waitid: the caller's own pointers */
		struct val v[] = { { "which", (uint32_t)which },
				   { "upid", (uint32_t)upid },
				   { "infop", infop },
				   { "options", (uint32_t)options },
				   { "ru", ru } };
		kp_emit(g, "waitid_enter", tid, v, 5);
		return;
	}
	pgr_common(&r, false, g->id.wid_enter, tid, 56);
	pgr_put(&r, false, 8, 4, 247);
	pgr_put(&r, false, 16, 8, (uint64_t)(int64_t)which);
	pgr_put(&r, false, 24, 8, (uint64_t)(int64_t)upid);
	pgr_put(&r, false, 32, 8, infop);
	pgr_put(&r, false, 40, 8, (uint64_t)(int64_t)options);
	pgr_put(&r, false, 48, 8, ru);
	emit(g, &r);
}

/* @ret: the syscall's (0 or -errno); kernel_waitid returns the child's pid
 * instead of 0 when it found one.  @pid/@status/@code: its struct
 * waitid_info (uid 1000), @ru its struct rusage. */
static void waitid_exit(struct gen *g, int32_t tid, int64_t ret, int32_t pid,
			int32_t status, int32_t code, const struct ru *ru)
{
	struct pg_rec r;

	if (g->be == KP) {
		/* kernel_waitid returns the pid; the syscall's siginfo has
		 * si_signo (SIGCHLD for a report) */
		bool kern = kernel_waitid(g);
		struct val v[15] = { { "ret", (uint64_t)(kern && ret == 0 && pid ? pid : ret) },
				     { "si_pid", (uint32_t)pid },
				     { "si_status", (uint32_t)status },
				     { "si_code", (uint32_t)code },
				     { "si_uid", pid ? 1000 : 0 },
				     { "si_signo", pid ? 17 : 0 } };
		ru_vals(v + 6, ru);
		kp_emit(g, "waitid_exit", tid, v, 15);
		return;
	}
	pgr_sys_exit(&r, false, g->id.wid_exit, tid, ret);
	emit(g, &r);
}

static void fork_child(struct gen *g, int32_t parent, int32_t child, int n)
{
	char path[32];
	struct pg_rec r;

	pgr_newtask(&r, false, g->id.newtask, parent, child, "parent", 0x11);
	emit(g, &r);
	pgr_fork(&r, false, g->id.fork, parent, "parent", parent, "parent", child);
	emit(g, &r);
	snprintf(path, sizeof(path), "/bin/child%d", n);
	pgr_exec(&r, false, g->id.exec, child, path, child);
	emit(g, &r);
}

/* The end of a single-threaded child: @wstatus is its wait status. */
static void child_dies(struct gen *g, int32_t child, int n, int32_t wstatus,
		       int32_t parent)
{
	char comm[16];
	struct pg_rec r;
	bool killed = (wstatus & 0x7f) != 0;

	snprintf(comm, sizeof(comm), "child%d", n);
	if (killed) {
		/* complete_signal() turned the fatal signal into SIGKILL */
		pgr_sig_deliver(&r, false, g->id.sig_deliver, child, 9, 0);
	} else {
		pgr_exit_call(&r, false, g->id.exit_group, child, wstatus >> 8);
	}
	emit(g, &r);
	if (g->be == KP) {
		struct val v[] = { { "code", (uint64_t)(int64_t)wstatus } };
		/* kprobe only: at the exit call's time */
		kp_emit_at(g, "do_exit", child, v, 1, true);
	}
	pgr_exit(&r, false, g->id.exit, child, comm, 1);
	emit(g, &r);
	pgr_sig_generate(&r, false, g->id.sig_generate, child, 17,
			 killed ? CLD_KILLED : CLD_EXITED, "parent", parent, 1, 0);
	emit(g, &r);
}

static void freed(struct gen *g, int32_t child, int n)
{
	char comm[16];
	struct pg_rec r;

	snprintf(comm, sizeof(comm), "child%d", n);
	pgr_free(&r, false, g->id.free_, 0, comm, child);
	emit(g, &r);
}

static void script(struct gen *g)
{
	struct pg_rec r;

	for (int n = 1; n <= 6; n++)
		fork_child(g, A, 1100 + n, n);
	for (int i = 0; i < 3; i++) {
		wait4_enter(g, A, -1, USER_STATUS, WNOHANG, USER_RU);
		wait4_exit(g, A, 0, 0x1234, &RU_GARBAGE);
	}
	waitid_enter(g, A, P_ALL, 0, USER_INFOP, WEXITED | WNOHANG, USER_RU);
	waitid_exit(g, A, 0, 0, 0, 0, &RU_GARBAGE);

	child_dies(g, 1101, 1, 3 << 8, A);
	wait4_enter(g, A, 1101, USER_STATUS, 0, USER_RU);
	wait4_exit(g, A, 1101, 3 << 8, &RU1);
	freed(g, 1101, 1);

	pgr_sig_generate(&r, false, g->id.sig_generate, A, 15, 0, "child2", 1102, 1, 0);
	emit(g, &r);
	child_dies(g, 1102, 2, 15, A);
	waitid_enter(g, A, P_ALL, 0, 0, WEXITED, USER_RU);
	waitid_exit(g, A, 0, 1102, 15, CLD_KILLED, &RU2);
	freed(g, 1102, 2);

	wait4_enter(g, A, 1103, USER_STATUS, 0, 0);
	wait4_enter(g, B, -1, USER_STATUS + 64, 0, 0);
	child_dies(g, 1103, 3, 0, A);
	wait4_exit(g, B, 1103, 0, &RU_GARBAGE);
	wait4_exit(g, A, -10, 0x1234, &RU_GARBAGE);
	freed(g, 1103, 3);

	child_dies(g, 1105, 5, 0, A);
	wait4_enter(g, B, -1, 0, 0, USER_RU + 256);
	wait4_exit(g, B, 1105, 0x5a5a5a5a, &RU5);
	freed(g, 1105, 5);

	child_dies(g, 1106, 6, 7 << 8, A);
	waitid_enter(g, A, P_PID, 1106, USER_INFOP, WEXITED, 0);
	waitid_exit(g, A, 0, 1106, 7, CLD_EXITED, &RU_GARBAGE);
	freed(g, 1106, 6);

	waitid_enter(g, A, P_PID, 4242, 0, WEXITED | WNOHANG, 0);
	waitid_exit(g, A, -10, 0, 0, 0, &RU_GARBAGE);

	child_dies(g, 1104, 4, 1 << 8, A);
}

/* The race activity (see the top of this file). */
static void script_race(struct gen *g)
{
	struct pg_rec r;

	fork_child(g, A, 1201, 1);
	pgr_exit_call(&r, false, g->id.exit_group, 1201, 7);
	emit(g, &r);
	if (g->be == KP) {
		struct val v[] = { { "code", 7 << 8 } };
		kp_emit_at(g, "do_exit", 1201, v, 1, true);
	}
	pgr_exit(&r, false, g->id.exit, 1201, "child1", 1);
	emit(g, &r);
	waitid_enter(g, A, P_ALL, 0, USER_INFOP, WEXITED | WNOHANG, 0);
	waitid_exit(g, A, 0, 0, 0, 0, &RU_GARBAGE);
	pgr_sig_generate(&r, false, g->id.sig_generate, 1201, 17, CLD_EXITED,
			 "parent", A, 1, 0);
	emit(g, &r);
	waitid_enter(g, A, P_ALL, 0, USER_INFOP, WEXITED, 0);
	waitid_exit(g, A, 0, 1201, 7, CLD_EXITED, &RU_GARBAGE);
	freed(g, 1201, 1);
}

/* The reuse activity (see the top of this file); @filtered: the kernel's
 * pid filter dropped the second child's events. */
static void reuse(struct gen *g, bool filtered)
{
	struct pg_rec r;

	fork_child(g, A, 1301, 1);
	child_dies(g, 1301, 1, 61 << 8, A);
	wait4_enter(g, A, 1301, USER_STATUS, 0, 0);
	wait4_exit(g, A, 1301, 61 << 8, &RU_GARBAGE);
	pgr_newtask(&r, false, g->id.newtask, A, 1301, "parent", 0x11);
	emit(g, &r);
	pgr_fork(&r, false, g->id.fork, A, "parent", A, "parent", 1301);
	emit(g, &r);
	if (!filtered) {
		freed(g, 1301, 1); /* C1's, late */
		child_dies(g, 1301, 2, 62 << 8, A);
	}
	wait4_enter(g, A, 1301, USER_STATUS, 0, 0);
	wait4_exit(g, A, 1301, 62 << 8, &RU_GARBAGE);
	if (!filtered)
		freed(g, 1301, 2);
}

static void script_reuse(struct gen *g)
{
	reuse(g, true);
}

static void script_reuse_sys(struct gen *g)
{
	reuse(g, false);
}

/* ---- the file ---------------------------------------------------------- */

static const char *const tp_waits[4][2] = {
	{ "syscalls", "sys_enter_wait4" }, { "syscalls", "sys_exit_wait4" },
	{ "syscalls", "sys_enter_waitid" }, { "syscalls", "sys_exit_waitid" },
};

static void format(struct gen *g, const char *sys, const char *name,
		   uint16_t *id)
{
	if (pgf_format(&g->f, FORMATS_DIR, sys, name, NULL, id))
		die("cannot read %s/%s__%s.format", FORMATS_DIR, sys, name);
}

static void kp_formats(struct gen *g)
{
	char text[4096], chunk[4200];

	for (int i = 0; i < g->plan->n; i++) {
		int n = wt_kp_format_text(&g->plan->probes[i], KP_ID0 + i, text,
					  sizeof(text));

		g->nkf[i] = wt_kp_fields(&g->plan->probes[i], g->kf[i]);
		if (n < 0 || g->nkf[i] < 0)
			die("cannot spell the format of %s", g->plan->probes[i].event);
		n = snprintf(chunk, sizeof(chunk), GROUP "\n%s", text);
		pgf_chunk(&g->f, WT_CHUNK_FORMAT, chunk, (size_t)n);
	}
}

static void formats(struct gen *g)
{
	uint16_t *wait_ids[4] = { &g->id.w4_enter, &g->id.w4_exit,
				  &g->id.wid_enter, &g->id.wid_exit };

	if (pgf_header_page(&g->f, FORMATS_DIR))
		die("cannot read %s/header_page", FORMATS_DIR);
	for (int i = 0; g->be == TP && i < 4; i++)
		format(g, tp_waits[i][0], tp_waits[i][1], wait_ids[i]);
	if (g->be == KP)
		kp_formats(g);
	format(g, "sched", "sched_process_fork", &g->id.fork);
	format(g, "sched", "sched_process_exec", &g->id.exec);
	format(g, "sched", "sched_process_exit", &g->id.exit);
	format(g, "sched", "sched_process_free", &g->id.free_);
	format(g, "task", "task_newtask", &g->id.newtask);
	format(g, "syscalls", "sys_enter_exit_group", &g->id.exit_group);
	format(g, "syscalls", "sys_enter_exit", &g->id.exit_);
	format(g, "signal", "signal_deliver", &g->id.sig_deliver);
	format(g, "signal", "signal_generate", &g->id.sig_generate);
}

static void meta_start(struct gen *g)
{
	char text[16384], line[WT_KP_LINE_MAX];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text),
		"version=0.1.0\nhost=kprobe-rec\nkernel=6.18.0-generated\n"
		"kernel_build=#1 SMP\narch=x86_64\ncpus=1\npage_size=4096\n"
		"subbuf_size=%d\nclock=boot\nwall_realtime_ns=1700000000000000000\n"
		"wall_trace_ns=%llu\nbackend=%s\n", SUBBUF, T0,
		g->be == KP ? "kprobe" : "tracepoint");
	for (int i = 0; g->be == KP && i < g->plan->n; i++) {
		wt_kp_probe_format(&g->plan->probes[i], GROUP, line, sizeof(line));
		n += (size_t)snprintf(text + n, sizeof(text) - n, "probe.%d=%s\n",
				      i, line);
	}
	/* the recorder's META wait_memory (record/kprobe_backend.c); the
	 * tracepoint file has none, as recordings made before the key */
	if (g->be == KP)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "wait_memory=%s\n", g->plan->ret_args ?
				      "read: generated" :
				      "pointers only: generated, no $arg<N>");
	snprintf(text + n, sizeof(text) - n,
		 "cmdline=wtrec record --backend %s -d 1\nscope=system\n"
		 "scope_pids=\ncommand=\nstart_ns=%llu\nevents=%s\n"
		 "missing_events=\nbuffer_kb=1024\n",
		 g->be == KP ? "kprobe" : "tracepoint", T0,
		 g->be == KP ? GROUP ":wait4_enter,..." : "syscalls:sys_enter_wait4,...");
	pgf_text(&g->f, WT_CHUNK_META, text);
}

static const char proc_start[] =
	"# wtrec-proc 1\nwhen=start\nts=1000000000\nclk_tck=100\n"
	"1000\t1000\t1\tS\t50\t0\t0\tparent\n"
	"1000\t1001\t1\tS\t50\t0\t0\tparent\n";

/* @zombie: the stop snapshot's zombie line ("" for none) */
static void finish(struct gen *g, const char *zombie)
{
	char text[512];
	uint64_t stop = g->ts + STEP;

	pg_end(&g->g, 0);
	pgf_cpu_data(&g->f, 0, SUBBUF, g->pages, g->npages);
	snprintf(text, sizeof(text), "stop_ns=%llu\ncommand_status=\n"
		 "stop_reason=duration\n", (unsigned long long)stop);
	pgf_text(&g->f, WT_CHUNK_META, text);
	snprintf(text, sizeof(text), "# wtrec-proc 1\nwhen=stop\nts=%llu\n"
		 "clk_tck=100\n1000\t1000\t1\tS\t50\t0\t0\tparent\n"
		 "1000\t1001\t1\tS\t50\t0\t0\tparent\n%s",
		 (unsigned long long)stop, zombie);
	pgf_text(&g->f, WT_CHUNK_PROC, text);
	snprintf(text, sizeof(text), "entries: 0\noverrun: 0\ncommit overrun: 0\n"
		 "bytes: 0\ndropped events: 0\nread events: %u\n", g->records);
	pgf_cpu_stats(&g->f, 0, text);
	snprintf(text, sizeof(text), "stop_ns=%llu\nchunks=9\ndata_bytes=%u\n"
		 "events_lost=0\n", (unsigned long long)stop, g->npages * SUBBUF);
	pgf_text(&g->f, WT_CHUNK_TRAILER, text);
}

static void build(enum backend be, const struct wt_kp_plan *plan,
		  void (*activity)(struct gen *), const char *dir,
		  const char *name)
{
	char path[1024];

	static struct gen g;

	memset(&g, 0, sizeof(g));
	g.be = be;
	g.plan = plan;
	g.ts = T0;
	pgf_begin(&g.f, false);
	meta_start(&g);
	formats(&g);
	pgf_text(&g.f, WT_CHUNK_PROC, proc_start);
	next_page(&g);
	activity(&g);
	finish(&g, activity == script ? "1104\t1104\t1000\tZ\t100\t0\t0\tchild4\n" : "");
	snprintf(path, sizeof(path), "%s/%s.wtrec", dir, name);
	if (pgf_write(&g.f, path))
		die("cannot write %s: %s", path, strerror(errno));
	pgf_free(&g.f);
}

static void plan_for(const char *kallsyms, const char *readme,
		     struct wt_kp_plan *plan)
{
	char err[256];

	if (wt_kp_plan_build(WT_KP_X86_64, kallsyms, readme, plan, err,
			     sizeof(err)) < 0)
		die("plan: %s", err);
}

int main(int argc, char **argv)
{
	static const char kern[] = DATA_DIR "/kallsyms_x86_kernel.txt",
			  wrap[] = DATA_DIR "/kallsyms_x86_wrappers.txt",
			  args[] = DATA_DIR "/readme_retargs.txt",
			  noargs[] = DATA_DIR "/readme_plain.txt";
	struct wt_kp_plan retargs, plain, wrap_args, wrap_plain;

	if (argc != 2) {
		fprintf(stderr, "usage: kprobe_rec OUTDIR\n");
		return 2;
	}
	plan_for(kern, args, &retargs);
	plan_for(kern, noargs, &plain);
	plan_for(wrap, args, &wrap_args);
	plan_for(wrap, noargs, &wrap_plain);
	build(TP, NULL, script, argv[1], "tp");
	build(KP, &retargs, script, argv[1], "kp");
	build(KP, &plain, script, argv[1], "kp_plain");
	build(TP, NULL, script_race, argv[1], "race_tp");
	build(KP, &retargs, script_race, argv[1], "race_kp");
	build(KP, &plain, script_race, argv[1], "race_kp_plain");
	build(KP, &wrap_args, script_race, argv[1], "race_wrap");
	build(KP, &wrap_plain, script_race, argv[1], "race_wrap_plain");
	build(TP, NULL, script_reuse, argv[1], "reuse_tp");
	build(KP, &retargs, script_reuse, argv[1], "reuse_kp");
	build(KP, &plain, script_reuse, argv[1], "reuse_kp_plain");
	build(TP, NULL, script_reuse_sys, argv[1], "reuse_sys_tp");
	build(KP, &plain, script_reuse_sys, argv[1], "reuse_sys_kp_plain");
	return 0;
}
