"""Auto-lock after idle time and Lock now (Ctrl+L): connection closed, models emptied, lock screen shown."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from c360_desktop.core import audit
from c360_desktop.core.identity.engine import run_match
from tests.ingest.test_importer import EXPORTS, do_import

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


def _matched_profile_ids(window, vault) -> list[int]:
    """Real imported and matched customers, so that edits have records to hang on."""
    do_import(vault, EXPORTS / "shopify_customers.csv")
    run_match(vault)
    window.customers_page.on_unlocked(vault)
    return [pid for pid, in vault.conn.execute("SELECT id FROM profiles WHERE record_count > 0 ORDER BY id")]


def test_a_note_being_typed_when_the_vault_locks_is_back_after_unlocking(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=60_000)
    vault = controller.session.vault
    profile_id = _matched_profile_ids(window, vault)[1]
    assert window.customers_page.open_profile(profile_id)
    dialog = window.customers_page.profile.open_note("note")
    dialog.inputs["text"].setPlainText("Prefers the blue gift wrap; call before delivery")
    dialog.reason.setText("phone call")
    window.lock("auto_lock")
    assert window.is_locked and not dialog.isVisible()
    assert window.customers_page.profile.profile_id is None

    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    panel = window.customers_page.profile
    assert panel.profile_id == profile_id and window.current_page() is window.customers_page
    reopened = panel._editing[1]
    assert reopened.isVisible() and reopened is not dialog
    assert reopened.values() == {"text": "Prefers the blue gift wrap; call before delivery", "reason": "phone call"}
    assert "c360 locked while this was open" in reopened.message.text()
    assert controller.session.vault.count("unsaved_edits") == 0  # taken out of the vault once it is back
    reopened.ok_button.click()
    qtbot.waitUntil(lambda: panel._editing is None, timeout=5000)  # saved and closed
    notes = controller.session.vault.conn.execute("SELECT text FROM profile_notes").fetchall()
    assert notes == [("Prefers the blue gift wrap; call before delivery",)]


def test_an_untouched_dialog_is_not_kept_and_a_correction_keeps_its_field(qtbot, unlocked_window):
    controller, window = unlocked_window(idle_ms=60_000)
    profile_id = _matched_profile_ids(window, controller.session.vault)[0]
    assert window.customers_page.open_profile(profile_id)
    window.customers_page.profile.open_note("tag")
    window.lock("auto_lock")
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    assert window.customers_page.profile._editing is None

    assert window.customers_page.open_profile(profile_id)
    dialog = window.customers_page.profile.open_correction("email")
    dialog.inputs["value"].setText("new.address@example.org")
    window.lock("auto_lock")
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    reopened = window.customers_page.profile._editing[1]
    assert reopened.values() == {"field": "email", "value": "new.address@example.org", "reason": ""}


def test_a_kept_consent_statement_whose_purpose_was_removed_meanwhile_says_so(qtbot, unlocked_window):
    from c360_desktop.core.privacy.consent import add_purpose, remove_purpose
    from c360_desktop.core.vault import Vault

    controller, window = unlocked_window(idle_ms=60_000)
    vault = controller.session.vault
    purpose = add_purpose(vault, "Loyalty programme")
    profile_id = _matched_profile_ids(window, vault)[0]
    assert window.customers_page.open_profile(profile_id)
    window.customers_page.profile.open_consent_change(purpose).reason.setText("said yes at the till")
    window.lock("auto_lock")
    other = Vault.open(vault.path, PASSPHRASE)   # another session removes the purpose while the window is locked
    remove_purpose(other, purpose)
    other.close()
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    panel = window.customers_page.profile
    assert panel._editing is None and "its consent purpose no longer exists" in panel.message.text()


def test_a_kept_choice_that_no_longer_exists_is_left_unchosen_not_swapped_for_another(qtbot):
    from c360_desktop.ui.dialogs.profile_edit import correction_dialog

    dialog = correction_dialog(None, {"name": "Name", "email": "Email"}, None)
    qtbot.addWidget(dialog)
    dialog.fill({"field": "company", "value": "Okafor Ceramics", "reason": "asked"})
    assert dialog.inputs["field"].currentIndex() == -1 and dialog.values()["value"] == "Okafor Ceramics"


def test_a_kept_note_whose_person_was_erased_meanwhile_is_said_to_be_gone(qtbot, unlocked_window):
    from c360_desktop.core.privacy.erasure import erase_profile
    from c360_desktop.core.vault import Vault

    controller, window = unlocked_window(idle_ms=60_000)
    vault = controller.session.vault
    profile_id = _matched_profile_ids(window, vault)[1]
    assert window.customers_page.open_profile(profile_id)
    window.customers_page.profile.open_note("note").inputs["text"].setPlainText("Wants the blue wrap")
    window.lock("auto_lock")
    other = Vault.open(vault.path, PASSPHRASE)   # the command line erases the person while the window is locked
    erase_profile(other, profile_id)
    other.close()
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    assert "is gone with the customer it was about" in window.customers_page.message.text()
    assert controller.session.vault.setting("unsaved_edit_kept") is None
