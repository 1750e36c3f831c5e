"""Settings dialogs that need the passphrase: change it, or confirm it before showing the recovery key."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...core.vault import Vault
from .. import theme
from ..tasks import run_in_background
from ..widgets import BusyBar, MessageLabel, PassphraseEdit, label
from .common import NewPassphraseFields, align_form_labels, user_message


class _PassphraseDialog(QDialog):
    def __init__(self, title: str, heading: str, intro: str, action: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(f"{title} – c360")
        self._busy = False
        self.current = PassphraseEdit("Your current passphrase")
        self.message = MessageLabel()
        self.busy = BusyBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = theme.mark_primary(QPushButton(action))
        self.ok_button.clicked.connect(self.submit)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(14)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.form.addRow("Current", self.current)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.ok_button)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(28, 24, 28, 22)
        self.body.setSpacing(12)
        self.body.addWidget(label(heading, "DialogTitle"))
        self.body.addWidget(label(intro, "Muted", wrap=True))
        self.body.addLayout(self.form)
        self.setMinimumWidth(520)

    def finish_layout(self) -> None:
        self.body.addWidget(self.busy)
        self.body.addWidget(self.message)
        self.body.addLayout(self.buttons)

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _start(self, fn, info: str) -> None:
        self._busy = True
        self.busy.start()
        self.message.show_info(info)
        self.ok_button.setEnabled(False)
        run_in_background(fn, self._on_done, self._on_failed)

    def _on_done(self, _result) -> None:
        self._busy = False
        self.busy.stop()
        self.current.wipe()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.stop()
        self.ok_button.setEnabled(True)
        self.current.wipe()
        self.current.setFocus()
        self.message.show_error(user_message(exc))


class ChangePassphraseDialog(_PassphraseDialog):
    """Current passphrase, new one twice with the strength meter → ``vault.change_passphrase``."""

    def __init__(self, vault: Vault, parent: QWidget | None = None):
        super().__init__(
            "Change passphrase",
            "Change passphrase",
            "Only the small key file beside the vault is rewritten; your data stays as it is. "
            "Your recovery key keeps working.",
            "Change passphrase",
            parent,
        )
        self._vault = vault
        self.fields = NewPassphraseFields("New")
        self.fields.changed.connect(self._update)
        self.body.addWidget(self.fields)
        align_form_labels(self.form, self.fields.form)
        self.finish_layout()
        self._update()

    def _update(self, *_args) -> None:
        if self._busy:
            return
        problem = self.fields.problem()
        if problem:
            self.message.show_error(problem)
        else:
            self.message.clear()
        self.ok_button.setEnabled(problem is None)

    def submit(self) -> None:
        if self._busy:
            return
        problem = self.fields.problem(final=True)
        if not self.current.text():
            problem = "Type your current passphrase."
        elif problem is None and self.fields.passphrase() == self.current.text():
            problem = "The new passphrase is the same as the current one."
        if problem:
            self.message.show_error(problem)
            return
        vault, old, new = self._vault, self.current.text(), self.fields.passphrase()
        self.fields.wipe()
        self._start(lambda: vault.change_passphrase(old, new), "Changing the passphrase…")


class ConfirmPassphraseDialog(_PassphraseDialog):
    """Asks the passphrase again before something sensitive (showing the recovery key)."""

    def __init__(self, vault: Vault, intro: str, action: str = "Continue", parent: QWidget | None = None):
        super().__init__("Confirm passphrase", "Confirm it is you", intro, action, parent)
        self._vault = vault
        self.current.returnPressed.connect(self.submit)
        self.finish_layout()

    def submit(self) -> None:
        if self._busy:
            return
        secret = self.current.text()
        if not secret:
            self.message.show_error("Type your passphrase.")
            return
        vault = self._vault
        self._start(lambda: vault.verify_passphrase(secret), "Checking…")
