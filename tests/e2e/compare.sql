-- compare.sql - the workload log (log_* tables, loaded by lib.sh
-- e2e_load_log) and wtrec's model side by side, as one text line per wait
-- call and per forked child.  expect_* come from the log only; got_* from
-- wtrec's tables only; e2e_compare diffs the two sorted lists.
--
-- A call line: the calling thread, the call's rank among that thread's
-- calls (log: by SEQ; model: by enter_ns), syscall, idtype, the raw pid/id
-- argument, options, result (return value or errno name), outcome
-- (reaped / report / nothing / error) and the pid of the child it reaped.
-- A mem line: the call (thread and rank, syscall), the pointers it passed
-- (0 = NULL) and what the kernel wrote there ('-' = nothing): the status
-- word, the siginfo, the rusage.  The log's contents are expected only
-- when the recording should hold them (e2e_expect.reads = 'yes'); else
-- the model's must all be NULL; 'unknown' compares the pointers alone.
-- A proc line: the child's pid, which instance of that pid (pid reuse),
-- the pid of the parent that forked it, the forking thread, how it ended,
-- and which call (thread and rank) reaped it, or "none".

-- The workload's processes: main and everything it forked.
CREATE VIEW wl_pids AS
SELECT pid FROM log_main UNION SELECT pid FROM log_fork;

CREATE VIEW lc AS
SELECT *, row_number() OVER (PARTITION BY tid ORDER BY seq) AS k
FROM log_call;

CREATE VIEW expect_call AS
SELECT printf('call tid=%d #%03d %s %s arg=%d opt=%d result=%s outcome=%s reaped=%d',
              tid, k, syscall, idtype, target, options,
              CASE WHEN ret = -1 THEN errno ELSE ret END,
              CASE WHEN ret = -1 THEN 'error'
                   WHEN reaped > 0 THEN 'reaped'
                   WHEN child > 0 THEN 'report'
                   ELSE 'nothing' END,
              reaped) AS line
FROM lc;

CREATE VIEW dc AS
SELECT w.*, row_number() OVER (PARTITION BY w.tid
                               ORDER BY w.enter_ns, w.id) AS k
FROM wait_call w
WHERE w.pid IN (SELECT pid FROM wl_pids);

CREATE VIEW got_call AS
SELECT printf('call tid=%d #%03d %s %s arg=%d opt=%d result=%s outcome=%s reaped=%d',
              tid, k, syscall, idtype, pid_arg, options,
              CASE WHEN ret < 0 THEN errno_name ELSE ret END, outcome,
              COALESCE((SELECT p.pid FROM process p
                        WHERE p.upid = dc.reaped_upid), 0)) AS line
FROM dc;

CREATE VIEW expect_mem AS
SELECT printf('mem tid=%d #%03d %s addr=%s ru_addr=%s', lc.tid, lc.k,
              lc.syscall, m.addr, m.ru_addr) ||
       CASE (SELECT reads FROM e2e_expect)
         WHEN 'unknown' THEN ''
         WHEN 'yes' THEN printf(' status=%s si=%s,%s,%s,%s,%s ru=%s,%s,%s,%s,%s,%s,%s',
              m.status, m.si_signo, m.si_code, m.si_pid, m.si_uid, m.si_status,
              m.ru_utime_us, m.ru_stime_us, m.ru_maxrss, m.ru_minflt,
              m.ru_majflt, m.ru_nvcsw, m.ru_nivcsw)
         ELSE ' status=- si=-,-,-,-,- ru=-,-,-,-,-,-,-' END AS line
FROM lc JOIN log_mem m ON m.tid = lc.tid AND m.seq = lc.seq;

CREATE VIEW got_mem AS
SELECT printf('mem tid=%d #%03d %s addr=%d ru_addr=%d', tid, k, syscall,
              COALESCE(status_addr, infop_addr, 0), COALESCE(rusage_addr, 0)) ||
       CASE WHEN (SELECT reads FROM e2e_expect) = 'unknown' THEN ''
         ELSE printf(' status=%s si=%s,%s,%s,%s,%s ru=%s,%s,%s,%s,%s,%s,%s',
              COALESCE(status, '-'), COALESCE(si_signo, '-'),
              COALESCE(si_code, '-'), COALESCE(si_pid, '-'),
              COALESCE(si_uid, '-'), COALESCE(si_status, '-'),
              COALESCE(ru_utime_us, '-'), COALESCE(ru_stime_us, '-'),
              COALESCE(ru_maxrss_kb, '-'), COALESCE(ru_minflt, '-'),
              COALESCE(ru_majflt, '-'), COALESCE(ru_nvcsw, '-'),
              COALESCE(ru_nivcsw, '-')) END AS line
FROM dc;

CREATE VIEW lf AS
SELECT pid, by_tid, by_pid,
       row_number() OVER (PARTITION BY pid ORDER BY rowid) AS n
FROM log_fork;

CREATE VIEW lfa AS
SELECT pid, kind, status,
       row_number() OVER (PARTITION BY pid ORDER BY rowid) AS n
FROM log_fate;

CREATE VIEW lr AS
SELECT reaped AS pid, tid, k,
       row_number() OVER (PARTITION BY reaped ORDER BY seq) AS n
FROM lc WHERE reaped > 0;

CREATE VIEW expect_proc AS
SELECT printf('proc pid=%d #%d parent=%d fork_tid=%d status=%s reaper=%s',
              lf.pid, lf.n, lf.by_pid, lf.by_tid,
              COALESCE(lfa.status, '?'),
              CASE WHEN lr.tid IS NULL THEN 'none'
                   ELSE printf('tid=%d #%03d', lr.tid, lr.k) END) AS line
FROM lf
LEFT JOIN lfa ON lfa.pid = lf.pid AND lfa.n = lf.n
LEFT JOIN lr ON lr.pid = lf.pid AND lr.n = lf.n;

CREATE VIEW dp AS
SELECT p.*, row_number() OVER (PARTITION BY p.pid
                               ORDER BY COALESCE(p.fork_ns, p.start_ns),
                                        p.upid) AS n
FROM process p
WHERE p.pid IN (SELECT pid FROM log_fork);

CREATE VIEW got_proc AS
SELECT printf('proc pid=%d #%d parent=%d fork_tid=%d status=%s reaper=%s',
              dp.pid, dp.n,
              (SELECT par.pid FROM process par
               WHERE par.upid = dp.original_parent_upid),
              dp.fork_tid,
              CASE WHEN dp.exit_code IS NOT NULL THEN 'exited ' || dp.exit_code
                   WHEN dp.exit_signal IS NOT NULL
                     THEN 'killed ' || dp.exit_signal
                   WHEN dp.exit_ns IS NULL AND COALESCE(dp.zombie_at_stop, 0) = 0
                     THEN 'running'
                   ELSE 'unknown' END,
              COALESCE((SELECT printf('tid=%d #%03d', dc.tid, dc.k) FROM dc
                        WHERE dc.id = dp.reap_call_id), 'none')) AS line
FROM dp;
