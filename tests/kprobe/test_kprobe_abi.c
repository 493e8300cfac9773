/*
 * test_kprobe_abi.c - the struct layouts the kprobe backend reads
 * (record/kprobe_abi.c) against this machine's C library: glibc's struct
 * rusage and siginfo_t (<sys/resource.h>, <signal.h>) and, in
 * test_kprobe_abi_uapi.c, the kernel's own <linux/resource.h> as the
 * system's linux-libc-dev ships it (the two cannot share a translation
 * unit: both define struct rusage).
 *
 * On an x86_64 or arm64 build machine the table of that architecture is
 * checked against both; the other architecture's tables must equal it
 * field for field, because both take struct rusage and siginfo_t from
 * asm-generic with an 8-byte long (kprobe_abi.c says why).  struct
 * waitid_info is kernel-internal (kernel/exit.h): it is transcribed below.
 */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "kprobe_abi.h"
#include "tcheck.h"

/* test_kprobe_abi_uapi.c: offset and size of a field of the kernel's
 * struct rusage, by probe field name; -1 when unknown. */
int uapi_rusage_field(const char *name, int *size);
int uapi_rusage_size(void);

#define FIELD(T, name, member) \
	{ name, offsetof(T, member), sizeof(((T *)0)->member) }

struct libc_field {
	const char *name;
	size_t offset, size;
};

static const struct libc_field libc_rusage[] = {
	FIELD(struct rusage, "ru_utime_sec", ru_utime.tv_sec),
	FIELD(struct rusage, "ru_utime_usec", ru_utime.tv_usec),
	FIELD(struct rusage, "ru_stime_sec", ru_stime.tv_sec),
	FIELD(struct rusage, "ru_stime_usec", ru_stime.tv_usec),
	FIELD(struct rusage, "ru_maxrss", ru_maxrss),
	FIELD(struct rusage, "ru_minflt", ru_minflt),
	FIELD(struct rusage, "ru_majflt", ru_majflt),
	FIELD(struct rusage, "ru_nvcsw", ru_nvcsw),
	FIELD(struct rusage, "ru_nivcsw", ru_nivcsw),
};

/* glibc's si_pid etc. are macros naming members of its union */
static const struct libc_field libc_siginfo[] = {
	FIELD(siginfo_t, "si_signo", si_signo),
	FIELD(siginfo_t, "si_code", si_code),
	FIELD(siginfo_t, "si_pid", si_pid),
	FIELD(siginfo_t, "si_uid", si_uid),
	FIELD(siginfo_t, "si_status", si_status),
};

/* kernel/exit.h (Linux 4.13 .. 6.12) */
struct waitid_info {
	pid_t pid;
	uid_t uid;
	int status;
	int cause;
};

/* waitid_info's fields under the siginfo names they become in
 * sys_waitid(): cause -> si_code */
static const struct libc_field kernel_waitid_info[] = {
	FIELD(struct waitid_info, "si_code", cause),
	FIELD(struct waitid_info, "si_pid", pid),
	FIELD(struct waitid_info, "si_uid", uid),
	FIELD(struct waitid_info, "si_status", status),
};

static int type_size(const char *type)
{
	return !strcmp(type, "s64") ? 8 : !strcmp(type, "s32") ||
	       !strcmp(type, "u32") ? 4 : -1;
}

static void num(char *buf, size_t len, long a, long b)
{
	snprintf(buf, len, "offset %ld size %ld", a, b);
}

/* @n fields of @tab against @want (same names, any order). */
static void against(int id, const char *what, const struct wt_kp_memfield *tab,
		    int n, const struct libc_field *want, int nwant)
{
	char got[64], exp[64], label[96];

	snprintf(label, sizeof(label), "%s: number of fields", what);
	snprintf(got, sizeof(got), "%d", n);
	snprintf(exp, sizeof(exp), "%d", nwant);
	check(n == nwant, id, label, got, exp);
	for (int i = 0; i < nwant; i++) {
		const struct wt_kp_memfield *f = NULL;

		for (int k = 0; k < n; k++)
			if (!strcmp(tab[k].name, want[i].name))
				f = &tab[k];
		snprintf(label, sizeof(label), "%s: %s", what, want[i].name);
		num(exp, sizeof(exp), (long)want[i].offset, (long)want[i].size);
		if (!f) {
			check(false, id, label, "absent", exp);
			continue;
		}
		num(got, sizeof(got), f->offset, type_size(f->type));
		check((size_t)f->offset == want[i].offset &&
		      (size_t)type_size(f->type) == want[i].size, id, label, got,
		      exp);
	}
}

/* The kernel header's struct rusage (the system's uapi copy). */
static void against_uapi(int id, const struct wt_kp_abi *abi)
{
	char got[64], exp[64], label[96];

	for (int i = 0; i < WT_KP_RU_FIELDS; i++) {
		const struct wt_kp_memfield *f = &abi->rusage[i];
		int size = 0, off = uapi_rusage_field(f->name, &size);

		snprintf(label, sizeof(label), "<linux/resource.h>: %s", f->name);
		num(got, sizeof(got), f->offset, type_size(f->type));
		num(exp, sizeof(exp), off, size);
		check(off == f->offset && size == type_size(f->type), id, label,
		      got, exp);
	}
	snprintf(got, sizeof(got), "%d", abi->rusage_size);
	snprintf(exp, sizeof(exp), "%d", uapi_rusage_size());
	check(abi->rusage_size == uapi_rusage_size(), id,
	      "<linux/resource.h>: sizeof(struct rusage)", got, exp);
}

static bool same_fields(const struct wt_kp_memfield *a,
			const struct wt_kp_memfield *b, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(a[i].name, b[i].name) || a[i].offset != b[i].offset ||
		    strcmp(a[i].type, b[i].type))
			return false;
	return true;
}

int main(void)
{
#if defined(__x86_64__)
	const struct wt_kp_abi *host = wt_kp_abi_of(WT_KP_X86_64);
#elif defined(__aarch64__)
	const struct wt_kp_abi *host = wt_kp_abi_of(WT_KP_ARM64);
#else
	const struct wt_kp_abi *host = NULL;
#endif
	const struct wt_kp_abi *x86 = wt_kp_abi_of(WT_KP_X86_64);
	const struct wt_kp_abi *arm = wt_kp_abi_of(WT_KP_ARM64);
	char got[32], exp[32];

	check(x86 && arm && !wt_kp_abi_of(0), 1, "tables of x86_64 and arm64 only",
	      x86 && arm ? "both" : "missing", "both");
	if (!x86 || !arm)
		return tcheck_report();
	if (host) {
		against(2, "struct rusage", host->rusage, WT_KP_RU_FIELDS,
			libc_rusage, sizeof(libc_rusage) / sizeof(libc_rusage[0]));
		snprintf(got, sizeof(got), "%d", host->rusage_size);
		snprintf(exp, sizeof(exp), "%zu", sizeof(struct rusage));
		check(host->rusage_size == (int)sizeof(struct rusage), 2,
		      "sizeof(struct rusage)", got, exp);
		against_uapi(3, host);
		against(4, "siginfo_t", host->siginfo, WT_KP_SI_FIELDS,
			libc_siginfo, sizeof(libc_siginfo) / sizeof(libc_siginfo[0]));
		against(5, "struct waitid_info", host->waitid_info,
			WT_KP_WI_FIELDS, kernel_waitid_info,
			sizeof(kernel_waitid_info) / sizeof(kernel_waitid_info[0]));
	} else {
		printf("note: build machine is neither x86_64 nor arm64: the "
		       "tables are only compared with each other\n");
	}
	check(same_fields(x86->rusage, arm->rusage, WT_KP_RU_FIELDS) &&
	      x86->rusage_size == arm->rusage_size, 6,
	      "arm64's struct rusage is x86_64's (asm-generic, LP64)", "differs",
	      "equal");
	check(same_fields(x86->siginfo, arm->siginfo, WT_KP_SI_FIELDS), 6,
	      "arm64's siginfo_t is x86_64's (asm-generic)", "differs", "equal");
	check(same_fields(x86->waitid_info, arm->waitid_info, WT_KP_WI_FIELDS), 6,
	      "struct waitid_info is the same everywhere", "differs", "equal");
	/* pt_regs: x86_64 di si dx r10 r8; arm64 regs[0..4] */
	static const int x86_regs[5] = { 112, 104, 96, 56, 72 };
	static const int arm_regs[5] = { 0, 8, 16, 24, 32 };
	check(!memcmp(x86->regs_arg, x86_regs, sizeof(x86_regs)), 7,
	      "x86_64 pt_regs di si dx r10 r8", "differs", "112 104 96 56 72");
	check(!memcmp(arm->regs_arg, arm_regs, sizeof(arm_regs)), 7,
	      "arm64 pt_regs regs[0..4]", "differs", "0 8 16 24 32");
	return tcheck_report();
}
