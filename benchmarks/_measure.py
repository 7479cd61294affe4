"""Runs one command and prints its wall time, peak RSS (KB on Linux) and exit code.

Started as a small separate process (``python -S -I``) so that the measured command is
forked from it, not from the benchmark: Linux counts the memory a process had before
``exec`` in its peak RSS, which would otherwise be the benchmark's own tens of megabytes.
"""

import os
import sys
import time

argv = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(elapsed, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
