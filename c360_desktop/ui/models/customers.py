"""The customer list: a lazily fetched table over ``core.profiles.listing``.

Rows come in pages of 200 by keyset pagination along the index of the chosen sort, so
scrolling a million profiles never runs a deep OFFSET and never loads the whole table. A search
(``core.profiles.search``) or a rare filter narrows the list to a short set of profile ids first.
Every personal value passes through the vault's redaction policy; tooltips never hold one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...core.ingest.regions import shop_region
from ...core.privacy.policy import RedactionPolicy
from ...core.profiles.listing import (
    ListFilter,
    ListQuery,
    ProfileRow,
    count_profiles,
    filtered_ids,
    list_page,
)
from ...core.profiles.search import SearchResult, search_profiles
from ...core.schema import SUMMARY_INDEX
from ...core.words import plural
from .. import icons, theme
from .paging import FetchesPages
from .review import source_label

PROFILE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TOOLS_ROLE = Qt.ItemDataRole.UserRole + 2       # short tool names, for the badge delegate
CONSENT_ROLE = Qt.ItemDataRole.UserRole + 3     # (email status, SMS status), for the consent delegate
_Index = QModelIndex | QPersistentModelIndex

# status -> (mark, colour, words); the cached flags of ``profiles.consent_email/consent_sms``
CONSENT_MARKS = {"granted": ("✓", theme.SUCCESS, "granted"), "denied": ("✗", theme.DANGER, "denied"),
                 "withdrawn": ("✗", theme.DANGER, "withdrawn"), "unknown": ("·", theme.FAINT, "unknown")}


def consent_mark(status: str | None) -> tuple[str, str, str]:
    return CONSENT_MARKS.get(status or "unknown", CONSENT_MARKS["unknown"])


def records_without_profile(vault) -> int:
    """Imported records no profile holds yet: they came in after the last matching run (or none ran).

    Two counts the status bar reads anyway, cheap enough for the GUI thread: every member of a profile is a
    record. ``records_to_match`` also counts the records an import changed.
    """
    return max(0, vault.count("source_records") - vault.count("profile_members"))


def records_to_match(conn) -> int:
    """Records new or changed since the last matching run: what the next run takes in.

    A scan of the records' covering index, for a worker thread.
    """
    return conn.execute(
        f"SELECT count(*) FROM source_records r {SUMMARY_INDEX} LEFT JOIN profile_members m ON m.record_id = r.id"
        " WHERE m.record_id IS NULL OR m.matched_hash != r.content_hash").fetchone()[0]


def format_day(value: str | None) -> str:
    return (value or "")[:10]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    numeric: bool = False
    sort: str | None = None   # the listing sort key, for the columns that have an index


COLUMNS = (
    Column("name", "Name", sort="name"),
    Column("email", "Email"),
    Column("phone", "Phone"),
    Column("tools", "Seen in"),
    Column("orders", "Orders", numeric=True, sort="orders"),
    Column("spent", "Total spent", numeric=True, sort="spent"),
    Column("activity", "Last activity", sort="activity"),
    Column("consent", "Consent"),
    Column("tickets", "Tickets", numeric=True, sort="tickets"),
)
HEADER_TIPS = {"consent": "Email and SMS marketing: ✓ granted, ✗ denied or withdrawn, · unknown",
               "tickets": "Open support tickets", "tools": "The tools this customer was found in"}
# The natural first direction when a header is clicked: money and counts biggest first.
DESCENDING_FIRST = {"spent", "orders", "activity", "tickets"}


class CustomersModel(FetchesPages, QAbstractTableModel):
    """``set_vault(vault)`` loads the first page; the view pulls more through ``fetchMore``.

    ``set_query(text)``, ``set_filter(ListFilter)`` and ``sort(column, order)`` start over from the top.
    """

    PAGE_SIZE = 200

    def __init__(self, parent=None):
        super().__init__(parent)
        self._vault = None
        self.policy = RedactionPolicy()
        self.search_text = ""
        self.search_result: SearchResult | None = None
        self.filters = ListFilter()
        self.sort_key, self.descending = "name", False
        self._query = ListQuery()
        self._rows: list[ProfileRow] = []
        self._exhausted = True
        self._total, self._total_capped = 0, False
        self.everyone = 0   # every profile of the vault, counted once per set_vault
        self._lock_icon = None

    # ------------------------------------------------------------------ lifecycle

    def set_vault(self, vault) -> None:
        self._vault = vault if vault is not None and vault.table_exists("profiles") else None
        self.everyone = 0
        if self._vault is not None:
            self.policy = RedactionPolicy.from_vault(vault)
            self.everyone = count_profiles(vault.conn, ListQuery())[0]
            self._run_search()
        self.reload()

    def clear(self) -> None:
        """Drop every row and the vault (it is being locked)."""
        self.beginResetModel()
        self._vault = None
        self._rows, self._exhausted = [], True
        self._total, self._total_capped = 0, False
        self.everyone = 0
        self.search_result = None
        self.endResetModel()

    def set_query(self, text: str) -> None:
        self.search_text = text.strip()
        self._run_search()
        self.reload()

    def set_filter(self, filters: ListFilter) -> None:
        self.filters = filters
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header clicks: only the columns with an index sort (the others keep the current order)."""
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].sort is None:
            return
        self.sort_key = COLUMNS[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    @property
    def sort_column(self) -> int:
        return next(i for i, c in enumerate(COLUMNS) if c.sort == self.sort_key)

    def reload(self) -> None:
        """Start the list again from the top with the current search, filters and sort."""
        self.beginResetModel()
        self._rows, self._exhausted = [], True
        self._total, self._total_capped = 0, False
        if self._vault is not None:
            try:
                self._query = self._build_query()
                self._total, self._total_capped = (count_profiles(self._vault.conn, self._query) if self.is_narrowed
                                                   else (self.everyone, False))
                self._exhausted = False
                self._rows = self._fetch_page()
            except Exception:  # noqa: BLE001 - a list that cannot be read is shown empty, never a crash
                self._rows, self._exhausted = [], True
        self.endResetModel()

    def _run_search(self) -> None:
        if self._vault is None or not self.search_text:
            self.search_result = None
            return
        region = shop_region(self._vault)
        self.search_result = search_profiles(self._vault.conn, self.search_text, region=region)

    def _build_query(self) -> ListQuery:
        if self.search_result is not None:
            within = tuple(self.search_result.profile_ids)
        else:
            ids = filtered_ids(self._vault.conn, self.filters)
            within = tuple(ids) if ids is not None else None
        return ListQuery(self.sort_key, self.descending, self.filters, within)

    # ------------------------------------------------------------------ what the page reads

    @property
    def total(self) -> int:
        """How many profiles the list holds (not how many are fetched); see ``total_capped``."""
        return self._total

    @property
    def total_capped(self) -> bool:
        """True when ``total`` stopped counting (a filter many profiles pass)."""
        return self._total_capped

    @property
    def is_narrowed(self) -> bool:
        return self.search_result is not None or not self.filters.is_empty

    def row_at(self, row: int) -> ProfileRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, profile_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == profile_id), -1)

    # ------------------------------------------------------------------ lazy fetching

    def _fetch_page(self) -> list[ProfileRow]:
        if self._vault is None or self._exhausted:
            return []
        after = self._rows[-1].cursor if self._rows else None
        try:
            page = list_page(self._vault.conn, self._query, after, self.PAGE_SIZE)
        except Exception:  # noqa: BLE001
            page = []
        if len(page) < self.PAGE_SIZE:
            self._exhausted = True
        return page

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and self._vault is not None

    # ------------------------------------------------------------------ model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(column))
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column.key, "Click to sort" if column.sort else None)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_alignment(COLUMNS[index.column()]))
        if role == Qt.ItemDataRole.DecorationRole and key == "name" and row.restricted:
            return self._restricted_icon()
        if role == Qt.ItemDataRole.ForegroundRole and key == "name":
            return QColor(theme.WARNING) if row.restricted else QColor(theme.FAINT) if not row.display_name else None
        if role == PROFILE_ID_ROLE:
            return row.id
        if role == TOOLS_ROLE:
            return [source_label(tool, short=True) for tool in row.tools]
        if role == CONSENT_ROLE:
            return (row.consent_email, row.consent_sms)
        return None

    def _display(self, row: ProfileRow, key: str) -> str:
        if key == "name":
            return self.policy.apply("name", row.display_name) or f"Profile {row.id}"
        if key == "email":
            return self.policy.apply("email", row.email)
        if key == "phone":
            return self.policy.apply("phone", row.phone)
        if key == "tools":
            return ", ".join(source_label(tool, short=True) for tool in row.tools)
        if key == "orders":
            return str(row.order_count)
        if key == "spent":
            return " ".join(filter(None, (row.total_spent, row.spent_currency))) if row.total_spent else ""
        if key == "activity":
            return format_day(row.last_activity_at)
        if key == "consent":
            return f"Email {consent_mark(row.consent_email)[0]}  SMS {consent_mark(row.consent_sms)[0]}"
        if key == "tickets":
            return str(row.open_tickets) if row.open_tickets else ""
        return ""

    def _tooltip(self, row: ProfileRow, key: str) -> str | None:
        """Words about the cell, never its personal value."""
        if key == "name" and row.restricted:
            return "Processing restricted: kept, but not used for marketing or analytics."
        if key in ("email", "phone"):
            value = row.email if key == "email" else row.phone
            masked = bool(value) and self.policy.mode(key) != "show"
            return "Masked on screen. Open the profile to reveal it (recorded in the audit log)." if masked else None
        if key == "tools":
            return "Seen in: " + ", ".join(source_label(tool) for tool in row.tools) if row.tools else None
        if key == "consent":
            return (f"Email marketing: {consent_mark(row.consent_email)[2]}\n"
                    f"SMS marketing: {consent_mark(row.consent_sms)[2]}")
        if key == "tickets":
            return f"{row.open_tickets:,} open of {plural(row.ticket_count, 'support ticket')}"
        if key == "activity" and row.last_activity_at:
            return f"Last activity {row.last_activity_at[:16].replace('T', ' ')}"
        return None

    def _restricted_icon(self):
        if self._lock_icon is None:
            self._lock_icon = icons.line_icon("lock.svg", size=16, off=theme.WARNING, on=theme.WARNING)
        return self._lock_icon

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _alignment(column: Column) -> Qt.AlignmentFlag:
    horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
    return horizontal | Qt.AlignmentFlag.AlignVCenter
