"""Privacy page › Audit log: filter, CSV export of the filtered entries, integrity check, lazy loading."""

from __future__ import annotations

import csv
from datetime import date, timedelta

from PySide6.QtWidgets import QLabel

from c360_desktop.core import audit
from c360_desktop.ui.models.audit_log import AuditFilter, AuditLogModel
from c360_desktop.ui.pages import privacy
from c360_desktop.ui.pages.privacy import PrivacyPage

from .privacy_world import page_on, settle


def _fill(vault, imports: int = 5, reveals: int = 3) -> None:
    for i in range(imports):
        vault.audit("import_finished", {"import_id": i, "rows": i * 10})
    for i in range(reveals):
        vault.audit("field_revealed", {"profile_id": i, "field": "email"})


def test_filter_narrows_the_rows(qtbot, vault):
    _fill(vault)
    page = page_on(qtbot, PrivacyPage, vault)
    everything = page.model.rowCount()
    assert everything == page.model.total >= 9

    page.set_audit_filter(action="field_revealed")
    assert page.model.rowCount() == 3
    assert {page.model.index(r, 2).data() for r in range(3)} == {"Field revealed"}
    assert "3 entries match" in page.audit_count.text()

    page.set_audit_filter(text="import fin")
    assert page.model.rowCount() == 5

    tomorrow = AuditFilter(since=date.today() + timedelta(days=1))
    assert vault.conn.execute(f"SELECT count(*) FROM audit_log WHERE {tomorrow.where()[0]}",
                              tomorrow.where()[1]).fetchone()[0] == 0
    page.set_audit_filter(since=date.today(), until=date.today())
    assert page.model.rowCount() == everything
    page.set_audit_filter(until=date.today() - timedelta(days=1))
    assert page.model.rowCount() == 0
    page.set_audit_filter()
    assert page.model.rowCount() == everything


def test_details_read_as_plain_words(qtbot, vault, tmp_path):
    from c360_desktop.core.privacy.erasure import erase_profile
    from c360_desktop.core.privacy.requests import open_request
    from c360_desktop.core.privacy.restriction import object_to_marketing, restrict_processing

    from .privacy_world import build_shop

    ids = build_shop(vault, tmp_path)
    restrict_processing(vault, ids["ben"], "disputes the data")
    object_to_marketing(vault, ids["ben"], "letter")
    open_request(vault, "access", "Letter 2024-03")
    erase_profile(vault, ids["ann"])
    page = page_on(qtbot, PrivacyPage, vault)
    details = {page.model.index(r, 2).data(): page.model.index(r, 3).data() for r in range(page.model.rowCount())}
    assert details["Processing restricted"] == f"customer #{ids['ben']} · restriction #1"
    assert details["Marketing objection"] == (f"customer #{ids['ben']} · restriction #2 · consent withdrawn for: "
                                              "Email marketing, SMS marketing, Postal marketing, Profiling / analytics")
    assert details["Privacy request opened"].startswith("request #1 · kind: Access (Art. 15)")
    erased = details["Profile erased"]
    assert erased.startswith(f"customer #{ids['ann']} · erasure receipt #1 · removed: 2 records imported from your "
                             "tools")
    assert "kept only as keyed hashes on the suppression list: " in erased
    for text in details.values():
        for raw in ("{", "[", "null", "_", "true", "false"):
            assert raw not in (text or ""), text


def test_the_filters_do_not_overlap(qtbot, unlocked_window):
    _controller, window = unlocked_window()
    page = window.privacy_page
    window.show_page(window.pages.index(page))
    page.tabs.setCurrentIndex(3)
    labels = {w.text(): w for w in page.text_filter.parentWidget().findChildren(QLabel)}
    row = [page.action_filter, page.text_filter, labels["From"], page.since_filter, labels["to"], page.until_filter]
    for size in ((1180, 740), window.minimumSize().toTuple()):   # the default window and the narrowest one
        window.resize(*size)
        qtbot.wait(50)
        for left, right in zip(row, row[1:]):
            assert left.geometry().right() < right.geometry().left(), (size, left.objectName() or left.text())
        assert page.text_filter.width() >= page.text_filter.minimumWidth()


def test_typing_in_the_text_filter_applies_it(qtbot, vault):
    _fill(vault)
    page = page_on(qtbot, PrivacyPage, vault)
    page.text_filter.setText("revealed")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=3000)


def test_export_writes_the_filtered_entries(qtbot, vault, tmp_path, monkeypatch):
    _fill(vault)
    vault.audit("odd_event", {"note": "=cmd|' /C calc'!A0"})
    page = page_on(qtbot, PrivacyPage, vault)
    target = tmp_path / "audit.csv"
    monkeypatch.setattr(privacy, "choose_csv_path", lambda _parent, _suggested: target)
    page.set_audit_filter(action="field_revealed")
    assert page.export_audit()
    qtbot.waitUntil(lambda: target.exists() and "Saved" in page.result.text(), timeout=5000)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["seq", "at", "actor", "action", "details"]
    assert [r[3] for r in rows[1:]] == ["field_revealed"] * 3
    assert [int(r[0]) for r in rows[1:]] == sorted((int(r[0]) for r in rows[1:]), reverse=True)
    assert "3 entries" in page.result.text()

    page.set_audit_filter(action="odd_event")
    assert page.export_audit()
    qtbot.waitUntil(lambda: "1 entry" in page.result.text(), timeout=5000)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        row = list(csv.reader(handle))[1]
    assert row[3] == "odd_event" and row[4].startswith('{"note"')


def test_export_to_an_unwritable_place_says_so(qtbot, vault, tmp_path, monkeypatch):
    page = page_on(qtbot, PrivacyPage, vault)
    monkeypatch.setattr(privacy, "choose_csv_path", lambda _parent, _suggested: tmp_path / "missing" / "a.csv")
    assert page.export_audit()
    settle(qtbot)
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=5000)
    assert "could not be used" in page.result.text() and page.result.objectName() == "Error"


def test_verify_reports_ok_then_the_broken_entry(qtbot, vault):
    _fill(vault)
    page = page_on(qtbot, PrivacyPage, vault)
    report = page.verify()
    assert report.ok and "intact" in page.result.text()

    raw = vault.new_connection()  # as an attacker with the key would: triggers dropped, one entry edited
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET details = '{\"rows\": 999}' WHERE seq = 3")
    vault.release_connection(raw)
    report = page.verify()
    assert not report.ok and report.first_broken_seq == 3
    assert "tampered" in page.result.text() and "#3" in page.result.text()


def test_the_model_fetches_lazily(qtbot, vault):
    with vault.transaction() as conn:
        for i in range(1000):
            audit.append(conn, "import_finished", {"rows": i})
    model = AuditLogModel()
    model.set_vault(vault)
    assert model.total == 1001 and model.rowCount() == AuditLogModel.PAGE_SIZE
    assert model.index(0, 0).data() == "1001"
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 1001 and model.index(1000, 0).data() == "1"
    model.set_filter(AuditFilter(action="vault_created"))
    assert model.rowCount() == model.total == 1
