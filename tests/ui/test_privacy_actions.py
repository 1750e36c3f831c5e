"""The export, erase and restrict dialogs the profile screen and the Privacy page open."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from c360_desktop.core import audit
from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.privacy.erasure import erasure_preview, erasure_receipts
from c360_desktop.core.privacy.restriction import is_restricted
from c360_desktop.ui.dialogs import privacy_actions
from c360_desktop.ui.dialogs.privacy_actions import EraseDialog, ExportDialog, RestrictDialog
from c360_desktop.ui.pages.privacy import PrivacyPage

from .privacy_world import ANN, build_shop, page_on

EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"


def _dialog(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _profile_exists(vault, profile_id: int) -> bool:
    return vault.conn.execute("SELECT count(*) FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0] == 1


def _save_dialog_returns(monkeypatch, path, seen: dict):
    def fake(_parent, _caption, start, filters):
        seen["start"] = start
        return str(path), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


# ---------------------------------------------------------------------------- erase

def test_erase_dialog_counts_confirmation_and_receipt(qtbot, vault, tmp_path, monkeypatch):
    ids = build_shop(vault, tmp_path)
    ann = ids["ann"]
    expected = erasure_preview(vault.conn, ann)
    dialog = _dialog(qtbot, EraseDialog(vault, ann))
    for kind in ("source_records", "search_terms", "consents", "pairs"):
        if expected[kind]:
            assert dialog.findChild(QLabel, f"EraseCount-{kind}").text() == f"{expected[kind]:,}"
    assert dialog.findChild(QLabel, "EraseCount-source_records").text() == "2"

    assert not dialog.action_button.isEnabled()
    assert not dialog.erase()
    assert "Type ERASE" in dialog.message.text() and _profile_exists(vault, ann)
    dialog.confirm.setText("erase it")
    assert not dialog.confirmed() and not dialog.action_button.isEnabled()
    dialog.confirm.setText(str(ann))
    assert dialog.confirmed()
    dialog.confirm.setText("ERASE")
    assert dialog.action_button.isEnabled()
    dialog.reference.setText("Ticket 77")
    assert dialog.erase()
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10000)

    assert not _profile_exists(vault, ann) and _profile_exists(vault, ids["ben"])
    assert vault.conn.execute("SELECT count(*) FROM source_records WHERE email = ?", (ANN["email"],)).fetchone()[0] == 0
    receipt = dialog.receipt
    assert receipt["reference"] == "Ticket 77" and receipt["counts"]["source_records"] == 2
    assert dialog.pages.currentWidget() is dialog.receipt_page and dialog.save_button.isVisible()
    assert f"receipt #{receipt['id']}" in dialog.message.text()

    saved = tmp_path / "receipt.txt"
    _save_dialog_returns(monkeypatch, saved, {})
    assert dialog.save_receipt() == saved
    text = saved.read_text(encoding="utf-8")
    assert "Ticket 77" in text and "2 records imported from your tools" in text
    for personal in (ANN["email"], ANN["first"], ANN["last"], "0101"):
        assert personal not in text

    page = page_on(qtbot, PrivacyPage, vault)
    assert page.receipts_model.rowCount() == 1
    assert page.receipts_model.index(0, 1).data() == "Ticket 77"
    assert page.tabs.tabText(2) == "Erasure receipts (1)"
    assert "Ticket 77" in page.receipt_detail.text()
    json_path = tmp_path / "receipt.json"
    _save_dialog_returns(monkeypatch, json_path, {})
    assert page.save_selected_receipt() == json_path and '"reference": "Ticket 77"' in json_path.read_text()


def _texts(widget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if w.isVisibleTo(widget))


def _preview_lines(dialog) -> list[str]:
    """The confirmation's counts as "<number> <words>", in their order."""
    grid = dialog.counts_grid
    return [f"{grid.itemAtPosition(row, 0).widget().text()} {grid.itemAtPosition(row, 1).widget().text()}"
            for row in range(grid.rowCount()) if grid.itemAtPosition(row, 0)]


def test_the_confirmation_and_the_receipt_count_the_same_things_in_the_same_words(qtbot, vault, tmp_path,
                                                                                  monkeypatch):
    for name in ("shopify_customers.csv", "shopify_orders.csv"):
        run_import(vault, plan_import(EXPORTS / name, ImportOptions(), vault.conn))
    run_match(vault)
    buyer = vault.conn.execute("SELECT id FROM profiles WHERE order_count > 0 ORDER BY id LIMIT 1").fetchone()[0]
    dialog = _dialog(qtbot, EraseDialog(vault, buyer))
    preview, before = _preview_lines(dialog), _texts(dialog)
    assert preview and "Kept only as keyed hashes on the suppression list:" in before
    dialog.confirm.setText("ERASE")
    assert dialog.erase()
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10000)

    after = _texts(dialog)
    removed = after.split("Removed\n")[1].split("\nKept only as keyed hashes")[0]
    assert [line.removeprefix("•  ") for line in removed.splitlines()] == preview
    hashed = dialog.receipt["counts"]["suppressed_identifiers"]
    assert f"•  {hashed} emails, phone numbers and tool ids" in after.split("Kept only as keyed hashes")[1]
    _save_dialog_returns(monkeypatch, tmp_path / "receipt.txt", {})
    saved = dialog.save_receipt().read_text(encoding="utf-8")
    assert "\n".join(f"  - {line}" for line in preview) in saved.split("Removed:\n")[1]
    for text in (before, after, saved):
        for internal in ("candidate pair", "search-index", "identifiers kept", "Removed " + str(hashed)):
            assert internal not in text


def test_erasing_one_of_several_namesakes_says_where_to_find_the_others(qtbot, vault, tmp_path):
    from tests.identity.helpers import import_people

    ids = build_shop(vault, tmp_path)
    namesake = {"id": "n1", "first": ANN["first"], "last": ANN["last"], "email": "a.quill.7@example.com",
                "phone": "+1 718 555 0177", "zip": "11201", "city": "Brooklyn", "birth": "1961-09-19"}
    import_people(vault, tmp_path, "club", [namesake])
    run_match(vault)
    assert vault.conn.execute("SELECT count(*) FROM profiles WHERE display_name = 'Ann Quillfeather'").fetchone()[0] == 2
    dialog = _dialog(qtbot, EraseDialog(vault, ids["ann"]))
    hint = dialog.findChild(QLabel, "EraseNamesakes")
    assert hint.isVisibleTo(dialog) and hint.text().startswith("1 other customer profile has the same name")
    assert "Privacy › Find a person" in hint.text()
    dialog.confirm.setText("ERASE")
    assert dialog.erase()
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10000)
    assert "Privacy › Find a person" in _texts(dialog.receipt_page)
    for value in ("a.quill.7", "0177", "Brooklyn", "11201", "1961"):
        assert value not in _texts(dialog)

    ben = _dialog(qtbot, EraseDialog(vault, ids["ben"]))
    assert not ben.findChild(QLabel, "EraseNamesakes").isVisibleTo(ben)


def test_erase_from_find_a_person_through_the_modal_dialog(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    page = page_on(qtbot, PrivacyPage, vault)
    page.finder.email.setText(ANN["email"])
    assert [c["profile_id"] for c in page.finder.search()] == [ids["ann"]]
    changed = []
    page.data_changed.connect(lambda: changed.append(True))

    def confirm_and_erase():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, EraseDialog) and w.isVisible())
        dialog.confirm.setText("ERASE")
        dialog.erase()
        qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10000)
        dialog.accept()

    QTimer.singleShot(0, confirm_and_erase)
    assert page.find_actions.erase()
    assert changed == [True] and not _profile_exists(vault, ids["ann"])
    assert page.finder.model.rowCount() == 0 and page.receipts_model.rowCount() == 1
    assert audit.entries(vault.conn, 5, "profile_erased")


def test_erase_keeping_invoices_says_so_and_the_receipt_counts_them(qtbot, vault):
    for name in ("shopify_customers.csv", "shopify_orders.csv"):
        run_import(vault, plan_import(EXPORTS / name, ImportOptions(), vault.conn))
    run_match(vault)
    buyer = vault.conn.execute("SELECT id FROM profiles WHERE order_count > 0 ORDER BY id LIMIT 1").fetchone()[0]
    orders = erasure_preview(vault.conn, buyer, keep_invoices=True)["kept_invoices"]
    assert orders >= 1

    dialog = _dialog(qtbot, EraseDialog(vault, buyer))
    note = dialog.findChild(QLabel, "EraseOrdersNote").text()
    assert note.startswith(f"This includes {orders} order") and "Settings › Erasure" in note
    dialog.close()

    vault.set_setting("erasure_keep_invoices", True)
    dialog = _dialog(qtbot, EraseDialog(vault, buyer))
    assert f"Kept anonymised for the accounts (required by law): {orders} order" in _texts(dialog)
    assert not dialog.findChild(QLabel, "EraseOrdersNote").isVisibleTo(dialog)
    dialog.resize(dialog.width(), dialog.minimumSizeHint().height())   # no room to spare for a longer receipt
    dialog.confirm.setText("ERASE")
    assert dialog.erase()
    qtbot.waitUntil(lambda: dialog.receipt is not None, timeout=10000)
    assert dialog.receipt["kept"]["orders"] == orders
    qtbot.wait(20)
    for shown in dialog.receipt_page.findChildren(QLabel):   # the longer receipt is not squeezed
        if shown.isVisibleTo(dialog) and shown.wordWrap():
            assert shown.height() >= shown.heightForWidth(shown.width()), shown.text()
    page = page_on(qtbot, PrivacyPage, vault)
    kept = page.receipts_model.index(0, 3).data()
    assert kept.startswith(f"{orders} order") and "anonymised" in kept and "as keyed hashes" in kept
    assert "Kept anonymised for the accounts (required by law):" in page.receipt_detail.text()


def test_erase_dialog_for_a_profile_that_is_gone(qtbot, vault, tmp_path):
    build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, EraseDialog(vault, 999_999))
    assert "no profile number 999999" in dialog.message.text()
    dialog.confirm.setText("ERASE")
    assert not dialog.action_button.isEnabled() and not dialog.erase()


def test_erase_reference_that_looks_like_an_email_is_refused(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, EraseDialog(vault, ids["ann"]))
    dialog.confirm.setText("ERASE")
    dialog.reference.setText(ANN["email"])
    assert dialog.erase()
    qtbot.waitUntil(lambda: not dialog.running, timeout=10000)
    assert dialog.receipt is None and "email" in dialog.message.text() and _profile_exists(vault, ids["ann"])
    assert "Traceback" not in dialog.message.text()


def test_erase_on_a_locked_vault_says_so(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    vault.close()
    dialog = _dialog(qtbot, EraseDialog(vault, ids["ann"]))
    assert "locked" in dialog.message.text()


# ---------------------------------------------------------------------------- export

def test_export_dialog_writes_the_zip(qtbot, vault, tmp_path, monkeypatch):
    ids = build_shop(vault, tmp_path)
    target = tmp_path / "exports" / "ann"
    target.parent.mkdir()
    seen: dict = {}
    _save_dialog_returns(monkeypatch, target, seen)
    dialog = _dialog(qtbot, ExportDialog(vault, ids["ann"]))
    assert dialog.choose_and_export()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10000)

    written = target.with_name("ann.zip")
    assert seen["start"].endswith(f"c360-access-export-{ids['ann']}-{date.today().isoformat()}.zip")
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
        assert {"data.json", "summary.html"} <= set(names)
        assert ANN["email"] in archive.read("data.json").decode()
    assert "Saved" in dialog.message.text() and dialog.action_button.text() == "Close"
    assert audit.entries(vault.conn, 5, "access_exported")[0].details["profile_id"] == ids["ann"]


def test_redacted_export_masks_contact_details(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, ExportDialog(vault, ids["ann"]))
    dialog.redacted.setChecked(True)
    target = tmp_path / "redacted.zip"
    assert dialog.export_to(target)
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=10000)
    with zipfile.ZipFile(target) as archive:
        assert ANN["email"] not in archive.read("data.json").decode()


def test_cancelled_export_leaves_nothing_behind(qtbot, vault, tmp_path, monkeypatch):
    ids = build_shop(vault, tmp_path)
    real_export = privacy_actions.export_profile

    def stopped_after_the_first_file(vault_, profile_id, path, **options):
        report, stop = options["progress"], options["cancelled"].__self__

        def progress(done, total):
            report(done, total)
            stop.set()  # the owner pressed Stop while the first file was being written

        return real_export(vault_, profile_id, path, **{**options, "progress": progress})

    monkeypatch.setattr(privacy_actions, "export_profile", stopped_after_the_first_file)
    folder = tmp_path / "exports"
    folder.mkdir()
    dialog = _dialog(qtbot, ExportDialog(vault, ids["ann"]))
    assert dialog.export_to(folder / "ann.zip")
    qtbot.waitUntil(lambda: not dialog.running, timeout=10000)
    assert dialog.summary is None and list(folder.iterdir()) == []
    assert "cancelled" in dialog.message.text() and dialog.isVisible()
    assert not audit.entries(vault.conn, 5, "access_exported")


def test_export_to_a_missing_folder_says_so(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, ExportDialog(vault, ids["ann"]))
    assert dialog.export_to(tmp_path / "nowhere" / "ann.zip")
    qtbot.waitUntil(lambda: not dialog.running, timeout=10000)
    assert "does not exist" in dialog.message.text() and dialog.action_button.isEnabled()


# ---------------------------------------------------------------------------- restrict and object

def test_restriction_needs_a_reason(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, RestrictDialog(vault, ids["ann"], "restrict"))
    assert not dialog.action_button.isEnabled()
    assert not dialog.apply() and "reason" in dialog.message.text()
    dialog.reason.setText("Asked by phone while checking a correction")
    assert dialog.action_button.isEnabled()
    assert dialog.apply()
    assert is_restricted(vault.conn, ids["ann"]) and dialog.restriction_id
    assert "restricted" in dialog.message.text() and dialog.action_button.text() == "Close"


def test_objection_withdraws_marketing(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    dialog = _dialog(qtbot, RestrictDialog(vault, ids["ben"], "object"))
    dialog.reason.setText("Letter of 3 May")
    assert dialog.apply()
    assert audit.entries(vault.conn, 5, "marketing_objection")[0].details["profile_id"] == ids["ben"]
    assert not is_restricted(vault.conn, ids["ben"])


def test_the_module_functions_report_what_happened(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)

    def close_without_acting():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, (EraseDialog, RestrictDialog)) and widget.isVisible():
                widget.reject()

    QTimer.singleShot(0, close_without_acting)
    assert privacy_actions.erase_profile_dialog(None, vault, ids["ann"]) is False
    QTimer.singleShot(0, close_without_acting)
    assert privacy_actions.restrict_profile_dialog(None, vault, ids["ann"], "restrict") is False
    assert _profile_exists(vault, ids["ann"]) and not erasure_receipts(vault.conn)
