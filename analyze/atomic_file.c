/*
 * atomic_file.c - output files written under a temporary name and renamed
 * into place when complete (see atomic_file.h).  The temporary name sits in
 * the target's directory so that the rename stays in one file system.
 */
#include <errno.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "atomic_file.h"
#include "errf.h"

char *wt_atomic_file_temp_name(const char *path)
{
	char *d = strdup(path), *b = strdup(path), *name = NULL;
	if (d && b && asprintf(&name, "%s/.%s.tmp-XXXXXX", dirname(d),
			       basename(b)) < 0)
		name = NULL;
	free(d);
	free(b);
	return name;
}

static void release(struct wt_atomic_file *of)
{
	free(of->path);
	free(of->tmp);
	memset(of, 0, sizeof(*of));
}

int wt_atomic_file_open(struct wt_atomic_file *of, const char *path, char *err,
		    size_t errlen)
{
	memset(of, 0, sizeof(*of));
	if (!strcmp(path, "-")) {
		of->f = stdout;
		return 0;
	}
	of->path = strdup(path);
	of->tmp = wt_atomic_file_temp_name(path);
	if (!of->path || !of->tmp) {
		release(of);
		return wt_errf(err, errlen, "out of memory");
	}
	int fd = mkstemp(of->tmp);
	if (fd < 0) {
		wt_errf(err, errlen, "cannot create %s: %s", path,
		       strerror(errno));
		release(of);
		return -1;
	}
	/* mkstemp makes it 0600; an output file is as readable as any. */
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	of->f = fdopen(fd, "w");
	if (!of->f) {
		close(fd);
		unlink(of->tmp);
		release(of);
		return wt_errf(err, errlen, "out of memory");
	}
	return 0;
}

int wt_atomic_file_commit(struct wt_atomic_file *of, char *err, size_t errlen)
{
	int rc = 0;
	if (!of->tmp) { /* stdout */
		if (fflush(of->f) != 0 || ferror(of->f))
			rc = wt_errf(err, errlen, "write error on standard "
				    "output: %s", strerror(errno));
		release(of);
		return rc;
	}
	/* fflush reports the pending write's errno (ENOSPC); an earlier
	 * failed write only left the error flag. */
	int werr = fflush(of->f) != 0 ? errno : ferror(of->f) ? EIO : 0;
	if (fclose(of->f) != 0 && !werr)
		werr = errno;
	of->f = NULL;
	if (werr) {
		rc = wt_errf(err, errlen, "cannot write %s: %s", of->path,
			    strerror(werr));
		unlink(of->tmp);
	} else if (rename(of->tmp, of->path) < 0) {
		rc = wt_errf(err, errlen, "cannot create %s: %s", of->path,
			    strerror(errno));
		unlink(of->tmp);
	}
	release(of);
	return rc;
}

void wt_atomic_file_abort(struct wt_atomic_file *of)
{
	if (of->tmp) {
		if (of->f)
			fclose(of->f);
		unlink(of->tmp);
	}
	release(of);
}

int wt_atomic_file_mkdir(const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	if (mkdir(dir, 0777) == 0)
		return 0;
	if (errno == EEXIST && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	return wt_errf(err, errlen, "cannot create directory %s: %s", dir,
		      errno == EEXIST ? "a file of that name exists" :
					strerror(errno));
}
