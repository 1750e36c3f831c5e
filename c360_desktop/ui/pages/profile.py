"""One customer's profile, shown inside the Customers page: header, key metrics, consent, and tabs.

Opening a profile is a handful of indexed queries (``load_profile``), read on the GUI thread; the
timeline is read the first time its tab is shown. Every change (a correction, a note, a consent
statement, a split, a reveal's audit entry) is written by the vault worker, and the profile is read
again when it is done. Masked values are revealed one field at a time for ``Reveals.seconds``, and the
reveal is audited without the value; the lock forgets every reveal.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.identity.review import split_record
from ...core.ingest.regions import shop_region
from ...core.privacy.consent import purposes, record_consent
from ...core.privacy.policy import CLIPBOARD_CLEAR_SECONDS, RedactionPolicy, Reveals
from ...core.profiles.edits import (
    add_note,
    anchor_record,
    keep_unsaved_edit,
    rectify,
    remove_note,
    withdraw_edit,
)
from ...core.profiles.golden import Survivorship
from ...core.profiles.profile import ProfileNotFound, ProfileView, load_profile
from ..dialogs import profile_edit
from ..dialogs.common import copy_secret, user_message
from ..import_jobs import run_job
from ..models.customers import consent_mark
from ..models.review import source_label
from ..widgets import Card, MessageLabel, label
from .profile_tabs import (
    ConsentTab,
    NotesTab,
    OverviewTab,
    ProfileContext,
    SourcesTab,
    TimelineTab,
    item_texts,
    money,
    short_date,
)
from .profile_widgets import FlowLayout, chip

NOTES_KEY = "notes"   # the reveal key of the profile's notes
METRICS = (("spent", "Total spent"), ("orders", "Orders"), ("aov", "Average order"),
           ("first", "First purchase"), ("last", "Last purchase"), ("activity", "Last activity"),
           ("tickets", "Support tickets"))
RESTRICTION_BUTTONS = {  # kind -> ((text, tooltip) to record it, (text, tooltip) to end the one in force)
    "restrict": (("Restrict processing…", "Keep the data but stop using it (Art. 18)"),
                 ("Lift restriction…", "Use the data again (tell the customer first, Art. 18(3))")),
    "object": (("Object to marketing…", "The customer objects to direct marketing (Art. 21)"),
               ("Withdraw objection…", "The customer no longer objects to direct marketing")),
}


class MetricsCard(Card):
    """Key numbers side by side, and the consent status per purpose underneath."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, name="MetricsCard")
        self.values: dict[str, QWidget] = {}
        self.notes: dict[str, QWidget] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(0)
        grid.setVerticalSpacing(1)
        for column, (key, caption) in enumerate(METRICS):
            if column:
                divider = QFrame()
                divider.setObjectName("MetricDivider")
                grid.addWidget(divider, 0, column * 2 - 1, 3, 1)
            self.values[key], self.notes[key] = label("", "MetricValue"), label("", "Faint")
            for row, widget in enumerate((label(caption, "MetricLabel"), self.values[key], self.notes[key])):
                widget.setContentsMargins(14, 0, 8, 0)
                grid.addWidget(widget, row, column * 2)
            grid.setColumnStretch(column * 2, 1)
        self.consent_box = QWidget()
        self.consent_row = FlowLayout(self.consent_box, spacing=8)
        rule = QFrame()
        rule.setObjectName("MetricRule")
        consent_line = QHBoxLayout()
        consent_line.setContentsMargins(14, 0, 14, 0)
        consent_line.setSpacing(12)
        consent_line.addWidget(label("Consent", "MetricLabel"), 0, Qt.AlignmentFlag.AlignVCenter)
        consent_line.addWidget(self.consent_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 12, 2, 10)
        layout.setSpacing(10)
        layout.addLayout(grid)
        layout.addWidget(rule)
        layout.addLayout(consent_line)

    def show_profile(self, view: ProfileView) -> None:
        m = view.metrics
        figures = {
            "spent": (money(m.total_spent, m.currency) if m.total_spent else "—",
                      f"refunded {money(m.refunded)}" if m.refunded else
                      ("from payments" if m.order_count == 0 and m.payments else "")),
            "orders": (str(m.order_count), f"{m.payments} {'payment' if m.payments == 1 else 'payments'}"
                       if m.payments else ""),
            "aov": (money(m.average_order_value) if m.average_order_value else "—", ""),
            "first": (short_date(m.first_purchase_at) or "—", ""),
            "last": (short_date(m.last_purchase_at) or "—", ""),
            "activity": (_days_ago(m.days_since_last_activity), short_date(m.last_activity_at)),
            "tickets": (f"{m.tickets_open} open" if m.tickets_total else "none",
                        f"of {m.tickets_total}" if m.tickets_total else ""),
        }
        for key, (value, note) in figures.items():
            self.values[key].setText(value)
            self.notes[key].setText(note)
        self.consent_row.clear()
        for status in view.consent.values():
            mark, _colour, words = consent_mark(status.status)
            kind = "warn" if status.conflict else {"✓": "good", "✗": "bad"}.get(mark, "plain")
            text = f"{status.label}  {mark}" + ("  ⚠" if status.conflict else "")
            tooltip = f"{status.label}: {words}" + (" — your tools disagree (see the Consent tab)"
                                                     if status.conflict else "")
            self.consent_row.addWidget(chip(text, kind, tooltip))


def _days_ago(days: int | None) -> str:
    if days is None:
        return "—"
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days:,} days ago"


class ProfilePanel(QWidget):
    """``show_profile(vault, profile_id, reveals)``; ``closed`` when the profile went away (split, erased)."""

    back_requested = Signal()
    closed = Signal(str)       # why, in words
    data_changed = Signal()    # the vault changed: the list (and other pages) read again

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ProfilePanel")
        self.vault = None
        self.reveals: Reveals | None = None
        self.profile_id: int | None = None
        self.view: ProfileView | None = None
        self.policy = RedactionPolicy()
        self._revealed: set[str] = set()
        self._timers: dict[str, QTimer] = {}
        self._editing: tuple[str, profile_edit.ProfileEditDialog] | None = None  # kind, the open edit dialog

        self.back_button = QPushButton("←  Customers")
        self.back_button.setObjectName("BackButton")
        self.back_button.setToolTip("Back to the customer list (Alt+Left)")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back_requested)
        self.export_button = self._action_button("Export data…", "ExportButton",
                                                 "Everything held about this customer, for an access request")
        self.export_button.clicked.connect(self.export_data)
        self.restrict_button = self._restriction_button("restrict", "RestrictButton")
        self.object_button = self._restriction_button("object", "ObjectButton")
        self.erase_button = self._action_button("Erase…", "EraseButton",
                                                "Erase this customer from the vault (asked first, audited)")
        self.erase_button.clicked.connect(self.erase)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.back_button)
        top.addStretch(1)
        for button in (self.export_button, self.restrict_button, self.object_button, self.erase_button):
            top.addWidget(button)

        self.name_label = label("", "ProfileName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.marks_box = QWidget()
        self.marks_row = FlowLayout(self.marks_box)
        self.summary_label = label("", "Muted")
        name_row = QHBoxLayout()
        name_row.setSpacing(12)
        name_row.addWidget(self.name_label)
        name_row.addWidget(self.marks_box, 1, Qt.AlignmentFlag.AlignVCenter)
        name_row.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignBottom)
        self.tools_box = QWidget()
        self.tools_row = FlowLayout(self.tools_box, spacing=5)
        self.metrics = MetricsCard()
        self.message = MessageLabel()
        self.message.setObjectName("ProfileMessage")

        self.overview = OverviewTab()
        self.sources = SourcesTab()
        self.timeline = TimelineTab()
        self.consent = ConsentTab()
        self.notes = NotesTab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("ProfileTabs")
        self.tabs.setDocumentMode(False)
        for widget, title in ((self.overview, "Overview"), (self.sources, "Sources"), (self.timeline, "Timeline"),
                              (self.consent, "Consent"), (self.notes, "Notes and corrections")):
            self.tabs.addTab(widget, title)
        self.tabs.currentChanged.connect(lambda _i: self._load_timeline_if_shown())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addSpacing(2)
        layout.addLayout(name_row)
        layout.addWidget(self.tools_box)
        layout.addSpacing(4)
        layout.addWidget(self.metrics)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.overview.reveal_requested.connect(self.reveal)
        self.overview.hide_requested.connect(self.hide)
        self.overview.copy_requested.connect(self.copy_value)
        self.overview.correct_requested.connect(self.open_correction)
        self.sources.split_requested.connect(self.split)
        self.consent.change_requested.connect(self.open_consent_change)
        self.notes.correct_requested.connect(self.open_correction)
        self.notes.note_requested.connect(self.open_note)
        self.notes.withdraw_requested.connect(self.withdraw)
        self.notes.remove_requested.connect(self.remove_note)
        self.notes.reveal_notes_requested.connect(lambda on: self.reveal(NOTES_KEY) if on else self.hide(NOTES_KEY))
        back = QAction("Back", self)
        back.setShortcuts([QKeySequence("Alt+Left"), QKeySequence(Qt.Key.Key_Escape)])
        back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.triggered.connect(self.back_requested)
        self.addAction(back)

    @staticmethod
    def _action_button(text: str, name: str, tooltip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tooltip)
        button.setAutoDefault(False)
        return button

    def _restriction_button(self, kind: str, name: str) -> QPushButton:
        text, tooltip = RESTRICTION_BUTTONS[kind][0]
        button = self._action_button(text, name, tooltip)
        button.clicked.connect(lambda: self.restriction_clicked(kind))
        return button

    # ------------------------------------------------------------------ showing

    def show_profile(self, vault, profile_id: int, reveals: Reveals | None) -> ProfileView:
        """Read and show one profile; raises ``ProfileNotFound`` if it is gone."""
        view = load_profile(vault.conn, profile_id, survivorship=Survivorship.from_settings(vault),
                            known_purposes=purposes(vault))
        if profile_id != self.profile_id:
            self._forget_reveals()
            self.message.clear()
            self.timeline.reset_filter()
            self.tabs.setCurrentWidget(self.overview)
        self.vault, self.reveals, self.profile_id, self.view = vault, reveals, profile_id, view
        self.policy = RedactionPolicy.from_vault(vault)
        self._show_header(view)
        ctx = self.context()
        self.overview.show_profile(ctx)
        self.sources.show_profile(ctx)
        self.consent.show_profile(ctx)
        self.notes.show_profile(ctx, self.is_revealed(NOTES_KEY))
        self.timeline.forget()
        self._load_timeline_if_shown()
        self.tabs.setTabText(1, f"Sources  {len(view.sources)}")
        owned = len(view.edits) + len(view.notes)
        self.tabs.setTabText(4, f"Notes and corrections  {owned}" if owned else "Notes and corrections")
        return view

    def reload(self) -> bool:
        """Read the profile again; False (and ``closed``) if it no longer exists."""
        if self.vault is None or self.profile_id is None:
            return False
        try:
            self.show_profile(self.vault, self.profile_id, self.reveals)
        except ProfileNotFound:
            self.clear()
            self.closed.emit("That profile no longer exists: it was split, merged or erased.")
            return False
        return True

    def clear(self) -> None:
        """Forget the profile (the vault is locked, or the profile is gone)."""
        self._forget_reveals()
        self.vault, self.view, self.profile_id = None, None, None
        self.timeline.forget()
        self.message.clear()

    def context(self) -> ProfileContext:
        return ProfileContext(self.vault, self.view, self.policy, self.is_revealed)

    def _show_header(self, view: ProfileView) -> None:
        self.name_label.setText(self.policy.apply("name", view.display_name) or f"Profile {view.id}")
        self.marks_row.clear()
        if view.restricted:
            self.marks_row.addWidget(chip("Restricted", "warn", "Processing is restricted: the data is kept but "
                                                                "not used for marketing or analytics."))
        if self.in_force("object"):
            self.marks_row.addWidget(chip("Objected to marketing", "warn", "The customer objected to direct "
                                                                           "marketing."))
        for kind, button in (("restrict", self.restrict_button), ("object", self.object_button)):
            text, tooltip = RESTRICTION_BUTTONS[kind][self.in_force(kind)]
            button.setText(text)
            button.setToolTip(tooltip)
        for note in view.notes:
            if note["kind"] == "tag":
                self.marks_row.addWidget(chip(note["text"], "tag", "A tag you added"))
        tools = view.tools
        self.summary_label.setText(f"Profile {view.id}  ·  {len(view.sources)} "
                                   f"{'record' if len(view.sources) == 1 else 'records'} from {len(tools)} "
                                   f"{'tool' if len(tools) == 1 else 'tools'}")
        self.tools_row.clear()
        for tool in tools:
            self.tools_row.addWidget(chip(source_label(tool, short=True), "small", source_label(tool)))
        self.metrics.show_profile(view)

    def _load_timeline_if_shown(self) -> None:
        if self.tabs.currentWidget() is self.timeline and self.timeline.entries is None and self.view is not None:
            self.timeline.load(self.context())

    # ------------------------------------------------------------------ reveal and copy

    def is_revealed(self, key: str) -> bool:
        return (key in self._revealed and self.reveals is not None and self.profile_id is not None
                and self.reveals.is_revealed(self.profile_id, key))

    def reveal(self, key: str) -> None:
        """Audit the reveal (field name, never the value) on the worker, then show the field for a while."""
        vault, reveals, profile_id = self.vault, self.reveals, self.profile_id
        if vault is None or reveals is None or profile_id is None:
            return

        def work(conn, _flag):
            reveals.reveal(vault.view(conn), profile_id, key)

        def done(_result):
            if self.profile_id != profile_id or self.reveals is not reveals:
                return
            self._revealed.add(key)
            old = self._timers.pop(key, None)
            if old is not None:
                old.stop()
                old.deleteLater()
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(int(reveals.seconds * 1000) + 50)
            timer.timeout.connect(lambda: self.hide(key))
            self._timers[key] = timer
            timer.start()
            self._show_reveals()

        run_job(vault, work, done, self._failed)

    def hide(self, key: str) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        self._revealed.discard(key)
        if self.view is not None:
            self._show_reveals()

    def _forget_reveals(self) -> None:
        for timer in self._timers.values():
            timer.stop()
            timer.deleteLater()
        self._timers.clear()
        self._revealed.clear()

    def _show_reveals(self) -> None:
        ctx = self.context()
        self.overview.refresh_values(ctx)
        self.notes.show_profile(ctx, self.is_revealed(NOTES_KEY))

    def copy_value(self, key: str) -> bool:
        """Copy a revealed value; the clipboard is cleared after a while if it still holds it."""
        golden = self.view.golden.get(key) if self.view is not None else None
        if golden is None or golden.value is None or not self.is_revealed(key):
            return False
        copy_secret(golden.value, CLIPBOARD_CLEAR_SECONDS)
        self.message.show_info(f"{golden.label} copied. The clipboard is cleared in {CLIPBOARD_CLEAR_SECONDS} "
                               "seconds.")
        return True

    # ------------------------------------------------------------------ changes

    def _write(self, change, done_text: str, dialog: profile_edit.ProfileEditDialog | None = None) -> None:
        """Run ``change(vault_view, conn)`` on the worker, then read the profile again."""
        vault = self.vault
        if vault is None:
            return

        def work(conn, _flag):
            return change(vault.view(conn), conn)

        def done(_result):
            if dialog is not None:
                dialog.succeed()
            if self.vault is not vault:
                return
            if self.reload():
                self.message.show_success(done_text)
            self.data_changed.emit()

        def failed(exc):
            if dialog is not None and dialog.isVisible():
                dialog.fail(user_message(exc))
            else:
                self._failed(exc)

        run_job(vault, work, done, failed)

    def _failed(self, exc: BaseException) -> None:
        if self.vault is not None:
            self.message.show_error(user_message(exc))

    def _dialog(self, kind: str, dialog: profile_edit.ProfileEditDialog, change, done_text: str):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda values: self._write(lambda view, conn: change(view, conn, values),
                                                            done_text, dialog))
        self._editing = (kind, dialog)
        dialog.finished.connect(lambda _result: self._stop_editing(dialog))
        dialog.open()
        return dialog

    def _stop_editing(self, dialog) -> None:
        if self._editing is not None and self._editing[1] is dialog:
            self._editing = None

    def keep_draft_on_lock(self, vault) -> None:
        """The vault is about to lock: what is typed in an open note, tag, correction or consent dialog is kept in
        it, for ``reopen_edit`` after the next unlock, instead of being thrown away with the dialog."""
        if self._editing is None or self.profile_id is None or vault is not self.vault:
            return
        kind, dialog = self._editing
        if not (dialog.isVisible() and dialog.has_typing()):
            return
        try:
            keep_unsaved_edit(vault.conn, self.profile_id, kind, dialog.values())
        except Exception:  # noqa: BLE001 - keeping a draft must never stop the vault from locking (a busy disk)
            return

    def reopen_edit(self, kind: str, fields: dict):
        """Open again the dialog the vault locked on, with what was typed in it."""
        if kind.startswith("consent:"):
            dialog = self.open_consent_change(kind.split(":", 1)[1])
        elif kind == "correction":
            dialog = self.open_correction(str(fields.get("field") or ""))
        else:
            dialog = self.open_note(kind)
        if dialog is not None:
            dialog.fill(fields)
            dialog.message.show_info("c360 locked while this was open. What you had typed was kept; it is not saved "
                                     "until you confirm it.")
        return dialog

    def open_correction(self, field_key: str = ""):
        if self.view is None:
            return None
        fields = {key: golden.label for key, golden in self.view.golden.items()}
        profile_id = self.profile_id
        region = shop_region(self.vault)
        return self._dialog(
            "correction", profile_edit.correction_dialog(self.window(), fields, field_key or None),
            lambda view, _conn, v: rectify(view, profile_id, v["field"], v["value"], v["reason"], region=region),
            "Correction saved. It wins over the imported values until you withdraw it.")

    def open_note(self, kind: str = "note"):
        if self.view is None:
            return None
        profile_id = self.profile_id
        return self._dialog(kind, profile_edit.note_dialog(self.window(), kind),
                            lambda view, _conn, v: add_note(view, profile_id, kind, v["text"], v["reason"]),
                            "Tag added." if kind == "tag" else "Note added.")

    def open_consent_change(self, purpose: str):
        if self.view is None or purpose not in self.view.consent:
            return None
        status = self.view.consent[purpose]
        profile_id = self.profile_id

        def change(view, conn, values):
            record_consent(view, anchor_record(conn, profile_id), purpose, values["status"], values["reason"],
                           legal_basis=values["legal_basis"])

        return self._dialog(f"consent:{purpose}", profile_edit.consent_dialog(self.window(), status.label, status.status), change,
                            f"{status.label}: your statement is recorded.")

    def withdraw(self, field_key: str) -> None:
        profile_id = self.profile_id
        self._write(lambda view, _conn: withdraw_edit(view, profile_id, field_key),
                    "Correction withdrawn: the imported values decide again.")

    def remove_note(self, note_id: int) -> None:
        self._write(lambda view, _conn: remove_note(view, note_id), "Removed.")

    def split(self, record_id: int) -> bool:
        """Take one source record out of this profile, after asking; audited by the core."""
        record = next((s for s in self.view.sources if s.id == record_id), None) if self.view else None
        if record is None or self.vault is None:
            return False
        tool = source_label(record.source)
        name = self.policy.apply("name", self.view.display_name) or f"profile {self.profile_id}"
        if not profile_edit.confirm(
                self.window(), "Split from this profile",
                f"Take the {tool} record ({record.file_name}, row {record.row_number}) out of {name}'s profile?\n\n"
                "It becomes a profile of its own, and matching will not put it back with these records. "
                "The split is recorded in the audit log and can be undone from the Review page's history.",
                "Split"):
            return False
        vault, profile_id = self.vault, self.profile_id

        def done(placed):
            if self.vault is not vault:
                return
            new_profile = placed.get(record_id)
            words = f"Split: the {tool} record is now profile {new_profile}." if new_profile else "Split."
            if self.profile_id == profile_id and self.reload():
                self.message.show_success(words)
            self.data_changed.emit()

        run_job(vault, lambda conn, _flag: split_record(vault.view(conn), record_id), done, self._failed)
        return True

    # ------------------------------------------------------------------ privacy actions (the Privacy helper's dialogs)

    def _privacy_action(self, name: str, *extra):
        """Call ``dialogs.privacy_actions.<name>``; imported here so the profile works before it exists."""
        if self.vault is None or self.profile_id is None:
            return None
        try:
            from ..dialogs import privacy_actions

            action = getattr(privacy_actions, name)
        except (ImportError, AttributeError):
            profile_edit.inform(self.window(), "Not available",
                                "This privacy action is not available in this version of c360 yet.")
            return None
        return action(self.window(), self.vault, self.profile_id, *extra)

    def export_data(self) -> None:
        self._privacy_action("export_profile_dialog")

    def erase(self) -> bool:
        if not self._privacy_action("erase_profile_dialog"):
            return False
        self.clear()
        self.closed.emit("The customer was erased.")
        self.data_changed.emit()
        return True

    def in_force(self, kind: str) -> bool:
        """Whether a restriction ('restrict') or an objection ('object') is in force on the profile shown."""
        return self.view is not None and any(r["kind"] == kind for r in self.view.restrictions)

    def restriction_clicked(self, kind: str) -> bool:
        """The button records a restriction or objection, or ends the one in force."""
        return self.lift(kind) if self.in_force(kind) else self.restrict(kind)

    def restrict(self, kind: str) -> bool:
        return self._reload_after(self._privacy_action("restrict_profile_dialog", kind))

    def lift(self, kind: str) -> bool:
        return self._reload_after(self._privacy_action("lift_restriction_dialog", kind))

    def _reload_after(self, changed) -> bool:
        if not changed:
            return False
        self.reload()
        self.data_changed.emit()
        return True

    def shown_texts(self) -> list[str]:
        """Every text the panel shows or explains (labels, tree cells, tooltips): tests look for leaks."""
        texts = [w.text() for w in self.findChildren(QLabel)] + [w.toolTip() for w in self.findChildren(QWidget)]
        texts += self.overview.value_texts() + self.sources.raw_texts()
        for tree in (self.consent.tree, self.notes.corrections, self.notes.notes, self.timeline.tree,
                     self.sources.list):
            texts += item_texts(tree)
        return texts
