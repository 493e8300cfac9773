/*
 * wait_mem.h - a wait call's buffers: the pointers its caller passed
 * (stat_addr or infop, and rusage) and what the kernel wrote there, where
 * the recording holds it, with strace's spelling of each.
 *
 * What the kernel writes (kernel/exit.c, Linux 4.13 .. 6.12):
 *  - wait4: the status word (put_user in kernel_wait4) and the struct
 *    rusage (copy_to_user in sys_wait4) only when it returns a child
 *    (> 0), each only when its pointer is not NULL;
 *  - waitid: the struct rusage when kernel_waitid() reported a child;
 *    the siginfo whenever infop is not NULL, also when nothing was
 *    waitable and on errors (all zeros then): si_signo (SIGCHLD or 0),
 *    si_errno 0, si_code, si_pid, si_uid, si_status, nothing else.
 * Only the kprobe backend on kernels whose return probes read entry
 * arguments (Linux >= 6.9) records the contents; every backend records
 * the pointers.  Unknown or not written: WT_MEM_NONE.
 */
#ifndef WT_WAIT_MEM_H
#define WT_WAIT_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

#define WT_MEM_NONE INT64_MIN /* = WT_DB_NULL */

struct wt_wait_mem {
	int64_t status_addr, infop_addr, rusage_addr; /* NONE: NULL passed
							 or not recorded */
	int64_t info_signo, info_code, info_pid, info_uid, info_status; /* si_* */
	int64_t ru_utime_us, ru_stime_us, ru_maxrss_kb, ru_minflt, ru_majflt;
	int64_t ru_nvcsw, ru_nivcsw;
};

/* Every field unknown. */
void wt_mem_clear(struct wt_wait_mem *m);

/* The pointers a call's entry carried (@has: it carried all of them). */
void wt_mem_pointers(struct wt_wait_mem *m, enum wt_syscall sys, bool has,
		     uint64_t uaddr, uint64_t ru_addr);

/*
 * What the kernel wrote, from the return event @ev of a call whose
 * pointers are in @m (set by wt_mem_pointers() first; unknown pointers
 * leave the contents unknown: a read-back through a NULL pointer is
 * garbage).  @info_ok: the model trusts ev's siginfo (see mdl_wait.c).
 */
void wt_mem_contents(struct wt_wait_mem *m, const struct wt_event *ev,
		     bool info_ok);

/*
 * strace's spelling (strace src/wait.c printstatus(), printsiginfo.c,
 * printrusage.c), into @buf; NULL when there is nothing to spell:
 *   status   "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]",
 *            "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)}]"
 *   siginfo  "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=42, si_uid=0,
 *            si_status=3}", "{}" for a zeroed one (strace prints
 *            si_utime/si_stime too: the kernel does not write them)
 *   rusage   "{ru_utime={tv_sec=0, tv_usec=1843}, ru_stime={...},
 *            ru_maxrss=3412, ru_minflt=120, ru_majflt=0, ru_nvcsw=2,
 *            ru_nivcsw=1, ...}": strace -v's order, "..." for the fields
 *            not recorded (ru_ixrss, ru_idrss, ru_isrss, ru_nswap,
 *            ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals)
 * @status WT_MEM_NONE: NULL.
 */
const char *wt_status_text(int64_t status, char *buf, size_t len);
const char *wt_siginfo_text(const struct wt_wait_mem *m, char *buf,
			    size_t len);
const char *wt_rusage_text(const struct wt_wait_mem *m, char *buf,
			   size_t len);

#endif /* WT_WAIT_MEM_H */
