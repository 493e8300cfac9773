-- oracle.sql - strace's view of one run (tables st_*, loaded by
-- tests/e2e/real_programs.sh from strace2tsv.awk) next to wtrec's model of
-- the same run, as text lines: exp_* from strace only, got_* from wtrec's
-- tables only (through the m_* views of model_new.sql / model_old.sql, so
-- that the analyzer of an older schema can be measured too).  A line in
-- one list and not in the other is a mismatch; the script counts them per
-- kind and prints them.
--
-- What strace sees and wtrec must agree with:
--   call    every wait4/waitid of a traced thread, in order: syscall,
--           arguments as passed, options as strace spells them, the
--           return value (the errno name for a failure)
--   reap    every call strace shows returning an exited child (no WNOWAIT):
--           the same call reaped that child, with that status, and the
--           child's row names that thread and call as its reaper
--   tracer  strace itself (not traced by itself): it reaps the command it
--           started, with the status strace saw, and no other tracee
--   notice  every other traced task's exit (a thread's too) reached strace
--           as a tracer's notice (outcome 'traced'), once
-- and what the findings must say (computed here from strace's facts by
-- the definitions in sql/schema.sql, never from wtrec's rows):
--   stolen  a wait for one child (wait4 pid > 0, waitid P_PID/P_PIDFD)
--           failed with ECHILD because another call took that child: one
--           for any child or a group, or another thread's; that call
--           began before the victim's returned
--   double  the same, the taker being the same thread's earlier wait for
--           that very child
--   released  children that exited, that no traced wait reaped, whose
--           parent at exit was traced: by how (the parent ignored SIGCHLD
--           at the child's exit: parent_ignores_sigchld; the parent was
--           the init of the child's pid namespace and exited first:
--           pidns_teardown; otherwise unseen)
--   zombie  those still zombies when strace ended (their parent alive)
--   polling threads whose empty WNOHANG calls that no SIGCHLD drove (made
--           more than 50 ms after the last SIGCHLD delivered to the
--           process, or with none) number >= 100 at >= 500/s
--   errors  failed calls that deserve attention: ECHILD of a wait for one
--           child, or a caller's bug (EINVAL, ESRCH, EFAULT, EBADF...);
--           not ECHILD of a wait for any child, EINTR or a restart
--
-- The o_* and m_tcall tables are made once (CREATE TABLE AS): everything
-- they read is loaded already, and the line views read them many times.
--
-- Pids: strace prints tids in its own pid namespace (= the recorder's),
-- return values and arguments as the tracee saw them; strace2tsv.awk has
-- turned child and target into global pids already.  Times: strace's
-- -ttt epoch seconds (the `*_ts` columns), only compared with each other.

CREATE VIEW o_info AS
SELECT (SELECT value FROM st_info WHERE key = 'tracer') AS tracer,
       (SELECT value FROM st_info WHERE key = 'program') AS program;

-- Every task strace traced: the command, and each task it saw created.
CREATE TABLE o_task AS
SELECT program AS pid, tracer AS parent_pid, 0 AS is_thread, 0 AS ns,
       program AS ns_pid, NULL AS ts
FROM o_info
UNION ALL
SELECT pid, parent_pid, is_thread, ns, ns_pid, ts FROM st_task;

-- Processes (not threads) with their exit as strace saw it.
CREATE TABLE o_proc AS
SELECT t.pid, t.parent_pid, t.ns, t.ns_pid, t.ts AS fork_ts,
       x.ts AS exit_ts,
       CASE x.kind WHEN 'exited' THEN 'exited ' || x.val
                   WHEN 'killed' THEN 'killed ' || x.val
                   WHEN 'dumped' THEN 'killed ' || x.val END AS status
FROM o_task t
LEFT JOIN st_exit x ON x.tid = t.pid
WHERE t.is_thread = 0;

-- The init (ns_pid 1) of each pid namespace other than strace's.
CREATE TABLE o_ns_init AS
SELECT ns, pid FROM o_task WHERE is_thread = 0 AND ns <> 0 AND ns_pid = 1;

CREATE TABLE o_call AS
SELECT c.tid, c.pid, c.seq, c.syscall, c.arg1, c.arg2, c.options, c.ret,
       nullif(c.child, '') AS child, nullif(c.status, '') AS status,
       nullif(c.target, '') AS target, c.enter_ts, c.exit_ts,
       CASE WHEN c.syscall = 'wait4' THEN c.arg1
            WHEN c.arg1 = 'P_ALL' THEN c.arg1
            ELSE c.arg1 || ' ' || c.arg2 END AS args,
       CASE WHEN c.syscall = 'wait4' THEN CAST(c.arg1 AS INTEGER) > 0
            ELSE c.arg1 IN ('P_PID', 'P_PIDFD') END AS targeted
FROM st_call c;

-- Calls that took an exited child (the kernel reaped it in that call).
CREATE TABLE o_reap AS
SELECT c.*, CAST(c.child AS INTEGER) AS cpid,
       replace(c.status, 'dumped ', 'killed ') AS st
FROM o_call c
WHERE c.child IS NOT NULL AND c.options NOT LIKE '%WNOWAIT%'
  AND (c.status LIKE 'exited %' OR c.status LIKE 'killed %'
       OR c.status LIKE 'dumped %');

-- ---- wtrec's side: the traced threads' calls, numbered per thread ----------

CREATE TABLE o_tid AS SELECT pid AS tid FROM o_task;

CREATE TABLE m_tcall AS
SELECT w.*,
       row_number() OVER (PARTITION BY w.tid ORDER BY w.enter_ns, w.id) AS k,
       CASE WHEN w.syscall = 'wait4' THEN CAST(w.pid_arg AS TEXT)
            WHEN w.idtype = 'P_ALL' THEN w.idtype
            ELSE w.idtype || ' ' || w.target END AS args,
       CASE WHEN w.exit_ns IS NULL THEN 'blocked'
            WHEN w.ret < 0 THEN w.errno_name
            ELSE CAST(w.ret AS TEXT) END AS ret_text
FROM m_wc w
WHERE w.tid IN (SELECT tid FROM o_tid);

-- ---- call: the same calls, in the same order, with the same values ---------

CREATE VIEW call_pair AS
SELECT o.tid AS o_tid, o.seq, o.syscall AS o_sys, o.args AS o_args,
       o.options AS o_opt, o.ret AS o_ret,
       m.tid AS m_tid, m.k, m.syscall AS m_sys, m.args AS m_args,
       m.options_text AS m_opt, m.ret_text AS m_ret, m.outcome, m.id AS m_id
FROM o_call o FULL OUTER JOIN m_tcall m ON m.tid = o.tid AND m.k = o.seq;

CREATE VIEW exp_call AS
SELECT printf('call tid=%d #%03d %s(%s, %s) = %s', o_tid, seq, o_sys, o_args,
              o_opt, o_ret) AS line
FROM call_pair WHERE o_tid IS NOT NULL;

-- A call strace saw die inside the kernel ('?') matches whatever wtrec
-- saw it return (the task was killed before user space got a value);
-- the options of such a call are not printed by strace.
CREATE VIEW got_call AS
SELECT printf('call tid=%d #%03d %s(%s, %s) = %s', m_tid, k, m_sys, m_args,
              CASE WHEN o_ret = '?' THEN o_opt ELSE m_opt END,
              CASE WHEN o_ret = '?' THEN '?' ELSE m_ret END) AS line
FROM call_pair WHERE m_tid IS NOT NULL;

-- ---- reap: strace's reaps are wtrec's reaps ------------------------------

CREATE VIEW exp_reap AS
SELECT printf('reap tid=%d #%03d child=%d status=%s reaper=%d', tid, seq, cpid,
              st, tid) AS line
FROM o_reap;

CREATE VIEW got_reap AS
SELECT printf('reap tid=%d #%03d child=%s status=%s reaper=%s', m.tid, m.k,
              COALESCE(c.pid, '?'), COALESCE(s.status, '?'),
              CASE WHEN c.reap_call_id = m.id THEN CAST(c.reaper_tid AS TEXT)
                   ELSE 'other call ' || COALESCE(c.reap_call_id, 'none') END)
       AS line
FROM m_tcall m
LEFT JOIN m_proc c ON c.upid = m.reaped_upid
LEFT JOIN process_status s ON s.upid = c.upid
WHERE m.outcome = 'reaped';

-- ---- tracer: strace reaps the command it started, and only that ----------

CREATE VIEW exp_tracer AS
SELECT printf('tracer reaped child=%d status=%s', p.pid,
              COALESCE(p.status, 'running')) AS line
FROM o_proc p JOIN o_info i ON p.pid = i.program;

CREATE VIEW got_tracer AS
SELECT printf('tracer reaped child=%s status=%s', COALESCE(c.pid, '?'),
              COALESCE(s.status, '?')) AS line
FROM m_wc w
JOIN o_info i ON w.tid = i.tracer
LEFT JOIN m_proc c ON c.upid = w.reaped_upid
LEFT JOIN process_status s ON s.upid = c.upid
WHERE w.outcome = 'reaped'
  -- strace also forks and reaps children of its own before it starts
  -- the command (its ptrace feature probes): not tracees, not judged
  AND (c.pid IS NULL OR c.pid IN (SELECT pid FROM o_proc));

-- Each traced task that exited (thread, or process other than the
-- command) reached strace as one exit notice (a tracer's notice: the real
-- parent reaps a process), naming the task's process.
CREATE VIEW exp_notice AS
SELECT printf('notice child=%d',
              CASE WHEN t.is_thread = 1 THEN t.parent_pid ELSE t.pid END) AS line
FROM o_task t JOIN o_info i ON t.pid <> i.program
WHERE EXISTS (SELECT 1 FROM st_exit x WHERE x.tid = t.pid);

CREATE VIEW got_notice AS
SELECT printf('notice child=%s', COALESCE(c.pid, '?')) AS line
FROM m_wc w
JOIN o_info i ON w.tid = i.tracer
LEFT JOIN m_proc c ON c.upid = w.child_upid
WHERE w.outcome = 'traced';

-- ---- stolen and double waits ------------------------------------------------

-- For each targeted wait that failed with ECHILD: the call that took its
-- child (the last reap of that pid that began before the victim returned).
CREATE TABLE o_lost AS
SELECT v.tid AS v_tid, v.seq AS v_seq, CAST(v.target AS INTEGER) AS child,
       (SELECT r.tid || ' ' || r.seq FROM o_reap r
        WHERE r.cpid = CAST(v.target AS INTEGER)
          AND r.enter_ts <= v.exit_ts
          AND NOT (r.tid = v.tid AND r.seq = v.seq)
        ORDER BY r.enter_ts DESC LIMIT 1) AS taker
FROM o_call v
WHERE v.targeted AND v.ret = 'ECHILD' AND v.target IS NOT NULL;

CREATE TABLE o_lost_by AS
SELECT l.*, r.tid AS t_tid, r.seq AS t_seq, r.targeted AS t_targeted,
       r.target AS t_target, r.exit_ts AS t_exit, v.enter_ts AS v_enter
FROM o_lost l
JOIN o_reap r ON r.tid || ' ' || r.seq = l.taker
JOIN o_call v ON v.tid = l.v_tid AND v.seq = l.v_seq;

CREATE VIEW exp_stolen AS
SELECT printf('stolen victim=%d child=%d thief=%d', v_tid, child, t_tid) AS line
FROM o_lost_by
WHERE NOT (t_tid = v_tid AND t_targeted AND CAST(t_target AS INTEGER) = child);

CREATE VIEW got_stolen AS
SELECT printf('stolen victim=%d child=%d thief=%d', victim_tid, child_pid,
              thief_tid) AS line
FROM stolen_v WHERE victim_tid IN (SELECT tid FROM o_tid);

CREATE VIEW exp_double AS
SELECT printf('double tid=%d child=%d', v_tid, child) AS line
FROM o_lost_by
WHERE t_tid = v_tid AND t_targeted AND CAST(t_target AS INTEGER) = child;

CREATE VIEW got_double AS
SELECT printf('double tid=%d child=%d', tid, child_pid) AS line
FROM m_double WHERE tid IN (SELECT tid FROM o_tid);

-- ---- released, auto-reaped, zombies -----------------------------------------

-- Exited processes that no traced call reaped (the command aside: strace
-- reaped it, see tracer).
CREATE TABLE o_unreaped AS
SELECT p.*,
       par.exit_ts AS par_exit_ts,
       -- the parent at exit: the real parent while it lived, else the
       -- namespace's init (inside one), else someone strace did not trace
       CASE WHEN par.pid IS NOT NULL
                 AND (par.exit_ts IS NULL OR par.exit_ts > p.exit_ts)
              THEN par.pid
            WHEN p.ns <> 0 THEN (SELECT i.pid FROM o_ns_init i WHERE i.ns = p.ns)
       END AS final_parent
FROM o_proc p
LEFT JOIN o_proc par ON par.pid = p.parent_pid
WHERE p.exit_ts IS NOT NULL
  AND p.pid <> (SELECT program FROM o_info)
  AND NOT EXISTS (SELECT 1 FROM o_reap r WHERE r.cpid = p.pid);

CREATE TABLE o_released AS
SELECT u.pid, u.exit_ts, fp.exit_ts AS fp_exit_ts, u.final_parent,
       CASE WHEN COALESCE((SELECT d.ignores FROM st_dispo d
                           WHERE d.pid = u.final_parent AND d.ts <= u.exit_ts
                           ORDER BY d.ts DESC LIMIT 1), 0) = 1
              THEN 'parent_ignores_sigchld'
            WHEN u.final_parent IN (SELECT pid FROM o_ns_init)
                 AND fp.exit_ts IS NOT NULL THEN 'pidns_teardown'
            ELSE 'unseen' END AS kind,
       fp.exit_ts IS NULL AS zombie_at_end
FROM o_unreaped u
JOIN o_proc fp ON fp.pid = u.final_parent;

CREATE VIEW exp_released AS
SELECT printf('released pid=%d kind=%s', pid, kind) AS line
FROM o_released WHERE NOT zombie_at_end;

CREATE VIEW got_released AS
SELECT printf('released pid=%d kind=%s', pid, kind) AS line
FROM m_released WHERE pid IN (SELECT pid FROM o_proc);

CREATE VIEW exp_autoreap AS
SELECT printf('autoreap pid=%d', pid) AS line
FROM o_released WHERE kind = 'parent_ignores_sigchld' AND NOT zombie_at_end;

CREATE VIEW got_autoreap AS
SELECT printf('autoreap pid=%d', pid) AS line
FROM m_autoreap WHERE pid IN (SELECT pid FROM o_proc);

CREATE VIEW exp_zombie AS
SELECT printf('zombie pid=%d', pid) AS line FROM o_released WHERE zombie_at_end;

-- A zombie whose parent strace did not trace (an orphan handed to the
-- host's init, which reaps when it pleases) is one strace cannot judge.
CREATE VIEW got_zombie AS
SELECT printf('zombie pid=%d', pid) AS line
FROM zombie_v
WHERE pid IN (SELECT pid FROM o_proc)
  AND pid NOT IN (SELECT pid FROM o_unreaped WHERE final_parent IS NULL);

-- How long a child released at its namespace's teardown was a zombie:
-- strace's exit of the init minus the child's exit, next to wtrec's.
CREATE VIEW teardown_time AS
SELECT r.pid, (r.fp_exit_ts - r.exit_ts) * 1e3 AS oracle_ms,
       (m.released_ns - m.exit_ns) / 1e6 AS wtrec_ms
FROM o_released r
LEFT JOIN m_proc m ON m.pid = r.pid AND m.exit_ns IS NOT NULL
WHERE r.kind = 'pidns_teardown';

-- ---- polling ------------------------------------------------------------------

CREATE TABLE o_poll AS
SELECT c.tid, c.enter_ts, c.exit_ts,
       (c.ret = '0' AND c.child IS NULL) AS empty,
       COALESCE(c.enter_ts - (SELECT max(s.ts) FROM st_sig s
                              WHERE s.pid = c.pid AND s.sig = 'SIGCHLD'
                                AND s.ts <= c.enter_ts), 1e9) > 0.05 AS undriven
FROM o_call c WHERE c.options LIKE '%WNOHANG%';

CREATE VIEW exp_polling AS
SELECT printf('polling tid=%d', tid) AS line
FROM o_poll GROUP BY tid
HAVING sum(empty AND undriven) >= 100
   AND sum(empty AND undriven) / max(max(exit_ts) - min(enter_ts), 0.001) >= 500;

CREATE VIEW got_polling AS
SELECT printf('polling tid=%d', tid) AS line
FROM polling_v
WHERE tid IN (SELECT tid FROM o_tid) OR tid = (SELECT tracer FROM o_info);

-- ---- errors that deserve attention --------------------------------------------

CREATE VIEW exp_errors AS
SELECT printf('error tid=%d #%03d %s', tid, seq, ret) AS line
FROM o_call
WHERE ret LIKE 'E%'
  AND ((ret = 'ECHILD' AND targeted)
       OR ret NOT IN ('ECHILD', 'EINTR', 'ERESTARTSYS', 'ERESTARTNOINTR',
                      'ERESTARTNOHAND', 'ERESTART_RESTARTBLOCK'));

CREATE VIEW got_errors AS
SELECT printf('error tid=%d #%03d %s', tid, k, ret_text) AS line
FROM m_tcall WHERE attention
UNION ALL
SELECT printf('error tracer tid=%d %s', w.tid, w.errno_name) AS line
FROM m_wc w JOIN o_info i ON w.tid = i.tracer WHERE w.attention;
