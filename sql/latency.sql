-- latency: per parent process, how long did its children stay zombies
-- (exit -> reap), and how long did its blocking waits block?
--
-- Percentiles are nearest-rank: the value at rank ceil(p * n) of the
-- sorted values.  All durations in ms.
--
-- Columns:
--   pid, comm                   the parent process
--   reaped                      children of it that a wait reaped (with a
--                               known exit time)
--   reap_p50_ms, reap_p99_ms, reap_max_ms   exit -> reap latency
--   blocking_waits              its completed waits without WNOHANG
--   block_p50_ms, block_p99_ms, block_max_ms  time spent in them
WITH lat AS (
  SELECT c.parent_upid AS upid, c.reaped_ns - c.exit_ns AS v
  FROM process c
  WHERE c.reap_call_id IS NOT NULL AND c.exit_ns IS NOT NULL
    AND c.parent_upid IS NOT NULL
),
blk AS (
  SELECT w.upid, w.dur_ns AS v
  FROM wait_call w
  -- these terms imply index wait_call_blocking's WHERE (schema.sql)
  WHERE w.upid IS NOT NULL AND w.dur_ns IS NOT NULL
    AND (w.options & 1) = 0                     -- not WNOHANG
),
lat_r AS (
  SELECT upid, v, row_number() OVER (PARTITION BY upid ORDER BY v) AS rn,
         count(*) OVER (PARTITION BY upid) AS n
  FROM lat
),
blk_r AS (
  SELECT upid, v, row_number() OVER (PARTITION BY upid ORDER BY v) AS rn,
         count(*) OVER (PARTITION BY upid) AS n
  FROM blk
),
lat_s AS (
  SELECT upid, max(n) AS n,
         max(CASE WHEN rn = (n + 1) / 2 THEN v END) AS p50,          -- ceil(n/2)
         max(CASE WHEN rn = (99 * n + 99) / 100 THEN v END) AS p99,  -- ceil(.99n)
         max(v) AS mx
  FROM lat_r GROUP BY upid
),
blk_s AS (
  SELECT upid, max(n) AS n,
         max(CASE WHEN rn = (n + 1) / 2 THEN v END) AS p50,
         max(CASE WHEN rn = (99 * n + 99) / 100 THEN v END) AS p99,
         max(v) AS mx
  FROM blk_r GROUP BY upid
),
who AS (SELECT upid FROM lat_s UNION SELECT upid FROM blk_s)
SELECT p.pid,
       p.comm,
       COALESCE(l.n, 0) AS reaped,
       CASE WHEN l.p50 IS NOT NULL THEN printf('%.3f', l.p50 / 1e6) END AS reap_p50_ms,
       CASE WHEN l.p99 IS NOT NULL THEN printf('%.3f', l.p99 / 1e6) END AS reap_p99_ms,
       CASE WHEN l.mx IS NOT NULL THEN printf('%.3f', l.mx / 1e6) END AS reap_max_ms,
       COALESCE(b.n, 0) AS blocking_waits,
       CASE WHEN b.p50 IS NOT NULL THEN printf('%.3f', b.p50 / 1e6) END AS block_p50_ms,
       CASE WHEN b.p99 IS NOT NULL THEN printf('%.3f', b.p99 / 1e6) END AS block_p99_ms,
       CASE WHEN b.mx IS NOT NULL THEN printf('%.3f', b.mx / 1e6) END AS block_max_ms
FROM who
JOIN process p ON p.upid = who.upid
LEFT JOIN lat_s l ON l.upid = who.upid
LEFT JOIN blk_s b ON b.upid = who.upid
ORDER BY l.mx IS NULL, l.mx DESC, b.mx DESC, p.upid;
