/*
 * kprobe_plan.c - choose the functions to probe for wait4/waitid/do_exit and
 * spell the fetch arguments for them (see kprobe_plan.h for the contract).
 *
 * Choice of function, best first (the way bcc picks a syscall prefix, but
 * preferring functions whose arguments are plain registers):
 *   wait4:  kernel_wait4, __do_sys_wait4, sys_wait4  -> plain arguments
 *           __x64_sys_wait4 / __arm64_sys_wait4      -> through pt_regs
 *   waitid: kernel_waitid (fills a kernel struct waitid_info),
 *           __do_sys_waitid, sys_waitid (user siginfo) -> plain arguments
 *           __x64_sys_waitid / __arm64_sys_waitid      -> through pt_regs
 * The syscall wrappers (Linux >= 4.17 on x86_64, 4.19 on arm64) receive one
 * argument, the user's struct pt_regs; the user arguments are read from it
 * at per-architecture offsets.  Static functions may be inlined away by the
 * compiler, which is why kallsyms decides, never the kernel version.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "kprobe_plan.h"

/* Byte offsets of the first five syscall arguments inside struct pt_regs. */
static const int x86_64_arg_off[5] = { 112, 104, 96, 56, 72 }; /* di si dx r10 r8 */
static const int arm64_arg_off[5] = { 0, 8, 16, 24, 32 };       /* regs[0..4] */

/* The candidate functions we look for in kallsyms. */
enum sym {
	S_KERNEL_WAIT4, S_DO_SYS_WAIT4, S_SYS_WAIT4, S_X64_WAIT4, S_ARM64_WAIT4,
	S_KERNEL_WAITID, S_DO_SYS_WAITID, S_SYS_WAITID, S_X64_WAITID,
	S_ARM64_WAITID, S_DO_EXIT, S_COUNT
};
static const char *const sym_names[S_COUNT] = {
	"kernel_wait4", "__do_sys_wait4", "sys_wait4", "__x64_sys_wait4",
	"__arm64_sys_wait4", "kernel_waitid", "__do_sys_waitid", "sys_waitid",
	"__x64_sys_waitid", "__arm64_sys_waitid", "do_exit",
};

enum wt_kp_arch wt_kp_arch_parse(const char *machine)
{
	if (!strcmp(machine, "x86_64"))
		return WT_KP_X86_64;
	if (!strcmp(machine, "aarch64") || !strcmp(machine, "arm64"))
		return WT_KP_ARM64;
	return 0;
}

/* Mark which candidate symbols are functions of the core kernel. */
static int scan_kallsyms(const char *path, bool found[S_COUNT])
{
	FILE *f = fopen(path, "r");
	char line[512], type, name[256];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* "ffffffff81360c30 T kernel_wait4" - module symbols have a
		 * fourth column "[mod]" and are not candidates. */
		char mod[64] = "";
		if (sscanf(line, "%*s %c %255s %63s", &type, name, mod) < 2)
			continue;
		if ((type != 't' && type != 'T') || mod[0])
			continue;
		for (int i = 0; i < S_COUNT; i++)
			if (!strcmp(name, sym_names[i]))
				found[i] = true;
	}
	fclose(f);
	return 0;
}

/*
 * Does the README list $arg<N> among the fetch arguments of kernel return
 * probes?  The line reads "kernel return probes support: $retval, $arg<N>,
 * $comm" on kernels that allow it (Linux >= 6.9).
 */
static int scan_readme(const char *path, bool *ret_args)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return -1;
	*ret_args = false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "kernel return probes support:") &&
		    strstr(line, "$arg<N>"))
			*ret_args = true;
	fclose(f);
	return 0;
}

/* Append "name=FETCH:type" to @dst (space-separated). */
static void add_arg(char *dst, size_t len, const char *name,
		    const char *fetch, const char *type)
{
	size_t used = strlen(dst);
	snprintf(dst + used, len - used, "%s%s=%s:%s", used ? " " : "", name,
		 fetch, type);
}

/* Spell "user argument @n (1-based)" for @style into @buf. */
static void arg_fetch(const struct wt_kp_plan *plan, enum wt_kp_style style,
		      int n, char *buf, size_t len)
{
	const int *off = plan->arch == WT_KP_ARM64 ? arm64_arg_off
						   : x86_64_arg_off;
	if (style == WT_KP_PLAIN)
		snprintf(buf, len, "$arg%d", n);
	else
		snprintf(buf, len, "+%d($arg1)", off[n - 1]);
}

static struct wt_kp_probe *add_probe(struct wt_kp_plan *plan,
				     const char *event, bool is_return,
				     const char *symbol)
{
	struct wt_kp_probe *p = &plan->probes[plan->n++];
	memset(p, 0, sizeof(*p));
	snprintf(p->event, sizeof(p->event), "%s", event);
	snprintf(p->symbol, sizeof(p->symbol), "%s", symbol);
	p->is_return = is_return;
	return p;
}

static void plan_wait4(struct wt_kp_plan *plan, const char *sym)
{
	enum wt_kp_style st = plan->wait4_style;
	char a1[48], a2[48], a3[48], deref[64];
	struct wt_kp_probe *p;

	arg_fetch(plan, st, 1, a1, sizeof(a1));
	arg_fetch(plan, st, 2, a2, sizeof(a2));
	arg_fetch(plan, st, 3, a3, sizeof(a3));
	p = add_probe(plan, "wait4_enter", false, sym);
	add_arg(p->args, sizeof(p->args), "upid", a1, "s32");
	add_arg(p->args, sizeof(p->args), "stat_addr", a2, "x64");
	add_arg(p->args, sizeof(p->args), "options", a3, "s32");

	p = add_probe(plan, "wait4_exit", true, sym);
	add_arg(p->args, sizeof(p->args), "ret", "$retval", "s64");
	if (plan->ret_args) {
		/* The status word the waiter received, read back from its
		 * memory as the call returns (stat_addr is a user pointer). */
		snprintf(deref, sizeof(deref), "+u0(%s)", a2);
		add_arg(p->args, sizeof(p->args), "status", deref, "s32");
	}
}

/* @kernel_info: the function fills a kernel struct waitid_info
 * {pid, uid, status, cause} rather than the user's siginfo_t. */
static void plan_waitid(struct wt_kp_plan *plan, const char *sym,
			bool kernel_info)
{
	enum wt_kp_style st = plan->waitid_style;
	char a[4][48], f[64];
	struct wt_kp_probe *p;

	for (int i = 0; i < 4; i++)
		arg_fetch(plan, st, i + 1, a[i], sizeof(a[i]));
	p = add_probe(plan, "waitid_enter", false, sym);
	add_arg(p->args, sizeof(p->args), "which", a[0], "s32");
	add_arg(p->args, sizeof(p->args), "upid", a[1], "s32");
	add_arg(p->args, sizeof(p->args), "infop", a[2], "x64");
	add_arg(p->args, sizeof(p->args), "options", a[3], "s32");

	p = add_probe(plan, "waitid_exit", true, sym);
	add_arg(p->args, sizeof(p->args), "ret", "$retval", "s64");
	if (!plan->ret_args)
		return;
	/* siginfo_t: si_code at 8, si_pid at 16, si_status at 24 (the
	 * _sigchld member of the union); waitid_info: pid 0, status 8,
	 * cause 12. */
	static const char *const names[3] = { "si_pid", "si_status", "si_code" };
	const int user_off[3] = { 16, 24, 8 }, kern_off[3] = { 0, 8, 12 };
	for (int i = 0; i < 3; i++) {
		if (kernel_info)
			snprintf(f, sizeof(f), "+%d(%s)", kern_off[i], a[2]);
		else
			snprintf(f, sizeof(f), "+u%d(%s)", user_off[i], a[2]);
		add_arg(p->args, sizeof(p->args), names[i], f, "s32");
	}
}

/* First found symbol among @cands (S_COUNT-terminated), or -1. */
static int pick(const bool found[S_COUNT], const int *cands)
{
	for (; *cands != S_COUNT; cands++)
		if (found[*cands])
			return *cands;
	return -1;
}

int wt_kp_plan_build(enum wt_kp_arch arch, const char *kallsyms_path,
		     const char *readme_path, struct wt_kp_plan *plan,
		     char *err, size_t errlen)
{
	bool found[S_COUNT] = { false };
	int w4, wid;

	memset(plan, 0, sizeof(*plan));
	plan->arch = arch;
	if (arch != WT_KP_X86_64 && arch != WT_KP_ARM64) {
		snprintf(err, errlen, "kprobe backend supports x86_64 and arm64 only");
		return -1;
	}
	if (scan_kallsyms(kallsyms_path, found) < 0) {
		snprintf(err, errlen, "cannot read %s", kallsyms_path);
		return -1;
	}
	if (scan_readme(readme_path, &plan->ret_args) < 0) {
		snprintf(err, errlen, "cannot read %s", readme_path);
		return -1;
	}
	const int wait4_c[] = { S_KERNEL_WAIT4, S_DO_SYS_WAIT4, S_SYS_WAIT4,
		arch == WT_KP_ARM64 ? S_ARM64_WAIT4 : S_X64_WAIT4, S_COUNT };
	const int waitid_c[] = { S_KERNEL_WAITID, S_DO_SYS_WAITID, S_SYS_WAITID,
		arch == WT_KP_ARM64 ? S_ARM64_WAITID : S_X64_WAITID, S_COUNT };
	w4 = pick(found, wait4_c);
	wid = pick(found, waitid_c);
	if (w4 < 0 || wid < 0) {
		snprintf(err, errlen, "no probeable %s function in %s",
			 w4 < 0 ? "wait4" : "waitid", kallsyms_path);
		return -1;
	}
	plan->wait4_style = (w4 == S_X64_WAIT4 || w4 == S_ARM64_WAIT4)
			    ? WT_KP_PTREGS : WT_KP_PLAIN;
	plan->waitid_style = (wid == S_X64_WAITID || wid == S_ARM64_WAITID)
			     ? WT_KP_PTREGS : WT_KP_PLAIN;
	plan_wait4(plan, sym_names[w4]);
	plan_waitid(plan, sym_names[wid], wid == S_KERNEL_WAITID);
	if (found[S_DO_EXIT]) {
		/* do_exit(long code): code is a whole wait status, the only
		 * place the exit status of every task is visible. */
		struct wt_kp_probe *p = add_probe(plan, "do_exit", false, "do_exit");
		add_arg(p->args, sizeof(p->args), "code", "$arg1", "s64");
	}
	return 0;
}

int wt_kp_probe_format(const struct wt_kp_probe *p, const char *group,
		       char *buf, size_t buflen)
{
	int n;

	if (p->is_return)
		n = snprintf(buf, buflen, "r%d:%s/%s %s %s", WT_KP_MAXACTIVE,
			     group, p->event, p->symbol, p->args);
	else
		n = snprintf(buf, buflen, "p:%s/%s %s %s", group, p->event,
			     p->symbol, p->args);
	return (n < 0 || (size_t)n >= buflen) ? -1 : 0;
}
