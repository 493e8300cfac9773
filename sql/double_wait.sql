-- double_wait: which threads waited a second time for a child that their
-- own earlier wait for that child had already reaped (waitpid(pid) returns
-- it, the next waitpid(pid) gets ECHILD; a `while (waitpid(pid, ...) != -1)`
-- loop)?  A bug in the program, not a race with anyone (view
-- double_wait_v); races are in the stolen report.
--
-- Columns:
--   call, tid, comm          the second wait
--   site                     its syscall(idtype) and options
--   result                   'ECHILD' / 'blocked at end'
--   child_pid, child_comm    the child, reaped already
--   first_call               the wait of the same thread that reaped it
--   first_ms, second_ms      when the first returned and the second was
--                            called (ms since recording start)
SELECT d.call_id AS call,
       d.tid,
       t.comm,
       d.syscall || '(' || COALESCE(d.idtype, '?') || ', ' ||
         COALESCE(w.options_text, '?') || ')' AS site,
       d.result,
       d.child_pid,
       c.comm AS child_comm,
       d.first_call_id AS first_call,
       printf('%.3f', (d.first_exit_ns - r.start_ns) / 1e6) AS first_ms,
       CASE WHEN d.enter_ns IS NOT NULL
            THEN printf('%.3f', (d.enter_ns - r.start_ns) / 1e6) END AS second_ms
FROM double_wait_v d
JOIN recording r ON r.id = d.recording_id
JOIN process c ON c.upid = d.child_upid
JOIN wait_call w ON w.id = d.call_id
LEFT JOIN thread t ON t.utid = w.utid
ORDER BY d.recording_id, d.enter_ns, d.call_id;
