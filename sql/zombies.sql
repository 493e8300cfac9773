-- zombies: which children had exited but were never waited for, and were
-- still zombies when the recording ended (or were zombies in a /proc
-- snapshot)?  A zombie keeps its pid and process-table slot until its
-- parent waits for it (or the parent exits and init reaps it).
--
-- Columns:
--   pid, comm                the zombie
--   parent_pid, parent_comm  its parent, who should have waited
--   exited_ms                exit time, ms since the recording started;
--                            'before start' = zombie already at start
--   age_at_end_ms            how long it had been a zombie at the end
--                            (NULL when it exited before the recording)
--   status                   'exited N' | 'killed SIGX' | 'unknown'
--   parent_ignores_sigchld   yes / no / ? (from the parent's SigIgn)
--   parent_alive             yes = the parent had not exited by the end
--   parent_wait_calls        wait calls the parent made in the recording
--   parent_last_wait_ms      the last of them (ms since recording start):
--                            after exited_ms = it waited, but not for this
--   seen                     'start snapshot', 'stop snapshot', 'trace'
SELECT z.pid,
       z.comm,
       par.pid AS parent_pid,
       par.comm AS parent_comm,
       CASE WHEN z.exit_ns IS NULL THEN 'before start'
            ELSE printf('%.3f', (z.exit_ns - r.start_ns) / 1e6) END AS exited_ms,
       CASE WHEN z.exit_ns IS NOT NULL
            THEN printf('%.3f', (r.end_ns - z.exit_ns) / 1e6) END AS age_at_end_ms,
       st.status,
       CASE par.ignores_sigchld WHEN 1 THEN 'yes' WHEN 0 THEN 'no' ELSE '?'
       END AS parent_ignores_sigchld,
       CASE WHEN par.upid IS NULL THEN '?'
            WHEN par.exit_ns IS NULL THEN 'yes' ELSE 'no' END AS parent_alive,
       par.wait_calls AS parent_wait_calls,
       CASE WHEN par.last_wait_ns IS NOT NULL
            THEN printf('%.3f', (par.last_wait_ns - r.start_ns) / 1e6) END AS parent_last_wait_ms,
       trim(CASE WHEN z.zombie_at_start = 1 THEN 'start snapshot ' ELSE '' END ||
            CASE WHEN z.zombie_at_stop = 1 THEN 'stop snapshot ' ELSE '' END ||
            CASE WHEN z.exit_ns IS NOT NULL THEN 'trace' ELSE '' END) AS seen
FROM zombie_v z
JOIN recording r ON r.id = z.recording_id
JOIN process_status st ON st.upid = z.upid
LEFT JOIN process par ON par.upid = z.parent_upid
ORDER BY z.recording_id, COALESCE(z.exit_ns, 0), z.upid;
