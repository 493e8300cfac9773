/*
 * test_kprobe_abi_uapi.c - the kernel's struct rusage as its uapi header
 * defines it (<linux/resource.h> from the system's kernel headers), for
 * test_kprobe_abi.c; a translation unit of its own because glibc's
 * <sys/resource.h> defines a struct of the same name.
 */
#include <stddef.h>
#include <string.h>
#include <linux/resource.h>

#define F(name, member) \
	{ name, (int)offsetof(struct rusage, member), \
	  (int)sizeof(((struct rusage *)0)->member) }

static const struct {
	const char *name;
	int offset, size;
} fields[] = {
	F("ru_utime_sec", ru_utime.tv_sec), F("ru_utime_usec", ru_utime.tv_usec),
	F("ru_stime_sec", ru_stime.tv_sec), F("ru_stime_usec", ru_stime.tv_usec),
	F("ru_maxrss", ru_maxrss), F("ru_minflt", ru_minflt),
	F("ru_majflt", ru_majflt), F("ru_nvcsw", ru_nvcsw),
	F("ru_nivcsw", ru_nivcsw),
};

int uapi_rusage_field(const char *name, int *size);
int uapi_rusage_size(void);

int uapi_rusage_field(const char *name, int *size)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].name, name)) {
			*size = fields[i].size;
			return fields[i].offset;
		}
	*size = -1;
	return -1;
}

int uapi_rusage_size(void)
{
	return (int)sizeof(struct rusage);
}
