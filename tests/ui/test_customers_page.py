"""The Customers page: search as you type, filters, header sorting, opening a profile, locking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from c360_desktop.core.profiles.search import SearchResult
from c360_desktop.ui.models import customers as customers_model
from c360_desktop.ui.models.customers import COLUMNS, PROFILE_ID_ROLE, TOOLS_ROLE
from c360_desktop.ui.pages.customers import SEARCH_FIELD_CHROME, TOOLS_MINIMUM_WIDTH

from .conftest import insert_profiles
from .profile_world import CANARY_EMAIL, build_world, customers_page, list_texts, search
from .reviewing import TIMEOUT, copy_vault, matched_template, open_review, unmatched_template  # noqa: F401


def _names(page) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def test_search_finds_a_phone_typed_another_way_and_a_name_without_accents(qtbot, open_vault, tmp_path):
    world = build_world(open_vault, tmp_path)
    page = customers_page(qtbot, open_vault)
    search(qtbot, page, "(415) 555-0101")
    assert [page.model.data(page.model.index(r, 0), PROFILE_ID_ROLE) for r in range(page.model.rowCount())] \
        == [world["zoe"]]
    assert _names(page) == ["Zoë Müller"]
    assert page.status_label.text() == "1 match"

    search(qtbot, page, "zoe muller")
    assert _names(page) == ["Zoë Müller"]
    search(qtbot, page, "ZOË")
    assert _names(page) == ["Zoë Müller"]
    search(qtbot, page, "zz-nobody")
    assert page.model.rowCount() == 0 and "No customer matches" in page.status_label.text()
    search(qtbot, page, "")
    assert page.model.rowCount() == page.model.total > 20 and page.status_label.text() == ""


def test_search_waits_for_a_pause_in_typing(qtbot, open_vault, tmp_path):
    build_world(open_vault, tmp_path)
    page = customers_page(qtbot, open_vault)
    everyone = page.model.rowCount()
    page.search.setText("carla")
    assert page.model.rowCount() == everyone            # not on the keystroke itself
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=2000)


def test_a_search_that_stopped_early_says_keep_typing(qtbot, open_vault, tmp_path, monkeypatch):
    build_world(open_vault, tmp_path)
    real = customers_model.search_profiles

    def capped(conn, query, region="US"):
        found = real(conn, query, region=region, limit=3)
        return SearchResult(found.profile_ids, True)

    monkeypatch.setattr(customers_model, "search_profiles", capped)
    page = customers_page(qtbot, open_vault)
    search(qtbot, page, "a")
    assert page.model.rowCount() == 3
    assert page.status_label.text() == "3+ matches — keep typing to narrow"


def test_masked_in_the_list_unless_the_policy_shows_them(qtbot, open_vault, tmp_path):
    build_world(open_vault, tmp_path)
    page = customers_page(qtbot, open_vault)
    search(qtbot, page, "canary")
    texts = " ".join(list_texts(page.model))
    assert "Carla Canary" in texts
    assert CANARY_EMAIL not in texts and "555 0173" not in texts and "5550173" not in texts
    assert page.footnote.isVisible()


def test_header_clicks_sort_indexed_columns_and_ignore_the_others(qtbot, open_vault):
    insert_profiles(open_vault, 40)
    page = customers_page(qtbot, open_vault)
    spent = [c.key for c in COLUMNS].index("spent")
    page.sort_by_column(spent)
    assert page.model.sort_key == "spent" and page.model.descending   # money: biggest first
    assert page.model.data(page.model.index(0, spent)) == "500.00"
    page.sort_by_column(spent)
    assert not page.model.descending and page.model.data(page.model.index(0, spent)) == "12.50"
    header = page.table.horizontalHeader()
    assert header.sortIndicatorSection() == spent and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    page.sort_by_column([c.key for c in COLUMNS].index("email"))
    assert page.model.sort_key == "spent" and header.sortIndicatorSection() == spent


def test_filter_choices_come_from_the_vault(qtbot, open_vault, tmp_path):
    world = build_world(open_vault, tmp_path)
    from c360_desktop.core.profiles.edits import add_note

    add_note(open_vault, world["zoe"], "tag", "VIP", "regular since 2019")
    page = customers_page(qtbot, open_vault)
    assert page.source_combo.findData("sheet:newsletter") > 0
    page.tag_combo.setCurrentIndex(page.tag_combo.findData("vip"))
    page.apply_filter()
    assert _names(page) == ["Zoë Müller"] and page.status_label.text() == "1 match"
    page.source_combo.setCurrentIndex(page.source_combo.findData("sheet:crm"))
    page.tag_combo.setCurrentIndex(0)
    page.apply_filter()
    assert sorted(_names(page)) == ["Carla Canary", "Zoë Müller"]


def test_double_click_and_enter_open_the_profile_and_back_returns(qtbot, open_vault, tmp_path):
    world = build_world(open_vault, tmp_path)
    page = customers_page(qtbot, open_vault)
    search(qtbot, page, "zoe")
    index = page.model.index(0, 0)
    rect = page.table.visualRect(index)
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.views.currentWidget() is page.profile and page.profile.profile_id == world["zoe"]
    assert not page.header_box.isVisible()
    qtbot.mouseClick(page.profile.back_button, Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.list_view and page.profile.profile_id is None
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.profile.profile_id == world["zoe"]


def test_locking_forgets_the_search_the_profile_and_the_reveals(qtbot, open_vault, tmp_path):
    world = build_world(open_vault, tmp_path)
    page = customers_page(qtbot, open_vault)
    search(qtbot, page, CANARY_EMAIL)
    assert page.open_profile(world["carla"])
    reveals = page.reveals
    page.on_locked()
    assert page.search.text() == "" and page.model.rowCount() == 0
    assert page.profile.view is None and page.views.currentWidget() is not page.profile
    assert page.reveals is None and not reveals.is_revealed(world["carla"], "email")
    page.on_unlocked(open_vault)
    assert page.reveals is not None and page.reveals is not reveals
    assert page.model.rowCount() == page.model.total


# ---------------------------------------------------------------------------- before matching, and the layout

@pytest.fixture
def unmatched_window(qtbot, controller_factory, unmatched_template, vault_path):  # noqa: F811
    controller, window, _review = open_review(qtbot, controller_factory, copy_vault(unmatched_template, vault_path))
    window.show_page(0)
    return controller.session.vault, window


@pytest.fixture
def matched_window(qtbot, controller_factory, matched_template, vault_path):  # noqa: F811
    controller, window, _review = open_review(qtbot, controller_factory, copy_vault(matched_template, vault_path))
    window.show_page(0)
    return controller.session.vault, window


def test_before_matching_the_page_counts_the_imported_records_and_runs_matching(qtbot, unmatched_window):
    vault, window = unmatched_window
    page = window.customers_page
    records = vault.count("source_records")
    assert records > 0 and vault.count("profiles") == 0
    assert page.views.currentWidget() is page.empty
    assert page.empty.heading.text() == f"{records:,} records imported, not matched yet"
    assert "No customers yet" not in page.empty.heading.text() and "Import an export" not in page.empty.text.text()
    button = page.empty_match_button
    assert button.isVisible() and button.isEnabled()

    with qtbot.waitSignal(window.match_runner.finished, timeout=TIMEOUT):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert page.progress.isVisible() and not button.isEnabled()
    qtbot.waitUntil(lambda: page.views.currentWidget() is page.list_view, timeout=TIMEOUT)
    assert page.model.everyone == vault.count("profiles") > 0
    qtbot.waitUntil(lambda: "Matching done" in page.message.text(), timeout=TIMEOUT)
    assert not page.unmatched_bar.isVisible() and not page.progress.isVisible()
    window.review_page.data_changed.emit()   # a review decision later: the result's counts are no longer true
    assert "Matching done" not in page.message.text()


def test_records_imported_after_matching_are_announced_above_the_list(qtbot, matched_window, tmp_path):
    from tests.identity.helpers import import_people

    vault, window = matched_window
    page = window.customers_page
    assert not page.unmatched_bar.isVisible()
    import_people(vault, tmp_path, "late", [{"id": "l1", "first": "Lena", "last": "Late", "phone": "512-555-0199"}])
    page.on_unlocked(vault)
    assert page.unmatched_bar.isVisible()
    assert page.unmatched_label.text() == ("1 imported record is in no profile yet: run matching to add it to the "
                                           "customers.")
    with qtbot.waitSignal(window.match_runner.finished, timeout=TIMEOUT):
        qtbot.mouseClick(page.match_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.unmatched_bar.isVisible(), timeout=TIMEOUT)


@pytest.mark.parametrize("width", [1180, 1024, 980])
def test_the_search_box_sits_beside_the_filters_with_a_whole_hint(qtbot, matched_window, width):
    vault, window = matched_window
    page = window.customers_page
    window.resize(width, 740)
    qtbot.wait(30)
    boxes = [page.search, page.source_combo, page.consent_combo, page.tag_combo, page.restricted_check]
    for left, right in zip(boxes, boxes[1:]):
        assert left.geometry().right() < right.geometry().left(), (left.objectName(), right.objectName())
    assert boxes[-1].geometry().right() <= page.list_view.width()
    hint = page.search.placeholderText()
    assert page.search.fontMetrics().horizontalAdvance(hint) <= page.search.width() - SEARCH_FIELD_CHROME
    if width >= 1180:
        assert hint == "Search name, email, phone, order or ticket…"
    assert page.search.toolTip() == "Search name, email, phone, order or ticket…"


def _badge_width(metrics, first: str, rest: int) -> float:
    """What ``ToolBadgesDelegate`` needs to draw the first tool and "+rest" beside it."""
    more = metrics.horizontalAdvance(f"+{rest}") + 16 if rest else 0
    return 6 + metrics.horizontalAdvance(first) + 12 + more + 4


@pytest.mark.parametrize("width", [1180, 1024])
def test_every_row_of_seen_in_names_a_tool(qtbot, matched_window, width):
    from PySide6.QtGui import QFont, QFontMetrics

    vault, window = matched_window
    page = window.customers_page
    window.resize(width, 740)
    qtbot.wait(30)
    tools = [c.key for c in COLUMNS].index("tools")
    column_width = page.table.columnWidth(tools)
    font = QFont(page.table.font())
    font.setPointSizeF(font.pointSizeF() * 0.86)
    metrics = QFontMetrics(font)
    rows = [page.model.data(page.model.index(r, tools), TOOLS_ROLE) for r in range(page.model.rowCount())]
    assert any(len(row) > 5 for row in rows)
    for row in rows:
        assert _badge_width(metrics, row[0], len(row) - 1) <= column_width, (row, column_width)
    if width >= 1180:  # the default window shows every column without scrolling sideways, whatever the sort
        assert page.table.horizontalScrollBar().maximum() == 0
        page.sort_by_column([c.key for c in COLUMNS].index("spent"))
        qtbot.wait(30)
        assert page.table.horizontalScrollBar().maximum() == 0


def test_tool_names_all_fit_the_narrowest_seen_in_column():
    from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication

    from c360_desktop.ui.models.review import _tools, source_label

    font = QFont(QGuiApplication.font())
    font.setPointSizeF(font.pointSizeF() * 0.86)
    metrics = QFontMetrics(font)
    for source in _tools():
        assert _badge_width(metrics, source_label(source, short=True), 99) <= TOOLS_MINIMUM_WIDTH, source
