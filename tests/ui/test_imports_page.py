"""The Imports page: history over a model, the report of one import, CSV export, Undo, watched folders list."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from c360_desktop.core.ingest.history import list_imports
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.watch import watched_folders
from c360_desktop.ui.models.imports import ImportsModel
from c360_desktop.ui.pages import imports as imports_page_module
from c360_desktop.ui.pages.imports import protect_cell, write_report_csv

from .importing import EXPORTS, SHOPIFY, TIMEOUT


def _import(vault, path):
    return run_import(vault, plan_import(path, ImportOptions(), vault.conn))


def _people_with_problems(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("Email,First Name,City\nann@example.com,Ann,Paris\n,,Berlin\nnot-an-email,Bob,Rome\n",
                      encoding="utf-8")
    return people


def test_history_model_lists_every_import_newest_first(qtmodeltester, open_vault, tmp_path):
    _import(open_vault, SHOPIFY)
    _import(open_vault, _people_with_problems(tmp_path))
    model = ImportsModel()
    model.set_vault(open_vault)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["File", "Tool", "When", "Rows", "Added", "Updated", "Rejected", "Suppressed", "Status"]
    assert model.data(model.index(0, 0)) == "people.csv"
    assert model.data(model.index(0, 1)) == "Not recognised"
    assert model.data(model.index(0, 6)) == "1"
    assert model.data(model.index(1, 0)) == "shopify_customers.csv"
    assert model.data(model.index(1, 1)).startswith("Shopify")
    assert len(model.data(model.index(1, 2))) == 16  # YYYY-MM-DD HH:MM, local time
    model.clear()
    assert model.rowCount() == 0


def test_selecting_an_import_shows_its_issues_and_exports_them(qtbot, unlocked_window, tmp_path, monkeypatch):
    controller, window = unlocked_window(profiles=0)
    _import(controller.session.vault, _people_with_problems(tmp_path))
    window.show_page(2)
    page = window.imports_page
    page.refresh()
    assert page.views.currentWidget() is page.table
    assert page.selected_summary().file_name == "people.csv"
    assert page.report_title.text() == "people.csv"
    assert "1 rejected" in page.report_summary.text()
    rows = {(page.issues.data(page.issues.index(r, 0)), page.issues.data(page.issues.index(r, 1)))
            for r in range(page.issues.rowCount())}
    assert rows == {("2", "Rejected"), ("3", "Warning")}

    target = tmp_path / "out" / "report.csv"
    target.parent.mkdir()
    monkeypatch.setattr(imports_page_module, "choose_report_path", lambda _parent, _suggested: target)
    assert page.export_report() == target
    with open(target, encoding="utf-8-sig", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["file", "row", "kind", "column", "reason"]
    assert [r[1] for r in written[1:]] == ["2", "3"]
    assert "Report saved" in page.message.text()


def test_report_cells_are_protected_against_formulas(tmp_path):
    for dangerous in ("=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert protect_cell(dangerous) == "'" + dangerous
    assert protect_cell("plain") == "plain" and protect_cell(None) == "" and protect_cell(3) == "3"
    path = tmp_path / "r.csv"
    write_report_csv(path, "=evil.csv", [{"row": 4, "severity": "warning", "field": "email", "reason": "=HYPERLINK()"}])
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["'=evil.csv", "4", "warning", "Email", "'=HYPERLINK()"]


def test_undo_after_confirming_removes_the_records(qtbot, unlocked_window, monkeypatch):
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    report = _import(vault, SHOPIFY)
    assert vault.count("source_records") == 14
    page = window.imports_page
    window.show_page(2)
    page.refresh()
    assert page.undo_button.isEnabled()

    asked = []

    def no(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", no)
    assert page.undo_selected() is True   # it counts what the undo changes first, then asks
    qtbot.waitUntil(lambda: not page._undoing, timeout=TIMEOUT)
    assert vault.count("source_records") == 14
    assert "shopify_customers.csv" in asked[0] and "14 records" in asked[0]
    assert page.undo_button.isEnabled()

    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    assert page.undo_selected() is True
    qtbot.waitUntil(lambda: not page._undoing, timeout=TIMEOUT)
    assert vault.count("source_records") == 0
    assert [s.status for s in list_imports(vault.conn) if s.id == report.import_id] == ["undone"]
    assert page.model.data(page.model.index(0, 8)) == "Undone"
    assert "undone" in page.message.text() and "14 records removed" in page.message.text()
    assert not page.undo_button.isEnabled(), "an undone import cannot be undone twice"
    assert "0 records" in window.counts_label.text()


def test_watched_folders_are_added_and_removed_in_the_vault(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    page = window.imports_page
    folder = tmp_path / "exports"
    folder.mkdir()
    assert "No folder is watched" in page.watch_status.text()
    assert page.add_folder(folder)
    assert watched_folders(controller.session.vault) == [str(folder.resolve())]
    assert page.folders.count() == 1 and "Watching" in page.message.text()
    assert not page.add_folder(tmp_path / "missing")
    page.folders.setCurrentRow(0)
    assert page.remove_folder_button.isEnabled()
    assert page.remove_folder()
    assert watched_folders(controller.session.vault) == []
    assert page.folders.count() == 0


def test_an_issue_with_the_whole_file_is_listed_as_the_file(qtbot):
    from c360_desktop.ui.models.imports import IssuesModel

    model = IssuesModel()
    model.set_issues([{"row": None, "severity": "warning", "field": None, "reason": "3 bytes could not be read"},
                      {"row": 1200, "severity": "rejected", "field": None, "reason": "empty"}])
    assert [model.data(model.index(i, 0)) for i in range(2)] == ["File", "1,200"]


def _confirm_undo(qtbot, page, monkeypatch) -> list[str]:
    """Undo the selected import, saying Yes; returns the confirmation's text."""
    asked = []

    def yes(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    assert page.undo_selected() is True
    qtbot.waitUntil(lambda: not page._undoing, timeout=TIMEOUT)
    return asked


def test_the_undo_confirmation_states_what_the_result_reports(qtbot, unlocked_window, monkeypatch):
    """Ten order rows of nine customers: ten rows added, but nine records (and ten orders) to remove."""
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    report = _import(vault, EXPORTS / "woocommerce_orders.csv")
    records, events = vault.count("source_records"), vault.count("events")
    assert report.inserted == 10 and records == 9 and events == 10
    page = window.imports_page
    window.show_page(2)
    page.refresh()

    asked = _confirm_undo(qtbot, page, monkeypatch)
    assert "9 records and 10 events it added will be removed" in asked[0]
    assert "10 records" not in asked[0] and "the 0 it updated" not in asked[0]
    assert page.message.text() == "Import of woocommerce_orders.csv undone: 9 records and 10 events removed."
    assert vault.count("source_records") == vault.count("events") == 0


def test_one_record_is_a_record_in_the_report_and_the_undo(qtbot, unlocked_window, tmp_path, monkeypatch):
    controller, window = unlocked_window(profiles=0)
    one = tmp_path / "one.csv"
    one.write_text("Email,First Name\nnot-an-email,Ann\n", encoding="utf-8")
    _import(controller.session.vault, one)
    page = window.imports_page
    window.show_page(2)
    page.refresh()
    assert "1 row: 1 added" in page.report_summary.text() and "; 1 warning." in page.report_summary.text()
    asked = _confirm_undo(qtbot, page, monkeypatch)
    assert "1 record it added will be removed" in asked[0]
    assert page.message.text() == "Import of one.csv undone: 1 record removed."


def test_at_the_default_size_the_history_and_the_report_read_whole(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    long_reason = EXPORTS / "salesforce_contacts_report.csv"   # a report footer: a long warning
    for path in sorted(EXPORTS.glob("*.csv"))[:16]:
        if path.name not in ("empty.csv", "ground_truth.csv", long_reason.name):
            _import(vault, path)
    _import(vault, long_reason)
    window.resize(1180, 740)
    window.show_page(2)
    page = window.imports_page
    page.refresh()
    qtbot.wait(30)
    table = page.table
    assert table.viewport().height() // table.rowHeight(0) >= 9, "the history gets the height"
    tools = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
    assert max(table.fontMetrics().horizontalAdvance(tool) for tool in tools) + 16 <= table.columnWidth(1)
    assert table.columnWidth(0) >= 200 and table.textElideMode() == Qt.TextElideMode.ElideMiddle  # "…report.csv"
    assert page.model.data(page.model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == long_reason.name
    assert table.horizontalScrollBar().maximum() == 0

    assert page.selected_summary().file_name == long_reason.name
    issues = page.issues_table
    width = issues.columnWidth(3) - 12
    for row in range(page.issues.rowCount()):
        reason = page.issues.data(page.issues.index(row, 3))
        needed = issues.fontMetrics().boundingRect(0, 0, width, 0, Qt.TextFlag.TextWordWrap, reason).height()
        assert issues.rowHeight(row) >= needed, reason


def test_the_empty_history_says_what_to_do_in_full(qtbot, unlocked_window):
    controller, window = unlocked_window(profiles=0)
    window.show_page(2)
    page = window.imports_page
    qtbot.wait(30)
    assert page.views.currentWidget() is page.empty
    text = page.empty.text
    assert "…." not in text.text() and "Import files…" in text.text()
    assert text.height() >= text.heightForWidth(text.width()), "the last line is not cut"


def test_undoing_an_update_says_what_gets_its_values_back(qtbot, unlocked_window, tmp_path, monkeypatch):
    controller, window = unlocked_window(profiles=0)
    vault = controller.session.vault
    _import(vault, SHOPIFY)
    lines = SHOPIFY.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] += "son"   # one last name changed
    changed = tmp_path / "shopify_customers.csv"
    changed.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    assert _import(vault, changed).updated == 1
    page = window.imports_page
    window.show_page(2)
    page.refresh()
    asked = _confirm_undo(qtbot, page, monkeypatch)
    assert "Nothing will be removed" in asked[0] and "1 record it changed gets its previous values back." in asked[0]
    assert page.message.text() == ("Import of shopify_customers.csv undone: nothing removed. "
                                   "1 record got its previous values back.")
