/*
 * cg_fs.c - the host's cgroup file systems (see cg_fs.h).
 *
 * mountinfo (Documentation/filesystems/proc.rst, "/proc/<pid>/mountinfo"):
 *   ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE
 *   SUPEROPTS
 * cgroup v2 is fstype "cgroup2"; a v1 hierarchy is "cgroup" with its
 * controllers in SUPEROPTS ("rw,pids").  Mount points with spaces are
 * octal-escaped (\040) there; they are unescaped here.
 * The pids hierarchy's id is the first field of its /proc/self/cgroup
 * line ("8:pids:/"), the number cgroup_attach_task reports as dst_root
 * (kernel/cgroup/cgroup.c proc_cgroup_show(): root->hierarchy_id).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg_fs.h"
#include "pidtree.h"

const char *wt_cg_hier_name(enum wt_cg_hier h)
{
	return h == WT_CG_V2 ? "v2" : "pids";
}

/* "\040" -> ' ' and the like, in place. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static bool has_option(const char *opts, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = opts; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !memcmp(p, want, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* One mountinfo line: fill @fs's slot for its hierarchy, first wins. */
static void mount_line(char *line, struct wt_cgfs *fs)
{
	char *f[6], *save = NULL, *tok, *sep = strstr(line, " - ");
	int n = 0;

	if (!sep)
		return;
	*sep = '\0';
	for (tok = strtok_r(line, " ", &save); tok && n < 5;
	     tok = strtok_r(NULL, " ", &save))
		f[n++] = tok;
	if (n < 5)
		return;
	char *fstype = strtok_r(sep + 3, " ", &save);
	char *source = fstype ? strtok_r(NULL, " ", &save) : NULL;
	char *super = source ? strtok_r(NULL, " \n", &save) : NULL;
	int h = -1;
	if (fstype && !strcmp(fstype, "cgroup2"))
		h = WT_CG_V2;
	else if (fstype && !strcmp(fstype, "cgroup") && super &&
		 has_option(super, "pids"))
		h = WT_CG_PIDS;
	if (h < 0 || fs->mnt[h][0] || strlen(f[4]) >= PATH_MAX ||
	    strlen(f[3]) >= PATH_MAX)
		return;
	unescape_octal(f[4]);
	unescape_octal(f[3]);
	strcpy(fs->mnt[h], f[4]);
	strcpy(fs->root[h], f[3]);
}

static void read_pids_id(struct wt_cgfs *fs)
{
	char line[512];
	FILE *f = fopen("/proc/self/cgroup", "re");

	while (f && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c2 = '\0';
		if (has_option(c1 + 1, "pids"))
			fs->pids_id = atoi(line);
	}
	if (f)
		fclose(f);
}

void wt_cgfs_probe(struct wt_cgfs *fs)
{
	const char *mi = getenv("WTREC_MOUNTINFO");
	char line[4 * PATH_MAX];
	FILE *f;

	memset(fs, 0, sizeof(*fs));
	fs->pids_id = -1;
	f = fopen(mi && *mi ? mi : "/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f))
		mount_line(line, fs);
	if (f)
		fclose(f);
	if (fs->mnt[WT_CG_PIDS][0])
		read_pids_id(fs);
}

bool wt_cgfs_dir(const struct wt_cgfs *fs, enum wt_cg_hier h,
		 const char *path, char *dir, size_t n)
{
	const char *root = fs->root[h];
	size_t rl = strlen(root);

	if (!fs->mnt[h][0] || !path || path[0] != '/')
		return false;
	/* a mount of a subtree: only paths inside it have a directory */
	if (strcmp(root, "/")) {
		if (strncmp(path, root, rl) || (path[rl] && path[rl] != '/'))
			return false;
		path += rl;
	}
	int len = snprintf(dir, n, "%s%s", fs->mnt[h],
			   strcmp(path, "/") ? path : "");
	return len > 0 && (size_t)len < n;
}

/* A number (or "max": -2) from @dir/@file, -1 if unreadable.  @key:
 * read "key N" lines (pids.events) instead of the whole file. */
static int64_t read_num(const char *dir, const char *file, const char *key)
{
	char path[PATH_MAX + 32], text[512], *end;
	int fd;
	ssize_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	text[len] = '\0';
	const char *s = text;
	if (key) {
		size_t kl = strlen(key);
		for (s = text; s && (strncmp(s, key, kl) || s[kl] != ' ');
		     s = strchr(s, '\n'), s = s ? s + 1 : NULL)
			;
		if (!s)
			return -1;
		s += kl + 1;
	}
	if (!strncmp(s, "max", 3) && (s[3] == '\n' || !s[3]))
		return -2;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 0 || (*end && *end != '\n'))
		return -1;
	return v;
}

void wt_cgfs_read_pids(const char *dir, struct wt_pids_files *p)
{
	p->current = read_num(dir, "pids.current", NULL);
	p->max = read_num(dir, "pids.max", NULL);
	p->peak = read_num(dir, "pids.peak", NULL);
	p->events_max = read_num(dir, "pids.events", "max");
	if (p->current == -2)
		p->current = -1;
	if (p->peak == -2)
		p->peak = -1;
}

/* cgroup.procs of @dir into @out; the count added, -1 on ENOMEM. */
static int procs_of(const char *dir, struct wt_pidset *out)
{
	char path[PATH_MAX + 16], line[32];
	int added = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		pid_t pid = (pid_t)atoi(line);
		if (pid <= 0 || wt_pidset_has(out, pid))
			continue;
		if (wt_pidset_add(out, pid) < 0) {
			fclose(f);
			errno = ENOMEM;
			return -1;
		}
		added++;
	}
	fclose(f);
	return added;
}

static int walk(const char *dir, int depth, struct wt_pidset *out)
{
	int added = procs_of(dir, out), sub;
	struct dirent *e;
	DIR *d;

	if (added < 0 || depth >= 32 || !(d = opendir(dir)))
		return added;
	while ((e = readdir(d))) {
		char child[PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(child))
			continue;
		if ((sub = walk(child, depth + 1, out)) < 0) {
			added = -1;
			break;
		}
		added += sub;
	}
	closedir(d);
	return added;
}

int wt_cgfs_procs(const char *dir, struct wt_pidset *out)
{
	return walk(dir, 0, out);
}
