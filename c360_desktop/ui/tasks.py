"""Run a core call off the GUI thread and get its result back on the GUI thread.

Argon2 key derivation takes about half a second on purpose, so unlocking,
creating and re-keying a vault run here. All vault work goes through one
single-thread pool, so two jobs never use the vault at the same time.

Thread contract: ``fn`` runs on a worker thread and must not touch widgets;
``on_success``/``on_failure`` run on the GUI thread.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

_pool: QThreadPool | None = None
_running: set["Task"] = set()


def vault_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        _pool.setObjectName("c360-vault-pool")
    return _pool


def wait_for_all(msecs: int = 10000) -> bool:
    """Block until every task has finished (used on quit and by tests)."""
    return vault_pool().waitForDone(msecs)


class _TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """One call of ``fn()``; its signals live on the GUI thread (created there)."""

    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self._fn = fn
        self.signals = _TaskSignals()

    def run(self) -> None:  # worker thread
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI as a value
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None],
) -> Task:
    """Start ``fn`` on the vault pool; exactly one of the callbacks runs later on the GUI thread."""
    task = Task(fn)
    _running.add(task)

    def finish(callback, value):
        _running.discard(task)
        callback(value)

    queued = Qt.ConnectionType.QueuedConnection
    task.signals.succeeded.connect(lambda value: finish(on_success, value), queued)
    task.signals.failed.connect(lambda exc: finish(on_failure, exc), queued)
    vault_pool().start(task)
    return task
