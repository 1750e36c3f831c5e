"""Pieces the vault dialogs share: new-passphrase fields, file choosers, error wording, clipboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QFormLayout, QVBoxLayout, QWidget

from ...core.errors import C360Error, storage_error
from ..widgets import PassphraseEdit, StrengthMeter

VAULT_FILTER = "c360 vaults (*.c360);;All files (*)"
CLIPBOARD_CLEAR_SECONDS = 60


def user_message(exc: BaseException) -> str:
    """What to show for an exception: the core's own words, or a plain sentence, never a traceback."""
    if isinstance(exc, C360Error):
        return str(exc)
    storage = storage_error(exc)
    if storage is not None:
        return str(storage)
    if isinstance(exc, PermissionError):
        return "c360 is not allowed to read or write that file. Check its permissions and try again."
    if isinstance(exc, OSError):
        reason = exc.strerror or "input/output error"
        return f"The file could not be used ({reason}). Nothing was changed."
    return f"Something unexpected went wrong ({type(exc).__name__}). Nothing was changed; please try again."


def short_path(path: Path) -> str:
    """``~/…`` for paths in the home folder."""
    try:
        return "~/" + str(Path(path).resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError):
        return str(path)


# These three are module functions so tests can replace them instead of driving native dialogs.
def choose_vault_to_open(parent: QWidget | None, start: Path | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Open a c360 vault", str(start or Path.home()), VAULT_FILTER)
    return Path(name) if name else None


def choose_new_vault_path(parent: QWidget | None, start: Path | None) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Create the vault file", str(start or Path.home()), VAULT_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".c360")


def choose_text_file_to_save(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Save the recovery key", str(suggested), "Text files (*.txt)")
    return Path(name) if name else None


def copy_secret(text: str, seconds: int = CLIPBOARD_CLEAR_SECONDS) -> None:
    """Copy ``text`` and clear the clipboard after ``seconds`` if it still holds it."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)

    def clear_if_unchanged() -> None:
        if clipboard.text() == text:
            clipboard.clear()

    QTimer.singleShot(seconds * 1000, QGuiApplication.instance(), clear_if_unchanged)


def align_form_labels(*forms: QFormLayout) -> None:
    """Give every label of these stacked forms the same width, so their fields line up."""
    labels = []
    for form in forms:
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None:
                labels.append(item.widget())
    if labels:
        width = max(lbl.sizeHint().width() for lbl in labels)
        for lbl in labels:
            lbl.setMinimumWidth(width)


class NewPassphraseFields(QWidget):
    """A new passphrase typed twice, with the live strength meter. ``problem()`` says what blocks it."""

    changed = Signal()

    def __init__(self, first_label: str = "Passphrase", parent: QWidget | None = None):
        super().__init__(parent)
        self.first = PassphraseEdit("A few unrelated words work well")
        self.second = PassphraseEdit("Type it again")
        self.meter = StrengthMeter()
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(14)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(first_label, self.first)
        form.addRow("", self.meter)
        form.addRow("Repeat", self.second)
        self.form = form
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        self.first.textChanged.connect(self._on_first_changed)
        self.second.textChanged.connect(lambda _text: self.changed.emit())

    def _on_first_changed(self, text: str) -> None:
        self.meter.update_for(text)
        self.changed.emit()

    def passphrase(self) -> str:
        return self.first.text()

    def problem(self, *, final: bool = False) -> str | None:
        """Why this passphrase cannot be used yet: None when it can, "" when it is not ready
        but there is nothing to say yet (the user is still typing the repeat), else a sentence.

        When the user presses the button (``final=True``) every gap gets a sentence.
        """
        text, again = self.first.text(), self.second.text()
        if not text:
            return "Choose a passphrase." if final else ""
        strength = self.meter.current(text)
        if not strength.acceptable:
            return f"This passphrase is too weak ({strength.label.lower()}) to protect customer data. See the advice above."
        if not again:
            return "Type the passphrase a second time to confirm it." if final else ""
        if again != text:
            if not final and text.startswith(again):
                return ""
            return "The two passphrases do not match."
        return None

    def wipe(self) -> None:
        self.first.wipe()
        self.second.wipe()
        self.meter.assess_now("")
