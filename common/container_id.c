/*
 * container_id.c - which container a cgroup path names (container_id.h).
 *
 * One table of shapes, each a path component: a prefix, the id, a suffix,
 * and for bare ids the component above it.  Each row cites where the
 * runtime builds that name; the unit test (tests/common/test_container_id.c)
 * holds a real path of each shape.
 *
 * The systemd cgroup driver turns a runtime's "slice:prefix:id" into the
 * unit "<prefix>-<id>.scope" below the slice (runc docs/systemd.md, "systemd
 * unit name and placement"); the cgroupfs driver makes a plain directory
 * "<parent>/<name>".  So each runtime has two rows, one per driver.
 *
 * Workload: once per distinct cgroup path of a recording (the model
 * caches the answer per path), a few hundred paths.
 */
#include <string.h>

#include "container_id.h"

enum id_kind { HEX64, NAME };

struct shape {
	const char *prefix, *suffix; /* around the id; "" for none */
	enum id_kind kind;
	/* a bare id must sit under this component (exactly), or, ending in
	 * '*', under an ancestor starting with it; NULL: anywhere */
	const char *under;
	const char *runtime, *driver;
};

static const struct shape shapes[] = {
	/* moby daemon/oci_linux.go WithCgroups(): systemd "system.slice:
	 * docker:<id>", cgroupfs filepath.Join("/docker", id) */
	{ "docker-", ".scope", HEX64, NULL, "docker", "systemd" },
	/* containerd internal/cri/server/podsandbox/helpers_linux.go
	 * getCgroupsPath(): "<pod slice>:cri-containerd:<id>" under a
	 * systemd slice, else "<pod cgroup>/<id>" (bare, below) */
	{ "cri-containerd-", ".scope", HEX64, NULL, "containerd", "systemd" },
	/* cri-o internal/config/cgmgr: conmon in "crio-conmon-<id>.scope"
	 * (systemd_linux.go MoveConmonToCgroup) or "<parent>/crio-conmon-
	 * <id>" (cgroupfs_linux.go); the container in "<parent>:crio:<id>"
	 * or "<parent>/crio-<id>" (CrioPrefix, containerCgroupPath()) */
	{ "crio-conmon-", ".scope", HEX64, NULL, "cri-o conmon", "systemd" },
	{ "crio-conmon-", "", HEX64, NULL, "cri-o conmon", "cgroupfs" },
	{ "crio-", ".scope", HEX64, NULL, "cri-o", "systemd" },
	{ "crio-", "", HEX64, NULL, "cri-o", "cgroupfs" },
	/* podman libpod/container_internal_linux.go getOCICgroupPath():
	 * systemd "<parent>:libpod:<id>", cgroupfs "<parent>/libpod-<id>"
	 * (parent /libpod_parent), --cgroups=split "<own>/libpod-payload-
	 * <id>"; conmon in "libpod-conmon-<id>.scope" */
	{ "libpod-conmon-", ".scope", HEX64, NULL, "podman conmon", "systemd" },
	{ "libpod-payload-", "", HEX64, NULL, "podman", "cgroupfs" },
	{ "libpod-", ".scope", HEX64, NULL, "podman", "systemd" },
	{ "libpod-", "", HEX64, NULL, "podman", "cgroupfs" },
	/* runc docs/systemd.md: no cgroupsPath with the systemd driver is
	 * ":runc:<container-id>", any name */
	{ "runc-", ".scope", NAME, NULL, "runc", "systemd" },
	/* systemd src/machine/machine.c machine_start_scope(): machined
	 * registers a container as "machine-<escaped name>.scope" in
	 * machine.slice; units/systemd-nspawn@.service keeps its own unit */
	{ "machine-", ".scope", NAME, NULL, "systemd-nspawn", "systemd" },
	{ "systemd-nspawn@", ".service", NAME, NULL, "systemd-nspawn",
	  "systemd" },
	/* lxc src/lxc/cgroups/cgroup.h DEFAULT_PAYLOAD_CGROUP_PREFIX,
	 * DEFAULT_MONITOR_CGROUP_PREFIX (LXC >= 4) */
	{ "lxc.payload.", "", NAME, NULL, "lxc", "cgroupfs" },
	{ "lxc.monitor.", "", NAME, NULL, "lxc monitor", "cgroupfs" },
	/* bare ids: docker's cgroupfs driver (above); kubelet's cgroupfs
	 * driver puts a pod at /kubepods[/burstable|/besteffort]/pod<uid>
	 * and the CRI runtime its containers below (kubernetes
	 * pkg/kubelet/cm/cgroup_manager_linux.go ToCgroupfs()); LXC < 4
	 * used /lxc/<name> */
	{ "", "", HEX64, "docker", "docker", "cgroupfs" },
	{ "", "", HEX64, "kubepods*", "kubernetes", "cgroupfs" },
	{ "", "", NAME, "lxc", "lxc", "cgroupfs" },
	/* any other 64-hex directory: a container of some runtime (ctr's
	 * /<namespace>/<id>, ECS's /ecs/<task>/<id>) */
	{ "", "", HEX64, NULL, "container", "cgroupfs" },
};

static bool is_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A path component: [s, s + n). */
struct comp {
	const char *s;
	size_t n;
};

#define MAX_DEPTH 64 /* components looked at; deeper paths: the first 64 */

static int split(const char *path, struct comp *v)
{
	int n = 0;

	for (const char *p = path; *p && n < MAX_DEPTH;) {
		while (*p == '/')
			p++;
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len)
			v[n++] = (struct comp){ p, len };
		p += len;
	}
	return n;
}

static bool comp_is(const struct comp *c, const char *s)
{
	return strlen(s) == c->n && !memcmp(c->s, s, c->n);
}

static bool comp_starts(const struct comp *c, const char *s)
{
	size_t n = strlen(s);
	return c->n >= n && !memcmp(c->s, s, n);
}

/* Is component @i of @v where @sh may stand? */
static bool placed(const struct shape *sh, const struct comp *v, int i)
{
	size_t n;

	if (!sh->under)
		return true;
	n = strlen(sh->under);
	if (sh->under[n - 1] != '*')
		return i > 0 && comp_is(&v[i - 1], sh->under);
	for (int a = 0; a < i; a++)
		if (v[a].n >= n - 1 && !memcmp(v[a].s, sh->under, n - 1))
			return true;
	return false;
}

/* Copy @n bytes of a systemd-escaped name, turning "\xNN" back into the
 * byte (unit_name_escape() writes '-' as "\x2d"). */
static void unescape(char *dst, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n && o < WT_CONTAINER_ID_MAX; i++) {
		const char *h1, *h2;
		if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
		    (h1 = strchr(hex, s[i + 2])) &&
		    (h2 = strchr(hex, s[i + 3]))) {
			dst[o++] = (char)((h1 - hex) << 4 | (h2 - hex));
			i += 3;
		} else {
			dst[o++] = s[i];
		}
	}
	dst[o] = '\0';
}

/* Does component @i match @sh?  Fills @c when it does. */
static bool match(const struct shape *sh, const struct comp *v, int i,
		  struct wt_container *c)
{
	const struct comp *k = &v[i];
	size_t pl = strlen(sh->prefix), sl = strlen(sh->suffix);

	if (k->n <= pl + sl || !comp_starts(k, sh->prefix) ||
	    memcmp(k->s + k->n - sl, sh->suffix, sl) || !placed(sh, v, i))
		return false;
	const char *id = k->s + pl;
	size_t n = k->n - pl - sl;
	if (sh->kind == HEX64 ? !is_hex64(id, n) : n > WT_CONTAINER_ID_MAX)
		return false;
	c->runtime = sh->runtime;
	c->driver = sh->driver;
	if (!strcmp(sh->runtime, "systemd-nspawn")) {
		unescape(c->id, id, n);
	} else {
		memcpy(c->id, id, n);
		c->id[n] = '\0';
	}
	return true;
}

/* The innermost systemd unit of @v: a name ending in .scope or .service. */
static bool systemd_unit(const struct comp *v, int n, struct wt_container *c)
{
	for (int i = n - 1; i >= 0; i--) {
		const struct comp *k = &v[i];
		bool unit = (k->n > 6 && !memcmp(k->s + k->n - 6, ".scope", 6)) ||
			    (k->n > 8 && !memcmp(k->s + k->n - 8, ".service", 8));
		if (!unit || k->n > WT_CONTAINER_ID_MAX)
			continue;
		c->runtime = "systemd";
		c->driver = "systemd";
		memcpy(c->id, k->s, k->n);
		c->id[k->n] = '\0';
		return true;
	}
	return false;
}

bool wt_container_parse(const char *path, struct wt_container *c)
{
	struct comp v[MAX_DEPTH];
	int n = path ? split(path, v) : 0;

	memset(c, 0, sizeof(*c));
	for (int i = n - 1; i >= 0; i--)
		for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
			if (match(&shapes[s], v, i, c))
				return true;
	if (systemd_unit(v, n, c))
		return true;
	memset(c, 0, sizeof(*c));
	return false;
}

bool wt_container_matches(const struct wt_container *c, const char *query)
{
	size_t n = query ? strlen(query) : 0;

	if (!c->runtime || !n)
		return false;
	if (!strcmp(c->id, query))
		return true;
	return n >= 4 && n < 64 && is_hex64(c->id, strlen(c->id)) &&
	       !strncmp(c->id, query, n);
}
