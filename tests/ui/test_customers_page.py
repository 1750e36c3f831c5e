"""The Customers page: search as you type, filters, header sorting, opening a profile, locking."""

from __future__ import annotations

from PySide6.QtCore import Qt

from c360_desktop.core.profiles.search import SearchResult
from c360_desktop.ui.models import customers as customers_model
from c360_desktop.ui.models.customers import COLUMNS, PROFILE_ID_ROLE

from .conftest import insert_profiles
from .profile_world import CANARY_EMAIL, build_world, customers_page, list_texts, search


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
