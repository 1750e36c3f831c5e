"""Start-up: unlock with a wrong then the right passphrase; retry delay; first run; recovery key."""

from __future__ import annotations

from PySide6.QtCore import Qt

from c360_desktop.core.vault import Vault
from c360_desktop.ui.dialogs.recovery import RecoverVaultDialog
from c360_desktop.ui.settings import RecentVaults

from .conftest import PASSPHRASE, WRONG_PASSPHRASE, unlock_with

NEW_PASSPHRASE = "lantern orchard velvet compass"


def test_wrong_then_right_passphrase_opens_the_main_window(qtbot, make_vault, controller_factory, ui_env):
    path, _key = make_vault(profiles=3)
    controller = controller_factory(path)
    controller.start()
    dialog = controller.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.panel.current_path() == path

    unlock_with(qtbot, dialog.panel, WRONG_PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.panel.message.objectName() == "Error" and dialog.panel.message.isVisible(),
                    timeout=5000)
    assert "passphrase" in dialog.panel.message.text().lower()
    assert "Traceback" not in dialog.panel.message.text()
    assert dialog.isVisible()
    assert controller.window is None
    assert dialog.panel.passphrase.text() == "", "the typed passphrase is not kept"
    assert dialog.panel.unlock_button.isEnabled(), "the first mistakes cost no waiting"

    unlock_with(qtbot, dialog.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=5000)
    window = controller.window
    assert not dialog.isVisible()
    assert controller.session.is_unlocked
    assert not window.is_locked
    assert window.customers_model.rowCount() == 3
    assert controller.quits == []

    # Only the path is remembered, never a secret or customer data.
    assert RecentVaults().paths() == [path.resolve()]
    stored = b"".join(f.read_bytes() for f in ui_env.rglob("*") if f.is_file())
    assert PASSPHRASE.encode() not in stored and b"example.com" not in stored


def test_repeated_failures_count_down_before_the_next_try(qtbot, make_vault, controller_factory):
    path, _key = make_vault()
    controller = controller_factory(path)
    controller.start()
    panel = controller.unlock_dialog.panel
    for attempt in range(3):
        qtbot.waitUntil(panel.unlock_button.isEnabled, timeout=5000)
        unlock_with(qtbot, panel, WRONG_PASSPHRASE)
        qtbot.waitUntil(lambda: panel.message.objectName() == "Error", timeout=5000)
        qtbot.waitUntil(lambda: not panel._busy, timeout=5000)
    assert not panel.unlock_button.isEnabled()
    assert panel.unlock_button.text().startswith("Unlock (") and panel.unlock_button.text().endswith("s)")
    assert "seconds" in panel.message.text()
    qtbot.waitUntil(panel.unlock_button.isEnabled, timeout=5000)
    assert panel.unlock_button.text() == "Unlock"


def test_cancelling_the_unlock_dialog_quits(qtbot, make_vault, controller_factory):
    path, _key = make_vault()
    controller = controller_factory(path)
    controller.start()
    controller.unlock_dialog.reject()
    assert controller.quits == [True]


def test_first_run_without_a_vault_opens_the_create_dialog(qtbot, vault_path, controller_factory):
    controller = controller_factory(vault_path)
    controller.start()
    assert controller.create_dialog is not None and controller.create_dialog.isVisible()
    assert controller.unlock_dialog is None
    # Cancelling it falls back to the unlock dialog, which explains that there is no vault yet.
    controller.create_dialog.reject()
    panel = controller.unlock_dialog.panel
    assert "no vault" in panel.message.text().lower()
    assert not panel.unlock_button.isEnabled()


def test_recovery_key_opens_the_vault_and_sets_a_new_passphrase(qtbot, make_vault):
    path, recovery_key = make_vault(profiles=1)
    dialog = RecoverVaultDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText(recovery_key.lower())
    dialog.fields.first.setText(NEW_PASSPHRASE)
    dialog.fields.second.setText(NEW_PASSPHRASE)
    dialog.fields.meter.assess_now(NEW_PASSPHRASE)
    dialog._update()
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.vault is not None, timeout=5000)
    dialog.vault.close()
    Vault.open(path, NEW_PASSPHRASE).close()


def test_a_mistyped_recovery_key_is_explained(qtbot, make_vault):
    path, recovery_key = make_vault()
    dialog = RecoverVaultDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key_edit.setText("A" + recovery_key[1:] if recovery_key[0] != "A" else "B" + recovery_key[1:])
    dialog.fields.first.setText(NEW_PASSPHRASE)
    dialog.fields.second.setText(NEW_PASSPHRASE)
    dialog.try_recover()
    qtbot.waitUntil(lambda: "recovery key" in dialog.message.text().lower() and not dialog._busy, timeout=5000)
    assert dialog.vault is None and dialog.isVisible()
