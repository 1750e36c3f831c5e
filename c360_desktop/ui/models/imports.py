"""Models of the import screens: the history, one import's issues, and the wizard's preview.

None of them writes anything anywhere; the preview masks personal values
unless the user asks to see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...core.ingest.fields import BY_NAME, CUSTOM, IGNORE
from .. import theme
from ...core.privacy.redaction import mask_email, mask_phone, mask_text
from .review import source_label

IMPORT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------------------- wording

def tool_label(preset_name: str | None, source: str = "") -> str:
    """"Shopify — customers" for a preset name; "Spreadsheet" for a file c360 did not recognise."""
    if preset_name:
        from ...core.ingest.presets import all_presets

        for preset in all_presets():
            if preset.name == preset_name:
                label = preset.label
                return label[: -len(" export")] if label.endswith(" export") else label
        return preset_name
    return "Not recognised" if source.startswith("sheet:") or not source else source


def tool_name(preset_name: str | None, source: str = "") -> str:
    """The tool alone ("Square"), for the history's Tool column; ``tool_label`` also says which export."""
    if not preset_name:
        return tool_label(preset_name, source)
    return source_label(source, short=True) or tool_label(preset_name, source)


def local_time(value: str | None) -> str:
    """An ISO 8601 UTC timestamp as local ``YYYY-MM-DD HH:MM``."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:16].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


STATUS_TEXT = {"done": "Imported", "undone": "Undone"}


# ---------------------------------------------------------------------------- history

@dataclass(frozen=True)
class _Column:
    key: str
    header: str
    numeric: bool = False
    text: Callable[[Any], str] | None = None


HISTORY_COLUMNS = (
    _Column("file_name", "File"),
    _Column("preset", "Tool"),
    _Column("started_at", "When"),
    _Column("rows", "Rows", numeric=True),
    _Column("inserted", "Added", numeric=True),
    _Column("updated", "Updated", numeric=True),
    _Column("rejected", "Rejected", numeric=True),
    _Column("suppressed", "Suppressed", numeric=True),
    _Column("status", "Status"),
)


class ImportsModel(QAbstractTableModel):
    """Every import of the vault, newest first (``history.list_imports``)."""

    LIMIT = 5000

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def set_vault(self, vault) -> None:
        from ...core.ingest.history import list_imports

        self.beginResetModel()
        try:
            self._rows = list_imports(vault.conn, limit=self.LIMIT) if vault is not None else []
        except Exception:  # noqa: BLE001 - a history that cannot be read is shown empty, never a crash
            self._rows = []
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def summary(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, import_id: int) -> int:
        for row, summary in enumerate(self._rows):
            if summary.id == import_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HISTORY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HISTORY_COLUMNS):
            return None
        column = HISTORY_COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = HISTORY_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(summary, column.key)
            if column.key == "preset":
                return tool_name(summary.preset, summary.source)
            if column.key == "started_at":
                return local_time(value)
            if column.key == "status":
                return STATUS_TEXT.get(value, value)
            if column.numeric:
                return f"{int(value or 0):,}"
            return str(value or "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if summary.status == "undone":
                return QColor(theme.FAINT)
            if column.key == "rejected" and summary.rejected:
                return QColor(theme.DANGER)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column.key in ("file_name", "preset"):
            return summary.file_name if column.key == "file_name" else tool_label(summary.preset, summary.source)
        if role == IMPORT_ID_ROLE:
            return summary.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


# ---------------------------------------------------------------------------- issues

SEVERITY_TEXT = {"rejected": "Rejected", "warning": "Warning"}
ISSUE_HEADERS = ("Row", "Kind", "Column", "What is wrong")


def issue_field_label(field_name: str | None) -> str:
    if not field_name:
        return ""
    known = BY_NAME.get(field_name)
    return known.label if known else field_name


class IssuesModel(QAbstractTableModel):
    """Rejected rows and warnings, ``{row, severity, field, reason}``; shown 500 at a time."""

    PAGE = 500

    def __init__(self, parent=None):
        super().__init__(parent)
        self._all: list[dict] = []
        self._shown = 0

    def set_issues(self, issues: list[dict]) -> None:
        self.beginResetModel()
        self._all = list(issues)
        self._shown = min(self.PAGE, len(self._all))
        self.endResetModel()

    def clear(self) -> None:
        self.set_issues([])

    @property
    def total(self) -> int:
        return len(self._all)

    def issues(self) -> list[dict]:
        return list(self._all)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: N802
        if parent.isValid() or self._shown >= len(self._all):
            return
        more = min(self.PAGE, len(self._all) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(ISSUE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(ISSUE_HEADERS):
            return ISSUE_HEADERS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if section == 0 else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._shown:
            return None
        issue = self._all[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "File" if issue.get("row") is None else f"{issue['row']:,}"   # an issue with the whole file
            if column == 1:
                return SEVERITY_TEXT.get(issue.get("severity", ""), issue.get("severity", ""))
            if column == 2:
                return issue_field_label(issue.get("field"))
            return issue.get("reason", "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int((Qt.AlignmentFlag.AlignRight if column == 0 else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(theme.DANGER if issue.get("severity") == "rejected" else theme.WARNING)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return issue.get("reason", "")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def report_issues(report) -> list[dict]:
    """An ``ImportReport``'s rejections and listed warnings as issue dicts, by row."""
    issues = [{"row": r["row"], "severity": "rejected", "field": None, "reason": r["reason"]} for r in report.rejections]
    issues += [{"row": w["row"], "severity": "warning", "field": w.get("field"), "reason": w["reason"]}
               for w in report.warnings]
    return sorted(issues, key=lambda issue: (issue["row"] or 0, issue["severity"] != "rejected"))


# ---------------------------------------------------------------------------- preview

_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]{7,}$")
_MASKED_CATEGORIES = {"name", "email", "phone", "address", "birth_date", "notes", "payment"}


def mask_cell(value: str, field_name: str) -> str:
    """What the preview shows by default: enough to recognise the kind of value, not the person."""
    text = value.strip()
    if not text:
        return ""
    known = BY_NAME.get(field_name)
    if known is not None and known.category not in _MASKED_CATEGORIES:
        return text  # ids, dates of records, amounts, statuses: needed to judge the mapping, not personal
    if _EMAIL_LIKE.search(text):
        return mask_email(text)
    if _PHONE_LIKE.match(text) and sum(ch.isdigit() for ch in text) >= 7:
        return mask_phone(text)
    if known is not None:
        if known.kind == "date":
            return re.sub(r"\d", "•", text)
        return mask_text(text)
    if field_name in (CUSTOM, IGNORE) and any(ch.isalpha() for ch in text) and " " in text:
        return mask_text(text)  # free text in an unmapped column may name someone
    return text


class PreviewModel(QAbstractTableModel):
    """The first rows of a file, one column per header; masked according to the chosen mapping."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._header: list[str] = []
        self._rows: list[list[str]] = []
        self._mapping: list[str] = []
        self.masked = True

    def set_preview(self, header: list[str], rows: list[list[str]], mapping: list[str]) -> None:
        self.beginResetModel()
        self._header = list(header)
        self._rows = [list(r) for r in rows]
        self._mapping = list(mapping)
        self.endResetModel()

    def set_mapping(self, mapping: list[str]) -> None:
        self._mapping = list(mapping)
        self._changed()

    def set_masked(self, masked: bool) -> None:
        self.masked = masked
        self._changed()

    def clear(self) -> None:
        self.set_preview([], [], [])

    def _changed(self) -> None:
        if self._rows and self._header:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._header) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._header)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._header[section] if 0 <= section < len(self._header) else None
        return str(section + 1)

    def raw(self, row: int, column: int) -> str:
        cells = self._rows[row]
        return cells[column] if column < len(cells) else ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        field_name = self._mapping[column] if column < len(self._mapping) else CUSTOM
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.raw(index.row(), column).replace("\r", " ").replace("\n", " ⏎ ")
            return mask_cell(value, field_name) if self.masked else value
        if role == Qt.ItemDataRole.ForegroundRole and field_name == IGNORE:
            return QColor(theme.FAINT)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren
