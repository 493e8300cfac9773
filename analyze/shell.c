/*
 * shell.c - the sqlite3 shell on a wtrec database, reports as views (see
 * shell.h).
 *
 * Each report (sql/<name>.sql, one SELECT) becomes
 *   CREATE TEMP VIEW "report_<name>" AS <its SELECT>;
 * passed to the shell with -cmd.  The statement's extent is found by
 * preparing it on the database, never by searching for ';' (a report's
 * comments may hold one).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "db.h"
#include "report.h"
#include "shell.h"
#include "sql_embed.h"
#include "errf.h"

/* @name's full path in $PATH, malloc'ed; NULL if not found. */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path && *path ? path : "/usr/bin:/bin");
	char *found = NULL, *save = NULL;
	for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *cand = NULL;
		if (asprintf(&cand, "%s/%s", *d ? d : ".", name) < 0)
			break;
		if (access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found;
}

/* Append "CREATE TEMP VIEW report_@name AS <first statement of @sql>;"
 * to @s; reports that do not prepare here are skipped. */
static void add_view(sqlite3 *db, sqlite3_str *s, const char *name,
		     const char *sql)
{
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK ||
	    !st) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_finalize(st);
	int n = (int)(tail - sql);
	while (n > 0 && strchr(" \t\r\n;", sql[n - 1]))
		n--;
	sqlite3_str_appendf(s, "CREATE TEMP VIEW \"report_%w\" AS\n%.*s;\n",
			    name, n, sql);
}

/* The -cmd text creating every report view, sqlite3_malloc'ed. */
static char *views_sql(const char *dbpath, char *err, size_t errlen)
{
	sqlite3 *db = wt_db_open_readonly(dbpath, err, errlen);
	if (!db)
		return NULL;
	sqlite3_str *s = sqlite3_str_new(db);
	for (const char *const *p = wt_report_names(); *p; p++)
		add_view(db, s, *p, wt_sql_get(*p));
	char *sql = sqlite3_str_finish(s);
	sqlite3_close(db);
	if (!sql)
		wt_errf(err, errlen, "out of memory");
	return sql;
}

static void banner(const char *dbpath, bool temporary, bool writable)
{
	if (!isatty(STDIN_FILENO))
		return;
	fprintf(stderr, "wtrec: sqlite3 on %s, %s%s\nwtrec: reports as views:",
		dbpath, writable ? "writable (--rw)" : "read-only (--rw to write)",
		temporary ? " (temporary: removed when the shell "
		"exits; keep it with -o DB)" : "");
	for (const char *const *p = wt_report_names(); *p; p++)
		fprintf(stderr, " report_%s", *p);
	fputs("\nwtrec: tables: recording process thread wait_call stats "
	      "meta wait_outcome (.schema TABLE; columns: sql/schema.sql)\n"
	      "wtrec: try  SELECT * FROM report_zombies;\n", stderr);
}

/* The running shell child, for forward(). */
static volatile pid_t shell_pid;

/* SIGTERM / SIGHUP for wtrec go to the shell: once it exits, wtrec still
 * removes the temporary database. */
static void forward(int sig)
{
	if (shell_pid > 0)
		kill(shell_pid, sig);
}

/* Wait for @pid; its exit status as a shell reports it, -1 on error. */
static int wait_child(pid_t pid, char *err, size_t errlen)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return wt_errf(err, errlen, "waitpid: %s",
				      strerror(errno));
	return WIFEXITED(status) ? WEXITSTATUS(status) :
				   128 + WTERMSIG(status);
}

/* Run the shell as a child, as system(3) does: the terminal's Ctrl-C
 * belongs to the shell, not to us.  Returns its exit status. */
static int run_child(const char *prog, char *const argv[], char *err,
		     size_t errlen)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction fwd = { .sa_handler = forward }, old[4];
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], i < 2 ? &ign : &fwd, &old[i]);
	int rc = -1;
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			sigaction(sigs[i], &old[i], NULL);
		execv(prog, argv);
		fprintf(stderr, "wtrec: cannot run %s: %s\n", prog,
			strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		wt_errf(err, errlen, "cannot fork: %s", strerror(errno));
	} else {
		shell_pid = pid;
		rc = wait_child(pid, err, errlen);
		shell_pid = 0;
	}
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	return rc;
}

int wt_shell_run(const char *dbpath, bool temporary, bool writable,
		 char *err, size_t errlen)
{
	char *prog = find_program("sqlite3"), *views = NULL, *arg = NULL;
	int rc = -1;
	if (!prog)
		return wt_errf(err, errlen, "--shell needs the sqlite3 command-"
			      "line shell, which is not in PATH; install it "
			      "(Debian/Ubuntu: apt-get install sqlite3; "
			      "Fedora: dnf install sqlite), or open the "
			      "database written with -o DB in any SQLite "
			      "client");
	if (!(views = views_sql(dbpath, err, errlen)))
		goto out;
	/* A name starting with "-" would be taken for an option. */
	if (asprintf(&arg, "%s%s", dbpath[0] == '-' ? "./" : "", dbpath) < 0) {
		arg = NULL;
		wt_errf(err, errlen, "out of memory");
		goto out;
	}
	/* -readonly: the shell opens the file with SQLITE_OPEN_READONLY, so
	 * a writing statement fails ("attempt to write a readonly database")
	 * and the file is never changed; TEMP views live in the connection's
	 * own temporary schema and still work. */
	char *argv[6];
	int n = 0;
	argv[n++] = "sqlite3";
	if (!writable)
		argv[n++] = "-readonly";
	argv[n++] = "-cmd";
	argv[n++] = views;
	argv[n++] = arg;
	argv[n] = NULL;
	banner(dbpath, temporary, writable);
	fflush(NULL); /* reports printed before must not be lost by exec */
	if (temporary) {
		rc = run_child(prog, argv, err, errlen);
	} else {
		execv(prog, argv);
		wt_errf(err, errlen, "cannot run %s: %s", prog, strerror(errno));
	}
out:
	free(arg);
	sqlite3_free(views);
	free(prog);
	return rc;
}
