"""Start-up and the flow between dialogs and the main window (the ``c360-desktop`` entry point)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QWidget

from .. import APP_NAME, __version__
from ..core.paths import default_vault_path
from ..core.vault import Vault
from . import icons, tasks, theme
from .dialogs.common import choose_vault_to_open
from .dialogs.create import CreateVaultDialog
from .dialogs.recovery import RecoverVaultDialog
from .dialogs.unlock import UnlockDialog
from .main_window import MainWindow
from .session import VaultSession
from .settings import RecentVaults

ORGANIZATION = "c360"


def suggest_new_vault_path(preferred: Path | None = None) -> Path:
    """The default vault path if free, else ``vault-2.c360``, ``vault-3.c360``… beside it."""
    base = preferred or default_vault_path()
    if not base.exists():
        return base
    n = 2
    while True:
        candidate = base.with_name(f"{base.stem}-{n}{base.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


class AppController(QObject):
    """Owns the session and decides which dialog or window is showing.

    Start: unlock dialog if a vault exists at the initial path, else the create
    dialog. Every successful unlock, creation or recovery ends in ``adopt``,
    which shows the main window (created once) over the new vault.
    """

    def __init__(
        self,
        *,
        vault_path: Path | None = None,
        idle_ms: int | None = None,
        recent: RecentVaults | None = None,
        on_quit: Callable[[], None] | None = None,
    ):
        super().__init__()
        self.recent = recent or RecentVaults()
        self.session = VaultSession(vault_path or self.initial_path())
        self.idle_ms = idle_ms
        self.window: MainWindow | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.create_dialog: CreateVaultDialog | None = None
        self.recover_dialog: RecoverVaultDialog | None = None
        self._on_quit = on_quit or QApplication.quit
        self._shutting_down = False

    def initial_path(self) -> Path:
        existing = self.recent.existing()
        return existing[0] if existing else default_vault_path()

    # ------------------------------------------------------------------ start-up

    def start(self) -> None:
        path = self.session.path
        if path is not None and path.exists():
            self.show_unlock_dialog(path)
        else:
            self.new_vault(first_run=True)

    def show_unlock_dialog(self, path: Path | None) -> UnlockDialog:
        dialog = UnlockDialog(path, self.recent)
        dialog.accepted.connect(lambda: self.adopt(dialog.vault))
        dialog.rejected.connect(self._on_start_cancelled)
        dialog.panel.create_requested.connect(lambda: self.new_vault(parent=dialog))
        dialog.panel.recover_requested.connect(lambda p: self.recover(p, parent=dialog))
        self.unlock_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _on_start_cancelled(self) -> None:
        self.unlock_dialog = None
        if self.window is None:
            self.quit()

    # ------------------------------------------------------------------ flows

    def new_vault(self, parent: QWidget | None = None, *, first_run: bool = False) -> CreateVaultDialog:
        preferred = default_vault_path()
        dialog = CreateVaultDialog(suggest_new_vault_path(preferred), parent)
        dialog.accepted.connect(lambda: self.adopt(dialog.vault))
        if first_run:
            dialog.rejected.connect(lambda: self.show_unlock_dialog(self.session.path))
        self.create_dialog = dialog
        if parent is None:
            dialog.show()
        else:
            dialog.open()
        return dialog

    def recover(self, path: Path | None, parent: QWidget | None = None) -> RecoverVaultDialog | None:
        if path is None:
            return None
        dialog = RecoverVaultDialog(path, parent)
        dialog.accepted.connect(lambda: self.adopt(dialog.vault))
        self.recover_dialog = dialog
        dialog.open()
        return dialog

    def open_vault(self, parent: QWidget | None = None) -> None:
        current = self.session.path
        chosen = choose_vault_to_open(parent, current.parent if current else None)
        if chosen is not None:
            self.open_path(chosen)

    def open_path(self, path: Path) -> None:
        """Show ``path`` on the lock screen (locking the current vault if another one is open)."""
        path = Path(path)
        if self.session.is_unlocked and self.session.path and path.resolve() == self.session.path.resolve():
            return
        self.session.point_at(path)
        if self.window is not None:
            self.window.lock_screen.prepare(path, "switch")
        elif self.unlock_dialog is not None:
            self.unlock_dialog.panel.set_path(path)

    def adopt(self, vault: Vault | None) -> None:
        if vault is None:
            return
        if self._shutting_down:
            vault.close(reason="quit")
            return
        self.recent.add(vault.path)
        if self.unlock_dialog is not None:
            dialog, self.unlock_dialog = self.unlock_dialog, None
            dialog.rejected.disconnect(self._on_start_cancelled)
            dialog.close()
        if self.window is None:
            self.window = self._create_window()
        self.session.adopt(vault)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def _create_window(self) -> MainWindow:
        window = MainWindow(self.session, recent=self.recent, idle_ms=self.idle_ms)
        window.new_vault_requested.connect(lambda: self.new_vault(parent=window))
        window.open_vault_requested.connect(lambda: self.open_vault(parent=window))
        window.open_recent_requested.connect(self.open_path)
        panel = window.lock_screen.panel
        panel.unlocked.connect(self.adopt)
        panel.create_requested.connect(lambda: self.new_vault(parent=window))
        panel.recover_requested.connect(lambda p: self.recover(p, parent=window))
        panel.path_changed.connect(self._on_lock_screen_path)
        window.closing.connect(self.quit)
        return window

    def _on_lock_screen_path(self, path: Path) -> None:
        if not self.session.is_unlocked:
            self.session.path = Path(path)
            if self.window is not None:
                self.window.update_status()

    # ------------------------------------------------------------------ ending

    def shutdown(self) -> None:
        """Lock whatever is open; a vault that finishes opening in the background meanwhile is closed too."""
        self._shutting_down = True
        for panel in self._panels():
            panel.abandon()
        if self.session.is_unlocked:
            self.session.lock("quit")
        tasks.wait_for_all(10_000)
        QCoreApplication.processEvents()  # deliver late results: abandoned panels close their vault
        if self.session.is_unlocked:
            self.session.lock("quit")

    def _panels(self) -> list:
        panels = []
        if self.window is not None:
            panels.append(self.window.lock_screen.panel)
        if self.unlock_dialog is not None:
            panels.append(self.unlock_dialog.panel)
        return panels

    def quit(self) -> None:
        self.shutdown()
        self._on_quit()


def configure_application(app: QApplication) -> None:
    app.setWindowIcon(icons.app_icon())
    app.setApplicationVersion(__version__)
    theme.apply(app)
    app.setQuitOnLastWindowClosed(False)


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="c360-desktop", description="c360: your customers, in one encrypted vault.")
    parser.add_argument("--vault", type=Path, help="the vault file to open (default: the last one, or the standard location)")
    parser.add_argument("--version", action="version", version=f"c360 {__version__}")
    args, _qt_args = parser.parse_known_args(argv[1:])
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = _parse_args(argv)
    QApplication.setOrganizationName(ORGANIZATION)
    QApplication.setApplicationName(APP_NAME)
    QApplication.setDesktopFileName("c360-desktop")
    app = QApplication.instance() or QApplication(argv)
    configure_application(app)
    controller = AppController(vault_path=args.vault.expanduser() if args.vault else None)
    controller.start()
    code = app.exec()
    controller.shutdown()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
