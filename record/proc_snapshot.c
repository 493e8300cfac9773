/*
 * proc_snapshot.c - text snapshot of /proc (see proc_snapshot.h).
 *
 * Line per thread:
 *   tgid TAB tid TAB ppid TAB state TAB starttime_ticks TAB sigign TAB
 *   sigcgt TAB comm
 * starttime is field 22 of /proc/PID/task/TID/stat (clock ticks since boot,
 * comparable with the "boot" trace clock); SigIgn/SigCgt come from
 * /proc/PID/status, once per process since they are process-wide.  comm is
 * last because it may contain spaces; tabs and newlines in it become '?'.
 *
 * Workload: a few hundred to a few thousand tasks, twice per recording; the
 * cost is the open/read/close of two small files per task.
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
	long ppid;
	unsigned long long start;
	char comm[64];
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
	for (char *c = t->comm; *c; c++)
		if (*c == '\t' || *c == '\n')
			*c = '?';
	/* fields after ")": 3 state, 4 ppid, ..., 22 starttime */
	field = 3;
	for (p = strtok_r(close + 2, " ", &save); p && field <= 22;
	     p = strtok_r(NULL, " ", &save), field++) {
		if (field == 3)
			t->state = *p;
		else if (field == 4)
			t->ppid = strtol(p, NULL, 10);
		else if (field == 22)
			t->start = strtoull(p, NULL, 10);
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

/* SigIgn/SigCgt of process @pid, "?" when unreadable. */
static void read_sigmasks(const char *pid, char *ign, char *cgt, size_t size)
{
	char path[300], text[4096], *p;

	snprintf(ign, size, "?");
	snprintf(cgt, size, "?");
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (read_small(path, text, sizeof(text)) < 0)
		return;
	if ((p = strstr(text, "\nSigIgn:\t")))
		sscanf(p + 9, "%16[0-9a-fA-F]", ign);
	if ((p = strstr(text, "\nSigCgt:\t")))
		sscanf(p + 9, "%16[0-9a-fA-F]", cgt);
}

static int append_thread(struct wt_buf *b, const char *pid, const char *tid,
			 const char *ign, const char *cgt)
{
	char path[600], text[1024], line[700];
	struct task_line t = { 0 };
	int n;

	snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", pid, tid);
	if (read_small(path, text, sizeof(text)) < 0 || parse_stat(text, &t) < 0)
		return 0; /* gone meanwhile */
	n = snprintf(line, sizeof(line), "%s\t%s\t%ld\t%c\t%llu\t%s\t%s\t%s\n",
		     pid, tid, t.ppid, t.state, t.start, ign, cgt, t.comm);
	return wt_buf_append(b, line, (size_t)n);
}

static int append_process(struct wt_buf *b, const char *pid)
{
	char path[300], ign[17], cgt[17];
	struct dirent *e;
	DIR *tasks;
	int ret = 0;

	snprintf(path, sizeof(path), "/proc/%s/task", pid);
	tasks = opendir(path);
	if (!tasks)
		return 0; /* gone meanwhile */
	read_sigmasks(pid, ign, cgt, sizeof(ign));
	while (!ret && (e = readdir(tasks)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			ret = append_thread(b, pid, e->d_name, ign, cgt);
	closedir(tasks);
	return ret;
}

int wt_rec_proc_snapshot(struct wt_buf *b, const char *when, uint64_t ts_ns)
{
	char head[160];
	struct dirent *e;
	DIR *proc;
	int n, ret = 0;

	n = snprintf(head, sizeof(head), "# wtrec-proc 1\nwhen=%s\nts=%llu\nclk_tck=%ld\n",
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
