/*
 * sql_lookup.c - find an embedded .sql file of sql/ by name (sql_embed.h).
 * The table is small (a dozen files), so a linear scan is the right tool.
 */
#include <string.h>
#include "sql_embed.h"

const char *wt_sql_get(const char *name)
{
	if (!name)
		return NULL;
	for (const struct wt_sql_file *f = wt_sql_files; f->name; f++)
		if (!strcmp(f->name, name))
			return f->text;
	return NULL;
}
