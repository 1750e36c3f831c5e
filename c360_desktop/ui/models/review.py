"""Models of the review screen: the queue of pending pairs, the decision history, and the side-by-side rows.

The queue holds only the pairs fetched so far, a hundred at a time
(``pending_pairs`` with an offset), so ten thousand pending pairs cost ten
thousand rows only if the owner scrolls to the end. Everything personal is
masked here; the page reveals one field at a time, for a while, and audits it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from ...core.identity.review import (
    DecisionSummary,
    PendingPair,
    count_pending,
    decision_history,
    pending_pairs,
    record_labels,
)
from ...core.privacy.policy import RedactionPolicy, category_of, email_key_parts
from ...core.words import plural, score_text
from .. import theme
from .paging import FetchesPages

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1
SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # the second line of a queue row: tools and why it is here
_Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------------------- wording

@lru_cache(maxsize=1)
def _tools() -> dict[str, str]:
    try:
        from ...core.ingest.presets import all_presets

        return {preset.source: preset.tool for preset in all_presets()}
    except Exception:  # noqa: BLE001 - a label is a courtesy
        return {}


def source_label(source: str | None, short: bool = False) -> str:
    """``shopify`` -> ``Shopify``; ``sheet:clients`` -> ``Spreadsheet “clients”``."""
    if not source:
        return ""
    if source.startswith("sheet:"):
        name = source[len("sheet:"):]
        return "Spreadsheet" if short else f"Spreadsheet “{name}”"
    text = _tools().get(source) or source.replace("_", " ").title()
    if short:
        text = text.split(" (")[0].split(" / ")[0]
    return text


def score_colour(probability: float, held: bool = False) -> str:
    """Green, amber or red by the score; amber for a pair a guard holds, whatever its score."""
    if held:
        return theme.WARNING
    if probability >= 0.9:
        return theme.SUCCESS
    if probability >= 0.7:
        return theme.WARNING
    return theme.DANGER


FIELD_CATEGORIES = {"address": "address", "address_key": "address", "name": "name", "source_id": "id"}
_policy = RedactionPolicy()


def use_policy(policy: RedactionPolicy) -> None:
    """The redaction policy of the unlocked vault (set on unlock and when Settings change it)."""
    global _policy
    _policy = policy


def mask_value(field_name: str, value: str | None) -> str:
    """The on-screen form of a value under the vault's redaction policy (contact details masked by default)."""
    if not value:
        return ""
    category = FIELD_CATEGORIES.get(field_name) or category_of(field_name)
    return _policy.apply(category, str(value))


def masked_display(field_name: str, value: str | None) -> str:
    """The ``display`` function given to ``explain_pair``."""
    return mask_value(field_name, value)


def record_title(info: dict | None, record_id: int) -> str:
    """What to call a record in a list: its name, else its masked email or phone."""
    if not info:
        return f"Record {record_id}"
    return (info.get("name") or mask_value("email", info.get("email")) or mask_value("phone", info.get("phone"))
            or f"Record {record_id}")


def local_date(value: str | None) -> str:
    return (value or "")[:10]


def local_time(value: str | None) -> str:
    """An ISO 8601 UTC timestamp as local ``YYYY-MM-DD HH:MM``."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value[:16].replace("T", " ")
    return (moment.astimezone() if moment.tzinfo else moment).strftime("%Y-%m-%d %H:%M")


DECISION_TEXT = {"merge": "Merged", "reject": "Not the same person"}
ORIGIN_TEXT = {"review": "Review", "bulk": "Bulk", "split": "Split from profile"}


# ---------------------------------------------------------------------------- the queue

@dataclass(frozen=True)
class QueueFilter:
    order: str = "useful"  # useful | score | recent | source
    min_score: float = 0.0
    max_score: float = 1.0
    source: str | None = None

    def describe(self) -> str:
        parts = []
        if self.source:
            parts.append(source_label(self.source))
        if self.min_score > 0 or self.max_score < 1:
            if self.max_score >= 1:
                parts.append(f"{self.min_score:.0%} and above")
            elif self.min_score <= 0:
                parts.append(f"below {self.max_score:.0%}")
            else:
                parts.append(f"{self.min_score:.0%}–{self.max_score:.0%}")
        return ", ".join(parts) or "all pending pairs"


QUEUE_HEADERS = ("Score", "Pair")


def record_key_words(key: str) -> str:
    """A record's key as the owner reads it: the tool's id, or, for a row without one, what c360 keyed it by
    (``email:…`` and ``fp:…`` are c360's own, and an email address is masked as one)."""
    if key.startswith("email:"):
        email, copy = email_key_parts(key)
        return f"no id in the tool: by email {_policy.apply('email', email)}" + (f" (contact {copy})" if copy else "")
    if key.startswith("fp:"):
        return "no id in the tool: by name and details"
    return _policy.source_id(key)


def queue_subtitle(pair: PendingPair, left: dict | None, right: dict | None) -> str:
    sources = [source_label((info or {}).get("source"), short=True) for info in (left, right)]
    text = sources[0] if sources[0] == sources[1] else " · ".join(s for s in sources if s)
    return f"{text} — held: {pair.reason}" if pair.reason else text


class ReviewQueueModel(FetchesPages, QAbstractTableModel):
    """Pending pairs in the chosen order and filter, fetched in pages of ``PAGE_SIZE`` as the view scrolls."""

    PAGE_SIZE = 100

    def __init__(self, parent=None):
        super().__init__(parent)
        self._conn = None
        self.filter = QueueFilter()
        self._rows: list[tuple[PendingPair, dict | None, dict | None]] = []
        self._ids: set[int] = set()
        self._offset = 0  # pairs read from the database so far (removed rows included)
        self._exhausted = True
        self.total = 0
        self.fetches = 0  # pages read since the last reset (tests check the laziness)
        self.in_flight: set[int] = set()  # decided here, not yet written: never shown again meanwhile

    # ------------------------------------------------------------------ lifecycle

    def set_vault(self, vault, queue_filter: QueueFilter | None = None) -> None:
        self._conn = vault.conn if vault is not None and vault.is_open else None
        if queue_filter is not None:
            self.filter = queue_filter
        self.reload()

    def set_filter(self, queue_filter: QueueFilter) -> None:
        self.filter = queue_filter
        self.reload()

    def clear(self) -> None:
        self.beginResetModel()
        self._conn = None
        self.in_flight = set()
        self._rows, self._ids = [], set()
        self._offset, self._exhausted, self.total, self.fetches = 0, True, 0, 0
        self.endResetModel()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._ids = [], set()
        self._offset, self.fetches = 0, 0
        self._exhausted = self._conn is None
        self.total = self._count()
        self._append(self._fetch_page())
        self.endResetModel()

    def refresh_total(self) -> int:
        self.total = self._count()
        return self.total

    def _count(self) -> int:
        if self._conn is None:
            return 0
        f = self.filter
        try:
            return count_pending(self._conn, f.min_score, f.max_score, f.source)
        except Exception:  # noqa: BLE001 - a queue that cannot be read is shown empty, never a crash
            return 0

    # ------------------------------------------------------------------ lazy fetching

    def _fetch_page(self) -> list[tuple[PendingPair, dict | None, dict | None]]:
        if self._conn is None or self._exhausted:
            return []
        f = self.filter
        try:
            pairs = pending_pairs(self._conn, limit=self.PAGE_SIZE, offset=self._offset, order=f.order,
                                  min_score=f.min_score, max_score=f.max_score, source=f.source)
            labels = record_labels(self._conn, [i for p in pairs for i in (p.left_id, p.right_id)])
        except Exception:  # noqa: BLE001
            pairs, labels = [], {}
        self.fetches += 1
        self._offset += len(pairs)
        if len(pairs) < self.PAGE_SIZE:
            self._exhausted = True
        return [(p, labels.get(p.left_id), labels.get(p.right_id)) for p in pairs
                if p.id not in self._ids and p.id not in self.in_flight]

    def _append(self, rows) -> None:
        for row in rows:
            self._ids.add(row[0].id)
        self._rows.extend(rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._exhausted and self._conn is not None

    # ------------------------------------------------------------------ rows

    def pair_at(self, row: int) -> PendingPair | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def labels_at(self, row: int) -> tuple[dict | None, dict | None]:
        if not 0 <= row < len(self._rows):
            return None, None
        return self._rows[row][1], self._rows[row][2]

    def row_of(self, pair_id: int) -> int:
        for row, (pair, _left, _right) in enumerate(self._rows):
            if pair.id == pair_id:
                return row
        return -1

    def pair_ids(self) -> list[int]:
        return [pair.id for pair, _l, _r in self._rows]

    def remove_pair(self, pair_id: int) -> int:
        """Take a decided pair out at once (the database follows a moment later); returns its row.

        Until ``settled(pair_id)`` the pair is kept out of every page read, so a page fetched
        before the worker has written the decision cannot bring it back.
        """
        row = self._take_out(pair_id)
        if row >= 0:
            self.in_flight.add(pair_id)
            self.total = max(0, self.total - 1)
        return row

    def drop_settled(self, still_pending: set[int]) -> int:
        """Take out the loaded pairs that wait no more (a merge joined their records through other links);
        returns how many."""
        stale = [pair_id for pair_id in self.pair_ids() if pair_id not in still_pending]
        for pair_id in stale:
            self._take_out(pair_id)
        return len(stale)

    def _take_out(self, pair_id: int) -> int:
        row = self.row_of(pair_id)
        if row < 0:
            return -1
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._ids.discard(pair_id)
        self.endRemoveRows()
        self._offset = max(0, self._offset - 1)   # it has left the query's results too
        return row

    def settled(self, pair_id: int) -> None:
        """The worker has written (or failed to write) the decision on this pair."""
        self.in_flight.discard(pair_id)

    def insert_pair(self, pair: PendingPair, row: int = 0) -> int:
        """Put a pair back (after an undo) at ``row``; returns where it is."""
        self.in_flight.discard(pair.id)
        existing = self.row_of(pair.id)
        if existing >= 0:
            return existing
        labels = record_labels(self._conn, [pair.left_id, pair.right_id]) if self._conn is not None else {}
        row = max(0, min(row, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, (pair, labels.get(pair.left_id), labels.get(pair.right_id)))
        self._ids.add(pair.id)
        self.endInsertRows()
        return row

    # ------------------------------------------------------------------ model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(QUEUE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(QUEUE_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QUEUE_HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if section == 0 else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) \
                or not 0 <= index.column() < len(QUEUE_HEADERS):
            return None
        pair, left, right = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return score_text(pair.probability)
            return f"{record_title(left, pair.left_id)}  ↔  {record_title(right, pair.right_id)}"
        if role == SUBTITLE_ROLE:
            return queue_subtitle(pair, left, right)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Score {score_text(pair.probability)} · {queue_subtitle(pair, left, right)}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QColor(score_colour(pair.probability, bool(pair.reason)))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == 0 else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == PAIR_ROLE:
            return pair.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


# ---------------------------------------------------------------------------- decision history

HISTORY_HEADERS = ("When", "Decision", "Records", "How", "Status")


class DecisionHistoryModel(QAbstractTableModel):
    """The latest decisions, newest first, with the two records' names (masked contact details)."""

    LIMIT = 500

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[tuple[DecisionSummary, dict | None, dict | None]] = []

    def set_vault(self, vault) -> None:
        self.beginResetModel()
        try:
            decisions = decision_history(vault.conn, self.LIMIT) if vault is not None else []
            labels = record_labels(vault.conn, [i for d in decisions for i in (d.left_id, d.right_id)]) \
                if decisions else {}
        except Exception:  # noqa: BLE001
            decisions, labels = [], {}
        self._rows = [(d, labels.get(d.left_id), labels.get(d.right_id)) for d in decisions]
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def decision_at(self, row: int) -> DecisionSummary | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_of(self, decision_id: int) -> int:
        for row, (decision, _l, _r) in enumerate(self._rows):
            if decision.id == decision_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HISTORY_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(HISTORY_HEADERS):
            return HISTORY_HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        decision, left, right = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return local_time(decision.decided_at)
            if column == 1:
                return DECISION_TEXT.get(decision.decision, decision.decision)
            if column == 2:
                pair = f"{record_title(left, decision.left_id)}  ↔  {record_title(right, decision.right_id)}"
                more = decision.follow_ons
                return f"{pair}  (and {plural(more, 'other pair')} between their profiles)" if more else pair
            if column == 3:
                return ORIGIN_TEXT.get(decision.origin, decision.origin)
            if column == 4:
                return "Undone" if decision.undone_at else "Standing"
        if role == Qt.ItemDataRole.ToolTipRole and decision.undone_at:
            return f"Undone {local_time(decision.undone_at)}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if decision.undone_at:
                return QColor(theme.FAINT)
            if column == 1:
                return QColor(theme.SUCCESS if decision.decision == "merge" else theme.DANGER)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


# ---------------------------------------------------------------------------- side by side

AGREE, SIMILAR, CONFLICT, ONE_SIDED, INFO = "agree", "similar", "conflict", "one-sided", "info"


@dataclass
class Value:
    """One value in one cell: what to show (clear and masked), where it came from, whether it is shared."""

    text: str
    masked: str
    raw: str = ""
    column: str | None = None
    origin: str = ""  # "shopify_customers.csv, row 6"
    shared: bool = False
    stored: str = ""  # the normalised form when it differs from what is shown (phones: E.164)

    def shown(self, revealed: bool) -> str:
        return self.text if revealed else self.masked

    def tooltip(self, revealed: bool, mask: Callable[[str], str]) -> str:
        raw = self.raw if revealed else mask(self.raw)
        parts = []
        if raw:
            parts.append(f"As written: {raw}" + (f"  (column “{self.column}”)" if self.column else ""))
        if self.stored:
            parts.append(f"Read as {self.stored if revealed else mask(self.stored)}")
        if self.origin:
            parts.append(f"From {self.origin}")
        return "\n".join(parts)


@dataclass
class ComparisonRow:
    key: str  # name | email | phone | address | birth_date | company | source_id | created | orders | tickets | consent
    label: str
    left: list[Value] = field(default_factory=list)
    right: list[Value] = field(default_factory=list)
    status: str = INFO
    maskable: bool = False
    note: str = ""  # the comparison's level in words ("nickname", "same number")
    section: str = "record"  # record | history
    weight: float = 0.0  # this field's contribution to the score, in bits
    strength: str = ""  # strong | for | weak | against | cannot tell ("" for rows the matcher does not compare)

    def mask(self, value: str) -> str:
        return mask_value(self.key, value)


def _origin(card: dict) -> str:
    rows = card.get("rows") or [{"file_name": card.get("file_name"), "row_number": card.get("row_number")}]
    first = rows[0]
    text = f"{first['file_name']}, row {first['row_number']}"
    return text + (f" (and {plural(len(rows) - 1, 'more row')})" if len(rows) > 1 else "")


def _first_item(card: dict, *fields: str) -> dict | None:
    for name in fields:
        items = (card.get("values") or {}).get(name) or []
        if items:
            return items[0]
    return None


def _levels(explained: dict | None) -> dict[str, dict]:
    return {e["comparison"]: e for e in (explained or {}).get("evidence", [])}


def _status_from(level: int, agree: tuple[int, ...], similar: tuple[int, ...], conflict: tuple[int, ...]) -> str:
    if level in agree:
        return AGREE
    if level in similar:
        return SIMILAR
    if level in conflict:
        return CONFLICT
    return ONE_SIDED


def _name_values(card: dict) -> list[Value]:
    name = card.get("display_name") or " ".join(p for p in (card.get("first_name"), card.get("last_name")) if p)
    if not name:
        return []
    raws = [item["raw"] for item in (_first_item(card, "first_name"), _first_item(card, "last_name"),
                                     _first_item(card, "full_name")) if item and item.get("raw")]
    columns = [item["column"] for item in (_first_item(card, "first_name"), _first_item(card, "last_name"),
                                           _first_item(card, "full_name")) if item and item.get("column")]
    return [Value(name, name, " ".join(raws) or name, " + ".join(dict.fromkeys(columns)) or None, _origin(card))]


def _keyed_values(card: dict, kind: str, other_keys: set[str]) -> list[Value]:
    """Emails (normalised) or phones (as written, so "(512) 555-0100" and "+1 512.555.0100" both show
    and the mark says they are the same number); the matching key is in the tooltip."""
    values = []
    for item in card.get(kind + "s") or []:
        stored = item["value"]
        text = (item.get("raw") or stored) if kind == "phone" else stored
        suffix = f"  ({item['kind']})" if kind == "phone" and item.get("kind") else ""
        value = Value(text + suffix, mask_value(kind, text) + suffix, item.get("raw") or stored, item.get("column"),
                      _origin(card), shared=item.get("key") in other_keys)
        if kind == "phone" and stored != text:
            value.stored = stored
        values.append(value)
    return values


def _address_values(card: dict) -> list[Value]:
    line = _first_item(card, "address_line1", "shipping_address_line1")
    postal = card.get("postal_code") or ""
    city = card.get("city") or ""
    region = (_first_item(card, "region") or {}).get("value") or ""
    country = card.get("country") or ""
    street = line["value"] if line else ""
    if not (street or postal or city or country):
        return []
    place = " ".join(p for p in (postal, city, region) if p)
    clear = ", ".join(p for p in (street, place, country) if p)
    masked_place = " ".join(p for p in (mask_value("address", postal), city, region) if p)
    masked = ", ".join(p for p in (mask_value("address", street), masked_place, country) if p)
    if _policy.mode("address") != "mask":
        masked = mask_value("address", clear)
    raw = line["raw"] if line else clear
    return [Value(clear, masked, raw or clear, line.get("column") if line else None, _origin(card))]


def _single(card: dict, column: str, field_name: str, masked: bool) -> list[Value]:
    value = card.get(column)
    if not value:
        return []
    item = _first_item(card, field_name) or {}
    return [Value(str(value), mask_value(field_name, value) if masked else str(value), item.get("raw") or str(value),
                  item.get("column"), _origin(card))]


def _context_values(context: dict | None, key: str) -> list[Value]:
    if not context:
        return []
    if key == "orders":
        if not context.get("orders"):
            text = "No orders" if not context.get("payments") else plural(context["payments"], "payment")
            if context.get("payments") and context.get("total_spent"):
                text += f" · {context['total_spent']} paid"
        else:
            text = plural(context["orders"], "order")
            if context.get("total_spent"):
                text += f" · {context['total_spent']} spent"
            if context.get("last_order_at"):
                text += f" · last {local_date(context['last_order_at'])}"
    elif key == "tickets":
        if not context.get("tickets"):
            text = "No tickets"
        else:
            text = plural(context["tickets"], "ticket")
            if context.get("last_ticket_at"):
                text += f" · last {local_date(context['last_ticket_at'])}"
    else:
        consent = context.get("consent") or {}
        text = "; ".join(f"{purpose.replace('_', ' ')}: {status.replace('_', ' ')}"
                         for purpose, status in consent.items()) or "Nothing recorded"
    return [Value(text, text)]


ROW_COMPARISONS = {"name": ("first_name", "last_name"), "email": ("email",), "phone": ("phone",),
                   "address": ("address", "location"), "birth_date": ("birth_date",), "company": ("company",)}


def strength_of(weight: float, compared: bool) -> str:
    """The words ``explain_pair`` uses for one comparison, applied to a row's summed contribution."""
    if not compared:
        return "cannot tell"
    if weight >= 6:
        return "strong"
    if weight >= 2:
        return "for"
    if weight > -2:
        return "weak"
    return "against"


def _add_contributions(rows: list[ComparisonRow], levels: dict[str, dict]) -> None:
    if not levels:
        return
    for row in rows:
        names = ROW_COMPARISONS.get(row.key)
        if not names:
            continue
        compared = [levels[n] for n in names if n in levels and levels[n].get("level")]
        row.weight = sum(float(e.get("weight", 0.0)) for e in compared)
        row.strength = strength_of(row.weight, bool(compared))


def comparison_rows(left: dict, right: dict, explained: dict | None = None,
                    contexts: tuple[dict | None, dict | None] = (None, None)) -> list[ComparisonRow]:
    """The two records aligned field by field, each row marked as agreeing, similar or conflicting."""
    levels = _levels(explained)

    def level(name: str) -> int:
        return int(levels.get(name, {}).get("level", 0))

    rows: list[ComparisonRow] = []
    first, last = level("first_name"), level("last_name")
    if first == 5 or last == 3:
        name_status = CONFLICT
    elif first in (2, 3, 4) or last == 2:
        name_status = SIMILAR
    elif first == 1 and last in (1, 0) or last == 1 and first == 0:
        name_status = AGREE
    else:
        name_status = ONE_SIDED
    notes = [levels[n]["level_label"] for n in ("first_name", "last_name") if level(n) not in (0, 1)]
    rows.append(ComparisonRow("name", "Name", _name_values(left), _name_values(right), name_status,
                              note=", ".join(notes)))

    for kind, label_text, comparison in (("email", "Emails", "email"), ("phone", "Phones", "phone")):
        left_keys = {item.get("key") for item in left.get(kind + "s") or []}
        right_keys = {item.get("key") for item in right.get(kind + "s") or []}
        left_values = _keyed_values(left, kind, right_keys)
        right_values = _keyed_values(right, kind, left_keys)
        if left_keys & right_keys:
            status = AGREE
        elif left_values and right_values:
            status = SIMILAR if level(comparison) == 2 else CONFLICT
        else:
            status = ONE_SIDED
        note = levels.get(comparison, {}).get("level_label", "") if level(comparison) else ""
        rows.append(ComparisonRow(kind, label_text, left_values, right_values, status, maskable=True, note=note))

    address, location = level("address"), level("location")
    if address == 1 or (address == 0 and location == 1):
        status = AGREE
    elif address == 2 or (address == 0 and location == 2):
        status = SIMILAR
    elif address == 3 or location == 3:
        status = CONFLICT
    else:
        status = ONE_SIDED
    rows.append(ComparisonRow("address", "Address", _address_values(left), _address_values(right), status,
                              maskable=True))
    rows.append(ComparisonRow("birth_date", "Birth date", _single(left, "birth_date", "birth_date", True),
                              _single(right, "birth_date", "birth_date", True),
                              _status_from(level("birth_date"), (1,), (2,), (3,)), maskable=True,
                              note=levels.get("birth_date", {}).get("level_label", "") if level("birth_date") else ""))
    rows.append(ComparisonRow("company", "Company", _single(left, "company", "company", False),
                              _single(right, "company", "company", False),
                              _status_from(level("company"), (1,), (), (2,))))

    def source_id(card: dict) -> list[Value]:
        tool = source_label(card.get("source"))
        masked = f"{tool} · {record_key_words(card.get('source_record_id') or '')}".strip(" ·")
        return [Value(masked, masked, masked, None, _origin(card))]   # a derived key may be an email address

    rows.append(ComparisonRow("source_id", "Source id", source_id(left), source_id(right), INFO))

    def created(card: dict) -> list[Value]:
        if card.get("created_in_source"):
            text = f"{local_date(card['created_in_source'])} in {source_label(card.get('source'), short=True)}"
        else:
            text = f"imported {local_date(card.get('created_at'))}"
        return [Value(text, text, "", None, _origin(card))]

    rows.append(ComparisonRow("created", "Created", created(left), created(right), INFO))
    for key, label_text in (("orders", "Orders"), ("tickets", "Tickets"), ("consent", "Consent")):
        rows.append(ComparisonRow(key, label_text, _context_values(contexts[0], key),
                                  _context_values(contexts[1], key), INFO, section="history"))
    _add_contributions(rows, levels)
    return rows


# ---------------------------------------------------------------------------- evidence in words

@dataclass(frozen=True)
class EvidenceLine:
    comparison: str
    words: str
    strength: str
    weight: float


_SUBJECTS = {"first_name": "First names", "last_name": "Last names", "email": "Email", "phone": "Phone",
             "location": "Postal code / city", "address": "Street address", "birth_date": "Birth dates",
             "company": "Company"}


def evidence_lines(explained: dict | None, left: dict | None = None, right: dict | None = None) -> tuple[
        list[EvidenceLine], list[str]]:
    """Each field's contribution in words (values masked), strongest first; and what could not be compared."""
    lines, missing = [], []
    left, right = left or {}, right or {}
    for item in (explained or {}).get("evidence", []):
        name = item["comparison"]
        if not item["level"]:
            missing.append(_SUBJECTS.get(name, name).lower())
            continue
        label_text = item["level_label"]
        subject = _SUBJECTS.get(name, name)
        if name in ("email", "phone") and item["level"] == 1:
            # explain_pair shows each record's first value; say which value they share instead
            first_of = {i.get("key"): i["value"] for i in left.get(name + "s") or []}
            common = [first_of[i.get("key")] for i in right.get(name + "s") or [] if i.get("key") in first_of]
            words = f"Same {name} {mask_value(name, common[0]) if common else ''}".strip()
        elif name in ("email", "phone") or "•" in item["left"] + item["right"]:
            words = f"{subject}: {label_text}"
        elif item["left"] and item["right"] and item["left"] != item["right"]:
            words = f"{subject} {item['left']} / {item['right']}: {label_text}"
        elif item["left"] and item["left"] == item["right"]:
            words = f"{subject}: {label_text} ({item['left']})"
        else:
            words = f"{subject}: {label_text}"
        lines.append(EvidenceLine(name, words, item["strength"], float(item["weight"])))
    lines.sort(key=lambda line: -abs(line.weight))
    return lines, missing
