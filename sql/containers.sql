-- containers: which container is leaking zombies, who orphaned them, does
-- its PID 1 ever wait, and is that why forks fail?
--
-- A container here is a cgroup (the pids hierarchy's where the host has
-- one, since pids.max is there; else the v2 one) and a pid namespace:
-- one row per view container_v row (schema.sql) with processes in
-- scope_process (all of them, or the container `wtrec analyze --container`
-- names), those with zombies and failed forks first.
--
-- Columns:
--   container    the container id its cgroup names (the first 12 of a
--                64-hex id, as `docker ps` shows it) or name; '-' none
--   runtime      who named it (process.container_runtime)
--   cgroup       'pids:/path' or 'v2:/path'
--   pidns        'host' (the recorder's pid namespace) or 'ns N (level L)'
--                (table pidns)
--   init         the namespace's PID 1: 'PID COMM'
--   init_waits   did it call wait in the recording: 'no (0 calls)', 'yes
--                (N calls, last at T s)', 'not traced' (outside the
--                recording's scope: unknown)
--   orphans      the container's processes handed to that init when their
--                parent exited (table reparent): 'N inherited, R reaped,
--                L left' (left: zombies at the end)
--   zombies      zombies at start -> at the end, and the most at once
--                during the recording: '0 -> 7 (peak 7)'
--   oldest_zombie  'PID COMM, zombie for T s' ('since before the
--                recording' for one of the start snapshot)
--   orphaned_by  who orphaned the zombies at the end: their original
--                parent (process.original_parent_upid), 'PID COMM' and how
--                many, most first
--   failed_forks fork/clone calls of its processes that failed (table
--                fork_failure) and their errnos: '3 (EAGAIN 3)'
--   pids         pids.current/pids.max of the cgroup at start -> at stop
--                ('max': no limit; '-': no pids files there), with an
--                ancestor's lower limit in brackets, and the forks
--                pids.events says the limit refused meanwhile; 'not read'
--                at start or at stop when no process was in it then (the
--                recorder reads the cgroups its snapshots name)
WITH
rec AS (SELECT id, start_ns, end_ns FROM recording),
c AS (
  SELECT v.* FROM container_v v
  WHERE EXISTS (SELECT 1 FROM container_member_v m
                JOIN scope_process s ON s.upid = m.upid
                WHERE m.recording_id = v.recording_id AND m.cgroup = v.cgroup
                  AND m.pidns_id IS v.pidns_id)
     OR EXISTS (SELECT 1 FROM fork_failure f
                JOIN scope_process s ON s.upid = f.upid
                WHERE f.recording_id = v.recording_id
                  AND COALESCE(f.cgroup_pids, f.cgroup, '(unknown)') = v.cgroup
                  AND f.pidns_id IS v.pidns_id)
),
mem AS (
  SELECT m.recording_id, m.cgroup, m.pidns_id, p.*
  FROM container_member_v m JOIN process p ON p.upid = m.upid
),
-- orphans handed to the container's init
orph AS (
  SELECT c.recording_id, c.cgroup, c.pidns_id,
         count(DISTINCT r.upid) AS inherited,
         count(DISTINCT CASE WHEN k.reaper_upid = c.init_upid THEN k.upid END)
           AS reaped,
         count(DISTINCT z.upid) AS left_
  FROM c
  JOIN reparent r ON r.to_upid = c.init_upid AND r.recording_id = c.recording_id
  JOIN container_member_v m ON m.upid = r.upid AND m.cgroup = c.cgroup
                           AND m.pidns_id IS c.pidns_id
  JOIN process k ON k.upid = r.upid
  LEFT JOIN zombie_v z ON z.upid = r.upid
  GROUP BY 1, 2, 3
),
-- +1 when a member became a zombie, -1 when it left: the running sum's
-- maximum is the most zombies at once
zev AS (
  SELECT m.recording_id, m.cgroup, m.pidns_id,
         COALESCE(m.exit_ns, r.start_ns) AS ts, 1 AS d
  FROM mem m JOIN rec r ON r.id = m.recording_id
  WHERE m.exit_ns IS NOT NULL OR m.zombie_at_start = 1
  UNION ALL
  SELECT m.recording_id, m.cgroup, m.pidns_id,
         COALESCE(m.reaped_ns, m.released_ns), -1
  FROM mem m
  WHERE (m.exit_ns IS NOT NULL OR m.zombie_at_start = 1)
    AND COALESCE(m.reaped_ns, m.released_ns) IS NOT NULL
),
peak AS (
  SELECT recording_id, cgroup, pidns_id, max(n) AS peak FROM (
    SELECT recording_id, cgroup, pidns_id,
           sum(d) OVER (PARTITION BY recording_id, cgroup, pidns_id
                        ORDER BY ts, d ROWS UNBOUNDED PRECEDING) AS n
    FROM zev)
  GROUP BY 1, 2, 3
),
zom AS (
  SELECT m.* FROM mem m JOIN zombie_v z ON z.upid = m.upid
),
oldest AS (
  SELECT recording_id, cgroup, pidns_id, pid, comm, exit_ns,
         row_number() OVER (PARTITION BY recording_id, cgroup, pidns_id
                            ORDER BY COALESCE(exit_ns, -1), upid) AS nth
  FROM zom
),
orphaner AS (
  SELECT recording_id, cgroup, pidns_id,
         group_concat(who || CASE WHEN n > 1 THEN ' x' || n ELSE '' END, ', ')
           AS txt
  FROM (SELECT z.recording_id, z.cgroup, z.pidns_id,
               op.pid || ' ' || COALESCE(op.comm, '?') AS who, count(*) AS n
        FROM zom z JOIN process op ON op.upid = z.original_parent_upid
        WHERE z.parent_upid IS NOT z.original_parent_upid
        GROUP BY 1, 2, 3, op.upid
        ORDER BY n DESC, op.pid)
  GROUP BY 1, 2, 3
),
lim AS (
  SELECT l.recording_id, l.hierarchy, l.path, l.snapshot,
         CASE WHEN l.pids_read = 0 THEN '-'
              ELSE COALESCE(l.pids_current, '?') || '/' ||
                   COALESCE(l.pids_max, 'max') END AS txt,
         l.pids_max, l.pids_events_max
  FROM cgroup_limit l
),
-- the lowest pids.max above the cgroup, at stop
anc AS (
  SELECT c.recording_id, c.cgroup, c.pidns_id, min(a.pids_max) AS max_above
  FROM c JOIN cgroup_limit a
    ON a.recording_id = c.recording_id AND a.hierarchy = c.hierarchy
   AND a.snapshot = 'stop' AND a.pids_max IS NOT NULL
   AND a.path <> c.cgroup
   AND (a.path = '/' OR substr(c.cgroup, 1, length(a.path) + 1) = a.path || '/')
  GROUP BY 1, 2, 3
)
SELECT
  CASE WHEN c.container_id IS NULL THEN '-'
       WHEN length(c.container_id) = 64 AND c.container_id NOT GLOB '*[^0-9a-f]*'
         THEN substr(c.container_id, 1, 12)
       ELSE c.container_id END AS container,
  COALESCE(c.container_runtime, '-') AS runtime,
  c.hierarchy || ':' || c.cgroup AS cgroup,
  CASE WHEN n.level = 0 THEN 'host'
       WHEN n.id IS NULL THEN '?'
       ELSE 'ns ' || n.id || COALESCE(' (level ' || n.level || ')', '') END AS pidns,
  COALESCE(i.pid || ' ' || COALESCE(i.comm, '?'),
           CASE WHEN n.level = 0 THEN '1 (the host''s init)' ELSE '?' END) AS init,
  CASE WHEN i.upid IS NULL AND n.level = 0 THEN 'not traced'
       WHEN i.upid IS NULL THEN '?'
       WHEN i.traced = 0 THEN 'not traced'
       WHEN i.wait_calls > 0 THEN 'yes (' || i.wait_calls || ' calls, last at ' ||
            printf('%.3f s', (i.last_wait_ns - r.start_ns) / 1e9) || ')'
       ELSE 'no (0 calls)' END AS init_waits,
  COALESCE(o.inherited, 0) || ' inherited, ' || COALESCE(o.reaped, 0) ||
    ' reaped, ' || COALESCE(o.left_, 0) || ' left' AS orphans,
  c.zombies_start || ' -> ' || c.zombies_end ||
    ' (peak ' || COALESCE(max(pk.peak, c.zombies_start, c.zombies_end),
                          max(c.zombies_start, c.zombies_end)) || ')' AS zombies,
  COALESCE(od.pid || ' ' || COALESCE(od.comm, '?') || ', ' ||
           CASE WHEN od.exit_ns IS NULL THEN 'since before the recording'
                ELSE printf('zombie for %.3f s', (r.end_ns - od.exit_ns) / 1e9) END,
           '-') AS oldest_zombie,
  COALESCE(ob.txt, '-') AS orphaned_by,
  c.forks_failed || COALESCE(' (' || c.fork_errnos || ')', '') AS failed_forks,
  CASE WHEN ls.txt IS NULL AND le.txt IS NULL
       THEN 'not read (no process in it at start or stop)'
       ELSE COALESCE(ls.txt, 'not read') || ' -> ' ||
            COALESCE(le.txt, 'not read') END ||
    CASE WHEN an.max_above IS NOT NULL
              AND (le.pids_max IS NULL OR an.max_above < le.pids_max)
         THEN ' [above: max ' || an.max_above || ']' ELSE '' END ||
    CASE WHEN le.pids_events_max IS NOT NULL AND ls.pids_events_max IS NOT NULL
         THEN ', ' || (le.pids_events_max - ls.pids_events_max) || ' refused'
         ELSE '' END AS pids
FROM c
JOIN rec r ON r.id = c.recording_id
LEFT JOIN pidns n ON n.id = c.pidns_id
LEFT JOIN process i ON i.upid = c.init_upid
LEFT JOIN orph o ON o.recording_id = c.recording_id AND o.cgroup = c.cgroup
                AND o.pidns_id IS c.pidns_id
LEFT JOIN peak pk ON pk.recording_id = c.recording_id AND pk.cgroup = c.cgroup
                 AND pk.pidns_id IS c.pidns_id
LEFT JOIN oldest od ON od.recording_id = c.recording_id AND od.cgroup = c.cgroup
                   AND od.pidns_id IS c.pidns_id AND od.nth = 1
LEFT JOIN orphaner ob ON ob.recording_id = c.recording_id AND ob.cgroup = c.cgroup
                     AND ob.pidns_id IS c.pidns_id
LEFT JOIN lim ls ON ls.recording_id = c.recording_id AND ls.hierarchy = c.hierarchy
                AND ls.path = c.cgroup AND ls.snapshot = 'start'
LEFT JOIN lim le ON le.recording_id = c.recording_id AND le.hierarchy = c.hierarchy
                AND le.path = c.cgroup AND le.snapshot = 'stop'
LEFT JOIN anc an ON an.recording_id = c.recording_id AND an.cgroup = c.cgroup
                AND an.pidns_id IS c.pidns_id
ORDER BY c.zombies_end DESC, c.forks_failed DESC, c.processes DESC,
         c.recording_id, c.cgroup, c.pidns_id;
