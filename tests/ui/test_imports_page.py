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

from .importing import SHOPIFY, TIMEOUT


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
    assert page.undo_selected() is False
    assert vault.count("source_records") == 14
    assert "shopify_customers.csv" in asked[0] and "14 records" in asked[0]

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
