/*
 * gid.h - global pids for the ground-truth log of scenarios that run inside
 * pid namespaces.
 *
 * Inside a pid namespace getpid(), gettid(), fork() and the wait calls
 * speak the namespace's pids; the trace events, and so wtrec's rows, carry
 * the global ones (the pids of the namespace wtwork was started in).  Every
 * log line names tasks by global pid: a task reads its own from the NSpid
 * line of /proc/thread-self/status (first field: the pid in the namespace
 * of the /proc mount, which wtwork never remounts), and learns a child's
 * from the child itself (held_fork).  What a syscall returned stays as it
 * was in the `call` lines' RET field; their REAPED and CHILD fields are
 * translated with a table of (namespace, pid) -> global pid that every
 * process of the run shares (shared memory mapped before the first fork).
 *
 * Outside namespaces every function is the identity.
 */
#ifndef GID_H
#define GID_H

#include <stdbool.h>
#include <sys/types.h>

/* Set up the shared table and note the namespace wtwork started in.  Call
 * once before forking.  0 or -1 with errno. */
int gid_init(void);

/* The global pid / tid of the caller. */
pid_t gid_pid(void);
pid_t gid_tid(void);

/* Is the caller in the pid namespace whose pids the log uses (that of
 * the /proc mount: where wtwork started, unless it was started inside a
 * pid namespace of a test's making)? */
bool gid_in_root(void);

/* Remember that @nspid (a pid of the caller's namespace) is @gpid. */
void gid_learn(pid_t nspid, pid_t gpid);

/* The global pid of @nspid, a pid of the caller's namespace; @nspid itself
 * when it is not known (and in the root namespace).  0 and negative values
 * pass through. */
pid_t gid_global(pid_t nspid);

/* Forget the cached ids in a child made by a raw clone() syscall (glibc's
 * fork() does it through pthread_atfork). */
void gid_forked(void);

/* The inode of the caller's pid namespace, 0 if unreadable. */
unsigned long long gid_pidns(void);

#endif
