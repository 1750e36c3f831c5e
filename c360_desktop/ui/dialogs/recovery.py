"""The recovery key: showing it (after creation, or from Settings) and using it to get back in."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.vault import Vault
from .. import icons, theme
from ..tasks import run_in_background
from ..widgets import BusyBar, MessageLabel, label
from .common import (
    CLIPBOARD_CLEAR_SECONDS,
    NewPassphraseFields,
    align_form_labels,
    choose_text_file_to_save,
    copy_secret,
    short_path,
    user_message,
)

GROUPS_PER_LINE = 4


def format_key_for_display(key: str) -> str:
    groups = key.split("-")
    lines = ["-".join(groups[i : i + GROUPS_PER_LINE]) for i in range(0, len(groups), GROUPS_PER_LINE)]
    return "\n".join(lines)


def write_recovery_key_file(target: Path, key: str, vault_path: Path) -> None:
    """A small text file, readable by its owner only."""
    text = (
        "c360 recovery key\n"
        f"Vault: {vault_path.name}\n"
        f"Written: {date.today().isoformat()}\n\n"
        f"{key}\n\n"
        "Anyone with this key and the vault file can read the vault. Keep it offline and private.\n"
    )
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


class RecoveryKeyWidget(QWidget):
    """The key in large monospace type, Copy and Save to file…, and (if asked) "I have stored it safely"."""

    done = Signal()

    def __init__(self, key: str, vault_path: Path, *, require_ack: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self._key = key
        self._vault_path = Path(vault_path)
        title = "Store your recovery key" if require_ack else "Your recovery key"
        intro = (
            "If you ever forget your passphrase, this key is the only way back into the vault. "
            "Print it or keep it in a password manager, away from this computer. "
            "Anyone who has it and the vault file can read your customer data."
        )
        self.key_label = label(format_key_for_display(key), "RecoveryKey")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._copy)
        self.save_button = QPushButton("Save to file…")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._save)
        self.note = MessageLabel()
        self.stored_check = QCheckBox("I have stored it safely")
        self.done_button = theme.mark_primary(QPushButton("Continue" if require_ack else "Done"))
        self.done_button.clicked.connect(self.done)
        if require_ack:
            self.done_button.setEnabled(False)
            self.stored_check.toggled.connect(self.done_button.setEnabled)
        else:
            self.stored_check.hide()

        actions = QHBoxLayout()
        actions.addWidget(self.copy_button)
        actions.addWidget(self.save_button)
        actions.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.stored_check)
        bottom.addStretch(1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label(title, "DialogTitle"))
        layout.addWidget(label(intro, "Muted", wrap=True))
        layout.addWidget(self.key_label)
        layout.addLayout(actions)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addLayout(bottom)

    @property
    def key(self) -> str:
        return self._key

    def _copy(self) -> None:
        copy_secret(self._key)
        self.note.show_info(f"Copied. The clipboard will be cleared in {CLIPBOARD_CLEAR_SECONDS} seconds.")

    def _save(self) -> None:
        suggested = Path.home() / f"{self._vault_path.stem}-recovery-key.txt"
        target = choose_text_file_to_save(self, suggested)
        if target is None:
            return
        try:
            write_recovery_key_file(target, self._key, self._vault_path)
        except OSError as exc:
            self.note.show_error(user_message(exc))
            return
        self.note.show_success(f"Saved to {short_path(target)}. Move it somewhere safe, off this computer.")


class RecoveryKeyDialog(QDialog):
    """Settings > Show recovery key…"""

    def __init__(self, key: str, vault_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Recovery key – c360")
        self.key_widget = RecoveryKeyWidget(key, vault_path, require_ack=False)
        self.key_widget.done.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.addWidget(self.key_widget)
        self.setMinimumWidth(560)


class RecoverVaultDialog(QDialog):
    """Open a vault with its recovery key and set a new passphrase. ``vault`` is set when accepted."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Use recovery key – c360")
        self.setWindowIcon(icons.app_icon())
        self.path = Path(path)
        self.vault: Vault | None = None
        self._busy = False
        self._abandoned = False

        self.key_edit = QLineEdit()
        self.key_edit.setPlaceholderText("XXXXX-XXXXX-XXXXX-…")
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.key_edit.setFont(mono)
        self.fields = NewPassphraseFields("New passphrase")
        self.fields.changed.connect(self._update)
        self.key_edit.textChanged.connect(self._update)
        self.message = MessageLabel()
        self.busy = BusyBar()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.recover_button = theme.mark_primary(QPushButton("Unlock with recovery key"))
        self.recover_button.clicked.connect(self.try_recover)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Recovery key", self.key_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.recover_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.setSpacing(12)
        layout.addWidget(label("Use your recovery key", "DialogTitle"))
        layout.addWidget(
            label(
                f"Unlock {self.path.name} with the recovery key you stored when you created it, "
                "then choose a new passphrase. The old passphrase stops working.",
                "Muted",
                wrap=True,
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.fields)
        align_form_labels(form, self.fields.form)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(580)
        self._update()

    def _update(self, *_args) -> None:
        problem = self.fields.problem()
        if problem:
            self.message.show_error(problem)
        elif not self._busy:
            self.message.clear()
        self.recover_button.setEnabled(not self._busy and problem is None and bool(self.key_edit.text().strip()))

    def try_recover(self) -> None:
        problem = self.fields.problem(final=True)
        if not self.key_edit.text().strip():
            problem = "Type the recovery key."
        if problem:
            self.message.show_error(problem)
            return
        key, secret, path = self.key_edit.text(), self.fields.passphrase(), self.path
        self._busy = True
        self.busy.start()
        self.message.show_info("Checking the recovery key…")
        self._update()
        run_in_background(lambda: Vault.recover(path, key, secret), self._on_recovered, self._on_failed)

    def _on_recovered(self, vault: Vault) -> None:
        self._busy = False
        self.busy.stop()
        if self._abandoned:
            vault.close(reason="cancelled")
            return
        self.vault = vault
        self.key_edit.clear()
        self.fields.wipe()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.stop()
        self._update()
        self.message.show_error(user_message(exc))

    def reject(self) -> None:
        self._abandoned = True
        super().reject()
