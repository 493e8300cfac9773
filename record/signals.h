/*
 * signals.h - how the recorder learns it should stop.
 *
 * SIGINT, SIGTERM and SIGHUP handlers only record the signal in a volatile
 * sig_atomic_t and write a byte to a self-pipe; SIGCHLD only writes the
 * byte (the traced command may have exited).  The main loop polls the
 * pipe and does all the work, including every cleanup, on the normal path.
 * SIGPIPE is ignored so a command that died while held cannot kill wtrec.
 */
#ifndef WT_REC_SIGNALS_H
#define WT_REC_SIGNALS_H

#include <signal.h>

#define WT_REC_NSIG 5

struct wt_rec_sigsave {
	struct sigaction old[WT_REC_NSIG];
	int installed;
};

/*
 * Create the self-pipe and install the handlers, saving the previous
 * dispositions in @s.  0 or -1 with errno.
 */
int wt_rec_signals_install(struct wt_rec_sigsave *s);

/* Put back the dispositions saved in @s (also used in the forked command,
 * before exec, so it inherits what wtrec inherited). */
void wt_rec_signals_restore(const struct wt_rec_sigsave *s);

/* Close the self-pipe (after restore).  Accepts being called twice. */
void wt_rec_signals_close(void);

/* Read end of the self-pipe, to poll. */
int wt_rec_signals_fd(void);

/* Write end, for threads that want to wake the main loop. */
int wt_rec_signals_wake_fd(void);

/* Empty the self-pipe after poll said it is readable. */
void wt_rec_signals_drain(void);

/* The stop signal received (SIGINT/SIGTERM/SIGHUP), or 0. */
int wt_rec_signals_stop_requested(void);

/* How many stop signals came so far (a second one ends waiting for the
 * --live follower). */
int wt_rec_signals_stop_count(void);

#endif
