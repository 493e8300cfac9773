/*
 * stale.h - remove what killed recorders left behind: tracefs instances
 * wtrec-<N> and kprobe groups wtrec_<N> whose recorder N is gone (or is
 * this process: a leftover of an earlier run with our pid).  Those of live
 * recorders are never touched.  Every recording's setup and `wtrec record
 * --cleanup` run the sweep; a note names each thing removed, a warning
 * each one that could not be.
 */
#ifndef WT_REC_STALE_H
#define WT_REC_STALE_H

#include <stdbool.h>

/* Both sweeps below, instances first.  Returns the number removed. */
int wt_rec_stale_sweep(bool quiet);

/* Instances wtrec-<N> of dead runs whose files nobody holds open. */
int wt_rec_stale_instances(bool quiet);

/* Kprobe groups wtrec_<N> of dead runs (counted once per group). */
int wt_rec_stale_probes(bool quiet);

#endif /* WT_REC_STALE_H */
