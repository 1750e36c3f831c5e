"""Unlocking a vault: the panel (used by the start-up dialog and by the lock screen) and the dialog."""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.vault import Vault
from .. import icons, theme
from ..settings import RecentVaults
from ..tasks import run_in_background
from ..widgets import BusyBar, MessageLabel, PassphraseEdit, label
from .common import choose_vault_to_open, short_path, user_message


class UnlockPanel(QWidget):
    """Vault chooser, passphrase, Unlock. Emits ``unlocked(vault)`` with the opened ``Vault``.

    The passphrase is handed to ``Vault.open`` on a worker thread and the field
    is wiped straight after. After repeated failures the core asks us to wait:
    the Unlock button then counts down.
    """

    unlocked = Signal(object)
    create_requested = Signal()
    recover_requested = Signal(object)  # Path
    path_changed = Signal(object)  # Path

    def __init__(
        self,
        path: Path | None,
        *,
        title: str = "Unlock your vault",
        subtitle: str = "Enter your passphrase to open your customer data.",
        recent: RecentVaults | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._recent = recent or RecentVaults()
        self._busy = False
        self._abandoned = False
        self._wait_until = 0.0

        logo = QLabel()
        logo.setPixmap(icons.app_pixmap(56))
        logo.setFixedSize(56, 56)
        self.title = label(title, "DialogTitle")
        self.subtitle = label(subtitle, "Muted", wrap=True)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.vault_combo = QComboBox()
        self.vault_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.vault_combo.setMinimumContentsLength(24)
        self.vault_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.vault_combo.setToolTip("Recently opened vaults (only their file locations are remembered)")
        self.vault_combo.currentIndexChanged.connect(self._on_path_selected)
        self.open_other_button = theme.mark_link(QPushButton("Open another vault…"))
        self.open_other_button.clicked.connect(self._choose_other)
        vault_heading = QHBoxLayout()
        vault_heading.addWidget(label("Vault", "SectionTitle"))
        vault_heading.addStretch(1)
        vault_heading.addWidget(self.open_other_button)

        self.passphrase = PassphraseEdit("Passphrase")
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.message = MessageLabel()
        self.busy = BusyBar()

        self.unlock_button = theme.mark_primary(QPushButton("Unlock"))
        self.unlock_button.setMinimumWidth(120)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.recover_button = theme.mark_link(QPushButton("Use recovery key…"))
        self.recover_button.clicked.connect(lambda: self.recover_requested.emit(self.current_path()))
        self.create_button = theme.mark_link(QPushButton("Create a new vault…"))
        self.create_button.clicked.connect(self.create_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        buttons.addWidget(self.recover_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(vault_heading)
        layout.addWidget(self.vault_combo)
        layout.addSpacing(4)
        layout.addWidget(label("Passphrase", "SectionTitle"))
        layout.addWidget(self.passphrase)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addSpacing(6)
        layout.addLayout(buttons)

        self._countdown = QTimer(self)
        self._countdown.setInterval(250)
        self._countdown.timeout.connect(self._tick)
        self.set_path(path)

    # ------------------------------------------------------------------ vault choice

    def current_path(self) -> Path | None:
        data = self.vault_combo.currentData()
        return Path(data) if data else None

    def set_path(self, path: Path | None) -> None:
        """Fill the chooser with ``path`` first, then the other recent vaults that still exist."""
        paths: list[Path] = []
        if path is not None:
            paths.append(Path(path))
        for recent in self._recent.existing():
            if all(recent.resolve() != p.resolve() for p in paths):
                paths.append(recent)
        self.vault_combo.blockSignals(True)
        self.vault_combo.clear()
        for p in paths:
            self.vault_combo.addItem(f"{p.name}   ·   {short_path(p.parent)}", str(p))
            self.vault_combo.setItemData(self.vault_combo.count() - 1, str(p), Qt.ItemDataRole.ToolTipRole)
        self.vault_combo.setCurrentIndex(0 if paths else -1)
        self.vault_combo.blockSignals(False)
        self._on_path_selected()

    def _choose_other(self) -> None:
        current = self.current_path()
        chosen = choose_vault_to_open(self, current.parent if current else None)
        if chosen is not None:
            self.set_path(chosen)
            self.path_changed.emit(chosen)

    def _on_path_selected(self, *_args) -> None:
        path = self.current_path()
        self.message.clear()
        if path is None or not path.exists():
            self.message.show_info(
                "There is no vault at this location yet. Create a new vault, or open another one."
                if path is not None
                else "Choose a vault to open, or create a new one."
            )
        self._update_enabled()
        if path is not None:
            self.path_changed.emit(path)

    # ------------------------------------------------------------------ unlocking

    def _update_enabled(self) -> None:
        path = self.current_path()
        waiting = self._wait_until > 0.0   # cleared by _tick, which also resets the button's text
        can_unlock = path is not None and path.exists() and not self._busy and not waiting
        self.unlock_button.setEnabled(can_unlock)
        self.recover_button.setEnabled(path is not None and path.exists() and not self._busy)
        for widget in (self.vault_combo, self.open_other_button, self.create_button, self.passphrase):
            widget.setEnabled(not self._busy)

    def try_unlock(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        path = self.current_path()
        secret = self.passphrase.text()
        if not secret:
            self.message.show_error("Enter the vault's passphrase.")
            self.passphrase.setFocus()
            return
        self.passphrase.wipe()
        self._abandoned = False
        self._busy = True
        self.message.show_info("Unlocking…")
        self.busy.start()
        self._update_enabled()
        run_in_background(lambda: Vault.open(path, secret), self._on_opened, self._on_failed)

    def abandon(self) -> None:
        """The panel's owner went away: a vault that opens anyway is closed again."""
        self._abandoned = True

    def _on_opened(self, vault: Vault) -> None:
        self._busy = False
        self.busy.stop()
        self.message.clear()
        self._update_enabled()
        if self._abandoned:
            vault.close(reason="cancelled")
            return
        self.unlocked.emit(vault)

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.stop()
        self.message.show_error(user_message(exc))
        retry_after = float(getattr(exc, "retry_after", 0) or 0)
        if retry_after > 0:
            self._wait_until = time.monotonic() + retry_after
            self._countdown.start()
            self._tick()
        self._update_enabled()
        self.passphrase.setFocus()

    def _tick(self) -> None:
        remaining = self._wait_until - time.monotonic()
        if remaining <= 0:
            self._countdown.stop()
            self._wait_until = 0.0
            self.unlock_button.setText("Unlock")
        else:
            self.unlock_button.setText(f"Unlock ({math.ceil(remaining)} s)")
        self._update_enabled()

    def reset(self, path: Path | None = None, subtitle: str | None = None) -> None:
        """Ready for a new attempt (the lock screen calls this each time it appears)."""
        if path is not None:
            self.set_path(path)
        if subtitle is not None:
            self.subtitle.setText(subtitle)
        self.passphrase.wipe()
        self._on_path_selected()
        self.passphrase.setFocus()


class UnlockDialog(QDialog):
    """The start-up dialog. ``vault`` holds the opened vault once ``accepted`` fires."""

    def __init__(self, path: Path | None, recent: RecentVaults | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unlock – c360")
        self.setWindowIcon(icons.app_icon())
        self.vault: Vault | None = None
        self.panel = UnlockPanel(path, recent=recent)
        self.panel.unlocked.connect(self._on_unlocked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 22)
        layout.addWidget(self.panel)
        self.setMinimumWidth(560)
        self.panel.passphrase.setFocus()

    def _on_unlocked(self, vault: Vault) -> None:
        self.vault = vault
        self.accept()

    def reject(self) -> None:
        self.panel.abandon()
        super().reject()
