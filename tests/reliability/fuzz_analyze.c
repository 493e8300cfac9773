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
 * Two input forms, as in fuzz_decode (tests/lib/fuzz_input.h): a whole
 * .wtrec file, or unframed chunks framed here.  Any crash, hang, leak or
 * sanitizer report is a bug; error returns and damage are expected.
 *
 * Seeds: tests/reliability/corpus (the sample recording and small raw
 * forms), plus tests/decode/corpus.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db.h"
#include "decode.h"
#include "fuzz_input.h"
#include "model.h"
#include "wtfile.h"

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
	const uint8_t *file;
	size_t len;

	if (fuzz_input_file(data, size, &framed, &file, &len) == 0)
		load(file, len);
	wt_buf_free(&framed);
	return 0;
}
