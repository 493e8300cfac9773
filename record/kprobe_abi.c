/*
 * kprobe_abi.c - the per-architecture layouts of kprobe_abi.h, spelled from
 * the kernel's headers (Linux 6.12; unchanged since 4.17 for what is used):
 *
 * struct pt_regs (the syscall wrappers' only argument):
 *   x86_64 arch/x86/include/asm/ptrace.h: r15 r14 r13 r12 bp bx r11 r10 r9
 *          r8 ax cx dx si di ..., 8 bytes each: arguments 1..5 of a 64-bit
 *          syscall in di (112), si (104), dx (96), r10 (56), r8 (72).
 *   arm64  arch/arm64/include/asm/ptrace.h: regs[31] first: x0..x4 at
 *          0, 8, 16, 24, 32.
 *
 * struct rusage (include/uapi/linux/resource.h): two struct
 * __kernel_old_timeval ({__kernel_long_t tv_sec, tv_usec},
 * include/uapi/linux/time_types.h) then fourteen __kernel_long_t.
 * __kernel_long_t is asm-generic/posix_types.h's long on both
 * architectures: x86_64's asm/posix_types_64.h and arm64's
 * asm/posix_types.h override only the old uid/gid (and x86's old dev)
 * types (x32 overrides it, but x32 callers take compat paths the probes do
 * not see).  So on both (LP64): ru_utime 0 (tv_sec 0, tv_usec 8), ru_stime
 * 16 (24), ru_maxrss 32, ixrss 40, idrss 48, isrss 56, minflt 64, majflt
 * 72, nswap 80, inblock 88, oublock 96, msgsnd 104, msgrcv 112, nsignals
 * 120, nvcsw 128, nivcsw 136; 144 bytes.
 *
 * siginfo_t (include/uapi/asm-generic/siginfo.h; neither architecture has
 * __ARCH_HAS_SWAPPED_SIGINFO): int si_signo 0, si_errno 4, si_code 8, then
 * union __sifields aligned to 8 (it holds pointers and longs) at 16, whose
 * _sigchld is {__kernel_pid_t _pid 16; __kernel_uid32_t _uid 20; int
 * _status 24; ...}.  sys_waitid() writes si_signo, si_errno, si_code,
 * si_pid, si_uid and si_status, nothing else (kernel/exit.c).
 *
 * struct waitid_info (kernel/exit.h, kernel-internal): {pid_t pid 0;
 * uid_t uid 4; int status 8; int cause 12}; cause becomes si_code.
 */
#include <stddef.h>

#include "kprobe_abi.h"

#define LP64_RUSAGE {                                                       \
	{ "ru_utime_sec", 0, "s64" }, { "ru_utime_usec", 8, "s64" },        \
	{ "ru_stime_sec", 16, "s64" }, { "ru_stime_usec", 24, "s64" },      \
	{ "ru_maxrss", 32, "s64" }, { "ru_minflt", 64, "s64" },             \
	{ "ru_majflt", 72, "s64" }, { "ru_nvcsw", 128, "s64" },             \
	{ "ru_nivcsw", 136, "s64" } }

#define GENERIC_SIGINFO {                                                   \
	{ "si_signo", 0, "s32" }, { "si_code", 8, "s32" },                  \
	{ "si_pid", 16, "s32" }, { "si_uid", 20, "u32" },                   \
	{ "si_status", 24, "s32" } }

#define WAITID_INFO {                                                       \
	{ "si_code", 12, "s32" }, { "si_pid", 0, "s32" },                   \
	{ "si_uid", 4, "u32" }, { "si_status", 8, "s32" } }

static const struct wt_kp_abi abis[] = {
	{ "x86_64", { 112, 104, 96, 56, 72 }, 144, LP64_RUSAGE,
	  GENERIC_SIGINFO, WAITID_INFO },
	{ "aarch64", { 0, 8, 16, 24, 32 }, 144, LP64_RUSAGE,
	  GENERIC_SIGINFO, WAITID_INFO },
};

const struct wt_kp_abi *wt_kp_abi_of(enum wt_kp_arch arch)
{
	switch (arch) {
	case WT_KP_X86_64:
		return &abis[0];
	case WT_KP_ARM64:
		return &abis[1];
	}
	return NULL;
}
