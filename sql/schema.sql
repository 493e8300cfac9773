-- schema.sql - the wtrec model: what `wtrec analyze` writes into SQLite.
--
-- This is the public interface of the analysis: the reports in sql/*.sql
-- and any ad-hoc query (`wtrec analyze -o out.db FILE; sqlite3 out.db`)
-- read these tables and views.
--
-- Conventions
--   * Every *_ns column is nanoseconds on the recording's trace clock
--     ("boot": time since boot, comparable with /proc start times).  Wall
--     time = ts + recording.wall_offset_ns (ns since the Unix epoch).
--   * NULL means "not known" (not seen in the recording), never 0.
--   * Ids (recording.id, process.upid, thread.utid, wait_call.id) are
--     assigned by wtrec, unique across all recordings in one database.
--   * A process is an INSTANCE: pids are recycled, so a second fork of pid
--     1234 is a second process row.  Join on upid, not pid.
--
-- `wtrec analyze` runs the part above the "@after-load" marker before
-- loading and the part below it (indexes) after loading.  Running the whole
-- file in plain sqlite3 creates an empty database of the same schema.

PRAGMA application_id = 2004120163;  -- 0x77747263, "wtrc"
PRAGMA user_version = 4;             -- schema version; bumped on change

-- One row per input file.
CREATE TABLE recording (
  id INTEGER PRIMARY KEY,
  path TEXT,              -- file name as given on the command line
  host TEXT,              -- META host (uname -n of the recorder)
  kernel TEXT,            -- META kernel (uname -r)
  arch TEXT,              -- META arch
  backend TEXT,           -- 'tracepoint' | 'kprobe'
  clock TEXT,             -- trace clock name ('boot')
  start_ns INTEGER,       -- recording start: META start_ns, or the first
                          -- event if that came earlier
  end_ns INTEGER,         -- recording end: META/TRAILER stop_ns, or the last
                          -- event if that came later
  wall_offset_ns INTEGER, -- wall_realtime_ns - wall_trace_ns from META
  events INTEGER,         -- events decoded (lost markers excluded)
  lost_events INTEGER,    -- events the kernel lost (overrun + commit
                          -- overrun + dropped);
                          -- > 0 means every report may be incomplete
  complete INTEGER,       -- 1 = the file has its trailer (clean stop)
  damaged INTEGER,        -- 1 = decoding stopped early at a damaged chunk
  damage TEXT,            -- the decoder's message when damaged
  unknown_events INTEGER, -- records of event types wtrec does not model
  cpus INTEGER,           -- META cpus
  scope TEXT,             -- META scope: system | pid | command
  command TEXT,           -- META command (the traced command), if any
  command_status TEXT,    -- META command_status ('exited 0', 'killed SIGTERM')
  enabled_events TEXT,    -- META events: comma list system:name
  missing_events TEXT,    -- META missing_events: events that could not be
                          -- enabled (their evidence is absent, not negative)
  start_snapshot_ns INTEGER, -- ts of the /proc snapshot at start, NULL if none
  stop_snapshot_ns INTEGER,  -- ts of the /proc snapshot at stop, NULL if none
  wait_memory TEXT        -- what wait_call holds of the callers' buffers, and
                          -- why (META wait_memory): 'read: ...' (pointers,
                          -- status, siginfo and rusage: kprobe, Linux >=
                          -- 6.9) or 'pointers only: REASON' (the tracepoint
                          -- backend; kprobe on older kernels)
);

-- Every META key=value of every recording (later values override).
CREATE TABLE meta (
  recording_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT,
  PRIMARY KEY (recording_id, key)
) WITHOUT ROWID;

-- One row per process instance.
CREATE TABLE process (
  upid INTEGER PRIMARY KEY, -- process instance id
  recording_id INTEGER NOT NULL,
  pid INTEGER NOT NULL,   -- tgid in the recorder's pid namespace (the
                          -- global pid the trace events carry); negative
                          -- for a child a wait returned that no recorded
                          -- task had, inside a pid namespace: -ns_pid
  comm TEXT,              -- last known command name (exec basename, <= 15)
  parent_upid INTEGER,    -- its parent process when it exited (or at the
                          -- end): the one whose threads may wait for it.
                          -- Follows reparenting (see table reparent); NULL
                          -- when unknown
  ppid INTEGER,           -- pid of that parent (or the snapshot's ppid)
  original_parent_upid INTEGER, -- the parent that forked it (CLONE_PARENT:
                          -- the forker's parent), before any reparenting
  parent_tid INTEGER,     -- the thread of parent_upid it belongs to: its
                          -- real_parent (children belong to threads; a
                          -- snapshot child is put on its parent's main
                          -- thread: model_check snapshot_parent_thread)
  start_ns INTEGER,       -- task start: fork time, or /proc starttime for
                          -- processes of the start snapshot (tick precision)
  fork_ns INTEGER,        -- sched_process_fork seen; NULL = born before the
                          -- recording (or fork not seen)
  fork_tid INTEGER,       -- thread that forked it
  exec_ns INTEGER,        -- last exec
  exit_ns INTEGER,        -- last thread exited; NULL = not seen exiting
  exit_code INTEGER,      -- WEXITSTATUS for a normal exit, NULL if unknown
  exit_signal INTEGER,    -- terminating signal, NULL if not killed/unknown.
                          -- Tracepoint backend: the kernel turns a fatal
                          -- signal into SIGKILL for each thread of the dying
                          -- group, so signal_deliver shows 9; the signal
                          -- really sent is the last default-fatal
                          -- signal_generate to the process before that
                          -- (exit_source 'signal_generate').  Without that
                          -- event (exit_source 'signal') 9 may stand for
                          -- any fatal signal; the kprobe backend's do_exit
                          -- gives it exactly.
  exit_source TEXT,       -- evidence of the status: 'exit_group' | 'exit' |
                          -- 'signal' | 'signal_generate' | 'do_exit' |
                          -- 'wait_status' | 'siginfo' | 'snapshot' (a
                          -- zombie's /proc stat exit_code)
  waitable_ns INTEGER,    -- when it became a waitable zombie: the SIGCHLD
                          -- of its exit (sent in the same locked section of
                          -- exit_notify()), or its exit when SIGCHLD was
                          -- not recorded; NULL = never (released at once,
                          -- or no SIGCHLD seen)
  reaped_ns INTEGER,      -- when a traced wait returned it (the wait's exit)
  reaper_tid INTEGER,     -- thread whose wait reaped it
  reaper_upid INTEGER,    -- process of that thread
  reap_call_id INTEGER,   -- wait_call.id of the reaping call
  released_ns INTEGER,    -- released WITHOUT a traced wait (see
                          -- release_kind): when, if known
  release_kind TEXT,      -- how it left without a traced wait:
                          --  'parent_ignores_sigchld': released at its exit
                          --    because the parent's SIGCHLD is SIG_IGN (or
                          --    SA_NOCLDWAIT): no zombie at all
                          --  'reparented_to_ignoring_parent': a zombie
                          --    handed at its parent's exit to a parent that
                          --    ignores SIGCHLD, released on the spot
                          --  'pidns_teardown': its pid namespace's init
                          --    exited; the kernel killed and reaped it
                          --  'unseen': gone by the end, no recorded fact
                          --    says how (SA_NOCLDWAIT, a wait outside the
                          --    recording's scope, io_uring's waitid, a
                          --    32-bit caller, or lost events)
                          -- NULL: reaped by a traced wait, or still there
  release_evidence TEXT,  -- the facts behind release_kind, in words
  freed_ns INTEGER,       -- sched_process_free of its leader: the task is
                          -- gone (after a reap, or a release)
  from_snapshot INTEGER,  -- 1 = in the start snapshot (fork_ns set only if
                          -- the fork was traced just before the snapshot);
                          -- 2 = known only from the stop snapshot;
                          -- 0 = seen born, or created from a later event
  zombie_at_start INTEGER, -- 1 = already a zombie in the start snapshot
                           -- (exited before the recording, time unknown);
                           -- 0 if the trace shows its fork or exit
  zombie_at_stop INTEGER,  -- 1 = a zombie in the stop snapshot
  in_stop_snapshot INTEGER, -- 1 = present (alive or zombie) in the stop
                            -- snapshot, 0 = absent, NULL = no stop snapshot
  ppid_at_stop INTEGER,   -- ppid in the stop snapshot (shows reparenting)
  ignores_sigchld INTEGER, -- 1 = SigIgn has SIGCHLD in a snapshot (or was
                           -- inherited from a parent that had it): its
                           -- children are released at exit; 0 = not
                           -- ignored; NULL = unknown
  sigchld_ns INTEGER,     -- SIGCHLD generated for its exit (signal_generate,
                          -- code CLD_EXITED/KILLED/DUMPED)
  sigchld_code INTEGER,   -- that SIGCHLD's si_code (1 exited, 2 killed,
                          -- 3 dumped)
  sigchld_result INTEGER, -- its trace result: 0 delivered (a handler), 1
                          -- ignored (the parent's SIGCHLD is SIG_DFL,
                          -- possibly with SA_NOCLDWAIT), 2 already pending.
                          -- No SIGCHLD at all for an exit while
                          -- signal_generate was recorded = the parent's
                          -- SIGCHLD was SIG_IGN
  sigchld_target_tid INTEGER, -- the thread that SIGCHLD went to (the real
                          -- parent, or a ptrace tracer)
  sigchld_received INTEGER, -- SIGCHLDs the kernel sent to this process (any
                          -- child, any si_code)
  traced INTEGER,         -- 1 = in the recording's scope, its events were
                          -- recorded (system scope: every process; -p or
                          -- command scope: the scope pids, their descendants
                          -- and every process the trace shows); 0 = known
                          -- only from a /proc snapshot.  Reports list only
                          -- traced processes.
  wait_calls INTEGER,     -- wait calls its threads made (wait_call rows)
  last_wait_ns INTEGER,   -- entry of the last of them (NULL: none)
  pidns_id INTEGER,       -- its pid namespace (pidns.id)
  ns_pid INTEGER,         -- its pid in that namespace (1 = the namespace's
                          -- init); NULL when not known
  ns_pid_source TEXT,     -- 'root' (the recorder's namespace: = pid) |
                          -- 'snapshot' (NSpid) | 'init' (first process of
                          -- a namespace) | 'wait' (a wait's argument or
                          -- return named it) | 'sequence' (INFERRED from
                          -- the kernel's pid allocation order)
  ns_init INTEGER,        -- 1 = pid 1 of its pid namespace
  pgid INTEGER,           -- process group (snapshot, inherited at fork)
  subreaper INTEGER,      -- 1 = PR_SET_CHILD_SUBREAPER (traced prctl, or
                          -- evidence: orphans went to it); 0 = not; NULL
                          -- unknown (born before the recording)
  reparents INTEGER,      -- how often it was moved to another parent
  ptraced INTEGER,        -- 1 = a ptrace tracer was told of its exit
  cgroup TEXT,            -- cgroup v2 path when it exited (or at the end):
                          -- the start snapshot's, inherited at fork, moved
                          -- by a traced cgroup_attach_task (table
                          -- cgroup_move), or the stop snapshot's; NULL
                          -- unknown (see cgroup_basis)
  cgroup_pids TEXT,       -- the same in the cgroup v1 pids hierarchy, on
                          -- hosts that mount one (where pids.max is)
  cgroup_basis TEXT,      -- how the cgroup is known: 'snapshot' (start
                          -- snapshot) | 'fork' (its parent's at fork:
                          -- cgroup_post_fork()) | 'move' (a traced
                          -- cgroup_attach_task / cgroup_transfer_tasks) |
                          -- 'stop_snapshot' (only the stop snapshot says,
                          -- or it contradicted the model: a move the
                          -- recording did not see) | NULL: unknown (forked
                          -- with CLONE_INTO_CGROUP into a cgroup the trace
                          -- does not name, and gone before the stop)
  container_id TEXT,      -- the container its cgroup names (common/
                          -- container_id.c: the v2 path first, then the
                          -- pids one): a 64-hex id (docker, containerd,
                          -- cri-o, podman), a name (runc, nspawn, lxc), or
                          -- a systemd unit ('nginx.service'); NULL: none
  container_runtime TEXT  -- who named it: 'docker' | 'containerd' |
                          -- 'cri-o' | 'podman' | 'kubernetes' (a CRI
                          -- runtime, cgroupfs driver) | 'runc' |
                          -- 'systemd-nspawn' | 'lxc' | 'container' (a bare
                          -- 64-hex id) | 'systemd' (a unit, no container) |
                          -- 'cri-o conmon' | 'podman conmon' | 'lxc monitor'
);

-- One row per move of a child to another parent (kernel/exit.c
-- forget_original_parent()): when a thread exits, its children go to a
-- live thread of the same process; when the process exits, to the nearest
-- subreaper ancestor in its pid namespace, else the namespace's init.
CREATE TABLE reparent (
  recording_id INTEGER NOT NULL,
  upid INTEGER NOT NULL,  -- the child
  ts_ns INTEGER,          -- when (the old parent's exit)
  from_upid INTEGER, from_tid INTEGER, -- the old parent thread
  to_upid INTEGER, to_tid INTEGER,     -- the new one
  reason TEXT,            -- 'thread' (another thread of the same process)
                          -- | 'subreaper' | 'ns_init' (init of its pid
                          -- namespace) | 'init' (pid 1 of the recorder's
                          -- namespace) | 'wait' (not by a rule: a wait by
                          -- this parent returned the child)
  evidence TEXT,          -- 'rule' (the kernel's rule on the recorded
                          -- facts) | 'SIGCHLD' (the kernel's notice went to
                          -- this parent, correcting the rule) | 'wait'
  zombie INTEGER,         -- 1 = the child had exited already
  released INTEGER        -- 1 = the new parent ignores SIGCHLD: released
);

-- One row per pid namespace the recording saw.  Id of the recorder's own
-- (level 0): the lowest of the recording.
CREATE TABLE pidns (
  id INTEGER PRIMARY KEY,
  recording_id INTEGER NOT NULL,
  inode INTEGER,          -- the /proc/PID/ns/pid inode (snapshot), if known
  level INTEGER,          -- 0 = the recorder's namespace, 1 = one below...
                          -- NULL: entered with setns(), position unknown
  parent_id INTEGER,      -- the enclosing namespace
  init_upid INTEGER,      -- its pid 1
  created_ns INTEGER,     -- when its init was forked (NULL: before)
  teardown_ns INTEGER,    -- when its init exited: the kernel killed and
                          -- reaped everything left in it
  source TEXT             -- 'root' | 'snapshot' | 'clone' (CLONE_NEWPID) |
                          -- 'unshare' | 'setns'
);

-- What the model inferred and what it checked, per recording: every
-- disagreement between an inference and a recorded fact is counted here.
CREATE TABLE model_check (
  recording_id INTEGER NOT NULL,
  name TEXT NOT NULL,     -- e.g. 'replay_disagrees', 'reap_inferred_by_replay'
  kind TEXT,              -- 'disagreement': an inference a recorded fact
                          -- contradicted; 'inference': a fact the model
                          -- supplied that the recording does not hold;
                          -- 'count': a plain count or a breakdown of another
  count INTEGER,
  meaning TEXT,           -- what is counted, in words
  PRIMARY KEY (recording_id, name)
) WITHOUT ROWID;

-- One row per fork(), vfork(), clone() or clone3() that failed (the
-- recorder keeps only failures: sys_exit_* filtered in the kernel to
-- ret < 0; ERESTARTNOINTR, which user space never sees, is left out).
-- A failed clone() may be a thread that pthread_create() could not make:
-- the exit event does not say which.
CREATE TABLE fork_failure (
  recording_id INTEGER NOT NULL,
  ts_ns INTEGER,          -- when the syscall returned
  utid INTEGER, upid INTEGER, -- the thread that tried, its process
  tid INTEGER, pid INTEGER,
  comm TEXT,              -- its process's command name
  syscall TEXT,           -- 'clone' | 'clone3' | 'fork' | 'vfork'
  ret INTEGER,            -- -errno
  errno_name TEXT,        -- 'EAGAIN': the pids cgroup's pids.max reached
                          -- (kernel/cgroup/pids.c pids_can_fork()), or
                          -- RLIMIT_NPROC, or threads-max; 'ENOMEM': no
                          -- memory, or the pid namespace's init is gone
                          -- (alloc_pid()); 'ENOSPC': pid_max or a pid
                          -- namespace's limit of pids
  pidns_id INTEGER,       -- the pid namespace of its process
  cgroup TEXT,            -- its process's cgroup v2 path then
  cgroup_pids TEXT,       -- ... and v1 pids path
  container_id TEXT,      -- the container they name (process.container_id)
  container_runtime TEXT
);

-- The pids.* files of the cgroups of the recording's processes and their
-- ancestors (pids.max may be set higher up), read by the recorder at
-- start and at stop (the file's CGROUP chunks, docs/FORMAT.md).
CREATE TABLE cgroup_limit (
  recording_id INTEGER NOT NULL,
  snapshot TEXT,          -- 'start' | 'stop'
  ts_ns INTEGER,          -- when they were read
  hierarchy TEXT,         -- 'v2' | 'pids' (the v1 pids hierarchy)
  path TEXT,              -- as in /proc/PID/cgroup
  pids_read INTEGER,      -- 1 = its pids.* files were read; 0 = not there
                          -- (the root cgroup, no pids controller enabled)
  pids_current INTEGER,   -- tasks in it and below, zombies included (a
                          -- zombie keeps its pid charged until reaped)
  pids_max INTEGER,       -- the limit; NULL: 'max' (none) or not read
  pids_peak INTEGER,      -- the most it ever held (kernels with pids.peak)
  pids_events_max INTEGER, -- forks refused at this limit so far
                           -- (pids.events "max")
  container_id TEXT,      -- the container its path names
  container_runtime TEXT
);

-- One row per move of a process to another cgroup that the recording
-- saw (cgroup_attach_task: cgroup.procs / tasks / cgroup.threads writes;
-- cgroup_transfer_tasks: v1 cpuset).
CREATE TABLE cgroup_move (
  recording_id INTEGER NOT NULL,
  ts_ns INTEGER,
  upid INTEGER,           -- the process
  tid INTEGER,            -- the task the kernel moved
  hierarchy TEXT,         -- 'v2' | 'pids'
  path TEXT,              -- the destination
  thread_only INTEGER,    -- 1 = one thread moved (not the leader): the
                          -- process's cgroup is unchanged
  transfer INTEGER        -- 1 = cgroup_transfer_tasks
);

-- One row per thread instance.
CREATE TABLE thread (
  utid INTEGER PRIMARY KEY,
  upid INTEGER NOT NULL,  -- its process instance
  tid INTEGER NOT NULL,   -- after a non-leader exec: the tid it took (= pid)
  comm TEXT,
  start_ns INTEGER,       -- clone time, or /proc starttime (snapshot)
  end_ns INTEGER,         -- sched_process_exit, NULL if not seen
  from_snapshot INTEGER,  -- 1 = in the start snapshot
  -- Its wait calls with WNOHANG (counted at load, so the polling report
  -- needs no pass over every wait_call row):
  wnohang_calls INTEGER,  -- how many
  wnohang_empty INTEGER,  -- of them, found no child ready (outcome nothing)
  wnohang_echild INTEGER, -- of them, failed with ECHILD
  wnohang_reaped INTEGER, -- of them, reaped a child
  wnohang_undriven INTEGER, -- of the empty ones, those made more than 50 ms
                          -- after the last SIGCHLD its process received (or
                          -- with none): polls no SIGCHLD drove
  wnohang_first_ns INTEGER, -- first entry
  wnohang_last_ns INTEGER   -- last return
);

-- One row per wait4/waitid call (entry + return).
CREATE TABLE wait_call (
  id INTEGER PRIMARY KEY, -- in order of entry
  recording_id INTEGER NOT NULL,
  utid INTEGER,           -- calling thread instance
  upid INTEGER,           -- calling process instance
  tid INTEGER,            -- calling thread
  pid INTEGER,            -- tgid of the calling thread
  syscall TEXT,           -- 'wait4' | 'waitid'
  idtype TEXT,            -- 'P_PID' | 'P_PGID' | 'P_ALL' | 'P_PIDFD'; wait4
                          -- pid mapped as the kernel does (>0 P_PID, -1
                          -- P_ALL, 0 own group, < -1 P_PGID -pid); NULL if
                          -- the entry was not seen
  target INTEGER,         -- P_PID: pid; P_PGID: pgid (0 = own group);
                          -- P_PIDFD: the fd number; P_ALL: NULL
  pid_arg INTEGER,        -- the raw pid argument as passed
  options INTEGER,        -- options argument
  options_text TEXT,      -- like strace: 'WNOHANG|WUNTRACED', '0' if none
  enter_ns INTEGER,       -- NULL: the call began before the recording
  exit_ns INTEGER,        -- NULL: still blocked when the recording ended
  dur_ns INTEGER,         -- exit_ns - enter_ns
  ret INTEGER,            -- return value (wait4: pid; waitid: 0) or -errno
  errno_name TEXT,        -- 'ECHILD', 'EINTR', 'ERESTARTSYS'...; NULL if ok
  outcome TEXT,           -- 'reaped'  : returned an exited child (reaped_upid)
                          -- 'report'  : a stop/continue report (a ptrace
                          --             tracer gets its tracees' stops,
                          --             threads' too, without WSTOPPED)
                          --             or a WNOWAIT peek (child_upid)
                          -- 'traced'  : a ptrace tracer told of a tracee's
                          --             exit, or a traced thread's
                          --             (child_upid: its process); the
                          --             real parent reaps it
                          -- 'nothing' : WNOHANG and no child was ready
                          -- 'unknown' : waitid succeeded, child unknown
                          -- 'error'   : ret < 0 (see errno_name)
                          -- 'blocked' : no return seen (exit_ns NULL)
  reaped_upid INTEGER,    -- the child instance this call reaped
  reap_inferred INTEGER,  -- 1 = the reaped child is INFERRED (reap_basis
                          -- 'replay' or 'deferred'): waitid through the
                          -- tracepoint does not name it; 0 otherwise
  status INTEGER,         -- wait status word as returned, when the backend
                          -- could read it (kprobe), else NULL
  target_upid INTEGER,    -- P_PID / P_PIDFD: the process instance waited
                          -- for (also when the wait failed: the child the
                          -- pid named last); NULL if unknown or no target
  target_gpid INTEGER,    -- do_wait()'s target as a global pid
                          -- (sched_process_wait: the pid, the group of
                          -- P_PGID, the pidfd's process); NULL: none seen
                          -- (P_ALL, or the pid had no process any more)
  target_basis TEXT,      -- how target_upid was found: 'event'
                          -- (sched_process_wait) | 'pid' (the argument, a
                          -- global pid) | 'nspid' (the argument in the
                          -- caller's pid namespace)
  reap_basis TEXT,        -- how the reaped child is known: 'return' (the
                          -- syscall's return value / siginfo named it) |
                          -- 'target' (waitid of a known P_PID/P_PIDFD
                          -- target) | 'replay' (INFERRED: do_wait()'s scan
                          -- replayed, first waitable child of the calling
                          -- thread's list, then the other threads') |
                          -- 'deferred' (INFERRED: a WNOHANG waitid whose
                          -- child became waitable during the call, decided
                          -- by what happened to the child later)
  replay_upid INTEGER,    -- the child the replayed scan chose, for a
                          -- reap or a WNOWAIT peek of an exit (compared
                          -- with the returned one: model_check)
  child_upid INTEGER,     -- outcome report / traced: the child reported
  error_class TEXT,       -- what a failure means: 'no_children' (ECHILD of
                          -- a wait for any child or a group: nothing left;
                          -- how a reap loop ends), 'lost_child' (ECHILD of
                          -- a wait for one child: see stolen, double_wait,
                          -- released), 'interrupted' (EINTR), 'restart'
                          -- (ERESTARTSYS & co: never seen by user space),
                          -- 'would_block' (EAGAIN, O_NONBLOCK pidfd),
                          -- 'caller_bug' (EINVAL, ESRCH, EFAULT, EBADF...)
  -- The caller's buffers: the pointers it passed (both backends) and what
  -- the kernel wrote there (kprobe backend on Linux >= 6.9 only: NULL
  -- elsewhere, and recording.wait_memory says why).  The kernel writes
  -- wait4's status and both syscalls' rusage only for a reported child
  -- (wait4 > 0, waitid a si_pid), waitid's siginfo on every return (zeros
  -- when nothing was reported or the call failed); NULL = not written.
  status_addr INTEGER,    -- wait4's stat_addr; NULL: NULL passed, a waitid,
                          -- or the entry not recorded
  infop_addr INTEGER,     -- waitid's infop, likewise
  rusage_addr INTEGER,    -- the struct rusage pointer, likewise
  status_text TEXT,       -- status as strace prints it:
                          -- '[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]'
  si_signo INTEGER,       -- the siginfo waitid wrote: SIGCHLD (17) or 0
  si_code INTEGER,        -- CLD_EXITED 1, KILLED 2, DUMPED 3, TRAPPED 4,
                          -- STOPPED 5, CONTINUED 6; 0 nothing reported
  si_pid INTEGER,         -- the child, a pid of the caller's namespace
  si_uid INTEGER,         -- the child's uid in the caller's user namespace
  si_status INTEGER,      -- exit code (CLD_EXITED) or signal
  siginfo_text TEXT,      -- as strace prints it: '{si_signo=SIGCHLD,
                          -- si_code=CLD_EXITED, si_pid=42, si_uid=0,
                          -- si_status=3}', '{}' when zeroed
  ru_utime_us INTEGER,    -- the struct rusage written (getrusage
                          -- RUSAGE_BOTH of the child: its own and its
                          -- reaped descendants'): user CPU time, us
  ru_stime_us INTEGER,    -- system CPU time, us
  ru_maxrss_kb INTEGER,   -- max resident set size, KiB
  ru_minflt INTEGER,      -- page faults without I/O
  ru_majflt INTEGER,      -- page faults with I/O
  ru_nvcsw INTEGER,       -- voluntary context switches
  ru_nivcsw INTEGER,      -- involuntary context switches
  rusage_text TEXT        -- as strace -v prints it, '...' for the fields
                          -- not recorded: '{ru_utime={tv_sec=0,
                          -- tv_usec=1843}, ru_stime={...}, ru_maxrss=3412,
                          -- ru_minflt=120, ru_majflt=0, ru_nvcsw=2,
                          -- ru_nivcsw=1, ...}'
);

-- Small partial indexes: failed calls, and the victims of stolen_v and
-- double_wait_v.  Created before the load, unlike the others: for the few
-- rows they hold, testing each row at insert is cheaper than a scan of the
-- finished table (measured: bench/README.md).
CREATE INDEX wait_call_failed ON wait_call(upid, errno_name, exit_ns)
  WHERE ret < 0;
CREATE INDEX wait_call_victim ON wait_call(target_upid)
  WHERE idtype IN ('P_PID', 'P_PIDFD')
    AND (errno_name = 'ECHILD' OR exit_ns IS NULL);
-- The completed blocking (not WNOHANG) waits, per process in duration
-- order, for the latency report: without it that report scans every row
-- (1.4 s for 10 M WNOHANG polls, 2 ms with it).  Its WHERE must stay
-- implied by the report's, word for word.
CREATE INDEX wait_call_blocking ON wait_call(upid, dur_ns)
  WHERE (options & 1) = 0 AND dur_ns IS NOT NULL AND upid IS NOT NULL;

-- wait_call rows counted by syscall, idtype, outcome and errno_name
-- (computed at load; the summary reads this instead of every call).
CREATE TABLE wait_outcome (
  recording_id INTEGER NOT NULL,
  syscall TEXT, idtype TEXT, outcome TEXT, errno_name TEXT,
  calls INTEGER,          -- number of wait_call rows with these values
  reap_inferred INTEGER   -- of them, reaps whose child was inferred
);

-- Per-CPU ring buffer statistics read at stop, and losses seen in the data.
CREATE TABLE stats (
  recording_id INTEGER NOT NULL,
  cpu INTEGER NOT NULL,
  entries INTEGER,        -- per_cpu/cpuN/stats, NULL if not recorded
  overrun INTEGER,        -- events overwritten (lost)
  commit_overrun INTEGER, -- events the writer could not reserve (lost)
  dropped INTEGER,        -- events dropped (lost)
  read_events INTEGER,
  missed_in_pages INTEGER, -- sum of missed-event counts in page headers
  lost_markers INTEGER,   -- places in the stream where events were lost
  PRIMARY KEY (recording_id, cpu)
) WITHOUT ROWID;

-- Signal numbers to names (x86/arm generic numbering).
CREATE TABLE signal_name (sig INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO signal_name VALUES
  (1,'SIGHUP'),(2,'SIGINT'),(3,'SIGQUIT'),(4,'SIGILL'),(5,'SIGTRAP'),
  (6,'SIGABRT'),(7,'SIGBUS'),(8,'SIGFPE'),(9,'SIGKILL'),(10,'SIGUSR1'),
  (11,'SIGSEGV'),(12,'SIGUSR2'),(13,'SIGPIPE'),(14,'SIGALRM'),(15,'SIGTERM'),
  (16,'SIGSTKFLT'),(17,'SIGCHLD'),(18,'SIGCONT'),(19,'SIGSTOP'),(20,'SIGTSTP'),
  (21,'SIGTTIN'),(22,'SIGTTOU'),(23,'SIGURG'),(24,'SIGXCPU'),(25,'SIGXFSZ'),
  (26,'SIGVTALRM'),(27,'SIGPROF'),(28,'SIGWINCH'),(29,'SIGIO'),(30,'SIGPWR'),
  (31,'SIGSYS'),(32,'SIG32'),(33,'SIG33'),(34,'SIGRTMIN');
INSERT INTO signal_name
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
  SELECT 34 + i, 'SIGRTMIN+' || i FROM n;

-- ---- views shared by the reports and the summary ------------------------
-- Each finding is defined once here, so `summary` counts exactly the rows
-- the detailed report lists.

-- How each process ended, as text: 'exited 3', 'killed SIGTERM', 'unknown'
-- (exited, status not seen), 'running' (not seen exiting).  A SIGKILL seen
-- only as a signal delivery may stand for any fatal signal that does not
-- dump core (see process.exit_signal), hence '(SIGKILL or ...)'.
CREATE VIEW process_status AS
SELECT p.upid,
       CASE
         WHEN p.exit_code IS NOT NULL THEN 'exited ' || p.exit_code
         WHEN p.exit_signal = 9 AND p.exit_source = 'signal'
           THEN 'killed (SIGKILL or other fatal signal)'
         WHEN p.exit_signal IS NOT NULL
           THEN 'killed ' || COALESCE(s.name, 'signal ' || p.exit_signal)
         WHEN p.exit_ns IS NOT NULL OR p.zombie_at_start = 1
              OR p.zombie_at_stop = 1 THEN 'unknown'
         ELSE 'running'
       END AS status
FROM process p LEFT JOIN signal_name s ON s.sig = p.exit_signal;

-- The children a recording can speak for: traced processes whose parent
-- (at exit) is traced too, so its waits were recorded.  The summary counts
-- forks, exits, reaps and zombies over this one set.
CREATE VIEW child_v AS
SELECT c.*
FROM process c JOIN process par ON par.upid = c.parent_upid
WHERE c.traced = 1 AND par.traced = 1;

-- Zombies: exited (or a zombie in a snapshot), no traced wait returned
-- them, not released (release_kind), and still there at the end: a zombie
-- in the stop snapshot, or, without one, not freed.
CREATE VIEW zombie_v AS
SELECT p.*
FROM process p JOIN recording r ON r.id = p.recording_id
WHERE p.traced = 1
  AND p.reap_call_id IS NULL
  AND p.release_kind IS NULL
  AND p.freed_ns IS NULL
  AND (p.zombie_at_stop = 1
       OR ((p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
           AND r.stop_snapshot_ns IS NULL));

-- Released without a traced wait, by how (process.release_kind) and the
-- evidence for it (release_evidence).  Only children whose parent is
-- traced: the waits of an untraced parent were not recorded.
CREATE VIEW released_v AS
SELECT c.* FROM child_v c WHERE c.release_kind IS NOT NULL;

-- Auto-reaped: released by the kernel because their parent ignores
-- SIGCHLD, at their exit or when handed to such a parent as zombies.  The
-- evidence column says which facts show it.
CREATE VIEW autoreap_v AS
SELECT c.*, c.release_evidence AS evidence
FROM released_v c
WHERE c.release_kind IN ('parent_ignores_sigchld',
                         'reparented_to_ignoring_parent');

-- Stolen reaps: a wait for one specific child (P_PID, P_PIDFD: its
-- target_upid) failed with ECHILD or was still blocked at the end, because
-- another wait had taken that child: a wait for any child or a group
-- (P_ALL, P_PGID: another thread's wait(-1), a SIGCHLD handler's loop, even
-- on the victim's own thread), or a wait of another thread.  The thief's
-- call began before the victim's ended (the reap happens inside the
-- thief's syscall, which on two CPUs may return after the victim's ECHILD).
-- A thread waiting a second time for a child its own targeted wait already
-- reaped is a double wait (double_wait_v), not a steal.
CREATE VIEW stolen_v AS
SELECT v.id AS victim_call_id, v.recording_id, v.tid AS victim_tid,
       v.upid AS victim_upid, v.pid AS victim_pid, v.syscall AS victim_syscall,
       v.idtype AS victim_idtype,
       v.enter_ns AS victim_enter_ns, v.exit_ns AS victim_exit_ns,
       COALESCE(v.errno_name, 'blocked at end') AS victim_result,
       c.upid AS child_upid, c.pid AS child_pid,
       t.id AS thief_call_id, t.tid AS thief_tid, t.upid AS thief_upid,
       t.syscall AS thief_syscall, t.idtype AS thief_idtype,
       t.enter_ns AS thief_enter_ns, t.exit_ns AS thief_exit_ns,
       COALESCE(v.exit_ns, r.end_ns) - t.exit_ns AS gap_ns
FROM wait_call v
JOIN recording r ON r.id = v.recording_id
JOIN process c ON c.upid = v.target_upid
JOIN wait_call t ON t.id = c.reap_call_id
WHERE v.idtype IN ('P_PID', 'P_PIDFD')
  AND (v.errno_name = 'ECHILD' OR v.exit_ns IS NULL)
  AND t.id <> v.id
  AND COALESCE(t.enter_ns, r.start_ns) < COALESCE(v.exit_ns, r.end_ns)
  AND (t.idtype IN ('P_ALL', 'P_PGID') OR t.utid <> v.utid
       OR t.idtype IS NULL);

-- Double waits: a thread waited again for a child that its own earlier
-- targeted wait (P_PID, P_PIDFD) had already reaped, and got ECHILD (or
-- blocked to the end): a bug in the program, not a race with anyone.
CREATE VIEW double_wait_v AS
SELECT v.id AS call_id, v.recording_id, v.tid, v.upid, v.pid,
       v.syscall, v.idtype, v.enter_ns, v.exit_ns,
       COALESCE(v.errno_name, 'blocked at end') AS result,
       c.upid AS child_upid, c.pid AS child_pid,
       t.id AS first_call_id, t.exit_ns AS first_exit_ns
FROM wait_call v
JOIN process c ON c.upid = v.target_upid
JOIN wait_call t ON t.id = c.reap_call_id
WHERE v.idtype IN ('P_PID', 'P_PIDFD')
  AND (v.errno_name = 'ECHILD' OR v.exit_ns IS NULL)
  AND t.id <> v.id AND t.utid = v.utid
  AND t.idtype IN ('P_PID', 'P_PIDFD') AND t.target_upid = c.upid
  AND t.exit_ns <= COALESCE(v.enter_ns, t.exit_ns);

-- Namespace inits that keep inherited zombies: the init (pid 1) of a pid
-- namespace below the recorder's (a container's PID 1) was handed
-- children of other processes (their original_parent_upid is another:
-- orphans reparented to it) that are zombies now, and it has not waited
-- since the first of them became waitable: a PID 1 that does not reap
-- orphans.  One row per such init: how many zombies, since when.
CREATE VIEW orphan_init_v AS
SELECT i.recording_id, i.upid AS init_upid, i.pid AS init_pid,
       i.ns_pid AS init_ns_pid, i.comm AS init_comm, i.pidns_id,
       count(*) AS zombies,
       min(COALESCE(z.waitable_ns, z.exit_ns)) AS first_waitable_ns,
       i.wait_calls, i.last_wait_ns
FROM zombie_v z JOIN process i ON i.upid = z.parent_upid
WHERE i.ns_init = 1
  AND z.original_parent_upid IS NOT i.upid
  AND (i.last_wait_ns IS NULL
       OR i.last_wait_ns < COALESCE(z.waitable_ns, z.exit_ns))
GROUP BY i.upid;

-- Polling: threads that SPIN on wait with WNOHANG.  An event loop that
-- calls waitpid(..., WNOHANG) after each SIGCHLD (bash, make, libuv,
-- CPython) is doing it right; a thread spins when its empty WNOHANG calls
-- (found no child ready) that no SIGCHLD drove - made more than 50 ms after
-- the last SIGCHLD its process received, or with none - come at 500 or
-- more a second, at least 100 of them.  rate_per_s is over the span of the
-- thread's WNOHANG calls.
CREATE VIEW polling_v AS
SELECT p.recording_id, t.utid, t.upid, t.tid, p.pid,
       t.wnohang_calls AS calls, t.wnohang_empty AS empty,
       t.wnohang_echild AS echild, t.wnohang_reaped AS reaped,
       t.wnohang_undriven AS undriven,
       p.sigchld_received AS sigchlds,
       t.wnohang_first_ns AS first_ns, t.wnohang_last_ns AS last_ns,
       t.wnohang_undriven * 1e9 /
         max(t.wnohang_last_ns - t.wnohang_first_ns, 1000000) AS rate_per_s
FROM thread t
JOIN process p ON p.upid = t.upid
WHERE t.wnohang_undriven >= 100
  AND t.wnohang_undriven * 1e9 /
      max(t.wnohang_last_ns - t.wnohang_first_ns, 1000000) >= 500;

-- The processes the reports that honour `wtrec analyze --container`
-- look at (tree, containers): all of them.  `--container ID|PATH` puts a
-- TEMP view of the same name in front of this one (TEMP objects shadow
-- the database's) with only that container's processes; in plain sqlite3,
-- CREATE TEMP VIEW scope_process AS SELECT upid FROM process WHERE ...
-- does the same.
CREATE VIEW scope_process AS SELECT upid FROM process;

-- Which container (cgroup, pid namespace) each traced process belongs
-- to: its cgroup in the pids hierarchy where the host has one (that is
-- where pids.max is), else its v2 cgroup, at its exit or at the end.
CREATE VIEW container_member_v AS
SELECT p.upid, p.recording_id, p.pidns_id,
       CASE WHEN p.cgroup_pids IS NOT NULL THEN 'pids' ELSE 'v2' END
         AS hierarchy,
       COALESCE(p.cgroup_pids, p.cgroup, '(unknown)') AS cgroup,
       p.container_id, p.container_runtime
FROM process p
WHERE p.traced = 1;

-- One row per container: a (cgroup, pid namespace) pair with traced
-- processes or failed forks.  zombies_start: zombies of the start
-- snapshot; zombies_end: zombie_v rows; forks_failed: fork_failure rows
-- (their cgroup when the fork failed); fork_errnos: 'EAGAIN 3, ENOMEM 1'.
CREATE VIEW container_v AS
WITH mem AS (
  SELECT m.recording_id, m.cgroup, m.pidns_id, max(m.hierarchy) AS hierarchy,
         max(m.container_id) AS container_id,
         max(m.container_runtime) AS container_runtime,
         count(*) AS processes,
         sum(p.zombie_at_start = 1) AS zombies_start,
         sum(z.upid IS NOT NULL) AS zombies_end
  FROM container_member_v m
  JOIN process p ON p.upid = m.upid
  LEFT JOIN zombie_v z ON z.upid = m.upid
  GROUP BY m.recording_id, m.cgroup, m.pidns_id
),
fe AS (
  SELECT recording_id, COALESCE(cgroup_pids, cgroup, '(unknown)') AS cgroup,
         pidns_id,
         CASE WHEN cgroup_pids IS NOT NULL THEN 'pids' ELSE 'v2' END
           AS hierarchy,
         max(container_id) AS container_id,
         max(container_runtime) AS container_runtime,
         errno_name, count(*) AS n
  FROM fork_failure GROUP BY 1, 2, 3, errno_name
),
ff AS (
  SELECT recording_id, cgroup, pidns_id, max(hierarchy) AS hierarchy,
         max(container_id) AS container_id,
         max(container_runtime) AS container_runtime,
         sum(n) AS forks_failed,
         group_concat(errno_name || ' ' || n, ', ') AS fork_errnos
  FROM (SELECT * FROM fe ORDER BY n DESC, errno_name)
  GROUP BY 1, 2, 3
),
g AS (
  SELECT recording_id, cgroup, pidns_id FROM mem
  UNION SELECT recording_id, cgroup, pidns_id FROM ff
)
SELECT g.recording_id, g.cgroup, g.pidns_id,
       COALESCE(mem.hierarchy, ff.hierarchy) AS hierarchy,
       COALESCE(mem.container_id, ff.container_id) AS container_id,
       COALESCE(mem.container_runtime, ff.container_runtime)
         AS container_runtime,
       COALESCE(mem.processes, 0) AS processes,
       COALESCE(mem.zombies_start, 0) AS zombies_start,
       COALESCE(mem.zombies_end, 0) AS zombies_end,
       COALESCE(ff.forks_failed, 0) AS forks_failed,
       ff.fork_errnos,
       n.init_upid
FROM g
LEFT JOIN mem ON mem.recording_id = g.recording_id AND mem.cgroup = g.cgroup
             AND mem.pidns_id IS g.pidns_id
LEFT JOIN ff ON ff.recording_id = g.recording_id AND ff.cgroup = g.cgroup
            AND ff.pidns_id IS g.pidns_id
LEFT JOIN pidns n ON n.id = g.pidns_id;

-- @after-load: indexes, created once the rows are in (faster bulk load).
CREATE INDEX process_pid ON process(recording_id, pid);
CREATE INDEX process_parent ON process(parent_upid);
CREATE INDEX reparent_child ON reparent(upid);
CREATE INDEX thread_upid ON thread(upid);
CREATE INDEX fork_failure_upid ON fork_failure(upid);
