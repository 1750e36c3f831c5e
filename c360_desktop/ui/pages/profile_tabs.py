"""The profile's tabs: golden record, source records, timeline, consent, corrections and notes.

Tabs only display a ``ProfileView`` through the redaction policy and say what the owner asked for
through signals; the panel (``profile.py``) does the vault work. No personal value is ever put in a
tooltip: tooltips explain, they do not reveal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.ingest.dates import readable_date
from ...core.privacy.policy import RedactionPolicy, column_categories
from ...core.profiles.golden import GOLDEN_FIELDS, RULE_LABELS, GoldenField
from ...core.profiles.profile import ProfileView, SourceRecord
from ...core.profiles.search import id_term
from ...core.profiles.timeline import KINDS, TimelineEntry, timeline
from .. import theme
from ..models.customers import consent_mark
from ..models.review import local_time, source_label
from ..widgets import _eye_icon, label, list_table
from .profile_widgets import FlowLayout

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ROW_HEIGHT = 30
RULE_HELP = {
    "most_frequent": "The value most of this customer's records agree on.",
    "most_recent": "The value of the most recently updated record.",
    "most_complete": "The longest, most complete value.",
    "source_priority": "The value of the tool you rank highest (Settings).",
}


@dataclass
class ProfileContext:
    """What every tab needs to show one profile."""
    vault: object
    view: ProfileView
    policy: RedactionPolicy
    revealed: Callable[[str], bool]   # field key -> shown unmasked right now

    def show(self, category: str, value, key: str | None = None) -> str:
        readable = readable_date(value) if key == "birth_date" else value
        return self.policy.apply(category, readable, revealed=bool(key) and self.revealed(key))

    def masked(self, category: str) -> bool:
        return self.policy.mode(category) != "show"


# ---------------------------------------------------------------------------- wording

def short_date(value: str | None) -> str:
    return (value or "")[:10]


def money(amount, currency: str | None = None) -> str:
    try:
        text = f"{Decimal(str(amount)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(amount or "")
    return f"{text} {currency}" if currency else text


def where_from(source: str, file_name: str, row_number: int) -> str:
    place = f"{file_name}, row {row_number}" if file_name else ""
    return " · ".join(p for p in (source_label(source, short=True), place) if p)


def decided_label(golden: GoldenField) -> str:
    if golden.decided_by == "manual":
        return "Your correction"
    if golden.decided_by == "preferred":
        return "Your choice while merging"
    return RULE_LABELS.get(golden.decided_by or "", "")


def tool_id(source_record_id: str) -> str | None:
    """The tool's own id of a record; None for the keys c360 derived itself (they may hold an email)."""
    return source_record_id if id_term(source_record_id) else None


def evidence_text(evidence: dict, policy: RedactionPolicy) -> str:
    """Where a consent statement came from, in words: file and row, what the tool said, the owner's reason."""
    parts = []
    if evidence.get("reason"):
        parts.append(f"You: “{evidence['reason']}”")
    if evidence.get("tool_status"):
        parts.append(f"said “{evidence['tool_status']}”")
    if evidence.get("file"):
        parts.append(f"{evidence['file']}, row {evidence.get('row', '?')}")
    if evidence.get("evidence"):
        parts.append(f"opt-in proof {policy.apply('custom', evidence['evidence'])}")
    return " · ".join(parts)


def make_tree(name: str, headers: tuple[str, ...], stretch: int = 1, flat: bool = False) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setColumnCount(len(headers))
    tree.setHeaderLabels(list(headers))
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(False)
    tree.setRootIsDecorated(not flat)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    tree.setFrameShape(QFrame.Shape.NoFrame)
    tree.setItemDelegate(_RowHeight(ROW_HEIGHT, tree))
    header = tree.header()
    header.setStretchLastSection(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return tree


class _RowHeight(QStyledItemDelegate):
    """Every row at least ``height`` high, so rows with buttons and rows without line up."""

    def __init__(self, height: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.height = height

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), self.height))


def link_button(text: str, name: str, tooltip: str = "") -> QPushButton:
    button = theme.mark_link(QPushButton(text))
    button.setObjectName(name)
    button.setToolTip(tooltip)
    return button


def tab_layout(widget: QWidget) -> QVBoxLayout:
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(14, 12, 14, 12)
    layout.setSpacing(10)
    return layout


def item_texts(tree: QTreeWidget) -> list[str]:
    """Every text and tooltip of a tree, children included (tests check nothing unmasked is there)."""
    found = []

    def walk(item: QTreeWidgetItem) -> None:
        for column in range(tree.columnCount()):
            found.extend((item.text(column), item.toolTip(column)))
        for child in range(item.childCount()):
            walk(item.child(child))

    for top in range(tree.topLevelItemCount()):
        walk(tree.topLevelItem(top))
    return found


# ---------------------------------------------------------------------------- Overview (golden record)

class OverviewTab(QWidget):
    """Each golden field: its value, where it came from, which rule chose it, and every other value."""

    reveal_requested = Signal(str)
    hide_requested = Signal(str)
    copy_requested = Signal(str)
    correct_requested = Signal(str)

    COLUMNS = ("Field", "Value", "From", "Decided by", "")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = make_tree("GoldenTree", self.COLUMNS, stretch=2)
        header = self.tree.header()
        for column, width in ((0, 120), (1, 210), (3, 170), (4, 184)):
            header.resizeSection(column, width)
        self.eyes: dict[str, QToolButton] = {}
        self.copies: dict[str, QToolButton] = {}
        self.items: dict[str, tuple[QTreeWidgetItem, GoldenField]] = {}
        layout = tab_layout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.tree)

    def show_profile(self, ctx: ProfileContext) -> None:
        self.tree.clear()
        self.eyes, self.copies, self.items = {}, {}, {}
        for key, golden in ctx.view.golden.items():
            item = QTreeWidgetItem(self.tree)
            item.setText(0, golden.label)
            self.items[key] = (item, golden)
            if golden.value is None:
                item.setText(2, "No tool gave one")
                item.setForeground(2, QColor(theme.FAINT))
            else:
                self._describe(item, golden)
                self._add_values(item, golden)
            self.tree.setItemWidget(item, 4, self._actions(ctx, key, golden))
        self.refresh_values(ctx)

    @staticmethod
    def _add_values(item: QTreeWidgetItem, golden: GoldenField) -> None:
        """One child row per value the tools gave, with which tools said it (the value is set when shown)."""
        for group in _value_groups(golden):
            child = QTreeWidgetItem(item)
            child.setData(1, Qt.ItemDataRole.UserRole, group[0].value)
            names = sorted({source_label(c.source, short=True) for c in group})
            child.setText(2, ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else ""))
            child.setToolTip(2, "\n".join(_said_by(c) for c in group))
            records = f"{len(group)} {'record' if len(group) == 1 else 'records'}"
            child.setText(3, f"chosen · {records}" if group[0].value == golden.value else records)
            child.setForeground(3, QColor(theme.MUTED))

    def _describe(self, item: QTreeWidgetItem, golden: GoldenField) -> None:
        winner = golden.winner
        if winner.manual:
            item.setText(2, f"Your correction · {short_date(winner.seen_at)}")
            item.setToolTip(3, f"Reason: {winner.reason}" if winner.reason else "")
        else:
            item.setText(2, f"{where_from(winner.source, winner.file_name, winner.row_number)}"
                            f" · {short_date(winner.seen_at)}")
            item.setToolTip(3, RULE_HELP.get(golden.decided_by or "", "You chose this value while merging."))
        item.setText(3, decided_label(golden))
        values = len(_value_groups(golden))
        item.setToolTip(0, f"{values} different {'value' if values == 1 else 'values'} from your tools: expand to "
                           "see which tool said what.")

    def _actions(self, ctx: ProfileContext, key: str, golden: GoldenField) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(4)
        if golden.value is not None and ctx.masked(golden.category):
            eye = QToolButton()
            eye.setObjectName("Reveal")
            eye.setCheckable(True)
            eye.setIcon(_eye_icon(False))
            eye.setAccessibleName(f"Reveal {golden.label.lower()}")
            eye.setCursor(Qt.CursorShape.PointingHandCursor)
            eye.toggled.connect(lambda on, k=key: (self.reveal_requested if on else self.hide_requested).emit(k))
            copy = QToolButton()
            copy.setObjectName("Copy")
            copy.setText("Copy")
            copy.setCursor(Qt.CursorShape.PointingHandCursor)
            copy.clicked.connect(lambda _checked=False, k=key: self.copy_requested.emit(k))
            self.eyes[key], self.copies[key] = eye, copy
            row.addWidget(eye)
            row.addWidget(copy)
        correct = link_button("Correct…", f"Correct-{key}", f"Correct the {golden.label.lower()} (with a reason)")
        correct.clicked.connect(lambda _checked=False, k=key: self.correct_requested.emit(k))
        row.addStretch(1)
        row.addWidget(correct)
        return box

    def refresh_values(self, ctx: ProfileContext) -> None:
        """Show each value masked or revealed, as the reveals stand now."""
        for key, (item, golden) in self.items.items():
            revealed = ctx.revealed(key)
            if golden.value is not None:
                item.setText(1, ctx.show(golden.category, golden.value, key))
            for index in range(item.childCount()):
                child = item.child(index)
                child.setText(1, ctx.show(golden.category, child.data(1, Qt.ItemDataRole.UserRole), key))
            eye, copy = self.eyes.get(key), self.copies.get(key)
            if eye is not None:
                eye.blockSignals(True)
                eye.setChecked(revealed)
                eye.setIcon(_eye_icon(revealed))
                eye.setToolTip("Hide again" if revealed else
                               "Show for a short while (recorded in the audit log, without the value)")
                eye.blockSignals(False)
                copy.setEnabled(revealed)
                copy.setToolTip("Copy; the clipboard is cleared again shortly" if revealed else "Reveal it first")

    def value_texts(self) -> list[str]:
        return item_texts(self.tree)


def _said_by(candidate) -> str:
    """Which tool, file and row gave a value (and the phone's type), never the value itself."""
    kind = f" ({candidate.kind})" if candidate.kind in ("mobile", "home", "work") else ""
    return f"{where_from(candidate.source, candidate.file_name, candidate.row_number)}{kind} · " \
           f"{short_date(candidate.seen_at)}"


def _value_groups(golden: GoldenField) -> list[list]:
    """Every imported candidate grouped by value, the chosen value first, then by how many said it."""
    groups: dict[str, list] = {}
    for candidate in [golden.winner, *golden.others]:
        if candidate is not None and not candidate.manual:
            groups.setdefault(candidate.value, []).append(candidate)
    return sorted(groups.values(), key=lambda g: (g[0].value != golden.value, -len(g)))


# ---------------------------------------------------------------------------- Sources

class SourcesTab(QWidget):
    """Each linked record: the tool, file, rows and import batch, its raw columns (redacted), and Split."""

    split_requested = Signal(int)   # record id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.records: list[SourceRecord] = []
        self.list = make_tree("SourceList", ("Tool", "File", "Row"), stretch=1, flat=True)
        self.list.header().resizeSection(0, 130)
        self.list.header().resizeSection(2, 44)
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.title = label("", "SectionTitle")
        self.meta = label("", "Muted", wrap=True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.raw_model = QStandardItemModel(0, 2, self)
        self.raw_model.setHorizontalHeaderLabels(["Column in the file", "Value"])
        self.raw = list_table("RawTable", self.raw_model, row_height=26)
        self.raw.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.raw.setFrameShape(QFrame.Shape.NoFrame)
        self.raw.horizontalHeader().resizeSection(0, 220)
        self.raw.horizontalHeader().setStretchLastSection(True)
        self.split_button = QPushButton("Split from this profile…")
        self.split_button.setObjectName("SplitButton")
        self.split_button.setToolTip("This record is someone else: take it out of this profile (asked first, audited)")
        self.split_button.clicked.connect(self._on_split)
        self.masked_note = label("Personal values are masked by the redaction policy (Settings).", "Faint")
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(16, 12, 4, 0)
        detail_layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.split_button)
        detail_layout.addLayout(top)
        detail_layout.addWidget(self.meta)
        detail_layout.addWidget(self.raw, 1)
        detail_layout.addWidget(self.masked_note)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        splitter.addWidget(detail)
        splitter.setSizes([440, 600])
        splitter.setStretchFactor(1, 1)
        layout = tab_layout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        layout.addWidget(splitter)
        self._ctx: ProfileContext | None = None
        self._categories: dict[int, dict[str, str]] = {}

    def show_profile(self, ctx: ProfileContext) -> None:
        self._ctx = ctx
        self._categories = {}
        self.records = list(ctx.view.sources)
        chosen = self.current_record_id()
        self.list.clear()
        for record in self.records:
            item = QTreeWidgetItem(self.list, [source_label(record.source, short=True), record.file_name,
                                               str(record.row_number)])
            item.setData(0, Qt.ItemDataRole.UserRole, record.id)
            item.setToolTip(0, source_label(record.source))
            item.setTextAlignment(2, RIGHT)
            item.setToolTip(1, record.file_name)
        ids = [r.id for r in self.records]
        self.list.setCurrentItem(self.list.topLevelItem(ids.index(chosen) if chosen in ids else 0))
        self.split_button.setEnabled(len(self.records) > 1)
        self._show_current()

    def current_record_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select_record(self, record_id: int) -> bool:
        for index in range(self.list.topLevelItemCount()):
            if self.list.topLevelItem(index).data(0, Qt.ItemDataRole.UserRole) == record_id:
                self.list.setCurrentItem(self.list.topLevelItem(index))
                return True
        return False

    def _record(self) -> SourceRecord | None:
        record_id = self.current_record_id()
        return next((r for r in self.records if r.id == record_id), None)

    def _show_current(self) -> None:
        record, ctx = self._record(), self._ctx
        self.raw_model.setRowCount(0)
        if record is None or ctx is None:
            self.title.setText("")
            self.meta.setText("")
            return
        self.title.setText(f"{source_label(record.source)} record")
        own_id = tool_id(record.source_record_id)
        rows = "; ".join(f"{r['file_name']} row {r['row_number']}" for r in record.rows) or \
            f"{record.file_name} row {record.row_number}"
        lines = [f"Id in {source_label(record.source, short=True)}: {ctx.show('id', own_id)}" if own_id else
                 "The export gave no id of its own; c360 recognises this record by its contact details.",
                 f"{'Rows' if len(record.rows) > 1 else 'Row'}: {rows}",
                 f"Import batch #{record.import_id}, imported {local_time(record.imported_at)}"]
        self.meta.setText("\n".join(lines))
        categories = self._categories.setdefault(record.import_id, column_categories(ctx.vault.conn, record.import_id))
        shown = ctx.policy.redact_raw(record.raw, categories)
        cells = [(header, value) for header, value in shown.items() if str(value).strip()]
        for header, value in cells:
            name = QStandardItem(header)
            name.setForeground(QColor(theme.MUTED))
            self.raw_model.appendRow([name, QStandardItem(str(value))])

    def _on_split(self) -> None:
        record_id = self.current_record_id()
        if record_id is not None:
            self.split_requested.emit(record_id)

    def raw_texts(self) -> list[str]:
        return [self.raw_model.item(r, c).text() for r in range(self.raw_model.rowCount()) for c in range(2)]


# ---------------------------------------------------------------------------- Timeline

BOOKKEEPING = {"import"}   # c360's own entries, one per file: shown under "All" or their chip


class TimelineTab(QWidget):
    """Newest first; kind chips filter it (the customer's own activity at first); orders show their
    items; amounts right-aligned. The owner's choice of kinds holds while the profile is read again
    (after a change), and each other profile starts from its own activity."""

    COLUMNS = ("When", "What", "Tool", "Status", "Amount")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.entries: list[TimelineEntry] | None = None
        self.kinds: set[str] = set()   # the kinds shown; empty: all of them
        self.owner_chose = False        # until the owner picks, the customer's own activity is shown
        self.chips = QButtonGroup(self)
        self.chips.setExclusive(False)
        self.chip_box = QWidget()
        self.chip_row = FlowLayout(self.chip_box)
        self.tree = make_tree("TimelineTree", self.COLUMNS, stretch=1)
        header = self.tree.header()
        for column, width in ((0, 150), (2, 130), (3, 110), (4, 120)):
            header.resizeSection(column, width)
        self.tree.headerItem().setTextAlignment(4, RIGHT)
        self.empty = label("Nothing in the timeline yet.", "Muted")
        layout = tab_layout(self)
        layout.addWidget(self.chip_box)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self._ctx: ProfileContext | None = None

    def forget(self) -> None:
        """A new profile is shown: the timeline is read again the next time the tab is opened."""
        self.entries = None
        self.tree.clear()
        self.chip_row.clear()

    def reset_filter(self) -> None:
        """Another profile is shown: its timeline starts from the customer's own activity, whatever the
        owner picked for the previous one (that profile's kinds say nothing about this one's)."""
        self.owner_chose = False

    def load(self, ctx: ProfileContext) -> None:
        self._ctx = ctx
        self.entries = timeline(ctx.vault.conn, ctx.view.record_ids)
        present = [k for k in KINDS if any(e.kind == k for e in self.entries)]
        self.kinds = self.kinds & set(present) if self.owner_chose else set(present) - BOOKKEEPING
        self.chip_row.clear()
        for button in self.chips.buttons():
            self.chips.removeButton(button)
        self._chip("All", None, len(self.entries))
        for kind in present:
            self._chip(KINDS[kind], kind, sum(1 for e in self.entries if e.kind == kind))
        self._fill()

    def _chip(self, text: str, kind: str | None, count: int) -> None:
        button = QPushButton(f"{text}  {count}")
        button.setObjectName(f"Chip-{kind or 'all'}")
        button.setProperty("chipButton", True)
        button.setCheckable(True)
        button.setChecked(kind in self.kinds if kind else not self.kinds)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda _checked=False, k=kind: self.toggle_kind(k))
        self.chips.addButton(button)
        self.chip_row.addWidget(button)

    def toggle_kind(self, kind: str | None) -> None:
        """A kind chip adds or removes that kind; "All" shows everything again."""
        self.owner_chose = True
        if kind is None:
            self.kinds = set()
        else:
            self.kinds ^= {kind}
        for button in self.chips.buttons():
            chosen = button.objectName().removeprefix("Chip-")
            button.setChecked(chosen in self.kinds if chosen != "all" else not self.kinds)
        self._fill()

    def shown_entries(self) -> list[TimelineEntry]:
        return [e for e in self.entries or [] if not self.kinds or e.kind in self.kinds]

    def _fill(self) -> None:
        self.tree.clear()
        shown = self.shown_entries()
        for entry in shown:
            undated = not entry.at
            item = QTreeWidgetItem(self.tree, [local_time(entry.at) if not undated else "undated", self._title(entry),
                                               source_label(entry.source, short=True)
                                               if entry.source not in ("c360", "manual") else "You",
                                               (entry.status or "").capitalize(),
                                               money(entry.amount, entry.currency) if entry.amount else ""])
            item.setTextAlignment(4, RIGHT)
            item.setToolTip(1, self._detail(entry))
            if undated:
                item.setForeground(0, QColor(theme.FAINT))
                recorded = entry.detail.get("recorded_at")
                item.setToolTip(0, f"The tool gave no date; imported {local_time(recorded)}" if recorded else "")
            if entry.kind == "refund":
                item.setForeground(4, QColor(theme.DANGER))
            for line in entry.detail.get("items") or []:
                quantity = str(line.get("quantity") or "").strip()
                name = line.get("name") or line.get("sku") or "item"
                child = QTreeWidgetItem(item, ["", f"{quantity} × {name}" if quantity else name, "", "",
                                               money(line["price"]) + (" each" if quantity not in ("", "1") else "")
                                               if line.get("price") else ""])
                child.setTextAlignment(4, RIGHT)
                child.setForeground(1, QColor(theme.MUTED))
                child.setForeground(4, QColor(theme.MUTED))
            item.setExpanded(True)
        self.tree.setVisible(bool(shown))
        self.empty.setVisible(not shown)

    def _free_text(self, text) -> str:
        """Ticket subjects, reasons and note texts: what the customer or the owner wrote, redacted as notes."""
        return self._ctx.policy.apply("notes", text) if self._ctx is not None else ""

    def _title(self, entry: TimelineEntry) -> str:
        """Ticket subjects and notes are redacted; tags are the owner's own labels, shown as in the header."""
        subject = entry.detail.get("subject") or entry.detail.get("note")
        if subject:
            return f"{entry.title} · {self._free_text(subject)}"
        return f"{entry.title} · {entry.detail['tag']}" if entry.detail.get("tag") else entry.title

    def _detail(self, entry: TimelineEntry) -> str:
        detail = entry.detail
        if "evidence" in detail and self._ctx is not None:
            return evidence_text(detail["evidence"], self._ctx.policy) or entry.title
        words = {"ticket_priority": "priority", "ticket_channel": "channel", "payment_method": "paid by",
                 "fulfillment_status": "fulfilment", "ticket_type": "ticket"}
        parts = [f"{words[k]}: {detail[k]}" for k in words if detail.get(k)]
        if detail.get("reason"):
            parts.append(f"reason: {self._free_text(detail['reason'])}")
        return " · ".join(parts) or self._title(entry)


# ---------------------------------------------------------------------------- Consent

class ConsentTab(QWidget):
    """Per purpose: the status in force, who said it and when, the evidence, the full history, conflicts."""

    change_requested = Signal(str)   # purpose

    COLUMNS = ("Purpose", "Status", "From", "When", "Evidence", "")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = make_tree("ConsentTree", self.COLUMNS, stretch=4)
        header = self.tree.header()
        for column, width in ((0, 170), (2, 115), (3, 135), (5, 88)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)   # "⚠ tools disagree" in full
        note = label("The latest statement decides. A grant your tool did not date never overrides a withdrawal. "
                     "When tools disagree, the purpose is marked so you can check its history.", "Faint", wrap=True)
        layout = tab_layout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        layout.addWidget(self.tree, 1)
        note.setContentsMargins(14, 0, 14, 0)
        layout.addWidget(note)

    def show_profile(self, ctx: ProfileContext) -> None:
        self.tree.clear()
        for purpose, status in ctx.view.consent.items():
            mark, colour, words = consent_mark(status.status)
            item = QTreeWidgetItem(self.tree)
            item.setText(0, status.label)
            item.setText(1, f"{mark}  {words.capitalize()}" + ("   ⚠ tools disagree" if status.conflict else ""))
            item.setForeground(1, QColor(theme.WARNING if status.conflict else colour))
            if status.conflict:
                item.setToolTip(1, "The latest statements of your tools disagree: check the history below.")
            if status.current is not None:
                self._statement_columns(item, status.current, ctx)
            else:
                item.setText(4, "Nothing recorded yet")
                item.setToolTip(4, "No tool and no statement of yours says anything about this purpose.")
                item.setForeground(4, QColor(theme.FAINT))
            for statement in status.history:
                child = QTreeWidgetItem(item)
                child_mark, child_colour, child_words = consent_mark(statement.status)
                child.setText(1, f"{child_mark}  {child_words.capitalize()}")
                child.setForeground(1, QColor(child_colour))
                self._statement_columns(child, statement, ctx)
            change = link_button("Change…", f"ChangeConsent-{purpose}", f"Record what the customer told you about "
                                 f"{status.label.lower()}")
            change.clicked.connect(lambda _checked=False, p=purpose: self.change_requested.emit(p))
            self.tree.setItemWidget(item, 5, change)
            item.setExpanded(status.conflict)

    @staticmethod
    def _statement_columns(item: QTreeWidgetItem, statement, ctx: ProfileContext) -> None:
        item.setText(2, "You" if statement.source == "manual" else source_label(statement.source, short=True))
        if statement.stated_at:
            item.setText(3, local_time(statement.stated_at))
        else:
            item.setText(3, "undated")
            item.setToolTip(3, f"The tool gave no date; imported {local_time(statement.recorded_at)}")
            item.setForeground(3, QColor(theme.FAINT))
        evidence = evidence_text(statement.evidence, ctx.policy)
        item.setText(4, evidence)
        item.setToolTip(4, evidence)


# ---------------------------------------------------------------------------- Corrections and notes

class NotesTab(QWidget):
    """The owner's own data: corrections (with their history), notes and tags."""

    correct_requested = Signal(str)
    note_requested = Signal(str)             # 'note' | 'tag'
    withdraw_requested = Signal(str)         # field
    remove_requested = Signal(int)           # note id
    reveal_notes_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.correct_button = QPushButton("Correct a field…")
        self.correct_button.setObjectName("CorrectButton")
        self.correct_button.clicked.connect(lambda: self.correct_requested.emit(""))
        self.note_button = QPushButton("Add a note…")
        self.note_button.setObjectName("AddNoteButton")
        self.note_button.clicked.connect(lambda: self.note_requested.emit("note"))
        self.tag_button = QPushButton("Add a tag…")
        self.tag_button.setObjectName("AddTagButton")
        self.tag_button.clicked.connect(lambda: self.note_requested.emit("tag"))
        self.notes_eye = QToolButton()
        self.notes_eye.setObjectName("Reveal")
        self.notes_eye.setCheckable(True)
        self.notes_eye.setIcon(_eye_icon(False))
        self.notes_eye.setToolTip("Show the notes for a short while (recorded in the audit log)")
        self.notes_eye.toggled.connect(self.reveal_notes_requested)
        self.corrections = make_tree("CorrectionsTree", ("Field", "Value", "Reason", "When", "Status", ""),
                                     stretch=2, flat=True)
        self.notes = make_tree("NotesTree", ("Kind", "Text", "Reason", "Added", ""), stretch=1, flat=True)
        for tree, widths in ((self.corrections, ((0, 120), (1, 220), (3, 140), (4, 110), (5, 90))),
                             (self.notes, ((0, 70), (2, 220), (3, 140), (4, 90)))):
            for column, width in widths:
                tree.header().resizeSection(column, width)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.correct_button, self.note_button, self.tag_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = tab_layout(self)
        layout.addLayout(buttons)
        layout.addWidget(label("Corrections", "SectionTitle"))
        self.no_corrections = label("No corrections. A correction wins over every imported value until you "
                                    "withdraw it.", "Muted", wrap=True)
        layout.addWidget(self.no_corrections)
        layout.addWidget(self.corrections, 1)
        layout.addSpacing(6)
        notes_title = QHBoxLayout()
        notes_title.addWidget(label("Notes and tags", "SectionTitle"))
        notes_title.addWidget(self.notes_eye)
        notes_title.addStretch(1)
        layout.addLayout(notes_title)
        self.no_notes = label("No notes or tags yet.", "Muted")
        layout.addWidget(self.no_notes)
        layout.addWidget(self.notes, 1)
        self.filler = QWidget()   # takes the room while neither list is shown
        layout.addWidget(self.filler, 1)

    def show_profile(self, ctx: ProfileContext, notes_revealed: bool) -> None:
        self.corrections.clear()
        for edit in ctx.view.edits:
            label_text, _fields, category = GOLDEN_FIELDS.get(edit["field"], (edit["field"], (), "custom"))
            live = edit["withdrawn_at"] is None
            item = QTreeWidgetItem(self.corrections, [
                label_text, ctx.show(category, edit["value"], edit["field"]), edit["reason"],
                local_time(edit["edited_at"]), "in force" if live else f"withdrawn {short_date(edit['withdrawn_at'])}"])
            item.setForeground(4, QColor(theme.SUCCESS if live else theme.FAINT))
            if live:
                withdraw = link_button("Withdraw", f"Withdraw-{edit['field']}",
                                       "Let the imported values decide this field again")
                withdraw.clicked.connect(lambda _checked=False, f=edit["field"]: self.withdraw_requested.emit(f))
                self.corrections.setItemWidget(item, 5, withdraw)
        self.notes.clear()
        for note in ctx.view.notes:
            text = note["text"] if note["kind"] == "tag" else ctx.policy.apply("notes", note["text"], notes_revealed)
            item = QTreeWidgetItem(self.notes, [note["kind"].capitalize(), text, note["reason"] or "",
                                                local_time(note["created_at"])])
            remove = link_button("Remove", f"Remove-{note['id']}", f"Remove this {note['kind']} (recorded)")
            remove.clicked.connect(lambda _checked=False, n=note["id"]: self.remove_requested.emit(n))
            self.notes.setItemWidget(item, 4, remove)
        self.no_corrections.setVisible(not ctx.view.edits)
        self.corrections.setVisible(bool(ctx.view.edits))
        self.no_notes.setVisible(not ctx.view.notes)
        self.notes.setVisible(bool(ctx.view.notes))
        self.filler.setVisible(not ctx.view.edits and not ctx.view.notes)
        has_notes = any(n["kind"] == "note" for n in ctx.view.notes)
        self.notes_eye.setVisible(has_notes and ctx.masked("notes"))
        self.notes_eye.blockSignals(True)
        self.notes_eye.setChecked(notes_revealed)
        self.notes_eye.setIcon(_eye_icon(notes_revealed))
        self.notes_eye.blockSignals(False)
