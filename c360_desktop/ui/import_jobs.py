"""Import work off the GUI thread: each job on its own vault connection, with progress and cancel.

Jobs run on the vault pool of ``tasks`` (one at a time), so a wizard import,
a watched-folder import and an undo never write at the same moment. Every
job gets a ``CancelFlag``; ``stop_all`` raises them all and waits, which the
main window does before the vault is locked, so no worker is ever left
holding a connection the lock is closing.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from . import tasks

_flags: set["CancelFlag"] = set()


class CancelFlag:
    """Set from the GUI thread, read by the worker (``run_import(cancelled=flag.is_set)``)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()


class Progress(QObject):
    """Created on the GUI thread; ``report(done, total)`` may be called from the worker."""

    changed = Signal(int, int)

    def report(self, done: int, total: int) -> None:
        self.changed.emit(int(done), int(total))


def run_job(
    vault,
    work: Callable[[Any, CancelFlag], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
    flag: CancelFlag | None = None,
) -> CancelFlag:
    """Run ``work(conn, flag)`` on the vault pool with a connection of its own; returns the cancel flag."""
    flag = flag or CancelFlag()
    _flags.add(flag)

    def job():
        if flag.is_set():
            from ..core.ingest.importer import ImportCancelled

            raise ImportCancelled()
        conn = vault.new_connection()
        try:
            return work(conn, flag)
        finally:
            try:
                vault.release_connection(conn)
            except Exception:  # noqa: BLE001 - already closed by a lock
                pass

    def done(callback, value):
        _flags.discard(flag)
        callback(value)

    tasks.run_in_background(job, lambda result: done(on_success, result), lambda exc: done(on_failure, exc))
    return flag


def busy() -> bool:
    """True while any import job is queued or running."""
    return bool(_flags)


def stop_all(msecs: int = 15000) -> bool:
    """Cancel every import job and wait for the vault pool to drain (before locking the vault)."""
    for flag in list(_flags):
        flag.set()
    if not _flags:
        return True
    return tasks.wait_for_all(msecs)
