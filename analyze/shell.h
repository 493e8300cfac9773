/*
 * shell.h - `wtrec analyze --shell`: the sqlite3 command-line shell on a
 * wtrec database, with every report available as a view named
 * report_<name> (report_summary, report_children, report_zombies, ...,
 * report_tree).
 *
 * The views are TEMP views created in the shell's own connection (its
 * -cmd option).  The shell opens the database read-only (sqlite3
 * -readonly) unless the caller asks for a writable one (--rw), so a
 * writing statement is refused and the file is never changed.
 */
#ifndef WT_SHELL_H
#define WT_SHELL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Run `sqlite3` on @dbpath, read-only unless @writable.  If @temporary, the caller removes the
 * database afterwards, so the shell runs as a child and this returns its
 * exit status; otherwise wtrec execs the shell and returns only on
 * failure.  Returns -1 with a one-line message in @err (sqlite3 not
 * installed: how to install it) when the shell could not be started.
 */
int wt_shell_run(const char *dbpath, bool temporary, bool writable,
		 char *err, size_t errlen);

#endif /* WT_SHELL_H */
