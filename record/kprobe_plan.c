/*
 * kprobe_plan.c - choose the functions to probe for wait4/waitid/do_exit and
 * spell the fetch arguments for them (see kprobe_plan.h for the contract).
 *
 * Entry probes go on the syscall function, because only there are the
 * arguments the caller's own, best first:
 *   wait4:  __x64_sys_wait4 / __arm64_sys_wait4     -> through pt_regs
 *           sys_wait4 (no wrappers: < 4.17), __do_sys_wait4 -> plain
 *   waitid: __x64_sys_waitid / __arm64_sys_waitid, sys_waitid,
 *           __do_sys_waitid
 * The wrapper comes first: it is the syscall table's entry, always a
 * traceable function, while the kernel refuses probes on the static
 * __do_sys_* helpers even where kallsyms lists them (Debian's 6.12:
 * "Failed to register probe event", and they are absent from
 * available_filter_functions).
 * (kernel_wait4() gets the caller's stat_addr but a kernel struct rusage,
 * kernel_waitid() kernel structs for both).
 *
 * wait4's return probe shares the entry's function and reads the caller's
 * memory after sys_wait4 copied the rusage out: kernel_wait4() also serves
 * the kernel itself (zap_pid_ns_processes() reaps a dying pid namespace
 * with it, NULL stat_addr and all), and a return probe there shows those
 * reaps as wait4 calls nobody made (seen on Debian's 6.12).  waitid's
 * return probe goes on kernel_waitid when present (only sys_waitid and
 * its compat twin call it): it returns the child's pid where the syscall
 * says 0, so even a kernel whose return probes cannot read the siginfo
 * names the child, and it holds in its arguments the kernel struct
 * waitid_info and struct rusage the syscall then copies out, which a
 * return probe that reads entry arguments reads in kernel memory whatever
 * the caller passed.  Without kernel_waitid the return probe shares the
 * entry's function.  The syscall wrappers (Linux >= 4.17 on x86_64, 4.19
 * on arm64) receive one argument, the user's struct pt_regs; the user
 * arguments are read from it at per-architecture offsets (kprobe_abi.c),
 * as are the struct layouts.  Static functions may be inlined away by the
 * compiler, which is why kallsyms decides, never the kernel version.
 *
 * Not seen: 32-bit (compat) callers enter through compat functions: their
 * wait4 calls are not seen at all (as with the syscall tracepoints), their
 * waitid calls reach kernel_waitid's return probe without an entry.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "kprobe_abi.h"
#include "kprobe_plan.h"

/* The candidate functions we look for in kallsyms. */
enum sym {
	S_DO_SYS_WAIT4, S_SYS_WAIT4, S_X64_WAIT4, S_ARM64_WAIT4,
	S_KERNEL_WAITID, S_DO_SYS_WAITID, S_SYS_WAITID, S_X64_WAITID,
	S_ARM64_WAITID, S_DO_EXIT, S_COUNT
};
static const char *const sym_names[S_COUNT] = {
	"__do_sys_wait4", "sys_wait4", "__x64_sys_wait4",
	"__arm64_sys_wait4", "kernel_waitid", "__do_sys_waitid", "sys_waitid",
	"__x64_sys_waitid", "__arm64_sys_waitid", "do_exit",
};

/* Where one syscall's two probes go. */
struct site {
	int entry, ret;          /* enum sym */
	enum wt_kp_style style;  /* how the entry function gets the args */
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

/* Spell "argument @n (1-based)" of a function reached in @style. */
static void arg_fetch(const struct wt_kp_abi *abi, enum wt_kp_style style,
		      int n, char *buf, size_t len)
{
	if (style == WT_KP_PLAIN)
		snprintf(buf, len, "$arg%d", n);
	else
		snprintf(buf, len, "+%d($arg1)", abi->regs_arg[n - 1]);
}

/* Append each of @n fields at offsets from the pointer @ptr, in the
 * caller's memory (@user) or the kernel's. */
static void add_mem(struct wt_kp_probe *p, const struct wt_kp_memfield *f,
		    int n, const char *ptr, bool user)
{
	char fetch[96];

	for (int i = 0; i < n; i++) {
		snprintf(fetch, sizeof(fetch), "+%s%d(%s)", user ? "u" : "",
			 f[i].offset, ptr);
		add_arg(p->args, sizeof(p->args), f[i].name, fetch, f[i].type);
	}
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

/* The entry probe: every user argument, as the caller passed it.
 * @names: the fields, NULL-terminated; @types alike. */
static void plan_entry(struct wt_kp_plan *plan, const struct wt_kp_abi *abi,
		       const char *event, const struct site *st,
		       const char *const *names, const char *const *types)
{
	struct wt_kp_probe *p = add_probe(plan, event, false,
					  sym_names[st->entry]);
	char a[48];

	for (int i = 0; names[i]; i++) {
		arg_fetch(abi, st->style, i + 1, a, sizeof(a));
		add_arg(p->args, sizeof(p->args), names[i], a, types[i]);
	}
}

/* Argument @n as the return probe's function sees it: on kernel_* (plain
 * arguments) or on the entry's own function. */
static void ret_arg(const struct wt_kp_abi *abi, const struct site *st,
		    int n, char *buf, size_t len)
{
	arg_fetch(abi, st->ret == st->entry ? st->style : WT_KP_PLAIN, n, buf,
		  len);
}

static void plan_wait4(struct wt_kp_plan *plan, const struct wt_kp_abi *abi,
		       const struct site *st)
{
	static const char *const names[] = { "upid", "stat_addr", "options",
					     "ru", NULL };
	static const char *const types[] = { "s32", "x64", "s32", "x64" };
	char stat[48], ru[48], deref[64];
	struct wt_kp_probe *p;

	plan_entry(plan, abi, "wait4_enter", st, names, types);
	p = add_probe(plan, "wait4_exit", true, sym_names[st->ret]);
	add_arg(p->args, sizeof(p->args), "ret", "$retval", "s64");
	if (!plan->ret_args)
		return;
	/* the caller's status word and struct rusage, after the copy */
	ret_arg(abi, st, 2, stat, sizeof(stat));
	ret_arg(abi, st, 4, ru, sizeof(ru));
	snprintf(deref, sizeof(deref), "+u0(%s)", stat);
	add_arg(p->args, sizeof(p->args), "status", deref, "s32");
	add_mem(p, abi->rusage, WT_KP_RU_FIELDS, ru, true);
}

static void plan_waitid(struct wt_kp_plan *plan, const struct wt_kp_abi *abi,
			const struct site *st)
{
	static const char *const names[] = { "which", "upid", "infop",
					     "options", "ru", NULL };
	static const char *const types[] = { "s32", "s32", "x64", "s32", "x64" };
	bool kern = st->ret == S_KERNEL_WAITID;
	char info[48], ru[48];
	struct wt_kp_probe *p;

	plan_entry(plan, abi, "waitid_enter", st, names, types);
	p = add_probe(plan, "waitid_exit", true, sym_names[st->ret]);
	add_arg(p->args, sizeof(p->args), "ret", "$retval", "s64");
	if (!plan->ret_args)
		return;
	/* kernel_waitid(which, upid, infop, options, ru): a kernel struct
	 * waitid_info and struct rusage; the syscall's are the caller's */
	ret_arg(abi, st, 3, info, sizeof(info));
	ret_arg(abi, st, 5, ru, sizeof(ru));
	if (kern)
		add_mem(p, abi->waitid_info, WT_KP_WI_FIELDS, info, false);
	else
		add_mem(p, abi->siginfo, WT_KP_SI_FIELDS, info, true);
	add_mem(p, abi->rusage, WT_KP_RU_FIELDS, ru, !kern);
}

/* First found symbol among @cands (S_COUNT-terminated), or -1. */
static int pick(const bool found[S_COUNT], const int *cands)
{
	for (; *cands != S_COUNT; cands++)
		if (found[*cands])
			return *cands;
	return -1;
}

/* The site of a syscall: entry among @entries (best first), return on
 * @kernel when there is one (-1: none wanted) and kallsyms has it.  False
 * when no entry function exists. */
static bool find_site(const bool found[S_COUNT], const int *entries,
		      int kernel, int wrapper, struct site *st)
{
	st->entry = pick(found, entries);
	if (st->entry < 0)
		return false;
	st->ret = kernel >= 0 && found[kernel] ? kernel : st->entry;
	st->style = st->entry == wrapper ? WT_KP_PTREGS : WT_KP_PLAIN;
	return true;
}

int wt_kp_plan_build(enum wt_kp_arch arch, const char *kallsyms_path,
		     const char *readme_path, struct wt_kp_plan *plan,
		     char *err, size_t errlen)
{
	const struct wt_kp_abi *abi = wt_kp_abi_of(arch);
	bool found[S_COUNT] = { false };
	struct site w4, wid;

	memset(plan, 0, sizeof(*plan));
	plan->arch = arch;
	if (!abi) {
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
	int w4_wrap = arch == WT_KP_ARM64 ? S_ARM64_WAIT4 : S_X64_WAIT4;
	int wid_wrap = arch == WT_KP_ARM64 ? S_ARM64_WAITID : S_X64_WAITID;
	const int wait4_c[] = { w4_wrap, S_SYS_WAIT4, S_DO_SYS_WAIT4, S_COUNT };
	const int waitid_c[] = { wid_wrap, S_SYS_WAITID, S_DO_SYS_WAITID,
				 S_COUNT };
	bool ok4 = find_site(found, wait4_c, -1, w4_wrap, &w4);
	bool okid = find_site(found, waitid_c, S_KERNEL_WAITID, wid_wrap, &wid);
	if (!ok4 || !okid) {
		snprintf(err, errlen, "no probeable %s function in %s",
			 !ok4 ? "wait4" : "waitid", kallsyms_path);
		return -1;
	}
	plan_wait4(plan, abi, &w4);
	plan_waitid(plan, abi, &wid);
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
