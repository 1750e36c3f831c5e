"""Running identity resolution off the GUI thread: one shared runner, progress, and Cancel.

The Review page, the Settings page and File > Run matching all use the same
``MatchRunner`` (owned by the main window), so only one run exists at a time
and every place that shows progress shows the same run. The run goes through
``import_jobs.run_job`` on the single vault pool: it never overlaps an import
or a review decision, and locking the vault cancels it like any import.
Cancelling leaves the vault exactly as it was (``run_match`` writes in one
transaction at the very end).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..core.identity.engine import MatchCancelled, MatchResult, run_match
from ..core.ingest.importer import ImportCancelled
from ..core.words import plural
from . import theme
from .dialogs.common import user_message
from .import_jobs import CancelFlag, run_job
from .widgets import label

STAGES = {"comparing": "Comparing records", "done": "Writing profiles"}


class _Relay(QObject):
    """Created on the GUI thread; ``report`` is called by the worker, the signal arrives queued."""

    progressed = Signal(str, int, int)

    def report(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(str(stage), int(done), int(total))


def describe_result(result: MatchResult) -> str:
    queued = f"{result.queued:,} {'pair waits' if result.queued == 1 else 'pairs wait'} for your review"
    return (f"Matching done: {plural(result.records, 'record')} in {plural(result.profiles, 'profile')}; "
            f"{plural(result.auto_merged, 'link')} made automatically; {queued}.")


def start_matching(runner: "MatchRunner | None", vault, message, update_buttons) -> bool:
    """A page's Run matching: clear its message, start in the background, grey out its buttons meanwhile."""
    if vault is None or runner is None:
        return False
    message.clear()
    started = runner.start(vault)
    update_buttons()
    return started


class MatchRunner(QObject):
    """``start(vault)`` runs ``run_match`` in the background; ``cancel()`` stops it with no change."""

    started = Signal()
    progressed = Signal(str, int, int)  # stage, done, total
    finished = Signal(object)  # MatchResult
    failed = Signal(str)  # a sentence for the user
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._flag: CancelFlag | None = None
        self._relay = _Relay(self)
        self._relay.progressed.connect(self._on_progress)

    @property
    def busy(self) -> bool:
        return self._flag is not None

    def start(self, vault, *, full: bool = False, retrain: bool = False) -> bool:
        if self.busy or vault is None or not vault.is_open:
            return False
        relay = self._relay

        def work(conn, flag: CancelFlag):
            return run_match(vault.view(conn), full=full, retrain=retrain, conn=conn,
                             progress=relay.report, cancelled=flag.is_set)

        self._flag = CancelFlag()
        self.started.emit()
        run_job(vault, work, self._on_success, self._on_failure, flag=self._flag)
        return True

    def cancel(self) -> None:
        if self._flag is not None:
            self._flag.set()

    @property
    def cancelling(self) -> bool:
        return self._flag is not None and self._flag.is_set()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self._flag is not None:
            self.progressed.emit(stage, done, total)

    def _on_success(self, result: MatchResult) -> None:
        self._flag = None
        self.finished.emit(result)

    def _on_failure(self, exc: BaseException) -> None:
        self._flag = None
        if isinstance(exc, (MatchCancelled, ImportCancelled)):
            self.cancelled.emit()
        else:
            self.failed.emit(user_message(exc))


class MatchProgress(QFrame):
    """A strip that follows a runner: what it is doing, a progress bar, and Cancel. Hidden when idle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("MatchProgress")
        self.setStyleSheet(
            f"QFrame#MatchProgress {{ background: {theme.ACCENT_SOFT}; border-radius: 8px; }}"
            f"QProgressBar {{ border: none; background: {theme.SURFACE}; border-radius: 3px; max-height: 6px; }}"
            f"QProgressBar::chunk {{ background: {theme.ACCENT}; border-radius: 3px; }}")
        self.runner: MatchRunner | None = None
        self.title = label("Matching…")
        self.title.setStyleSheet("font-weight: 600;")
        self.detail = label("", "Muted")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("CancelMatchButton")
        self.cancel_button.setToolTip("Stop matching; the profiles stay exactly as they were")
        self.cancel_button.clicked.connect(self._cancel)
        text = QVBoxLayout()
        text.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.detail, 1)
        text.addLayout(top)
        text.addWidget(self.bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 10, 8)
        layout.setSpacing(12)
        layout.addLayout(text, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def bind(self, runner: MatchRunner) -> None:
        self.runner = runner
        runner.started.connect(self._on_started)
        runner.progressed.connect(self._on_progress)
        for signal in (runner.finished, runner.failed, runner.cancelled):
            signal.connect(lambda *_args: self.hide())
        if runner.busy:
            self._on_started()

    def _on_started(self) -> None:
        self.title.setText("Matching…")
        self.detail.setText("Reading the records")
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.show()

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        if self.runner is not None and self.runner.cancelling:
            return
        if stage == "comparing" and total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.detail.setText(f"{STAGES[stage]}: {done:,} of {total:,} candidate pairs")
        else:
            self.bar.setRange(0, 0)
            self.detail.setText(STAGES.get(stage, "Working"))

    def _cancel(self) -> None:
        if self.runner is None:
            return
        self.runner.cancel()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.detail.setText("Stopping; nothing will be changed")
