-- stolen: which waits for one specific child (waitpid(pid), waitid(P_PID)
-- or waitid(P_PIDFD)) failed with ECHILD, or were still blocked at the end,
-- because another wait had taken that child first: a wait for any child or
-- a group (another thread's wait(-1), a SIGCHLD handler's loop - on the
-- victim's own thread too), or another thread's wait - the race of waiting
-- on "any child" (view stolen_v).  A thread that waits twice for a child
-- it reaped itself is in the double_wait report instead.
--
-- Columns:
--   victim_call, victim_tid, victim_comm  the wait that lost the child
--   victim_site              syscall(idtype) of that wait
--   victim_enter_ms          when it was called (ms since recording start)
--   victim_result            'ECHILD' / 'blocked at end'
--   victim_ms                when it failed (or the recording's end)
--   child_pid, child_comm    the child it waited for
--   thief_call, thief_tid, thief_comm  the wait that reaped the child
--   thief_site               syscall(idtype) of that wait
--   thief_ms                 when the thief returned with the child
--   gap_ms                   victim's failure - thief's return (negative
--                            when the victim's ECHILD came back first: the
--                            thief's syscall had already taken the child)
SELECT s.victim_call_id AS victim_call,
       s.victim_tid,
       vt.comm AS victim_comm,
       s.victim_syscall || '(' || COALESCE(s.victim_idtype, '?') || ')' AS victim_site,
       CASE WHEN s.victim_enter_ns IS NOT NULL
            THEN printf('%.3f', (s.victim_enter_ns - r.start_ns) / 1e6) END AS victim_enter_ms,
       s.victim_result,
       printf('%.3f', (COALESCE(s.victim_exit_ns, r.end_ns) - r.start_ns) / 1e6) AS victim_ms,
       s.child_pid,
       c.comm AS child_comm,
       s.thief_call_id AS thief_call,
       s.thief_tid,
       tt.comm AS thief_comm,
       s.thief_syscall || '(' || COALESCE(s.thief_idtype, '?') || ')' AS thief_site,
       printf('%.3f', (s.thief_exit_ns - r.start_ns) / 1e6) AS thief_ms,
       printf('%.3f', s.gap_ns / 1e6) AS gap_ms
FROM stolen_v s
JOIN recording r ON r.id = s.recording_id
JOIN process c ON c.upid = s.child_upid
LEFT JOIN wait_call vw ON vw.id = s.victim_call_id
LEFT JOIN thread vt ON vt.utid = vw.utid
LEFT JOIN wait_call tw ON tw.id = s.thief_call_id
LEFT JOIN thread tt ON tt.utid = tw.utid
ORDER BY s.recording_id, COALESCE(s.victim_exit_ns, r.end_ns), s.victim_call_id;
