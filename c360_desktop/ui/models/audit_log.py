"""The audit log as a table: newest first, the last few hundred entries (the log itself holds no PII)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...core import audit

HEADERS = ("#", "When", "Event", "Details")
LIMIT = 500


def describe_action(action: str) -> str:
    """``vault_opened`` → ``Vault opened``."""
    text = action.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def describe_details(details: dict) -> str:
    if not details:
        return ""
    return ", ".join(f"{key.replace('_', ' ')}: {json.dumps(value) if not isinstance(value, str) else value}"
                     for key, value in sorted(details.items()))


def local_time(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at


class AuditLogModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[audit.AuditEntry] = []

    def set_vault(self, vault) -> None:
        self.beginResetModel()
        try:
            self._entries = audit.entries(vault.conn, LIMIT) if vault is not None else []
        except Exception:  # noqa: BLE001 - shown empty rather than crashing the window
            self._entries = []
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._entries = []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return str(entry.seq)
            if column == 1:
                return local_time(entry.at)
            if column == 2:
                return describe_action(entry.action)
            if column == 3:
                return describe_details(entry.details)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
