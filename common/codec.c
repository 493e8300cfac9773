/*
 * codec.c - the table of chunk codecs, by the number chunk headers carry
 * (docs/FORMAT.md; compress.h).  Adding a codec: its file, its number in
 * enum wt_codec_id, its row here, and a format version that says so.
 */
#include <stddef.h>
#include <string.h>

#include "compress.h"
#include "wtfile.h"

static const struct wt_codec *const codecs[WT_CODEC_MAX + 1] = {
	[WT_CODEC_ZLIB] = &wt_codec_zlib,
	[WT_CODEC_ZSTD] = &wt_codec_zstd,
};

/* Static ops; NULL for a number no codec has. */
const struct wt_codec *wt_codec_get(unsigned id)
{
	return id <= WT_CODEC_MAX ? codecs[id] : NULL;
}

/* See wtfile.h. */
int wt_codec_by_name(const char *name)
{
	for (unsigned id = 0; name && id <= WT_CODEC_MAX; id++)
		if (codecs[id] && !strcmp(codecs[id]->name, name))
			return (int)id;
	return -1;
}

/* See wtfile.h. */
const char *wt_codec_name(unsigned id)
{
	return id <= WT_CODEC_MAX && codecs[id] ? codecs[id]->name : "unknown";
}
