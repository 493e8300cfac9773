/*
 * test_kprobe_plan.c - the kprobe backend's probe definitions, checked
 * against fake /proc/kallsyms and tracefs README files for x86_64 and arm64,
 * with and without return-probe argument access.
 *
 * The expected strings are spelled here by hand from the kernel's ABI
 * (struct pt_regs layouts, siginfo_t and struct waitid_info offsets, the
 * kprobe_events syntax in Documentation/trace/kprobetrace.rst), not taken
 * from the program's output.
 */
#include <stdio.h>
#include <string.h>
#include "kprobe_plan.h"
#include "tcheck.h"

#ifndef DATA_DIR
#error "DATA_DIR must point at tests/kprobe/data"
#endif


struct plan_case {
	int id;
	const char *arch;
	const char *kallsyms, *readme;
	int expect_rc;
	const char *lines[6]; /* NULL-terminated expected definitions */
};

/* struct rusage's fields at pointer P, in the caller's memory (U "u") or
 * the kernel's (U ""): include/uapi/linux/resource.h on LP64, tv_sec and
 * tv_usec of ru_utime at 0 and 8, ru_stime 16 and 24, ru_maxrss 32,
 * ru_minflt 64, ru_majflt 72, ru_nvcsw 128, ru_nivcsw 136. */
#define RU(U, P) \
	" ru_utime_sec=+" U "0(" P "):s64 ru_utime_usec=+" U "8(" P "):s64" \
	" ru_stime_sec=+" U "16(" P "):s64 ru_stime_usec=+" U "24(" P "):s64" \
	" ru_maxrss=+" U "32(" P "):s64 ru_minflt=+" U "64(" P "):s64" \
	" ru_majflt=+" U "72(" P "):s64 ru_nvcsw=+" U "128(" P "):s64" \
	" ru_nivcsw=+" U "136(" P "):s64"
/* the caller's siginfo_t at P: si_signo 0, si_code 8, then the _sigchld
 * member of the union at 16: pid 16, uid 20, status 24 */
#define SI(P) \
	" si_signo=+u0(" P "):s32 si_code=+u8(" P "):s32 si_pid=+u16(" P "):s32" \
	" si_uid=+u20(" P "):u32 si_status=+u24(" P "):s32"
/* kernel_waitid's struct waitid_info at P (kernel/exit.h): pid 0, uid 4,
 * status 8, cause 12 */
#define WI(P) \
	" si_code=+12(" P "):s32 si_pid=+0(" P "):s32 si_uid=+4(" P "):u32" \
	" si_status=+8(" P "):s32"
#define DO_EXIT "p:G/do_exit do_exit code=$arg1:s64"

static const struct plan_case cases[] = {
	/* entries on the syscall wrappers (the caller's arguments through
	 * pt_regs: di 112, si 104, dx 96, r10 56, r8 72; the kernel refuses
	 * probes on the __do_sys_* helpers); wait4's return there too (the
	 * caller's memory: kernel_wait4 also serves the kernel's own reaps),
	 * waitid's on kernel_waitid with its own plain arguments (kernel
	 * structs for rusage and info) */
	{ 1, "x86_64", "kallsyms_x86_kernel.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64",
	  "r1024:G/wait4_exit __x64_sys_wait4 ret=$retval:s64 status=+u0(+104($arg1)):s32" RU("u", "+56($arg1)"),
	  "p:G/waitid_enter __x64_sys_waitid which=+112($arg1):s32 upid=+104($arg1):s32 infop=+96($arg1):x64 options=+56($arg1):s32 ru=+72($arg1):x64",
	  "r1024:G/waitid_exit kernel_waitid ret=$retval:s64" WI("$arg3") RU("", "$arg5"),
	  DO_EXIT, NULL } },
	{ 2, "x86_64", "kallsyms_x86_kernel.txt", "readme_plain.txt", 0, {
	  "p:G/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64",
	  "r1024:G/wait4_exit __x64_sys_wait4 ret=$retval:s64",
	  "p:G/waitid_enter __x64_sys_waitid which=+112($arg1):s32 upid=+104($arg1):s32 infop=+96($arg1):x64 options=+56($arg1):s32 ru=+72($arg1):x64",
	  "r1024:G/waitid_exit kernel_waitid ret=$retval:s64",
	  DO_EXIT, NULL } },
	/* no kernel_* (the module's kernel_wait4 must not be picked): the
	 * returns on the wrappers read the caller's memory */
	{ 3, "x86_64", "kallsyms_x86_wrappers.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64",
	  "r1024:G/wait4_exit __x64_sys_wait4 ret=$retval:s64 status=+u0(+104($arg1)):s32" RU("u", "+56($arg1)"),
	  "p:G/waitid_enter __x64_sys_waitid which=+112($arg1):s32 upid=+104($arg1):s32 infop=+96($arg1):x64 options=+56($arg1):s32 ru=+72($arg1):x64",
	  "r1024:G/waitid_exit __x64_sys_waitid ret=$retval:s64" SI("+96($arg1)") RU("u", "+72($arg1)"),
	  DO_EXIT, NULL } },
	{ 4, "x86_64", "kallsyms_x86_wrappers.txt", "readme_plain.txt", 0, {
	  "p:G/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64",
	  "r1024:G/wait4_exit __x64_sys_wait4 ret=$retval:s64",
	  "p:G/waitid_enter __x64_sys_waitid which=+112($arg1):s32 upid=+104($arg1):s32 infop=+96($arg1):x64 options=+56($arg1):s32 ru=+72($arg1):x64",
	  "r1024:G/waitid_exit __x64_sys_waitid ret=$retval:s64",
	  DO_EXIT, NULL } },
	/* arm64 pt_regs: regs[0..4] at 0, 8, 16, 24, 32. */
	{ 5, "aarch64", "kallsyms_arm64_wrappers.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __arm64_sys_wait4 upid=+0($arg1):s32 stat_addr=+8($arg1):x64 options=+16($arg1):s32 ru=+24($arg1):x64",
	  "r1024:G/wait4_exit __arm64_sys_wait4 ret=$retval:s64 status=+u0(+8($arg1)):s32" RU("u", "+24($arg1)"),
	  "p:G/waitid_enter __arm64_sys_waitid which=+0($arg1):s32 upid=+8($arg1):s32 infop=+16($arg1):x64 options=+24($arg1):s32 ru=+32($arg1):x64",
	  "r1024:G/waitid_exit __arm64_sys_waitid ret=$retval:s64" SI("+16($arg1)") RU("u", "+32($arg1)"),
	  DO_EXIT, NULL } },
	{ 6, "aarch64", "kallsyms_arm64_wrappers.txt", "readme_plain.txt", 0, {
	  "p:G/wait4_enter __arm64_sys_wait4 upid=+0($arg1):s32 stat_addr=+8($arg1):x64 options=+16($arg1):s32 ru=+24($arg1):x64",
	  "r1024:G/wait4_exit __arm64_sys_wait4 ret=$retval:s64",
	  "p:G/waitid_enter __arm64_sys_waitid which=+0($arg1):s32 upid=+8($arg1):s32 infop=+16($arg1):x64 options=+24($arg1):s32 ru=+32($arg1):x64",
	  "r1024:G/waitid_exit __arm64_sys_waitid ret=$retval:s64",
	  DO_EXIT, NULL } },
	/* before the wrappers (4.13 .. 4.16): sys_* with plain arguments,
	 * the caller's */
	{ 7, "x86_64", "kallsyms_x86_old.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter sys_wait4 upid=$arg1:s32 stat_addr=$arg2:x64 options=$arg3:s32 ru=$arg4:x64",
	  "r1024:G/wait4_exit sys_wait4 ret=$retval:s64 status=+u0($arg2):s32" RU("u", "$arg4"),
	  "p:G/waitid_enter sys_waitid which=$arg1:s32 upid=$arg2:s32 infop=$arg3:x64 options=$arg4:s32 ru=$arg5:x64",
	  "r1024:G/waitid_exit kernel_waitid ret=$retval:s64" WI("$arg3") RU("", "$arg5"),
	  DO_EXIT, NULL } },
	{ 8, "x86_64", "kallsyms_none.txt", "readme_retargs.txt", -1, { NULL } },
	{ 9, "x86_64", "no_such_file.txt", "readme_retargs.txt", -1, { NULL } },
	{ 10, "x86_64", "kallsyms_x86_kernel.txt", "no_such_file.txt", -1, { NULL } },
	{ 11, "riscv64", "kallsyms_x86_kernel.txt", "readme_retargs.txt", -1, { NULL } },
	/* x86 wrappers exist in the arm64 file's absence: an arm64 plan on
	 * an x86 symbol table that only has __x64 wrappers finds nothing. */
	{ 12, "aarch64", "kallsyms_x86_wrappers.txt", "readme_retargs.txt", -1, { NULL } },
	/* __do_sys_* inlined into the wrappers: entries through pt_regs,
	 * waitid's return on kernel_waitid with its own (plain) arguments. */
	{ 14, "x86_64", "kallsyms_x86_inlined.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __x64_sys_wait4 upid=+112($arg1):s32 stat_addr=+104($arg1):x64 options=+96($arg1):s32 ru=+56($arg1):x64",
	  "r1024:G/wait4_exit __x64_sys_wait4 ret=$retval:s64 status=+u0(+104($arg1)):s32" RU("u", "+56($arg1)"),
	  "p:G/waitid_enter __x64_sys_waitid which=+112($arg1):s32 upid=+104($arg1):s32 infop=+96($arg1):x64 options=+56($arg1):s32 ru=+72($arg1):x64",
	  "r1024:G/waitid_exit kernel_waitid ret=$retval:s64" WI("$arg3") RU("", "$arg5"),
	  DO_EXIT, NULL } },
	/* __do_sys_* next to the wrappers: the wrappers (arm64), the
	 * returns there too (no kernel_*), reading the caller's memory */
	{ 16, "arm64", "kallsyms_arm64_dosys.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __arm64_sys_wait4 upid=+0($arg1):s32 stat_addr=+8($arg1):x64 options=+16($arg1):s32 ru=+24($arg1):x64",
	  "r1024:G/wait4_exit __arm64_sys_wait4 ret=$retval:s64 status=+u0(+8($arg1)):s32" RU("u", "+24($arg1)"),
	  "p:G/waitid_enter __arm64_sys_waitid which=+0($arg1):s32 upid=+8($arg1):s32 infop=+16($arg1):x64 options=+24($arg1):s32 ru=+32($arg1):x64",
	  "r1024:G/waitid_exit __arm64_sys_waitid ret=$retval:s64" SI("+16($arg1)") RU("u", "+32($arg1)"),
	  DO_EXIT, NULL } },
	/* only __do_sys_* (no wrapper, no sys_*, no kernel_*): plain
	 * arguments, the caller's memory */
	{ 17, "x86_64", "kallsyms_x86_dosys_only.txt", "readme_retargs.txt", 0, {
	  "p:G/wait4_enter __do_sys_wait4 upid=$arg1:s32 stat_addr=$arg2:x64 options=$arg3:s32 ru=$arg4:x64",
	  "r1024:G/wait4_exit __do_sys_wait4 ret=$retval:s64 status=+u0($arg2):s32" RU("u", "$arg4"),
	  "p:G/waitid_enter __do_sys_waitid which=$arg1:s32 upid=$arg2:s32 infop=$arg3:x64 options=$arg4:s32 ru=$arg5:x64",
	  "r1024:G/waitid_exit __do_sys_waitid ret=$retval:s64" SI("$arg3") RU("u", "$arg5"),
	  NULL } },
	/* kernel_* alone: no function sees the caller's pointers */
	{ 15, "x86_64", "kallsyms_kernel_only.txt", "readme_retargs.txt", -1, { NULL } },
};

static void run_case(const struct plan_case *c)
{
	char ks[512], rd[512], err[256] = "", line[WT_KP_LINE_MAX];
	struct wt_kp_plan plan;
	int rc, n = 0;

	snprintf(ks, sizeof(ks), "%s/%s", DATA_DIR, c->kallsyms);
	snprintf(rd, sizeof(rd), "%s/%s", DATA_DIR, c->readme);
	rc = wt_kp_plan_build(wt_kp_arch_parse(c->arch), ks, rd, &plan, err,
			      sizeof(err));
	check(rc == c->expect_rc, c->id, "return code", rc ? err : "0",
	      c->expect_rc ? "error" : "0");
	if (rc < 0) {
		check(err[0] != '\0', c->id, "error message", err, "non-empty");
		return;
	}
	while (c->lines[n])
		n++;
	char nbuf[32], wbuf[32];
	snprintf(nbuf, sizeof(nbuf), "%d", plan.n);
	snprintf(wbuf, sizeof(wbuf), "%d", n);
	check(plan.n == n, c->id, "number of probes", nbuf, wbuf);
	for (int i = 0; i < plan.n && i < n; i++) {
		rc = wt_kp_probe_format(&plan.probes[i], "G", line, sizeof(line));
		check(rc == 0 && !strcmp(line, c->lines[i]), c->id,
		      "definition", line, c->lines[i]);
	}
}

/* A buffer too small to hold a definition is refused, not truncated. */
static void run_small_buffer(void)
{
	char ks[512], rd[512], err[256], tiny[16];
	struct wt_kp_plan plan;

	snprintf(ks, sizeof(ks), "%s/kallsyms_x86_kernel.txt", DATA_DIR);
	snprintf(rd, sizeof(rd), "%s/readme_retargs.txt", DATA_DIR);
	if (wt_kp_plan_build(WT_KP_X86_64, ks, rd, &plan, err, sizeof(err))) {
		check(false, 13, "build", err, "0");
		return;
	}
	check(wt_kp_probe_format(&plan.probes[0], "G", tiny, sizeof(tiny)) == -1,
	      13, "small buffer refused", tiny, "-1");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	run_small_buffer();
	return tcheck_report();
}
