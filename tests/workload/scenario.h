/*
 * scenario.h - wtwork's scenarios.  Each gets its positional arguments
 * (argv[0] is the scenario name), writes its facts to the log (wtlog.h) and
 * returns wtwork's exit status: 0 everything happened as planned, 1 a
 * mismatch or failure (see the log), 2 bad arguments, 77 cannot run here.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

int sc_basic(int argc, char **argv);
int sc_stolen(int argc, char **argv);
int sc_autoreap(int argc, char **argv);
int sc_zombie(int argc, char **argv);
int sc_pidreuse(int argc, char **argv);
int sc_pollstorm(int argc, char **argv);
int sc_peek(int argc, char **argv);
int sc_pidns(int argc, char **argv);
int sc_subreaper(int argc, char **argv);
int sc_pidfdwait(int argc, char **argv);
int sc_scanorder(int argc, char **argv);
int sc_doublewait(int argc, char **argv);
int sc_handlersteal(int argc, char **argv);
int sc_signals(int argc, char **argv);
int sc_buffers(int argc, char **argv);
int sc_cgleak(int argc, char **argv);

/* Parse argv[i] as a number in [min, max], or return def when absent.
 * Returns -1 when present but invalid. */
long sc_arg(int argc, char **argv, int i, long def, long min, long max);

#endif
