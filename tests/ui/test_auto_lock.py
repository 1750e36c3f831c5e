"""Auto-lock after idle time and Lock now (Ctrl+L): connection closed, models emptied, lock screen shown."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from c360_desktop.core import audit

from .conftest import PASSPHRASE, unlock_with


def _assert_locked(window, old_vault) -> None:
    assert window.is_locked
    assert not old_vault.is_open
    assert window.customers_model.rowCount() == 0
    assert window.privacy_page.model.rowCount() == 0
    assert window.lock_screen.isVisible()
    assert not window.stack.isVisible()
    assert all(not page.isEnabled() for page in window.pages)
    assert not window.action_lock.isEnabled()
    assert window.lock_chip.text().endswith("Locked")
    assert window.counts_label.text() == ""


def test_idle_timeout_locks_and_clears_the_customers_model(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=400)
    vault = controller.session.vault
    assert window.customers_model.rowCount() == 3
    assert window.privacy_page.model.rowCount() > 0
    assert window.idle_watcher.active

    qtbot.waitUntil(lambda: window.is_locked, timeout=5000)
    _assert_locked(window, vault)
    assert "without activity" in window.lock_screen.panel.subtitle.text()
    assert not window.idle_watcher.active

    # Unlocking again reopens the same vault and fills the pages again.
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    assert controller.session.vault is not vault and controller.session.vault.path == vault.path
    assert window.customers_model.rowCount() == 3
    assert all(page.isEnabled() for page in window.pages)
    assert window.idle_watcher.active
    actions = [entry.action for entry in audit.entries(controller.session.vault.conn, 10)]
    assert "vault_locked" in actions


def test_activity_postpones_the_auto_lock(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=800)
    table = window.customers_page.table
    deadline = time.monotonic() + 1.8
    while time.monotonic() < deadline:
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.wait(100)
        assert not window.is_locked
    qtbot.waitUntil(lambda: window.is_locked, timeout=5000)


def test_lock_now_with_ctrl_l(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=60_000)
    vault = controller.session.vault
    assert window.action_lock.shortcut() == QKeySequence("Ctrl+L")
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
    qtbot.keyClick(window.customers_page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.is_locked, timeout=2000)
    _assert_locked(window, vault)
    assert "You locked" in window.lock_screen.panel.subtitle.text()


def test_lock_button_in_the_rail_and_open_dialogs_are_closed(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=60_000)
    vault = controller.session.vault
    dialog = window.settings_page.change_passphrase()
    assert dialog.isVisible()
    qtbot.mouseClick(window.rail.lock_button, Qt.MouseButton.LeftButton)
    _assert_locked(window, vault)
    assert not dialog.isVisible()
