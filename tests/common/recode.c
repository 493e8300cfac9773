/*
 * recode.c - test helper: copy a .wtrec file chunk by chunk into a new
 * file whose chunks are compressed with another codec, with the common/
 * reader and writer only.  The payloads, their order and the header's
 * byte order and word size stay; the format version follows the codec
 * (zlib: 1, zstd: 2).  old_files.sh analyzes both files and compares.
 *
 * usage: recode IN OUT zstd|zlib
 * Exit status: 0 copied to a clean end, 1 damage or a write error
 * (message on stderr), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "wtfile.h"

int main(int argc, char **argv)
{
	struct wt_writer *w = NULL;
	struct wt_reader *r;
	const struct wt_file_header *h;
	struct wt_chunk c;
	char err[512];
	int codec, rc = 1;

	codec = argc == 4 ? wt_codec_by_name(argv[3]) : -1;
	if (codec < 0) {
		fprintf(stderr, "usage: recode IN OUT zstd|zlib\n");
		return 2;
	}
	r = wt_reader_open(argv[1], err, sizeof(err));
	if (!r) {
		fprintf(stderr, "recode: %s\n", err);
		return 1;
	}
	h = wt_reader_header(r);
	w = wt_writer_open(argv[2], false, h->byte_order_le, h->word_size,
			   (unsigned)codec);
	if (!w) {
		fprintf(stderr, "recode: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	while ((rc = wt_reader_next(r, &c)) == 1) {
		if (wt_writer_add(w, c.type, c.data, c.len) < 0) {
			fprintf(stderr, "recode: %s: %s\n", argv[2],
				strerror(errno));
			rc = -1;
			break;
		}
	}
	if (rc < 0 && *wt_reader_error(r))
		fprintf(stderr, "recode: %s\n", wt_reader_error(r));
	rc = rc < 0 ? 1 : 0;
out:
	if (w && wt_writer_close(w) < 0 && !rc) {
		fprintf(stderr, "recode: %s: %s\n", argv[2], strerror(errno));
		rc = 1;
	}
	wt_reader_close(r);
	return rc;
}
