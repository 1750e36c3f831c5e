"""Answering a data-subject request for one customer: export their data, erase them, restrict or object,
and lift a restriction or objection again.

The profile screen and the Privacy page call the module functions; each opens a modal dialog
and runs the core call off the GUI thread (export and erasure) or at once (restriction). With a
``request_id`` the action is noted on that request. Errors are shown as one sentence, never a trace.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.ingest.regions import shop_region
from ...core.privacy.access import export_profile
from ...core.privacy.erasure import (
    SETTING_KEEP_INVOICES,
    erase_profile,
    erasure_counts,
    scrub_freed_pages,
)
from ...core.privacy.erasure_words import (
    REMOVED_KINDS,
    count_words,
    kept_orders,
    kind_words,
    namesakes_text,
    receipt_sections,
    section_sentence,
    write_receipt,
)
from ...core.privacy.find import namesake_count
from ...core.privacy.policy import RedactionPolicy
from ...core.privacy.restriction import (
    lift_profile_restrictions,
    object_to_marketing,
    restrict_processing,
)
from .. import theme
from ..import_jobs import CancelFlag, Progress, run_job
from ..widgets import BusyBar, MessageLabel, label
from .common import short_path, user_message

CONFIRM_WORD = "ERASE"
SCRUB_RETRY_MS = 1500  # after the screens have refreshed and finished reading
DANGER_BUTTON = (f"QPushButton {{ background: {theme.DANGER}; border-color: {theme.DANGER}; color: white; "
                 f"font-weight: 600; }} QPushButton:disabled {{ background: {theme.DANGER_BORDER}; "
                 f"border-color: {theme.DANGER_BORDER}; color: white; }}")


# ---------------------------------------------------------------------------- file choosers (tests replace them)

def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def default_export_path(profile_id: int, today: date | None = None) -> Path:
    return documents_folder() / f"c360-access-export-{profile_id}-{(today or date.today()).isoformat()}.zip"


def choose_export_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Save the customer's data", str(suggested), "ZIP files (*.zip)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")


def choose_receipt_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, chosen = QFileDialog.getSaveFileName(parent, "Save the erasure receipt", str(suggested),
                                               "Text files (*.txt);;JSON files (*.json)")
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() in (".txt", ".json"):
        return path
    return path.with_name(path.name + (".json" if "json" in chosen.lower() else ".txt"))


def save_receipt(parent: QWidget | None, receipt: dict, message: MessageLabel) -> Path | None:
    """Ask where, write the receipt (JSON or text), and say what happened in ``message``."""
    suggested = documents_folder() / f"c360-erasure-receipt-{receipt.get('id', '')}.txt"
    path = choose_receipt_path(parent, suggested)
    if path is None:
        return None
    try:
        write_receipt(receipt, path)
    except Exception as exc:  # noqa: BLE001
        message.show_error(user_message(exc))
        return None
    message.show_success(f"Receipt saved as {short_path(path)}.")
    return path


def customer_name(vault, profile_id: int) -> str:
    """``Ann Smith (customer #12)`` under the redaction policy; just the number when there is no name."""
    try:
        row = vault.conn.execute("SELECT display_name FROM profiles WHERE id = ?", (profile_id,)).fetchone()
        name = RedactionPolicy.from_vault(vault).apply("name", row[0]) if row and row[0] else ""
    except Exception:  # noqa: BLE001 - the number alone is enough to go on
        name = ""
    return f"{name} (customer #{profile_id})" if name else f"customer #{profile_id}"


def _section_label(section) -> QLabel:
    """One part of an erasure's counts as a sentence, as the receipt words it (``erasure_words``)."""
    return label(section_sentence(section), "Muted", wrap=True)


def _namesakes_label(name: str) -> QLabel:
    """Filled when other profiles carry the same name: their count and where to look, never who."""
    namesakes = label("", name, wrap=True)
    namesakes.setStyleSheet(f"color: {theme.WARNING};")
    namesakes.hide()
    return namesakes


# ---------------------------------------------------------------------------- the dialogs

class _ActionDialog(QDialog):
    """Title, explanation, a body, a busy bar, a message and Cancel / action buttons. While a job runs
    the dialog cannot be closed: Cancel asks the job to stop, and the dialog closes when it has."""

    def __init__(self, vault, profile_id: int, request_id: int | None, window_title: str, heading: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{window_title} – c360")
        self.setMinimumWidth(580)
        self._vault = vault
        self.profile_id = profile_id
        self.request_id = request_id
        self.running = False
        self.done_ok = False
        self._flag: CancelFlag | None = None
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(26, 22, 26, 20)
        self.body.setSpacing(12)
        self.heading = label(heading, "DialogTitle")
        self.heading.setWordWrap(True)
        self.body.addWidget(self.heading)
        self.message = MessageLabel()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("CancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.action_button = QPushButton()
        self.action_button.setObjectName("ActionButton")
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.action_button)

    def finish_layout(self) -> None:
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.body.addLayout(self.buttons)

    def _run(self, work, on_success) -> None:
        self.running = True
        self.message.clear()
        self._set_busy(True)
        self._flag = run_job(self._vault, work, lambda result: self._finished(on_success, result), self._failed)

    def _finished(self, on_success, result) -> None:
        self.running = False
        self._set_busy(False)
        on_success(result)

    def _failed(self, exc: BaseException) -> None:
        cancelled = self._flag is not None and self._flag.is_set()
        self.running = False
        self._set_busy(False)
        if cancelled:
            self.on_cancelled()
        else:
            self.message.show_error(user_message(exc))

    def on_cancelled(self) -> None:
        self.message.show_info("Cancelled. Nothing was changed.")

    def _set_busy(self, busy: bool) -> None:
        self.action_button.setEnabled(not busy)
        self.cancel_button.setText("Stop" if busy else "Cancel")

    def show_finished(self, text: str) -> None:
        """The action is done: say so, and leave only Close."""
        self.done_ok = True
        self.message.show_success(text)
        self.cancel_button.hide()
        self.action_button.setText("Close")
        self.action_button.setEnabled(True)
        self.action_button.clicked.disconnect()
        self.action_button.clicked.connect(self.accept)

    cancellable = True  # False for work that runs as one transaction and cannot stop half-way

    def reject(self) -> None:
        if self.running:
            if self.cancellable and self._flag is not None:
                self._flag.set()
                self.message.show_info("Stopping…")
            return
        if self.done_ok:
            self.accept()
            return
        super().reject()


class ExportDialog(_ActionDialog):
    """Access and portability (Art. 15 and 20): one ZIP with everything held about the person."""

    def __init__(self, vault, profile_id: int, request_id: int | None = None, parent: QWidget | None = None):
        super().__init__(vault, profile_id, request_id, "Export customer data", "Export customer data", parent)
        self.summary: dict | None = None
        self.path: Path | None = None
        self.body.addWidget(label(
            f"Everything c360 holds about {customer_name(vault, profile_id)}, in one ZIP file: the golden record, "
            "every imported row with the tool, file and row it came from, orders and tickets, consent history, "
            "match decisions, notes and corrections, as JSON and CSV files, and a readable summary you can send "
            "as is.", "Muted", wrap=True))
        self.redacted = QCheckBox("Redacted copy: mask contact details as on screen (for your own records)")
        self.redacted.setObjectName("RedactedExport")
        self.body.addWidget(self.redacted)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("Busy")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(4)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.hide()
        self.body.addWidget(self.progress_bar)
        self.progress = Progress(self)
        self.progress.changed.connect(self._on_progress)
        self.action_button.setText("Export…")
        theme.mark_primary(self.action_button)
        self.action_button.clicked.connect(self.choose_and_export)
        self.finish_layout()

    def choose_and_export(self) -> bool:
        path = choose_export_path(self, default_export_path(self.profile_id))
        return self.export_to(path) if path is not None else False

    def export_to(self, path: Path) -> bool:
        if self.running:
            return False
        vault, profile_id, request_id = self._vault, self.profile_id, self.request_id
        redacted = self.redacted.isChecked()
        self.path = path
        self.progress_bar.setRange(0, 0)
        self.message.show_info(f"Writing {path.name}…")

        def work(conn, flag):
            return export_profile(vault.view(conn), profile_id, path, request_id=request_id, redacted=redacted,
                                  progress=self.progress.report, cancelled=flag.is_set)

        self._run(work, self._on_exported)
        return True

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        self.progress_bar.setVisible(busy)
        self.redacted.setEnabled(not busy)

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _on_exported(self, summary: dict) -> None:
        self.summary = summary
        written = Path(summary.get("path") or self.path or "")
        files = summary.get("files") or []
        counts = summary.get("counts") or {}
        parts = [count_words(kind, value) for kind, value in counts.items() if isinstance(value, int) and value]
        text = f"Saved {short_path(written)}"
        text += f" ({len(files)} files" + (f": {', '.join(parts[:4])}" if parts else "") + ")." if files else "."
        self.show_finished(text + " Send it to the person over a secure channel.")

    def on_cancelled(self) -> None:
        self.message.show_info("Export cancelled: no file was written.")


class EraseDialog(_ActionDialog):
    """Erasure (Art. 17): names what will go, asks for the confirmation word, then shows the receipt."""

    cancellable = False

    def __init__(self, vault, profile_id: int, request_id: int | None = None, reference: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(vault, profile_id, request_id, "Erase customer", "Erase this customer for good?", parent)
        self.receipt: dict | None = None
        self.counts: dict[str, int] = {}
        self.keep_invoices = False
        self.pages = QStackedWidget()
        self.pages.addWidget(self._confirm_page(reference))
        self.receipt_page, self.receipt_list = self._receipt_page()
        self.pages.addWidget(self.receipt_page)
        self.body.addWidget(self.pages)
        self.busy_bar = BusyBar()
        self.body.addWidget(self.busy_bar)
        self.action_button.setText("Erase customer")
        self.action_button.setObjectName("EraseButton")
        self.action_button.setStyleSheet(DANGER_BUTTON)
        self.action_button.setAutoDefault(False)
        self.action_button.clicked.connect(self.erase)
        self.save_button = QPushButton("Save receipt…")
        self.save_button.setObjectName("SaveReceiptButton")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_receipt)
        self.save_button.hide()
        self.buttons.insertWidget(0, self.save_button)
        self.finish_layout()
        self.load_preview()
        self._update_button()

    def _confirm_page(self, reference: str | None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(label(f"This cannot be undone. c360 deletes everything it holds about "
                               f"{customer_name(self._vault, self.profile_id)}:", "Muted", wrap=True))
        self.counts_grid = QGridLayout()
        self.counts_grid.setHorizontalSpacing(14)
        self.counts_grid.setVerticalSpacing(3)
        self.counts_grid.setContentsMargins(12, 0, 0, 0)
        layout.addLayout(self.counts_grid)
        self.orders_label = label("", "EraseOrdersNote", wrap=True)
        self.orders_label.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.orders_label)
        self.preview_sections = QVBoxLayout()
        self.preview_sections.setSpacing(6)
        layout.addLayout(self.preview_sections)
        self.namesakes_label = _namesakes_label("EraseNamesakes")
        layout.addWidget(self.namesakes_label)
        self.reference = QLineEdit(reference or "")
        self.reference.setObjectName("ErasureReference")
        self.reference.setPlaceholderText("Optional: your ticket or letter number, never a name or email")
        self.confirm = QLineEdit()
        self.confirm.setObjectName("ErasureConfirm")
        self.confirm.setPlaceholderText(f"{CONFIRM_WORD} or {self.profile_id}")
        self.confirm.textChanged.connect(lambda _t: self._update_button())
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.addRow("Request reference", self.reference)
        form.addRow(f"Type {CONFIRM_WORD} to confirm", self.confirm)
        layout.addSpacing(4)
        layout.addLayout(form)
        return page

    def _receipt_page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        listing = QVBoxLayout()
        listing.setSpacing(3)
        layout.addLayout(listing)
        layout.addSpacing(6)
        self.receipt_namesakes = _namesakes_label("ReceiptNamesakes")
        layout.addWidget(self.receipt_namesakes)
        layout.addWidget(label("The receipt holds no personal data: keep it as proof of the erasure. It is also "
                               "listed on the Privacy page.", "Muted", wrap=True))
        return page, listing

    def load_preview(self) -> bool:
        """Count what will go, in the receipt's words; False (and a message) when the profile cannot be read."""
        try:
            self.keep_invoices = bool(self._vault.setting(SETTING_KEEP_INVOICES, False))
            self.counts = erasure_counts(self._vault, self.profile_id, self.keep_invoices)
            namesakes = namesake_count(self._vault.conn, self.profile_id,
                                       shop_region(self._vault))
        except Exception as exc:  # noqa: BLE001
            self.counts = {}
            self.message.show_error(user_message(exc))
            self.confirm.setEnabled(False)
            return False
        shown = [(kind, self.counts[kind]) for kind in REMOVED_KINDS if self.counts.get(kind)]
        for row, (kind, count) in enumerate(shown):
            number = label(f"{count:,}")
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setObjectName(f"EraseCount-{kind}")
            number.setStyleSheet("font-weight: 600;")
            self.counts_grid.addWidget(number, row, 0)
            self.counts_grid.addWidget(label(kind_words(kind, count)), row, 1)
        self.counts_grid.setColumnStretch(1, 1)
        orders = self.counts.get("orders", 0)
        self.orders_label.setText("" if self.keep_invoices or not orders else
                                  f"This includes {count_words('orders', orders)}. To keep orders anonymised for "
                                  "your tax records instead, turn on Settings › Erasure before erasing.")
        self.orders_label.setVisible(bool(self.orders_label.text()))
        for section in receipt_sections(self.counts, self.counts.get("kept_invoices", 0))[1:]:
            self.preview_sections.addWidget(_section_label(section))
        for namesakes_label in (self.namesakes_label, self.receipt_namesakes):
            namesakes_label.setText(namesakes_text(namesakes))
            namesakes_label.setVisible(namesakes > 0)
        return True

    def confirmed(self) -> bool:
        typed = self.confirm.text().strip()
        return typed.upper() == CONFIRM_WORD or typed == str(self.profile_id)

    def _update_button(self) -> None:
        if not self.done_ok:
            self.action_button.setEnabled(bool(self.counts) and self.confirmed() and not self.running)

    def erase(self) -> bool:
        if self.running or not self.counts:
            return False
        if not self.confirmed():
            self.message.show_error(f"Type {CONFIRM_WORD} (or the customer number, {self.profile_id}) to confirm.")
            return False
        vault, profile_id, request_id = self._vault, self.profile_id, self.request_id
        reference = self.reference.text().strip() or None
        self.message.show_info("Erasing and overwriting the freed space…")

        def work(conn, _flag):
            return erase_profile(vault.view(conn), profile_id, reference=reference, request_id=request_id)

        self._run(work, self._on_erased)
        return True

    def _scrub_again(self) -> None:
        """A screen was still reading when the erasure ended: empty the WAL now that it is done."""
        if self._vault is not None and self._vault.is_open:
            scrub_freed_pages(self._vault.conn)

    def _set_busy(self, busy: bool) -> None:
        super()._set_busy(busy)
        self.busy_bar.setVisible(busy)
        self.cancel_button.setEnabled(not busy)
        self.reference.setEnabled(not busy)
        self.confirm.setEnabled(not busy)
        if not busy:
            self._update_button()

    def _on_erased(self, receipt: dict) -> None:
        self.receipt = receipt
        if not receipt.get("pages_scrubbed", True):
            QTimer.singleShot(SCRUB_RETRY_MS, self._scrub_again)
        self.heading.setText(f"Customer #{self.profile_id} erased")
        for section in receipt_sections(receipt.get("counts"), kept_orders(receipt)):
            if not section.lines:
                continue
            if self.receipt_list.count():
                self.receipt_list.addSpacing(8)
            self.receipt_list.addWidget(label(section.title, "SectionTitle"))
            for line in section.lines:
                self.receipt_list.addWidget(label(f"•  {line}"))
            if section.note:
                self.receipt_list.addWidget(label(section.note, "Faint", wrap=True))
        self.pages.setCurrentWidget(self.receipt_page)
        self.action_button.setStyleSheet("")
        theme.mark_primary(self.action_button)
        self.save_button.show()
        reference = receipt.get("reference")
        self.show_finished(f"Erasure receipt #{receipt.get('id')}" + (f" for request {reference}" if reference else "")
                           + f", {str(receipt.get('erased_at', ''))[:10]}.")
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show the whole receipt: it may be longer than the confirmation was."""
        self.layout().activate()
        needed = self.layout().totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def save_receipt(self) -> Path | None:
        return save_receipt(self, self.receipt, self.message) if self.receipt else None


# kind -> (title, explanation, button, what is done)
RESTRICT_TEXT = {
    "restrict": ("Restrict processing",
                 ("{name} stays in the vault but is left out of analytics and of every activation export until "
                  "you lift the restriction with Lift restriction… on the profile (Art. 18). Use it while a "
                  "correction or an objection is checked."),
                 "Restrict processing",
                 "Processing restricted: the customer is left out of analytics and activation exports."),
    "object": ("Objection to marketing",
               ("{name} gets no more marketing: every marketing purpose is marked as withdrawn, and this wins over "
                "older opt-ins in files imported later (Art. 21). The customer stays in the vault for orders and "
                "support."),
               "Record objection",
               ("Objection recorded: every marketing purpose is now withdrawn for this customer. c360 does not "
                "change your tools: unsubscribe the customer in your mailing tools too.")),
}
LIFT_TEXT = {
    "restrict": ("Lift the restriction",
                 ("The data of {name} is used again as before, in analytics and activation exports. Tell the customer "
                  "before you lift the restriction (Art. 18(3))."),
                 "Lift restriction",
                 "Restriction lifted: the customer's data is used again."),
    "object": ("Withdraw the objection",
               ("{name} no longer objects to direct marketing. Their marketing consent stays withdrawn: if they "
                "now agree to marketing, record it on the profile's Consent tab."),
               "Withdraw objection",
               ("Objection withdrawn. Marketing consent stays withdrawn until you record the customer's new "
                "consent.")),
}


class _ReasonDialog(_ActionDialog):
    """An explanation, a reason (kept with the change), one click; ``act(reason)`` makes the change."""

    def __init__(self, vault, profile_id: int, kind: str, texts: dict, request_id: int | None = None,
                 parent: QWidget | None = None):
        if kind not in texts:
            raise ValueError(f"kind must be one of {', '.join(texts)}")
        title, text, action, done_text = texts[kind]
        super().__init__(vault, profile_id, request_id, title, title, parent)
        self.kind, self.done_text = kind, done_text
        name = customer_name(vault, profile_id)
        self.body.addWidget(label(text.format(name=name[:1].upper() + name[1:]), "Muted", wrap=True))
        self.reason = QLineEdit()
        self.reason.setObjectName("RestrictionReason")
        self.reason.setPlaceholderText("e.g. asked by letter, ref. 2024-17")
        self.reason.textChanged.connect(lambda text: self.action_button.setEnabled(bool(text.strip())))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.addRow("Reason", self.reason)
        self.body.addLayout(form)
        self.action_button.setText(action)
        theme.mark_primary(self.action_button)
        self.action_button.setEnabled(False)
        self.action_button.clicked.connect(self.apply)
        self.finish_layout()

    def act(self, reason: str) -> None:
        raise NotImplementedError

    def apply(self) -> bool:
        reason = self.reason.text().strip()
        if not reason:
            self.message.show_error("Give a reason: it is kept with the restriction.")
            return False
        try:
            self.act(reason)
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return False
        self.reason.setEnabled(False)
        self.show_finished(self.done_text)
        return True


class RestrictDialog(_ReasonDialog):
    """Restriction (Art. 18) or objection to marketing (Art. 21): a reason, one click."""

    def __init__(self, vault, profile_id: int, kind: str, request_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(vault, profile_id, kind, RESTRICT_TEXT, request_id, parent)
        self.restriction_id: int | None = None

    def act(self, reason: str) -> None:
        record = restrict_processing if self.kind == "restrict" else object_to_marketing
        self.restriction_id = record(self._vault, self.profile_id, reason, request_id=self.request_id)


class LiftDialog(_ReasonDialog):
    """Lifting a restriction, or withdrawing an objection the owner recorded: a reason, one click."""

    def __init__(self, vault, profile_id: int, kind: str, parent: QWidget | None = None):
        super().__init__(vault, profile_id, kind, LIFT_TEXT, None, parent)
        self.lifted: list[int] = []

    def act(self, reason: str) -> None:
        self.lifted = lift_profile_restrictions(self._vault, self.profile_id, self.kind, reason)


# ---------------------------------------------------------------------------- what other screens call

def export_profile_dialog(parent, vault, profile_id: int, *, request_id: int | None = None) -> None:
    ExportDialog(vault, profile_id, request_id, parent).exec()


def erase_profile_dialog(parent, vault, profile_id: int, *, request_id: int | None = None,
                         reference: str | None = None) -> bool:
    """True if the customer was erased."""
    dialog = EraseDialog(vault, profile_id, request_id, reference, parent)
    dialog.exec()
    return dialog.receipt is not None


def restrict_profile_dialog(parent, vault, profile_id: int, kind: str, *, request_id: int | None = None) -> bool:
    """``kind`` is 'restrict' (Art. 18) or 'object' (Art. 21); True if it was recorded."""
    dialog = RestrictDialog(vault, profile_id, kind, request_id, parent)
    dialog.exec()
    return dialog.restriction_id is not None


def lift_restriction_dialog(parent, vault, profile_id: int, kind: str) -> bool:
    """Lift the profile's restriction ('restrict') or withdraw its objection ('object'); True if done."""
    dialog = LiftDialog(vault, profile_id, kind, parent)
    dialog.exec()
    return bool(dialog.lifted)
