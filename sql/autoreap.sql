-- autoreap: which children exited and vanished without any wait returning
-- them?  The kernel releases a child at once when its parent ignores
-- SIGCHLD (SIG_IGN) or set SA_NOCLDWAIT; init or a subreaper reaps children
-- whose parent died first.  Either way the parent's later waits get ECHILD.
--
-- Columns:
--   pid, comm                the child
--   parent_pid, parent_comm  its parent
--   exit_ms                  exit time (ms since the recording started;
--                            NULL for a zombie already at start)
--   freed_ms                 sched_process_free: the task was released
--   evidence                 why it was reaped without a wait: 'parent
--                            exited first (reparented)', 'parent ignores
--                            SIGCHLD (SigIgn)', 'no SIGCHLD generated (parent
--                            SIG_IGN)', 'parent's later wait got ECHILD
--                            (SA_NOCLDWAIT?)', 'SIGCHLD ignored, child
--                            released (SA_NOCLDWAIT?)', 'unknown (...)'
--   parent_echild_waits      waits by the parent that then failed with ECHILD
--   first_echild_ms          the first of them
SELECT a.pid,
       a.comm,
       par.pid AS parent_pid,
       par.comm AS parent_comm,
       CASE WHEN a.exit_ns IS NOT NULL
            THEN printf('%.3f', (a.exit_ns - r.start_ns) / 1e6) END AS exit_ms,
       CASE WHEN a.freed_ns IS NOT NULL
            THEN printf('%.3f', (a.freed_ns - r.start_ns) / 1e6) END AS freed_ms,
       a.evidence,
       (SELECT count(*) FROM wait_call w
         WHERE w.ret < 0 AND w.upid = a.parent_upid AND w.errno_name = 'ECHILD'
           AND w.exit_ns >= COALESCE(a.exit_ns, r.start_ns)) AS parent_echild_waits,
       (SELECT printf('%.3f', (min(w.exit_ns) - r.start_ns) / 1e6) FROM wait_call w
         WHERE w.ret < 0 AND w.upid = a.parent_upid AND w.errno_name = 'ECHILD'
           AND w.exit_ns >= COALESCE(a.exit_ns, r.start_ns)
        HAVING count(*) > 0) AS first_echild_ms
FROM autoreap_v a
JOIN recording r ON r.id = a.recording_id
LEFT JOIN process par ON par.upid = a.parent_upid
ORDER BY a.recording_id, COALESCE(a.exit_ns, 0), a.upid;
