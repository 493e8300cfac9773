/*
 * container_id.h - which container a cgroup path names.
 *
 * Container runtimes name the cgroup of a container after its id, in a
 * shape each runtime and cgroup driver fixes (the table in container_id.c
 * cites where each shape is defined).  Both halves of wtrec use this:
 * `wtrec record --container ID` to find the container's cgroup, `wtrec
 * analyze` for process.container_id.  Pure string work: no file is read.
 */
#ifndef WT_CONTAINER_ID_H
#define WT_CONTAINER_ID_H

#include <stdbool.h>
#include <stddef.h>

#define WT_CONTAINER_ID_MAX 128

struct wt_container {
	const char *runtime; /* static: "docker", "containerd", "cri-o",
				"podman", "systemd-nspawn", "lxc", "runc",
				"kubernetes", "container" (a bare 64-hex id
				no known runtime claims), "systemd" (a unit
				that is no container: its name is the id);
				the monitors "cri-o conmon", "podman conmon",
				"lxc monitor" */
	const char *driver;  /* static: "systemd" (a .scope unit) or
				"cgroupfs" (a plain directory) */
	char id[WT_CONTAINER_ID_MAX + 1]; /* the container's id or name */
};

/*
 * Does cgroup @path (as in /proc/PID/cgroup: "/system.slice/docker-<id>.
 * scope") name a container?  The components are tried innermost first,
 * so a nested container (docker in docker) gives the inner one and a
 * sub-cgroup of a container (podman's "container", a systemd init.scope
 * inside it) gives the container.  Without any runtime's shape, the
 * innermost systemd unit (.scope, .service) counts, as runtime "systemd".
 * Returns true and fills @c, or false (@c cleared) when nothing matches.
 */
bool wt_container_parse(const char *path, struct wt_container *c);

/*
 * Does @query name container @c: its whole id, or, for a 64-hex id, a
 * prefix of at least 4 digits (as `docker ps` shows 12)?
 */
bool wt_container_matches(const struct wt_container *c, const char *query);

#endif
