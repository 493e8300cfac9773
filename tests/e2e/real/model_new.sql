-- model_new.sql - the m_* views oracle.sql reads, over the schema of
-- sql/schema.sql (user_version 2 and later).
CREATE VIEW m_wc AS
SELECT id, tid, pid, syscall, idtype, target, pid_arg, options_text,
       enter_ns, exit_ns, ret, errno_name, outcome, reaped_upid, child_upid,
       COALESCE(error_class IN ('lost_child', 'caller_bug'), 0) AS attention
FROM wait_call;

CREATE VIEW m_proc AS
SELECT upid, pid, reaper_tid, reap_call_id, exit_ns, released_ns,
       release_kind
FROM process;

CREATE VIEW m_released AS SELECT pid, release_kind AS kind FROM released_v;
CREATE VIEW m_autoreap AS SELECT pid FROM autoreap_v;
CREATE VIEW m_double AS SELECT tid, child_pid FROM double_wait_v;
