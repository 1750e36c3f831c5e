"""Creating a vault: location, passphrase twice with a strength meter, then the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.vault import Vault, key_path_for
from .. import icons, theme
from ..tasks import run_in_background
from ..widgets import BusyBar, MessageLabel, label
from .common import NewPassphraseFields, align_form_labels, choose_new_vault_path, user_message
from .recovery import RecoveryKeyWidget

INTRO = (
    "Everything c360 knows about your customers is kept in one encrypted file on this computer. "
    "Only your passphrase, or the recovery key you will get next, can open it."
)


class CreateVaultDialog(QDialog):
    """Page 1 asks; page 2 shows the recovery key. ``vault`` is the new, open vault once accepted.

    Create stays disabled, with the reason shown, while the passphrases differ
    or the passphrase is too weak; ``try_create`` checks again and refuses.
    """

    def __init__(self, path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Create a vault – c360")
        self.setWindowIcon(icons.app_icon())
        self.vault: Vault | None = None
        self.recovery_widget: RecoveryKeyWidget | None = None
        self._busy = False
        self._abandoned = False

        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.textChanged.connect(self._update)
        self.browse_button = QPushButton("Choose…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.setSpacing(8)
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.fields = NewPassphraseFields("Passphrase")
        self.fields.changed.connect(self._update)
        self.reason = MessageLabel()
        self.busy = BusyBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button = theme.mark_primary(QPushButton("Create vault"))
        self.create_button.clicked.connect(self.try_create)
        self.fields.second.returnPressed.connect(self.try_create)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Location", path_row)
        self._location_form = form
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)

        self.form_page = QWidget()
        page = QVBoxLayout(self.form_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(12)
        page.addWidget(label("Create a vault", "DialogTitle"))
        page.addWidget(label(INTRO, "Muted", wrap=True))
        page.addSpacing(4)
        page.addLayout(form)
        page.addWidget(self.fields)
        page.addWidget(self.busy)
        page.addWidget(self.reason)
        page.addStretch(1)
        page.addLayout(buttons)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.form_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.addWidget(self.stack)
        self.setMinimumWidth(600)
        align_form_labels(self._location_form, self.fields.form)
        self._update()
        self.fields.first.setFocus()

    # ------------------------------------------------------------------ checks

    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text).expanduser() if text else None

    def problem(self, *, final: bool = False) -> str | None:
        """Why Create is not possible now (None: it is; "": not yet, nothing to say)."""
        path = self.path()
        if path is None:
            return "Choose where to save the vault."
        if path.exists() or key_path_for(path).exists():
            return f"A file named {path.name} already exists there. Choose another name, or open that vault instead."
        if path.is_dir():
            return "That is a folder; add a file name such as shop.c360."
        return self.fields.problem(final=final)

    def _update(self, *_args) -> None:
        if self._busy:
            return
        problem = self.problem()
        if problem:
            self.reason.show_error(problem)
        else:
            self.reason.clear()
        self.create_button.setEnabled(problem is None)

    def _browse(self) -> None:
        current = self.path()
        chosen = choose_new_vault_path(self, current.parent if current else None)
        if chosen is not None:
            self.path_edit.setText(str(chosen))

    # ------------------------------------------------------------------ creating

    def try_create(self) -> bool:
        """Create the vault in the background; False (with the reason shown) when refused."""
        if self._busy:
            return False
        problem = self.problem(final=True)
        if problem is not None:
            self.reason.show_error(problem)
            self.create_button.setEnabled(False)
            return False
        path, secret = self.path(), self.fields.passphrase()
        self._busy = True
        self.busy.start()
        self.reason.show_info("Creating the vault…")
        for widget in (self.create_button, self.path_edit, self.browse_button, self.fields):
            widget.setEnabled(False)
        run_in_background(lambda: Vault.create(path, secret), self._on_created, self._on_failed)
        return True

    def _on_created(self, result) -> None:
        vault, recovery_key = result
        self._busy = False
        self.busy.stop()
        self.fields.wipe()
        if self._abandoned:
            vault.close(reason="cancelled")
            return
        self.vault = vault
        self.recovery_widget = RecoveryKeyWidget(recovery_key, vault.path, require_ack=True)
        self.recovery_widget.done.connect(self.accept)
        self.stack.addWidget(self.recovery_widget)
        self.stack.setCurrentWidget(self.recovery_widget)
        self.setWindowTitle("Recovery key – c360")

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.stop()
        for widget in (self.path_edit, self.browse_button, self.fields):
            widget.setEnabled(True)
        self._update()
        self.reason.show_error(user_message(exc))

    def reject(self) -> None:
        if self.vault is not None:
            # The vault exists now; leaving early must not lose it, only ask for the acknowledgement.
            if self.recovery_widget is not None and not self.recovery_widget.stored_check.isChecked():
                self.recovery_widget.note.show_error("Tick “I have stored it safely” once the key is stored.")
                return
            self.accept()
            return
        self._abandoned = True
        super().reject()
