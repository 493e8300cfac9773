/*
 * pidtree.c - descendants and threads of a set of processes (see
 * pidtree.h).
 *
 * One pass over /proc/[pid]/stat builds the (pid, ppid) table; the tree is
 * then grown from the roots until no process is added; finally the threads
 * of each member are listed from /proc/PID/task.  Sets are small (a
 * process tree), so lookups are linear.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "pidtree.h"
#include "proc_snapshot.h"

struct pp {
	pid_t pid, ppid;
};

int wt_pidset_has(const struct wt_pidset *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == pid)
			return 1;
	return 0;
}

int wt_pidset_add(struct wt_pidset *s, pid_t pid)
{
	if (wt_array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0)
		return -1;
	s->v[s->n++] = pid;
	return 0;
}

void wt_pidset_free(struct wt_pidset *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* All (pid, ppid) pairs of live processes. */
static struct pp *process_table(size_t *n)
{
	struct pp *t = NULL;
	size_t cap = 0;
	struct dirent *e;
	DIR *proc = opendir("/proc");

	*n = 0;
	if (!proc)
		return NULL;
	while ((e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (wt_array_reserve(&t, &cap, *n + 1, sizeof(*t)) < 0) {
			free(t);
			closedir(proc);
			return NULL;
		}
		t[*n].pid = atoi(e->d_name);
		t[*n].ppid = wt_rec_proc_ppid(e->d_name);
		if (t[*n].ppid >= 0)
			(*n)++;
	}
	closedir(proc);
	return t;
}

static int add_threads(pid_t pid, struct wt_pidset *out, int *added)
{
	char path[64];
	struct dirent *e;
	DIR *tasks;
	pid_t tid;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* exited meanwhile */
	while (!ret && (e = readdir(tasks))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		tid = atoi(e->d_name);
		if (wt_pidset_has(out, tid))
			continue;
		ret = wt_pidset_add(out, tid);
		(*added)++;
	}
	closedir(tasks);
	return ret;
}

int wt_pidtree_collect(const pid_t *roots, size_t nroots,
		       struct wt_pidset *out)
{
	struct wt_pidset tree = { 0 };
	size_t n, before;
	struct pp *t = process_table(&n);
	int added = 0, ret = 0;

	if (!t)
		return -1;
	for (size_t i = 0; i < nroots && !ret; i++)
		ret = wt_pidset_add(&tree, roots[i]);
	do {
		before = tree.n;
		for (size_t i = 0; i < n && !ret; i++)
			if (wt_pidset_has(&tree, t[i].ppid) && !wt_pidset_has(&tree, t[i].pid))
				ret = wt_pidset_add(&tree, t[i].pid);
	} while (!ret && tree.n != before);
	for (size_t i = 0; i < tree.n && !ret; i++)
		ret = add_threads(tree.v[i], out, &added);
	free(t);
	wt_pidset_free(&tree);
	return ret < 0 ? -1 : added;
}
