/*
 * test_container_id.c - the cgroup path -> container table
 * (common/container_id.c), one case per runtime and cgroup driver, each a
 * path of the shape that runtime's own source builds (cited per case; the
 * same sources as the table's, so the expectation is the runtime's naming,
 * not the parser's), plus paths that name no container and the id
 * matching `wtrec record --container` uses.
 *
 *   test_container_id    exit 1 if any case failed or none ran
 */
#include <stdio.h>
#include <string.h>

#include "container_id.h"
#include "tcheck.h"

/* 64-hex ids as the runtimes make them (sha256 of random bytes) */
#define ID1 "7a5c3b2e9f00d1e4b8c6a7f2d3e4c5b6a7980f1e2d3c4b5a69788796a5b4c3d2"
#define ID2 "0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define UID "8c7b6a59-1e2d-4c3b-a4f5-0617283940ab"
#define UIDS "8c7b6a59_1e2d_4c3b_a4f5_0617283940ab" /* systemd-escaped */

struct pcase {
	const char *path, *runtime, *driver, *id;
	const char *shape; /* whose naming it is */
};

static const struct pcase cases[] = {
	/* docker: moby daemon/oci_linux.go WithCgroups() */
	{ "/docker/" ID1, "docker", "cgroupfs", ID1,
	  "docker, cgroupfs driver: /docker/<id>" },
	{ "/system.slice/docker-" ID1 ".scope", "docker", "systemd", ID1,
	  "docker, systemd driver: system.slice:docker:<id>" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/docker-"
	  ID1 ".scope", "docker", "systemd", ID1,
	  "rootless docker: user.slice:docker:<id>" },
	{ "/docker/" ID2 "/docker/" ID1, "docker", "cgroupfs", ID1,
	  "docker in docker: the inner container" },
	{ "/system.slice/docker-" ID1 ".scope/init.scope", "docker", "systemd",
	  ID1, "systemd running inside a docker container" },
	/* containerd CRI: internal/cri/server/podsandbox/helpers_linux.go
	 * getCgroupsPath(); pod cgroups: kubelet cgroup_manager_linux.go */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  UIDS ".slice/cri-containerd-" ID1 ".scope", "containerd", "systemd",
	  ID1, "containerd CRI, systemd driver" },
	{ "/kubepods/burstable/pod" UID "/" ID1, "kubernetes", "cgroupfs", ID1,
	  "CRI, cgroupfs driver, burstable pod" },
	{ "/kubepods/pod" UID "/" ID1, "kubernetes", "cgroupfs", ID1,
	  "CRI, cgroupfs driver, guaranteed pod" },
	{ "/kubepods.slice/kubepods-pod" UIDS ".slice/docker-" ID1 ".scope",
	  "docker", "systemd", ID1, "kubelet with dockershim, systemd driver" },
	/* cri-o: internal/config/cgmgr systemd_linux.go, cgroupfs_linux.go */
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  UIDS ".slice/crio-" ID1 ".scope", "cri-o", "systemd", ID1,
	  "cri-o, systemd driver" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  UIDS ".slice/crio-" ID1 ".scope/container", "cri-o", "systemd", ID1,
	  "cri-o with crun's sub-cgroup" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	  UIDS ".slice/crio-conmon-" ID1 ".scope", "cri-o conmon", "systemd",
	  ID1, "cri-o's conmon, systemd driver" },
	{ "/kubepods/besteffort/pod" UID "/crio-" ID1, "cri-o", "cgroupfs",
	  ID1, "cri-o, cgroupfs driver" },
	{ "/crio/crio-" ID1, "cri-o", "cgroupfs", ID1,
	  "cri-o, cgroupfs driver, default parent /crio" },
	{ "/kubepods/besteffort/pod" UID "/crio-conmon-" ID1, "cri-o conmon",
	  "cgroupfs", ID1, "cri-o's conmon, cgroupfs driver" },
	/* podman: libpod/container_internal_linux.go getOCICgroupPath() */
	{ "/machine.slice/libpod-" ID1 ".scope", "podman", "systemd", ID1,
	  "podman, systemd driver" },
	{ "/machine.slice/libpod-" ID1 ".scope/container", "podman", "systemd",
	  ID1, "podman with crun on cgroup v2" },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	  ID1 ".scope", "podman", "systemd", ID1, "rootless podman" },
	{ "/machine.slice/libpod-conmon-" ID1 ".scope", "podman conmon",
	  "systemd", ID1, "podman's conmon" },
	{ "/libpod_parent/libpod-" ID1, "podman", "cgroupfs", ID1,
	  "podman, cgroupfs driver" },
	{ "/system.slice/app.service/libpod-payload-" ID1, "podman",
	  "cgroupfs", ID1, "podman --cgroups=split (quadlet)" },
	/* runc docs/systemd.md: default ":runc:<container-id>" */
	{ "/system.slice/runc-web.scope", "runc", "systemd", "web",
	  "runc --systemd-cgroup without cgroupsPath" },
	/* systemd src/machine/machine.c, units/systemd-nspawn@.service */
	{ "/machine.slice/machine-fedora\\x2d40.scope", "systemd-nspawn",
	  "systemd", "fedora-40", "systemd-nspawn registered by machined" },
	{ "/machine.slice/systemd-nspawn@debian.service/payload",
	  "systemd-nspawn", "systemd", "debian", "systemd-nspawn@.service" },
	/* lxc src/lxc/cgroups/cgroup.h */
	{ "/lxc.payload.web1", "lxc", "cgroupfs", "web1", "LXC >= 4 payload" },
	{ "/lxc.monitor.web1", "lxc monitor", "cgroupfs", "web1",
	  "LXC >= 4 monitor" },
	{ "/lxc/web1", "lxc", "cgroupfs", "web1", "LXC < 4" },
	/* a bare id no runtime above claims: ctr's /<namespace>/<id> */
	{ "/default/" ID1, "container", "cgroupfs", ID1, "containerd's ctr" },
	/* systemd units that are no container */
	{ "/system.slice/nginx.service", "systemd", "systemd", "nginx.service",
	  "a systemd service" },
	{ "/user.slice/user-1000.slice/session-3.scope", "systemd", "systemd",
	  "session-3.scope", "a login session" },
	/* nothing */
	{ "/", NULL, NULL, NULL, "the root cgroup" },
	{ "", NULL, NULL, NULL, "an empty path" },
	{ "/kubepods.slice/kubepods-burstable.slice", NULL, NULL, NULL,
	  "a slice holds no container" },
	{ "/docker/7a5c3b2e9f00", NULL, NULL, NULL, "a short id is no id" },
	{ "/docker/" "7A5C3B2E9F00D1E4B8C6A7F2D3E4C5B6A7980F1E2D3C4B5A69788796A5B4C3D2",
	  NULL, NULL, NULL, "upper-case hex is no runtime's id" },
	{ "/wtrec-cg-1234", NULL, NULL, NULL, "a hand-made pids cgroup" },
};

struct mcase {
	const char *path, *query;
	bool want;
};

static const struct mcase matches[] = {
	{ "/docker/" ID1, ID1, true },
	{ "/docker/" ID1, "7a5c3b2e9f00", true },   /* docker ps's 12 */
	{ "/docker/" ID1, "7a5c", true },
	{ "/docker/" ID1, "7a5", false },           /* too short to say */
	{ "/docker/" ID1, "7a5c3b2e9f01", false },
	{ "/system.slice/runc-web.scope", "web", true },
	{ "/system.slice/runc-web.scope", "we", false }, /* names: whole */
	{ "/machine.slice/machine-fedora\\x2d40.scope", "fedora-40", true },
	{ "/", "7a5c", false },
};

int main(void)
{
	int n = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *k = &cases[i];
		struct wt_container c;
		bool got = wt_container_parse(k->path, &c);
		char what[200];

		snprintf(what, sizeof(what), "%s: found", k->shape);
		check(got == (k->runtime != NULL), (int)i, what,
		      got ? "yes" : "no", k->runtime ? "yes" : "no");
		if (!k->runtime || !got)
			continue;
		snprintf(what, sizeof(what), "%s: runtime", k->shape);
		check(!strcmp(c.runtime, k->runtime), (int)i, what, c.runtime,
		      k->runtime);
		snprintf(what, sizeof(what), "%s: driver", k->shape);
		check(!strcmp(c.driver, k->driver), (int)i, what, c.driver,
		      k->driver);
		snprintf(what, sizeof(what), "%s: id", k->shape);
		check(!strcmp(c.id, k->id), (int)i, what, c.id, k->id);
		n++;
	}
	for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		const struct mcase *k = &matches[i];
		struct wt_container c;
		char what[200];

		wt_container_parse(k->path, &c);
		bool got = wt_container_matches(&c, k->query);
		snprintf(what, sizeof(what), "'%s' names %s", k->query, k->path);
		check(got == k->want, 100 + (int)i, what, got ? "yes" : "no",
		      k->want ? "yes" : "no");
	}
	check(n >= 28, 0, "shapes that parsed", n >= 28 ? "enough" : "too few",
	      "28 or more");
	return tcheck_report();
}
