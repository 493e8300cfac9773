/*
 * main.c - the `wtrec` binary: dispatch to a subcommand.  Each subcommand
 * parses its own options and returns its exit status; nothing here knows
 * about tracefs or SQLite.
 */
#include <stdio.h>
#include <string.h>
#include "record_cmd.h"
#include "analyze_cmd.h"

static const char usage[] =
"usage: wtrec <command> [options]\n"
"\n"
"Record and explain wait4/waitid activity: which children were waited on,\n"
"by whom, when, with what result - and which were not.\n"
"\n"
"commands:\n"
"  record   trace waits, forks, exits and signals into a .wtrec file (root)\n"
"  analyze  decode .wtrec files into SQLite and print reports (no root)\n"
"  info     describe a .wtrec file: metadata, chunks, events, loss, damage\n"
"\n"
"options:\n"
"  -h, --help     this text\n"
"  -V, --version  print the version\n"
"\n"
"A typical incident (zombies piling up, a waitpid() that got ECHILD):\n"
"  wtrec record -o svc.wtrec -- ./my-service     # as root; Ctrl-C to stop\n"
"  wtrec analyze svc.wtrec                       # summary of the findings\n"
"  wtrec analyze svc.wtrec -r tree,stolen,zombies\n"
"  wtrec analyze svc.wtrec --timeline svc.json   # open in ui.perfetto.dev\n"
"  wtrec analyze svc.wtrec -o svc.db --shell     # SQL over the model\n"
"\n"
"Run `wtrec <command> --help` for the options of each command, and\n"
"`man wtrec` for the reports, the tables and more examples.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "record"))
		return wt_record_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "analyze"))
		return wt_analyze_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "info"))
		return wt_info_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("wtrec %s\n", WT_VERSION);
		return 0;
	}
	fprintf(stderr, "wtrec: unknown command '%s'\n", cmd);
	fputs(usage, stderr);
	return 2;
}
