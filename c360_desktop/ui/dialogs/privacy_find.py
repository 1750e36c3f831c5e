"""Finding the person behind a request: search by any email, phone or name they gave, see every candidate.

Used on its own (Privacy › Find a person) and inside the New request dialog, where the owner ticks
the candidates that are the person. Contact details of the candidates are always masked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHeaderView, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...core.ingest.regions import shop_region
from ...core.privacy.find import find_candidates
from ...core.privacy.policy import RedactionPolicy
from ...core.words import plural
from .. import theme
from ..models.privacy_candidates import CandidatesModel
from ..widgets import MessageLabel, label, list_table
from .common import user_message

COLUMN_WIDTHS = (220, 170, 100, 180, 86)


class CandidateSearch(QWidget):
    """Email / phone / name fields, Search, and the candidate profiles found."""

    searched = Signal(int)  # how many candidates
    selection_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, checkable: bool = False, name: str = "Candidates"):
        super().__init__(parent)
        self._vault = None
        self.email = QLineEdit()
        self.email.setObjectName("FindEmail")
        self.email.setPlaceholderText("any address they wrote from or gave")
        self.phone = QLineEdit()
        self.phone.setObjectName("FindPhone")
        self.phone.setPlaceholderText("any number, in any format")
        self.name = QLineEdit()
        self.name.setObjectName("FindName")
        self.name.setPlaceholderText("first and last name")
        self.search_button = theme.mark_primary(QPushButton("Search"))
        self.search_button.setObjectName("FindSearch")
        self.search_button.clicked.connect(self.search)
        for field in (self.email, self.phone, self.name):
            field.returnPressed.connect(self.search)
            field.setClearButtonEnabled(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for column, (caption, field) in enumerate((("Email", self.email), ("Phone", self.phone),
                                                    ("Name", self.name))):
            grid.addWidget(label(caption, "Muted"), 0, column)
            grid.addWidget(field, 1, column)
            grid.setColumnStretch(column, 1)
        grid.addWidget(self.search_button, 1, 3)

        self.model = CandidatesModel(self, checkable=checkable)
        self.table = list_table(name, self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.selection_changed.emit())
        self.model.dataChanged.connect(lambda *_a: self.selection_changed.emit())
        self.status = MessageLabel()
        self.status.setObjectName("Muted")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self.checkable = checkable

    def set_vault(self, vault) -> None:
        self._vault = vault
        self.clear()

    def clear(self) -> None:
        for field in (self.email, self.phone, self.name):
            field.clear()
        self.model.clear()
        self.status.clear()

    def search(self) -> list[dict]:
        """Look up every candidate for what was typed; the table shows them, masked."""
        vault = self._vault
        if vault is None or not vault.is_open:
            return []
        try:
            region = shop_region(vault)
            candidates = find_candidates(vault.conn, email=self.email.text().strip() or None,
                                         phone=self.phone.text().strip() or None,
                                         name=self.name.text().strip() or None, region=region)
            policy = RedactionPolicy.from_vault(vault)
        except Exception as exc:  # noqa: BLE001
            self.model.clear()
            self.status.show_error(user_message(exc))
            return []
        self.model.set_candidates(candidates, policy)
        self.status.show_info(self._summary(len(candidates)))
        if candidates:
            self.table.selectRow(0)
        self.searched.emit(len(candidates))
        return candidates

    def _summary(self, count: int) -> str:
        if not count:
            return "No customer matches. Try another address or number the person may have used, or part of the name."
        found = plural(count, "candidate profile")
        if self.checkable:
            return f"{found}: tick each one that is this person (a request may concern several)."
        return f"{found}. Check the details before acting: a request may match a namesake."

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        candidate = self.model.candidate(rows[0].row()) if rows else None
        return candidate["profile_id"] if candidate else None

    def checked_ids(self) -> list[int]:
        return self.model.checked_ids()

    def focus_first(self) -> None:
        self.email.setFocus(Qt.FocusReason.OtherFocusReason)
