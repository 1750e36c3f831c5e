"""The vault the window is showing, and the moments it is unlocked and locked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..core.vault import Vault


class VaultSession(QObject):
    """Holds at most one open ``Vault``. ``locked`` carries the reason (``"user"``, ``"auto_lock"``…)."""

    unlocked = Signal()
    about_to_lock = Signal(object)  # the vault, still open: what must be kept is written now
    locked = Signal(str)

    def __init__(self, path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.path: Path | None = Path(path) if path else None
        self.vault: Vault | None = None
        self.last_lock_reason = ""

    @property
    def is_unlocked(self) -> bool:
        return self.vault is not None and self.vault.is_open

    def adopt(self, vault: Vault) -> None:
        """Show ``vault`` (just opened or created); a different open vault is locked first."""
        if self.vault is not None and self.vault is not vault and self.vault.is_open:
            self.vault.close(reason="switch")
        self.vault = vault
        self.path = Path(vault.path)
        self.unlocked.emit()

    def lock(self, reason: str = "user") -> None:
        """Close the connection and forget the key; listeners clear what they show."""
        if self.vault is None:
            return
        if self.vault.is_open:
            self.about_to_lock.emit(self.vault)
        vault, self.vault = self.vault, None
        self.last_lock_reason = reason
        vault.close(reason=reason)
        self.locked.emit(reason)

    def point_at(self, path: Path) -> None:
        """Choose another vault file while locked (File > Open vault…)."""
        if self.vault is not None:
            self.lock("switch")
        self.path = Path(path)
