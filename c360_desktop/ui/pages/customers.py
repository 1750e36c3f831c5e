"""The customer list, and one customer's profile in its place when a row is opened.

Search as you type (after a short pause), filters by tool, email consent, tag and restriction, and a
sort on any indexed column. Double-click or Enter opens the profile; Back (Alt+Left, Esc) returns to
the list as it was. The page owns the session's ``Reveals``: locking forgets them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.privacy.policy import Reveals
from ...core.profiles.listing import ListFilter, known_sources, known_tags
from ...core.profiles.profile import ProfileNotFound
from ...core.words import plural
from .. import theme
from ..dialogs.common import user_message
from ..matching import MatchProgress, MatchRunner, describe_result, start_matching
from ..models.customers import (
    COLUMNS,
    DESCENDING_FIRST,
    PROFILE_ID_ROLE,
    CustomersModel,
    records_without_profile,
)
from ..models.review import source_label
from ..widgets import ElasticColumn, MessageLabel, label, list_table
from . import profile_widgets
from .base import EmptyState, Page
from .profile import ProfilePanel

SEARCH_PAUSE_MS = 150
CONTENT_WIDTHS = {"name": 130, "email": 128, "phone": 86, "orders": 48, "spent": 72, "activity": 90,
                  "consent": 112, "tickets": 40}   # what the cells need; a column is never narrower than its header
HEADER_PADDING = 20
TOOLS_MINIMUM_WIDTH = 170  # "Seen in": the longest tool name ("QuickBooks Online") and "+99", as the badges draw them
SEARCH_PLACEHOLDERS = ("Search name, email, phone, order or ticket…", "Search name, email, phone…", "Search…")
SEARCH_FIELD_CHROME = 48  # the search box's padding, frame and clear button
COMBO_CHROME = 64  # a drop-down's padding, frame and arrow
NO_CUSTOMERS = ("No customers yet",
                "Import an export from the tools you already use (Imports page); c360 then builds one profile per "
                "real customer here.")
CONSENT_CHOICES = (("Any email consent", None), ("Email marketing granted", "granted"),
                   ("Email marketing not granted", "not_granted"))


class CustomersPage(Page):
    key, title, icon_name = "customers", "Customers", "nav-customers.svg"
    subtitle = "One profile per real customer."

    data_changed = Signal()   # a profile changed here (split, correction, consent…): other pages read again

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet(profile_widgets.STYLE)
        self._vault = None
        self.reveals: Reveals | None = None
        self.header_box = self.body.itemAt(0).widget()

        # Search and filters -------------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("CustomerSearch")
        self.search.setPlaceholderText(SEARCH_PLACEHOLDERS[0])
        self.search.setToolTip(SEARCH_PLACEHOLDERS[0])
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(160)
        self.search.installEventFilter(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_PAUSE_MS)
        self.search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        self.source_combo = self._combo("SourceFilter", "Only customers seen in this tool", "Google Contacts")
        self.consent_combo = self._combo("ConsentFilter", "Email marketing consent", "Any email consent")
        for text, value in CONSENT_CHOICES:
            self.consent_combo.addItem(text, value)
        self.tag_combo = self._combo("TagFilter", "Only customers with this tag", "Wholesale")
        self.restricted_check = QCheckBox("Restricted only")
        self.restricted_check.setObjectName("RestrictedFilter")
        self.restricted_check.toggled.connect(lambda _on: self.apply_filter())
        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        toolbar.addWidget(self.search, 1)
        for widget in (self.source_combo, self.consent_combo, self.tag_combo, self.restricted_check):
            toolbar.addWidget(widget)

        # The list ------------------------------------------------------------------------------
        self.model = CustomersModel(self)
        self.table = list_table("CustomersTable", self.model, row_height=36)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setItemDelegateForColumn(_column("tools"), profile_widgets.ToolBadgesDelegate(self.table))
        self.table.setItemDelegateForColumn(_column("consent"), profile_widgets.ConsentDelegate(self.table))
        header = self.table.horizontalHeader()
        self.tools_column = ElasticColumn(self.table, _column("tools"), TOOLS_MINIMUM_WIDTH)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(_column("name"), Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self.sort_by_column)
        self._fit_columns()
        self.table.activated.connect(self._on_activated)
        open_action = QAction("Open profile", self.table)
        open_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_action.triggered.connect(lambda: self._on_activated(self.table.currentIndex()))
        self.table.addAction(open_action)

        self.status_label = label("", "Muted")
        self.status_label.setObjectName("SearchStatus")
        self.footnote = label("Email addresses and phone numbers are masked on screen.", "Faint")
        footer = QHBoxLayout()
        footer.addWidget(self.status_label)
        footer.addStretch(1)
        footer.addWidget(self.footnote)
        self.message = MessageLabel()
        self.message.setObjectName("CustomersMessage")
        self.runner: MatchRunner | None = None
        self.unmatched = 0  # records no profile holds yet, counted when the vault's data changes
        self.progress = MatchProgress()
        self.unmatched_bar, self.unmatched_label, self.match_button = self._unmatched_bar()
        list_view = QWidget()
        list_layout = QVBoxLayout(list_view)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(10)
        list_layout.addLayout(toolbar)
        list_layout.addWidget(self.unmatched_bar)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(footer)
        self.list_view = list_view

        self.empty_match_button = theme.mark_primary(QPushButton("Run matching"))
        self.empty_match_button.setObjectName("EmptyRunMatching")
        self.empty_match_button.setToolTip("Build one profile per real customer from the imported records (Ctrl+M)")
        self.empty_match_button.clicked.connect(self.run_matching)
        self.empty = EmptyState(self.icon_name, *NO_CUSTOMERS, action=self.empty_match_button)
        self.profile = ProfilePanel()
        self.profile.back_requested.connect(self.show_list)
        self.profile.closed.connect(self._on_profile_closed)
        self.profile.data_changed.connect(self._on_profile_changed)
        self.views = QStackedWidget()
        for widget in (self.empty, self.list_view, self.profile):
            self.views.addWidget(widget)
        self.body.addWidget(self.progress)
        self.body.addWidget(self.message)
        self.body.addWidget(self.views, 1)
        self.model.modelReset.connect(self._refresh)
        self.model.rowsInserted.connect(self._refresh)
        self._refresh()

    def _combo(self, name: str, tooltip: str, sized_for: str) -> QComboBox:
        """Wide enough for ``sized_for`` (the search box comes first), down to a few letters on a narrow window;
        a longer choice is shortened with "…" when chosen and shown whole in the list."""
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setToolTip(tooltip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.setMinimumContentsLength(6)
        combo.setMaximumWidth(combo.fontMetrics().horizontalAdvance(sized_for) + COMBO_CHROME)
        combo.activated.connect(lambda _index: self.apply_filter())
        return combo

    def _unmatched_bar(self) -> tuple[QFrame, QLabel, QPushButton]:
        """Records imported since the last matching run are in no profile yet: say so, with the button."""
        bar = QFrame()
        bar.setObjectName("UnmatchedBar")
        bar.setStyleSheet(f"QFrame#UnmatchedBar {{ background: {theme.ACCENT_SOFT}; border-radius: 8px; }}")
        words = label("", wrap=True)
        words.setObjectName("UnmatchedText")
        button = QPushButton("Run matching")
        button.setObjectName("RunMatchingButton")
        button.setToolTip("Add the new records to the customer profiles (Ctrl+M)")
        button.clicked.connect(self.run_matching)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(14, 8, 10, 8)
        layout.addWidget(words, 1)
        layout.addWidget(button)
        bar.hide()
        return bar, words, button

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.search and event.type() == QEvent.Type.Resize:
            self._fit_placeholder(event.size().width())
        return super().eventFilter(watched, event)

    def _fit_placeholder(self, width: int) -> None:
        """The longest hint of what can be searched that the box shows whole (the tooltip has it all)."""
        room = width - SEARCH_FIELD_CHROME
        metrics = self.search.fontMetrics()
        fitting = next((text for text in SEARCH_PLACEHOLDERS if metrics.horizontalAdvance(text) <= room),
                       SEARCH_PLACEHOLDERS[-1])
        self.search.setPlaceholderText(fitting)

    def _fit_columns(self) -> None:
        """Each column as wide as its cells or its header, so nine columns fit the default window; "Seen in"
        takes what is left (``ElasticColumn``)."""
        header = self.table.horizontalHeader()
        font = QFont(header.font())
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        for index, column in enumerate(COLUMNS):
            if column.key in CONTENT_WIDTHS:
                header.resizeSection(index, max(CONTENT_WIDTHS[column.key],
                                                metrics.horizontalAdvance(column.header) + HEADER_PADDING))
        self.tools_column.fit()

    # ------------------------------------------------------------------ lifecycle

    def set_match_runner(self, runner: MatchRunner) -> None:
        self.runner = runner
        self.progress.bind(runner)
        runner.started.connect(self._update_match_buttons)
        runner.finished.connect(self._on_matched)
        runner.failed.connect(lambda text: self._on_match_stopped(f"Matching failed: {text}", error=True))
        runner.cancelled.connect(lambda: self._on_match_stopped(
            "Matching cancelled: the profiles are exactly as they were."))

    def on_unlocked(self, vault) -> None:
        """The vault opened, or its data changed: read the list (and the open profile) again. A message about
        the data before (a matching result's counts) goes: it would no longer be true."""
        self._vault = vault
        self.message.clear()
        if self.reveals is None:
            self.reveals = Reveals()
        self.unmatched = self._count_unmatched()
        self._fill_filters()
        self.model.set_vault(vault)
        if self.views.currentWidget() is self.profile:
            self.profile.reload()
        self._refresh()

    def on_locked(self) -> None:
        self._vault = None
        self.unmatched = 0
        if self.reveals is not None:
            self.reveals.clear()
        self.reveals = None
        self.search_timer.stop()
        self.search.blockSignals(True)
        self.search.clear()   # typed text may be an email or a phone number
        self.search.blockSignals(False)
        self.profile.clear()
        self.message.clear()
        self.model.clear()
        self.model.search_text = ""
        self.show_list()

    # ------------------------------------------------------------------ matching

    def run_matching(self) -> bool:
        """Build the profiles here, with progress and Cancel above the list; the list follows when done."""
        return start_matching(self.runner, self._vault, self.message, self._update_match_buttons)

    def _on_matched(self, result) -> None:
        self._update_match_buttons()
        # after the window has read the new profiles (``on_unlocked``, which clears older messages)
        QTimer.singleShot(0, lambda: self._say_matched(result))

    def _say_matched(self, result) -> None:
        if self._vault is not None:
            self.message.show_success(describe_result(result))

    def _on_match_stopped(self, text: str, error: bool = False) -> None:
        self._update_match_buttons()
        if self._vault is not None:
            (self.message.show_error if error else self.message.show_info)(text)

    def _update_match_buttons(self) -> None:
        idle = self._vault is not None and self.runner is not None and not self.runner.busy
        self.match_button.setEnabled(idle)
        self.empty_match_button.setEnabled(idle)

    # ------------------------------------------------------------------ search, filters, sort

    def apply_search(self) -> None:
        self.search_timer.stop()
        if self._vault is None or self.search.text().strip() == self.model.search_text:
            return
        self.model.set_query(self.search.text())

    def current_filter(self) -> ListFilter:
        return ListFilter(source=self.source_combo.currentData(), email_consent=self.consent_combo.currentData(),
                          tag=self.tag_combo.currentData(), restricted_only=self.restricted_check.isChecked())

    def apply_filter(self) -> None:
        if self._vault is not None:
            self.model.set_filter(self.current_filter())

    def _fill_filters(self) -> None:
        try:
            sources, tags = known_sources(self._vault.conn), known_tags(self._vault.conn)
        except Exception:  # noqa: BLE001 - filters are a courtesy; the list still shows
            sources, tags = [], []
        tools = [(source_label(source, short=True), source) for source in sources]
        for combo, everything, choices in ((self.source_combo, "All tools", tools),
                                           (self.tag_combo, "Any tag", [(tag, tag) for tag in tags])):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for text, value in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)
        self.model.filters = self.current_filter()

    def sort_by_column(self, column: int) -> None:
        """A header click: the indexed columns sort (biggest first for money, counts and dates)."""
        target = COLUMNS[column] if 0 <= column < len(COLUMNS) else None
        if target is None or target.sort is None:
            self._show_sort_indicator()
            return
        if target.sort == self.model.sort_key:
            descending = not self.model.descending
        else:
            descending = target.key in DESCENDING_FIRST
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(column, order)
        self._show_sort_indicator()

    def _show_sort_indicator(self) -> None:
        order = Qt.SortOrder.DescendingOrder if self.model.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(self.model.sort_column, order)
        header.blockSignals(False)

    # ------------------------------------------------------------------ list and profile

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_profile(index.data(PROFILE_ID_ROLE))

    def open_profile(self, profile_id: int) -> bool:
        if self._vault is None:
            return False
        try:
            self.profile.show_profile(self._vault, profile_id, self.reveals)
        except ProfileNotFound as exc:
            self.message.show_error(user_message(exc))
            return False
        self.message.clear()
        self.header_box.setVisible(False)
        self.views.setCurrentWidget(self.profile)
        self.profile.tabs.setFocus()
        return True

    def show_list(self) -> None:
        self.header_box.setVisible(True)
        profile_id = self.profile.profile_id
        self.profile.clear()
        self._refresh()
        row = self.model.row_of(profile_id) if profile_id is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.table.setFocus()

    def _on_profile_closed(self, why: str) -> None:
        self.show_list()
        self.message.show_info(why)

    def _on_profile_changed(self) -> None:
        if self._vault is not None:
            self._fill_filters()
            self.model.set_vault(self._vault)
        self.data_changed.emit()

    def _refresh(self, *_args) -> None:
        if self.views.currentWidget() is self.profile and self.profile.view is not None:
            return
        has_profiles = self.model.everyone > 0
        unmatched = self.unmatched
        self.views.setCurrentWidget(self.list_view if has_profiles else self.empty)
        self.empty.say(*self._empty_words(unmatched))
        self.empty_match_button.setVisible(unmatched > 0)
        self.unmatched_bar.setVisible(has_profiles and unmatched > 0)
        one = unmatched == 1
        self.unmatched_label.setText(
            f"{plural(unmatched, 'imported record')} {'is' if one else 'are'} in no profile yet: run matching to "
            f"add {'it' if one else 'them'} to the customers.")
        self._update_match_buttons()
        self.footnote.setVisible(has_profiles and self.model.policy.mode("email") != "show")
        self.subtitle_label.setText(self._subtitle())
        self.status_label.setText(self._status())

    def _count_unmatched(self) -> int:
        try:
            return records_without_profile(self._vault)
        except Exception:  # noqa: BLE001 - a courtesy: the list shows all the same
            return 0

    @staticmethod
    def _empty_words(unmatched: int) -> tuple[str, str]:
        if not unmatched:
            return NO_CUSTOMERS
        return (f"{plural(unmatched, 'record')} imported, not matched yet",
                "c360 builds one profile per real customer by matching the records of all your tools. Run "
                "matching to build them here; the pairs it is not sure about wait for you on the Review page.")

    def _subtitle(self) -> str:
        if self._vault is None or not self.model.everyone:
            return self.subtitle
        everyone = self.model.everyone
        return f"{everyone:,} {'profile' if everyone == 1 else 'profiles'}, one per real customer."

    def _status(self) -> str:
        """How many the list shows: "N matches", "keep typing to narrow" when a search stopped early."""
        model = self.model
        if not model.is_narrowed:
            return ""
        count = f"{model.total:,}{'+' if model.total_capped else ''}"
        noun = "match" if model.total == 1 and not model.total_capped else "matches"
        result = model.search_result
        if result is not None and result.truncated:
            return f"{count}+ {noun} — keep typing to narrow"
        if model.total == 0:
            return "No customer matches. Check the spelling, or try part of the email or phone number."
        return f"{count} {noun}"


def _column(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)
