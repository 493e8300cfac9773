/*
 * test_kprobe_format.c - the format text record/kprobe_format.c gives the
 * probe events, against texts written by hand from the kernel's sources
 * (kernel/trace/trace_kprobe.c: kprobe_event_define_fields() puts
 * `unsigned long __probe_ip` at 8, kretprobe_event_define_fields()
 * `__probe_func` at 8 and `__probe_ret_ip` at 16; trace_probe.c:
 * traceprobe_define_arg_fields() packs the arguments after them at their
 * type sizes, field type "s32"/"s64" for signed ones and "u64" for x64,
 * and __set_print_fmt() spells the print fmt with "%d", "%Ld", "0x%Lx").
 * The layout of the common fields is the one in tests/decode/formats.
 */
#include <stdio.h>
#include <string.h>

#include "kprobe_format.h"
#include "kprobe_plan.h"
#include "tcheck.h"

#ifndef DATA_DIR
#error "DATA_DIR must point at tests/kprobe/data"
#endif


#define COMMON \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

#define FL(decl, off, size, sign) \
	"\tfield:" decl ";\toffset:" #off ";\tsize:" #size ";\tsigned:" #sign ";\n"
#define RET_HEAD \
	FL("unsigned long __probe_func", 8, 8, 0) \
	FL("unsigned long __probe_ret_ip", 16, 8, 0) \
	FL("s64 ret", 24, 8, 1)
/* nine s64 rusage fields packed from offset O (8 bytes each) */
#define RU_FIELDS(a, b, c, d, e, f, g, h, i) \
	FL("s64 ru_utime_sec", a, 8, 1) FL("s64 ru_utime_usec", b, 8, 1) \
	FL("s64 ru_stime_sec", c, 8, 1) FL("s64 ru_stime_usec", d, 8, 1) \
	FL("s64 ru_maxrss", e, 8, 1) FL("s64 ru_minflt", f, 8, 1) \
	FL("s64 ru_majflt", g, 8, 1) FL("s64 ru_nvcsw", h, 8, 1) \
	FL("s64 ru_nivcsw", i, 8, 1)
#define RU_FMT " ru_utime_sec=%Ld ru_utime_usec=%Ld ru_stime_sec=%Ld " \
	"ru_stime_usec=%Ld ru_maxrss=%Ld ru_minflt=%Ld ru_majflt=%Ld " \
	"ru_nvcsw=%Ld ru_nivcsw=%Ld"
#define RU_REC ", REC->ru_utime_sec, REC->ru_utime_usec, REC->ru_stime_sec, " \
	"REC->ru_stime_usec, REC->ru_maxrss, REC->ru_minflt, REC->ru_majflt, " \
	"REC->ru_nvcsw, REC->ru_nivcsw"

static const struct {
	int id;
	const char *readme;
	int probe; /* index in the plan */
	const char *want;
} cases[] = {
	{ 1, "readme_retargs.txt", 0,
	  "name: wait4_enter\nID: 1900\nformat:\n" COMMON
	  FL("unsigned long __probe_ip", 8, 8, 0)
	  FL("s32 upid", 16, 4, 1) FL("u64 stat_addr", 20, 8, 0)
	  FL("s32 options", 28, 4, 1) FL("u64 ru", 32, 8, 0) "\n"
	  "print fmt: \"(%lx) upid=%d stat_addr=0x%Lx options=%d ru=0x%Lx\", "
	  "REC->__probe_ip, REC->upid, REC->stat_addr, REC->options, REC->ru\n" },
	{ 2, "readme_retargs.txt", 1,
	  "name: wait4_exit\nID: 1901\nformat:\n" COMMON RET_HEAD
	  FL("s32 status", 32, 4, 1)
	  RU_FIELDS(36, 44, 52, 60, 68, 76, 84, 92, 100) "\n"
	  "print fmt: \"(%lx <- %lx) ret=%Ld status=%d" RU_FMT "\", "
	  "REC->__probe_func, REC->__probe_ret_ip, REC->ret, REC->status"
	  RU_REC "\n" },
	{ 3, "readme_retargs.txt", 2,
	  "name: waitid_enter\nID: 1902\nformat:\n" COMMON
	  FL("unsigned long __probe_ip", 8, 8, 0)
	  FL("s32 which", 16, 4, 1) FL("s32 upid", 20, 4, 1)
	  FL("u64 infop", 24, 8, 0) FL("s32 options", 32, 4, 1)
	  FL("u64 ru", 36, 8, 0) "\n"
	  "print fmt: \"(%lx) which=%d upid=%d infop=0x%Lx options=%d ru=0x%Lx\", "
	  "REC->__probe_ip, REC->which, REC->upid, REC->infop, REC->options, "
	  "REC->ru\n" },
	{ 4, "readme_retargs.txt", 3,
	  "name: waitid_exit\nID: 1903\nformat:\n" COMMON RET_HEAD
	  FL("s32 si_code", 32, 4, 1) FL("s32 si_pid", 36, 4, 1)
	  FL("u32 si_uid", 40, 4, 0) FL("s32 si_status", 44, 4, 1)
	  RU_FIELDS(48, 56, 64, 72, 80, 88, 96, 104, 112) "\n"
	  "print fmt: \"(%lx <- %lx) ret=%Ld si_code=%d si_pid=%d si_uid=%u "
	  "si_status=%d" RU_FMT "\", REC->__probe_func, REC->__probe_ret_ip, "
	  "REC->ret, REC->si_code, REC->si_pid, REC->si_uid, REC->si_status"
	  RU_REC "\n" },
	{ 5, "readme_retargs.txt", 4,
	  "name: do_exit\nID: 1904\nformat:\n" COMMON
	  FL("unsigned long __probe_ip", 8, 8, 0)
	  FL("s64 code", 16, 8, 1) "\n"
	  "print fmt: \"(%lx) code=%Ld\", REC->__probe_ip, REC->code\n" },
	{ 6, "readme_plain.txt", 1,
	  "name: wait4_exit\nID: 1901\nformat:\n" COMMON RET_HEAD "\n"
	  "print fmt: \"(%lx <- %lx) ret=%Ld\", REC->__probe_func, "
	  "REC->__probe_ret_ip, REC->ret\n" },
};

int main(void)
{
	char ks[512], rd[512], err[256], text[4096];
	struct wt_kp_plan plan;
	struct wt_kp_probe bad;

	snprintf(ks, sizeof(ks), "%s/kallsyms_x86_kernel.txt", DATA_DIR);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(rd, sizeof(rd), "%s/%s", DATA_DIR, cases[i].readme);
		if (wt_kp_plan_build(WT_KP_X86_64, ks, rd, &plan, err, sizeof(err))) {
			check(false, cases[i].id, "plan", err, "0");
			continue;
		}
		int n = wt_kp_format_text(&plan.probes[cases[i].probe],
					  1900 + cases[i].probe, text, sizeof(text));
		check(n > 0 && (size_t)n == strlen(text) &&
		      !strcmp(text, cases[i].want), cases[i].id, "format text",
		      n > 0 ? text : "(error)", cases[i].want);
		check(wt_kp_format_text(&plan.probes[cases[i].probe], 1900, text,
					64) == -1, cases[i].id,
		      "small buffer refused", "written", "-1");
	}
	/* a type the kernel has no fetch type for is refused */
	memset(&bad, 0, sizeof(bad));
	snprintf(bad.event, sizeof(bad.event), "x");
	snprintf(bad.args, sizeof(bad.args), "a=$arg1:s33");
	check(wt_kp_format_text(&bad, 1, text, sizeof(text)) == -1, 7,
	      "unknown type refused", text, "-1");
	return tcheck_report();
}
