-- children: what happened to each child process during the recording -
-- when it was forked, how it ended, who reaped it and how long that took.
--
-- One row per child process instance (a process with a known parent, in
-- the recording's scope) that was forked, exited, reaped or a zombie during
-- the recording; children that were merely alive throughout are left out.  Times are ms since the
-- recording started (NULL = not seen).
--
-- Columns:
--   parent_pid, parent_comm  the parent process (any of its threads may wait)
--   pid, comm                the child
--   fork_ms, exit_ms         fork and exit (last thread gone) times
--   status                   'exited N' | 'killed SIGX' | 'unknown' |
--                            'running' (view process_status)
--   reap_ms                  when a wait returned it
--   reaper_tid, reaper_comm  the thread whose wait reaped it, its process
--   reap_call                wait_call id and syscall(idtype) of that wait
--   latency_ms               exit -> reap
--   user_ms, sys_ms          CPU time the child used (user, system), and
--   maxrss_kb                its largest resident set, KiB: the struct
--                            rusage the reaping wait got (the kernel's
--                            RUSAGE_BOTH: the child's own and that of its
--                            descendants it reaped); NULL unless the
--                            recording read it (kprobe backend, Linux >=
--                            6.9, and the wait passed a rusage buffer:
--                            recording.wait_memory)
--   note                     'not parent' (reaped by another process than
--                            the parent at exit), 'inferred' (waitid: child
--                            inferred), 'zombie', 'auto-reaped',
--                            'pidns-teardown', 'gone-unseen' (released
--                            without a traced wait: see the released
--                            report), 'reparented' (its parent at exit is
--                            not the one that forked it), 'zombie-at-start'
SELECT par.pid AS parent_pid,
       par.comm AS parent_comm,
       c.pid,
       c.comm,
       CASE WHEN c.fork_ns IS NOT NULL
            THEN printf('%.3f', (c.fork_ns - r.start_ns) / 1e6) END AS fork_ms,
       CASE WHEN c.exit_ns IS NOT NULL
            THEN printf('%.3f', (c.exit_ns - r.start_ns) / 1e6) END AS exit_ms,
       st.status,
       CASE WHEN c.reaped_ns IS NOT NULL
            THEN printf('%.3f', (c.reaped_ns - r.start_ns) / 1e6) END AS reap_ms,
       c.reaper_tid,
       rp.comm AS reaper_comm,
       CASE WHEN w.id IS NOT NULL
            THEN w.id || ' ' || w.syscall || '(' || COALESCE(w.idtype, '?') || ')'
       END AS reap_call,
       CASE WHEN c.reaped_ns IS NOT NULL AND c.exit_ns IS NOT NULL
            THEN printf('%.3f', (c.reaped_ns - c.exit_ns) / 1e6) END AS latency_ms,
       CASE WHEN w.ru_utime_us IS NOT NULL
            THEN printf('%.3f', w.ru_utime_us / 1e3) END AS user_ms,
       CASE WHEN w.ru_stime_us IS NOT NULL
            THEN printf('%.3f', w.ru_stime_us / 1e3) END AS sys_ms,
       w.ru_maxrss_kb AS maxrss_kb,
       trim(
         CASE WHEN c.reaper_upid IS NOT NULL AND c.parent_upid IS NOT NULL
                   AND c.reaper_upid <> c.parent_upid THEN 'not parent ' ELSE '' END ||
         CASE WHEN w.reap_inferred = 1 THEN 'inferred ' ELSE '' END ||
         CASE WHEN c.zombie_at_start = 1 THEN 'zombie-at-start ' ELSE '' END ||
         CASE WHEN c.upid IN (SELECT upid FROM zombie_v) THEN 'zombie '
              WHEN c.release_kind IN ('parent_ignores_sigchld',
                                      'reparented_to_ignoring_parent')
                THEN 'auto-reaped '
              WHEN c.release_kind = 'pidns_teardown' THEN 'pidns-teardown '
              WHEN c.release_kind = 'unseen' THEN 'gone-unseen '
              ELSE '' END ||
         CASE WHEN c.reparents > 0 AND c.parent_upid IS NOT c.original_parent_upid
              THEN 'reparented ' ELSE '' END
       ) AS note
FROM process c
JOIN recording r ON r.id = c.recording_id
JOIN process_status st ON st.upid = c.upid
LEFT JOIN process par ON par.upid = c.parent_upid
LEFT JOIN process rp ON rp.upid = c.reaper_upid
LEFT JOIN wait_call w ON w.id = c.reap_call_id
WHERE c.traced = 1
  AND (c.parent_upid IS NOT NULL OR c.ppid IS NOT NULL)
  AND (c.fork_ns IS NOT NULL OR c.exit_ns IS NOT NULL
       OR c.reap_call_id IS NOT NULL OR c.zombie_at_start = 1
       OR c.zombie_at_stop = 1)
ORDER BY c.recording_id, COALESCE(c.fork_ns, c.start_ns, c.exit_ns), c.upid;
