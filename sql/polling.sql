-- polling: which threads spin on wait with WNOHANG?  A thread qualifies
-- (view polling_v) when at least half of its >= 3 WNOHANG calls found
-- nothing, or when it made >= 100 of them.
--
-- Columns:
--   tid, comm, pid           the thread and its process
--   calls                    its WNOHANG wait calls
--   calls_per_s              calls per second over the thread's life within
--                            the recording
--   empty_pct                % of them that found no child (returned 0)
--   echild_pct               % that failed with ECHILD (no children at all)
--   first_ms, last_ms        first and last call (ms since recording start)
SELECT pv.tid,
       t.comm,
       pv.pid,
       pv.calls,
       CASE WHEN pv.span_end_ns > pv.span_start_ns
            THEN printf('%.1f', pv.calls * 1e9 / (pv.span_end_ns - pv.span_start_ns))
       END AS calls_per_s,
       printf('%.1f', 100.0 * pv.empty / pv.calls) AS empty_pct,
       printf('%.1f', 100.0 * pv.echild / pv.calls) AS echild_pct,
       printf('%.3f', (pv.first_ns - r.start_ns) / 1e6) AS first_ms,
       printf('%.3f', (pv.last_ns - r.start_ns) / 1e6) AS last_ms
FROM polling_v pv
JOIN recording r ON r.id = pv.recording_id
LEFT JOIN thread t ON t.utid = pv.utid
ORDER BY pv.calls DESC, pv.tid;
