"""When the core may spread work over forked worker processes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from typing import Callable, Iterable, Iterator

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


def ordered_map(function: Callable, items: Iterable, in_flight: int = 6, worth_it: bool = True) -> Iterator:
    """``map(function, items)`` in forked workers when ``can_fork()``, results in order, at most ``in_flight``
    items handed out ahead (memory stays bounded). Stopping early — a cancel, an error — lets the few items
    in flight finish and then closes the pool; ``Pool.terminate`` can hang on a worker killed mid-task.
    ``worth_it=False`` (little work) stays in-process: starting workers costs more than it saves."""
    if not (worth_it and can_fork()):
        yield from map(function, items)
        return
    pool = multiprocessing.get_context("fork").Pool(os.cpu_count(), initializer=worker_init)
    try:
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(function, (item,)))
            if len(pending) > in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.close()
        pool.join()
