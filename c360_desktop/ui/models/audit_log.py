"""The audit log as a lazily fetched, filterable table (newest first); the log itself holds no PII.

Rows come in pages by keyset pagination on ``seq`` (``WHERE seq < last``), so a log of a hundred
thousand entries opens at once and scrolls without deep OFFSETs. The same filtered query feeds
the CSV export, so the file holds exactly the entries the table shows.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...core import audit
from ...core.audit import local_time
from ...core.privacy.audit_words import DetailWords
from ...core.privacy.cells import protect_cell
from ...core.privacy.consent import purposes
from .paging import FetchesPages
from .privacy_table import RowsModel

HEADERS = ("#", "When", "Event", "Details")
CSV_HEADERS = ("seq", "at", "actor", "action", "details")
_COLUMNS = "seq, at, actor, action, details, prev_hash, hash"


def describe_action(action: str) -> str:
    """``vault_opened`` → ``Vault opened``."""
    text = action.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _utc_bound(day: date) -> str:
    """Local midnight of ``day`` as the UTC ISO text the log stores, for string comparison."""
    local = datetime.combine(day, time.min).astimezone()
    return local.astimezone(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: one action, a text the action contains, and an inclusive local date range."""

    action: str | None = None
    text: str = ""
    since: date | None = None
    until: date | None = None

    def where(self) -> tuple[str, list]:
        clauses: list[str] = []
        params: list = []
        if self.action:
            clauses.append("action = ?")
            params.append(self.action)
        needle = self.text.strip().lower().replace(" ", "_")
        if needle:
            clauses.append("instr(lower(action), ?) > 0")
            params.append(needle)
        if self.since is not None:
            clauses.append("at >= ?")
            params.append(_utc_bound(self.since))
        if self.until is not None:
            clauses.append("at < ?")
            params.append(_utc_bound(self.until + timedelta(days=1)))
        return " AND ".join(clauses) or "1", params

    @property
    def active(self) -> bool:
        return bool(self.action or self.text.strip() or self.since or self.until)


def _entry(row) -> audit.AuditEntry:
    try:
        details = json.loads(row[4])
    except (TypeError, ValueError):
        details = {}
    return audit.AuditEntry(row[0], row[1], row[2], row[3], details if isinstance(details, dict) else {},
                            row[5], row[6])


def actions(conn) -> list[str]:
    """Every action the log holds, for the filter's choice list."""
    return [a for (a,) in conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY action")]


def filtered_rows(conn, audit_filter: AuditFilter) -> Iterator[tuple]:
    """(seq, at, actor, action, details JSON) of every matching entry, newest first, streamed."""
    where, params = audit_filter.where()
    yield from conn.execute(f"SELECT seq, at, actor, action, details FROM audit_log WHERE {where} ORDER BY seq DESC",
                            params)


def write_audit_csv(conn, audit_filter: AuditFilter, path: Path) -> int:
    """The matching entries as CSV (seq, at, actor, action, details); returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADERS)
        for row in filtered_rows(conn, audit_filter):
            writer.writerow([protect_cell(cell) for cell in row])
            count += 1
    return count


class AuditLogModel(FetchesPages, RowsModel):
    """``set_vault(vault)`` loads the first page; ``set_filter`` narrows; the view pulls more through ``fetchMore``."""

    PAGE_SIZE = 200
    HEADERS = HEADERS

    def __init__(self, parent=None):
        super().__init__(parent)
        self._conn = None
        self._filter = AuditFilter()
        self._exhausted = True
        self._total = 0
        self._words = DetailWords()

    # ------------------------------------------------------------------ lifecycle

    def set_vault(self, vault) -> None:
        self._conn = vault.conn if vault is not None and vault.is_open else None
        self._words = DetailWords(purposes(vault) if self._conn is not None else None)
        self.reload()

    def set_filter(self, audit_filter: AuditFilter) -> None:
        self._filter = audit_filter
        self.reload()

    @property
    def audit_filter(self) -> AuditFilter:
        return self._filter

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._exhausted, self._total = [], self._conn is None, 0
        try:
            if self._conn is not None:
                where, params = self._filter.where()
                self._total = self._conn.execute(f"SELECT count(*) FROM audit_log WHERE {where}", params).fetchone()[0]
                self._rows = self._fetch_page()
        except Exception:  # noqa: BLE001 - shown empty rather than crashing the window
            self._rows, self._exhausted, self._total = [], True, 0
        self.endResetModel()

    def clear(self) -> None:
        self._conn = None
        self._filter = AuditFilter()
        self.reload()

    @property
    def total(self) -> int:
        """How many entries match the filter (not how many are fetched)."""
        return self._total

    # ------------------------------------------------------------------ lazy fetching

    def _fetch_page(self) -> list[audit.AuditEntry]:
        if self._conn is None or self._exhausted:
            return []
        where, params = self._filter.where()
        if self._rows:
            where += " AND seq < ?"
            params = [*params, self._rows[-1].seq]
        try:
            rows = self._conn.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE {where} ORDER BY seq DESC LIMIT ?",
                                      [*params, self.PAGE_SIZE]).fetchall()
        except Exception:  # noqa: BLE001
            rows = []
        if len(rows) < self.PAGE_SIZE:
            self._exhausted = True
        return [_entry(row) for row in rows]

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and self._conn is not None

    # ------------------------------------------------------------------ model API

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.row_item(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return str(entry.seq)
            if column == 1:
                return local_time(entry.at)
            if column == 2:
                return describe_action(entry.action)
            if column == 3:
                return self._words.describe(entry.action, entry.details)   # in words; the CSV keeps the JSON
        return None
