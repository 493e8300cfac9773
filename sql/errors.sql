-- errors: which wait calls failed, how often, where?  Grouped by error,
-- calling process and call site.  ECHILD: no (matching) child to wait
-- for; EINTR/ERESTARTSYS: interrupted by a signal; EINVAL: bad options.
--
-- Columns:
--   errno_name               the error
--   pid, comm                the calling process
--   call_site                syscall(idtype) and options of the call
--   calls                    how many calls failed this way
--   first_ms, last_ms        first and last failure (ms since start)
SELECT w.errno_name,
       w.pid,
       p.comm,
       w.syscall || '(' || COALESCE(w.idtype, '?') || ', '
         || COALESCE(w.options_text, '?') || ')' AS call_site,
       count(*) AS calls,
       printf('%.3f', (min(w.exit_ns) - r.start_ns) / 1e6) AS first_ms,
       printf('%.3f', (max(w.exit_ns) - r.start_ns) / 1e6) AS last_ms
FROM wait_call w
JOIN recording r ON r.id = w.recording_id
LEFT JOIN process p ON p.upid = w.upid
WHERE w.ret < 0
GROUP BY w.recording_id, w.errno_name, w.upid, w.syscall, w.idtype, w.options_text
ORDER BY calls DESC, w.errno_name, w.pid;
