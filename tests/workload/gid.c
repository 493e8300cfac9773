/*
 * gid.c - global pids for the log (see gid.h).
 *
 * The table is append-only: a writer reserves a slot (an atomic counter),
 * fills it and then sets its ready flag (release), so a reader in another
 * process never uses half a slot.  Lookups scan it backwards, so the latest holder of a reused pid
 * wins.  Per-thread caches of the caller's own ids are reset in a forked
 * child (pthread_atfork), whose ids differ from its parent's.
 */
#include "gid.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 16384

struct slot {
	unsigned long long ns;
	pid_t nspid, gpid;
	int ready;
};

struct table {
	unsigned reserved;
	struct slot s[SLOTS];
};

static struct table *tab;
static unsigned long long root_ns;
static __thread pid_t my_tid;
static pid_t my_pid;

static void forget_ids(void)
{
	my_tid = 0;
	my_pid = 0;
}

void gid_forked(void)
{
	forget_ids();
}

unsigned long long gid_pidns(void)
{
	char link[64];
	unsigned long long ino = 0;
	ssize_t n = readlink("/proc/thread-self/ns/pid", link, sizeof(link) - 1);

	if (n <= 0)
		return 0;
	link[n] = '\0';
	sscanf(link, "pid:[%llu]", &ino);
	return ino;
}

int gid_init(void)
{
	tab = mmap(NULL, sizeof(*tab), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (tab == MAP_FAILED) {
		tab = NULL;
		return -1;
	}
	root_ns = gid_pidns();
	return pthread_atfork(NULL, NULL, forget_ids) ? -1 : 0;
}

bool gid_in_root(void)
{
	/* Where getpid() is the first NSpid value, our pids are those of the
	 * /proc mount's namespace: the log's.  That is the namespace wtwork
	 * started in, unless a test started it inside a pid namespace of
	 * its own without remounting /proc (cgleak). */
	return !root_ns || gid_pid() == getpid();
}

/* The first NSpid value of @path (a status file), or @fallback. */
static pid_t first_nspid(const char *path, pid_t fallback)
{
	char text[4096], *p;
	long v;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return fallback;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return fallback;
	text[n] = '\0';
	if (!(p = strstr(text, "\nNSpid:\t")))
		return fallback;
	v = strtol(p + 8, NULL, 10);
	return v > 0 ? (pid_t)v : fallback;
}

pid_t gid_tid(void)
{
	if (!my_tid)
		my_tid = first_nspid("/proc/thread-self/status", gettid());
	return my_tid;
}

pid_t gid_pid(void)
{
	if (!my_pid)
		my_pid = first_nspid("/proc/self/status", getpid());
	return my_pid;
}

void gid_learn(pid_t nspid, pid_t gpid)
{
	if (!tab || nspid == gpid)
		return;
	unsigned i = __atomic_fetch_add(&tab->reserved, 1, __ATOMIC_ACQ_REL);
	if (i >= SLOTS)
		return;
	tab->s[i].ns = gid_pidns();
	tab->s[i].nspid = nspid;
	tab->s[i].gpid = gpid;
	__atomic_store_n(&tab->s[i].ready, 1, __ATOMIC_RELEASE);
}

pid_t gid_global(pid_t nspid)
{
	if (!tab || nspid <= 0 || gid_in_root())
		return nspid;
	unsigned long long ns = gid_pidns();
	unsigned n = __atomic_load_n(&tab->reserved, __ATOMIC_ACQUIRE);
	if (n > SLOTS)
		n = SLOTS;
	for (unsigned i = n; i-- > 0;)
		if (__atomic_load_n(&tab->s[i].ready, __ATOMIC_ACQUIRE) &&
		    tab->s[i].ns == ns && tab->s[i].nspid == nspid)
			return tab->s[i].gpid;
	return nspid;
}
