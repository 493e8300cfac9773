-- errors: which wait calls failed, how often, where, and what each failure
-- means (wait_call.error_class):
--   lost_child    ECHILD of a wait for ONE child (P_PID, P_PIDFD): that
--                 child was not there - see stolen, double_wait, released
--   caller_bug    EINVAL, ESRCH, EFAULT, EBADF...: bad arguments
--   no_children   ECHILD of a wait for any child or a group: nothing left
--                 to wait for, how every reap loop and `wait` ends (benign)
--   interrupted   EINTR: a signal handler ran (benign)
--   restart       ERESTARTSYS & co: the kernel restarts the call or turns
--                 it into EINTR; user space never sees it (not an error)
--   would_block   EAGAIN: a wait on an O_NONBLOCK pidfd found nothing
-- Grouped by error, calling process and call site; the ones that deserve
-- attention (lost_child, caller_bug) first.
--
-- Columns:
--   errno_name               the error
--   class                    its error_class (above)
--   attention                'yes' for lost_child and caller_bug
--   pid, comm                the calling process
--   call_site                syscall(idtype) and options of the call
--   calls                    how many calls failed this way
--   first_ms, last_ms        first and last failure (ms since start)
SELECT w.errno_name,
       w.error_class AS class,
       CASE WHEN w.error_class IN ('lost_child', 'caller_bug') THEN 'yes'
            ELSE 'no' END AS attention,
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
GROUP BY w.recording_id, w.errno_name, w.error_class, w.upid, w.syscall,
         w.idtype, w.options_text
ORDER BY w.error_class NOT IN ('lost_child', 'caller_bug'), calls DESC,
         w.errno_name, w.pid;
