"""Privacy page › Requests and Find a person: open, highlight overdue, extend with a reason, close, act."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from c360_desktop.core.privacy.requests import list_requests, open_request
from c360_desktop.ui import theme
from c360_desktop.ui.dialogs import privacy_actions
from c360_desktop.ui.models.privacy_requests import OVERDUE_ROLE
from c360_desktop.ui.pages.privacy import PrivacyPage

from .privacy_world import ANN, BEN, build_shop, page_on


def _open_overdue_request(page, ann: int):
    dialog = page.new_request()
    dialog.kind.setCurrentIndex(dialog.kind.findData("access"))
    dialog.reference.setText("Ticket 4821")
    dialog.set_received(date.today() - timedelta(days=40))
    assert "overdue" in dialog.due.text()
    dialog.search.name.setText("Quillfeather")
    found = dialog.search.search()
    assert {c["profile_id"] for c in found} == {ann, found[1]["profile_id"]} and len(found) == 2
    dialog.search.model.setData(dialog.search.model.index(0, 0), Qt.CheckState.Checked.value,
                                Qt.ItemDataRole.CheckStateRole)
    assert dialog.search.checked_ids() == [ann]
    assert dialog.submit()
    return dialog.request_id


def _row_of(page, request_id: int) -> int:
    return page.requests_model.row_of(request_id)


def test_candidates_are_listed_with_masked_contact_details(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    page = page_on(qtbot, PrivacyPage, vault)
    page.finder.email.setText(ANN["email"])
    page.finder.name.setText("Quillfeather")
    found = page.finder.search()
    assert [c["profile_id"] for c in found] == sorted(ids.values())
    model = page.finder.model
    shown = [model.index(row, column).data() for row in range(model.rowCount()) for column in range(6)]
    text = " | ".join(shown)
    for secret in (ANN["email"], BEN["email"], "555 0101", "5550101"):
        assert secret not in text
    assert "a•••@e•••.org" in shown and "•••• 0101" in shown
    assert model.index(0, 5).data() == "email, name"
    assert page.find_actions.erase_button.isEnabled()


def test_find_without_anything_to_look_for_says_so(qtbot, vault):
    page = page_on(qtbot, PrivacyPage, vault)
    assert page.finder.search() == []
    assert "email, a phone number or a name" in page.finder.status.text()
    assert not page.find_actions.export_button.isEnabled()


def test_overdue_request_is_highlighted_and_counted(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    page = page_on(qtbot, PrivacyPage, vault)
    assert page.overdue_count == 0 and "overdue" not in page.subtitle_label.text()
    overdue_id = _open_overdue_request(page, ids["ann"])
    recent_id = open_request(vault, "erasure", "Letter 7", received_at=date.today() - timedelta(days=3))
    page.refresh_requests()

    model = page.requests_model
    overdue_row, recent_row = _row_of(page, overdue_id), _row_of(page, recent_id)
    assert model.index(overdue_row, 0).data(OVERDUE_ROLE) is True
    background = model.index(overdue_row, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color().name().upper() == theme.DANGER_SOFT.upper()
    due = model.index(overdue_row, 3)
    assert "overdue" in due.data() and due.data(Qt.ItemDataRole.ForegroundRole).color().name().upper() == theme.DANGER
    assert model.index(overdue_row, 4).data() == "Overdue"
    assert model.index(recent_row, 0).data(OVERDUE_ROLE) is False
    assert model.index(recent_row, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "days left" in model.index(recent_row, 3).data()

    assert page.overdue_count == 1 and page.open_count == 2
    assert "1 overdue" in page.subtitle_label.text() and "2 open requests" in page.subtitle_label.text()
    assert page.tabs.tabText(0) == "Requests (1 overdue)"

    page.requests_table.selectRow(overdue_row)
    assert page.selected_request().profile_ids == [ids["ann"]]
    assert page.linked.count() == 1 and f"#{ids['ann']}" in page.linked.item(0).text()
    assert page.request_actions.export_button.isEnabled()


def test_extend_needs_a_reason_and_close(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    page = page_on(qtbot, PrivacyPage, vault)
    request_id = _open_overdue_request(page, ids["ann"])
    page.requests_table.selectRow(_row_of(page, request_id))

    dialog = page.extend_selected()
    assert not dialog.submit()
    assert "reason" in dialog.message.text().lower() and dialog.isVisible()
    assert list_requests(vault.conn)[0].extension is None
    dialog.reason.setText("Complex request spread over several tools")
    assert dialog.submit(), dialog.message.text()
    request = page.selected_request()
    assert request.extension and not request.overdue and page.overdue_count == 0
    assert page.requests_model.index(_row_of(page, request_id), 4).data() == "Extended"
    assert not page.extend_button.isEnabled()

    closing = page.close_selected()
    closing.refused_choice.setChecked(True)
    assert not closing.submit() and "refused" in closing.message.text()
    closing.done_choice.setChecked(True)
    assert closing.submit()
    request = page.selected_request()
    assert request.status == "done" and request.closed_at
    assert not page.close_button.isEnabled() and not page.extend_button.isEnabled()
    assert [a["action"] for a in request.actions] == ["opened", "extended", "closed"]
    assert "Extended" in page.detail_actions.text() and "Closed" in page.detail_actions.text()

    page.status_filter.setCurrentIndex(page.status_filter.findData("open"))
    assert page.requests_model.rowCount() == 0
    page.status_filter.setCurrentIndex(page.status_filter.findData("closed"))
    assert page.requests_model.rowCount() == 1


def test_actions_from_a_request_pass_its_id_and_are_logged(qtbot, vault, tmp_path, monkeypatch):
    ids = build_shop(vault, tmp_path)
    request_id = open_request(vault, "objection", "Ticket 9", profile_ids=[ids["ben"]])
    page = page_on(qtbot, PrivacyPage, vault)
    page.requests_table.selectRow(_row_of(page, request_id))
    assert page.request_actions.restrict_button.text() == "Record objection…"

    calls = []

    def record_objection(parent, vault_, profile_id, kind, *, request_id=None):
        dialog = privacy_actions.RestrictDialog(vault_, profile_id, kind, request_id, parent)
        dialog.reason.setText("Asked by letter")
        calls.append((profile_id, kind, request_id, dialog.apply()))
        return True

    monkeypatch.setattr(privacy_actions, "restrict_profile_dialog", record_objection)
    changed = []
    page.data_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(page.request_actions.restrict_button, Qt.MouseButton.LeftButton)
    assert calls == [(ids["ben"], "object", request_id, True)] and changed == [True]
    request = page.selected_request()
    assert [a["action"] for a in request.actions] == ["opened", "objected"]
    assert "Objected (customer" in page.detail_actions.text()


def test_every_column_header_and_the_customers_concerned_show_in_full(qtbot, unlocked_window):
    _controller, window = unlocked_window()
    page = window.privacy_page
    open_request(page.vault, "rectification", "Letter 2024-03")
    window.show_page(window.pages.index(page))
    page.refresh_requests()
    table, header = page.requests_table, page.requests_table.horizontalHeader()
    for size in ((1180, 740), window.minimumSize().toTuple()):   # the default window and the narrowest one
        window.resize(*size)
        qtbot.wait(50)
        for column in range(page.requests_model.columnCount()):
            title = page.requests_model.headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= header.sectionSizeHint(column), (size, title)
    window.resize(1180, 740)
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0   # at the default size it all fits without scrolling

    linked = page.linked
    assert linked.item(0).text().startswith("None linked")
    assert not linked.horizontalScrollBar().isVisible() and linked.horizontalScrollBar().maximum() == 0
    metrics = linked.fontMetrics()
    assert metrics.horizontalAdvance(linked.item(0).text()) > linked.viewport().width()   # too long for a line,
    assert linked.visualItemRect(linked.item(0)).height() >= 2 * metrics.lineSpacing()    # so it wraps


def test_new_request_refuses_an_email_as_reference(qtbot, vault):
    page = page_on(qtbot, PrivacyPage, vault)
    dialog = page.new_request()
    dialog.reference.setText("ann.quill@example.org")
    assert not dialog.submit()
    assert "email" in dialog.message.text() and list_requests(vault.conn) == []
    dialog.reject()


def test_locking_empties_the_page(qtbot, vault, tmp_path):
    ids = build_shop(vault, tmp_path)
    open_request(vault, "access", "Ticket 1", received_at=date.today() - timedelta(days=40),
                 profile_ids=[ids["ann"]])
    page = page_on(qtbot, PrivacyPage, vault)
    assert page.overdue_count == 1
    page.on_locked()
    assert page.requests_model.rowCount() == 0 and page.model.rowCount() == 0
    assert page.linked.count() == 0 and "overdue" not in page.subtitle_label.text()
    assert not page.new_request_button.isEnabled()
