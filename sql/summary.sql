-- summary: what is in this database, and what did the other reports find?
-- The default output of `wtrec analyze FILE`.
--
-- Columns:
--   item    what is counted or described
--   value   its value; a finding names the report that lists it in detail
--
-- Per recording: file, host, kernel, backend, scope, time span, events,
-- lost events (LOSSY when > 0), completeness.  Then, over all recordings:
-- wait calls by syscall(idtype) and outcome, children forked / exited /
-- reaped / never reaped, and one line per finding (zombies, stolen reaps,
-- auto-reaps, failed waits, polling threads, worst exit->reap latency).
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
kids AS (
  SELECT * FROM process
  WHERE traced = 1 AND (parent_upid IS NOT NULL OR ppid IS NOT NULL)
),
n AS (
  SELECT (SELECT count(*) FROM zombie_v) AS zombies,
         (SELECT count(*) FROM stolen_v) AS stolen,
         (SELECT count(*) FROM autoreap_v) AS autoreaped,
         (SELECT COALESCE(sum(calls), 0) FROM wait_outcome
           WHERE errno_name IS NOT NULL) AS failed,
         (SELECT count(*) FROM polling_v) AS polling,
         (SELECT COALESCE(sum(reap_inferred), 0) FROM wait_outcome) AS inferred
),
errs AS (
  SELECT group_concat(errno_name || ' ' || cnt, ', ') AS txt
  FROM (SELECT errno_name, sum(calls) AS cnt FROM wait_outcome
        WHERE errno_name IS NOT NULL
        GROUP BY errno_name ORDER BY cnt DESC, errno_name)
),
worst AS (
  SELECT c.reaped_ns - c.exit_ns AS lat, c.pid, c.comm, par.pid AS ppid, par.comm AS pcomm
  FROM process c LEFT JOIN process par ON par.upid = c.parent_upid
  WHERE c.reap_call_id IS NOT NULL AND c.exit_ns IS NOT NULL
  ORDER BY lat DESC, c.upid LIMIT 1
),
findings(k, item, value) AS (
  SELECT 2000000000, 'children forked', CAST(count(*) AS TEXT) FROM kids WHERE fork_ns IS NOT NULL
  UNION ALL SELECT 2000000001, 'children exited', CAST(count(*) AS TEXT) FROM kids WHERE exit_ns IS NOT NULL
  UNION ALL SELECT 2000000002, 'children reaped', CAST(count(*) AS TEXT) FROM kids WHERE reap_call_id IS NOT NULL
  UNION ALL SELECT 2000000003, 'children never reaped', (zombies + autoreaped) ||
         CASE WHEN zombies + autoreaped > 0
              THEN ' (zombies ' || zombies || ', auto-reaped ' || autoreaped || ')' ELSE '' END FROM n
  UNION ALL SELECT 2000000004, 'reaps inferred', inferred ||
         ' (waitid: the tracepoint does not name the child)' FROM n WHERE inferred > 0
  UNION ALL SELECT 3000000000, 'zombies', zombies ||
         CASE WHEN zombies > 0 THEN ' (wtrec analyze -r zombies)' ELSE '' END FROM n
  UNION ALL SELECT 3000000001, 'stolen reaps', stolen ||
         CASE WHEN stolen > 0 THEN ' (wtrec analyze -r stolen)' ELSE '' END FROM n
  UNION ALL SELECT 3000000002, 'auto-reaped', autoreaped ||
         CASE WHEN autoreaped > 0 THEN ' (wtrec analyze -r autoreap)' ELSE '' END FROM n
  UNION ALL SELECT 3000000003, 'failed waits', failed ||
         CASE WHEN failed > 0
              THEN ' (' || (SELECT txt FROM errs) || '; wtrec analyze -r errors)' ELSE '' END FROM n
  UNION ALL SELECT 3000000004, 'polling threads', polling ||
         CASE WHEN polling > 0 THEN ' (wtrec analyze -r polling)' ELSE '' END FROM n
  UNION ALL SELECT 3000000005, 'worst exit->reap latency',
         printf('%.3f ms', lat / 1e6) || ' (pid ' || pid || ' ' || COALESCE(comm, '?') ||
         COALESCE(', parent ' || ppid || ' ' || COALESCE(pcomm, '?'), '') ||
         '; wtrec analyze -r latency)' FROM worst
)
SELECT item, value FROM (
  SELECT * FROM rec_items UNION ALL SELECT * FROM calls UNION ALL SELECT * FROM findings
)
ORDER BY k;
