"""When the core may spread work over forked worker processes."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
_PRIVATE_FDS: set[int] = set()  # file descriptors a forked worker must not keep open (the vault's lock)


def keep_from_workers(fd: int) -> None:
    _PRIVATE_FDS.add(fd)


def release_from_workers(fd: int) -> None:
    _PRIVATE_FDS.discard(fd)


def worker_init() -> None:
    """In a forked worker: die with the parent, and let go of the vault lock so that a killed import
    leaves nothing holding the vault."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    for fd in list(_PRIVATE_FDS):
        try:
            os.close(fd)
        except OSError:
            pass


def can_fork() -> bool:
    """Only on Linux, with several cores, from a process's main thread: a GUI worker thread (or a platform
    without a safe fork) does the work in-process instead."""
    return (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
            and threading.current_thread() is threading.main_thread())
