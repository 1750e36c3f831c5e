"""Bulk decisions of the review queue: "merge all above X" or "keep apart all below Y", in the current list.

The dialog shows how many pairs the choice covers as the score moves, asks
once more before anything is written, then runs ``bulk_decide`` on the vault
worker. Every pair gets its own stored decision, so each can be undone from
the decision history.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.identity.review import bulk_decide, count_pending
from ...core.words import plural
from .. import theme
from ..import_jobs import run_job
from ..models.review import QueueFilter
from ..widgets import BusyBar, MessageLabel, label
from .common import user_message

EPSILON = 1e-9


def bulk_range(decision: str, score: float, queue_filter: QueueFilter) -> tuple[float, float]:
    """The score range a bulk decision covers: at or above ``score`` (merge) or below it (reject), inside the filter."""
    if decision == "merge":
        return max(score, queue_filter.min_score), queue_filter.max_score
    return queue_filter.min_score, min(score - EPSILON, queue_filter.max_score)


def _percent_box(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, 100.0)
    box.setDecimals(1)
    box.setSingleStep(1.0)
    box.setSuffix(" %")
    box.setValue(value * 100)
    box.setMinimumWidth(110)
    box.setKeyboardTracking(True)
    return box


class BulkDecisionDialog(QDialog):
    """Choose merge-above or reject-below, see the count, confirm, apply in the background."""

    applied = Signal(str, int)  # decision, pairs decided

    def __init__(self, vault, queue_filter: QueueFilter, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Bulk decision – c360")
        self.setMinimumWidth(560)
        self._vault = vault
        self.filter = queue_filter
        self.busy = False
        self.merge_radio = QRadioButton("Merge every pair scoring at least")
        self.merge_radio.setObjectName("BulkMerge")
        self.reject_radio = QRadioButton("Keep apart every pair scoring below")
        self.reject_radio.setObjectName("BulkReject")
        self.merge_score = _percent_box(0.95)
        self.merge_score.setObjectName("BulkMergeScore")
        self.reject_score = _percent_box(0.70)
        self.reject_score.setObjectName("BulkRejectScore")
        group = QButtonGroup(self)
        group.addButton(self.merge_radio)
        group.addButton(self.reject_radio)
        self.merge_radio.setChecked(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(10)
        grid.addWidget(self.merge_radio, 0, 0)
        grid.addWidget(self.merge_score, 0, 1)
        grid.addWidget(self.reject_radio, 1, 0)
        grid.addWidget(self.reject_score, 1, 1)
        grid.setColumnStretch(2, 1)

        self.count_label = label("", "SectionTitle")
        self.count_label.setObjectName("BulkCount")
        self.scope_label = label("", "Muted", wrap=True)
        self.busy_bar = BusyBar()
        self.message = MessageLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.apply_button = theme.mark_primary(QPushButton("Apply…"))
        self.apply_button.setObjectName("BulkApply")
        self.apply_button.clicked.connect(self.confirm_and_apply)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.apply_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.setSpacing(12)
        layout.addWidget(label("Decide many pairs at once", "DialogTitle"))
        layout.addWidget(label(f"Only pairs in the current list are affected: {queue_filter.describe()}. "
                               "Each pair gets its own decision, so any of them can be undone later from the "
                               "history.", "Muted", wrap=True))
        layout.addLayout(grid)
        layout.addWidget(self.count_label)
        layout.addWidget(self.scope_label)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)

        for widget in (self.merge_radio, self.reject_radio):
            widget.toggled.connect(lambda _on: self.update_preview())
        for box in (self.merge_score, self.reject_score):
            box.valueChanged.connect(lambda _v: self.update_preview())
        self.merge_score.valueChanged.connect(lambda _v: self.merge_radio.setChecked(True))
        self.reject_score.valueChanged.connect(lambda _v: self.reject_radio.setChecked(True))
        self.update_preview()

    # ------------------------------------------------------------------ choice and preview

    def decision(self) -> str:
        return "merge" if self.merge_radio.isChecked() else "reject"

    def score(self) -> float:
        box = self.merge_score if self.decision() == "merge" else self.reject_score
        return round(box.value() / 100, 4)

    def score_range(self) -> tuple[float, float]:
        return bulk_range(self.decision(), self.score(), self.filter)

    def preview_count(self, held: bool | None = None) -> int:
        """Pairs the decision takes (a merge: only those no guard holds), or with ``held`` True those it leaves."""
        low, high = self.score_range()
        if high < low:
            return 0
        if held is None and self.decision() == "merge":
            held = False
        try:
            return count_pending(self._vault.conn, low, high, self.filter.source, held=held)
        except Exception:  # noqa: BLE001 - the vault was locked meanwhile
            return 0

    def update_preview(self) -> int:
        count = self.preview_count()
        verb = "merged" if self.decision() == "merge" else "kept apart"
        self.count_label.setText(f"{plural(count, 'pair')} will be {verb}")
        self.count_label.setStyleSheet(f"color: {theme.DANGER};" if count and self.decision() == "merge" else "")
        if self.decision() == "merge":
            held = self.preview_count(held=True)
            left_out = (f" {plural(held, 'pair')} in this range {'is' if held == 1 else 'are'} held for your "
                        "decision (different first names or birth dates, a shared email…) and left out: decide "
                        "those one by one." if held else "")
            self.scope_label.setText("Merging joins the two records' profiles. Check a few of these pairs first: "
                                     "a wrong merge mixes two people's data." + left_out)
        else:
            self.scope_label.setText("These pairs will never be suggested again, even after a new import.")
        self.apply_button.setEnabled(count > 0 and not self.busy)
        return count

    # ------------------------------------------------------------------ applying

    def confirm_text(self, count: int) -> str:
        if self.decision() == "merge":
            return (f"Merge {plural(count, 'pair')} scoring at least {self.score():.1%}? Pairs held for your decision"
                    " are left out.\n\n"
                    "Each decision is recorded and can be undone from the history.")
        return (f"Keep apart {count:,} {'pair' if count == 1 else 'pairs'} scoring below {self.score():.1%}?\n\n"
                "Each decision is recorded and can be undone from the history.")

    def confirm_and_apply(self) -> bool:
        if self.busy:
            return False
        count = self.update_preview()
        if count == 0:
            return False
        answer = QMessageBox.question(self, "Bulk decision", self.confirm_text(count),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        vault, decision = self._vault, self.decision()
        (low, high), source = self.score_range(), self.filter.source
        self.busy = True
        self.busy_bar.start()
        self.apply_button.setEnabled(False)
        self.message.show_info("Deciding…")
        run_job(vault, lambda conn, _flag: bulk_decide(vault.view(conn), decision, low, high, source),
                lambda decided: self._on_done(decision, decided), self._on_failed)
        return True

    def _on_done(self, decision: str, decided: int) -> None:
        self.busy = False
        self.busy_bar.stop()
        self.applied.emit(decision, int(decided))
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.busy_bar.stop()
        self.message.show_error(user_message(exc))
        self.update_preview()

    def reject(self) -> None:  # noqa: D401 - QDialog API
        if self.busy:
            return  # the decision is being written; the dialog closes when it is done
        super().reject()


__all__ = ["BulkDecisionDialog", "bulk_range"]
