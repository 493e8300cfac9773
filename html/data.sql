-- data.sql - the data of the HTML incident report (`wtrec analyze FILE
-- --html report.html`), read from the model's documented tables and views
-- (sql/schema.sql).  Every query the report needs is in this file, so a
-- change of the model is adapted here and nowhere else.
--
-- analyze/html.c runs the statements in order on its own read-only
-- connection.  Statements that return no rows build TEMP tables (the
-- connection's own temporary schema: the database file is opened
-- read-only and never changed).  A statement preceded by a line
--   -- @section NAME
-- becomes the page's data section NAME, as {"cols": [...], "rows": [[...],
-- ...]} with SQLite's values (numbers as numbers, NULL as null).  The one
-- marked
--   -- @calls
-- is streamed in wait_call.id order and run-length encoded by html_calls.c:
-- consecutive rows of one thread with the same non-NULL poll_key become one
-- span with a count (runs of empty WNOHANG polls), and beyond the item
-- budget every K consecutive spans of a thread become one.
--
-- Parameters (NULL: no limit):
--   :from_ns, :to_ns   the time window (trace clock ns; --since / --until)
--   :pid               only process instances with this pid, their parents
--                      and their children (--pid)
--   :max_procs         at most this many process lanes
--
-- Times for drawing (*_rel) are ns since the earliest recording's start;
-- rows keep the model's own columns (p.*, w.*, s.*) for the details pane.

-- The origin of the drawing, and the window (as absolute ns).
CREATE TEMP TABLE html_win AS
SELECT min(start_ns) AS t0,
       COALESCE(:from_ns, min(start_ns)) AS lo,
       COALESCE(:to_ns, max(end_ns)) AS hi
FROM recording;

-- Every process that could get a lane: in the recording's scope, or a
-- maker of wait calls; inside --pid and the window.  Each with its life
-- (fork, else a start inside the recording, else the recording's start, to
-- exit, else free/reap/end), its zombie time (exit to reap, or to the end
-- for a zombie still there) and its fate, from the views that define the
-- findings.
CREATE TEMP TABLE html_cand AS
WITH p AS (
  SELECT p.*,
         CASE WHEN p.fork_ns IS NOT NULL THEN p.fork_ns
              WHEN p.start_ns > r.start_ns THEN p.start_ns
              ELSE r.start_ns END AS life_b,
         COALESCE(p.exit_ns, p.freed_ns, p.reaped_ns, r.end_ns) AS life_e,
         r.end_ns AS rec_end
  FROM process p JOIN recording r ON r.id = p.recording_id
  WHERE (p.traced = 1 OR p.wait_calls > 0)
    AND (:pid IS NULL OR p.pid = :pid OR p.ppid = :pid
         OR p.upid IN (SELECT parent_upid FROM process WHERE pid = :pid))
)
SELECT p.upid,
       p.life_b, p.life_e,
       -- a zombie of the start snapshot was one from the start on
       CASE WHEN p.reap_call_id IS NOT NULL
                 AND (p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
              THEN COALESCE(p.exit_ns, p.life_b)
            WHEN z.upid IS NOT NULL THEN COALESCE(p.exit_ns, p.life_b) END AS zombie_b,
       CASE WHEN p.reap_call_id IS NOT NULL
                 AND (p.exit_ns IS NOT NULL OR p.zombie_at_start = 1)
              THEN p.reaped_ns
            WHEN z.upid IS NOT NULL THEN p.rec_end END AS zombie_e,
       CASE WHEN s.child_upid IS NOT NULL THEN 'stolen'
            WHEN p.reap_call_id IS NOT NULL THEN 'reaped'
            WHEN z.upid IS NOT NULL THEN 'zombie'
            WHEN a.upid IS NOT NULL THEN 'autoreaped'
            WHEN st.status = 'running' AND p.reaped_ns IS NULL THEN 'running'
            ELSE 'not reaped' END AS fate,
       a.evidence AS autoreap_evidence,
       -- lanes with findings first (and the parents that let them
       -- happen), then waiters, then the rest
       CASE WHEN z.upid IS NOT NULL OR a.upid IS NOT NULL
                 OR s.child_upid IS NOT NULL
                 OR p.upid IN (SELECT victim_upid FROM stolen_v)
                 OR p.upid IN (SELECT thief_upid FROM stolen_v)
                 OR p.upid IN (SELECT parent_upid FROM zombie_v)
                 OR p.upid IN (SELECT parent_upid FROM autoreap_v)
                 OR p.upid IN (SELECT upid FROM polling_v)
                 OR p.upid IN (SELECT upid FROM wait_call
                               WHERE ret < 0 AND errno_name = 'ECHILD')
              THEN 0
            WHEN p.wait_calls > 0 THEN 1 ELSE 2 END AS prio
FROM p
JOIN process_status st ON st.upid = p.upid
LEFT JOIN (SELECT DISTINCT child_upid FROM stolen_v) s ON s.child_upid = p.upid
LEFT JOIN (SELECT upid FROM zombie_v) z ON z.upid = p.upid
LEFT JOIN autoreap_v a ON a.upid = p.upid
JOIN html_win win
WHERE p.life_e >= win.lo AND p.life_b <= win.hi;

-- The lanes drawn: the first :max_procs by priority, then fork order.
CREATE TEMP TABLE html_proc AS
SELECT upid FROM html_cand ORDER BY prio, life_b, upid
LIMIT COALESCE(:max_procs, -1);
CREATE INDEX temp.html_proc_upid ON html_proc(upid);

-- @section recordings
SELECT r.*, r.start_ns - win.t0 AS start_rel, r.end_ns - win.t0 AS end_rel,
       win.lo - win.t0 AS win_lo_rel, win.hi - win.t0 AS win_hi_rel
FROM recording r JOIN html_win win ORDER BY r.id;

-- @section lanes_budget
SELECT (SELECT count(*) FROM html_cand) AS candidates,
       (SELECT count(*) FROM html_proc) AS drawn,
       (SELECT group_concat(fate || ' ' || n, ', ') FROM
          (SELECT c.fate, count(*) AS n FROM html_cand c
           WHERE c.upid NOT IN (SELECT upid FROM html_proc)
           GROUP BY c.fate ORDER BY n DESC)) AS not_drawn_by_fate;

-- @section processes
SELECT p.*, st.status, c.fate, c.autoreap_evidence, c.prio,
       c.life_b - win.t0 AS life_b_rel, c.life_e - win.t0 AS life_e_rel,
       c.zombie_b - win.t0 AS zombie_b_rel, c.zombie_e - win.t0 AS zombie_e_rel,
       rw.syscall || '(' || COALESCE(rw.idtype, '?') ||
         COALESCE(' ' || rw.target, '') || ')' AS reap_call
FROM html_cand c
JOIN html_proc USING (upid)
JOIN process p ON p.upid = c.upid
JOIN process_status st ON st.upid = c.upid
LEFT JOIN wait_call rw ON rw.id = p.reap_call_id
JOIN html_win win
ORDER BY c.life_b, p.upid;

-- Threads of the drawn processes that called wait.
-- @section threads
SELECT t.* FROM thread t
WHERE t.upid IN (SELECT upid FROM html_proc)
  AND t.utid IN (SELECT utid FROM wait_call WHERE utid IS NOT NULL)
ORDER BY t.upid, t.utid;

-- Every wait call of a drawn process inside the window, in call order
-- (CROSS JOIN: wait_call is scanned in id order, never sorted): the row
-- itself, its drawn span, and poll_key, the same for every call of a run
-- that is drawn as one span (WNOHANG calls that found nothing or failed
-- the same way), NULL for a call drawn alone.  The page labels a call
-- from its row (syscall, idtype, target, options_text): no per-row text
-- is built here, since a poller makes millions of rows.
-- @calls
SELECT w.*,
       CASE WHEN (w.options & 1) = 1 AND w.outcome IN ('nothing', 'error')
            THEN w.outcome || ':' || COALESCE(w.errno_name, '') || ':' ||
                 w.syscall || ':' || COALESCE(w.idtype, '') || ':' ||
                 COALESCE(w.target, '') END AS poll_key,
       COALESCE(w.enter_ns, r.start_ns) - win.t0 AS b_rel,
       COALESCE(w.exit_ns, r.end_ns, w.enter_ns) - win.t0 AS e_rel
FROM wait_call w
CROSS JOIN html_win win
JOIN recording r ON r.id = w.recording_id
WHERE w.upid IN (SELECT upid FROM html_proc) AND w.utid IS NOT NULL
  AND COALESCE(w.exit_ns, r.end_ns) >= win.lo
  AND COALESCE(w.enter_ns, r.start_ns) <= win.hi
ORDER BY w.id;

-- The arrows: each drawn child's exit to the wait that reaped it.
-- @section reaps
SELECT c.upid AS child_upid, c.pid AS child_pid, w.id AS call_id,
       w.utid, w.tid, w.upid AS reaper_upid,
       c.exit_ns - win.t0 AS exit_rel,
       COALESCE(w.exit_ns, c.reaped_ns) - win.t0 AS reap_rel,
       c.reaped_ns - c.exit_ns AS latency_ns
FROM process c
JOIN wait_call w ON w.id = c.reap_call_id
JOIN html_win win
WHERE c.upid IN (SELECT upid FROM html_proc)
  AND w.upid IN (SELECT upid FROM html_proc)
  AND c.exit_ns IS NOT NULL AND w.utid IS NOT NULL
  AND c.reaped_ns >= win.lo AND c.exit_ns <= win.hi
ORDER BY c.exit_ns;

-- The stolen reaps (view stolen_v), marked on the victim's thread.
-- @section steals
SELECT s.*, v.utid AS victim_utid,
       COALESCE(s.victim_exit_ns, r.end_ns) - win.t0 AS at_rel,
       s.thief_exit_ns - win.t0 AS thief_rel
FROM stolen_v s
JOIN recording r ON r.id = s.recording_id
JOIN wait_call v ON v.id = s.victim_call_id
JOIN html_win win
WHERE s.victim_upid IN (SELECT upid FROM html_proc) AND v.utid IS NOT NULL
ORDER BY s.victim_call_id;

-- The auto-reaped children (view autoreap_v), marked at their exit.
-- @section autoreaps
SELECT a.upid, a.pid, a.ppid, a.parent_upid, a.evidence,
       COALESCE(a.exit_ns, a.freed_ns, r.start_ns) - win.t0 AS at_rel
FROM autoreap_v a
JOIN recording r ON r.id = a.recording_id
JOIN html_win win
WHERE a.upid IN (SELECT upid FROM html_proc)
ORDER BY a.upid;
