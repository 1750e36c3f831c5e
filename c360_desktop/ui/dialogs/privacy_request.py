"""The requests tracker's dialogs: open a request (and link the person's profiles), extend it, close it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...core.privacy.requests import (
    EXTENSION_MONTHS,
    REQUEST_KINDS,
    RESPONSE_MONTHS,
    add_months,
    close_request,
    extend_request,
    open_request,
)
from .. import icons, theme
from ..models.privacy_requests import day_text
from ..widgets import MessageLabel, label
from .common import user_message
from .privacy_find import CandidateSearch

EARLIEST = QDate(2000, 1, 1)


def date_edit(name: str, *, any_text: str = "") -> QDateEdit:
    """A calendar date field in the theme's look; with ``any_text`` its earliest date reads as "any"."""
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(EARLIEST)
    edit.setMaximumDate(QDate.currentDate())
    edit.setMinimumWidth(130)
    if any_text:
        edit.setSpecialValueText(any_text)
        edit.setDate(EARLIEST)
    else:
        edit.setDate(QDate.currentDate())
    chevron = icons.icon_path("chevron-down.svg").as_posix()
    edit.setStyleSheet(
        f"QDateEdit {{ padding: 6px 8px; border: 1px solid {theme.BORDER_STRONG}; border-radius: 6px; "
        f"background: {theme.SURFACE}; }} QDateEdit:focus {{ border-color: {theme.ACCENT}; }}"
        f"QDateEdit::drop-down {{ border: none; width: 24px; }}"
        f"QDateEdit::down-arrow {{ image: url(\"{chevron}\"); width: 14px; height: 14px; }}")
    return edit


def chosen_day(edit: QDateEdit) -> date | None:
    """The date shown, or None while the field reads "any"."""
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return edit.date().toPython()


class _RequestDialog(QDialog):
    """A heading, an explanation, a form, a message line, and Cancel / one primary button."""

    def __init__(self, vault, window_title: str, heading: str, text: str, action: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{window_title} – c360")
        self.setMinimumWidth(520)
        self._vault = vault
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(26, 22, 26, 20)
        self.body.setSpacing(12)
        self.body.addWidget(label(heading, "DialogTitle"))
        if text:
            self.body.addWidget(label(text, "Muted", wrap=True))
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.body.addLayout(self.form)
        self.message = MessageLabel()
        self.ok_button = theme.mark_primary(QPushButton(action))
        self.ok_button.setObjectName("RequestOk")
        self.ok_button.clicked.connect(self.submit)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(cancel)
        self.buttons.addWidget(self.ok_button)

    def finish_layout(self) -> None:
        self.body.addWidget(self.message)
        self.body.addLayout(self.buttons)

    def submit(self) -> bool:
        try:
            self.apply()
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return False
        self.accept()
        return True

    def apply(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class NewRequestDialog(_RequestDialog):
    """Kind, reference, date received, and optionally the customer profiles it concerns."""

    def __init__(self, vault, parent: QWidget | None = None, *, kind: str = "access"):
        super().__init__(vault, "New request", "New data-subject request",
                         "Write down each request the day it arrives: the answer is due one month later. "
                         "The reference is your own ticket or letter number, never the person's name or email.",
                         "Open request", parent)
        self.setMinimumSize(820, 600)
        self.request_id: int | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("RequestKind")
        for key, text in REQUEST_KINDS.items():
            self.kind.addItem(text, key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.reference = QLineEdit()
        self.reference.setObjectName("RequestReference")
        self.reference.setPlaceholderText("e.g. ticket 4821 or letter 2024-07")
        self.received = date_edit("RequestReceived")
        self.received.dateChanged.connect(lambda _d: self._show_due())
        self.due = label("", "Muted")
        received_row = QHBoxLayout()
        received_row.setSpacing(12)
        received_row.addWidget(self.received)
        received_row.addWidget(self.due, 1)
        self.form.addRow("Kind", self.kind)
        self.form.addRow("Reference", self.reference)
        self.form.addRow("Received", received_row)
        self.body.addSpacing(4)
        self.body.addWidget(label("Who is it? (optional)", "SectionTitle"))
        self.search = CandidateSearch(checkable=True, name="RequestCandidates")
        self.body.addWidget(self.search, 1)
        self.search.set_vault(vault)
        self.finish_layout()
        self._show_due()
        self.reference.setFocus()

    def set_received(self, day: date) -> None:
        self.received.setDate(QDate(day.year, day.month, day.day))

    def _show_due(self) -> None:
        due = add_months(self.received.date().toPython(), RESPONSE_MONTHS)
        days = (due - date.today()).days
        when = f"{abs(days)} days overdue" if days < 0 else "due today" if days == 0 else f"{days} days from today"
        self.due.setText(f"Answer due {due.isoformat()} ({when})")

    def apply(self) -> None:
        self.request_id = open_request(self._vault, self.kind.currentData(), self.reference.text(),
                                       received_at=self.received.date().toPython(),
                                       profile_ids=self.search.checked_ids())


class ExtendDialog(_RequestDialog):
    """Two further months (Art. 12(3)), once, with the reason the person must be told."""

    def __init__(self, vault, request, parent: QWidget | None = None):
        new_due = add_months(date.fromisoformat(day_text(request.received_at)), RESPONSE_MONTHS + EXTENSION_MONTHS)
        super().__init__(vault, "Extend request", f"Extend request {request.reference}",
                         f"The law allows {EXTENSION_MONTHS} more months once, for a complex request or many "
                         f"requests at a time. Tell the person why within the first month. The answer will be "
                         f"due {new_due.isoformat()}.", "Extend", parent)
        self.request = request
        self.reason = QLineEdit()
        self.reason.setObjectName("ExtendReason")
        self.reason.setPlaceholderText("e.g. data spread over many tools; told the person on …")
        self.form.addRow("Reason", self.reason)
        self.finish_layout()

    def apply(self) -> None:
        extend_request(self._vault, self.request.id, self.reason.text())


class CloseDialog(_RequestDialog):
    """Done, or refused with the reason the person must be told."""

    def __init__(self, vault, request, parent: QWidget | None = None):
        super().__init__(vault, "Close request", f"Close request {request.reference}",
                         "Close the request once you have answered the person. A refusal needs the reason you "
                         "gave them (they may complain to the supervisory authority).", "Close request", parent)
        self.request = request
        self.done_choice = QRadioButton("Done: answered and carried out")
        self.done_choice.setObjectName("CloseDone")
        self.done_choice.setChecked(True)
        self.refused_choice = QRadioButton("Refused")
        self.refused_choice.setObjectName("CloseRefused")
        group = QButtonGroup(self)
        group.addButton(self.done_choice)
        group.addButton(self.refused_choice)
        self.note = QLineEdit()
        self.note.setObjectName("CloseNote")
        self.note.setPlaceholderText("Optional for done; required for a refusal")
        choices = QVBoxLayout()
        choices.setSpacing(4)
        choices.addWidget(self.done_choice)
        choices.addWidget(self.refused_choice)
        self.form.addRow("Outcome", choices)
        self.form.addRow("Note", self.note)
        self.finish_layout()

    def apply(self) -> None:
        close_request(self._vault, self.request.id, "refused" if self.refused_choice.isChecked() else "done",
                      self.note.text())
