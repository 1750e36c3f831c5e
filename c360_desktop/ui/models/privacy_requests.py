"""Data-subject requests as a table: kind, reference, dates, status, linked customers, actions taken.

Open requests past their due date are painted in the theme's danger colours and flagged by
``OVERDUE_ROLE``, so the Privacy page (and its tests) can count and show them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from ...core.privacy.requests import REQUEST_KINDS
from ...core.words import plural
from .. import theme
from .audit_log import describe_action
from .privacy_table import RowsModel

REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 2

HEADERS = ("Kind", "Reference", "Received", "Due", "Status", "Customers", "Actions taken")
DUE_COLUMN, STATUS_COLUMN = 3, 4
STATUS_LABELS = {"open": "Open", "done": "Done", "refused": "Refused"}


def day_text(value) -> str:
    """A date, a datetime or an ISO text as ``YYYY-MM-DD`` (local day for datetimes with a zone)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return (value.astimezone() if value.tzinfo else value).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return text[:10]
    return day_text(parsed) if parsed.tzinfo else text[:10]


def due_text(request) -> str:
    """``2024-06-01 · 12 days left`` / ``3 days overdue``; closed requests show just the date."""
    due = day_text(request.due_at)
    if request.status != "open":
        return due
    days = request.days_left
    if request.overdue:
        return f"{due}  ·  {plural(abs(days), 'day')} overdue" if days else f"{due}  ·  overdue"
    if days == 0:
        return f"{due}  ·  due today"
    return f"{due}  ·  {plural(days, 'day')} left"


def status_text(request) -> str:
    if request.status == "open" and request.overdue:
        return "Overdue"
    if request.status == "open" and request.extension:
        return "Extended"
    return STATUS_LABELS.get(request.status, request.status.title())


def customers_text(request) -> str:
    ids = list(request.profile_ids or [])
    if not ids:
        return "—"
    shown = ", ".join(f"#{i}" for i in ids[:3])
    return shown + (f" +{len(ids) - 3}" if len(ids) > 3 else "")


def actions_text(request) -> str:
    actions = list(request.actions or [])
    if not actions:
        return "—"
    names = [describe_action(str(a.get("action", ""))) for a in actions]
    return ", ".join(dict.fromkeys(names))


class RequestsModel(RowsModel):
    """``set_requests(list_requests(conn))``; the list is small (a shop gets a few requests a year)."""

    HEADERS = HEADERS

    def set_requests(self, requests: list) -> None:
        self.set_rows(requests)

    def request(self, row: int):
        return self.row_item(row)

    def row_of(self, request_id: int) -> int:
        return next((row for row, r in enumerate(self._rows) if r.id == request_id), -1)

    def _display(self, request, column: int) -> str:
        if column == 0:
            return REQUEST_KINDS.get(request.kind, request.kind.title())
        if column == 1:
            return request.reference or ""
        if column == 2:
            return day_text(request.received_at)
        if column == DUE_COLUMN:
            return due_text(request)
        if column == STATUS_COLUMN:
            return status_text(request)
        if column == 5:
            return customers_text(request)
        return actions_text(request)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        request = self.row_item(index.row()) if index.isValid() else None
        if request is None:
            return None
        overdue = request.status == "open" and request.overdue
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(request, index.column())
        if role == REQUEST_ID_ROLE:
            return request.id
        if role == OVERDUE_ROLE:
            return overdue
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(QColor(theme.DANGER_SOFT))
        if role == Qt.ItemDataRole.ForegroundRole:
            if overdue and index.column() in (DUE_COLUMN, STATUS_COLUMN):
                return QBrush(QColor(theme.DANGER))
            if request.status != "open":
                return QBrush(QColor(theme.MUTED))
        if role == Qt.ItemDataRole.FontRole and overdue and index.column() in (DUE_COLUMN, STATUS_COLUMN):
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        return None



class OverdueDelegate(QStyledItemDelegate):
    """Paints overdue rows in the danger colours even under the theme's item stylesheet, which ignores
    the model's background, and keeps the red due date and status when the row is selected."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.data(OVERDUE_ROLE) and index.column() in (DUE_COLUMN, STATUS_COLUMN):
            option.palette.setColor(QPalette.ColorRole.HighlightedText, QColor(theme.DANGER))

    def paint(self, painter, option, index) -> None:
        if index.data(OVERDUE_ROLE) and not option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, QColor(theme.DANGER_SOFT))
        super().paint(painter, option, index)
