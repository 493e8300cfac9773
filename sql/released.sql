-- released: which children left the process table without any traced wait
-- returning them, and how (view released_v, process.release_kind)?
--   auto-reaped             the parent ignores SIGCHLD: released at exit,
--                           or when handed as a zombie to such a parent
--   pid namespace teardown  the namespace's init exited: the kernel killed
--                           and reaped everything left in it (a container
--                           whose PID 1 ends)
--   gone, no traced wait    nothing recorded says how: SA_NOCLDWAIT, a wait
--                           outside the recording's scope, io_uring's waitid,
--                           a 32-bit caller, or lost events
--
-- Columns:
--   pid, comm                the child
--   parent_pid, parent_comm  its parent when it exited (after reparenting)
--   exit_ms                  exit time (ms since the recording started)
--   released_ms              when it was released, if known
--   zombie_ms                exit -> release: how long it was a zombie
--   how                      see above
--   evidence                 the facts behind it (release_evidence)
SELECT c.pid,
       c.comm,
       par.pid AS parent_pid,
       par.comm AS parent_comm,
       CASE WHEN c.exit_ns IS NOT NULL
            THEN printf('%.3f', (c.exit_ns - r.start_ns) / 1e6) END AS exit_ms,
       CASE WHEN c.released_ns IS NOT NULL
            THEN printf('%.3f', (c.released_ns - r.start_ns) / 1e6) END AS released_ms,
       CASE WHEN c.released_ns IS NOT NULL AND c.exit_ns IS NOT NULL
            THEN printf('%.3f', (c.released_ns - c.exit_ns) / 1e6) END AS zombie_ms,
       CASE c.release_kind
         WHEN 'parent_ignores_sigchld' THEN 'auto-reaped at exit'
         WHEN 'reparented_to_ignoring_parent' THEN 'auto-reaped when reparented'
         WHEN 'pidns_teardown' THEN 'pid namespace teardown'
         ELSE 'gone, no traced wait' END AS how,
       c.release_evidence AS evidence
FROM released_v c
JOIN recording r ON r.id = c.recording_id
LEFT JOIN process par ON par.upid = c.parent_upid
ORDER BY c.recording_id, COALESCE(c.exit_ns, 0), c.upid;
