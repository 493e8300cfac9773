/*
 * kprobe_abi.h - where the kernel keeps what the kprobe backend reads, per
 * architecture: the user arguments of a syscall in struct pt_regs, the
 * fields of struct rusage and of siginfo_t (its SIGCHLD part) as the caller
 * sees them, and the kernel's own struct waitid_info that kernel_waitid()
 * fills before sys_waitid() copies it out.
 *
 * Every offset is taken from the kernel's headers (6.12, cited at each
 * table in kprobe_abi.c) and checked in tests/kprobe/test_kprobe_abi.c
 * against the C library's struct rusage and siginfo_t and the system's
 * <linux/resource.h> of the machine that builds wtrec.  Pure data.
 */
#ifndef WT_KPROBE_ABI_H
#define WT_KPROBE_ABI_H

#include "kprobe_plan.h"

/* One field the backend fetches: its probe field name (the contract with
 * analyze/decode_events.c), byte offset and kprobe fetch type. */
struct wt_kp_memfield {
	const char *name;
	int offset;
	const char *type;  /* "s32", "u32", "s64" */
};

#define WT_KP_RU_FIELDS 9  /* ru_utime (sec, usec), ru_stime (sec, usec),
			      ru_maxrss, ru_minflt, ru_majflt, ru_nvcsw,
			      ru_nivcsw */
#define WT_KP_SI_FIELDS 5  /* si_signo, si_code, si_pid, si_uid, si_status */
#define WT_KP_WI_FIELDS 4  /* waitid_info as si_code, si_pid, si_uid,
			      si_status (no signo: sys_waitid() writes
			      SIGCHLD when kernel_waitid() returned > 0) */

struct wt_kp_abi {
	const char *machine;                 /* "x86_64", "aarch64" */
	int regs_arg[5];                     /* pt_regs offsets of args 1..5 */
	int rusage_size;                     /* sizeof(struct rusage) */
	struct wt_kp_memfield rusage[WT_KP_RU_FIELDS];
	struct wt_kp_memfield siginfo[WT_KP_SI_FIELDS];
	struct wt_kp_memfield waitid_info[WT_KP_WI_FIELDS];
};

/* The tables of @arch; NULL for an architecture the backend lacks.
 * Static: never freed. */
const struct wt_kp_abi *wt_kp_abi_of(enum wt_kp_arch arch);

#endif /* WT_KPROBE_ABI_H */
