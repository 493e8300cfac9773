-- model_old.sql - the m_* views oracle.sql reads, over the schema before
-- issue 10/11 (user_version 1: commit a1b63cf), to measure the old
-- analyzer on the same recordings.  It had no double waits, no release
-- kinds (autoreap_v held every child that vanished without a traced
-- wait) and counted every failed wait in "failed waits".
CREATE VIEW m_wc AS
SELECT id, tid, pid, syscall, idtype, target, pid_arg, options_text,
       enter_ns, exit_ns, ret, errno_name, outcome, reaped_upid,
       NULL AS child_upid, ret < 0 AS attention
FROM wait_call;

CREATE VIEW m_proc AS
SELECT upid, pid, reaper_tid, reap_call_id, exit_ns, NULL AS released_ns,
       NULL AS release_kind
FROM process;

CREATE VIEW m_released AS SELECT pid, 'autoreap' AS kind FROM autoreap_v;
CREATE VIEW m_autoreap AS SELECT pid FROM autoreap_v;
CREATE VIEW m_double AS SELECT NULL AS tid, NULL AS child_pid WHERE 0;
