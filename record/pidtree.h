/*
 * pidtree.h - the threads of some processes and of all their descendants,
 * from /proc, for `-p`: set_event_pid matches thread ids, and the kernel
 * follows forks only from the moment a pid is in the list (event-fork), so
 * descendants and threads that already exist must be added by hand.
 */
#ifndef WT_REC_PIDTREE_H
#define WT_REC_PIDTREE_H

#include <stddef.h>
#include <sys/types.h>

struct wt_pidset {
	pid_t *v;
	size_t n, cap;
};

/*
 * Add to @out every tid of @roots and of their descendants that is not in
 * it yet; returns how many were added, or -1 with errno (ENOMEM, /proc
 * unreadable).  Racy by nature: call again after the pids are in the
 * filter to catch what forked in between, until it adds nothing.
 */
int wt_pidtree_collect(const pid_t *roots, size_t nroots,
		       struct wt_pidset *out);

/* Append @pid (no check for duplicates); 0, or -1 on ENOMEM. */
int wt_pidset_add(struct wt_pidset *s, pid_t pid);

/* True if @pid is in @s. */
int wt_pidset_has(const struct wt_pidset *s, pid_t pid);

void wt_pidset_free(struct wt_pidset *s);

#endif
