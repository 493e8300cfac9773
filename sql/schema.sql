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
PRAGMA user_version = 1;             -- schema version; bumped on change

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
  lost_events INTEGER,    -- events the kernel dropped (overrun + dropped);
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
  stop_snapshot_ns INTEGER   -- ts of the /proc snapshot at stop, NULL if none
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
  pid INTEGER NOT NULL,   -- tgid
  comm TEXT,              -- last known command name (exec basename, <= 15)
  parent_upid INTEGER,    -- parent instance (the process whose threads may
                          -- wait for it); NULL when unknown
  ppid INTEGER,           -- parent pid (snapshot ppid, or the parent's pid)
  start_ns INTEGER,       -- task start: fork time, or /proc starttime for
                          -- processes of the start snapshot (tick precision)
  fork_ns INTEGER,        -- sched_process_fork seen; NULL = born before the
                          -- recording (or fork not seen)
  fork_tid INTEGER,       -- thread that forked it
  exec_ns INTEGER,        -- last exec
  exit_ns INTEGER,        -- last thread exited: from here on a zombie
                          -- (unless auto-reaped); NULL = not seen exiting
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
                          -- 'wait_status' | 'siginfo'
  reaped_ns INTEGER,      -- when a wait returned it (the wait's exit time)
  reaper_tid INTEGER,     -- thread whose wait reaped it
  reaper_upid INTEGER,    -- process of that thread
  reap_call_id INTEGER,   -- wait_call.id of the reaping call
  freed_ns INTEGER,       -- sched_process_free of its leader: the task is
                          -- gone (after a reap, or an auto-reap)
  from_snapshot INTEGER,  -- 1 = in the start snapshot (fork_ns set only if
                          -- the fork was traced just before the snapshot);
                          -- 2 = known only from the stop snapshot;
                          -- 0 = seen born, or created from a later event
  zombie_at_start INTEGER, -- 1 = already a zombie in the start snapshot
                           -- (exited before the recording, time unknown);
                           -- 0 if the trace shows its fork or exit (the
                           -- /proc scan ran after them)
  zombie_at_stop INTEGER,  -- 1 = a zombie in the stop snapshot
  in_stop_snapshot INTEGER, -- 1 = present (alive or zombie) in the stop
                            -- snapshot, 0 = absent, NULL = no stop snapshot
  ppid_at_stop INTEGER,   -- ppid in the stop snapshot (shows reparenting)
  ignores_sigchld INTEGER, -- 1 = SigIgn has SIGCHLD in a snapshot: its
                           -- children are auto-reaped; 0 = a snapshot says
                           -- not ignored; NULL = never in a snapshot
  sigchld_ns INTEGER,     -- SIGCHLD generated for its exit (signal_generate,
                          -- code CLD_EXITED/KILLED/DUMPED)
  sigchld_code INTEGER,   -- that SIGCHLD's si_code (1 exited, 2 killed,
                          -- 3 dumped)
  sigchld_result INTEGER, -- its trace result: 0 delivered (a handler), 1
                          -- ignored (parent's SIGCHLD is SIG_DFL, possibly
                          -- with SA_NOCLDWAIT), 2 already pending.  No
                          -- SIGCHLD at all for an exit while signal_generate
                          -- was enabled = the parent had SIG_IGN.
  traced INTEGER,         -- 1 = in the recording's scope, its events were
                          -- recorded (system scope: every process; -p or
                          -- command scope: the scope pids, their descendants
                          -- and every process the trace shows); 0 = known
                          -- only from a /proc snapshot.  Reports list only
                          -- traced processes.
  wait_calls INTEGER,     -- wait calls its threads made (wait_call rows)
  last_wait_ns INTEGER    -- entry of the last of them (NULL: none)
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
                          -- 'report'  : a stop/continue report, a WNOWAIT
                          --             peek, or a ptrace notification
                          -- 'nothing' : WNOHANG and no child was ready
                          -- 'unknown' : waitid succeeded, child unknown
                          -- 'error'   : ret < 0 (see errno_name)
                          -- 'blocked' : no return seen (exit_ns NULL)
  reaped_upid INTEGER,    -- the child instance this call reaped
  reap_inferred INTEGER,  -- 1 = waitid success whose child was inferred (the
                          -- tracepoint does not say which child): the earliest
                          -- forked exited child that matched; 0 otherwise
  status INTEGER          -- wait status word as returned, when the backend
                          -- could read it (kprobe), else NULL
);

-- Small partial indexes: failed calls, and the candidates of stolen_v.
-- Created before the load, unlike the others: for the few rows they hold,
-- testing each inserted row against the WHERE costs ~400 instructions a
-- row, a scan of the finished table ~1,300 (callgrind, bench/README.md).
CREATE INDEX wait_call_failed ON wait_call(upid, errno_name, exit_ns)
  WHERE ret < 0;
CREATE INDEX wait_call_victim ON wait_call(recording_id, target)
  WHERE idtype = 'P_PID' AND (errno_name = 'ECHILD' OR exit_ns IS NULL);
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
  commit_overrun INTEGER,
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

-- Zombies: exited (or a zombie in a snapshot), no wait returned them, not
-- freed, and not absent from the stop snapshot, i.e. still zombies when the
-- recording ended.
CREATE VIEW zombie_v AS
SELECT p.*
FROM process p JOIN recording r ON r.id = p.recording_id
WHERE p.traced = 1
  AND p.reap_call_id IS NULL
  AND p.freed_ns IS NULL
  AND (p.zombie_at_stop = 1
       OR ((p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
           AND NOT (r.stop_snapshot_ns IS NOT NULL
                    AND COALESCE(p.in_stop_snapshot, 0) = 0)));

-- Auto-reaped: exited (or a zombie at start), no wait returned them, and
-- they vanished: freed, or absent from the stop snapshot.  `evidence` says
-- why the kernel (or someone outside the recording) reaped them.  Children
-- of a parent outside the recording's scope (like the traced command,
-- reaped by the recorder) are left out: their waits were not recorded.
CREATE VIEW autoreap_v AS
SELECT p.*,
       CASE
         WHEN par.exit_ns IS NOT NULL
              AND par.exit_ns <= COALESCE(p.exit_ns, r.end_ns)
           THEN 'parent exited first (reparented)'
         WHEN par.ignores_sigchld = 1
           THEN 'parent ignores SIGCHLD (SigIgn)'
         WHEN p.exit_ns IS NOT NULL AND p.sigchld_ns IS NULL
              AND instr(',' || COALESCE(r.enabled_events, '') || ',',
                        ',signal:signal_generate,') > 0
              AND instr(',' || COALESCE(r.missing_events, '') || ',',
                        ',signal:signal_generate,') = 0
           THEN 'no SIGCHLD generated (parent SIG_IGN)'
         WHEN EXISTS (SELECT 1 FROM wait_call w
                      WHERE w.ret < 0 AND w.upid = p.parent_upid
                        AND w.errno_name = 'ECHILD'
                        AND w.exit_ns >= COALESCE(p.exit_ns, r.start_ns))
           THEN 'parent''s later wait got ECHILD (SA_NOCLDWAIT?)'
         WHEN p.sigchld_result = 1
           THEN 'SIGCHLD ignored, child released (SA_NOCLDWAIT?)'
         ELSE 'unknown (reaped outside the recording, or events lost)'
       END AS evidence
FROM process p
JOIN recording r ON r.id = p.recording_id
LEFT JOIN process par ON par.upid = p.parent_upid
WHERE p.traced = 1 AND par.traced = 1
  AND p.reap_call_id IS NULL
  AND (p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
  AND COALESCE(p.zombie_at_stop, 0) = 0
  AND (p.freed_ns IS NOT NULL
       OR (r.stop_snapshot_ns IS NOT NULL
           AND COALESCE(p.in_stop_snapshot, 0) = 0));

-- Stolen reaps: a wait for one specific child (P_PID) that failed with
-- ECHILD, or was still blocked at the end, because another call had already
-- reaped that child (an instance with pid = target whose parent is the
-- caller's process, reaped by a different call before the victim returned).
-- With pid reuse, the latest such instance is the one meant.
CREATE VIEW stolen_v AS
SELECT v.id AS victim_call_id, v.recording_id, v.tid AS victim_tid,
       v.upid AS victim_upid, v.pid AS victim_pid, v.syscall AS victim_syscall,
       v.enter_ns AS victim_enter_ns, v.exit_ns AS victim_exit_ns,
       COALESCE(v.errno_name, 'blocked at end') AS victim_result,
       c.upid AS child_upid, c.pid AS child_pid,
       t.id AS thief_call_id, t.tid AS thief_tid, t.upid AS thief_upid,
       t.syscall AS thief_syscall, t.idtype AS thief_idtype,
       t.exit_ns AS thief_exit_ns,
       COALESCE(v.exit_ns, r.end_ns) - t.exit_ns AS gap_ns
FROM wait_call v
JOIN recording r ON r.id = v.recording_id
JOIN process c ON c.recording_id = v.recording_id AND c.pid = v.target
              AND c.parent_upid = v.upid
JOIN wait_call t ON t.id = c.reap_call_id
WHERE v.idtype = 'P_PID' AND (v.errno_name = 'ECHILD' OR v.exit_ns IS NULL)
  AND t.id <> v.id
  AND t.exit_ns <= COALESCE(v.exit_ns, r.end_ns)
  AND NOT EXISTS (
    SELECT 1 FROM process c2
    WHERE c2.recording_id = c.recording_id AND c2.pid = c.pid
      AND c2.parent_upid = c.parent_upid AND c2.reaped_ns > c.reaped_ns
      AND c2.reaped_ns <= COALESCE(v.exit_ns, r.end_ns));

-- Polling: threads calling wait with WNOHANG, when at least half of >= 3
-- calls found nothing, or when they made >= 100 such calls.
CREATE VIEW polling_v AS
SELECT p.recording_id, t.utid, t.upid, t.tid, p.pid,
       t.wnohang_calls AS calls, t.wnohang_empty AS empty,
       t.wnohang_echild AS echild,
       t.wnohang_first_ns AS first_ns, t.wnohang_last_ns AS last_ns,
       max(COALESCE(t.start_ns, r.start_ns), r.start_ns) AS span_start_ns,
       min(COALESCE(t.end_ns, r.end_ns), r.end_ns) AS span_end_ns
FROM thread t
JOIN process p ON p.upid = t.upid
JOIN recording r ON r.id = p.recording_id
WHERE t.wnohang_calls > 0
  AND ((t.wnohang_calls >= 3 AND t.wnohang_empty * 2 >= t.wnohang_calls)
       OR t.wnohang_calls >= 100);

-- @after-load: indexes, created once the rows are in (faster bulk load).
CREATE INDEX process_pid ON process(recording_id, pid);
CREATE INDEX process_parent ON process(parent_upid);
CREATE INDEX thread_upid ON thread(upid);
