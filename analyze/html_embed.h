/*
 * html_embed.h - the files of html/ (report.html, report.css, report.js,
 * data.sql), embedded at build time by cmake/embed_files.cmake.  The
 * table ends with a {NULL, NULL} entry; `name` is the file name.
 */
#ifndef WT_HTML_EMBED_H
#define WT_HTML_EMBED_H

struct wt_embed_file {
	const char *name;
	const char *text;
};

extern const struct wt_embed_file wt_html_files[];

#endif
