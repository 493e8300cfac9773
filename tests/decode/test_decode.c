/*
 * test_decode.c - unit tests of the decoder (analyze/decode*.c, proc_parse,
 * meta).
 *
 * Ground truth comes from outside the decoder: recordings are built by
 * pagegen.c with the kernel's sub-buffer layout and the field layouts of
 * real formats (tests/decode/formats/, copied from tracefs), and the
 * expected event list is written down here next to the records that encode
 * it.  Cases are numbered; the binary exits non-zero when any fails and
 * ends with "N passed, M failed".
 *
 *   test_decode                          run every case
 *   test_decode --write-corpus DIR       write the fuzz seed files
 *   test_decode --write-file PATH        write the basic recording
 *   test_decode --write-big PATH N       write a recording of ~N events
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decode.h"
#include "decode_events.h"
#include "meta.h"
#include "pagegen.h"
#include "proc_parse.h"
#include "tcheck.h"

#ifndef WT_FORMATS_DIR
#define WT_FORMATS_DIR "tests/decode/formats"
#endif

#define SUBBUF 4096

/* ---- allocation failures ------------------------------------------------ */

/* realloc() is wrapped at link time (-Wl,--wrap=realloc): a request of a
 * size in [fail_lo, fail_hi] fails, as when memory runs out. */
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t fail_lo = SIZE_MAX, fail_hi;

void *__wrap_realloc(void *p, size_t n)
{
	if (n >= fail_lo && n <= fail_hi) {
		errno = ENOMEM;
		return NULL;
	}
	return __real_realloc(p, n);
}

/* ---- collecting sink ----------------------------------------------------- */

struct got {
	char kind; /* 'M'eta, 'P'roc, 'E'vent, 'S'tats, 'C'group limits */
	struct wt_event ev;
	struct wt_proc_entry proc;
	struct wt_cpu_stats st;
	struct wt_cgroup_entry cg;
	char s1[300], s2[300]; /* key/value, comm, event string */
};

struct collector {
	struct got *v;
	size_t n, cap;
	int abort_at; /* return 7 from the abort_at-th callback (1-based) */
	unsigned progress_calls;
	uint64_t last_done, last_total;
};

static struct got *add(struct collector *c, char kind)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (!c->v)
			abort();
	}
	memset(&c->v[c->n], 0, sizeof(c->v[0]));
	c->v[c->n].kind = kind;
	return &c->v[c->n++];
}

static int verdict(struct collector *c)
{
	return c->abort_at && (int)c->n == c->abort_at ? 7 : 0;
}

static int on_meta(void *ctx, const char *k, const char *v)
{
	struct got *g = add(ctx, 'M');

	snprintf(g->s1, sizeof(g->s1), "%s", k);
	snprintf(g->s2, sizeof(g->s2), "%s", v);
	return verdict(ctx);
}

static int on_proc(void *ctx, const struct wt_proc_entry *p)
{
	struct got *g = add(ctx, 'P');

	g->proc = *p;
	snprintf(g->s1, sizeof(g->s1), "%s", p->comm);
	g->proc.comm = NULL;
	return verdict(ctx);
}

static int on_event(void *ctx, const struct wt_event *ev)
{
	struct got *g = add(ctx, 'E');

	g->ev = *ev;
	if (ev->str)
		snprintf(g->s1, sizeof(g->s1), "%s", ev->str);
	g->ev.str = NULL;
	return verdict(ctx);
}

static int on_stats(void *ctx, const struct wt_cpu_stats *s)
{
	struct got *g = add(ctx, 'S');

	g->st = *s;
	return verdict(ctx);
}

static int on_cgroup(void *ctx, const struct wt_cgroup_entry *e)
{
	struct got *g = add(ctx, 'C');

	g->cg = *e;
	snprintf(g->s1, sizeof(g->s1), "%s", e->hierarchy ? e->hierarchy : "");
	snprintf(g->s2, sizeof(g->s2), "%s", e->path ? e->path : "");
	g->cg.hierarchy = g->cg.path = NULL;
	return verdict(ctx);
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
	struct collector *c = ctx;

	c->progress_calls++;
	c->last_done = done;
	c->last_total = total;
}

static struct wt_sink sink_of(struct collector *c)
{
	return (struct wt_sink){ c, on_meta, on_proc, on_event, on_stats,
				 on_cgroup };
}

static void collector_free(struct collector *c)
{
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Events only, in delivery order, into @out (at most @max); returns count. */
static size_t events_of(const struct collector *c, const struct got **out,
			size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n && n < max; i++)
		if (c->v[i].kind == 'E')
			out[n++] = &c->v[i];
	return n;
}

static int decode_buf(const struct pg_file *f, struct collector *c,
		      struct wt_decode_result *res, char *err, size_t errlen)
{
	struct wt_sink sink = sink_of(c);

	return wt_decode_mem(f->buf.data, f->buf.len, "test.wtrec", &sink, res,
			     err, errlen);
}

/* ---- the recording most cases start from -------------------------------- */

struct ids {
	uint16_t w4_enter, w4_exit, wid_enter, wid_exit, fork, exec, exit,
		 free_, newtask, exit_group, exit_, sig_deliver, sig_generate;
};

static int add_formats(struct pg_file *f, struct ids *id, bool old_exit)
{
	const char *d = WT_FORMATS_DIR;
	int rc = 0;

	rc |= pgf_header_page(f, d);
	rc |= pgf_format(f, d, "syscalls", "sys_enter_wait4", NULL, &id->w4_enter);
	rc |= pgf_format(f, d, "syscalls", "sys_exit_wait4", NULL, &id->w4_exit);
	rc |= pgf_format(f, d, "syscalls", "sys_enter_waitid", NULL, &id->wid_enter);
	rc |= pgf_format(f, d, "syscalls", "sys_exit_waitid", NULL, &id->wid_exit);
	rc |= pgf_format(f, d, "sched", "sched_process_fork", NULL, &id->fork);
	rc |= pgf_format(f, d, "sched", "sched_process_exec", NULL, &id->exec);
	rc |= pgf_format(f, d, "sched", "sched_process_exit",
			 old_exit ? "group_dead" : NULL, &id->exit);
	rc |= pgf_format(f, d, "sched", "sched_process_free", NULL, &id->free_);
	rc |= pgf_format(f, d, "task", "task_newtask", NULL, &id->newtask);
	rc |= pgf_format(f, d, "syscalls", "sys_enter_exit_group", NULL,
			 &id->exit_group);
	rc |= pgf_format(f, d, "syscalls", "sys_enter_exit", NULL, &id->exit_);
	rc |= pgf_format(f, d, "signal", "signal_deliver", NULL, &id->sig_deliver);
	rc |= pgf_format(f, d, "signal", "signal_generate", NULL,
			 &id->sig_generate);
	return rc;
}

static const char long_path[] =
	"/opt/a-rather-long-installation-prefix/of-some-vendor/bin/"
	"and-a-program-name-long-enough-for-a-type-len-zero-record";

#define T0 1000000ull
#define TBIG (T0 + 500 + (1ull << 28)) /* needs a time extend */
#define TABS 5000000000ull               /* written as an absolute stamp */
#define UNKNOWN_ID 9999

/*
 * Expected events of the basic recording, in global time order.  The two
 * events at T0+200 (cpu 0 and cpu 1) check the tie rule: lower CPU first.
 */
struct want {
	uint64_t ts;
	int cpu;
	enum wt_ev_type type;
	int32_t tid;
};
static const struct want basic_want[] = {
	{ T0 + 100, 0, WT_EV_WAIT_ENTER, 200 },
	{ T0 + 150, 1, WT_EV_FORK, 200 },
	{ T0 + 200, 0, WT_EV_EXIT, 300 },
	{ T0 + 200, 1, WT_EV_NEWTASK, 200 },
	{ T0 + 250, 1, WT_EV_EXEC, 300 },
	{ T0 + 260, 1, WT_EV_WAIT_ENTER, 201 },
	{ T0 + 280, 1, WT_EV_WAIT_EXIT, 201 },
	{ T0 + 300, 0, WT_EV_SIG_GENERATE, 300 },
	{ T0 + 400, 0, WT_EV_WAIT_EXIT, 200 },
	{ T0 + 500, 0, WT_EV_EXIT_CALL, 400 },
	{ T0 + 600, 1, WT_EV_FREE, 0 },
	{ TBIG, 0, WT_EV_WAIT_ENTER, 200 },
	{ TBIG + 10, 0, WT_EV_WAIT_EXIT, 200 },
	{ TABS, 1, WT_EV_SIG_DELIVER, 500 },
	{ TABS + 20, 1, WT_EV_EXIT_CALL, 501 },
};
#define NBASIC (sizeof(basic_want) / sizeof(basic_want[0]))

static void rec(struct pg *g, uint64_t ts, const struct pg_rec *r, bool big)
{
	if (pg_record(g, ts, r->b, r->len, big)) {
		fprintf(stderr, "pagegen: record does not fit\n");
		abort();
	}
}

/* CPU 0: two sub-buffers in one chunk.  Tail padding ends page 1. */
static void cpu0_pages(uint8_t *pages, bool be, const struct ids *id)
{
	struct pg g;
	struct pg_rec r;

	pg_begin(&g, pages, SUBBUF, be, T0);
	pgr_wait4_enter(&r, be, id->w4_enter, 200, -1, 0x40000001);
	rec(&g, T0 + 100, &r, false);
	pgr_exit(&r, be, id->exit, 300, "child", 1);
	rec(&g, T0 + 200, &r, false);
	pgr_sig_generate(&r, be, id->sig_generate, 300, 17, 1, "parent", 200, 1, 0);
	rec(&g, T0 + 300, &r, false);
	pgr_sys_exit(&r, be, id->w4_exit, 200, 300);
	rec(&g, T0 + 400, &r, false);
	pg_padding(&g, 16, 0);
	pg_end(&g, 0);

	pg_begin(&g, pages + SUBBUF, SUBBUF, be, T0 + 500);
	pgr_exit_call(&r, be, id->exit_group, 400, 256);
	rec(&g, T0 + 500, &r, false);
	pgr_wait4_enter(&r, be, id->w4_enter, 200, 0, 0);
	rec(&g, TBIG, &r, false);
	pgr_sys_exit(&r, be, id->w4_exit, 200, -10);
	rec(&g, TBIG + 10, &r, false);
	pg_end(&g, 0);
}

/* CPU 1, chunk 1: a big (type_len 0) record and a discarded-event padding. */
static void cpu1_chunk1(uint8_t *page, bool be, const struct ids *id)
{
	struct pg g;
	struct pg_rec r;

	pg_begin(&g, page, SUBBUF, be, T0 + 140);
	pgr_fork(&r, be, id->fork, 200, "bash", 200, "child", 300);
	rec(&g, T0 + 150, &r, false);
	pgr_newtask(&r, be, id->newtask, 200, 300, "bash", 0x1200011);
	rec(&g, T0 + 200, &r, false);
	pgr_exec(&r, be, id->exec, 300, long_path, 300);
	rec(&g, T0 + 250, &r, false);
	pgr_waitid_enter(&r, be, id->wid_enter, 201, 1, 300, 4 | 1);
	rec(&g, T0 + 260, &r, false);
	pg_padding(&g, 24, 5); /* a discarded event 5 ns later */
	pgr_sys_exit(&r, be, id->wid_exit, 201, 0);
	rec(&g, T0 + 280, &r, false);
	pg_end(&g, 0);
}

/* CPU 1, chunk 2: absolute time stamps, a record of an id with no format. */
static void cpu1_chunk2(uint8_t *page, bool be, const struct ids *id)
{
	struct pg g;
	struct pg_rec r;

	pg_begin(&g, page, SUBBUF, be, T0 + 600);
	pgr_free(&r, be, id->free_, 0, "child", 300);
	rec(&g, T0 + 600, &r, false);
	pg_abs_ts(&g, TABS);
	pgr_sig_deliver(&r, be, id->sig_deliver, 500, 9, 0);
	rec(&g, TABS, &r, false);
	pgr_common(&r, be, UNKNOWN_ID, 500, 16);
	rec(&g, TABS + 10, &r, false);
	pgr_exit_call(&r, be, id->exit_, 501, 1);
	rec(&g, TABS + 20, &r, true); /* small payload, long form */
	pg_end(&g, 0);
}

static const char proc_start[] =
	"# wtrec-proc 1\nwhen=start\nts=900000\nclk_tck=100\n"
	"100\t100\t1\tS\t250\t0000000000000000\t0000000000010000\tbash\n"
	"100\t101\t1\tS\t261\t0\t0\tbash worker\n";
static const char proc_stop[] =
	"# wtrec-proc 1\nwhen=stop\nts=6000000000\nclk_tck=100\n"
	"300\t300\t200\tZ\t300\t0\t0\tchild\n";
static const char stats0[] =
	"entries: 0\noverrun: 3\ncommit overrun: 0\nbytes: 0\n"
	"oldest event ts:     0.000000\nnow ts:   371.182885\n"
	"dropped events: 2\nread events: 7\n";
static const char stats1[] =
	"entries: 0\noverrun: 0\ncommit overrun: 0\nbytes: 0\n"
	"dropped events: 0\nread events: 8\n";

/* ---- one sub-buffer on CPU 0: the frame of the single-page cases -------- */

/* op_begin(), records into .g (with .r, .id), op_decode(), checks on .c
 * and .res, op_end(). */
struct one_page {
	uint8_t page[SUBBUF];
	struct pg_file f;
	struct collector c;
	struct wt_decode_result res;
	struct pg g;
	struct pg_rec r;
	struct ids id;
	char err[256];
};

enum op_formats { OP_NO_FORMATS, OP_FORMATS, OP_OLD_EXIT_FORMAT };

static void op_begin(struct one_page *op, enum op_formats formats,
		     uint64_t ts)
{
	memset(op, 0, sizeof(*op));
	pgf_begin(&op->f, false);
	if (formats != OP_NO_FORMATS)
		CHECK_EQ(add_formats(&op->f, &op->id,
				     formats == OP_OLD_EXIT_FORMAT), 0);
	pg_begin(&op->g, op->page, SUBBUF, false, ts);
}

/* Ends the page (@missed as for pg_end), adds it as CPU 0's data and
 * decodes the file; decode_buf()'s return. */
static int op_decode(struct one_page *op, int64_t missed)
{
	pg_end(&op->g, missed);
	pgf_cpu_data(&op->f, 0, SUBBUF, op->page, 1);
	return decode_buf(&op->f, &op->c, &op->res, op->err, sizeof(op->err));
}

static void op_end(struct one_page *op)
{
	collector_free(&op->c);
	pgf_free(&op->f);
}

/* Offsets of interesting chunks, for cutting and corrupting. */
struct layout {
	size_t cpu1_chunk2; /* chunk header offset */
	size_t after_cpu1_chunk2;
};

static void build_basic(struct pg_file *f, bool be, struct layout *lay)
{
	static uint8_t p0[2 * SUBBUF], p1[SUBBUF], p2[SUBBUF];
	struct ids id;

	pgf_begin(f, be);
	pgf_text(f, WT_CHUNK_META, "version=0.1.0\nhost=testhost\ncpus=2\n"
		 "clock=boot\n");
	if (add_formats(f, &id, false)) {
		fprintf(stderr, "cannot read formats from %s\n", WT_FORMATS_DIR);
		exit(2);
	}
	pgf_text(f, WT_CHUNK_PROC, proc_start);
	cpu0_pages(p0, be, &id);
	cpu1_chunk1(p1, be, &id);
	cpu1_chunk2(p2, be, &id);
	pgf_cpu_data(f, 1, SUBBUF, p1, 1);
	pgf_cpu_data(f, 0, SUBBUF, p0, 2);
	if (lay)
		lay->cpu1_chunk2 = f->buf.len;
	pgf_cpu_data(f, 1, SUBBUF, p2, 1);
	if (lay)
		lay->after_cpu1_chunk2 = f->buf.len;
	pgf_text(f, 99, "a chunk type from the future\n");
	pgf_text(f, WT_CHUNK_META, "stop_ns=6000000000\nhost=override\n");
	pgf_text(f, WT_CHUNK_PROC, proc_stop);
	pgf_cpu_stats(f, 0, stats0);
	pgf_cpu_stats(f, 1, stats1);
	pgf_text(f, WT_CHUNK_TRAILER, "stop_ns=6000000000\nevents_lost=5\n");
}

/* ---- cases ------------------------------------------------------------- */

/* Values of each event of the basic recording. */
static void check_basic_values(const struct got **e)
{
	CHECK_EQ(e[0]->ev.wait_enter.sys, WT_SYS_WAIT4);
	CHECK_EQ(e[0]->ev.wait_enter.upid, -1);
	CHECK_EQ(e[0]->ev.wait_enter.which, WT_P_ALL);
	CHECK_EQ(e[0]->ev.wait_enter.options, 0x40000001);
	CHECK_EQ(e[1]->ev.fork.parent_tid, 200);
	CHECK_EQ(e[1]->ev.fork.child_tid, 300);
	CHECK_STR(e[1]->s1, "child");
	CHECK_EQ(e[2]->ev.exit.group_dead, true);
	CHECK_STR(e[2]->s1, "child");
	CHECK_EQ(e[3]->ev.newtask.child_tid, 300);
	CHECK_EQ(e[3]->ev.newtask.clone_flags, 0x1200011);
	CHECK_STR(e[3]->s1, "bash");
	CHECK_STR(e[4]->s1, long_path);
	CHECK_EQ(e[4]->ev.exec.old_tid, 300);
	CHECK_EQ(e[5]->ev.wait_enter.sys, WT_SYS_WAITID);
	CHECK_EQ(e[5]->ev.wait_enter.which, WT_P_PID);
	CHECK_EQ(e[5]->ev.wait_enter.upid, 300);
	CHECK_EQ(e[5]->ev.wait_enter.options, 5);
	CHECK_EQ(e[6]->ev.wait_exit.sys, WT_SYS_WAITID);
	CHECK_EQ(e[6]->ev.wait_exit.ret, 0);
	CHECK_EQ(e[6]->ev.wait_exit.has_status, false);
	CHECK_EQ(e[7]->ev.sig_generate.sig, 17);
	CHECK_EQ(e[7]->ev.sig_generate.code, 1);
	CHECK_EQ(e[7]->ev.sig_generate.target_pid, 200);
	CHECK_EQ(e[7]->ev.sig_generate.group, 1);
	CHECK_EQ(e[7]->ev.sig_generate.result, 0);
	CHECK_STR(e[7]->s1, "parent");
	CHECK_EQ(e[8]->ev.wait_exit.sys, WT_SYS_WAIT4);
	CHECK_EQ(e[8]->ev.wait_exit.ret, 300);
	CHECK_EQ(e[9]->ev.exit_call.group, true);
	CHECK_EQ(e[9]->ev.exit_call.code, 256);
	CHECK_EQ(e[10]->ev.free.pid, 300);
	CHECK_STR(e[10]->s1, "child");
	CHECK_EQ(e[11]->ev.wait_enter.upid, 0);
	CHECK_EQ(e[11]->ev.wait_enter.which, WT_P_PGID);
	CHECK_EQ(e[12]->ev.wait_exit.ret, -10);
	CHECK_EQ(e[13]->ev.sig_deliver.sig, 9);
	CHECK_EQ(e[13]->ev.sig_deliver.code, 0);
	CHECK_EQ(e[14]->ev.exit_call.group, false);
	CHECK_EQ(e[14]->ev.exit_call.code, 1);
}

/* Order of everything the sink saw: meta, start procs, events, stop procs,
 * stats. */
static void check_basic_order(const struct collector *c)
{
	static const char order[] = "MMMMMPPEEEEEEEEEEEEEEEPSS";

	CHECK_EQ(c->n, strlen(order));
	for (size_t i = 0; i < c->n && i < strlen(order); i++)
		if (c->v[i].kind != order[i]) {
			CHECK(c->v[i].kind == order[i], "item %zu is '%c', "
			      "expected '%c'", i, c->v[i].kind, order[i]);
			return;
		}
	/* a later META value replaces the earlier one in place */
	CHECK_STR(c->v[0].s1, "version");
	CHECK_STR(c->v[1].s1, "host");
	CHECK_STR(c->v[1].s2, "override");
	CHECK_STR(c->v[4].s1, "stop_ns");
	CHECK_EQ(c->v[5].proc.at_start, true);
	CHECK_EQ(c->v[5].proc.tgid, 100);
	CHECK_EQ(c->v[5].proc.start_ns, 2500000000ull);
	CHECK_EQ(c->v[5].proc.sig_cgt, 0x10000);
	CHECK_EQ(c->v[5].proc.snap_ts, 900000);
	CHECK_STR(c->v[6].s1, "bash worker");
	CHECK_EQ(c->v[6].proc.start_ns, 2610000000ull);
	CHECK_EQ(c->v[22].proc.at_start, false);
	CHECK_EQ(c->v[22].proc.state, 'Z');
	CHECK_EQ(c->v[22].proc.ppid, 200);
	CHECK_EQ(c->v[23].st.cpu, 0);
	CHECK_EQ(c->v[23].st.overrun, 3);
	CHECK_EQ(c->v[23].st.dropped, 2);
	CHECK_EQ(c->v[23].st.read_events, 7);
	CHECK_EQ(c->v[23].st.commit_overrun, 0);
	CHECK_EQ(c->v[24].st.cpu, 1);
	CHECK_EQ(c->v[24].st.read_events, 8);
}

static void check_basic(bool be)
{
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	const struct got *e[64];
	char err[256] = "";
	size_t n;

	build_basic(&f, be, NULL);
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), 0);
	n = events_of(&c, e, 64);
	CHECK_EQ(n, NBASIC);
	for (size_t i = 0; i < n && i < NBASIC; i++)
		CHECK(e[i]->ev.ts == basic_want[i].ts &&
		      e[i]->ev.cpu == basic_want[i].cpu &&
		      e[i]->ev.type == basic_want[i].type &&
		      e[i]->ev.tid == basic_want[i].tid,
		      "event %zu: ts %" PRIu64 " cpu %d type %d tid %d; expected "
		      "ts %" PRIu64 " cpu %d type %d tid %d", i, e[i]->ev.ts,
		      e[i]->ev.cpu, e[i]->ev.type, e[i]->ev.tid, basic_want[i].ts,
		      basic_want[i].cpu, basic_want[i].type, basic_want[i].tid);
	if (n == NBASIC)
		check_basic_values(e);
	check_basic_order(&c);
	CHECK_EQ(res.events, NBASIC);
	CHECK_EQ(res.unknown_events, 1);
	CHECK_EQ(res.lost_events, 5);
	CHECK_EQ(res.complete, true);
	CHECK_EQ(res.damaged, false);
	CHECK_EQ(res.first_ts, T0 + 100);
	CHECK_EQ(res.last_ts, TABS + 20);
	CHECK_EQ(res.counts[WT_EV_WAIT_ENTER], 3);
	CHECK_EQ(res.counts[WT_EV_WAIT_EXIT], 3);
	CHECK_EQ(res.counts[WT_EV_LOST], 0);
	CHECK_EQ(res.bad_subbufs, 0);
	CHECK_EQ(res.malformed_events, 0);
	collector_free(&c);
	pgf_free(&f);
}

static void case_basic_le(void) { check_basic(false); }
static void case_basic_be(void) { check_basic(true); }

/* Missed-events flags in sub-buffer headers become WT_EV_LOST markers. */
static void case_missed(void)
{
	static uint8_t pages[3 * SUBBUF];
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	const struct got *e[16];
	struct pg g;
	struct pg_rec r;
	struct ids id;
	char err[256];

	pgf_begin(&f, false);
	add_formats(&f, &id, false);
	pg_begin(&g, pages, SUBBUF, false, 100);
	pgr_sys_exit(&r, false, id.w4_exit, 10, 1);
	rec(&g, 110, &r, false);
	pg_end(&g, 0);
	pg_begin(&g, pages + SUBBUF, SUBBUF, false, 200);
	pg_time_extend(&g, 5); /* kbuffer's own missed count misses this case */
	pgr_sys_exit(&r, false, id.w4_exit, 10, 2);
	rec(&g, 210, &r, false);
	pg_end(&g, 7);
	pg_begin(&g, pages + 2 * SUBBUF, SUBBUF, false, 300);
	pgr_sys_exit(&r, false, id.w4_exit, 10, 3);
	rec(&g, 310, &r, false);
	pg_end(&g, -1);
	pgf_cpu_data(&f, 3, SUBBUF, pages, 3);

	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), 0);
	CHECK_EQ(events_of(&c, e, 16), 5);
	CHECK_EQ(e[1]->ev.type, WT_EV_LOST);
	CHECK_EQ(e[1]->ev.lost.count, 7);
	CHECK_EQ(e[1]->ev.ts, 200);
	CHECK_EQ(e[1]->ev.cpu, 3);
	CHECK_EQ(e[2]->ev.wait_exit.ret, 2);
	CHECK_EQ(e[2]->ev.ts, 210);
	CHECK_EQ(e[3]->ev.type, WT_EV_LOST);
	CHECK_EQ(e[3]->ev.lost.count, 0);
	CHECK_EQ(e[4]->ev.wait_exit.ret, 3);
	CHECK_EQ(res.events, 3);
	CHECK_EQ(res.counts[WT_EV_LOST], 2);
	CHECK_EQ(res.lost_events, 7); /* no stats: page-header counts */
	CHECK_EQ(res.complete, false);
	CHECK_EQ(c.v[c.n - 1].kind, 'S');
	CHECK_EQ(c.v[c.n - 1].st.missed_in_pages, 7);
	CHECK_EQ(c.v[c.n - 1].st.overrun, -1);
	collector_free(&c);
	pgf_free(&f);
}

/* Records whose fields lie beyond their size: rejected, never read. */
static void case_malformed(void)
{
	static struct one_page op;
	const struct got *e[16];
	struct pg_rec *r = &op.r;
	struct ids *id = &op.id;

	op_begin(&op, OP_FORMATS, 100);
	pgr_wait4_enter(r, false, id->w4_enter, 10, -1, 0);
	r->len = 24; /* upid fits, options (32..40) does not */
	rec(&op.g, 101, r, false);
	pgr_fork(r, false, id->fork, 10, "p", 10, "c", 11);
	pgr_put(r, false, 16, 4, 200u << 16 | 20); /* child_comm past the end */
	rec(&op.g, 102, r, false);
	pgr_common(r, false, id->w4_exit, 10, 0);
	rec(&op.g, 103, r, true); /* too short even for common_type */
	pgr_exec(r, false, id->exec, 10, "/bin/true", 10);
	pgr_put(r, false, 8, 4, 0xffffffffu); /* loc 0xffff, len 0xffff */
	rec(&op.g, 104, r, false);
	pgr_sys_exit(r, false, id->w4_exit, 10, -4);
	rec(&op.g, 105, r, false);

	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(events_of(&op.c, e, 16), 1);
	CHECK_EQ(e[0]->ev.wait_exit.ret, -4);
	CHECK_EQ(op.res.malformed_events, 3);
	CHECK_EQ(op.res.unknown_events, 1);
	CHECK_EQ(op.res.damaged, true);
	CHECK(strstr(op.res.damage, "test.wtrec: ") == op.res.damage);
	op_end(&op);
}

/* A file cut inside a CPU chunk: damaged, everything before still decoded. */
static void case_truncated(void)
{
	struct pg_file f;
	struct layout lay;
	struct collector c = { 0 };
	struct wt_decode_result res;
	const struct got *e[64];
	char err[256];

	build_basic(&f, false, &lay);
	f.buf.len = (lay.cpu1_chunk2 + lay.after_cpu1_chunk2) / 2;
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), 0);
	CHECK_EQ(res.damaged, true);
	CHECK_EQ(res.complete, false);
	CHECK(strstr(res.damage, "offset") != NULL);
	/* cpu 0 and cpu 1's first chunk: everything but the last 4 events of
	 * cpu 1 (free, sig_deliver, the unknown one, exit) */
	CHECK_EQ(events_of(&c, e, 64), NBASIC - 3);
	CHECK_EQ(res.unknown_events, 0);
	CHECK_EQ(c.v[0].kind, 'M');
	CHECK_EQ(c.v[c.n - 1].kind, 'S'); /* stats of the CPUs with data */
	CHECK_EQ(c.v[c.n - 1].st.overrun, -1);
	collector_free(&c);

	/* a file cut inside its header is unreadable */
	f.buf.len = 10;
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), -1);
	CHECK(strstr(err, "test.wtrec") != NULL);
	collector_free(&c);
	pgf_free(&f);
}

/* Pages kbuffer must never see: bad commit, lengths that would run past the
 * data or walk backwards.  Each is skipped, its neighbours decoded. */
static void case_bad_pages(void)
{
	static uint8_t pages[8 * SUBBUF];
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	const struct got *e[16];
	struct pg g;
	struct pg_rec r;
	struct ids id;
	char err[256];
	int good = 0;

	pgf_begin(&f, false);
	add_formats(&f, &id, false);
	for (int i = 0; i < 8; i++) {
		pg_begin(&g, pages + i * SUBBUF, SUBBUF, false, 1000 * (i + 1));
		pgr_sys_exit(&r, false, id.w4_exit, 10, i);
		rec(&g, 1000 * (i + 1) + 1, &r, false);
		switch (i) {
		case 1: /* commit larger than the sub-buffer */
			pg_end(&g, 0);
			pg_set_commit(&g, SUBBUF);
			break;
		case 2: /* type_len 0 whose length word wraps negative */
			pg_raw32(&g, pg_hdr_word(&g, 0, 1));
			pg_raw32(&g, 0xfffffff0u);
			pg_end(&g, 0);
			break;
		case 3: /* padding whose length steps backwards */
			pg_raw32(&g, pg_hdr_word(&g, 29, 1));
			pg_raw32(&g, 0xfffffff8u);
			pg_raw32(&g, 0);
			pg_end(&g, 0);
			break;
		case 4: /* a record reaching past the commit */
			pg_raw32(&g, pg_hdr_word(&g, 28, 1));
			pg_end(&g, 0);
			break;
		case 7: /* fine: a padding header without its length word
			 * as the last committed word (read past the commit,
			 * as kbuffer does, it still ends the page) */
			pg_raw32(&g, pg_hdr_word(&g, 29, 0));
			pg_end(&g, 0);
			good++;
			break;
		case 6: /* ... and past the end of the sub-buffer */
			pg_padding(&g, SUBBUF - PG_HDR - 4 - g.off, 1);
			pg_raw32(&g, pg_hdr_word(&g, 28, 1));
			pg_end(&g, 0);
			break;
		default:
			pg_end(&g, 0);
			good++;
		}
	}
	pgf_cpu_data(&f, 0, SUBBUF, pages, 8);
	pgf_cpu_data(&f, 1, 32, pages, 1);  /* subbuf_size below the minimum */
	pgf_chunk(&f, WT_CHUNK_CPU_DATA, pages, 8 + 100); /* not whole pages */
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), 0);
	CHECK_EQ(events_of(&c, e, 16), 3);
	CHECK_EQ(e[0]->ev.wait_exit.ret, 0);
	CHECK_EQ(e[1]->ev.wait_exit.ret, 5);
	CHECK_EQ(e[2]->ev.wait_exit.ret, 7);
	CHECK_EQ(good, 3);
	CHECK_EQ(res.bad_subbufs, 7);
	CHECK_EQ(res.damaged, true);
	collector_free(&c);
	pgf_free(&f);
}

/* sched_process_exit without group_dead (before 6.13): reported as a
 * group death that the field did not give (has_group_dead false). */
static void case_old_exit_format(void)
{
	static struct one_page op;
	const struct got *e[4];

	op_begin(&op, OP_OLD_EXIT_FORMAT, 10);
	pgr_exit(&op.r, false, op.id.exit, 77, "thread", -1);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(events_of(&op.c, e, 4), 1);
	CHECK_EQ(e[0]->ev.type, WT_EV_EXIT);
	CHECK_EQ(e[0]->ev.exit.group_dead, true);
	CHECK_EQ(e[0]->ev.exit.has_group_dead, false);
	CHECK_STR(e[0]->s1, "thread");
	op_end(&op);

	/* with the field, 0 means a thread that was not the last */
	op_begin(&op, OP_FORMATS, 10);
	pgr_exit(&op.r, false, op.id.exit, 78, "thread", 0);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(events_of(&op.c, e, 4), 1);
	CHECK_EQ(e[0]->ev.exit.group_dead, false);
	CHECK_EQ(e[0]->ev.exit.has_group_dead, true);
	op_end(&op);
}

/* No formats in the file: every record is unknown (the running kernel's
 * formats are never consulted). */
static void case_no_formats(void)
{
	static struct one_page op;

	op_begin(&op, OP_NO_FORMATS, 10);
	pgr_sys_exit(&op.r, false, 211, 5, 0);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(op.res.events, 0);
	CHECK_EQ(op.res.unknown_events, 1);
	op_end(&op);
}

/* A callback's non-zero return stops decoding: -1 and a message, as
 * decode.h promises (callers test < 0), not the callback's value. */
static void case_sink_abort(void)
{
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	char err[256] = "";

	build_basic(&f, false, NULL);
	c.abort_at = 9; /* an event callback */
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), -1);
	CHECK_EQ(c.n, 9);
	CHECK_STR(err, "test.wtrec: decoding stopped by the consumer");
	collector_free(&c);
	pgf_free(&f);
}

/* Out of memory is an error (-1, "out of memory"), never damage: in pass
 * 1 the reader's buffer for the first format chunk (grown from 512 to 1024
 * bytes), in pass 2 the reader's buffer for the 2-page CPU chunk (8200
 * bytes, grown to 16384) and the merge's own copy of that chunk (8200 + 16
 * bytes of slack). */
static void case_out_of_memory(void)
{
	static const struct {
		size_t lo, hi;
		const char *want;
	} fails[] = {
		{ 1024, 1024, "test.wtrec: out of memory in pass 1" },
		{ 16384, 16384, "test.wtrec: out of memory in pass 2" },
		{ 8201, 8300, "test.wtrec: out of memory in pass 2" },
	};

	for (size_t i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
		struct pg_file f;
		struct collector c = { 0 };
		struct wt_decode_result res;
		char err[256] = "";
		int rc;

		build_basic(&f, false, NULL);
		fail_lo = fails[i].lo;
		fail_hi = fails[i].hi;
		rc = decode_buf(&f, &c, &res, err, sizeof(err));
		fail_lo = SIZE_MAX;
		fail_hi = 0;
		CHECK_EQ(rc, -1);
		CHECK_STR(err, fails[i].want);
		CHECK_EQ(res.damaged, false);
		collector_free(&c);
		pgf_free(&f);
	}
}

/* Damage is never silent: a META line without key=value, a snapshot line
 * that is not a task, and a modeled event whose format lacks a field it
 * needs (its records turn into "unknown") each set damaged with a message;
 * everything else is still delivered. */
static void case_silent_damage(void)
{
	static struct one_page op;
	size_t procs = 0;

	op_begin(&op, OP_FORMATS, 10);
	pgf_text(&op.f, WT_CHUNK_META, "host=h\nbogus line\n");
	pgr_sys_exit(&op.r, false, op.id.w4_exit, 5, 0);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(op.res.damaged, true);
	CHECK_STR(op.res.damage, "test.wtrec: 1 malformed META line(s) skipped");
	CHECK_EQ(op.res.events, 1);
	op_end(&op);

	op_begin(&op, OP_FORMATS, 10);
	pgf_text(&op.f, WT_CHUNK_PROC, "# wtrec-proc 1\nwhen=stop\nts=900000\n"
		 "clk_tck=100\n100\t100\t1\tS\t250\t0\t0\tbash\n"
		 "not a task line\n");
	pgr_sys_exit(&op.r, false, op.id.w4_exit, 5, 0);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(op.res.damaged, true);
	CHECK_STR(op.res.damage, "test.wtrec: 1 malformed line(s) of the stop "
		  "snapshot skipped");
	for (size_t i = 0; i < op.c.n; i++)
		procs += op.c.v[i].kind == 'P';
	CHECK_EQ(procs, 1);
	op_end(&op);

	op_begin(&op, OP_NO_FORMATS, 10);
	CHECK_EQ(pgf_header_page(&op.f, WT_FORMATS_DIR), 0);
	CHECK_EQ(pgf_format(&op.f, WT_FORMATS_DIR, "syscalls", "sys_enter_wait4",
			    "upid", &op.id.w4_enter), 0);
	CHECK_EQ(pgf_format(&op.f, WT_FORMATS_DIR, "syscalls", "sys_exit_wait4",
			    NULL, &op.id.w4_exit), 0);
	pgr_wait4_enter(&op.r, false, op.id.w4_enter, 5, -1, 1);
	rec(&op.g, 11, &op.r, false);
	pgr_sys_exit(&op.r, false, op.id.w4_exit, 5, 0);
	rec(&op.g, 12, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(op.res.damaged, true);
	CHECK_STR(op.res.damage, "test.wtrec: the format of "
		  "syscalls:sys_enter_wait4 has no field upid: its records are "
		  "not decoded (1 modeled event(s) unusable)");
	CHECK_EQ(op.res.unknown_events, 1);
	CHECK_EQ(op.res.events, 1);
	op_end(&op);
}

/* wt_decode_file on a real file, with progress; a missing file fails. */
static void case_file(void)
{
	char path[] = "/tmp/wtrec-test-decode-XXXXXX";
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	struct wt_sink sink = sink_of(&c);
	char err[256] = "";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	build_basic(&f, false, NULL);
	CHECK_EQ(pgf_write(&f, path), 0);
	CHECK_EQ(wt_decode_file(path, &sink, &res, on_progress, err,
				sizeof(err)), 0);
	CHECK_EQ(res.events, NBASIC);
	CHECK(c.progress_calls >= 1);
	CHECK_EQ(c.last_done, f.buf.len);
	CHECK_EQ(c.last_total, f.buf.len);
	unlink(path);
	CHECK_EQ(wt_decode_file(path, &sink, &res, NULL, err, sizeof(err)), -1);
	CHECK(strstr(err, path) != NULL);
	collector_free(&c);
	pgf_free(&f);
}

static int count_cb(void *ctx, const struct wt_proc_entry *p)
{
	struct collector *c = ctx;

	return on_proc(c, p);
}

static void case_proc_parse(void)
{
	static const char text[] =
		"# wtrec-proc 1\nts=5\nclk_tck=250\n"
		"1\t1\t0\tS\t1000\t0\tfffffffe\tinit\n"
		"2\t3\t1\tR\t3\t1\t0\tname with  spaces\n"
		"x\t3\t1\tR\t3\t1\t0\tbad pid\n"
		"4\t4\t1\tRR\t3\t1\t0\tbad state\n"
		"5\t5\t1\tS\t3\t1\n"
		"6\t6\t1\tS\t18446744073709551615\tg\t0\tbad hex\n";
	struct collector c = { 0 };
	struct wt_proc_header h;
	unsigned bad = 0;

	CHECK_EQ(wt_proc_header_parse(text, strlen(text), &h), 0);
	CHECK_EQ(h.when_known, false);
	CHECK_EQ(h.clk_tck, 250);
	CHECK_EQ(h.ts, 5);
	CHECK_EQ(wt_proc_parse(text, strlen(text), false, count_cb, &c, &bad), 0);
	CHECK_EQ(c.n, 2);
	CHECK_EQ(bad, 4);
	if (c.n == 2) {
		CHECK_EQ(c.v[0].proc.at_start, false);
		CHECK_EQ(c.v[0].proc.start_ns, 4000000000ull);
		CHECK_EQ(c.v[0].proc.sig_cgt, 0xfffffffeull);
		CHECK_EQ(c.v[1].proc.tid, 3);
		CHECK_EQ(c.v[1].proc.state, 'R');
		CHECK_STR(c.v[1].s1, "name with  spaces");
		CHECK_EQ(c.v[1].proc.start_ns, 12000000);
	}
	CHECK_EQ(wt_proc_parse("not a snapshot\n", 15, true, count_cb, &c, NULL),
		 -1);
	collector_free(&c);
}

static void case_meta(void)
{
	struct wt_meta m = { 0 };
	unsigned bad = 0;
	static const char t[] = "a=1\nb=x=y\n=nokey\nnoeq\na=2\nc=";

	CHECK_EQ(wt_meta_parse(&m, t, sizeof(t) - 1, &bad), 0);
	CHECK_EQ(m.n, 3);
	CHECK_EQ(bad, 2);
	CHECK_STR(wt_meta_get(&m, "a"), "2");
	CHECK_STR(wt_meta_get(&m, "b"), "x=y");
	CHECK_STR(wt_meta_get(&m, "c"), "");
	CHECK(wt_meta_get(&m, "d") == NULL);
	CHECK_STR(m.pairs[0].key, "a");
	wt_meta_free(&m);
}

/* A print fmt that makes libtraceevent divide by zero (found by
 * fuzz_decode): never parsed, and the event's fields still decode. */
static void case_hostile_print_fmt(void)
{
	static const char fmt[] =
		"sched\nname: sched_process_exec\nID: 365\nformat:\n"
		"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
		"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
		"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
		"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
		"\tfield:__data_loc char[] filename;\toffset:8;\tsize:4;\tsigned:0;\n"
		"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
		"\tfield:pid_t old_pid;\toffset:16;\tsize:4;\tsigned:1;\n\n"
		"print fmt: \"filename=%s\", __get_stx%08lx\", ((unsigned long)(REC->x\n";
	static struct one_page op;
	const struct got *e[4];

	op_begin(&op, OP_NO_FORMATS, 10);
	pgf_text(&op.f, WT_CHUNK_FORMAT, fmt);
	pgr_exec(&op.r, false, 365, 42, "/bin/sh", 41);
	rec(&op.g, 11, &op.r, false);
	CHECK_EQ(op_decode(&op, 0), 0);
	CHECK_EQ(events_of(&op.c, e, 4), 1);
	CHECK_STR(e[0]->s1, "/bin/sh");
	CHECK_EQ(e[0]->ev.exec.old_tid, 41);
	CHECK_EQ(op.res.damaged, false);
	op_end(&op);
}

/* Every real format passes canonicalization; lines outside the kernel's
 * grammar (from fuzz_decode crashes in libtraceevent) are refused. */
static void case_format_canonical(void)
{
	static const char *const files[] = {
		"syscalls__sys_enter_wait4", "sched__sched_process_fork",
		"sched__sched_process_exit", "task__task_newtask",
		"signal__signal_generate", "syscalls__sys_exit_waitid",
	};
	static const char head[] = "name: x\nID: 5\nformat:\n";
	static const char *const bad[] = {
		"\tfield:__data_loc char[\3778comm;\toffset:8;\tsize:4;\tsigned:0;",
		"\tfield:unsign\x9b\x9b char common_flags;\toffset:2;\tsize:1;",
		"\tfield:int common_pid;\toffset:4;\tLOCA:4;\tsigned:1;",
		"\tfield:unsigned long sa_flags;\toffset:32;\tsize:8;\tsigd;en0:",
		"\tfield:int;\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int x[2*8];\toffset:4;\tsize:4;\tsigned:1;",
		"\tfield:int x;\toffset:99999999;\tsize:4;\tsigned:1;",
		"\tfield:int  x;\toffset:4;\tsize:4;\tsigned:1;",
		"garbage",
	};
	char path[1024], why[96], *text, *out, buf[512];
	size_t len, outlen;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s.format", WT_FORMATS_DIR,
			 files[i]);
		text = pg_slurp(path, &len);
		CHECK(text != NULL);
		if (!text)
			continue;
		out = wt_format_canonical(text, len, &outlen, why, sizeof(why));
		CHECK(out != NULL);
		/* identical up to the print fmt, which is emptied */
		if (out)
			CHECK(!strncmp(out, text, strstr(text, "print fmt:") - text));
		if (out)
			CHECK(strstr(out, "print fmt: \"\"\n") != NULL);
		free(out);
		free(text);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s\n\nprint fmt: \"\"\n", head,
			 bad[i]);
		out = wt_format_canonical(buf, strlen(buf), &outlen, why,
					  sizeof(why));
		if (out)
			fprintf(stderr, "    accepted: %s\n", bad[i]);
		CHECK(out == NULL);
		free(out);
	}
	/* header_page: the real one passes unchanged, junk does not */
	snprintf(path, sizeof(path), "%s/header_page", WT_FORMATS_DIR);
	text = pg_slurp(path, &len);
	CHECK(text != NULL);
	out = text ? wt_header_page_canonical(text, len, &outlen) : NULL;
	CHECK(out != NULL);
	if (out)
		CHECK_STR(out, text);
	free(out);
	free(text);
	out = wt_header_page_canonical("\tfield: u64 ts;\toffset:0;\tsize:8;"
				       "\tsigned:0;\n%d", 42, &outlen);
	CHECK(out == NULL);
	free(out);
	/* header lines are checked too */
	out = wt_format_canonical("name: a b\nID: 1\nformat:\n", 24, &outlen,
				  why, sizeof(why));
	CHECK(out == NULL);
	free(out);
	out = wt_format_canonical("name: a\nID: 70000\nformat:\n", 26,
				  &outlen, why, sizeof(why));
	CHECK(out == NULL);
	free(out);
}

static void case_event_names(void)
{
	struct wt_event ev = { 0 };

	ev.type = WT_EV_WAIT_ENTER;
	ev.wait_enter.sys = WT_SYS_WAIT4;
	CHECK_STR(wt_event_name(&ev), "sys_enter_wait4");
	ev.type = WT_EV_WAIT_EXIT;
	ev.wait_exit.sys = WT_SYS_WAITID;
	CHECK_STR(wt_event_name(&ev), "sys_exit_waitid");
	ev.type = WT_EV_EXIT_CALL;
	ev.exit_call.group = true;
	CHECK_STR(wt_event_name(&ev), "sys_enter_exit_group");
	ev.type = WT_EV_LOST;
	CHECK_STR(wt_event_name(&ev), "lost");
}

/* ---- generators ---------------------------------------------------------- */

/* Seeds for fuzz_decode: whole files, and the same recordings in the
 * fuzzer's raw (unframed) form, so mutations reach pages and formats
 * instead of dying at a CRC. */
static int write_seed(const struct pg_file *f, const char *dir,
		      const char *name)
{
	char path[1024];
	int rc;

	snprintf(path, sizeof(path), "%s/%s.wtrec", dir, name);
	rc = pgf_write(f, path);
	snprintf(path, sizeof(path), "%s/%s.raw", dir, name);
	return rc | pgf_write_raw(f, path);
}

/* A small seed: few formats, 256-byte sub-buffers, each page feature. */
static void build_small(struct pg_file *f)
{
	enum { SB = 256 };
	static uint8_t p[3 * SB];
	const char *d = WT_FORMATS_DIR;
	uint16_t enter, ret, fork;
	struct pg g;
	struct pg_rec r;

	pgf_begin(f, false);
	pgf_text(f, WT_CHUNK_META, "version=seed\ncpus=2\n");
	pgf_header_page(f, d);
	pgf_format(f, d, "syscalls", "sys_enter_wait4", NULL, &enter);
	pgf_format(f, d, "syscalls", "sys_exit_wait4", NULL, &ret);
	pgf_format(f, d, "sched", "sched_process_fork", NULL, &fork);
	pgf_text(f, WT_CHUNK_PROC, proc_start);
	pg_begin(&g, p, SB, false, 100);
	pgr_wait4_enter(&r, false, enter, 7, -1, 1);
	rec(&g, 110, &r, false);
	pg_padding(&g, 12, 1);
	pgr_fork(&r, false, fork, 7, "sh", 7, "kid", 8);
	rec(&g, 120 + (1u << 28), &r, false);
	pg_end(&g, 0);
	pg_begin(&g, p + SB, SB, false, 200);
	pgr_sys_exit(&r, false, ret, 7, -10);
	rec(&g, 210, &r, true);
	pg_end(&g, 3);
	pg_begin(&g, p + 2 * SB, SB, false, 300);
	pg_abs_ts(&g, 400);
	pgr_sys_exit(&r, false, ret, 7, 8);
	rec(&g, 410, &r, false);
	pg_end(&g, -1);
	pgf_cpu_data(f, 0, SB, p, 2);
	pgf_cpu_data(f, 1, SB, p + 2 * SB, 1);
	pgf_cpu_stats(f, 0, stats0);
	pgf_text(f, WT_CHUNK_TRAILER, "events_lost=5\n");
}

static void build_cgroup(struct pg_file *fp);

static int write_corpus(const char *dir)
{
	struct layout lay;
	struct pg_file f;
	char path[1024];
	int rc = 0;

	build_basic(&f, false, &lay);
	rc |= write_seed(&f, dir, "basic-le");
	f.buf.len = (lay.cpu1_chunk2 + lay.after_cpu1_chunk2) / 2;
	snprintf(path, sizeof(path), "%s/truncated.wtrec", dir);
	rc |= pgf_write(&f, path);
	pgf_free(&f);
	build_basic(&f, true, NULL);
	rc |= write_seed(&f, dir, "basic-be");
	pgf_free(&f);
	build_small(&f);
	rc |= write_seed(&f, dir, "small");
	pgf_free(&f);
	build_cgroup(&f);
	rc |= write_seed(&f, dir, "cgroup");
	pgf_free(&f);
	return rc ? 1 : 0;
}

/* ~n events on 2 CPUs, in 1 MB chunks: for timing `wtrec info`. */
static int write_big(const char *path, long n)
{
	enum { PAGES = 256 };
	static uint8_t pages[PAGES * SUBBUF];
	struct pg_file f;
	struct ids id;
	struct pg_rec r;
	uint64_t ts[2] = { T0, T0 + 3 };
	long done = 0;
	int rc;

	pgf_begin(&f, false);
	pgf_text(&f, WT_CHUNK_META, "version=bench\ncpus=2\n");
	add_formats(&f, &id, false);
	while (done < n) {
		for (uint32_t cpu = 0; cpu < 2; cpu++) {
			for (int p = 0; p < PAGES; p++) {
				struct pg g;

				pg_begin(&g, pages + p * SUBBUF, SUBBUF, false,
					 ts[cpu]);
				for (int k = 0;; k++, done++) {
					ts[cpu] += 1000;
					if (k % 2)
						pgr_sys_exit(&r, false, id.w4_exit,
							     100 + k % 7, -10);
					else
						pgr_wait4_enter(&r, false,
								id.w4_enter,
								100 + k % 7, -1, 1);
					if (pg_record(&g, ts[cpu], r.b, r.len, false))
						break;
				}
				ts[cpu] -= 1000;
				pg_end(&g, 0);
			}
			pgf_cpu_data(&f, cpu, SUBBUF, pages, PAGES);
		}
	}
	pgf_text(&f, WT_CHUNK_TRAILER, "events_lost=0\n");
	rc = pgf_write(&f, path);
	pgf_free(&f);
	printf("%ld events\n", done);
	return rc ? 1 : 0;
}

/* ---- driver ------------------------------------------------------------ */

/*
 * Failed forks, cgroup moves and CGROUP chunks: sys_exit_clone3 with
 * ret -11 (EAGAIN) decodes, one with a pid (an unfiltered success) is not
 * modeled; cgroup_attach_task's __data_loc path comes through; the start
 * CGROUP chunk comes after the start snapshot and before the events, the
 * stop one after the stop snapshot, each as its header then its lines; a
 * bad line is skipped and named as damage.
 */
/* The recording of case_cgroup_fork_fail (also a fuzz seed). */
static void build_cgroup(struct pg_file *fp)
{
	static uint8_t page[SUBBUF];
	struct pg_file f;
	struct pg g;
	struct pg_rec r;
	struct ids id;
	uint16_t clone3, attach;

	pgf_begin(&f, false);
	pgf_text(&f, WT_CHUNK_META, "version=0.1.0\ncpus=1\nclock=boot\n");
	CHECK_EQ(add_formats(&f, &id, false), 0);
	CHECK_EQ(pgf_format(&f, WT_FORMATS_DIR, "syscalls", "sys_exit_clone3",
			    NULL, &clone3), 0);
	CHECK_EQ(pgf_format(&f, WT_FORMATS_DIR, "cgroup", "cgroup_attach_task",
			    NULL, &attach), 0);
	pgf_text(&f, WT_CHUNK_PROC, proc_start);
	pgf_text(&f, WT_CHUNK_CGROUP, "# wtrec-cgroup 1\nwhen=start\nts=900000\n"
		 "pids_hierarchy=8\npids_mount=/sys/fs/cgroup/pids\n"
		 "pids\t/\t-\t-\t-\t-\npids\t/cg\t3\t12\t-\t0\n");
	pg_begin(&g, page, SUBBUF, false, T0);
	pgr_common(&r, false, attach, 400, 36);
	pgr_put(&r, false, 8, 4, 8);            /* dst_root */
	pgr_put(&r, false, 12, 4, 1);           /* dst_level */
	pgr_put(&r, false, 16, 8, 77);          /* dst_id */
	pgr_put(&r, false, 24, 4, 401);         /* pid */
	pgr_dataloc(&r, false, 28, "/cg");      /* dst_path */
	pgr_dataloc(&r, false, 32, "sh");       /* comm */
	CHECK_EQ(pg_record(&g, T0 + 10, r.b, r.len, false), 0);
	pgr_common(&r, false, clone3, 401, 24);
	pgr_put(&r, false, 8, 4, 435);
	pgr_put(&r, false, 16, 8, (uint64_t)-11);
	CHECK_EQ(pg_record(&g, T0 + 20, r.b, r.len, false), 0);
	pgr_put(&r, false, 16, 8, 4321);
	CHECK_EQ(pg_record(&g, T0 + 30, r.b, r.len, false), 0);
	pg_end(&g, 0);
	pgf_cpu_data(&f, 0, SUBBUF, page, 1);
	pgf_text(&f, WT_CHUNK_PROC, proc_stop);
	pgf_text(&f, WT_CHUNK_CGROUP, "# wtrec-cgroup 1\nwhen=stop\nts=9000000\n"
		 "pids\t/cg\t12\tmax\t12\t5\nbogus line\n");
	*fp = f;
}

static void case_cgroup_fork_fail(void)
{
	struct pg_file f;
	struct collector c = { 0 };
	struct wt_decode_result res;
	char err[256] = "";
	const struct got *e[8];

	build_cgroup(&f);
	CHECK_EQ(decode_buf(&f, &c, &res, err, sizeof(err)), 0);
	CHECK_EQ(events_of(&c, e, 8), 2);
	CHECK_EQ(e[0]->ev.type, WT_EV_CGROUP_MOVE);
	CHECK_EQ(e[0]->ev.tid, 400);
	CHECK_EQ(e[0]->ev.cgroup_move.root, 8);
	CHECK_EQ(e[0]->ev.cgroup_move.pid, 401);
	CHECK_EQ(e[0]->ev.cgroup_move.transfer, false);
	CHECK_STR(e[0]->s1, "/cg");
	CHECK_EQ(e[1]->ev.type, WT_EV_FORK_FAIL);
	CHECK_EQ(e[1]->ev.fork_fail.sys, WT_FORK_CLONE3);
	CHECK_EQ(e[1]->ev.fork_fail.ret, -11);
	CHECK_STR(wt_event_name(&e[1]->ev), "sys_exit_clone3");
	CHECK_EQ(res.unknown_events, 1);
	/* order: ... start procs, C C C, events, stop procs, C C, stats */
	char kinds[64] = "";
	for (size_t i = 0; i < c.n && i < sizeof(kinds) - 1; i++)
		kinds[i] = c.v[i].kind;
	const char *cg = strchr(kinds, 'C');
	CHECK(cg && !strncmp(cg, "CCCEE", 5));
	CHECK(cg && strstr(cg + 5, "PCC") && !strstr(strstr(cg + 5, "PCC") + 3, "C"));
	size_t h = cg ? (size_t)(cg - kinds) : 0;
	CHECK_EQ(c.v[h].cg.at_start, true);
	CHECK_EQ(c.v[h].cg.pids_hierarchy, 8);
	CHECK_STR(c.v[h].s2, "");                 /* the header: no path */
	CHECK_STR(c.v[h + 2].s1, "pids");
	CHECK_STR(c.v[h + 2].s2, "/cg");
	CHECK_EQ(c.v[h + 2].cg.pids_current, 3);
	CHECK_EQ(c.v[h + 2].cg.pids_max, 12);
	CHECK_EQ(c.v[h + 2].cg.pids_peak, -1);
	CHECK_EQ(c.v[h + 2].cg.pids_events_max, 0);
	CHECK_EQ(c.v[h + 1].cg.pids_current, -1);
	const struct got *last = NULL;
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].kind == 'C')
			last = &c.v[i];
	CHECK(last != NULL);
	if (!last)
		last = &c.v[0];
	CHECK_EQ(last->cg.at_start, false);
	CHECK_EQ(last->cg.pids_max, -2);          /* "max" */
	CHECK_EQ(last->cg.pids_events_max, 5);
	CHECK_EQ(res.damaged, true);
	CHECK(strstr(res.damage, "1 malformed line(s) of the stop cgroup limits"));
	collector_free(&c);
	pgf_free(&f);
}

static const struct {
	int id;
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ 1, "basic recording, little-endian", case_basic_le },
	{ 2, "basic recording, big-endian", case_basic_be },
	{ 3, "missed events -> lost markers", case_missed },
	{ 4, "malformed records", case_malformed },
	{ 5, "truncated file", case_truncated },
	{ 6, "bad sub-buffers and chunks", case_bad_pages },
	{ 7, "sched_process_exit without group_dead", case_old_exit_format },
	{ 8, "no formats in the file", case_no_formats },
	{ 9, "sink abort", case_sink_abort },
	{ 10, "wt_decode_file and progress", case_file },
	{ 11, "proc snapshot parsing", case_proc_parse },
	{ 13, "meta store", case_meta },
	{ 14, "event names", case_event_names },
	{ 15, "hostile print fmt", case_hostile_print_fmt },
	{ 16, "format canonicalization", case_format_canonical },
	{ 17, "out of memory is not damage", case_out_of_memory },
	{ 18, "damage is never silent", case_silent_damage },
	{ 19, "failed forks, cgroup moves, CGROUP chunks", case_cgroup_fork_fail },
};

int main(int argc, char **argv)
{

	if (argc == 3 && !strcmp(argv[1], "--write-corpus"))
		return write_corpus(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--write-file")) {
		struct pg_file f;
		int rc;

		build_basic(&f, false, NULL);
		rc = pgf_write(&f, argv[2]);
		pgf_free(&f);
		return rc ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--write-big"))
		return write_big(argv[2], atol(argv[3]));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tcheck_case(cases[i].id, cases[i].name, cases[i].fn);
	return tcheck_report();
}
