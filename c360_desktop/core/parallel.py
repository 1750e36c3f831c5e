"""When and how the core spreads work over worker processes.

From a process's main thread on Linux (the command line) workers are forked: they start at once and share
the parent's memory. Forking a process that runs other threads (the GUI: Qt's threads, an import on a
worker thread) is unsafe — a child can inherit a lock some other thread held — so there the workers come
from multiprocessing's fork server: one clean single-threaded process, started once, that forks them."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from functools import partial
from typing import Callable, Iterable, Iterator

_PR_SET_PDEATHSIG = 1
_PRIVATE_FDS: set[int] = set()  # file descriptors a forked worker must not keep open (the vault's lock)
# Imported once by the fork server, so that each worker it forks starts with the work's code loaded.
FORK_SERVER_PRELOAD = ["c360_desktop.core.ingest.importer"]
_worker_shared = None  # in a worker: what ``ordered_map`` was given as ``shared``


def keep_from_workers(fd: int) -> None:
    _PRIVATE_FDS.add(fd)


def release_from_workers(fd: int) -> None:
    _PRIVATE_FDS.discard(fd)


def _worker_init(shared) -> None:
    """In a worker: die with the parent, let go of the vault lock (so that a killed import leaves nothing
    holding the vault), and keep ``shared`` for every call."""
    global _worker_shared
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    for fd in list(_PRIVATE_FDS):
        try:
            os.close(fd)
        except OSError:
            pass
    _worker_shared = shared


def _call_with_shared(function: Callable, item):
    return function(_worker_shared, item)


def start_method() -> str | None:
    """How workers would start here: ``fork`` from the main thread, the ``forkserver`` from any other
    thread, ``None`` (work in-process) on one core or off Linux, where neither has been tried."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return None
    return "fork" if threading.current_thread() is threading.main_thread() else "forkserver"


def workers_available() -> bool:
    return start_method() is not None


def _pool(method: str, shared):
    """Forked workers inherit ``shared``; it is pickled to each fork-server worker."""
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(FORK_SERVER_PRELOAD)
    return context.Pool(os.cpu_count(), initializer=_worker_init, initargs=(shared,))


def _pool_or_none(method: str | None, shared):
    """No pool when workers are not worth it or cannot start (no room in the temporary folder for the fork
    server's socket, too many processes): the work is then done in this process."""
    if method is None:
        return None
    try:
        return _pool(method, shared)
    except OSError:
        return None


def ordered_map(function: Callable, items: Iterable, *, shared=None, in_flight: int = 6,
                worth_it: bool = True) -> Iterator:
    """``function(shared, item)`` for every item, in worker processes when ``workers_available()``, results
    in order, at most ``in_flight`` items handed out ahead (memory stays bounded). ``shared`` reaches each
    worker once: inherited by a fork, pickled to a fork-server worker. Stopping early — a cancel, an error —
    lets the few items in flight finish and then closes the pool; ``Pool.terminate`` can hang on a worker
    killed mid-task. ``worth_it=False`` (little work) stays in-process: starting workers costs more than
    it saves. ``function`` must be a module-level function (workers look it up by name)."""
    method = start_method() if worth_it else None
    pool = _pool_or_none(method, shared)
    if pool is None:
        yield from map(partial(function, shared), items)
        return
    try:
        pending: deque = deque()
        for item in items:
            pending.append(pool.apply_async(_call_with_shared, (function, item)))
            if len(pending) > in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.close()
        pool.join()
