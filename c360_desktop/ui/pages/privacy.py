"""Privacy operations: the data-subject requests tracker, finding a person, erasure receipts, the audit log.

Requests past their due date are highlighted and counted in the page header. Export, erasure and
restriction open the dialogs of ``dialogs.privacy_actions`` (the profile screen uses the same ones);
started from a request they are noted on it. Nothing here shows a customer's contact details unmasked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import audit
from ...core.privacy.erasure import erasure_receipts
from ...core.privacy.erasure_words import receipt_text
from ...core.privacy.policy import RedactionPolicy
from ...core.privacy.requests import REQUEST_KINDS, list_requests
from ...core.words import plural
from .. import theme
from ..dialogs import privacy_actions
from ..dialogs.common import short_path, user_message
from ..dialogs.privacy_find import CandidateSearch
from ..dialogs.privacy_request import CloseDialog, ExtendDialog, NewRequestDialog, chosen_day, date_edit
from ..import_jobs import run_job
from ..models.audit_log import AuditFilter, AuditLogModel, actions, describe_action, local_time, write_audit_csv
from ..models.privacy_receipts import ReceiptsModel
from ..models.privacy_requests import OverdueDelegate, RequestsModel, day_text, due_text
from ..widgets import Card, MessageLabel, label, list_table
from .base import Page

PROFILE_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_FILTERS = {"all": "All requests", "open": "Open", "closed": "Closed"}
# Kind, Reference (takes the room left), Received, Due, Status, Customers, Actions taken
REQUEST_COLUMN_WIDTHS = (165, None, 100, 190, 100, 100, 150)
RECEIPT_COLUMN_WIDTHS = (140, 110, None, 90)   # Erased, Reference, Removed (takes the room left), Kept
AUDIT_DETAILS_COLUMN = 3
TABS_STYLE = (
    f"QTabWidget::pane {{ border: none; border-top: 1px solid {theme.BORDER}; top: -1px; }}"
    f"QTabBar::tab {{ background: transparent; border: none; border-bottom: 2px solid transparent; "
    f"padding: 7px 14px 8px 14px; margin-right: 6px; color: {theme.MUTED}; }}"
    f"QTabBar::tab:hover {{ color: {theme.TEXT}; }}"
    f"QTabBar::tab:selected {{ color: {theme.ACCENT}; border-bottom-color: {theme.ACCENT}; font-weight: 600; }}"
)


def choose_csv_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Export the audit log", str(suggested), "CSV files (*.csv)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".csv")


def fit_columns(table: QTableView, widths: tuple[int | None, ...]) -> None:
    """Each column at least as wide as its header needs (text, padding, bold), so no header is cut; the
    ``None`` column takes the room left, down to what its header needs, below which the table scrolls."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in enumerate(widths):
        if width is None:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(header.sectionSizeHint(column))
        else:
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def _tab() -> tuple[QWidget, QVBoxLayout]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 14, 0, 0)
    layout.setSpacing(10)
    return widget, layout


def _row(*widgets, stretch_at: int | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    for index, widget in enumerate(widgets):
        if index == stretch_at:
            row.addStretch(1)
        row.addWidget(widget)
    if stretch_at is None:
        row.addStretch(1)
    return row


class _ProfileActions:
    """Export / Erase / Restrict buttons acting on one profile, optionally for a request."""

    def __init__(self, page: "PrivacyPage", prefix: str):
        self.page = page
        self.export_button = _button("Export data…", f"{prefix}Export", self.export)
        self.erase_button = _button("Erase…", f"{prefix}Erase", self.erase)
        self.restrict_button = _button("Restrict…", f"{prefix}Restrict", self.restrict)
        self.profile_id = lambda: None
        self.request_id = lambda: None
        self.restrict_kind = lambda: "restrict"

    @property
    def buttons(self) -> tuple[QPushButton, ...]:
        return self.export_button, self.erase_button, self.restrict_button

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)

    def export(self) -> None:
        profile_id, vault = self.profile_id(), self.page.vault
        if profile_id is not None and vault is not None:
            privacy_actions.export_profile_dialog(self.page, vault, profile_id, request_id=self.request_id())
            self.page.refresh()

    def erase(self) -> bool:
        profile_id, vault = self.profile_id(), self.page.vault
        if profile_id is None or vault is None:
            return False
        request = self.page.request_by_id(self.request_id())
        erased = privacy_actions.erase_profile_dialog(self.page, vault, profile_id, request_id=self.request_id(),
                                                      reference=request.reference if request else None)
        self.page.after_change(erased)
        return erased

    def restrict(self) -> bool:
        profile_id, vault = self.profile_id(), self.page.vault
        if profile_id is None or vault is None:
            return False
        done = privacy_actions.restrict_profile_dialog(self.page, vault, profile_id, self.restrict_kind(),
                                                       request_id=self.request_id())
        self.page.after_change(done)
        return done


class PrivacyPage(Page):
    key, title, icon_name = "privacy", "Privacy", "nav-privacy.svg"
    subtitle = "Consent, access and erasure requests, and the audit log."

    data_changed = Signal()  # a customer was erased or restricted: lists elsewhere need a refresh

    def __init__(self, parent=None):
        super().__init__(parent)
        self.vault = None
        self.all_requests: list = []
        self.tabs = QTabWidget()
        self.tabs.setObjectName("PrivacyTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(TABS_STYLE)
        self.tabs.addTab(self._requests_tab(), "Requests")
        self.tabs.addTab(self._find_tab(), "Find a person")
        self.tabs.addTab(self._receipts_tab(), "Erasure receipts")
        self.tabs.addTab(self._audit_tab(), "Audit log")
        self.body.addWidget(self.tabs, 1)
        self._update_request_buttons()

    # ================================================================== requests

    def _requests_tab(self) -> QWidget:
        tab, layout = _tab()
        self.new_request_button = theme.mark_primary(_button("New request…", "NewRequest", self.new_request))
        self.extend_button = _button("Extend…", "ExtendRequest", self.extend_selected)
        self.close_button = _button("Close…", "CloseRequest", self.close_selected)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("RequestStatusFilter")
        for key, text in STATUS_FILTERS.items():
            self.status_filter.addItem(text, key)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_requests())
        layout.addLayout(_row(self.new_request_button, self.extend_button, self.close_button,
                              label("Show", "Muted"), self.status_filter, stretch_at=3))

        self.requests_model = RequestsModel(self)
        self.requests_table = list_table("RequestsTable", self.requests_model, row_height=32)
        self.requests_table.setItemDelegate(OverdueDelegate(self.requests_table))
        fit_columns(self.requests_table, REQUEST_COLUMN_WIDTHS)
        self.requests_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_request())
        self.requests_empty = label("No requests yet. When someone asks for their data, asks to be deleted or "
                                    "objects to marketing, note it here with New request…: c360 then counts the "
                                    "days to the deadline and keeps what you did with it.", "Muted", wrap=True)
        self.requests_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.requests_views = QStackedWidget()
        self.requests_views.addWidget(self.requests_table)
        self.requests_views.addWidget(self.requests_empty)
        layout.addWidget(self.requests_views, 1)
        layout.addWidget(self._request_detail())
        self.requests_message = MessageLabel()
        layout.addWidget(self.requests_message)
        return tab

    def _request_detail(self) -> Card:
        card = Card()
        card.setFixedHeight(210)
        outer = QHBoxLayout(card)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(24)
        facts = QVBoxLayout()
        facts.setSpacing(4)
        self.detail_title = label("Select a request", "SectionTitle")
        self.detail_dates = label("", "Muted", wrap=True)
        self.detail_extension = label("", "Muted", wrap=True)
        self.detail_actions = label("", wrap=True)
        self.detail_actions.setAlignment(Qt.AlignmentFlag.AlignTop)
        facts.addWidget(self.detail_title)
        facts.addWidget(self.detail_dates)
        facts.addWidget(self.detail_extension)
        facts.addSpacing(4)
        facts.addWidget(label("Actions taken", "Faint"))
        facts.addWidget(self.detail_actions, 1)
        outer.addLayout(facts, 3)

        people = QVBoxLayout()
        people.setSpacing(6)
        people.addWidget(label("Customers concerned", "Faint"))
        self.linked = QListWidget()
        self.linked.setObjectName("LinkedProfiles")
        self.linked.setStyleSheet(
            f"QListWidget#LinkedProfiles {{ border: 1px solid {theme.BORDER}; border-radius: 8px; padding: 2px; }}"
            f"QListWidget#LinkedProfiles::item {{ padding: 4px 6px; }}"
            f"QListWidget#LinkedProfiles::item:selected {{ background: {theme.ACCENT_SOFT}; color: {theme.TEXT}; }}")
        self.linked.setWordWrap(True)   # long names and the "None linked…" hint wrap instead of scrolling sideways
        self.linked.setResizeMode(QListView.ResizeMode.Adjust)
        self.linked.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.linked.currentRowChanged.connect(lambda _r: self._update_request_buttons())
        people.addWidget(self.linked, 1)
        self.request_actions = _ProfileActions(self, "Request")
        self.request_actions.profile_id = self.selected_linked_profile
        self.request_actions.request_id = lambda: self._selected_request_id()
        self.request_actions.restrict_kind = self._restrict_kind
        people.addLayout(_row(*self.request_actions.buttons))
        outer.addLayout(people, 2)
        return card

    def request_by_id(self, request_id: int | None):
        row = self.requests_model.row_of(request_id) if request_id is not None else -1
        return self.requests_model.request(row)

    def selected_request(self):
        rows = self.requests_table.selectionModel().selectedRows()
        return self.requests_model.request(rows[0].row()) if rows else None

    def _selected_request_id(self) -> int | None:
        request = self.selected_request()
        return request.id if request else None

    def selected_linked_profile(self) -> int | None:
        item = self.linked.currentItem()
        return item.data(PROFILE_ROLE) if item is not None and item.flags() & Qt.ItemFlag.ItemIsEnabled else None

    def _restrict_kind(self) -> str:
        request = self.selected_request()
        return "object" if request is not None and request.kind == "objection" else "restrict"

    def refresh_requests(self, select_id: int | None = None) -> None:
        vault = self.vault
        select_id = select_id if select_id is not None else self._selected_request_id()
        try:
            requests = list_requests(vault.conn) if vault is not None else []
        except Exception as exc:  # noqa: BLE001
            requests = []
            self.requests_message.show_error(user_message(exc))
        self.all_requests = requests
        wanted = self.status_filter.currentData()
        shown = [r for r in requests if wanted == "all" or (r.status == "open") == (wanted == "open")]
        self.requests_model.set_requests(shown)
        self.requests_views.setCurrentWidget(self.requests_table if shown or requests else self.requests_empty)
        row = self.requests_model.row_of(select_id) if select_id is not None else -1
        if shown:
            self.requests_table.selectRow(max(row, 0))
        self._show_request()
        self._update_header()

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.all_requests if r.overdue)

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.all_requests if r.status == "open")

    def _update_header(self) -> None:
        parts = [self.subtitle]
        if self.vault is not None and self.open_count:
            parts.append(plural(self.open_count, "open request"))
        if self.overdue_count:
            parts.append(f"<span style='color:{theme.DANGER}; font-weight:600'>{self.overdue_count:,} overdue</span>")
        self.subtitle_label.setTextFormat(Qt.TextFormat.RichText)
        self.subtitle_label.setText("  ·  ".join(parts))
        tab_text = f"Requests ({self.overdue_count} overdue)" if self.overdue_count else "Requests"
        self.tabs.setTabText(0, tab_text)

    def _show_request(self) -> None:
        request = self.selected_request()
        self.linked.clear()
        if request is None:
            self.detail_title.setText("Select a request" if self.requests_model.rowCount() else "No request selected")
            for text_label in (self.detail_dates, self.detail_extension, self.detail_actions):
                text_label.clear()
            self._update_request_buttons()
            return
        self.detail_title.setText(f"{REQUEST_KINDS.get(request.kind, request.kind)}  ·  {request.reference}")
        closed = f"  ·  closed {day_text(request.closed_at)} ({request.status})" if request.closed_at else ""
        self.detail_dates.setText(f"Received {day_text(request.received_at)}  ·  due {due_text(request)}{closed}")
        self.detail_dates.setStyleSheet(f"color: {theme.DANGER}; font-weight: 600;" if request.overdue else "")
        self.detail_extension.setText(f"Extended: {request.extension}" if request.extension else "")
        self.detail_extension.setVisible(bool(request.extension))
        self.detail_actions.setText("\n".join(self._action_line(a) for a in request.actions) or "None yet.")
        self._fill_linked(request.profile_ids)
        self._update_request_buttons()

    @staticmethod
    def _action_line(action: dict) -> str:
        details = action.get("details") or {}
        about = f" (customer #{details['profile_id']})" if "profile_id" in details else ""
        if action.get("action") == "extended" and details.get("due_at"):
            about = f" (now due {details['due_at']})"
        return f"{local_time(str(action.get('at', '')))[:16]}   {describe_action(str(action.get('action', '')))}{about}"

    def _fill_linked(self, profile_ids) -> None:
        ids = [int(i) for i in profile_ids or ()]
        found: dict[int, tuple] = {}
        if ids and self.vault is not None:
            marks = ",".join("?" * len(ids))
            found = {row[0]: row for row in self.vault.conn.execute(
                f"SELECT id, display_name, record_count FROM profiles WHERE id IN ({marks})", ids)}
        policy = RedactionPolicy.from_vault(self.vault) if self.vault is not None else RedactionPolicy()
        for profile_id in ids:
            row = found.get(profile_id)
            if row is None:
                item = QListWidgetItem(f"#{profile_id}  ·  erased or merged")
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                name = policy.apply("name", row[1]) or "(no name)"
                item = QListWidgetItem(f"#{profile_id}  ·  {name}  ·  {plural(int(row[2] or 0), 'record')}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(PROFILE_ROLE, profile_id)
            self.linked.addItem(item)
        if not ids:
            item = QListWidgetItem("None linked. Find the person with New request… or on Find a person.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.linked.addItem(item)
        first = next((r for r in range(self.linked.count()) if self.linked.item(r).flags()), -1)
        self.linked.setCurrentRow(first)

    def _update_request_buttons(self) -> None:
        request = self.selected_request()
        unlocked = self.vault is not None
        is_open = unlocked and request is not None and request.status == "open"
        self.new_request_button.setEnabled(unlocked)
        self.extend_button.setEnabled(is_open and not request.extension)
        self.close_button.setEnabled(is_open)
        self.request_actions.set_enabled(unlocked and self.selected_linked_profile() is not None)
        objection = request is not None and request.kind == "objection"
        self.request_actions.restrict_button.setText("Record objection…" if objection else "Restrict…")

    def new_request(self) -> NewRequestDialog | None:
        if self.vault is None:
            return None
        dialog = NewRequestDialog(self.vault, self)
        dialog.accepted.connect(lambda: self._on_request_saved(dialog.request_id, "Request opened."))
        dialog.open()
        return dialog

    def extend_selected(self) -> ExtendDialog | None:
        return self._open_for_selected(ExtendDialog, "Request extended by two months.")

    def close_selected(self) -> CloseDialog | None:
        return self._open_for_selected(CloseDialog, "Request closed.")

    def _open_for_selected(self, dialog_class, success: str):
        request = self.selected_request()
        if self.vault is None or request is None:
            return None
        dialog = dialog_class(self.vault, request, self)
        dialog.accepted.connect(lambda: self._on_request_saved(request.id, success))
        dialog.open()
        return dialog

    def _on_request_saved(self, request_id: int | None, text: str) -> None:
        self.refresh_requests(select_id=request_id)
        self.refresh_audit()
        self.requests_message.show_success(text)

    # ================================================================== find a person

    def _find_tab(self) -> QWidget:
        tab, layout = _tab()
        layout.addWidget(label(
            "Look up the person behind a request by any email, phone number or name they give. Every candidate "
            "profile is listed, since one person may have several and a name may have namesakes.",
            "Muted", wrap=True))
        self.finder = CandidateSearch(name="FindTable")
        self.finder.selection_changed.connect(self._update_find_buttons)
        self.finder.searched.connect(lambda _n: self._update_find_buttons())
        layout.addWidget(self.finder, 1)
        self.find_actions = _ProfileActions(self, "Find")
        self.find_actions.profile_id = self.finder.selected_id
        layout.addLayout(_row(*self.find_actions.buttons))
        self._update_find_buttons()
        return tab

    def _update_find_buttons(self) -> None:
        self.find_actions.set_enabled(self.vault is not None and self.finder.selected_id() is not None)

    # ================================================================== erasure receipts

    def _receipts_tab(self) -> QWidget:
        tab, layout = _tab()
        layout.addWidget(label(
            "A receipt for every erasure: when, under which request, and how much of each kind of data went. "
            "Receipts hold no personal data; keep them as proof.", "Muted", wrap=True))
        self.receipts_model = ReceiptsModel(self)
        self.receipts_table = list_table("ReceiptsTable", self.receipts_model)
        fit_columns(self.receipts_table, RECEIPT_COLUMN_WIDTHS)
        self.receipts_table.selectionModel().selectionChanged.connect(lambda *_a: self._show_receipt())
        self.save_receipt_button = _button("Save receipt…", "SaveReceipt", self.save_selected_receipt)
        detail = Card()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(18, 14, 18, 14)
        detail_layout.setSpacing(8)
        self.receipt_detail = label("", wrap=True)
        self.receipt_detail.setObjectName("ReceiptDetail")
        self.receipt_detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.receipt_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        detail_layout.addWidget(self.receipt_detail, 1)
        detail_layout.addLayout(_row(self.save_receipt_button))
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.receipts_table, 3)
        row.addWidget(detail, 2)
        layout.addLayout(row, 1)
        self.receipts_message = MessageLabel()
        layout.addWidget(self.receipts_message)
        return tab

    def refresh_receipts(self) -> None:
        try:
            receipts = erasure_receipts(self.vault.conn) if self.vault is not None else []
        except Exception as exc:  # noqa: BLE001
            receipts = []
            self.receipts_message.show_error(user_message(exc))
        self.receipts_model.set_receipts(receipts)
        if receipts:
            self.receipts_table.selectRow(0)
        self.tabs.setTabText(2, f"Erasure receipts ({len(receipts)})" if receipts else "Erasure receipts")
        self._show_receipt()

    def selected_receipt(self) -> dict | None:
        rows = self.receipts_table.selectionModel().selectedRows()
        return self.receipts_model.receipt(rows[0].row()) if rows else None

    def save_selected_receipt(self) -> Path | None:
        receipt = self.selected_receipt()
        return privacy_actions.save_receipt(self, receipt, self.receipts_message) if receipt else None

    def _show_receipt(self) -> None:
        receipt = self.selected_receipt()
        if receipt is not None:
            self.receipt_detail.setText(receipt_text(receipt).strip())
        else:
            self.receipt_detail.setText("No erasures yet. Each erasure leaves a receipt here." if self.vault else "")
        self.save_receipt_button.setEnabled(receipt is not None)

    # ================================================================== audit log

    def _audit_tab(self) -> QWidget:
        tab, layout = _tab()
        self.action_filter = QComboBox()
        self.action_filter.setObjectName("AuditActionFilter")
        self.action_filter.setMinimumWidth(200)
        self.text_filter = QLineEdit()
        self.text_filter.setObjectName("AuditTextFilter")
        self.text_filter.setPlaceholderText("Filter events, e.g. erase")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setMinimumWidth(160)
        self.since_filter = date_edit("AuditSince", any_text="Any date")
        self.until_filter = date_edit("AuditUntil", any_text="Any date")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.action_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.text_filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.since_filter.dateChanged.connect(lambda _d: self.apply_filter())
        self.until_filter.dateChanged.connect(lambda _d: self.apply_filter())
        self.export_button = _button("Export CSV…", "ExportAuditButton", self.export_audit)
        self.verify_button = _button("Verify integrity", "VerifyAuditButton", self.verify)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.action_filter)
        filters.addWidget(self.text_filter, 1)
        filters.addSpacing(8)
        for widget in (label("From", "Muted"), self.since_filter, label("to", "Muted"), self.until_filter):
            filters.addWidget(widget)
        layout.addLayout(filters)
        layout.addWidget(label("Every security-relevant event, without customer data. Each entry is chained to "
                               "the previous one, so any change to the log is detectable.", "Faint", wrap=True))
        self.result = MessageLabel()
        layout.addWidget(self.result)

        self.model = AuditLogModel(self)
        self.table = list_table("AuditTable", self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 170, 220)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(AUDIT_DETAILS_COLUMN, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.audit_count = label("", "Faint")
        layout.addLayout(_row(self.audit_count, self.export_button, self.verify_button, stretch_at=1))
        self.model.modelReset.connect(self._show_audit_count)
        return tab

    def audit_filter(self) -> AuditFilter:
        return AuditFilter(action=self.action_filter.currentData(), text=self.text_filter.text(),
                           since=chosen_day(self.since_filter), until=chosen_day(self.until_filter))

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.audit_filter())

    def set_audit_filter(self, *, action: str | None = None, text: str = "", since: date | None = None,
                         until: date | None = None) -> None:
        """Set every filter field at once (as a user would, one by one) and apply them."""
        widgets = (self.action_filter, self.text_filter, self.since_filter, self.until_filter)
        for widget in widgets:
            widget.blockSignals(True)
        self.action_filter.setCurrentIndex(max(0, self.action_filter.findData(action)))
        self.text_filter.setText(text)
        for edit, day in ((self.since_filter, since), (self.until_filter, until)):
            edit.setDate(edit.minimumDate() if day is None else day)
        for widget in widgets:
            widget.blockSignals(False)
        self.apply_filter()

    def _fill_action_filter(self) -> None:
        current = self.action_filter.currentData()
        self.action_filter.blockSignals(True)
        self.action_filter.clear()
        self.action_filter.addItem("All events", None)
        try:
            names = actions(self.vault.conn) if self.vault is not None else []
        except Exception:  # noqa: BLE001 - the filter is a courtesy
            names = []
        for name in names:
            self.action_filter.addItem(describe_action(name), name)
        self.action_filter.setCurrentIndex(max(0, self.action_filter.findData(current)))
        self.action_filter.blockSignals(False)

    def refresh_audit(self) -> None:
        self._fill_action_filter()
        self.model.set_vault(self.vault)

    def _show_audit_count(self) -> None:
        total = self.model.total
        text = plural(total, "entry", "entries")
        self.audit_count.setText(f"{text} match the filter." if self.model.audit_filter.active else f"{text}.")

    def export_audit(self) -> bool:
        """Write the filtered entries as CSV, off the GUI thread; False when nothing was started."""
        vault = self.vault
        if vault is None:
            return False
        suggested = privacy_actions.documents_folder() / f"c360-audit-log-{date.today().isoformat()}.csv"
        path = choose_csv_path(self, suggested)
        if path is None:
            return False
        audit_filter = self.audit_filter()
        self.export_button.setEnabled(False)
        self.result.show_info("Exporting the audit log…")
        run_job(vault, lambda conn, _flag: write_audit_csv(conn, audit_filter, path),
                lambda count: self._on_audit_exported(path, count), self._on_audit_export_failed)
        return True

    def _on_audit_exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(self.vault is not None)
        if self.vault is not None:
            self.result.show_success(f"Saved {plural(count, 'entry', 'entries')} in {short_path(path)}.")

    def _on_audit_export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(self.vault is not None)
        if self.vault is not None:
            self.result.show_error(user_message(exc))

    def verify(self) -> audit.ChainReport | None:
        if self.vault is None or not self.vault.is_open:
            return None
        report = audit.verify(self.vault.conn)
        if report.ok:
            self.result.show_success(f"The audit log is intact: all {report.entries:,} entries check out.")
        else:
            self.result.show_error(
                f"The audit log has been tampered with: {report.problem} (first broken entry: "
                f"#{report.first_broken_seq}).")
        self.model.reload()
        return report

    # ================================================================== lifecycle

    def on_unlocked(self, vault) -> None:
        self.vault = vault
        for message in (self.result, self.requests_message, self.receipts_message):
            message.clear()
        self.finder.set_vault(vault)
        self.refresh()

    def refresh(self) -> None:
        self.refresh_requests()
        self.refresh_receipts()
        self.refresh_audit()
        self._update_find_buttons()

    def showEvent(self, event) -> None:  # noqa: N802
        """Requests, receipts and the log may have changed elsewhere (a profile erased, a request due)."""
        super().showEvent(event)
        if self.vault is not None and self.vault.is_open:
            self.refresh()

    def after_change(self, changed: bool) -> None:
        """An action dialog closed: refresh what it may have changed, and tell the other pages."""
        self.refresh()
        if changed:
            if self.finder.model.rowCount():
                self.finder.search()
            self.data_changed.emit()

    def on_locked(self) -> None:
        self.vault = None
        for message in (self.result, self.requests_message, self.receipts_message):
            message.clear()
        self.finder.set_vault(None)
        self.all_requests = []
        self.requests_model.clear()
        self.receipts_model.clear()
        self.model.clear()
        self.action_filter.clear()
        self._show_request()
        self._update_header()
        self._update_find_buttons()
        self._show_receipt()
