"""The customer list."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStackedWidget

from ..models.customers import COLUMNS, CustomersModel
from ..widgets import label, list_table
from .base import Page, empty_state


class CustomersPage(Page):
    key, title, icon_name = "customers", "Customers", "nav-customers.svg"
    subtitle = "One profile per real customer."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = CustomersModel(self)
        self.table = list_table("CustomersTable", self.model, row_height=34)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        widths = {"display_name": 190, "primary_email": 210, "primary_phone": 100, "sources": 170,
                  "order_count": 70, "total_spent": 100, "last_activity_at": 140}
        for i, column in enumerate(COLUMNS):
            header.resizeSection(i, widths.get(column.key, 120))
        header.setSectionResizeMode(COLUMNS.index(next(c for c in COLUMNS if c.key == "sources")),
                                    QHeaderView.ResizeMode.Stretch)

        self.empty = empty_state(
            self.icon_name,
            "No customers yet",
            "Import an export from the tools you already use (Imports page); c360 then builds "
            "one profile per real customer here.",
        )
        self.views = QStackedWidget()
        self.views.addWidget(self.empty)
        self.views.addWidget(self.table)
        self.body.addWidget(self.views, 1)
        self.footnote = label("Email addresses and phone numbers are masked on screen.", "Faint")
        self.body.addWidget(self.footnote)
        self.model.modelReset.connect(self._refresh)
        self.model.rowsInserted.connect(self._refresh)
        self._refresh()

    def on_unlocked(self, vault) -> None:
        self.model.set_vault(vault)

    def on_locked(self) -> None:
        self.model.clear()

    def _refresh(self, *_args) -> None:
        total = self.model.total
        has_rows = self.model.rowCount() > 0
        self.views.setCurrentWidget(self.table if has_rows else self.empty)
        self.footnote.setVisible(has_rows)
        if total:
            self.subtitle_label.setText(f"{total:,} {'profile' if total == 1 else 'profiles'}, one per real customer.")
        else:
            self.subtitle_label.setText(self.subtitle)
