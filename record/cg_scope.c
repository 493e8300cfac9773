/*
 * cg_scope.c - the cgroup a recording is scoped to (see cg_scope.h).
 *
 * --container searches the cgroup trees of the v2 and the pids hierarchy
 * for directories whose path names the container (common/container_id.c,
 * the same table `wtrec analyze` uses for process.container_id).  Within
 * one hierarchy the outermost match wins (podman's libpod-<id>.scope over
 * its container/ below), and a runtime's monitor (conmon) only when it is
 * all there is.  The walk is bounded (depth, directories seen): a host's
 * tree has thousands of cgroups, not millions.
 *
 * Errors: 0 / -1 with the message in the caller's struct wt_diag.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cg_scope.h"
#include "pidtree.h"

#define WALK_DEPTH 16
#define WALK_MAX_DIRS 200000

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir(struct wt_cg_scope *sc, enum wt_cg_hier h,
		    const char *dir, const char *path)
{
	int i = sc->ndirs;

	/* callers' buffers are PATH_MAX too: this only guards */
	if (strlen(dir) >= sizeof(sc->dir[i]) ||
	    strlen(path) >= sizeof(sc->path[i]))
		return;
	sc->ndirs++;
	memcpy(sc->dir[i], dir, strlen(dir) + 1);
	memcpy(sc->path[i], path, strlen(path) + 1);
	sc->hier[i] = h;
	size_t n = strlen(sc->label);
	snprintf(sc->label + n, sizeof(sc->label) - n, "%s%s:%s", n ? "," : "",
		 wt_cg_hier_name(h), path);
}

/* @arg is a directory under @h's mount: its cgroup path into @path. */
static bool under_mount(const struct wt_cgfs *fs, enum wt_cg_hier h,
			const char *arg, char *path, size_t n)
{
	const char *m = fs->mnt[h], *root = fs->root[h];
	size_t ml = strlen(m);

	if (!ml || strncmp(arg, m, ml) || (arg[ml] && arg[ml] != '/'))
		return false;
	/* the mount's root, then the rest of @arg ("/" for the root) */
	const char *rel = arg + ml, *pre = strcmp(root, "/") ? root : "";
	if (!*rel && !*pre)
		rel = "/";
	size_t pl = strlen(pre), rl = strlen(rel);
	if (pl + rl >= n)
		return false;
	memcpy(path, pre, pl);
	memcpy(path + pl, rel, rl + 1);
	return true;
}

static int by_cgroup(struct wt_cg_scope *sc, const struct wt_cgfs *fs,
		     const char *arg, struct wt_diag *d)
{
	char path[PATH_MAX], dir[PATH_MAX];

	for (int h = 0; h < WT_CG_NHIER; h++)
		if (under_mount(fs, h, arg, path, sizeof(path))) {
			if (!is_dir(arg))
				break;
			add_dir(sc, h, arg, path);
			return 0;
		}
	snprintf(path, sizeof(path), "%s%s", arg[0] == '/' ? "" : "/", arg);
	for (int h = 0; h < WT_CG_NHIER; h++)
		if (wt_cgfs_dir(fs, h, path, dir, sizeof(dir)) && is_dir(dir))
			add_dir(sc, h, dir, path);
	if (sc->ndirs)
		return 0;
	wt_diag_set(d, 2, "--cgroup %s: no such cgroup (looked in %s%s%s)",
		    arg, fs->mnt[WT_CG_V2][0] ? fs->mnt[WT_CG_V2] : "",
		    fs->mnt[WT_CG_V2][0] && fs->mnt[WT_CG_PIDS][0] ? " and " : "",
		    fs->mnt[WT_CG_PIDS][0] ? fs->mnt[WT_CG_PIDS] :
		    (fs->mnt[WT_CG_V2][0] ? "" : "no cgroup mount"));
	return -1;
}

/* What the walk found for one hierarchy, and the ids seen. */
struct search {
	const char *id;
	enum wt_cg_hier h;
	unsigned dirs;
	bool found[WT_CG_NHIER], monitor[WT_CG_NHIER];
	char dir[WT_CG_NHIER][PATH_MAX], path[WT_CG_NHIER][PATH_MAX];
	struct wt_container c, other; /* the match; a second id seen */
	bool ambiguous;
};

static bool is_monitor(const struct wt_container *c)
{
	return strstr(c->runtime, "conmon") || strstr(c->runtime, "monitor");
}

static void consider(struct search *s, const char *dir, const char *path)
{
	struct wt_container c;
	int h = s->h;

	if (!wt_container_parse(path, &c) || !wt_container_matches(&c, s->id))
		return;
	if (s->c.runtime && strcmp(s->c.id, c.id)) {
		s->ambiguous = true;
		s->other = c;
		return;
	}
	bool mon = is_monitor(&c);
	/* a non-monitor beats a monitor; else the outermost (shortest) */
	if (s->found[h] && (mon > s->monitor[h] ||
			    (mon == s->monitor[h] &&
			     strlen(path) >= strlen(s->path[h]))))
		return;
	if (!s->c.runtime || (s->monitor[h] && !mon))
		s->c = c;
	s->found[h] = true;
	s->monitor[h] = mon;
	snprintf(s->dir[h], sizeof(s->dir[h]), "%s", dir);
	snprintf(s->path[h], sizeof(s->path[h]), "%s", path);
}

static void walk(struct search *s, const char *dir, const char *path,
		 int depth)
{
	struct dirent *e;
	DIR *d;

	if (depth > WALK_DEPTH || ++s->dirs > WALK_MAX_DIRS ||
	    !(d = opendir(dir)))
		return;
	consider(s, dir, path);
	while ((e = readdir(d))) {
		char cdir[PATH_MAX], cpath[PATH_MAX];
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(cdir, sizeof(cdir), "%s/%s", dir, e->d_name) >=
			    (int)sizeof(cdir) ||
		    snprintf(cpath, sizeof(cpath), "%s/%s",
			     strcmp(path, "/") ? path : "", e->d_name) >=
			    (int)sizeof(cpath))
			continue;
		walk(s, cdir, cpath, depth + 1);
	}
	closedir(d);
}

static int by_container(struct wt_cg_scope *sc, const struct wt_cgfs *fs,
			const char *id, struct wt_diag *d)
{
	struct search *s = calloc(1, sizeof(*s));

	if (!s) {
		wt_diag_errno(d, 1, "--container");
		return -1;
	}
	s->id = id;
	for (int h = 0; h < WT_CG_NHIER; h++) {
		if (!fs->mnt[h][0])
			continue;
		s->h = h;
		walk(s, fs->mnt[h], fs->root[h], 0);
	}
	int ret = -1;
	if (s->ambiguous) {
		wt_diag_set(d, 2, "--container %s: more than one container "
			    "matches (%s %s, %s %s): give more of the id", id,
			    s->c.runtime, s->c.id, s->other.runtime,
			    s->other.id);
	} else if (!s->c.runtime) {
		wt_diag_set(d, 2, "--container %s: no cgroup names that "
			    "container (searched %u cgroups)", id, s->dirs);
	} else {
		for (int h = 0; h < WT_CG_NHIER; h++)
			if (s->found[h])
				add_dir(sc, h, s->dir[h], s->path[h]);
		sc->container = s->c;
		ret = 0;
	}
	free(s);
	return ret;
}

int wt_cg_scope_resolve(struct wt_cg_scope *sc, const struct wt_cgfs *fs,
			const char *cgroup, const char *id, struct wt_diag *d)
{
	memset(sc, 0, sizeof(*sc));
	if (!fs->mnt[WT_CG_V2][0] && !fs->mnt[WT_CG_PIDS][0]) {
		wt_diag_set(d, 2, "--%s: no cgroup v2 or v1 pids hierarchy is "
			    "mounted here", cgroup ? "cgroup" : "container");
		return -1;
	}
	if (cgroup)
		return by_cgroup(sc, fs, cgroup, d);
	return by_container(sc, fs, id, d);
}

int wt_cg_scope_members(const struct wt_cg_scope *sc, struct wt_pidset *out)
{
	int added = 0;

	for (int i = 0; i < sc->ndirs; i++) {
		int n = wt_cgfs_procs(sc->dir[i], out);
		if (n < 0)
			return -1;
		added += n;
	}
	return added;
}
