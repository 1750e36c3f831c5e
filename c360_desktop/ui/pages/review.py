"""The Review page: decide the pairs c360 is not sure about, quickly and safely.

Left, the queue (lazily fetched, most useful first, filterable). Right, the
current pair: both records aligned field by field, the evidence in words, and
each side's history. Merge (M), Not the same person (N), Skip (S) and Undo
(Ctrl+Z) work from the keyboard; the next pair is shown at once while the
decision is written by the vault worker. Personal values are masked; the eye
button of a row shows that row for 30 seconds and writes an audit entry.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.identity.engine import MatchSettings
from ...core.identity.explain import explain_pair
from ...core.identity.review import (
    decide,
    decided_today,
    decision_history,
    pair_between,
    pending_sources,
    prefer_value,
    record_card,
    still_pending,
    undo_decision,
)
from ...core.privacy.policy import RedactionPolicy
from ...core.profiles.context import record_context
from ...core.words import score_text
from .. import theme
from ..dialogs.common import user_message
from ..import_jobs import run_job
from ..matching import MatchProgress, MatchRunner, describe_result, start_matching
from ..models.review import (
    QueueFilter,
    ReviewQueueModel,
    comparison_rows,
    masked_display,
    use_policy,
    record_title,
    score_colour,
    source_label,
)
from ..widgets import MessageLabel, label
from . import review_pair
from .base import EmptyState, Page
from .review_pair import STYLE, ComparisonPanel, EvidencePanel, KeepStrip, QueueDelegate

ORDERS = (("useful", "Most useful"), ("score", "Highest score"), ("recent", "Newest"), ("source", "By source"))
BANDS = (("All scores", 0.0, 1.0), ("90% and up", 0.9, 1.0), ("75–90%", 0.75, 0.9 - 1e-9),
         ("Below 75%", 0.0, 0.75 - 1e-9))


class ReviewPage(Page):
    key, title, icon_name = "review", "Review", "nav-review.svg"
    subtitle = "Merge review of doubtful matches."

    data_changed = Signal()  # profiles changed (a decision, an undo, a bulk decision, a match run)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self._vault = None
        self.runner: MatchRunner | None = None
        self.current_pair = None
        self.current_cards: tuple[dict, dict] | None = None
        self.jobs_in_flight = 0
        self._reveal_timers: dict[str, QTimer] = {}
        self._loading = False

        # Toolbar -----------------------------------------------------------------------------
        self.order_combo = QComboBox()
        self.order_combo.setObjectName("ReviewOrder")
        self.order_combo.setToolTip("Most useful: the pairs c360 is least sure about come first")
        for value, text in ORDERS:
            self.order_combo.addItem(text, value)
        self.source_combo = QComboBox()
        self.source_combo.setObjectName("ReviewSource")
        self.source_combo.addItem("All sources", None)
        self.band_combo = QComboBox()
        self.band_combo.setObjectName("ReviewBand")
        for text, low, high in BANDS:
            self.band_combo.addItem(text, (low, high))
        for combo in (self.order_combo, self.source_combo, self.band_combo):
            combo.activated.connect(lambda _i: self.apply_filter())
        self.bulk_button = QPushButton("Bulk decide…")
        self.bulk_button.setObjectName("BulkButton")
        self.bulk_button.setToolTip("Merge every pair above a score, or keep apart every pair below one, in this list")
        self.bulk_button.clicked.connect(self.open_bulk)
        self.history_button = QPushButton("History…")
        self.history_button.setObjectName("HistoryButton")
        self.history_button.setToolTip("Every decision, with undo")
        self.history_button.clicked.connect(self.open_history)
        self.run_button = QPushButton("Run matching")
        self.run_button.setObjectName("RunMatchingButton")
        self.run_button.setToolTip("Find customers who appear more than once (Ctrl+M)")
        self.run_button.clicked.connect(self.run_matching)
        # The page's title block shares its row with the page-wide actions.
        title_item = self.body.takeAt(0)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(title_item.widget(), 1)
        for widget in (self.bulk_button, self.history_button, self.run_button):
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)
        self.body.insertLayout(0, top)
        self.progress = MatchProgress()
        self.body.addWidget(self.progress)
        self.message = MessageLabel()
        self.message.setObjectName("ReviewMessage")
        self.body.addWidget(self.message)

        # Queue ---------------------------------------------------------------------------------
        self.model = ReviewQueueModel(self)
        self.queue = QTableView()
        self.queue.setObjectName("ReviewQueue")
        self.queue.setModel(self.model)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setAlternatingRowColors(True)
        self.queue.setShowGrid(False)
        self.queue.setWordWrap(False)
        self.queue.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.queue.verticalHeader().setVisible(False)
        self.queue.verticalHeader().setDefaultSectionSize(46)
        self.queue.setItemDelegateForColumn(1, QueueDelegate(self.queue))
        self.queue.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.queue.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.resizeSection(0, 62)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.queue.selectionModel().currentRowChanged.connect(self._on_current_row)
        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setHorizontalSpacing(6)
        filters.setVerticalSpacing(6)
        filters.addWidget(self.order_combo, 0, 0)
        filters.addWidget(self.band_combo, 0, 1)
        filters.addWidget(self.source_combo, 1, 0, 1, 2)
        filters.setColumnStretch(0, 3)
        filters.setColumnStretch(1, 2)
        for combo in (self.order_combo, self.band_combo, self.source_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
        queue_pane = QWidget()
        queue_pane.setMinimumWidth(270)
        queue_layout = QVBoxLayout(queue_pane)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.setSpacing(8)
        queue_layout.addLayout(filters)
        queue_layout.addWidget(self.queue, 1)

        # Pair ------------------------------------------------------------------------------------
        self.score_label = label("", "ScoreBig")
        self.verdict_label = label("", "SectionTitle")
        self.reason_label = label("", "Muted", wrap=True)
        self.position_label = label("", "Faint")
        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(self.score_label)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.verdict_label)
        words.addWidget(self.reason_label)
        head.addLayout(words, 1)
        head.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignTop)
        self.comparison = ComparisonPanel()
        self.comparison.reveal_requested.connect(self.reveal)
        self.comparison.hide_requested.connect(lambda key: self._hide(key))
        self.evidence = EvidencePanel()
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 6, 0)
        inner_layout.setSpacing(10)
        inner_layout.addLayout(head)
        inner_layout.addWidget(self.comparison)
        inner_layout.addWidget(self.evidence)
        inner_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(inner)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.viewport().setAutoFillBackground(False)
        self.scroll.viewport().installEventFilter(self)
        inner.setAutoFillBackground(False)
        self._inner_margin = inner_layout.contentsMargins()

        self.keep = KeepStrip()
        self.merge_button = theme.mark_primary(QPushButton("Merge   M"))
        self.merge_button.setObjectName("MergeButton")
        self.merge_button.setToolTip("These two records are the same person (M)")
        self.merge_button.clicked.connect(lambda: self.decide_current("merge"))
        self.reject_button = QPushButton("Not the same person   N")
        self.reject_button.setObjectName("RejectButton")
        self.reject_button.setToolTip("Keep them apart; c360 will not suggest this pair again (N)")
        self.reject_button.clicked.connect(lambda: self.decide_current("reject"))
        self.skip_button = QPushButton("Skip   S")
        self.skip_button.setObjectName("SkipButton")
        self.skip_button.setToolTip("Decide later (S)")
        self.skip_button.clicked.connect(self.skip)
        self.undo_button = QPushButton("Undo   Ctrl+Z")
        self.undo_button.setObjectName("UndoButton")
        self.undo_button.setToolTip("Take back the last decision (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo)
        for button in (self.merge_button, self.reject_button, self.skip_button, self.undo_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.merge_button)
        actions.addWidget(self.reject_button)
        actions.addWidget(self.skip_button)
        actions.addStretch(1)
        actions.addWidget(self.undo_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(8)
        detail_layout.addWidget(self.scroll, 1)
        detail_layout.addWidget(self.keep)
        detail_layout.addLayout(actions)

        self.nothing = EmptyState(
            self.icon_name, "Nothing to review",
            "When c360 is not sure that two records are the same customer, the pair waits here for your "
            "decision. Run matching after an import to look for customers who appear more than once.",
            ("See both records side by side", "Merge them, or keep them apart", "Undo any decision later"))
        self.filtered_out = EmptyState(self.icon_name, "No pairs in this list",
                                       "No pending pair matches these filters. Choose “All sources” and "
                                       "“All scores” to see the whole queue.")
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(detail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(queue_pane)
        self.splitter.addWidget(self.detail_stack)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 760])
        self.views = QStackedWidget()
        self.views.addWidget(self.nothing)
        self.views.addWidget(self.filtered_out)
        self.views.addWidget(self.splitter)
        self.body.addWidget(self.views, 1)

        self.action_merge = self._shortcut("Merge", "M", lambda: self.decide_current("merge"))
        self.action_reject = self._shortcut("Not the same person", "N", lambda: self.decide_current("reject"))
        self.action_skip = self._shortcut("Skip", "S", self.skip)
        self.action_undo = self._shortcut("Undo", QKeySequence.StandardKey.Undo, self.undo)
        self._show_state()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            margins = self._inner_margin
            self.comparison.fit_width(event.size().width() - margins.left() - margins.right())
        return super().eventFilter(watched, event)

    def _shortcut(self, text: str, key, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ------------------------------------------------------------------ lifecycle

    def set_match_runner(self, runner: MatchRunner) -> None:
        self.runner = runner
        self.progress.bind(runner)
        runner.started.connect(self._update_buttons)
        runner.finished.connect(self._on_matched)
        runner.failed.connect(self._on_match_failed)
        runner.cancelled.connect(self._on_match_cancelled)

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        use_policy(RedactionPolicy.from_vault(vault))
        self.message.clear()
        self._fill_sources()
        self.model.set_vault(vault, self.current_filter())
        self._select_row(0)
        self._show_state()

    def on_locked(self) -> None:
        self._vault = None
        self.message.clear()
        for timer in self._reveal_timers.values():
            timer.stop()
        self._reveal_timers.clear()
        self.model.clear()
        self.current_pair, self.current_cards = None, None
        self.comparison.show_pair({}, {}, [])
        self._show_state()

    def refresh(self, keep_pair: bool = True) -> None:
        """Read the queue again (after a match run, a bulk decision, an undo from the history)."""
        if self._vault is None:
            return
        pair_id = self.current_pair.id if keep_pair and self.current_pair else None
        self._fill_sources()
        self.model.set_filter(self.current_filter())
        row = self.model.row_of(pair_id) if pair_id is not None else -1
        self._select_row(max(row, 0))
        self._show_state()

    # ------------------------------------------------------------------ filters and counts

    def current_filter(self) -> QueueFilter:
        low, high = self.band_combo.currentData() or (0.0, 1.0)
        return QueueFilter(order=self.order_combo.currentData() or "useful", min_score=low, max_score=high,
                           source=self.source_combo.currentData())

    def _fill_sources(self) -> None:
        chosen = self.source_combo.currentData()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        self.source_combo.addItem("All sources", None)
        try:
            sources = pending_sources(self._vault.conn) if self._vault is not None else []
        except Exception:  # noqa: BLE001
            sources = []
        for source, count in sources:
            self.source_combo.addItem(f"{source_label(source)} ({count:,})", source)
        index = self.source_combo.findData(chosen) if chosen else 0
        self.source_combo.setCurrentIndex(max(0, index))
        self.source_combo.blockSignals(False)

    def apply_filter(self) -> None:
        if self._vault is None:
            return
        self.model.set_filter(self.current_filter())
        self._select_row(0)
        self._show_state()

    def _update_counts(self) -> None:
        if self._vault is None:
            self.subtitle_label.setText(self.subtitle)
            return
        left = self.model.total
        try:
            today = decided_today(self._vault.conn)
        except Exception:  # noqa: BLE001
            today = 0
        f = self.current_filter()
        where = "" if f == QueueFilter(order=f.order) else f" in this list ({f.describe()})"
        self.subtitle_label.setText(f"Merge review of doubtful matches: {left:,} left{where}  ·  "
                                    f"{today:,} decided today")

    def _show_state(self) -> None:
        if self._vault is None or (self.model.rowCount() == 0 and self._unfiltered_total() == 0):
            self.views.setCurrentWidget(self.nothing)
        elif self.model.rowCount() == 0:
            self.views.setCurrentWidget(self.filtered_out)
        else:
            self.views.setCurrentWidget(self.splitter)
        self._update_counts()
        self._update_buttons()

    def _unfiltered_total(self) -> int:
        if self._vault is None:
            return 0
        try:
            return int(self._vault.info().get("pending_reviews", 0))
        except Exception:  # noqa: BLE001
            return 0

    def _update_buttons(self) -> None:
        matching = self.runner is not None and self.runner.busy
        has_pair = self.current_pair is not None and self._vault is not None and not matching
        for widget in (self.merge_button, self.reject_button, self.skip_button, self.action_merge,
                       self.action_reject, self.action_skip):
            widget.setEnabled(has_pair)
        unlocked = self._vault is not None
        self.undo_button.setEnabled(unlocked and not matching)
        self.action_undo.setEnabled(unlocked and not matching)
        self.bulk_button.setEnabled(unlocked and not matching and self.model.total > 0)
        self.history_button.setEnabled(unlocked)
        self.run_button.setEnabled(unlocked and not matching)

    # ------------------------------------------------------------------ the current pair

    def _select_row(self, row: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            self._show_pair(None)
            return
        row = max(0, min(row, count - 1))
        index = self.model.index(row, 0)
        self.queue.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.queue.scrollTo(index)
        if self.current_pair is None or self.current_pair.id != self.model.pair_at(row).id:
            self._show_pair(self.model.pair_at(row))

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_pair(self.model.pair_at(current.row()) if current.isValid() else None)

    def _show_pair(self, pair) -> None:
        for key in list(self._reveal_timers):
            self._hide(key)
        self.current_pair = pair
        if pair is None or self._vault is None:
            self.current_cards = None
            self._update_buttons()
            return
        vault = self._vault
        try:
            left, right = record_card(vault.conn, pair.left_id), record_card(vault.conn, pair.right_id)
            explained = explain_pair(vault, pair.left_id, pair.right_id, display=masked_display)
            contexts = (record_context(vault.conn, pair.left_id).to_json(),
                        record_context(vault.conn, pair.right_id).to_json())
        except Exception as exc:  # noqa: BLE001 - e.g. the records went with an undone import
            self.message.show_error(f"This pair cannot be shown: {user_message(exc)}")
            self.current_cards = None
            self._update_buttons()
            return
        self.current_cards = (left, right)
        rows = comparison_rows(left, right, explained, contexts)
        self.score_label.setText(score_text(pair.probability))
        held_because = pair.reason or explained.get("guard")
        self.score_label.setStyleSheet(f"color: {score_colour(pair.probability, bool(held_because))};")
        self.verdict_label.setText(self._verdict(pair.probability, held_because))
        self.reason_label.setText(self._reason(pair, left, right, held_because))
        row = self.model.row_of(pair.id)
        self.position_label.setText(f"Pair {row + 1:,} of {self.model.total:,}" if row >= 0 else "")
        self.comparison.show_pair(left, right, rows)
        self.evidence.show_evidence(explained, left, right)
        self.keep.show_choices(rows, pair.left_id, pair.right_id)
        self.scroll.verticalScrollBar().setValue(0)
        self._update_buttons()

    @staticmethod
    def _verdict(probability: float, held_because: str | None) -> str:
        """The score's reading; a pair held by a guard says so first, so that a high score beside "different
        first names" does not read as a verdict."""
        if held_because:
            return "Held for your decision"
        if probability >= 0.9:
            return "Probably the same person"
        if probability >= 0.7:
            return "Maybe the same person"
        return "Probably two different people"

    def _reason(self, pair, left: dict, right: dict, held_because: str | None) -> str:
        parts = []
        if held_because:
            parts.append(f"{held_because[0].upper()}{held_because[1:]}. The score ({score_text(pair.probability)}) "
                         "weighs the fields that agree; c360 never merges such pairs by itself, whatever the score.")
        else:
            try:
                auto = MatchSettings.load(self._vault).auto_threshold
            except Exception:  # noqa: BLE001
                auto = MatchSettings.auto_threshold
            parts.append(f"Below the {score_text(auto)} needed to merge automatically.")
        if left.get("profile_id") is not None and left.get("profile_id") == right.get("profile_id"):
            parts.append("Both are already in one profile through other records; "
                         "“Not the same person” separates them.")
        return " ".join(parts)

    # ------------------------------------------------------------------ decisions

    def decide_current(self, decision: str) -> bool:
        """Merge or reject the shown pair: the next pair appears now, the vault worker writes the decision."""
        pair, vault = self.current_pair, self._vault
        if pair is None or vault is None or (self.runner is not None and self.runner.busy):
            return False
        winners = self.keep.winners() if decision == "merge" else {}
        left, right = self.model.labels_at(self.model.row_of(pair.id))
        title = f"{record_title(left, pair.left_id)} ↔ {record_title(right, pair.right_id)}"
        self.current_pair = None
        row = self.model.remove_pair(pair.id)  # the view moves to the next pair at once
        self._select_row(row if row >= 0 else 0)
        self._ensure_rows()
        self.jobs_in_flight += 1

        def work(conn, _flag):
            view = vault.view(conn)
            placed = decide(view, pair.id, decision)
            for field_name, record_id in winners.items():
                prefer_value(view, record_id, field_name)
            return placed

        run_job(vault, work, lambda _placed: self._on_decided(pair.id, decision, title),
                lambda exc: self._on_job_failed(exc, pair.id))
        self._show_state()
        return True

    def _drop_settled_pairs(self) -> None:
        """A merge settles the pairs whose records it joined through other links (a nameless Mailchimp record
        and each of Sofia's other records): they leave the queue instead of being asked again."""
        waiting = still_pending(self._vault.conn, self.model.pair_ids())
        shown = self.current_pair.id if self.current_pair is not None else None
        row = self.model.row_of(shown) if shown is not None else -1
        if self.model.drop_settled(waiting) and shown is not None and shown not in waiting:
            self.current_pair = None
            self._select_row(row)
            self._ensure_rows()

    def _ensure_rows(self) -> None:
        if self.model.rowCount() < 5 and self.model.canFetchMore():
            self.model.fetchMore()

    def _on_decided(self, pair_id: int, decision: str, title: str) -> None:
        self.jobs_in_flight -= 1
        self.model.settled(pair_id)
        if self._vault is None:
            return
        verb = "Merged" if decision == "merge" else "Kept apart"
        self.message.show_success(f"{verb}: {title}. Ctrl+Z undoes it.")
        self._drop_settled_pairs()
        self.model.refresh_total()
        self._update_counts()
        self._refresh_position()
        self.data_changed.emit()

    def _on_job_failed(self, exc: BaseException, pair_id: int | None = None) -> None:
        self.jobs_in_flight = max(0, self.jobs_in_flight - 1)
        if pair_id is not None:
            self.model.settled(pair_id)
        if self._vault is None:
            return
        self.message.show_error(user_message(exc))
        self.refresh(keep_pair=True)

    def _refresh_position(self) -> None:
        if self.current_pair is not None:
            row = self.model.row_of(self.current_pair.id)
            self.position_label.setText(f"Pair {row + 1:,} of {self.model.total:,}" if row >= 0 else "")

    def skip(self) -> None:
        if self.current_pair is None:
            return
        row = self.model.row_of(self.current_pair.id)
        if row + 1 >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        following = row + 1 if row + 1 < self.model.rowCount() else 0
        if following == 0 and self.model.rowCount() > 1:
            self.message.show_info("That was the last pair in this list; back to the first.")
        self._select_row(following)

    def undo(self) -> bool:
        """Take back the latest standing decision (whoever made it), then show that pair again."""
        vault = self._vault
        if vault is None or (self.runner is not None and self.runner.busy):
            return False
        self.jobs_in_flight += 1

        def work(conn, _flag):
            standing = next((d for d in decision_history(conn, 1000) if d.undone_at is None), None)
            if standing is None:
                return None
            undo_decision(vault.view(conn), standing.id)
            return standing

        run_job(vault, work, self._on_undone, self._on_job_failed)
        return True

    def _on_undone(self, decision) -> None:
        self.jobs_in_flight -= 1
        if self._vault is None:
            return
        if decision is None:
            self.message.show_info("There is no decision to undo.")
            return
        self._fill_sources()
        self.model.set_filter(self.current_filter())
        pair = pair_between(self._vault.conn, decision.left_id, decision.right_id)
        row = 0
        if pair is not None:
            row = self.model.row_of(pair.id)
            if row < 0:
                row = self.model.insert_pair(pair, 0)
        self.current_pair = None
        self._select_row(row)
        verb = "merge" if decision.decision == "merge" else "“not the same person”"
        self.message.show_success(f"Undone: the {verb} decision. The pair is back in the queue.")
        self._show_state()
        self.data_changed.emit()

    # ------------------------------------------------------------------ reveal

    def reveal(self, key: str) -> None:
        """Show one row's values for a while, after writing who-saw-what (never the value) to the audit log."""
        vault, cards = self._vault, self.current_cards
        if vault is None or cards is None:
            return
        field_name = key  # email | phone | address | birth_date
        record_ids = [cards[0]["id"], cards[1]["id"]]
        pair_id = self.current_pair.id if self.current_pair else None

        def work(conn, _flag):
            view = vault.view(conn)
            for record_id in record_ids:
                view.audit("value_revealed", {"surface": "review", "record_id": record_id, "field": field_name})

        def done(_result):
            if self._vault is None or self.current_pair is None or self.current_pair.id != pair_id:
                return
            self.comparison.set_revealed(key, True)
            old = self._reveal_timers.pop(key, None)
            if old is not None:
                old.stop()
                old.deleteLater()
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(int(review_pair.REVEAL_SECONDS * 1000))
            timer.timeout.connect(lambda: self._hide(key))
            self._reveal_timers[key] = timer
            timer.start()

        run_job(vault, work, done, lambda exc: self.message.show_error(user_message(exc)))

    def _hide(self, key: str) -> None:
        timer = self._reveal_timers.pop(key, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        self.comparison.set_revealed(key, False)

    # ------------------------------------------------------------------ bulk, history, matching

    def open_bulk(self):
        from ..dialogs.review_bulk import BulkDecisionDialog

        if self._vault is None:
            return None
        dialog = BulkDecisionDialog(self._vault, self.current_filter(), self.window())
        dialog.applied.connect(self._on_bulk_applied)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_bulk_applied(self, decision: str, count: int) -> None:
        verb = "merged" if decision == "merge" else "kept apart"
        self.refresh(keep_pair=False)
        self.message.show_success(f"{count:,} {'pair' if count == 1 else 'pairs'} {verb}. "
                                  "Each one can be undone from the history.")
        self.data_changed.emit()

    def open_history(self):
        from ..dialogs.review_history import DecisionHistoryDialog

        if self._vault is None:
            return None
        dialog = DecisionHistoryDialog(self._vault, self.window())
        dialog.undone.connect(lambda: (self.refresh(keep_pair=True), self.data_changed.emit()))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def run_matching(self) -> bool:
        return start_matching(self.runner, self._vault, self.message, self._update_buttons)

    def _on_matched(self, result) -> None:
        if self._vault is None:
            return
        self.refresh(keep_pair=False)
        self.message.show_success(describe_result(result))
        self.data_changed.emit()

    def _on_match_failed(self, text: str) -> None:
        self._update_buttons()
        if self._vault is not None:
            self.message.show_error(f"Matching failed: {text}")

    def _on_match_cancelled(self) -> None:
        self._update_buttons()
        if self._vault is not None:
            self.message.show_info("Matching cancelled: the profiles are exactly as they were.")

    def focus_queue(self) -> None:
        self.queue.setFocus()

