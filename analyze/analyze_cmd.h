/*
 * analyze_cmd.h - entry points of `wtrec analyze` and `wtrec info`.  The
 * only analyze/ header main.c includes.
 */
#ifndef WT_ANALYZE_CMD_H
#define WT_ANALYZE_CMD_H

/* `wtrec analyze FILE... [options]`, argv[0] == "analyze".  Exit status:
 * 0 ok, 1 input damaged but partly read, 2 usage or unreadable input. */
int wt_analyze_main(int argc, char **argv);

/* `wtrec info FILE`, argv[0] == "info".  Exit status: 0 whole file,
 * 1 damaged but readable, 2 unreadable or usage. */
int wt_info_main(int argc, char **argv);

#endif
