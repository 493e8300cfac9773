# race.py N [LOG] - N times: start a child with subprocess.Popen, start a
# "reaper" thread blocked in os.waitpid(-1, 0), then Popen.wait() (its
# waitpid(pid, 0)).  Whichever wait the kernel serves first reaps the
# child; when the reaper thread does, Popen.wait()'s waitpid fails with
# ECHILD (subprocess then reports returncode 0): a stolen reap.  The
# victim's ECHILD may return before the thief's own syscall exit.
#
# LOG gets one line per round, what the reaper's waitpid returned (its
# own log of its syscall, the ground truth without strace):
#   steal CHILD THIEF_TID VICTIM_TID   the reaper thread got the child
#   parent CHILD VICTIM_TID            Popen.wait() got it (reaper: ECHILD)
import os
import subprocess
import sys
import threading


def reaper(got):
    got.append(threading.get_native_id())
    try:
        got.append(os.waitpid(-1, 0)[0])
    except ChildProcessError:
        got.append(None)


def main(n, log):
    me = threading.get_native_id()
    for _ in range(n):
        p = subprocess.Popen(['true'])
        got = []
        t = threading.Thread(target=reaper, args=(got,))
        t.start()
        p.wait()
        t.join()
        if got[1] == p.pid:
            print('steal', p.pid, got[0], me, file=log)
        else:
            print('parent', p.pid, me, file=log)


if __name__ == '__main__':
    with open(sys.argv[2] if len(sys.argv) > 2 else os.devnull, 'w') as f:
        main(int(sys.argv[1]), f)
