"""Settings of the open vault: auto-lock, passphrase, recovery key, where the file is."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QSpinBox, QVBoxLayout, QWidget

from ..autolock import DEFAULT_MINUTES, SETTING_KEY
from ..dialogs.common import short_path, user_message
from ..dialogs.passphrase import ChangePassphraseDialog, ConfirmPassphraseDialog
from ..dialogs.recovery import RecoveryKeyDialog
from ..widgets import Card, MessageLabel, label
from .base import Page

MIN_MINUTES, MAX_MINUTES = 1, 240


def _section(title: str, text: str) -> tuple[Card, QVBoxLayout]:
    card = Card()
    layout = QVBoxLayout(card)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(10)
    layout.addWidget(label(title, "SectionTitle"))
    if text:
        layout.addWidget(label(text, "Muted", wrap=True))
    return card, layout


class SettingsPage(Page):
    key, title, icon_name = "settings", "Settings", "nav-settings.svg"
    subtitle = "Security and storage of this vault."

    auto_lock_changed = Signal(int)  # minutes

    def __init__(self, parent=None):
        super().__init__(parent)
        self._vault = None

        lock_card, lock_layout = _section(
            "Auto-lock", "When nobody uses c360 for a while, the vault is locked and the screen is cleared."
        )
        self.auto_lock_spin = QSpinBox()
        self.auto_lock_spin.setObjectName("AutoLockMinutes")
        self.auto_lock_spin.setRange(MIN_MINUTES, MAX_MINUTES)
        self.auto_lock_spin.setValue(DEFAULT_MINUTES)
        self.auto_lock_spin.setSuffix(" minutes")
        self.auto_lock_spin.setMinimumWidth(130)
        self.auto_lock_spin.valueChanged.connect(self._on_auto_lock_changed)
        row = QHBoxLayout()
        row.addWidget(label("Lock after"))
        row.addWidget(self.auto_lock_spin)
        row.addWidget(label("without activity"))
        row.addStretch(1)
        lock_layout.addLayout(row)

        key_card, key_layout = _section(
            "Passphrase and recovery key",
            "Changing the passphrase rewrites only the small key file beside the vault. "
            "The recovery key opens the vault if the passphrase is forgotten.",
        )
        self.change_button = QPushButton("Change passphrase…")
        self.change_button.setObjectName("ChangePassphraseButton")
        self.change_button.clicked.connect(self.change_passphrase)
        self.recovery_button = QPushButton("Show recovery key…")
        self.recovery_button.setObjectName("ShowRecoveryKeyButton")
        self.recovery_button.clicked.connect(self.show_recovery_key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        key_layout.addLayout(buttons)
        self.message = MessageLabel()
        key_layout.addWidget(self.message)

        vault_card, vault_layout = _section("This vault", "")
        self.location_label = label("", wrap=True)
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.schema_label = label("")
        self.created_label = label("")
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(6)
        form.addRow(label("Location", "Muted"), self.location_label)
        form.addRow(label("Created", "Muted"), self.created_label)
        form.addRow(label("Schema version", "Muted"), self.schema_label)
        vault_layout.addLayout(form)

        column = QWidget()
        column.setMaximumWidth(760)
        stack = QVBoxLayout(column)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(16)
        for card in (lock_card, key_card, vault_card):
            stack.addWidget(card)
        self.body.addWidget(column)
        self.body.addStretch(1)

    # ------------------------------------------------------------------ lifecycle

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.message.clear()
        minutes = vault.setting(SETTING_KEY, DEFAULT_MINUTES)
        try:
            minutes = int(minutes)
        except (TypeError, ValueError):
            minutes = DEFAULT_MINUTES
        self.auto_lock_spin.blockSignals(True)
        self.auto_lock_spin.setValue(max(MIN_MINUTES, min(MAX_MINUTES, minutes)))
        self.auto_lock_spin.blockSignals(False)
        self.location_label.setText(short_path(vault.path))
        self.location_label.setToolTip(str(vault.path))
        self.schema_label.setText(str(vault.schema_version))
        created = vault.meta("created_at") or ""
        self.created_label.setText(created[:10])

    def on_locked(self) -> None:
        self._vault = None
        self.message.clear()
        for text_label in (self.location_label, self.schema_label, self.created_label):
            text_label.clear()

    def auto_lock_minutes(self) -> int:
        return self.auto_lock_spin.value()

    def _on_auto_lock_changed(self, minutes: int) -> None:
        if self._vault is None or not self._vault.is_open:
            return
        try:
            self._vault.set_setting(SETTING_KEY, int(minutes))
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return
        self.auto_lock_changed.emit(int(minutes))

    # ------------------------------------------------------------------ passphrase and recovery key

    def change_passphrase(self) -> ChangePassphraseDialog | None:
        if self._vault is None:
            return None
        dialog = ChangePassphraseDialog(self._vault, self.window())
        dialog.accepted.connect(
            lambda: self.message.show_success("Passphrase changed. Use the new one the next time you unlock.")
        )
        dialog.open()
        return dialog

    def show_recovery_key(self) -> ConfirmPassphraseDialog | None:
        if self._vault is None:
            return None
        dialog = ConfirmPassphraseDialog(
            self._vault, "Type your passphrase to show the recovery key.", "Show recovery key", self.window()
        )
        dialog.accepted.connect(self._reveal_recovery_key)
        dialog.open()
        return dialog

    def _reveal_recovery_key(self) -> None:
        vault = self._vault
        if vault is None or not vault.is_open:
            return
        try:
            key = vault.recovery_key()
            vault.audit("recovery_key_shown", {})
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return
        dialog = RecoveryKeyDialog(key, vault.path, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
