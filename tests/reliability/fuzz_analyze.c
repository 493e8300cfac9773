/*
 * fuzz_analyze.c - libFuzzer target for what `wtrec analyze` does to one
 * file: decode -> model -> SQLite (in memory), up to the committed load
 * with its indexes.  fuzz_decode (tests/decode) stops at the decoder's
 * sink; this one also feeds the model every event, /proc line and stats
 * row the decoder lets through, so event sequences no kernel would produce
 * (exits before forks, reaps of unknown pids, time running backwards, pid
 * reuse within a nanosecond) reach the model's state machine and the
 * database.
 *
 * Two input forms, as in fuzz_decode: a whole .wtrec file (starts with the
 * magic), or unframed chunks - u8 flags (bit 0: big-endian recording, bit
 * 1: 4-byte words), then per chunk u32 type, u32 len, payload - framed and
 * compressed here, so mutations reach sub-buffers and format text instead
 * of dying at a CRC.  Any crash, hang, leak or sanitizer report is a bug;
 * error returns and damage are expected.
 *
 * Seeds: tests/reliability/corpus (the sample recording and small raw
 * forms), plus tests/decode/corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db.h"
#include "decode.h"
#include "model.h"
#include "wtfile.h"

/* The raw form -> a framed file in @out; -1 when it cannot be built. */
static int frame(const uint8_t *data, size_t size, struct wt_buf *out)
{
	uint8_t h[WT_FILE_HEADER_LEN] = { 0 };
	size_t pos = 1;

	if (!size)
		return -1;
	memcpy(h, WT_MAGIC, WT_MAGIC_LEN);
	wt_put_le16(h + 8, WT_FORMAT_VERSION);
	h[10] = data[0] & 1 ? 2 : 1;
	h[11] = data[0] & 2 ? 4 : 8;
	if (wt_buf_append(out, h, sizeof(h)))
		return -1;
	while (size - pos >= 8) {
		uint32_t type = wt_get_le32(data + pos);
		size_t len = wt_get_le32(data + pos + 4);

		pos += 8;
		if (len > size - pos)
			len = size - pos;
		if (wt_chunk_encode(type, data + pos, len, out))
			return -1;
		pos += len;
	}
	return 0;
}

/* One file into a fresh in-memory database, as load_file() does. */
static void load(const uint8_t *file, size_t len)
{
	struct wt_decode_result res;
	struct wt_model *m = NULL;
	struct wt_sink sink;
	struct wt_db *db;
	char err[512];

	db = wt_db_create(":memory:", err, sizeof(err));
	if (!db)
		return;
	m = wt_model_new(db, "fuzz");
	if (!m)
		goto out;
	memset(&sink, 0, sizeof(sink));
	wt_model_sink(m, &sink);
	if (wt_decode_mem(file, len, "fuzz", &sink, &res, err, sizeof(err)) < 0)
		goto out;
	if (wt_model_finish(m, &res) < 0)
		goto out;
	wt_db_finish_load(db);
out:
	wt_model_free(m);
	wt_db_close(db);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wt_buf framed = { 0 };

	if (size >= WT_MAGIC_LEN && !memcmp(data, WT_MAGIC, WT_MAGIC_LEN))
		load(data, size);
	else if (frame(data, size, &framed) == 0)
		load(framed.data, framed.len);
	wt_buf_free(&framed);
	return 0;
}
