"""The profile's small editing dialogs: correct a field, add a note or a tag, record a consent statement.

Each asks for the change and the reason (kept with it and required by the core). The dialog only
collects; the profile panel writes on the vault worker and answers with ``succeed()`` or ``fail(text)``,
so a refused value (an email that is not one) is explained without losing what was typed.
Fields never come prefilled with a personal value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.privacy.consent import STATUSES
from .. import theme
from ..widgets import BusyBar, MessageLabel, label
from .common import align_form_labels

STATUS_WORDS = {"granted": "Granted", "denied": "Denied", "withdrawn": "Withdrawn", "unknown": "Unknown"}
LEGAL_BASIS_WORDS = {"consent": "Consent", "contract": "Contract", "legal_obligation": "Legal obligation",
                     "legitimate_interest": "Legitimate interest"}


class ProfileEditDialog(QDialog):
    """A title, a few inputs, a required reason; ``submitted`` carries the values."""

    submitted = Signal(dict)

    def __init__(self, parent: QWidget | None, title: str, intro: str, ok_text: str):
        super().__init__(parent)
        self.setWindowTitle(f"{title} – c360")
        self.setMinimumWidth(500)
        self.inputs: dict[str, QWidget] = {}
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.reason = QLineEdit()
        self.reason.setObjectName("ReasonEdit")
        self.reason.setPlaceholderText("Why (kept with the change and shown in its history)")
        self.message = MessageLabel()
        self.busy = BusyBar()
        self.ok_button = theme.mark_primary(QPushButton(ok_text))
        self.ok_button.setObjectName("OkButton")
        self.ok_button.clicked.connect(self._submit)
        cancel = QPushButton("Cancel")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(label(title, "DialogTitle"))
        layout.addWidget(label(intro, "Muted", wrap=True))
        layout.addLayout(self.form)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def add_input(self, key: str, caption: str, widget: QWidget) -> QWidget:
        widget.setObjectName(f"{key.title().replace('_', '')}Input")
        self.inputs[key] = widget
        self.form.addRow(caption, widget)
        return widget

    def finish_form(self) -> None:
        self.form.addRow("Reason", self.reason)
        align_form_labels(self.form)

    def values(self) -> dict:
        found = {"reason": self.reason.text().strip()}
        for key, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                found[key] = widget.currentData()
            elif isinstance(widget, QPlainTextEdit):
                found[key] = widget.toPlainText().strip()
            else:
                found[key] = widget.text().strip()
        return found

    def has_typing(self) -> bool:
        """Something was typed (a choice alone is not worth keeping when the vault locks)."""
        values = self.values()
        typed = [key for key, widget in self.inputs.items() if isinstance(widget, (QLineEdit, QPlainTextEdit))]
        return any(values[key] for key in [*typed, "reason"])

    def fill(self, values: dict) -> None:
        """Put back what was typed and chosen (``values()`` of an earlier dialog)."""
        self.reason.setText(str(values.get("reason") or ""))
        for key, widget in self.inputs.items():
            if key not in values:
                continue
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(widget.findData(values[key]))   # -1 (none) if the choice is gone
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(values[key] or ""))
            else:
                widget.setText(str(values[key] or ""))

    def _submit(self) -> None:
        values = self.values()
        missing = next((k for k, v in values.items() if v in ("", None)), None)
        if missing is not None:
            self.fail("Give a reason for this change (it is kept with it)." if missing == "reason"
                      else "Fill in every field first.")
            return
        self.message.clear()
        self.busy.start()
        self.ok_button.setEnabled(False)
        self.submitted.emit(values)

    def fail(self, text: str) -> None:
        self.busy.stop()
        self.ok_button.setEnabled(True)
        self.message.show_error(text)

    def succeed(self) -> None:
        self.busy.stop()
        self.accept()


def correction_dialog(parent: QWidget | None, fields: dict[str, str], field_key: str | None) -> ProfileEditDialog:
    """Correct a golden field: ``fields`` is key -> label."""
    dialog = ProfileEditDialog(
        parent, "Correct a field",
        "Your correction wins over every imported value until you withdraw it; the imported values are kept "
        "beside it. This is recorded in the audit log.", "Save correction")
    combo = QComboBox()
    for key, text in fields.items():
        combo.addItem(text, key)
    combo.setCurrentIndex(max(0, combo.findData(field_key)))
    dialog.add_input("field", "Field", combo)
    value = QLineEdit()
    value.setPlaceholderText("The correct value")
    dialog.add_input("value", "Correct value", value)
    dialog.finish_form()
    value.setFocus()
    return dialog


def note_dialog(parent: QWidget | None, kind: str) -> ProfileEditDialog:
    """Add a note (free text) or a tag (a short label the list can filter on)."""
    if kind == "tag":
        dialog = ProfileEditDialog(parent, "Add a tag", "A short label, such as “wholesale” or “vip”. "
                                   "The customer list can be filtered by tag.", "Add tag")
        text = QLineEdit()
        text.setMaxLength(40)
        text.setPlaceholderText("tag")
    else:
        dialog = ProfileEditDialog(parent, "Add a note", "Notes are kept in the vault with this customer and "
                                   "erased with them.", "Add note")
        text = QPlainTextEdit()
        text.setFixedHeight(90)
    dialog.add_input("text", "Tag" if kind == "tag" else "Note", text)
    dialog.finish_form()
    text.setFocus()
    return dialog


def consent_dialog(parent: QWidget | None, purpose_label: str, current: str) -> ProfileEditDialog:
    """Record the owner's own consent statement (the customer said so by phone, in the shop…)."""
    dialog = ProfileEditDialog(
        parent, f"Change consent: {purpose_label}",
        "Record what the customer told you. The statement is dated now, kept in the consent history with "
        "your reason, and wins over older statements from your tools.", "Record statement")
    status = QComboBox()
    for value in STATUSES:
        status.addItem(STATUS_WORDS[value], value)
    status.setCurrentIndex(max(0, status.findData(current)))
    dialog.add_input("status", "Status", status)
    basis = QComboBox()
    for value, text in LEGAL_BASIS_WORDS.items():
        basis.addItem(text, value)
    dialog.add_input("legal_basis", "Legal basis", basis)
    dialog.finish_form()
    dialog.reason.setFocus()
    return dialog


# Module functions so tests can replace them instead of driving a modal box.
def confirm(parent: QWidget | None, title: str, text: str, ok_text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    ok = box.addButton(ok_text, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
