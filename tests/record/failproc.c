/*
 * failproc.c - LD_PRELOAD shim for end_errno.sh: once the file named by
 * $WT_FAIL_PROC exists, opendir("/proc") fails and leaves errno 0, as a
 * callee that fails without saying why.  The recorder's stop snapshot is
 * the one /proc scan after the traced command has created that file.
 * Every other opendir() is the real one.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

DIR *opendir(const char *name)
{
	static DIR *(*real)(const char *);
	const char *flag = getenv("WT_FAIL_PROC");

	if (!real)
		real = (DIR *(*)(const char *))dlsym(RTLD_NEXT, "opendir");
	if (flag && !strcmp(name, "/proc") && access(flag, F_OK) == 0) {
		errno = 0;
		return NULL;
	}
	return real(name);
}
