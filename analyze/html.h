/*
 * html.h - `wtrec analyze FILE --html report.html`: the incident report
 * as one self-contained HTML file (no network: the style, the script and
 * the data are all inside it) to attach to a ticket.  It shows the
 * summary's findings with explanations, the process tree with each
 * child's fate, and a timeline drawn in the page (SVG): a lane per
 * process with its alive and zombie spans, its waiting threads' calls,
 * an arrow from each exit to the wait that reaped it, markers for stolen
 * reaps, ECHILD and auto-reaps; zoom, pan, and a details pane showing
 * the SQL row behind anything clicked.
 *
 * The page is html/report.html with each @@NAME@@ in it replaced by the
 * file html/NAME (report.css, report.js) and @@DATA@@ by the data of
 * html/data.sql's queries, as JSON; the html/ files are embedded at
 * build time (cmake/embed_files.cmake, html_embed.h).
 *
 * Size is bounded whatever the recording: runs of empty WNOHANG polls
 * are one span with a count; beyond WT_HTML_MAX_PROCS lanes and
 * WT_HTML_MAX_ITEMS spans the rest is aggregated, and the page says what
 * was (tests/ecosystem/html_size.sh checks a WNOHANG poller's page).
 *
 * Errors: 0 / -1 with a one-line message in the caller's buffer.
 */
#ifndef WT_HTML_H
#define WT_HTML_H

#include <stddef.h>
#include <sqlite3.h>
#include "window.h"

/* Budgets (the tests lower them with WTREC_HTML_MAX_PROCS and
 * WTREC_HTML_MAX_ITEMS): ~330 bytes a lane (a process row) and ~250 an item (a wait
 * call row) keep the page under 5 MB: 2000 * 330 + 12000 * 250 = 3.7 MB
 * plus the template. */
#define WT_HTML_MAX_PROCS 2000
#define WT_HTML_MAX_ITEMS 12000

/*
 * Write the report of the wtrec database at @dbpath (opened read-only
 * here, on a connection of its own) to @path ("-": stdout), limited to
 * @win.  The file appears at @path only when complete.  @stop (may be
 * NULL) becomes the connection's progress handler: a non-zero return
 * interrupts the query (the caller's signal flag).
 */
int wt_html_write(const char *dbpath, const char *path,
		  const struct wt_window *win, int (*stop)(void *),
		  char *err, size_t errlen);

#endif /* WT_HTML_H */
