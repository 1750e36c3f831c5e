"""The import wizard: detection, overrides, mapping drop-downs, validation summary, import, cancel, bad files."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from c360_desktop.core.ingest.fields import FIELDS, IGNORE
from c360_desktop.ui.dialogs.import_wizard import FieldCombo

from .importing import (
    GARBAGE,
    GENERIC_DE,
    SHOPIFY,
    TIMEOUT,
    choose,
    column_of,
    counts,
    open_wizard,
    wait_for_page,
    write_big_shopify_csv,
)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_shopify_file_is_recognised_mapped_checked_and_imported(qtbot, unlocked_window):
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    assert window.action_import.shortcut().toString() == "Ctrl+I"
    assert window.action_import in window.menuBar().actions()[0].menu().actions()

    wizard = open_wizard(qtbot, window, SHOPIFY)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert "Shopify" in wizard.detected_label.text() and "%" in wizard.detected_label.text()
    assert wizard.plan.mapping_origin == "preset"
    assert "comma-separated" in wizard.read_label.text() and "UTF-8" in wizard.read_label.text()
    assert wizard.preview_model.rowCount() == 14
    assert wizard.preview_model.columnCount() == len(wizard.plan.table.header)

    # Every column header carries a drop-down with the canonical fields, Keep and Ignore.
    header = wizard.mapping_header
    assert len(header.combos) == len(wizard.plan.table.header)
    email = column_of(wizard, "Email")
    combo: FieldCombo = header.combos[email]
    assert combo.field() == "email" and combo.isVisible()
    choices = {combo.itemData(i) for i in range(combo.count())}
    assert {f.name for f in FIELDS} | {"custom", IGNORE} <= choices
    # Personal values are masked until "Show values" is ticked.
    shown = wizard.preview_model.data(wizard.preview_model.index(0, email))
    assert shown == "d•••@e•••.com"
    wizard.show_values.setChecked(True)
    assert wizard.preview_model.data(wizard.preview_model.index(0, email)) == "dana.w@example.com"

    # Map the Email column as a phone: the validation summary shows the unreadable phones with row numbers.
    combo.setCurrentIndex(combo.findData("phone"))
    assert wizard.mapping()[email] == "phone" and wizard.mapping_edited
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    assert counts(vault) == (0, 0), "checking writes nothing"
    assert wizard.check_stats.values["Rows"].text() == "14"
    _plan, dry_run = wizard.checked
    assert dry_run.warning_count >= 10
    assert wizard.check_stats.values["Warnings"].text() == str(dry_run.warning_count)
    issues = wizard.check_issues.issues()
    assert len(issues) == dry_run.warning_count and {i["row"] for i in issues} <= set(range(1, 15))
    assert all(i["field"] == "phone" and i["severity"] == "warning" for i in issues)
    assert wizard.check_issues.data(wizard.check_issues.index(0, 0)) == "1"
    assert "phone" in wizard.check_issues.data(wizard.check_issues.index(0, 3))

    # Back, map it as an email again: the summary is clean, and Import writes the 14 customers.
    _click(qtbot, wizard.back_button)
    combo.setCurrentIndex(combo.findData("email"))
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    assert wizard.check_stats.values["Would add"].text() == "14"
    assert wizard.check_stats.values["Warnings"].text() == "0"
    assert wizard.check_issues.total == 0
    assert "14 rows" in wizard.import_button.text()
    _click(qtbot, wizard.import_button)
    wait_for_page(qtbot, wizard, wizard.result_page)
    assert "Imported shopify_customers.csv" in wizard.result_message.text()
    assert vault.count("source_records") == 14

    # The Imports page lists it, the status bar counts it.
    page = window.imports_page
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 0)) == "shopify_customers.csv"
    assert "Shopify" in page.model.data(page.model.index(0, 1))
    assert page.model.data(page.model.index(0, 4)) == "14"
    assert page.model.data(page.model.index(0, 8)) == "Imported"
    assert "14 records" in window.counts_label.text()
    _click(qtbot, wizard.result_close)
    assert not wizard.isVisible()

    # Same header again: the core remembers the mapping.
    again = open_wizard(qtbot, window, SHOPIFY)
    wait_for_page(qtbot, again, again.mapping_page)
    assert again.plan.mapping_origin == "remembered"
    assert "last time" in again.origin_label.text()
    again.reject()


def test_unknown_file_is_a_best_guess_and_overrides_re_read_it(qtbot, unlocked_window):
    _controller, window = unlocked_window(profiles=0)
    wizard = open_wizard(qtbot, window, GENERIC_DE)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    text = wizard.detected_label.text()
    assert "best guess" in text and "confidence" in text and "%" in text
    assert wizard.plan.preset is None and wizard.plan.mapping_origin == "guessed"
    assert wizard.delimiter_combo.isVisible() and wizard.encoding_combo.isVisible()
    assert not wizard.sheet_combo.isVisible(), "a CSV has no sheets"
    assert wizard.delimiter_combo.currentData() == ";"
    assert wizard.encoding_combo.currentData() == "cp1252"
    assert "day first" in wizard.read_label.text() and "decimal comma" in wizard.read_label.text()
    assert wizard.region_combo.currentData() == "" and wizard.plan.region == "DE"
    assert wizard.region_combo.currentText().startswith("Automatic: Germany")
    assert "read as Germany (DE)" in wizard.read_label.text(), "German numbers in a shop whose default is the US"
    columns = wizard.preview_model.columnCount()
    assert columns == 14

    # Read it as comma-separated: re-planned, the columns change.
    choose(wizard.delimiter_combo, ",")
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert wizard.plan.table.delimiter == ","
    assert wizard.preview_model.columnCount() != columns
    assert "comma-separated" in wizard.read_label.text()
    assert len(wizard.mapping_header.combos) == wizard.preview_model.columnCount()

    # Back to semicolons, then a date order and a region chosen by hand.
    choose(wizard.delimiter_combo, ";")
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert wizard.preview_model.columnCount() == columns
    choose(wizard.date_combo, "MDY")
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert wizard.plan.date_order.order == "MDY"
    assert "as you chose" in wizard.read_label.text()
    choose(wizard.region_combo, "AT")
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert wizard.plan.region == "AT" and wizard.plan.phone_region.grounds == "chosen"
    assert wizard.region_combo.currentData() == "AT"
    assert wizard.region_combo.itemText(0).startswith("Automatic: Germany")
    wizard.reject()


def _checked_big_file(qtbot, unlocked_window, tmp_path, rows: int):
    """A made-up Shopify export of ``rows`` people, opened and checked: (vault, window, wizard, counts before)."""
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    big = write_big_shopify_csv(tmp_path / "shopify_big.csv", rows)
    before = counts(vault)
    wizard = open_wizard(qtbot, window, big)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page, timeout=60_000)
    assert wizard.check_stats.values["Rows"].text() == f"{rows:,}"
    return vault, window, wizard, before


def test_cancel_mid_import_leaves_the_vault_unchanged(qtbot, unlocked_window, tmp_path):
    vault, window, wizard, before = _checked_big_file(qtbot, unlocked_window, tmp_path, 30_000)

    seen = []
    wizard.progress.changed.connect(lambda done, total: seen.append((done, total)))
    _click(qtbot, wizard.import_button)
    qtbot.waitUntil(lambda: bool(seen) and wizard.progress_bar.value() > 0, timeout=TIMEOUT)
    assert wizard.progress_bar.maximum() >= 30_000
    _click(qtbot, wizard.cancel_button)
    assert wizard.cancel_button.text() == "Cancelling…"
    wait_for_page(qtbot, wizard, wizard.result_page, timeout=60_000)
    assert "cancelled" in wizard.result_message.text().lower()
    assert "nothing was changed" in wizard.result_message.text().lower()
    assert seen[-1][0] < 30_000, "the import stopped before its end"
    assert counts(vault) == before
    assert window.imports_page.model.rowCount() == 0


def test_a_full_disk_during_an_import_is_said_plainly_and_changes_nothing(qtbot, unlocked_window, tmp_path,
                                                                          monkeypatch):
    """The import's worker connection may grow the vault by a few pages only (SQLite then reports the disk full)."""
    vault, _window, wizard, before = _checked_big_file(qtbot, unlocked_window, tmp_path, 3000)
    opened = type(vault).new_connection

    def nearly_full(self):
        conn = opened(self)
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0] + 30}")
        return conn

    monkeypatch.setattr(type(vault), "new_connection", nearly_full)
    _click(qtbot, wizard.import_button)
    wait_for_page(qtbot, wizard, wizard.result_page, timeout=60_000)
    shown = wizard.result_message.text()
    assert shown.startswith("The disk is full: nothing was changed. Free some space")
    assert shown.lower().count("nothing was changed") == 1 and "Error" not in shown
    assert counts(vault) == before


def test_validation_summary_lists_rejected_rows_with_their_numbers(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    people = tmp_path / "people.csv"
    people.write_text(
        "Email,Phone,First Name,Notes,City\n"
        "ann@example.com,,Ann,,Paris\n"
        ",,,,Berlin\n"
        "not-an-email,,Bob,,Rome\n",
        encoding="utf-8",
    )
    wizard = open_wizard(qtbot, window, people)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    assert wizard.check_stats.values["Rows"].text() == "3"
    assert wizard.check_stats.values["Rejected"].text() == "1"
    issues = wizard.check_issues.issues()
    rejected = [i for i in issues if i["severity"] == "rejected"]
    assert [i["row"] for i in rejected] == [2]
    assert "nothing identifies a person" in rejected[0]["reason"]
    warnings = [i for i in issues if i["severity"] == "warning"]
    assert [(i["row"], i["field"]) for i in warnings] == [(3, "email")]
    rows_shown = [wizard.check_issues.data(wizard.check_issues.index(r, 0)) for r in range(wizard.check_issues.rowCount())]
    kinds = [wizard.check_issues.data(wizard.check_issues.index(r, 1)) for r in range(wizard.check_issues.rowCount())]
    assert ("2", "Rejected") in zip(rows_shown, kinds) and ("3", "Warning") in zip(rows_shown, kinds)
    assert "kept out" in wizard.check_note.text()
    assert "2 rows" in wizard.import_button.text()
    assert counts(controller.session.vault) == (0, 0)
    wizard.reject()


def test_a_warning_about_the_whole_file_is_shown_in_full_above_the_rows(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    people = tmp_path / "people.csv"
    people.write_bytes("Email,First Name,City\r\nchloe@example.org,Chloé,Paris\r\n".encode("utf-8")
                       + "jose@example.com,José,Zürich\r\n".encode("cp1252"))
    wizard = open_wizard(qtbot, window, people)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    note = wizard.check_note.text()
    assert note.startswith("About the whole file: 2 bytes") and "line 3" in note and "Windows-1252" in note
    assert "José" not in note
    wizard.reject()


def test_a_file_with_nothing_importable_cannot_be_imported_and_says_why(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    note = tmp_path / "notes.txt"
    note.write_text("Remember to order more mugs\nCall the printer on Monday\nTea towels: 40 left\n",
                    encoding="utf-8")
    wizard = open_wizard(qtbot, window, note)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    assert "Nothing in this file can be imported" in wizard.check_note.text()
    assert not wizard.import_button.isEnabled()
    wizard.reject()


def test_cancelling_after_choosing_columns_asks_first(qtbot, unlocked_window, monkeypatch):
    _controller, window = unlocked_window(profiles=0)
    wizard = open_wizard(qtbot, window, GENERIC_DE)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    asked = []
    answer = QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args[2]) or answer)
    _click(qtbot, wizard.mapping_cancel)   # nothing chosen yet: no question
    assert not asked and not wizard.isVisible()

    wizard = open_wizard(qtbot, window, GENERIC_DE)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    combo = wizard.mapping_header.combos[0]
    combo.setCurrentIndex(combo.findData("company"))
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    assert asked and "Close without importing?" in asked[0] and wizard.isVisible()   # kept open
    answer = QMessageBox.StandardButton.Close
    _click(qtbot, wizard.mapping_cancel)
    assert not wizard.isVisible()


def _drop(window, *paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(300, 300), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


def test_a_dropped_garbage_file_is_refused_plainly_and_the_next_file_continues(qtbot, unlocked_window):
    controller, window = unlocked_window(profiles=0)
    _drop(window, GARBAGE, SHOPIFY)
    wizard = window.import_wizard
    assert wizard is not None and wizard.isVisible()
    wait_for_page(qtbot, wizard, wizard.error_page)
    message = wizard.error_message.text()
    assert "garbage.bin" in message and "not a CSV or spreadsheet" in message
    assert "Traceback" not in message and wizard.step.text() == "File 1 of 2"
    assert counts(controller.session.vault) == (0, 0)

    _click(qtbot, wizard.error_next)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert wizard.step.text() == "File 2 of 2" and "Shopify" in wizard.detected_label.text()
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    _click(qtbot, wizard.import_button)
    wait_for_page(qtbot, wizard, wizard.result_page)
    assert "garbage.bin" in wizard.outcomes_label.text() and "shopify_customers.csv" in wizard.outcomes_label.text()
    assert controller.session.vault.count("source_records") == 14


def test_a_drop_of_a_folder_or_while_locked_is_ignored(qtbot, unlocked_window, tmp_path):
    _controller, window = unlocked_window(profiles=0)
    _drop(window, tmp_path)
    assert window.import_wizard is None
    window.lock("user")
    assert window.open_import_wizard([SHOPIFY]) is None
    assert not window.action_import.isEnabled()


def test_locking_during_an_import_rolls_it_back_and_closes_the_wizard(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    big = write_big_shopify_csv(tmp_path / "shopify_big.csv", 30_000)
    path = controller.session.path
    wizard = open_wizard(qtbot, window, big)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page, timeout=60_000)
    _click(qtbot, wizard.import_button)
    qtbot.waitUntil(lambda: wizard.progress_bar.value() > 0, timeout=TIMEOUT)
    window.lock("user")
    assert window.is_locked and not wizard.isVisible()
    qtbot.wait(50)

    from c360_desktop.core.vault import Vault

    from .conftest import PASSPHRASE

    with Vault.open(path, PASSPHRASE) as reopened:
        assert counts(reopened) == (0, 0)


def _check_and_import(qtbot, window, path):
    wizard = open_wizard(qtbot, window, path)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    return wizard


def test_re_importing_an_unchanged_file_says_nothing_would_change(qtbot, unlocked_window):
    controller, window = unlocked_window(profiles=0)
    first = _check_and_import(qtbot, window, SHOPIFY)
    assert first.import_button.text() == "Import: add 14 rows"
    _click(qtbot, first.import_button)
    wait_for_page(qtbot, first, first.result_page)
    _click(qtbot, first.result_close)

    again = _check_and_import(qtbot, window, SHOPIFY)
    assert again.check_stats.values["Unchanged"].text() == "14"
    assert again.import_button.text() == "Import (nothing changes)"
    assert "14 rows" not in again.import_button.text()
    assert "Nothing would change: 14 rows are already in the vault exactly as in this file." \
        in again.check_note.text()
    again.reject()


def test_one_row_is_a_row(qtbot, unlocked_window, tmp_path):
    _controller, window = unlocked_window(profiles=0)
    one = tmp_path / "one.csv"
    one.write_text("Email,First Name,City\nann@example.com,Ann,Paris\n", encoding="utf-8")
    wizard = open_wizard(qtbot, window, one)
    wait_for_page(qtbot, wizard, wizard.mapping_page)
    assert "The first row is shown." in wizard.origin_label.text()
    _click(qtbot, wizard.check_button)
    wait_for_page(qtbot, wizard, wizard.check_page)
    assert wizard.check_summary.text().startswith("1 row read from one.csv.")
    assert wizard.import_button.text() == "Import: add 1 row"
    _click(qtbot, wizard.import_button)
    wait_for_page(qtbot, wizard, wizard.result_page)
    assert wizard.match_hint.text().startswith("1 record is new or changed since the last matching run.")
    assert window.counts_label.text().split() == ["1", "record", "·", "0", "profiles", "·", "0", "pending", "reviews"]
    _click(qtbot, wizard.result_close)


def test_the_result_offers_to_run_matching_when_the_profiles_lag_behind(qtbot, unlocked_window):
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    wizard = _check_and_import(qtbot, window, SHOPIFY)
    _click(qtbot, wizard.import_button)
    wait_for_page(qtbot, wizard, wizard.result_page)
    assert wizard.match_hint.text().startswith("14 records are new or changed since the last matching run.")
    assert "Run matching" in wizard.match_hint.text()
    with qtbot.waitSignal(window.match_runner.finished, timeout=TIMEOUT):
        _click(qtbot, wizard.result_match)
    assert not wizard.isVisible()
    assert vault.count("profiles") > 0 and vault.count("profile_members") == vault.count("source_records")
    assert window.current_page() is window.review_page

    again = _check_and_import(qtbot, window, SHOPIFY)
    _click(qtbot, again.import_button)
    wait_for_page(qtbot, again, again.result_page)
    assert again.match_hint.isHidden() and again.result_match.isHidden()   # nothing new to match
    _click(qtbot, again.result_close)


def test_the_wizard_names_the_columns_an_export_added_and_says_why_each_is_mapped(qtbot, unlocked_window, tmp_path):
    from tests.ingest.test_import_rows import EVENTBRITE, _attendee
    from tests.ingest.test_importer import write_csv

    _controller, window = unlocked_window()
    header = EVENTBRITE + ["Mobile / WhatsApp", "Postcode", "Dietary requirements"]
    rows = [_attendee("9170", "Ann", "Lee", "ann@example.com", "1501") + ["+44 7700 900123", "SW1A 1AA", "Vegan"]]
    wizard = open_wizard(qtbot, window, write_csv(tmp_path / "Attendees-918273645.csv", header, rows))
    assert "Mobile / WhatsApp and Postcode are not Eventbrite's own columns" in wizard.origin_label.text()
    combo = wizard.mapping_header.combos[header.index("Postcode")]
    assert combo.field() == "postal_code" and combo.toolTip() == "Why: a column added to the Eventbrite export: header name"
