"""No core file: a crash must not write the cohort held in a process's memory to disk.

Where core dumps are on (``ulimit -c``, a container's default), a crash makes the kernel
write the process's memory to a ``core`` file, or hand it to a crash collector
(systemd-coredump, apport) that keeps it on disk. The server's memory holds every
session's cohort, and the workbook reader's child the uploaded workbook (its usual way
to fail is a crash): both forbid themselves a core dump.
"""
from __future__ import annotations

import logging
import sys
from functools import cache

_PR_SET_DUMPABLE = 4


@cache  # once per process: the app's script calls it on every run
def forbid_core_dumps() -> None:
    """Set this process's core file size to 0 (POSIX) and, on Linux, make it non-dumpable,
    which a collector reached through a pipe (not bound by RLIMIT_CORE) cannot bypass.

    Reference: core(5); prctl(2), PR_SET_DUMPABLE.
    """
    try:
        import resource
    except ImportError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, hard))
    if sys.platform.startswith("linux"):
        import ctypes

        if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            # Refused (a seccomp policy): the core size of 0 still holds; say so.
            logging.getLogger(__name__).warning("prctl(PR_SET_DUMPABLE) refused: errno %d", ctypes.get_errno())
