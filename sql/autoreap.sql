-- autoreap: which children did the kernel release without any wait,
-- because their parent ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT)?  Such a
-- parent loses every exit status, and its waits get ECHILD (view
-- autoreap_v).  Released at its exit, or - a zombie handed on when its
-- parent died - when it reached a parent that ignores SIGCHLD.  Children
-- released another way (pid namespace teardown, or gone with no recorded
-- fact saying how) are in the released report.
--
-- Columns:
--   pid, comm                the child
--   parent_pid, parent_comm  the parent that ignores SIGCHLD
--   exit_ms                  exit time (ms since the recording started;
--                            NULL for a zombie already at start)
--   released_ms              when the kernel released it
--   how                      'at its exit' / 'when reparented'
--   evidence                 the facts that show it (release_evidence)
--   parent_echild_waits      waits by the parent that then failed with ECHILD
--   first_echild_ms          the first of them
SELECT a.pid,
       a.comm,
       par.pid AS parent_pid,
       par.comm AS parent_comm,
       CASE WHEN a.exit_ns IS NOT NULL
            THEN printf('%.3f', (a.exit_ns - r.start_ns) / 1e6) END AS exit_ms,
       CASE WHEN a.released_ns IS NOT NULL
            THEN printf('%.3f', (a.released_ns - r.start_ns) / 1e6) END AS released_ms,
       CASE a.release_kind WHEN 'parent_ignores_sigchld' THEN 'at its exit'
            ELSE 'when reparented' END AS how,
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
