"""The create-vault dialog refuses mismatched and weak passphrases, and shows the recovery key after creating."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from c360_desktop.core.vault import key_path_for
from c360_desktop.ui.dialogs.create import CreateVaultDialog

from .conftest import PASSPHRASE

RECOVERY_KEY = re.compile(r"^[A-Z2-7]{5}(-[A-Z2-7]{1,5})+$")


def _dialog(qtbot, path):
    dialog = CreateVaultDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type(dialog, first: str, second: str) -> None:
    dialog.fields.first.setText(first)
    dialog.fields.second.setText(second)
    dialog.fields.meter.assess_now(first)
    dialog._update()


def test_mismatched_passphrases_are_refused(qtbot, vault_path):
    dialog = _dialog(qtbot, vault_path)
    _type(dialog, PASSPHRASE, PASSPHRASE + " again")

    assert not dialog.create_button.isEnabled()
    assert dialog.reason.isVisible()
    assert "do not match" in dialog.reason.text()
    assert dialog.try_create() is False
    assert "do not match" in dialog.reason.text()
    assert not vault_path.exists() and not key_path_for(vault_path).exists()


def test_weak_passphrase_is_refused_with_a_reason(qtbot, vault_path):
    dialog = _dialog(qtbot, vault_path)
    _type(dialog, "password1", "password1")

    assert not dialog.create_button.isEnabled()
    assert dialog.reason.isVisible()
    reason = dialog.reason.text().lower()
    assert "too weak" in reason
    assert len(reason) > len("this passphrase is too weak") + 10, "the reason explains what to do"
    assert dialog.fields.meter.label.text() in ("Very weak", "Weak")
    assert dialog.try_create() is False
    assert not vault_path.exists()


def test_unfinished_repeat_blocks_quietly_and_an_empty_location_is_refused(qtbot, vault_path):
    dialog = _dialog(qtbot, vault_path)
    _type(dialog, PASSPHRASE, PASSPHRASE[:5])
    assert not dialog.create_button.isEnabled()
    assert not dialog.reason.isVisible(), "no error while the repeat is still being typed"
    dialog.path_edit.setText("")
    _type(dialog, PASSPHRASE, PASSPHRASE)
    assert not dialog.create_button.isEnabled()
    assert "where to save" in dialog.reason.text()


def test_existing_file_is_not_overwritten(qtbot, vault_path):
    vault_path.parent.mkdir(parents=True)
    vault_path.write_bytes(b"precious")
    dialog = _dialog(qtbot, vault_path)
    _type(dialog, PASSPHRASE, PASSPHRASE)
    assert not dialog.create_button.isEnabled()
    assert "already exists" in dialog.reason.text()
    assert dialog.try_create() is False
    assert vault_path.read_bytes() == b"precious"


def test_good_passphrase_creates_the_vault_and_shows_the_recovery_key(qtbot, vault_path):
    dialog = _dialog(qtbot, vault_path)
    _type(dialog, PASSPHRASE, PASSPHRASE)
    assert dialog.create_button.isEnabled()
    assert not dialog.reason.isVisible()

    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.recovery_widget is not None and dialog.recovery_widget.isVisible(), timeout=5000)

    try:
        assert vault_path.exists() and key_path_for(vault_path).exists()
        widget = dialog.recovery_widget
        assert RECOVERY_KEY.match(widget.key)
        assert widget.key_label.text().replace("\n", "-") == widget.key
        assert widget.key == dialog.vault.recovery_key()
        assert dialog.fields.first.text() == "" and dialog.fields.second.text() == "", "passphrase fields wiped"

        # Continue only once the user says the key is stored; closing early does not lose the vault.
        assert not widget.done_button.isEnabled()
        dialog.reject()
        assert dialog.isVisible()
        widget.stored_check.setChecked(True)
        assert widget.done_button.isEnabled()
        qtbot.mouseClick(widget.done_button, Qt.MouseButton.LeftButton)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert dialog.vault.is_open
    finally:
        if dialog.vault is not None:
            dialog.vault.close()
