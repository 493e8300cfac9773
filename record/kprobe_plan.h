/*
 * kprobe_plan.h - decide which kprobe/kretprobe events the kprobe backend
 * creates, and spell their tracefs definitions.
 *
 * Pure: it reads a kallsyms file and a tracefs README file whose paths the
 * caller gives (so tests point it at fake ones) and touches nothing else.
 * Creating the probes is the caller's job (libtracefs dynevents).
 *
 * Event names and field names are a contract with analyze/decode_events.c:
 *   wait4_enter   upid:s32 stat_addr:x64 options:s32 ru:x64
 *   wait4_exit    ret:s64 [status:s32 RUSAGE]
 *   waitid_enter  which:s32 upid:s32 infop:x64 options:s32 ru:x64
 *   waitid_exit   ret:s64 [[si_signo:s32] si_code:s32 si_pid:s32
 *                 si_uid:u32 si_status:s32 RUSAGE]
 *   do_exit       code:s64
 * RUSAGE: ru_utime_sec ru_utime_usec ru_stime_sec ru_stime_usec ru_maxrss
 * ru_minflt ru_majflt ru_nvcsw ru_nivcsw, all s64 (kprobe_abi.h).
 *
 * The entry probes sit on the syscall function (its arguments are the
 * caller's: the user's status/siginfo/rusage pointers), and so does
 * wait4's return probe (kernel_wait4() also serves the kernel's own reaps:
 * kprobe_plan.c); waitid's return probe on kernel_waitid() when kallsyms
 * has it, else on the syscall function.  kernel_waitid() returns the
 * reported child's pid where the syscall returns 0, and fills a kernel
 * struct waitid_info and struct rusage that the syscall copies out.  The bracketed return fields exist only when the kernel lets return
 * probes read entry arguments ($arg<N> in the README's "kernel return
 * probes support" line, Linux >= 6.9); si_signo only where the siginfo is
 * the caller's (not kernel_waitid's waitid_info).
 */
#ifndef WT_KPROBE_PLAN_H
#define WT_KPROBE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

enum wt_kp_arch { WT_KP_X86_64 = 1, WT_KP_ARM64 = 2 };

/* How the arguments of a probed function are reached. */
enum wt_kp_style {
	WT_KP_PLAIN = 1,  /* sys_wait4(upid, stat_addr, options, ru)         */
	WT_KP_PTREGS = 2, /* __x64_sys_wait4(const struct pt_regs *regs)     */
};

#define WT_KP_MAX 5

/*
 * Kretprobes keep one instance per task currently inside the probed
 * function; a wait blocks for as long as the child lives, so the default
 * (a few per CPU) would miss returns on a host with many waiting parents.
 * 1024 is well under the kernel's KRETPROBE_MAXACTIVE_MAX (4096).
 */
#define WT_KP_MAXACTIVE 1024

/* Longest definition a plan spells (pt_regs-style waitid_exit with every
 * field: ~600 bytes), with room; the kernel takes lines up to 4096. */
#define WT_KP_LINE_MAX 1536

struct wt_kp_probe {
	char event[32];    /* "wait4_enter" */
	bool is_return;
	char symbol[128];  /* "__x64_sys_wait4" */
	char args[1280];   /* "upid=$arg1:s32 ..." */
};

/* Indices of the probes in a plan (do_exit only when kallsyms has it). */
enum { WT_KP_WAIT4_ENTER, WT_KP_WAIT4_EXIT, WT_KP_WAITID_ENTER,
       WT_KP_WAITID_EXIT, WT_KP_DO_EXIT };

struct wt_kp_plan {
	enum wt_kp_arch arch;
	bool ret_args;               /* return probes may read $argN */
	int n;
	struct wt_kp_probe probes[WT_KP_MAX];
};

/* Parse a uname machine string ("x86_64", "aarch64"); 0 if unsupported. */
enum wt_kp_arch wt_kp_arch_parse(const char *machine);

/*
 * Build the probe set for @arch from the symbols in @kallsyms_path and the
 * capabilities in @readme_path.  Returns 0, or -1 with a one-line reason in
 * @err (file unreadable, no wait4/waitid syscall function).  do_exit is
 * added when present; its absence is not an error.
 */
int wt_kp_plan_build(enum wt_kp_arch arch, const char *kallsyms_path,
		     const char *readme_path, struct wt_kp_plan *plan,
		     char *err, size_t errlen);

/*
 * Spell one probe as a kprobe_events line ("p:GROUP/EVENT SYMBOL ARGS" or
 * "r:..."), into @buf.  Returns 0, or -1 when @buflen is too small.
 */
int wt_kp_probe_format(const struct wt_kp_probe *p, const char *group,
		       char *buf, size_t buflen);

#endif /* WT_KPROBE_PLAN_H */
