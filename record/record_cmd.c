/*
 * record_cmd.c - `wtrec record`: options in, exit status out (see
 * record_cmd.h).  The only place in record/ that prints errors and decides
 * exit statuses; the work is in session.c.
 */
#include <stdio.h>

#include "instance.h"
#include "options.h"
#include "record_cmd.h"
#include "session.h"
#include "stale.h"
#include "status.h"

static int parse_error(const struct wt_diag *d)
{
	fprintf(stderr, "%s\n", d->msg);
	if (!d->hint)
		return d->status;
	fputs("usage: wtrec record [-o FILE] [-d SECS] [-p PID,...] [--cgroup PATH] "
	      "[--container ID] [-b KB] [--max-size SIZE] [--backend B] [-q] "
	      "[-- COMMAND...] (see --help)\n", stderr);
	return 2;
}

/*
 * --cleanup: the sweep every recorder runs at setup, on its own.  It only
 * removes what dead runs left (see stale.h); the notes name
 * each thing removed, and a last line says how many.
 */
static int cleanup_only(const struct wt_record_opts *o)
{
	struct wt_diag d = { 0 };
	int n;

	if (wt_rec_tracefs_check(o->quiet, &d) < 0) {
		fprintf(stderr, "%s\n", d.msg);
		return d.status;
	}
	n = wt_rec_stale_sweep(false);
	if (n)
		fprintf(stderr, "wtrec: cleanup: removed %d leftover%s of dead runs\n",
			n, n == 1 ? "" : "s");
	else
		fprintf(stderr, "wtrec: cleanup: nothing left by dead runs\n");
	return 0;
}

static void report(struct wt_session *s)
{
	struct wt_rec_summary sum;
	const char *cs = wt_session_command_status(s);

	if (wt_session_summary(s, &sum)) {
		wt_rec_summary_print(stderr, &sum);
		if (cs)
			fprintf(stderr, "wtrec: command %s\n", cs);
	}
}

int wt_record_main(int argc, char **argv)
{
	struct wt_record_opts o;
	struct wt_diag d = { 0 };
	struct wt_session *s;
	int status;

	if (wt_record_opts_parse(&o, argc, argv, &d) < 0)
		return parse_error(&d);
	if (o.help) {
		fputs(wt_record_synopsis, stdout);
		fputs(wt_record_help, stdout);
		wt_record_opts_free(&o);
		return 0;
	}
	if (o.cleanup) {
		status = cleanup_only(&o);
		wt_record_opts_free(&o);
		return status;
	}
	s = wt_session_new(&o);
	if (!s) {
		perror("wtrec");
		wt_record_opts_free(&o);
		return 1;
	}
	if (wt_session_setup(s) == 0)
		wt_session_run(s);
	wt_session_stop(s);
	report(s);
	status = wt_session_diag(s)->status;
	if (status)
		fprintf(stderr, "%s\n", wt_session_diag(s)->msg);
	/* --exit-status: the command's own verdict, once the recording
	 * itself went well (a failed recording keeps its 1 or 2) */
	if (!status && o.exit_status && wt_session_command_code(s) >= 0)
		status = wt_session_command_code(s);
	wt_session_free(s);
	wt_record_opts_free(&o);
	return status;
}
