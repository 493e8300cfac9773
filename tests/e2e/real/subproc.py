# subproc.py - CPython's ways of waiting, as programs use them:
# Popen().wait(), run(), terminate() + wait(), a poll() loop (waitpid(pid,
# WNOHANG) every 10 ms), a multiprocessing Pool (fork, SIGTERM at exit,
# joined by its handler threads), waitid(P_PIDFD) on a pidfd, a double
# wait (waitpid(pid) twice: the second gets ECHILD), and a child started
# while SIGCHLD is ignored (the kernel releases it, Popen.wait gets ECHILD).
import multiprocessing
import os
import signal
import subprocess
import time


def square(x):
    return x * x


def main():
    subprocess.Popen(['sh', '-c', 'exit 3']).wait()
    subprocess.run(['true'])
    p = subprocess.Popen(['sleep', '5'])
    p.terminate()
    p.wait()
    p = subprocess.Popen(['sleep', '0.05'])
    while p.poll() is None:
        time.sleep(0.01)
    with multiprocessing.Pool(2) as pool:
        pool.map(square, range(2))
    pid = os.fork()
    if pid == 0:
        os._exit(9)
    fd = os.pidfd_open(pid)
    os.waitid(os.P_PIDFD, fd, os.WEXITED)
    os.close(fd)
    pid = os.fork()
    if pid == 0:
        os._exit(1)
    os.waitpid(pid, 0)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    subprocess.call(['sh', '-c', 'exit 4'])
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


if __name__ == '__main__':
    main()
