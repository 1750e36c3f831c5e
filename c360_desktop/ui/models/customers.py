"""The customer list: a lazily fetched table over ``profiles``.

Rows come in pages of 200 by keyset pagination on ``id`` (``WHERE id > last``),
so scrolling a million profiles never runs a deep OFFSET and never loads the
whole table. Contact details are masked on screen by default.

The SQL lives here for now; it moves into a core query module later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core.privacy.redaction import mask_email, mask_phone

PROFILE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _format_when(value: str) -> str:
    return value[:16].replace("T", " ")


def _format_sources(value: str) -> str:
    return ", ".join(part.strip() for part in value.replace(";", ",").split(",") if part.strip())


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False
    formatter: Callable[[str], str] | None = None
    masked: Callable[[str], str] | None = None


COLUMNS = (
    Column("display_name", "Name"),
    Column("primary_email", "Email", masked=mask_email),
    Column("primary_phone", "Phone", masked=mask_phone),
    Column("sources", "Sources", formatter=_format_sources),
    Column("order_count", "Orders", numeric=True),
    Column("total_spent", "Total spent", numeric=True),
    Column("last_activity_at", "Last activity", formatter=_format_when),
)
_SELECT = "SELECT id, " + ", ".join(c.key for c in COLUMNS) + " FROM profiles WHERE id > ? ORDER BY id LIMIT ?"


class CustomersModel(QAbstractTableModel):
    """``set_vault(vault)`` loads the first page; the view pulls more through ``fetchMore``."""

    PAGE_SIZE = 200

    def __init__(self, parent=None, *, masked: bool = True):
        super().__init__(parent)
        self.masked = masked
        self._conn = None
        self._rows: list[tuple] = []
        self._exhausted = True
        self._total = 0

    # ------------------------------------------------------------------ lifecycle

    def set_vault(self, vault) -> None:
        self.beginResetModel()
        self._rows = []
        self._conn = None
        self._exhausted = True
        self._total = 0
        try:
            if vault is not None and vault.table_exists("profiles"):
                self._conn = vault.conn
                self._total = vault.count("profiles")
                self._exhausted = False
                self._rows = self._fetch_page()
        except Exception:  # noqa: BLE001 - a list that cannot be read is shown empty, never a crash
            self._conn, self._rows, self._exhausted = None, [], True
        self.endResetModel()

    def clear(self) -> None:
        """Drop every row and the connection (the vault is being locked)."""
        self.beginResetModel()
        self._rows = []
        self._conn = None
        self._exhausted = True
        self._total = 0
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many profiles the vault has (not how many are fetched)."""
        return self._total

    # ------------------------------------------------------------------ lazy fetching

    def _fetch_page(self) -> list[tuple]:
        if self._conn is None or self._exhausted:
            return []
        last_id = self._rows[-1][0] if self._rows else -(2**63)
        try:
            page = self._conn.execute(_SELECT, (last_id, self.PAGE_SIZE)).fetchall()
        except Exception:  # noqa: BLE001
            page = []
        if len(page) < self.PAGE_SIZE:
            self._exhausted = True
        return page

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and self._conn is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid():
            return
        page = self._fetch_page()
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # ------------------------------------------------------------------ model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[index.column() + 1]
            if value is None or value == "":
                return ""
            text = str(value)
            if self.masked and column.masked is not None:
                return column.masked(text)
            return column.formatter(text) if column.formatter else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == PROFILE_ID_ROLE:
            return row[0]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
