/*
 * dribble.c - write a copy of a .wtrec file the way a recorder would, slowly
 * and in pieces, for `wtrec analyze --follow` to read while it grows.
 *
 *   dribble SRC DST [--seed N] [--max-piece BYTES] [--hold-before TYPE GO]
 *                   [--cut-at OFFSET]
 *
 * DST appears at once with the file header (created under a temporary name
 * and renamed, as the recorder does), then the rest of SRC is appended in
 * pieces of 1..BYTES bytes (default 4096), cutting through chunk headers
 * and payloads alike, with a pause of up to 2 ms after each.
 * --hold-before TYPE GO: before the first chunk of type TYPE (8: the
 * TRAILER) the copy waits until the file GO exists (the test's go-ahead),
 * so a test can look at what the follower printed before the end.
 * --cut-at OFFSET: stop at OFFSET (a recorder killed mid-write) and exit.
 * Knows of the format only the chunk header: u32 type, u32 length of the
 * payload (docs/FORMAT.md); nothing of wtrec's code.  Exit 0, or 2 with a
 * message.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "dribble: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The offset of the first chunk of @type in @buf, or @len. */
static size_t find_chunk(const uint8_t *buf, size_t len, uint32_t type)
{
	size_t off = 16;

	while (off + 16 <= len) {
		/* the u16 type (version 2; version 1's u32 type is the same
		 * number, its high half 0) */
		if ((le32(buf + off) & 0xffff) == type)
			return off;
		off += 16 + (size_t)le32(buf + off + 4);
	}
	return len;
}

static void pause_ms(long max)
{
	struct timespec ts = { 0, (rand() % (max * 1000 + 1)) * 1000L };

	nanosleep(&ts, NULL);
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write");
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	const char *src, *dst, *go = NULL;
	size_t max_piece = 4096, hold = SIZE_MAX, cut = SIZE_MAX, off, len;
	unsigned seed = 1;
	struct stat st;
	uint8_t *buf;
	char tmp[4096];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: dribble SRC DST [--seed N] [--max-piece B]"
			" [--hold-before TYPE GO] [--cut-at OFFSET]\n");
		return 2;
	}
	src = argv[1];
	dst = argv[2];
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--max-piece") && i + 1 < argc)
			max_piece = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--cut-at") && i + 1 < argc)
			cut = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--hold-before") && i + 2 < argc) {
			hold = strtoul(argv[++i], NULL, 10);
			go = argv[++i];
		} else {
			fprintf(stderr, "dribble: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	srand(seed);
	fd = open(src, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		die(src);
	len = (size_t)st.st_size;
	buf = malloc(len ? len : 1);
	if (!buf || (len && read(fd, buf, len) != (ssize_t)len))
		die(src);
	close(fd);
	if (len < 16) {
		fprintf(stderr, "dribble: %s: shorter than a file header\n", src);
		return 2;
	}
	if (hold != SIZE_MAX)
		hold = find_chunk(buf, len, (uint32_t)hold);
	if (cut > len)
		cut = len;
	snprintf(tmp, sizeof(tmp), "%s.dribble.%d", dst, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		die(tmp);
	write_all(fd, buf, 16);
	if (rename(tmp, dst) < 0)
		die(dst);
	for (off = 16; off < cut;) {
		size_t n = 1 + (size_t)rand() % (max_piece ? max_piece : 1);

		if (off < hold && off + n > hold)
			n = hold - off;
		if (off == hold && go) {
			while (access(go, F_OK) < 0)
				pause_ms(20);
			go = NULL;
		}
		if (n > cut - off)
			n = cut - off;
		write_all(fd, buf + off, n);
		off += n;
		pause_ms(2);
	}
	close(fd);
	free(buf);
	return 0;
}
