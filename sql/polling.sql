-- polling: which threads spin on wait with WNOHANG?  A loop that calls
-- waitpid(..., WNOHANG) after each SIGCHLD (bash, make, libuv, CPython) is
-- doing it right and is not listed; a thread is listed (view polling_v)
-- when its empty WNOHANG calls that no SIGCHLD drove (made more than 50 ms
-- after the last SIGCHLD its process received, or with none) number at
-- least 100 and come at 500 a second or more.
--
-- Columns:
--   tid, comm, pid           the thread and its process
--   calls                    its WNOHANG wait calls
--   empty_pct                % of them that found no child ready
--   undriven                 empty calls no SIGCHLD drove
--   undriven_per_s           their rate over the span of its WNOHANG calls
--   reaped                   WNOHANG calls that reaped a child
--   sigchlds                 SIGCHLDs its process received
--   calls_per_sigchld        calls / SIGCHLDs ('-' with none)
--   why                      the figures that made it a spinner, in words
--   first_ms, last_ms        first and last call (ms since recording start)
SELECT pv.tid,
       t.comm,
       pv.pid,
       pv.calls,
       printf('%.1f', 100.0 * pv.empty / pv.calls) AS empty_pct,
       pv.undriven,
       printf('%.1f', pv.rate_per_s) AS undriven_per_s,
       pv.reaped,
       pv.sigchlds,
       CASE WHEN pv.sigchlds > 0
            THEN printf('%.1f', 1.0 * pv.calls / pv.sigchlds) ELSE '-'
       END AS calls_per_sigchld,
       printf('%d empty polls at %.0f/s with %s', pv.undriven, pv.rate_per_s,
              CASE WHEN pv.sigchlds = 0 THEN 'no SIGCHLD at all'
                   ELSE pv.sigchlds || ' SIGCHLD(s) for ' || pv.calls ||
                        ' calls' END) AS why,
       printf('%.3f', (pv.first_ns - r.start_ns) / 1e6) AS first_ms,
       printf('%.3f', (pv.last_ns - r.start_ns) / 1e6) AS last_ms
FROM polling_v pv
JOIN recording r ON r.id = pv.recording_id
LEFT JOIN thread t ON t.utid = pv.utid
ORDER BY pv.undriven DESC, pv.tid;
