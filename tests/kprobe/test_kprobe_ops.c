/*
 * test_kprobe_ops.c - the real tracefs operations (record/tfs_real.c, with
 * the installed libtracefs) and the probe sweep, run against a fake tracefs
 * directory (tracefs_set_tracing_dir) whose kprobe_events/dynamic_events are
 * plain files, so what would be written to the kernel can be read back:
 *
 *  1-5   each probe of a plan is written exactly as the plan spells it
 *        (libtracefs 1.6.4 spells kretprobes with a maxactive
 *        "r1024::group/event", which the kernel refuses: the real ops must
 *        not pass that on), and is deleted with "-:group/event";
 *  6     an instance without a tracefs handle is refused (EINVAL) and the
 *        top-level files stay untouched: libtracefs reads a NULL instance
 *        as the global one;
 *  7     mkdir / write / rmdir of an instance land in instances/NAME;
 *  8     the sweep deletes the group of a dead recorder and leaves a live
 *        one's (pid 1) alone.
 * And the probe lifecycle of record/kprobe_backend.c over scripted ops
 * (the kernel's answers cannot come from plain files):
 *  9     EEXIST with an identical leftover: it is reused, not deleted;
 * 10     EEXIST with a different leftover: it is deleted, ours created;
 * 11     EBUSY on deletion: retried until the kernel lets go;
 * 12     a refused probe: status 2, and only the probes created before it
 *        are deleted, last first.
 * Needs no root and no kprobes.  Expected texts are written here by hand.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <tracefs.h>

#include "instance.h"
#include "kprobe_backend.h"
#include "kprobe_plan.h"
#include "stale.h"
#include "tfs_ops.h"
#include "tcheck.h"

#ifndef DATA_DIR
#error "DATA_DIR must point at tests/kprobe/data"
#endif

static char dir[256];

static void put_file(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(2);
	}
}

/* Content of @name without a trailing newline, into @buf. */
static const char *get_file(const char *name, char *buf, size_t len)
{
	char path[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return buf;
}

/* What was written to kprobe_events or dynamic_events since both were
 * emptied (libtracefs versions differ in which one they use). */
static const char *written(char *buf, size_t len)
{
	char a[1024], b[1024];

	get_file("kprobe_events", a, sizeof(a));
	get_file("dynamic_events", b, sizeof(b));
	snprintf(buf, len, "%s%s", a, b);
	return buf;
}

static void empty_event_files(void)
{
	put_file("kprobe_events", "");
	put_file("dynamic_events", "");
}

static void probes(void)
{
	char ks[512], rd[512], err[256], line[1024], got[2048], want[256];
	struct wt_kp_plan plan;
	void *h;

	snprintf(ks, sizeof(ks), "%s/kallsyms_x86_kernel.txt", DATA_DIR);
	snprintf(rd, sizeof(rd), "%s/readme_retargs.txt", DATA_DIR);
	if (wt_kp_plan_build(WT_KP_X86_64, ks, rd, &plan, err, sizeof(err))) {
		check(false, 0, "plan", err, "0");
		return;
	}
	for (int i = 0; i < plan.n; i++) {
		const struct wt_kp_probe *p = &plan.probes[i];

		wt_kp_probe_format(p, "wtrec_42", line, sizeof(line));
		empty_event_files();
		check(wt_tfs_real.probe_create(p, "wtrec_42", line, &h) == 0,
		      i + 1, "create returns 0", strerror(errno), "0");
		check(!strcmp(written(got, sizeof(got)), line), i + 1,
		      "definition written", got, line);
		empty_event_files();
		snprintf(want, sizeof(want), "-:wtrec_42/%s", p->event);
		check(wt_tfs_real.probe_destroy(p, "wtrec_42", h) == 0, i + 1,
		      "destroy returns 0", strerror(errno), "0");
		check(!strcmp(written(got, sizeof(got)), want), i + 1,
		      "deletion written", got, want);
		wt_tfs_real.probe_free(h);
	}
}

static void no_handle(void)
{
	struct wt_rec_instance in = { .ops = &wt_tfs_real };
	char got[64];
	int rc;

	snprintf(in.name, sizeof(in.name), "wtrec-42");
	put_file("tracing_on", "1\n");
	errno = 0;
	rc = wt_tfs_real.write(&in, "tracing_on", "0");
	check(rc == -1 && errno == EINVAL, 6, "write without handle refused",
	      rc ? strerror(errno) : "0", "EINVAL");
	rc = wt_tfs_real.event_enable(&in, "sched", "sched_process_fork");
	check(rc == -1 && errno == EINVAL, 6, "enable without handle refused",
	      rc ? strerror(errno) : "0", "EINVAL");
	check(!strcmp(get_file("tracing_on", got, sizeof(got)), "1"), 6,
	      "top-level tracing_on untouched", got, "1");
}

static void instance(void)
{
	struct wt_rec_instance in = { .ops = &wt_tfs_real };
	char path[512], got[64];
	struct stat st;

	snprintf(in.name, sizeof(in.name), "wtrec-42");
	check(wt_tfs_real.mkdir(&in) == 0 && in.ti, 7, "mkdir", strerror(errno), "0");
	snprintf(path, sizeof(path), "%s/instances/wtrec-42", dir);
	check(stat(path, &st) == 0 && S_ISDIR(st.st_mode), 7, "directory made",
	      path, "a directory");
	/* a real instance has the file; the fake one gets it by hand */
	put_file("instances/wtrec-42/trace_clock", "");
	check(wt_tfs_real.write(&in, "trace_clock", "boot") == 0, 7, "write",
	      strerror(errno), "0");
	check(!strcmp(get_file("instances/wtrec-42/trace_clock", got, sizeof(got)),
		      "boot"), 7, "trace_clock written", got, "boot");
	snprintf(path, sizeof(path), "%s/instances/wtrec-42/trace_clock", dir);
	unlink(path);
	check(wt_tfs_real.rmdir(&in) == 0, 7, "rmdir", strerror(errno), "0");
	snprintf(path, sizeof(path), "%s/instances/wtrec-42", dir);
	check(stat(path, &st) < 0, 7, "directory removed", path, "gone");
	tracefs_instance_free(in.ti);
}

static void sweep(void)
{
	const char *defs =
		"p:wtrec_999999/wait4_enter kernel_wait4 upid=$arg1:s32\n"
		"p:wtrec_1/wait4_enter kernel_wait4 upid=$arg1:s32\n";
	char got[2048], n[16];
	int removed;

	if (kill(999999, 0) == 0 || errno != ESRCH) {
		printf("case 8 skipped: pid 999999 exists\n");
		return;
	}
	put_file("kprobe_events", defs);
	put_file("dynamic_events", defs);
	removed = wt_rec_stale_probes(true);
	snprintf(n, sizeof(n), "%d", removed);
	check(removed == 1, 8, "groups removed", n, "1");
	written(got, sizeof(got));
	check(strstr(got, "-:wtrec_999999/wait4_enter") != NULL, 8,
	      "dead recorder's probe deleted", got, "-:wtrec_999999/wait4_enter");
	check(strstr(got, "-:wtrec_1/") == NULL, 8, "live recorder's probe kept",
	      got, "no -:wtrec_1/");
}

/* ---- scripted ops for the lifecycle cases ------------------------------ */

static struct script {
	int create_fail_at;      /* probe index whose creation fails, -1 none */
	int create_errno;
	const char *existing;    /* lookup's answer, NULL: ENOENT */
	int busy;                /* EBUSY answers before a deletion works */
	int calls;               /* creations so far */
	char log[2048];          /* "create:E lookup:E destroy:E ..." */
} sc;

static void note_call(const char *what, const char *event)
{
	size_t n = strlen(sc.log);

	snprintf(sc.log + n, sizeof(sc.log) - n, "%s%s:%s", n ? " " : "", what,
		 event);
}

static int m_create(const struct wt_kp_probe *p, const char *group,
		    const char *line, void **handle)
{
	(void)group, (void)line;
	note_call("create", p->event);
	if (sc.create_fail_at == sc.calls++) {
		errno = sc.create_errno;
		return -1;
	}
	*handle = (void *)p;
	return 0;
}

static int m_destroy(const struct wt_kp_probe *p, const char *group, void *h)
{
	(void)group, (void)h;
	note_call("destroy", p->event);
	if (sc.busy > 0) {
		sc.busy--;
		errno = EBUSY;
		return -1;
	}
	return 0;
}

static void m_free(void *h)
{
	(void)h;
}

static int m_lookup(const char *group, const char *event, char *line,
		    size_t len, void **handle)
{
	(void)group;
	note_call("lookup", event);
	if (!sc.existing) {
		errno = ENOENT;
		return -1;
	}
	snprintf(line, len, "%s", sc.existing);
	*handle = &sc;
	return 0;
}

static struct wt_tfs_ops mock = {
	.name = "mock", .probe_create = m_create, .probe_destroy = m_destroy,
	.probe_free = m_free, .probe_lookup = m_lookup,
};

/* A kprobe plan as wtrec would choose it, from the test data. */
static int choose(struct wt_kp_probes *kp)
{
	struct wt_diag d = { 0 };

	setenv("WTREC_ARCH", "x86_64", 1);
	setenv("WTREC_KALLSYMS", DATA_DIR "/kallsyms_x86_kernel.txt", 1);
	setenv("WTREC_TRACEFS_README", DATA_DIR "/readme_retargs.txt", 1);
	setenv("WTREC_KPROBE_EVENTS", DATA_DIR "/readme_plain.txt", 1);
	if (wt_kp_choose(WT_BACKEND_KPROBE, dir, false, true, kp, &d) !=
	    WT_BACKEND_KPROBE) {
		check(false, 9, "choose", d.msg, "kprobe");
		return -1;
	}
	return 0;
}

/* Create then destroy with the script; the calls are logged in sc.log. */
static int lifecycle(struct wt_kp_probes *kp, struct wt_diag *d)
{
	int rc = wt_kp_probes_create(kp, &mock, d);

	wt_kp_probes_destroy(kp);
	return rc;
}

static void lifecycle_cases(void)
{
	struct wt_kp_probes kp;
	struct wt_diag d;
	char want[2048];
	int rc;

	/* 9: the first creation meets an identical leftover */
	if (choose(&kp) < 0)
		return;
	memset(&sc, 0, sizeof(sc));
	sc.create_fail_at = 0;
	sc.create_errno = EEXIST;
	sc.existing = kp.lines[0];
	memset(&d, 0, sizeof(d));
	rc = lifecycle(&kp, &d);
	check(rc == 0, 9, "created", d.msg, "0");
	check(!strcmp(sc.log, "create:wait4_enter lookup:wait4_enter "
		      "create:wait4_exit create:waitid_enter create:waitid_exit "
		      "create:do_exit destroy:do_exit destroy:waitid_exit "
		      "destroy:waitid_enter destroy:wait4_exit destroy:wait4_enter"),
	      9, "reused, deleted at the end like ours", sc.log, "see source");

	/* 10: a different leftover is replaced */
	choose(&kp);
	memset(&sc, 0, sizeof(sc));
	sc.create_fail_at = 0;
	sc.create_errno = EEXIST;
	sc.existing = "p:wtrec_1/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32";
	memset(&d, 0, sizeof(d));
	rc = lifecycle(&kp, &d);
	check(rc == 0, 10, "created", d.msg, "0");
	snprintf(want, sizeof(want), "create:wait4_enter lookup:wait4_enter "
		 "destroy:wait4_enter create:wait4_enter create:wait4_exit ");
	check(!strncmp(sc.log, want, strlen(want)), 10,
	      "leftover deleted, ours created", sc.log, want);

	/* 11: EBUSY twice, then the deletion goes through */
	choose(&kp);
	memset(&sc, 0, sizeof(sc));
	sc.create_fail_at = -1;
	sc.busy = 2;
	memset(&d, 0, sizeof(d));
	rc = lifecycle(&kp, &d);
	check(rc == 0, 11, "created", d.msg, "0");
	check(strstr(sc.log, "destroy:do_exit destroy:do_exit destroy:do_exit "
		     "destroy:waitid_exit") != NULL, 11, "retried on EBUSY", sc.log,
	      "do_exit three times");

	/* 12: the third probe is refused: 2 created, deleted last first */
	choose(&kp);
	memset(&sc, 0, sizeof(sc));
	sc.create_fail_at = 2;
	sc.create_errno = EINVAL;
	memset(&d, 0, sizeof(d));
	rc = lifecycle(&kp, &d);
	snprintf(want, sizeof(want), "create:wait4_enter create:wait4_exit "
		 "create:waitid_enter destroy:wait4_exit destroy:wait4_enter");
	check(rc == -1 && d.status == 2, 12, "refused: status 2", d.msg, "2");
	check(!strcmp(sc.log, want), 12, "only the created ones deleted", sc.log,
	      want);
}

int main(void)
{
	char path[300];
	int rc;

	snprintf(dir, sizeof(dir), "/tmp/wtrec-kprobe-ops.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/instances", dir);
	mkdir(path, 0755);
	empty_event_files();
	if (tracefs_set_tracing_dir(dir)) {
		perror("tracefs_set_tracing_dir");
		return 2;
	}
	probes();
	no_handle();
	instance();
	sweep();
	lifecycle_cases();
	rc = tcheck_report();
	if (rc == 0) { /* kept for a look when something failed */
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			printf("could not remove %s\n", dir);
	}
	return rc;
}
