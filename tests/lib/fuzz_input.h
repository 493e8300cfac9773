/*
 * fuzz_input.h - the input shaping the libFuzzer targets over whole files
 * share (tests/decode/fuzz_decode.c, tests/reliability/fuzz_analyze.c).
 *
 * Two input forms:
 *  - a whole .wtrec file (starts with the magic): used as it is;
 *  - anything else, read as unframed chunks - u8 flags (bit 0: big-endian
 *    recording, bit 1: 4-byte words, bit 2: a version 1 file of zlib
 *    chunks instead of version 2 with zstd), then per chunk u32 type (its
 *    low 16 bits are used), u32 len, payload (LE; a short tail is taken as
 *    it is) - framed and compressed here.  Random mutation of a framed file almost always just breaks a
 *    CRC; the raw form lets it reach sub-buffers, record headers and
 *    format text.
 */
#ifndef WT_FUZZ_INPUT_H
#define WT_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "wtfile.h"

/*
 * fuzz_input_file - @data as a .wtrec file: *@file and *@len point at @data
 * itself or at the framed copy built in @scratch.  Returns 0, or -1 when
 * nothing can be built (empty input, no memory).  The caller frees
 * @scratch with wt_buf_free() in either case.
 */
int fuzz_input_file(const uint8_t *data, size_t size, struct wt_buf *scratch,
		    const uint8_t **file, size_t *len);

#endif
