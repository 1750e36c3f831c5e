"""The decision history: every merge and "not the same person", newest first, each one undoable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.identity.review import undo_decision
from ..import_jobs import run_job
from ..models.review import DECISION_TEXT, DecisionHistoryModel
from ..widgets import BusyBar, MessageLabel, label, list_table
from .common import user_message


class DecisionHistoryDialog(QDialog):
    undone = Signal()

    def __init__(self, vault, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Decision history – c360")
        self.resize(860, 520)
        self._vault = vault
        self.busy = False
        self.model = DecisionHistoryModel(self)
        self.table = list_table("HistoryTable", self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((150, 180, 300, 100, 110)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.undo_button = QPushButton("Undo this decision")
        self.undo_button.setObjectName("UndoDecisionButton")
        self.undo_button.clicked.connect(self.undo_selected)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        self.busy_bar = BusyBar()
        self.message = MessageLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(label("Decision history", "DialogTitle"))
        layout.addWidget(label("Your decisions win over the matcher on every later run. Undoing one puts the pair "
                               "back in the review queue and regroups the profiles involved.", "Muted", wrap=True))
        self.empty = label("No decisions yet. Merges and “not the same person” decisions made on the Review page, "
                           "in bulk or by splitting a profile appear here.", "Muted", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.refresh()

    def refresh(self, select_row: int = 0) -> None:
        self.model.set_vault(self._vault)
        self.views.setCurrentWidget(self.table if self.model.rowCount() else self.empty)
        if self.model.rowCount():
            self.table.selectRow(min(select_row, self.model.rowCount() - 1))
        self._update_buttons()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.decision_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        decision = self.selected()
        self.undo_button.setEnabled(decision is not None and decision.undone_at is None and not self.busy)

    def select_decision(self, decision_id: int) -> bool:
        row = self.model.row_of(decision_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def undo_selected(self) -> bool:
        decision = self.selected()
        vault = self._vault
        if decision is None or decision.undone_at is not None or self.busy or vault is None:
            return False
        self.busy = True
        self.busy_bar.start()
        self._update_buttons()
        row = self.model.row_of(decision.id)
        run_job(vault, lambda conn, _flag: undo_decision(vault.view(conn), decision.id),
                lambda _placed: self._on_undone(decision, row), self._on_failed)
        return True

    def _on_undone(self, decision, row: int) -> None:
        self.busy = False
        self.busy_bar.stop()
        self.refresh(row)
        what = DECISION_TEXT.get(decision.decision, decision.decision).lower()
        self.message.show_success(f"Undone: “{what}”. The pair is back in the review queue.")
        self.undone.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.busy_bar.stop()
        self.message.show_error(user_message(exc))
        self.refresh()
