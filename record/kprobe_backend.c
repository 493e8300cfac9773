/*
 * kprobe_backend.c - choose the kprobe backend, create and delete its
 * probes (see kprobe_backend.h).  The groups of dead runs are swept by
 * stale.c.
 *
 * The probe set is decided by kprobe_plan.c from this kernel's symbols and
 * README; what is written is exactly wt_kp_probe_format()'s spelling, both
 * in kprobe_events and in the recording's META (probe.N), so a recording
 * says which functions were probed and how.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "kprobe_backend.h"
#include "tfs_ops.h"

/* The summary line counts the probes under the tracepoint backend's names:
 * both backends record the same calls. */
static const char *short_name(const char *event)
{
	static const char *const map[][2] = {
		{ "wait4_enter", "wait4" }, { "wait4_exit", "wait4_ret" },
		{ "waitid_enter", "waitid" }, { "waitid_exit", "waitid_ret" },
		{ "do_exit", "do_exit" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], event))
			return map[i][1];
	return event;
}

/* The test hook @name into @buf, else @dir/@file (@dir NULL: @file). */
static const char *hook(const char *name, char *buf, size_t len,
			const char *dir, const char *file)
{
	const char *v = getenv(name);

	if (v && *v)
		snprintf(buf, len, "%s", v);
	else
		snprintf(buf, len, "%s%s%s", dir ? dir : "", dir ? "/" : "", file);
	return buf;
}

/* Plan the probes into @kp; -1 with @err set. */
static int plan(struct wt_kp_probes *kp, const char *tracing_dir, char *err,
		size_t errlen)
{
	struct utsname u;
	const char *machine = getenv("WTREC_ARCH");
	enum wt_kp_arch arch;

	if (!machine || !*machine)
		machine = uname(&u) == 0 ? u.machine : "?";
	arch = wt_kp_arch_parse(machine);
	hook("WTREC_KALLSYMS", kp->paths[0], sizeof(kp->paths[0]), NULL,
	     "/proc/kallsyms");
	hook("WTREC_TRACEFS_README", kp->paths[1], sizeof(kp->paths[1]),
	     tracing_dir, "README");
	if (!arch) {
		snprintf(err, errlen, "kprobe backend supports x86_64 and arm64, "
			 "not %s", machine);
		return -1;
	}
	if (wt_kp_plan_build(arch, kp->paths[0], kp->paths[1], &kp->plan, err,
			     errlen) < 0)
		return -1;
	snprintf(kp->group, sizeof(kp->group), WT_KP_GROUP_PREFIX "%d",
		 (int)getpid());
	for (int i = 0; i < kp->plan.n; i++) {
		const struct wt_kp_probe *p = &kp->plan.probes[i];

		if (wt_kp_probe_format(p, kp->group, kp->lines[i],
				       sizeof(kp->lines[i])) < 0) {
			snprintf(err, errlen, "probe %s: definition too long", p->event);
			return -1;
		}
		kp->defs[i] = (struct wt_rec_event_def){
			.system = kp->group, .name = p->event,
			.short_name = short_name(p->event),
			/* without do_exit the tracepoint context still gives
			 * exit codes and fatal signals */
			.required = strcmp(p->event, "do_exit") != 0,
		};
	}
	return 0;
}

/* "FUNC" or "FUNC and FUNC" for the entry/return probes of a syscall */
static void sites(const struct wt_kp_plan *pl, int entry, char *buf,
		  size_t len)
{
	const char *e = pl->probes[entry].symbol, *r = pl->probes[entry + 1].symbol;

	if (strcmp(e, r))
		snprintf(buf, len, "%s and %s", e, r);
	else
		snprintf(buf, len, "%s", e);
}

/* "wait4 via __x64_sys_wait4, waitid via __x64_sys_waitid and
 * kernel_waitid, exit codes via do_exit; ..." */
static void describe(const struct wt_kp_probes *kp, char *buf, size_t len)
{
	const struct wt_kp_plan *pl = &kp->plan;
	bool do_exit = pl->n > WT_KP_DO_EXIT;
	char w4[280], wid[280];

	sites(pl, WT_KP_WAIT4_ENTER, w4, sizeof(w4));
	sites(pl, WT_KP_WAITID_ENTER, wid, sizeof(wid));
	snprintf(buf, len, "wait4 via %s, waitid via %s%s; %s", w4, wid,
		 do_exit ? ", exit codes via do_exit" : "",
		 pl->ret_args ? "return probes read the status, siginfo and "
				"rusage"
			      : "this kernel's return probes cannot read "
				"the status, siginfo or rusage (Linux < 6.9)");
}

const char *wt_kp_wait_memory(int backend, const struct wt_kp_probes *kp)
{
	if (backend != WT_BACKEND_KPROBE)
		return "pointers only: the syscall tracepoints carry the "
		       "stat_addr/infop and rusage pointers, not what the "
		       "kernel wrote there";
	if (!kp->plan.ret_args)
		return "pointers only: this kernel's return probes cannot read "
		       "entry arguments (no $arg<N> in the tracefs README's "
		       "return probe line; Linux < 6.9), so the status, "
		       "siginfo and rusage cannot be read back";
	return "read: the return probes read the status, siginfo and rusage "
	       "the kernel wrote (return probes read entry arguments)";
}

int wt_kp_choose(enum wt_backend want, const char *tracing_dir, bool dry_run,
		 bool quiet, struct wt_kp_probes *kp, struct wt_diag *d)
{
	char path[PATH_MAX], err[400] = "", what[1024];
	const char *kev;

	memset(kp, 0, sizeof(*kp));
	if (want == WT_BACKEND_TRACEPOINT)
		return WT_BACKEND_TRACEPOINT;
	kev = hook("WTREC_KPROBE_EVENTS", path, sizeof(path), tracing_dir,
		   "kprobe_events");
	kp->kprobe_events = access(kev, F_OK) == 0;
	if (want == WT_BACKEND_KPROBE && !kp->kprobe_events && !dry_run) {
		wt_diag_set(d, 2, "--backend kprobe: this kernel has no "
			    "kprobe_events (CONFIG_KPROBE_EVENTS); use --backend "
			    "tracepoint");
		return -1;
	}
	if (want == WT_BACKEND_AUTO && !kp->kprobe_events) {
		wt_note(quiet, "backend auto: using tracepoint (this kernel has "
			"no kprobe_events)");
		return WT_BACKEND_TRACEPOINT;
	}
	if (plan(kp, tracing_dir, err, sizeof(err)) < 0) {
		if (want == WT_BACKEND_KPROBE) {
			wt_diag_set(d, 2, "--backend kprobe: %s; use --backend "
				    "tracepoint", err);
			return -1;
		}
		wt_note(quiet, "backend auto: using tracepoint (no kprobe plan: %s)",
			err);
		return WT_BACKEND_TRACEPOINT;
	}
	describe(kp, what, sizeof(what));
	if (want == WT_BACKEND_AUTO)
		wt_note(quiet, "backend auto: using kprobe (kprobe_events present; %s)",
			what);
	return WT_BACKEND_KPROBE;
}

/* EEXIST: a probe of our name left by a dead run with our pid. */
static int reuse_or_replace(struct wt_kp_probes *kp, int i)
{
	const struct wt_kp_probe *p = &kp->plan.probes[i];
	char line[WT_KP_LINE_MAX];
	void *old;

	if (kp->ops->probe_lookup(kp->group, p->event, line, sizeof(line), &old) < 0) {
		errno = EEXIST; /* the creation's reason, not the lookup's */
		return -1;
	}
	if (!strcmp(line, kp->lines[i])) {
		wt_note(false, "reusing kprobe %s/%s left by a dead run (same definition)",
			kp->group, p->event);
		kp->handle[i] = old;
		return 0;
	}
	if (kp->ops->probe_destroy(p, kp->group, old) < 0) {
		int err = errno;

		kp->ops->probe_free(old);
		errno = err;
		return -1;
	}
	kp->ops->probe_free(old);
	wt_note(false, "replaced kprobe %s/%s left by a dead run", kp->group,
		p->event);
	return kp->ops->probe_create(p, kp->group, kp->lines[i], &kp->handle[i]);
}

int wt_kp_probes_create(struct wt_kp_probes *kp, const struct wt_tfs_ops *ops,
			struct wt_diag *d)
{
	kp->ops = ops;
	for (int i = 0; i < kp->plan.n; i++) {
		const struct wt_kp_probe *p = &kp->plan.probes[i];

		if (ops->probe_create(p, kp->group, kp->lines[i], &kp->handle[i]) < 0 &&
		    (errno != EEXIST || reuse_or_replace(kp, i) < 0)) {
			/* the kernel's reason is in tracefs error_log; a
			 * kernel that refuses probes cannot record with
			 * them: status 2, like no kprobe_events */
			wt_diag_errno(d, 2, "the kernel refused kprobe '%s' (see "
				      "%s/error_log)", kp->lines[i], ops->dry ?
				      wt_tfs_dry_dir() : tracefs_tracing_dir());
			return -1;
		}
		kp->ncreated = i + 1;
	}
	return 0;
}

/* Delete one probe, retrying while something still holds it (EBUSY). */
int wt_kp_probe_delete(const struct wt_tfs_ops *ops, const struct wt_kp_probe *p,
		       const char *group, void *handle)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };

	for (int tries = 0; tries < 20; tries++) {
		if (ops->probe_destroy(p, group, handle) == 0)
			return 0;
		if (errno != EBUSY)
			break;
		nanosleep(&pause, NULL);
	}
	return -1;
}

void wt_kp_probes_destroy(struct wt_kp_probes *kp)
{
	if (!kp || !kp->ops)
		return;
	for (int i = kp->ncreated - 1; i >= 0; i--) {
		const struct wt_kp_probe *p = &kp->plan.probes[i];

		if (wt_kp_probe_delete(kp->ops, p, kp->group, kp->handle[i]) < 0)
			wt_warn("could not remove kprobe %s/%s: %s (the next "
				"`wtrec record` or `wtrec record --cleanup` removes it)",
				kp->group, p->event, strerror(errno));
		kp->ops->probe_free(kp->handle[i]);
		kp->handle[i] = NULL;
	}
	kp->ncreated = 0;
}

