-- summary_recompute.sql - every number of sql/summary.sql recomputed from
-- the rows it summarizes (issue 11, item 4), for lib.sh
-- e2e_summary_check: wait_call rows instead of wait_outcome, process rows
-- instead of the views where a plain query can say it, and a report's own
-- row count (TEMP table report_rows(name, n), filled by the caller from
-- `wtrec analyze DB -r NAME`) where the finding is the report.
--
-- One row per number: key, value, and where it came from.  The key is the
-- summary item without its indent, or "item|name" for a count inside its
-- value ("released without one|pid namespace teardown", "failed
-- waits|ECHILD", "failed waits|no_children"); items that repeat per
-- recording get "#N" (the recording's rank).  e2e_summary_check wants
-- every number of the summary here with the same value, and every key
-- here with a value other than 0 in the summary (it leaves out zeros).

-- The children a recording speaks for (child_v), from process rows.
CREATE TEMP VIEW rc_kid AS
SELECT c.* FROM process c JOIN process par ON par.upid = c.parent_upid
WHERE c.traced = 1 AND par.traced = 1;

CREATE TEMP VIEW rc_zombie AS
SELECT p.* FROM process p JOIN recording r ON r.id = p.recording_id
WHERE p.traced = 1 AND p.reap_call_id IS NULL AND p.release_kind IS NULL
  AND p.freed_ns IS NULL
  AND (p.zombie_at_stop = 1
       OR ((p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
           AND r.stop_snapshot_ns IS NULL));

CREATE TEMP VIEW rc_class AS
SELECT w.error_class AS class, w.errno_name, count(*) AS n
FROM wait_call w WHERE w.ret < 0 GROUP BY w.error_class, w.errno_name;

-- The summary's line per container (pid namespace, cgroup): traced
-- processes and failed forks grouped by cgroup and pid namespace, from
-- process and fork_failure rows; the label spelled as summary.sql does.
CREATE TEMP VIEW rc_cg_member AS
SELECT recording_id, COALESCE(cgroup_pids, cgroup, '(unknown)') AS cg,
       CASE WHEN cgroup_pids IS NOT NULL THEN 'pids' ELSE 'v2' END AS hier,
       pidns_id, container_id, container_runtime, upid, zombie_at_start,
       NULL AS errno_name
FROM process WHERE traced = 1
UNION ALL
SELECT recording_id, COALESCE(cgroup_pids, cgroup, '(unknown)'),
       CASE WHEN cgroup_pids IS NOT NULL THEN 'pids' ELSE 'v2' END,
       pidns_id, container_id, container_runtime, NULL, NULL, errno_name
FROM fork_failure;

CREATE TEMP VIEW rc_cg AS
SELECT g.*,
       CASE WHEN g.cid IS NULL THEN 'cgroup ' || g.hier || ':' || g.cg
            ELSE 'container ' ||
                 CASE WHEN length(g.cid) = 64 THEN substr(g.cid, 1, 12) ELSE g.cid END ||
                 ' (' || COALESCE(g.runtime, '?') || ')' END ||
       CASE WHEN n.level > 0 THEN ', pid ns ' || n.id ELSE '' END AS label
FROM (SELECT m.recording_id, m.cg, m.pidns_id, max(m.hier) AS hier,
             max(m.container_id) AS cid, max(m.container_runtime) AS runtime,
             sum(m.upid IN (SELECT upid FROM rc_zombie)) AS zombies,
             sum(m.zombie_at_start = 1) AS at_start,
             count(m.errno_name) AS forks
      FROM rc_cg_member m GROUP BY m.recording_id, m.cg, m.pidns_id) g
LEFT JOIN pidns n ON n.id = g.pidns_id
WHERE (g.zombies > 0 OR g.forks > 0)
  AND (g.cid IS NOT NULL OR n.level > 0 OR (g.forks > 0 AND g.cg <> '(unknown)'));

CREATE TEMP VIEW recompute AS
-- the recording block: only the kernel's loss counters are rows
SELECT 'lost events#' || (SELECT count(*) FROM recording r2 WHERE r2.id <= r.id) AS key,
       CASE WHEN EXISTS (SELECT 1 FROM stats s WHERE s.recording_id = r.id
                         AND s.entries IS NOT NULL)
            THEN (SELECT COALESCE(sum(max(COALESCE(overrun, 0), 0) +
                                      max(COALESCE(commit_overrun, 0), 0) +
                                      max(COALESCE(dropped, 0), 0)), 0)
                  FROM stats s WHERE s.recording_id = r.id
                    AND s.entries IS NOT NULL)
            ELSE (SELECT COALESCE(sum(missed_in_pages), 0) FROM stats s
                  WHERE s.recording_id = r.id) END AS value,
       'stats' AS source
FROM recording r
UNION ALL
SELECT 'wait calls', count(*), 'wait_call' FROM wait_call
UNION ALL
SELECT syscall || '(' || COALESCE(idtype, '?') || ') ' || outcome, count(*),
       'wait_call'
FROM wait_call GROUP BY syscall, idtype, outcome
UNION ALL SELECT 'children', count(*), 'process' FROM rc_kid
UNION ALL SELECT 'forked', count(*), 'process' FROM rc_kid WHERE fork_ns IS NOT NULL
UNION ALL SELECT 'exited', count(*), 'process' FROM rc_kid WHERE exit_ns IS NOT NULL
UNION ALL SELECT 'reaped by a traced wait', count(*), 'process'
  FROM rc_kid WHERE reap_call_id IS NOT NULL
-- each of those reaps is one wait_call row that reaped a child of the set
UNION ALL SELECT 'reaped by a traced wait', count(*), 'wait_call'
  FROM wait_call w JOIN rc_kid k ON k.upid = w.reaped_upid
  WHERE w.outcome = 'reaped'
UNION ALL SELECT 'released without one', count(*), 'process'
  FROM rc_kid WHERE release_kind IS NOT NULL
UNION ALL SELECT 'released without one', n, 'report released'
  FROM report_rows WHERE name = 'released'
UNION ALL SELECT 'released without one|auto-reaped', count(*), 'process'
  FROM rc_kid WHERE release_kind IN ('parent_ignores_sigchld',
                                     'reparented_to_ignoring_parent')
UNION ALL SELECT 'released without one|pid namespace teardown', count(*), 'process'
  FROM rc_kid WHERE release_kind = 'pidns_teardown'
UNION ALL SELECT 'released without one|gone unseen', count(*), 'process'
  FROM rc_kid WHERE release_kind = 'unseen'
UNION ALL SELECT 'zombies at the end', count(*), 'process' FROM rc_zombie
UNION ALL SELECT 'reaps inferred', count(*), 'wait_call'
  FROM wait_call WHERE reap_inferred = 1
UNION ALL SELECT 'zombies', count(*), 'process' FROM rc_zombie
UNION ALL SELECT 'zombies', n, 'report zombies' FROM report_rows WHERE name = 'zombies'
UNION ALL SELECT label || '|zombies', zombies, 'process' FROM rc_cg
UNION ALL SELECT label || '|at start', at_start, 'process' FROM rc_cg
UNION ALL SELECT label || '|failed forks', forks, 'fork_failure' FROM rc_cg
UNION ALL SELECT c.label || '|' || m.errno_name, count(*), 'fork_failure'
  FROM rc_cg c JOIN rc_cg_member m ON m.recording_id = c.recording_id
   AND m.cg = c.cg AND m.pidns_id IS c.pidns_id AND m.errno_name IS NOT NULL
  GROUP BY c.label, m.errno_name
UNION ALL SELECT 'stolen reaps', n, 'report stolen' FROM report_rows WHERE name = 'stolen'
UNION ALL SELECT 'double waits', n, 'report double_wait'
  FROM report_rows WHERE name = 'double_wait'
UNION ALL SELECT 'auto-reaped', count(*), 'process'
  FROM rc_kid WHERE release_kind IN ('parent_ignores_sigchld',
                                     'reparented_to_ignoring_parent')
UNION ALL SELECT 'auto-reaped', n, 'report autoreap' FROM report_rows WHERE name = 'autoreap'
UNION ALL SELECT 'failed waits', COALESCE(sum(n), 0), 'wait_call'
  FROM rc_class WHERE class IN ('lost_child', 'caller_bug')
UNION ALL SELECT 'failed waits|' || errno_name, sum(n), 'wait_call'
  FROM rc_class WHERE class IN ('lost_child', 'caller_bug') GROUP BY errno_name
UNION ALL SELECT 'failed waits|' || class, sum(n), 'wait_call'
  FROM rc_class WHERE class NOT IN ('lost_child', 'caller_bug') GROUP BY class
UNION ALL SELECT 'polling threads', n, 'report polling' FROM report_rows WHERE name = 'polling'
UNION ALL SELECT 'polling threads', count(*), 'thread'
  FROM thread t
  WHERE t.wnohang_undriven >= 100
    AND t.wnohang_undriven * 1e9 /
        max(t.wnohang_last_ns - t.wnohang_first_ns, 1000000) >= 500
-- the worst latency: the longest exit-to-return of a reaping call
UNION ALL SELECT 'worst exit->reap latency',
       printf('%.3f', max(w.exit_ns - c.exit_ns) / 1e6), 'wait_call'
  FROM wait_call w JOIN process c ON c.upid = w.reaped_upid
  WHERE w.outcome = 'reaped' AND c.exit_ns IS NOT NULL
  HAVING count(*) > 0
UNION ALL SELECT 'model disagreements', COALESCE(sum(count), 0), 'model_check'
  FROM model_check
  WHERE kind = 'disagreement'
UNION ALL SELECT 'model disagreements|' || name, sum(count), 'model_check'
  FROM model_check
  WHERE kind = 'disagreement'
  GROUP BY name
UNION ALL SELECT 'model inferences|' || name, sum(count), 'model_check'
  FROM model_check
  WHERE kind = 'inference'
  GROUP BY name;

SELECT key, value, source FROM recompute;
