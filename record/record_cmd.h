/*
 * record_cmd.h - entry point of `wtrec record`.  The only record/ header
 * main.c includes; analyze/ never includes anything from record/.
 */
#ifndef WT_RECORD_CMD_H
#define WT_RECORD_CMD_H

/*
 * Run `wtrec record` with argv[0] == "record".  Returns the process exit
 * status: 0 success, 1 recording failed or lost its output, 2 bad usage or
 * an environment that cannot record (not root, no tracefs, backend missing);
 * with `-- COMMAND`, success is reported in the summary and the status is 0.
 */
int wt_record_main(int argc, char **argv);

#endif
