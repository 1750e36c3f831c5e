"""pytest-qt set-up for the GUI tests: offscreen Qt, instant key derivation, throw-away settings and vaults."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

PASSPHRASE = "correct horse battery staple"
WRONG_PASSPHRASE = "incorrect donkey battery stapler"


@pytest.fixture(scope="session", autouse=True)
def _themed_app(qapp):
    from c360_desktop.ui import theme

    theme.apply(qapp)
    qapp.setQuitOnLastWindowClosed(False)
    return qapp


@pytest.fixture(autouse=True)
def ui_env(monkeypatch, tmp_path, qapp):
    """Fast KDF, and every per-user location (QSettings, app data) inside tmp_path."""
    monkeypatch.setenv("C360_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    settings_dir = tmp_path / "qsettings"
    QCoreApplication.setOrganizationName("c360-tests")
    QCoreApplication.setApplicationName("c360-tests")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(settings_dir))
    yield settings_dir
    from c360_desktop.ui import tasks

    tasks.wait_for_all(5000)
    qapp.processEvents()


def insert_profiles(vault, count: int) -> None:
    """Add ``count`` profile rows directly (the matcher is not what these tests are about)."""
    rows = [
        (
            f"Customer {i:04d}",
            f"customer{i}@example.com",
            f"+44 20 7946 {i:04d}",
            "shopify, mailchimp",
            i % 7,
            f"{i * 12.5:.2f}",
            f"2024-05-{(i % 28) + 1:02d}T10:30:00+00:00",
            "2024-05-01T00:00:00+00:00",
            "2024-05-01T00:00:00+00:00",
        )
        for i in range(1, count + 1)
    ]
    with vault.transaction() as tx:
        tx.executemany(
            "INSERT INTO profiles(display_name, primary_email, primary_phone, sources, order_count, total_spent,"
            " last_activity_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


@pytest.fixture
def vault_path(tmp_path) -> Path:
    return tmp_path / "vaults" / "shop.c360"


@pytest.fixture
def make_vault(vault_path):
    """``make_vault(profiles=3)`` creates a closed vault at ``vault_path``; returns (path, recovery key)."""

    def make(profiles: int = 0, path: Path | None = None):
        from c360_desktop.core.vault import Vault

        target = path or vault_path
        vault, recovery_key = Vault.create(target, PASSPHRASE)
        try:
            if profiles:
                insert_profiles(vault, profiles)
        finally:
            vault.close()
        return target, recovery_key

    return make


@pytest.fixture
def open_vault(make_vault):
    """An unlocked vault with 3 profiles; closed after the test."""
    from c360_desktop.core.vault import Vault

    path, _key = make_vault(profiles=3)
    vault = Vault.open(path, PASSPHRASE)
    yield vault
    vault.close()


def unlock_with(qtbot, panel, passphrase: str) -> None:
    panel.passphrase.setText(passphrase)
    qtbot.mouseClick(panel.unlock_button, _left())


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


@pytest.fixture
def controller_factory(qtbot):
    """Builds an ``AppController`` that never quits the test's QApplication; everything is closed afterwards."""
    from c360_desktop.ui.app import AppController

    made = []

    def make(path: Path | None, idle_ms: int | None = 60_000):
        quits = []
        controller = AppController(vault_path=path, idle_ms=idle_ms, on_quit=lambda: quits.append(True))
        controller.quits = quits
        made.append(controller)
        return controller

    yield make
    for controller in made:
        for widget in (controller.window, controller.unlock_dialog, controller.create_dialog, controller.recover_dialog):
            if widget is not None:
                widget.close()
        controller.shutdown()


@pytest.fixture
def unlocked_window(qtbot, make_vault, controller_factory):
    """``unlocked_window(idle_ms=…)``: start the app on a 3-profile vault, unlock it, return (controller, window)."""

    def start(idle_ms: int | None = 60_000, profiles: int = 3):
        path, _key = make_vault(profiles=profiles)
        controller = controller_factory(path, idle_ms)
        controller.start()
        unlock_with(qtbot, controller.unlock_dialog.panel, PASSPHRASE)
        qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=5000)
        return controller, controller.window

    return start
