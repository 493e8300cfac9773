-- tree: the recorded process tree, like pstree, with what became of each
-- process: how it ended and how (or whether) it was reaped.
--
-- One line per traced process instance, depth first, children in fork
-- order, each under the parent that forked it.  A process whose parent is
-- outside the recording's scope starts a new tree.  Only the processes of
-- view scope_process: all, or with `wtrec analyze --container ID|PATH`
-- one container's (a parent outside it starts a new tree too).  Each line is
-- "comm (pid N[, threads T1 T2 ...]) STATUS, FATE[; ORPHANED]":
--
--   STATUS  'exited N' | 'killed SIGX' | 'exited (status unknown)' |
--           'exited (not seen)' (reaped, its exit not in the recording) |
--           'running at end' (view process_status)
--   FATE    'reaped by TID wait4(P_ALL) after 2.1 ms' - the thread and call
--               that reaped it, exit -> reap; then, when the recording
--               read the rusage that wait got (kprobe, Linux >= 6.9),
--               '[user 1.843 ms, sys 0.512 ms, max RSS 3412 KiB]': the CPU
--               time and largest resident set of the child (and of its
--               descendants it reaped); '(not by its parent)' when
--               another process than its parent at exit reaped it;
--               '[inferred]' after a waitid whose child wtrec inferred (the
--               tracepoint does not name it: wait_call.reap_inferred)
--           'stolen by tid TID wait4(P_ALL) after ...; tid V's
--               wait4(P_PID N) got ECHILD' - a reap another wait lost
--               (view stolen_v)
--           'ZOMBIE 12.3 s' - never reaped, a zombie for that long at the
--               end of the recording (view zombie_v)
--           'auto-reaped (EVIDENCE)' - its parent ignores SIGCHLD
--               (autoreap_v)
--           'released at pid namespace teardown after 1.3 s' - its
--               namespace's init exited (process.release_kind)
--           'gone without a traced wait (EVIDENCE)' - released_v, unseen
--           'not reaped in the recording' - exited, nobody in the
--               recording reaped it (its parent is outside the scope)
--   ORPHANED 'orphaned at 1.2 s, reparented to 1 (tini)' - its parent
--               exited first; the process it was handed to (table
--               reparent, the last move to another process)
--
-- Columns:
--   tree   the line, indented with box-drawing characters
WITH RECURSIVE
node AS (
  SELECT p.upid, p.recording_id, p.pid, p.comm, p.exit_ns,
         COALESCE(p.fork_ns, p.start_ns, p.exit_ns, 0) AS k,
         CASE WHEN opar.traced = 1 AND sop.upid IS NOT NULL
                THEN p.original_parent_upid
              WHEN opar.upid IS NULL AND par.traced = 1 AND spar.upid IS NOT NULL
                THEN p.parent_upid
         END AS tree_parent,
         p.parent_upid, p.ppid, p.reaper_tid, p.reaper_upid, p.reaped_ns,
         p.zombie_at_start, p.release_kind, p.release_evidence,
         p.released_ns, p.ptraced, st.status,
         CASE WHEN p.parent_upid IS NOT p.original_parent_upid
                   AND p.original_parent_upid IS NOT NULL
              THEN (SELECT printf('orphaned at %.3f s, reparented to %d (%s)',
                                  (mv.ts_ns - r.start_ns) / 1e9, np.pid,
                                  COALESCE(np.comm, '?'))
                    FROM reparent mv JOIN process np ON np.upid = mv.to_upid
                    WHERE mv.upid = p.upid AND mv.to_upid IS NOT mv.from_upid
                    ORDER BY mv.ts_ns DESC LIMIT 1)
         END AS orphaned,
         (SELECT group_concat(tid, ' ') FROM
            (SELECT t.tid FROM thread t WHERE t.upid = p.upid
             ORDER BY t.tid)) AS tids,
         (SELECT count(*) FROM thread t WHERE t.upid = p.upid) AS nthreads,
         w.syscall || '(' || COALESCE(w.idtype, '?') ||
           COALESCE(' ' || w.target, '') || ')' ||
           CASE WHEN w.reap_inferred = 1 THEN ' [inferred]' ELSE '' END AS reap_call,
         CASE WHEN w.ru_utime_us IS NOT NULL
              THEN printf(' [user %.3f ms, sys %.3f ms, max RSS %d KiB]',
                          w.ru_utime_us / 1e3, w.ru_stime_us / 1e3,
                          w.ru_maxrss_kb) ELSE '' END AS usage,
         r.end_ns AS rec_end_ns
  FROM process p
  JOIN recording r ON r.id = p.recording_id
  JOIN process_status st ON st.upid = p.upid
  LEFT JOIN process par ON par.upid = p.parent_upid
  LEFT JOIN process opar ON opar.upid = p.original_parent_upid
  LEFT JOIN wait_call w ON w.id = p.reap_call_id
  LEFT JOIN scope_process sop ON sop.upid = p.original_parent_upid
  LEFT JOIN scope_process spar ON spar.upid = p.parent_upid
  WHERE p.traced = 1 AND p.upid IN (SELECT upid FROM scope_process)
),
-- The first stolen_v row per child: the victim call that lost it.
stolen AS (
  SELECT s.child_upid, s.victim_tid,
         v.syscall || '(' || COALESCE(v.idtype, '?') ||
           COALESCE(' ' || v.target, '') || ')' AS victim_call,
         s.victim_result
  FROM (SELECT *, row_number() OVER (PARTITION BY child_upid
                                      ORDER BY victim_call_id) AS nth
        FROM stolen_v) s
  JOIN wait_call v ON v.id = s.victim_call_id
  WHERE s.nth = 1
),
-- FATE with a %DUR% placeholder for fate_ns, formatted once below.
fated AS (
  SELECT n.*,
    CASE
      WHEN n.reaped_ns IS NOT NULL AND s.child_upid IS NOT NULL
        THEN 'stolen by tid ' || n.reaper_tid || ' ' || n.reap_call ||
             CASE WHEN n.exit_ns IS NOT NULL THEN ' after %DUR%' ELSE '' END ||
             n.usage || '; tid ' || s.victim_tid || '''s ' || s.victim_call ||
             CASE WHEN s.victim_result = 'ECHILD' THEN ' got ECHILD'
                  ELSE ' was still blocked at the end' END
      WHEN n.reaped_ns IS NOT NULL
        THEN 'reaped by ' || n.reaper_tid || ' ' || n.reap_call ||
             CASE WHEN n.exit_ns IS NOT NULL THEN ' after %DUR%' ELSE '' END ||
             n.usage ||
             CASE WHEN n.reaper_upid IS NOT n.parent_upid
                  THEN ' (not by its parent)' ELSE '' END
      WHEN n.upid IN (SELECT upid FROM zombie_v)
        THEN CASE WHEN n.exit_ns IS NOT NULL THEN 'ZOMBIE %DUR%'
                  ELSE 'ZOMBIE since before the recording' END
      WHEN a.upid IS NOT NULL THEN 'auto-reaped (' || a.evidence || ')'
      WHEN n.release_kind = 'pidns_teardown'
        THEN 'released at pid namespace teardown' ||
             CASE WHEN n.exit_ns IS NOT NULL AND n.released_ns IS NOT NULL
                  THEN ' after %DUR%' ELSE '' END
      WHEN n.release_kind IS NOT NULL AND n.tree_parent IS NOT NULL
        THEN 'gone without a traced wait (' ||
             COALESCE(n.release_evidence, '?') || ')'
      WHEN n.exit_ns IS NOT NULL OR n.zombie_at_start = 1
        THEN 'not reaped in the recording' ||
             CASE WHEN n.tree_parent IS NULL
                  THEN ' (its parent' || COALESCE(', pid ' || n.ppid, '') ||
                       ', is outside the recording)'
                  ELSE '' END
    END AS fate_tmpl,
    CASE WHEN n.reaped_ns IS NOT NULL THEN n.reaped_ns - n.exit_ns
         WHEN n.released_ns IS NOT NULL THEN n.released_ns - n.exit_ns
         ELSE n.rec_end_ns - n.exit_ns END AS fate_ns
  FROM node n
  LEFT JOIN stolen s ON s.child_upid = n.upid
  LEFT JOIN autoreap_v a ON a.upid = n.upid
),
labeled AS (
  SELECT f.upid, f.recording_id, f.k, f.tree_parent,
    COALESCE(f.comm, '?') || ' (pid ' || f.pid ||
    CASE WHEN f.nthreads > 8 THEN ', ' || f.nthreads || ' threads'
         WHEN f.nthreads > 1 THEN ', threads ' || f.tids ELSE '' END || ') ' ||
    CASE WHEN f.status = 'running' AND f.reaped_ns IS NOT NULL
           THEN 'exited (not seen)'
         WHEN f.status = 'running' THEN 'running at end'
         WHEN f.status = 'unknown' THEN 'exited (status unknown)'
         ELSE f.status END ||
    COALESCE(', ' || replace(f.fate_tmpl, '%DUR%',
      CASE WHEN f.fate_ns IS NULL THEN '?'
           WHEN f.fate_ns < 1000 THEN f.fate_ns || ' ns'
           WHEN f.fate_ns < 1000000 THEN printf('%.1f us', f.fate_ns / 1e3)
           WHEN f.fate_ns < 1000000000 THEN printf('%.1f ms', f.fate_ns / 1e6)
           ELSE printf('%.1f s', f.fate_ns / 1e9) END), '') ||
    CASE WHEN f.ptraced = 1 THEN ' (its exit was told to a ptrace tracer first)'
         ELSE '' END ||
    COALESCE('; ' || f.orphaned, '') AS label,
    row_number() OVER (PARTITION BY f.recording_id, f.tree_parent
                       ORDER BY f.k DESC, f.upid DESC) = 1 AS last
  FROM fated f
),
-- prefix: what goes before this line's connector; cprefix: its children's.
tree(upid, root, last, path, prefix, cprefix, label) AS (
  SELECT upid, 1, last, printf('%010d/%020d%010d', recording_id, k, upid),
         '', '', label
  FROM labeled WHERE tree_parent IS NULL
  UNION ALL
  SELECT c.upid, 0, c.last, t.path || printf('/%020d%010d', c.k, c.upid),
         t.cprefix, t.cprefix || CASE WHEN c.last THEN '   ' ELSE '│  ' END,
         c.label
  FROM labeled c JOIN tree t ON c.tree_parent = t.upid
)
SELECT prefix ||
       CASE WHEN root THEN '' WHEN last THEN '└─ ' ELSE '├─ ' END ||
       label AS tree
FROM tree
ORDER BY path;
