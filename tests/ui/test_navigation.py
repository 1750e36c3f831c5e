"""The navigation rail, the View shortcuts, the status bar, Settings, Privacy and About."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from c360_desktop import LICENSE_NAME, __version__
from c360_desktop.core.vault import Vault

from .conftest import PASSPHRASE

EXPECTED = {
    "customers": "Customers",
    "review": "doubtful matches",
    "imports": "Import history",
    "analytics": "Segments, customer lifetime value and churn",
    "privacy": "Consent",
    "settings": "Settings",
}


def _texts(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def test_each_rail_entry_shows_its_page(qtbot, unlocked_window):
    _controller, window = unlocked_window()
    keys = [page.key for page in window.pages]
    assert keys == list(EXPECTED)
    for index, (button, page) in enumerate(zip(window.rail.buttons, window.pages)):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.stack.currentWidget() is page
        assert page.isVisible()
        assert button.isChecked()
        assert EXPECTED[page.key] in _texts(page)
        assert not button.icon().isNull()
    for index, action in enumerate(window.page_actions):
        assert action.shortcut().toString() == f"Ctrl+{index + 1}"
        action.trigger()
        assert window.stack.currentIndex() == index
        assert window.rail.buttons[index].isChecked()


def test_status_bar_names_the_vault_and_counts(qtbot, unlocked_window):
    controller, window = unlocked_window()
    assert window.vault_label.text() == "shop.c360"
    assert window.lock_chip.text().endswith("Unlocked")
    assert "3 profiles" in window.counts_label.text()
    assert "records" in window.counts_label.text() and "pending reviews" in window.counts_label.text()
    assert window.windowTitle().startswith("shop.c360")


def test_menus_have_the_usual_shortcuts(qtbot, unlocked_window):
    _controller, window = unlocked_window()
    assert window.action_quit.shortcut().toString() == "Ctrl+Q"
    assert window.action_lock.shortcut().toString() == "Ctrl+L"
    assert window.action_open_vault.shortcut().toString() == "Ctrl+O"
    assert window.action_new_vault.shortcut().toString() == "Ctrl+N"
    titles = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert titles == ["File", "View", "Help"]


def test_about_names_version_license_and_vault(qtbot, unlocked_window):
    controller, window = unlocked_window()
    text = window.about_text()
    assert __version__ in text and LICENSE_NAME in text and str(controller.session.path) in text


def test_auto_lock_setting_is_stored_in_the_vault(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=None)
    page = window.settings_page
    assert page.auto_lock_minutes() == 10
    assert window.idle_watcher.interval_ms == 10 * 60_000
    page.auto_lock_spin.setValue(3)
    assert controller.session.vault.setting("auto_lock_minutes") == 3
    assert window.idle_watcher.interval_ms == 3 * 60_000


def test_privacy_page_verifies_the_audit_chain(qtbot, unlocked_window):
    _controller, window = unlocked_window()
    page = window.privacy_page
    assert page.model.rowCount() >= 2  # vault created, vault opened
    report = page.verify()
    assert report.ok
    assert "intact" in page.result.text()


def test_change_passphrase_from_settings(qtbot, unlocked_window):
    controller, window = unlocked_window()
    new = "lantern orchard velvet compass"
    dialog = window.settings_page.change_passphrase()
    dialog.current.setText(PASSPHRASE)
    dialog.fields.first.setText(new)
    dialog.fields.second.setText(new)
    dialog.fields.meter.assess_now(new)
    dialog._update()
    assert dialog.ok_button.isEnabled()
    dialog.submit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert "Passphrase changed" in window.settings_page.message.text()
    path = controller.session.path
    window.lock("user")
    Vault.open(path, new).close()


@pytest.mark.parametrize("passphrase, shown", [(PASSPHRASE, True), ("not the passphrase at all", False)])
def test_show_recovery_key_asks_the_passphrase_first(qtbot, unlocked_window, passphrase, shown):
    from c360_desktop.ui.dialogs.recovery import RecoveryKeyDialog

    controller, window = unlocked_window()
    confirm = window.settings_page.show_recovery_key()
    confirm.current.setText(passphrase)
    confirm.submit()
    qtbot.waitUntil(lambda: not confirm._busy, timeout=5000)
    dialogs = [d for d in window.findChildren(RecoveryKeyDialog) if d.isVisible()]
    if shown:
        assert len(dialogs) == 1
        assert dialogs[0].key_widget.key == controller.session.vault.recovery_key()
        dialogs[0].accept()
    else:
        assert dialogs == []
        assert "passphrase" in confirm.message.text().lower()
        confirm.reject()
