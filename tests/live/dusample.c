/*
 * dusample.c - how many files, and how many bytes, a recording's series
 * takes at most while it is written (for rotate.sh: the disk use bound).
 *
 *   dusample DIR PREFIX
 *
 * Every millisecond, until SIGTERM or SIGINT, counts the files of DIR
 * whose name starts with PREFIX and sums their sizes; then prints
 * "samples N max_files F max_bytes B" and exits 0.  A file that vanishes
 * between readdir and stat (deleted by --keep) is not counted.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	unsigned long long samples = 0, max_bytes = 0;
	unsigned max_files = 0;
	struct timespec ms = { 0, 1000 * 1000 };
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: dusample DIR PREFIX\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stop) {
		DIR *d = opendir(argv[1]);
		unsigned long long bytes = 0;
		unsigned files = 0;
		struct dirent *e;
		struct stat st;

		if (!d) {
			perror(argv[1]);
			return 2;
		}
		while ((e = readdir(d))) {
			if (strncmp(e->d_name, argv[2], strlen(argv[2])))
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
			if (stat(path, &st) < 0)
				continue;
			files++;
			bytes += (unsigned long long)st.st_size;
		}
		closedir(d);
		samples++;
		if (files > max_files)
			max_files = files;
		if (bytes > max_bytes)
			max_bytes = bytes;
		nanosleep(&ms, NULL);
	}
	printf("samples %llu max_files %u max_bytes %llu\n", samples, max_files,
	       max_bytes);
	return 0;
}
