/*
 * proc_snapshot.c - text snapshot of /proc (see proc_snapshot.h).
 *
 * Layout 2, a line per thread:
 *   tgid TAB tid TAB ppid TAB state TAB starttime_ticks TAB sigign TAB
 *   sigcgt TAB exit_code TAB pgid TAB pidns TAB nspid TAB cgroup2 TAB
 *   cgroup_pids TAB comm
 * From /proc/PID/task/TID/stat: state (field 3), ppid (4), pgrp (5),
 * starttime (22, clock ticks since boot, comparable with the "boot" trace
 * clock) and exit_code (52: the wait status of a zombie).  Once per
 * process, since they are process-wide: SigIgn/SigCgt and NSpid (the pid
 * in each pid namespace, outermost first) from /proc/PID/status, the pid
 * namespace's inode from the /proc/PID/ns/pid link, and the cgroup paths
 * from /proc/PID/cgroup (the v2 "0::" line, and the v1 pids hierarchy
 * where the host mounts one: that is where pids.max lives).  Unknown
 * values are "-".  comm is last because it may contain spaces; tabs and
 * newlines in comm and in paths become '?'.
 *
 * Workload: a few hundred to a few thousand tasks, twice per recording; the
 * cost is the open/read/close of small files: one per thread, four per
 * process.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_snapshot.h"

struct task_line {
	char state;
	long ppid, pgrp, exit_code;
	unsigned long long start;
	char comm[64];
};

/* What is read once per process (see the top of the file). */
struct proc_facts {
	char ign[17], cgt[17];
	char nspid[96];     /* "4321,12,1" */
	char pidns[24];     /* inode number */
	char cg2[256], cgpids[256];
};

/* Read a small /proc file into @buf (NUL-terminated).  Length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Replace tabs and newlines, which would break the line layout. */
static void sanitize(char *s)
{
	for (; *s; s++)
		if (*s == '\t' || *s == '\n')
			*s = '?';
}

/* Parse ".../stat": comm is between the first '(' and the LAST ')'. */
static int parse_stat(char *text, struct task_line *t)
{
	char *open = strchr(text, '('), *close = strrchr(text, ')'), *p, *save;
	size_t len;
	int field;

	if (!open || !close || close < open || close[1] != ' ')
		return -1;
	len = close - open - 1;
	if (len >= sizeof(t->comm))
		len = sizeof(t->comm) - 1;
	memcpy(t->comm, open + 1, len);
	t->comm[len] = '\0';
	sanitize(t->comm);
	/* fields after ")": 3 state, 4 ppid, 5 pgrp, ..., 22 starttime, ...,
	 * 52 exit_code (since Linux 3.5; -1 when the kernel is older) */
	t->exit_code = -1;
	field = 3;
	for (p = strtok_r(close + 2, " ", &save); p && field <= 52;
	     p = strtok_r(NULL, " ", &save), field++) {
		if (field == 3)
			t->state = *p;
		else if (field == 4)
			t->ppid = strtol(p, NULL, 10);
		else if (field == 5)
			t->pgrp = strtol(p, NULL, 10);
		else if (field == 22)
			t->start = strtoull(p, NULL, 10);
		else if (field == 52)
			t->exit_code = strtol(p, NULL, 10);
	}
	return field > 22 ? 0 : -1;
}

pid_t wt_rec_proc_ppid(const char *pid)
{
	char path[300], text[1024];
	struct task_line t;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if (read_small(path, text, sizeof(text)) <= 0 || parse_stat(text, &t) < 0)
		return -1;
	return (pid_t)t.ppid;
}

/* The value after "\n@key:\t" in @text, up to the end of its line, with
 * the tabs between values turned into commas; "-" when absent. */
static void status_list(const char *text, const char *key, char *out,
			size_t size)
{
	char pat[32];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\n%s:\t", key);
	snprintf(out, size, "-");
	if (!(p = strstr(text, pat)))
		return;
	for (p += strlen(pat); *p && *p != '\n' && n + 1 < size; p++)
		out[n++] = *p == '\t' ? ',' : *p;
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "-");
}

/* SigIgn/SigCgt and NSpid of process @pid ("?" / "-" when unreadable). */
static void read_status(const char *pid, struct proc_facts *f)
{
	char path[300], text[4096], *p;

	snprintf(f->ign, sizeof(f->ign), "?");
	snprintf(f->cgt, sizeof(f->cgt), "?");
	snprintf(f->nspid, sizeof(f->nspid), "-");
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return;
	if ((p = strstr(text, "\nSigIgn:\t")))
		sscanf(p + 9, "%16[0-9a-fA-F]", f->ign);
	if ((p = strstr(text, "\nSigCgt:\t")))
		sscanf(p + 9, "%16[0-9a-fA-F]", f->cgt);
	status_list(text, "NSpid", f->nspid, sizeof(f->nspid));
}

/* The inode of @pid's pid namespace: the link reads "pid:[4026531836]". */
static void read_pidns(const char *pid, struct proc_facts *f)
{
	char path[300], link[64];
	unsigned long long ino;
	ssize_t n;

	snprintf(f->pidns, sizeof(f->pidns), "-");
	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return;
	link[n] = '\0';
	if (sscanf(link, "pid:[%llu]", &ino) == 1)
		snprintf(f->pidns, sizeof(f->pidns), "%llu", ino);
}

/* The "0::PATH" (cgroup v2) and "N:pids:PATH" (v1 pids) lines. */
static void read_cgroups(const char *pid, struct proc_facts *f)
{
	char path[300], text[8192];
	const char *line, *nl;

	snprintf(f->cg2, sizeof(f->cg2), "-");
	snprintf(f->cgpids, sizeof(f->cgpids), "-");
	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return;
	for (line = text; *line; line = nl + 1) {
		const char *c1 = strchr(line, ':'), *c2;
		char *dst = NULL;
		size_t size = 0, len;

		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		c2 = c1 && c1 < nl ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2 > nl)
			continue;
		if (c2 == c1 + 1 && !strncmp(line, "0:", 2)) {
			dst = f->cg2;
			size = sizeof(f->cg2);
		} else if (c2 - c1 - 1 == 4 && !strncmp(c1 + 1, "pids", 4)) {
			dst = f->cgpids;
			size = sizeof(f->cgpids);
		}
		len = (size_t)(nl - c2 - 1);
		if (dst && len > 0 && len < size) {
			memcpy(dst, c2 + 1, len);
			dst[len] = '\0';
			sanitize(dst);
		}
		if (!*nl)
			break;
	}
}

static int append_thread(struct wt_buf *b, const char *pid, const char *tid,
			 const struct proc_facts *f)
{
	char path[600], text[1024], line[1400];
	struct task_line t = { 0 };
	int n;

	snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", pid, tid);
	if (read_small(path, text, sizeof(text)) < 0 || parse_stat(text, &t) < 0)
		return 0; /* gone meanwhile */
	n = snprintf(line, sizeof(line),
		     "%s\t%s\t%ld\t%c\t%llu\t%s\t%s\t%ld\t%ld\t%s\t%s\t%s\t%s\t%s\n",
		     pid, tid, t.ppid, t.state, t.start, f->ign, f->cgt,
		     t.exit_code, t.pgrp, f->pidns, f->nspid, f->cg2,
		     f->cgpids, t.comm);
	return wt_buf_append(b, line, (size_t)n);
}

static int append_process(struct wt_buf *b, const char *pid)
{
	char path[300];
	struct proc_facts f;
	struct dirent *e;
	DIR *tasks;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* gone meanwhile */
	read_status(pid, &f);
	read_pidns(pid, &f);
	read_cgroups(pid, &f);
	while (!ret && (e = readdir(tasks)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			ret = append_thread(b, pid, e->d_name, &f);
	closedir(tasks);
	return ret;
}

int wt_rec_proc_snapshot(struct wt_buf *b, const char *when, uint64_t ts_ns)
{
	char head[160];
	struct dirent *e;
	DIR *proc;
	int n, ret = 0;

	n = snprintf(head, sizeof(head), "# wtrec-proc 2\nwhen=%s\nts=%llu\nclk_tck=%ld\n",
		     when, (unsigned long long)ts_ns, sysconf(_SC_CLK_TCK));
	if (wt_buf_append(b, head, (size_t)n) < 0)
		return -1;
	proc = opendir("/proc");
	if (!proc)
		return -1;
	while (!ret && (e = readdir(proc)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9')
			ret = append_process(b, e->d_name);
	closedir(proc);
	return ret;
}
