"""Lazy fetching shared by the models that read a large table in pages."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex


class FetchesPages:
    """Mixin before ``QAbstractTableModel``: ``fetchMore`` appends the page ``_fetch_page()`` returns.

    The model keeps its rows in ``self._rows``; ``_append(page)`` may also index them."""

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        page = self._fetch_page()
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._append(page)
        self.endInsertRows()

    def _append(self, page: list) -> None:
        self._rows.extend(page)
