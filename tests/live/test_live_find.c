/*
 * test_live_find.c - the fork_failure finding of the live path
 * (analyze/live_db.c, live_find.c, live_out.c) without a recording: rows
 * as the model's observer gives them go into the live database, the looks
 * report each once, and the lines say what the rows say.
 *
 * Ground truth is the rows this test puts in: which failures exist, and
 * so which findings, is known without the code under test.  The e2e test
 * e2e_container_noreap checks the same kind against a workload's log.
 *
 *   test_live_find   run every case; exit 1 if any check failed or none ran
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "live_db.h"
#include "live_find.h"
#include "live_out.h"
#include "tcheck.h"

#define ID1 "7a5c3b2e9f00d1e4b8c6a7f2d3e4c5b6a7980f1e2d3c4b5a69788796a5b4c3d2"
#define BASE 1000000000000LL

/* What the looks reported: fork_failure findings only, as lines. */
struct heard {
	struct wt_live_out *out;  /* the lines, or NULL */
	int n, others;
	int64_t tid[8], ts[8];
};

static void emit(void *ctx, const struct wt_finding *f)
{
	struct heard *h = ctx;

	if (f->kind != WT_LK_FORK_FAILURE) {
		h->others++;
		return;
	}
	if (h->n < 8) {
		h->ts[h->n] = f->ts_ns;
		for (int c = 0; c < sqlite3_column_count(f->st); c++)
			if (!strcmp(sqlite3_column_name(f->st, c), "tid"))
				h->tid[h->n] = sqlite3_column_int64(f->st, c);
	}
	h->n++;
	if (h->out)
		wt_live_out_finding(h->out, f);
}

/* A failed fork of thread @tid at @ms, as mdl_cgroup.c writes its row. */
static struct wt_fork_failure_row row(int64_t tid, double ms,
				      const char *sys, const char *err,
				      const char *v2, const char *pids,
				      const char *id)
{
	return (struct wt_fork_failure_row){
		.recording_id = 1, .ts_ns = BASE + (int64_t)(ms * 1e6),
		.utid = tid + 100, .upid = tid + 200, .tid = tid, .pid = tid,
		.comm = "job", .syscall = sys,
		.ret = !strcmp(err, "EAGAIN") ? -11 : -12, .errno_name = err,
		.pidns_id = 2, .cgroup = v2, .cgroup_pids = pids,
		.container_id = id, .container_runtime = id ? "docker" : NULL,
	};
}

struct fixture {
	struct wt_live_db *db;
	struct wt_live_find *lf;
	char err[512];
};

static bool fixture_new(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->db = wt_live_db_new(fx->err, sizeof(fx->err));
	if (fx->db)
		fx->lf = wt_live_find_new(wt_live_db_handle(fx->db),
					  1000000000LL, fx->err,
					  sizeof(fx->err));
	if (!fx->lf)
		tcheck_failf("live db / find: %s", fx->err);
	return fx->lf != NULL;
}

static void fixture_free(struct fixture *fx)
{
	wt_live_find_free(fx->lf);
	wt_live_db_free(fx->db);
}

/* Sync, then one look at @now_ms; what it reported is in @h. */
static void look(struct fixture *fx, double now_ms, bool final,
		 struct heard *h)
{
	h->n = h->others = 0;
	wt_live_db_set_times(fx->db, BASE, BASE + (int64_t)(now_ms * 1e6));
	CHECK(wt_live_db_sync(fx->db) == 0, "sync: %s",
	      wt_live_db_error(fx->db));
	CHECK(wt_live_find_look(fx->lf, BASE + (int64_t)(now_ms * 1e6),
				final, emit, h, fx->err,
				sizeof(fx->err)) == 0, "look: %s", fx->err);
}

/* ---- 1: each failed fork once, in order, however often one looks ---- */

static void case_once(void)
{
	struct fixture fx;
	struct heard h = { 0 };
	struct wt_fork_failure_row r;

	if (!fixture_new(&fx))
		return;
	CHECK_STR(wt_live_kind_name(WT_LK_FORK_FAILURE), "fork_failure");
	look(&fx, 1, false, &h);
	CHECK_EQ(h.n, 0);
	r = row(1002, 2.0, "clone", "EAGAIN", "/", "/docker/" ID1, ID1);
	wt_live_db_fork_failure(fx.db, &r);
	r = row(1003, 2.5, "vfork", "ENOMEM", "/", "/docker/" ID1, ID1);
	wt_live_db_fork_failure(fx.db, &r);
	look(&fx, 3, false, &h);
	CHECK(h.n == 2, "two failures, two findings: got %d", h.n);
	CHECK(h.tid[0] == 1002 && h.tid[1] == 1003, "in order: %lld, %lld",
	      (long long)h.tid[0], (long long)h.tid[1]);
	CHECK_EQ(h.ts[0], BASE + 2000000);
	CHECK_EQ(h.ts[1], BASE + 2500000);
	CHECK_EQ(h.others, 0);
	look(&fx, 4, false, &h);
	CHECK(h.n == 0, "a second look reports nothing again: got %d", h.n);
	/* a later failure that happened earlier (another CPU) still counts */
	r = row(1004, 1.5, "clone3", "EAGAIN", "/", NULL, NULL);
	wt_live_db_fork_failure(fx.db, &r);
	look(&fx, 5, false, &h);
	CHECK(h.n == 1 && h.tid[0] == 1004, "the new one alone: %d, tid %lld",
	      h.n, (long long)h.tid[0]);
	look(&fx, 6, true, &h);
	CHECK(h.n == 0, "the final look: nothing new (got %d)", h.n);
	CHECK_EQ(wt_live_find_count(fx.lf, WT_LK_FORK_FAILURE), 3);
	fixture_free(&fx);
}

/* ---- 2: the lines say what the rows say ---- */

static char *lines(struct fixture *fx, enum wt_live_format fmt, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct heard h = { 0 };
	struct wt_fork_failure_row r;

	if (!f) {
		tcheck_failf("open_memstream");
		return NULL;
	}
	h.out = wt_live_out_new(f, fmt, false);
	r = row(1002, 2.0, "clone", "EAGAIN", "/", "/docker/" ID1, ID1);
	wt_live_db_fork_failure(fx->db, &r);
	r = row(1003, 2.6, "fork", "EAGAIN", "/kubepods/x", NULL, NULL);
	wt_live_db_fork_failure(fx->db, &r);
	r = row(1004, 3.0, "vfork", "ENOMEM", NULL, NULL, NULL);
	wt_live_db_fork_failure(fx->db, &r);
	look(fx, 4, true, &h);
	wt_live_out_free(h.out);
	fclose(f);
	CHECK_EQ(h.n, 3);
	return buf;
}

static void case_lines(void)
{
	struct fixture fx;
	size_t len;
	char *text, *json;

	if (!fixture_new(&fx))
		return;
	text = lines(&fx, WT_LIVE_TEXT, &len);
	fixture_free(&fx);
	if (!fixture_new(&fx))
		return;
	json = lines(&fx, WT_LIVE_JSONL, &len);
	fixture_free(&fx);
	/* no wall clock known: the times print as trace seconds */
	CHECK_STR(text ? text : "",
		  "+1000.002s fork failed: tid 1002 (pid 1002, job): clone() "
		  "returned EAGAIN; cgroup pids:/docker/" ID1 ", container "
		  "7a5c3b2e9f00 (docker)\n"
		  "+1000.003s fork failed: tid 1003 (pid 1003, job): fork() "
		  "returned EAGAIN; cgroup v2:/kubepods/x\n"
		  "+1000.003s fork failed: tid 1004 (pid 1004, job): vfork() "
		  "returned ENOMEM; cgroup unknown\n");
	CHECK_STR(json ? json : "",
		  "{\"kind\":\"fork_failure\",\"wall\":null,\"recording_id\":1,"
		  "\"ts_ns\":1000002000000,\"utid\":1102,\"upid\":1202,"
		  "\"tid\":1002,\"pid\":1002,\"comm\":\"job\",\"syscall\":\"clone\","
		  "\"ret\":-11,\"errno_name\":\"EAGAIN\",\"pidns_id\":2,"
		  "\"cgroup\":\"/\",\"cgroup_pids\":\"/docker/" ID1 "\","
		  "\"container_id\":\"" ID1 "\",\"container_runtime\":\"docker\"}\n"
		  "{\"kind\":\"fork_failure\",\"wall\":null,\"recording_id\":1,"
		  "\"ts_ns\":1000002600000,\"utid\":1103,\"upid\":1203,"
		  "\"tid\":1003,\"pid\":1003,\"comm\":\"job\",\"syscall\":\"fork\","
		  "\"ret\":-11,\"errno_name\":\"EAGAIN\",\"pidns_id\":2,"
		  "\"cgroup\":\"/kubepods/x\",\"cgroup_pids\":null,"
		  "\"container_id\":null,\"container_runtime\":null}\n"
		  "{\"kind\":\"fork_failure\",\"wall\":null,\"recording_id\":1,"
		  "\"ts_ns\":1000003000000,\"utid\":1104,\"upid\":1204,"
		  "\"tid\":1004,\"pid\":1004,\"comm\":\"job\",\"syscall\":\"vfork\","
		  "\"ret\":-12,\"errno_name\":\"ENOMEM\",\"pidns_id\":2,"
		  "\"cgroup\":null,\"cgroup_pids\":null,"
		  "\"container_id\":null,\"container_runtime\":null}\n");
	free(text);
	free(json);
}

int main(void)
{
	tcheck_case(1, "each failed fork reported once, in order", case_once);
	tcheck_case(2, "text and JSON lines of failed forks", case_lines);
	return tcheck_report();
}
