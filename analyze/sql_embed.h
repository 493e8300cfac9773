/*
 * sql_embed.h - the .sql files of sql/, embedded at build time by
 * cmake/embed_sql.cmake.  The table ends with a {NULL, NULL} entry.
 * `name` is the file name without ".sql" ("schema", "summary", ...).
 */
#ifndef WT_SQL_EMBED_H
#define WT_SQL_EMBED_H

struct wt_sql_file {
	const char *name;
	const char *text;
};

extern const struct wt_sql_file wt_sql_files[];

/* The text of sql/@name.sql, or NULL. */
const char *wt_sql_get(const char *name);

#endif
