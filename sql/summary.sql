-- summary: what is in this database, and what did the other reports find?
-- The default output of `wtrec analyze FILE`.
--
-- Columns:
--   item    what is counted or described
--   value   its value; a finding names the report that lists it in detail
--
-- Per recording: file, host, kernel, backend, scope, time span, events,
-- lost events (LOSSY when > 0), completeness.  Then, over all recordings:
-- wait calls by syscall(idtype) and outcome; the children (traced, with a
-- traced parent: view child_v) forked / exited / reaped / released /
-- still zombies; one line per finding (zombies, stolen reaps, double
-- waits, auto-reaps, failed waits that deserve attention, polling threads,
-- worst exit->reap latency; one line per container or pid namespace with
-- zombies at the end or failed forks: view container_v); and what the model had to
-- infer and where
-- its inferences disagreed with recorded facts (table model_check).  Every
-- number is a count over the rows of a view or table named in this file.
WITH
rec AS (
  SELECT r.*, (SELECT count(*) FROM recording) AS nrec FROM recording r
),
rec_items(k, item, value) AS (
  SELECT id * 100 + 0, 'recording', path || CASE WHEN nrec > 1 THEN ' (#' || id || ')' ELSE '' END FROM rec
  UNION ALL SELECT id * 100 + 1, '  host', host FROM rec
  UNION ALL SELECT id * 100 + 2, '  kernel', trim(COALESCE(kernel, '?') || ' ' || COALESCE(arch, '')) FROM rec
  UNION ALL SELECT id * 100 + 3, '  backend', COALESCE(backend, '?') || COALESCE(', clock ' || clock, '') FROM rec
  UNION ALL SELECT id * 100 + 4, '  scope', COALESCE(scope, '?') || COALESCE(': ' || nullif(command, ''), '') FROM rec
  UNION ALL SELECT id * 100 + 5, '  command status', command_status FROM rec WHERE command_status <> ''
  UNION ALL SELECT id * 100 + 6, '  started',
         datetime((start_ns + wall_offset_ns) / 1000000000, 'unixepoch') || ' UTC'
         FROM rec WHERE wall_offset_ns IS NOT NULL AND start_ns IS NOT NULL
  UNION ALL SELECT id * 100 + 7, '  time span', printf('%.3f s', (end_ns - start_ns) / 1e9)
         FROM rec WHERE end_ns IS NOT NULL AND start_ns IS NOT NULL
  UNION ALL SELECT id * 100 + 8, '  events', CAST(events AS TEXT) FROM rec
  UNION ALL SELECT id * 100 + 9, '  lost events', COALESCE(lost_events, '?') ||
         CASE WHEN lost_events > 0 THEN '  LOSSY: results may be incomplete' ELSE '' END FROM rec
  UNION ALL SELECT id * 100 + 10, '  complete',
         CASE WHEN complete = 1 THEN 'yes'
              ELSE 'NO: no trailer, the recorder did not stop cleanly' END FROM rec
  UNION ALL SELECT id * 100 + 11, '  damaged', damage FROM rec WHERE damaged = 1
  UNION ALL SELECT id * 100 + 12, '  missing events', missing_events FROM rec
         WHERE missing_events IS NOT NULL AND missing_events <> ''
),
calls(k, item, value) AS (
  SELECT 1000000000, 'wait calls', CAST(COALESCE(sum(calls), 0) AS TEXT) FROM wait_outcome
  UNION ALL
  SELECT 1000000001 + row_number() OVER (ORDER BY sum(calls) DESC, syscall, idtype, outcome),
         '  ' || syscall || '(' || COALESCE(idtype, '?') || ') ' || outcome,
         CAST(sum(calls) AS TEXT)
  FROM wait_outcome GROUP BY syscall, idtype, outcome
),
kids AS (SELECT * FROM child_v),
n AS (
  SELECT (SELECT count(*) FROM zombie_v) AS zombies,
         (SELECT count(*) FROM stolen_v) AS stolen,
         (SELECT count(*) FROM double_wait_v) AS doubles,
         (SELECT count(*) FROM autoreap_v) AS autoreaped,
         (SELECT count(*) FROM released_v WHERE release_kind = 'pidns_teardown') AS teardown,
         (SELECT count(*) FROM released_v WHERE release_kind = 'unseen') AS unseen,
         (SELECT count(*) FROM polling_v) AS polling,
         (SELECT COALESCE(sum(reap_inferred), 0) FROM wait_outcome) AS inferred
),
-- wait_call.error_class, from the columns wait_outcome keeps (the same
-- rule as analyze/wait_text.c wt_error_class())
failed AS (
  SELECT errno_name, idtype, calls,
         CASE WHEN errno_name = 'ECHILD' AND idtype IN ('P_PID', 'P_PIDFD') THEN 'lost_child'
              WHEN errno_name = 'ECHILD' THEN 'no_children'
              WHEN errno_name = 'EINTR' THEN 'interrupted'
              WHEN errno_name IN ('ERESTARTSYS', 'ERESTARTNOINTR', 'ERESTARTNOHAND',
                                  'ERESTART_RESTARTBLOCK') THEN 'restart'
              WHEN errno_name = 'EAGAIN' AND idtype = 'P_PIDFD' THEN 'would_block'
              ELSE 'caller_bug' END AS class
  FROM wait_outcome WHERE errno_name IS NOT NULL
),
attention AS (
  SELECT COALESCE(sum(calls), 0) AS n,
         group_concat(errno_name || ' ' || cnt, ', ') AS txt
  FROM (SELECT errno_name, sum(calls) AS cnt, sum(calls) AS calls FROM failed
        WHERE class IN ('lost_child', 'caller_bug')
        GROUP BY errno_name ORDER BY cnt DESC, errno_name)
),
benign AS (
  SELECT group_concat(class || ' ' || cnt, ', ') AS txt
  FROM (SELECT class, sum(calls) AS cnt FROM failed
        WHERE class NOT IN ('lost_child', 'caller_bug')
        GROUP BY class ORDER BY cnt DESC, class)
),
-- disagreements between the model's inferences and recorded facts
checks AS (
  SELECT COALESCE(sum(count), 0) AS n,
         group_concat(name || ' ' || count, ', ') AS txt
  FROM (SELECT name, sum(count) AS count FROM model_check
        WHERE kind = 'disagreement'
        GROUP BY name HAVING sum(count) > 0 ORDER BY name)
),
inferences AS (
  SELECT group_concat(name || ' ' || count, ', ') AS txt
  FROM (SELECT name, sum(count) AS count FROM model_check
        WHERE kind = 'inference'
        GROUP BY name HAVING sum(count) > 0 ORDER BY name)
),
-- containers (view container_v) with zombies at the end or failed forks
contained AS (
  SELECT v.*,
         CASE WHEN v.container_id IS NULL
                THEN 'cgroup ' || v.hierarchy || ':' || v.cgroup
              ELSE 'container ' ||
                   CASE WHEN length(v.container_id) = 64 THEN substr(v.container_id, 1, 12)
                        ELSE v.container_id END ||
                   ' (' || COALESCE(v.container_runtime, '?') || ')' END ||
         CASE WHEN n.level > 0 THEN ', pid ns ' || n.id ELSE '' END AS label,
         CASE WHEN i.upid IS NULL THEN ''
              ELSE ', init ' || i.pid || ' ' || COALESCE(i.comm, '?') ||
                   CASE WHEN i.traced = 0 THEN ' (not traced)'
                        WHEN i.wait_calls > 0 THEN ' waits'
                        ELSE ' never waits' END END AS init_txt
  FROM container_v v
  LEFT JOIN pidns n ON n.id = v.pidns_id
  LEFT JOIN process i ON i.upid = v.init_upid
  WHERE (v.zombies_end > 0 OR v.forks_failed > 0)
    -- a line says more than the totals above it only for a container, a
    -- pid namespace, or a known cgroup that refused forks
    AND (v.container_id IS NOT NULL OR n.level > 0
         OR (v.forks_failed > 0 AND v.cgroup <> '(unknown)'))
),
worst AS (
  SELECT c.reaped_ns - c.exit_ns AS lat, c.pid, c.comm, par.pid AS ppid, par.comm AS pcomm
  FROM process c LEFT JOIN process par ON par.upid = c.parent_upid
  WHERE c.reap_call_id IS NOT NULL AND c.exit_ns IS NOT NULL
  ORDER BY lat DESC, c.upid LIMIT 1
),
findings(k, item, value) AS (
  SELECT 2000000000, 'children', CAST(count(*) AS TEXT) ||
         ' (traced, with a traced parent)' FROM kids
  UNION ALL SELECT 2000000001, '  forked', CAST(count(*) AS TEXT) FROM kids WHERE fork_ns IS NOT NULL
  UNION ALL SELECT 2000000002, '  exited', CAST(count(*) AS TEXT) FROM kids WHERE exit_ns IS NOT NULL
  UNION ALL SELECT 2000000003, '  reaped by a traced wait', CAST(count(*) AS TEXT) FROM kids WHERE reap_call_id IS NOT NULL
  UNION ALL SELECT 2000000004, '  released without one', (autoreaped + teardown + unseen) ||
         CASE WHEN autoreaped + teardown + unseen > 0
              THEN ' (auto-reaped ' || autoreaped || ', pid namespace teardown ' || teardown ||
                   ', gone unseen ' || unseen || '; wtrec analyze -r released)' ELSE '' END FROM n
  UNION ALL SELECT 2000000005, '  zombies at the end', zombies ||
         CASE WHEN zombies > 0 THEN ' (wtrec analyze -r zombies)' ELSE '' END FROM n
  UNION ALL SELECT 2000000006, 'reaps inferred', inferred ||
         ' (waitid through the tracepoint does not name the child; wait_call.reap_basis)' FROM n WHERE inferred > 0
  UNION ALL SELECT 3000000000, 'zombies', zombies ||
         CASE WHEN zombies > 0 THEN ' (wtrec analyze -r zombies)' ELSE '' END FROM n
  UNION ALL SELECT 3000000000 + row_number() OVER (ORDER BY zombies_end DESC,
                                                    forks_failed DESC, label) / 1e6,
         '  ' || label,
         'zombies ' || zombies_end || ' (at start ' || zombies_start || '), failed forks ' ||
         forks_failed || COALESCE(' (' || fork_errnos || ')', '') || init_txt ||
         ' (wtrec analyze -r containers)' FROM contained
  UNION ALL SELECT 3000000001, 'stolen reaps', stolen ||
         CASE WHEN stolen > 0 THEN ' (wtrec analyze -r stolen)' ELSE '' END FROM n
  UNION ALL SELECT 3000000002, 'double waits', doubles ||
         CASE WHEN doubles > 0 THEN ' (wtrec analyze -r double_wait)' ELSE '' END FROM n
  UNION ALL SELECT 3000000003, 'auto-reaped', autoreaped ||
         CASE WHEN autoreaped > 0 THEN ' (wtrec analyze -r autoreap)' ELSE '' END FROM n
  UNION ALL SELECT 3000000004, 'failed waits', (SELECT n FROM attention) ||
         CASE WHEN (SELECT n FROM attention) > 0
              THEN ' (' || (SELECT txt FROM attention) || '; wtrec analyze -r errors)' ELSE '' END ||
         COALESCE('; not counted: ' || (SELECT txt FROM benign), '')
  UNION ALL SELECT 3000000005, 'polling threads', polling ||
         CASE WHEN polling > 0 THEN ' (wtrec analyze -r polling)' ELSE '' END FROM n
  UNION ALL SELECT 3000000006, 'worst exit->reap latency',
         printf('%.3f ms', lat / 1e6) || ' (pid ' || pid || ' ' || COALESCE(comm, '?') ||
         COALESCE(', parent ' || ppid || ' ' || COALESCE(pcomm, '?'), '') ||
         '; wtrec analyze -r latency)' FROM worst
  UNION ALL SELECT 4000000000, 'model disagreements', n ||
         COALESCE(' (' || txt || '; table model_check)', '') FROM checks
  UNION ALL SELECT 4000000001, 'model inferences', txt || ' (table model_check)'
         FROM inferences WHERE txt IS NOT NULL
)
SELECT item, value FROM (
  SELECT * FROM rec_items UNION ALL SELECT * FROM calls UNION ALL SELECT * FROM findings
)
ORDER BY k;
