"""CustomersModel: lazy keyset pages of 200, index-backed sorts, filters, masked values, cleared on demand."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from c360_desktop.core.profiles.listing import ListFilter
from c360_desktop.ui.models.customers import (
    COLUMNS,
    CONSENT_ROLE,
    PROFILE_ID_ROLE,
    CustomersModel,
)

from .conftest import insert_profiles
from .profile_world import list_texts

SPENT = [c.key for c in COLUMNS].index("spent")
ORDERS = [c.key for c in COLUMNS].index("orders")
NAME = [c.key for c in COLUMNS].index("name")


def _all_rows(model) -> list[int]:
    while model.canFetchMore():
        model.fetchMore()
    return [model.data(model.index(r, 0), PROFILE_ID_ROLE) for r in range(model.rowCount())]


def test_fetches_in_pages_of_200_in_name_order(qtmodeltester, open_vault):
    insert_profiles(open_vault, 447)  # 450 with the fixture's 3
    model = CustomersModel()
    model.set_vault(open_vault)
    assert model.total == 450
    assert model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    model.fetchMore()
    assert model.rowCount() == 450
    assert not model.canFetchMore()
    qtmodeltester.check(model)
    names = [model.data(model.index(r, NAME)) for r in range(450)]
    assert names == sorted(names)
    ids = [model.data(model.index(r, 0), PROFILE_ID_ROLE) for r in range(450)]
    assert len(set(ids)) == 450


def test_a_vault_without_profiles_means_an_empty_model(tmp_path, qtmodeltester):
    from c360_desktop.core.vault import Vault

    from .conftest import PASSPHRASE

    vault, _key = Vault.create(tmp_path / "empty.c360", PASSPHRASE)
    try:
        model = CustomersModel()
        model.set_vault(vault)
        assert model.rowCount() == 0 and not model.canFetchMore() and model.total == 0
        qtmodeltester.check(model)
    finally:
        vault.close()


def test_contact_details_are_masked_and_clear_drops_rows(open_vault):
    model = CustomersModel()
    model.set_vault(open_vault)
    assert model.data(model.index(0, 0)) == "Customer 0001"
    email, phone = model.data(model.index(0, 1)), model.data(model.index(0, 2))
    assert "customer1@" not in email and email == "c•••@e•••.com"
    assert "7946" not in phone
    assert model.data(model.index(0, 6)) == "2024-05-02"
    texts = " ".join(list_texts(model))
    assert "customer1@example.com" not in texts and "+44 20 7946" not in texts
    model.clear()
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_sorting_by_total_spent_is_numeric_both_ways(open_vault):
    insert_profiles(open_vault, 297)  # totals 12.50 … 3712.50: as text "100.00" < "25.00"
    model = CustomersModel()
    model.set_vault(open_vault)
    model.sort(SPENT, Qt.SortOrder.DescendingOrder)
    _all_rows(model)
    spent = [Decimal(model.data(model.index(r, SPENT))) for r in range(model.rowCount())]
    assert len(spent) == 300 and spent == sorted(spent, reverse=True) and spent[0] == Decimal("3712.50")
    model.sort(SPENT, Qt.SortOrder.AscendingOrder)
    _all_rows(model)
    spent = [Decimal(model.data(model.index(r, SPENT))) for r in range(model.rowCount())]
    assert spent == sorted(spent) and spent[0] == Decimal("12.50")


def test_sorting_by_orders_pages_through_ties_without_losing_a_row(open_vault):
    insert_profiles(open_vault, 497)  # order counts 0…6: hundreds of ties across page boundaries
    model = CustomersModel()
    model.set_vault(open_vault)
    model.sort(ORDERS, Qt.SortOrder.DescendingOrder)
    ids = _all_rows(model)
    assert len(ids) == len(set(ids)) == 500
    orders = [int(model.data(model.index(r, ORDERS))) for r in range(500)]
    assert orders == sorted(orders, reverse=True)


def test_columns_without_an_index_do_not_sort(open_vault):
    model = CustomersModel()
    model.set_vault(open_vault)
    before = _all_rows(model)
    model.sort([c.key for c in COLUMNS].index("email"), Qt.SortOrder.DescendingOrder)
    assert _all_rows(model) == before and model.sort_key == "name"


def _set_profile(vault, profile_id: int, **columns) -> None:
    assignments = ", ".join(f"{name} = ?" for name in columns)
    with vault.transaction() as tx:
        tx.execute(f"UPDATE profiles SET {assignments} WHERE id = ?", (*columns.values(), profile_id))


def test_filters_by_tool_consent_tag_and_restriction(open_vault, tmp_path):
    from c360_desktop.core.privacy.consent import record_consent
    from c360_desktop.core.privacy.restriction import restrict_processing
    from c360_desktop.core.profiles.edits import add_note, anchor_record
    from c360_desktop.core.profiles.summary import refresh_summaries

    from .profile_world import build_world

    world = build_world(open_vault, tmp_path)
    zoe, carla = world["zoe"], world["carla"]
    add_note(open_vault, zoe, "tag", "wholesale", "buys for her café")
    add_note(open_vault, carla, "tag", "vip", "regular")
    restrict_processing(open_vault, carla, "disputes the data")
    record_consent(open_vault, anchor_record(open_vault.conn, zoe), "email_marketing", "granted", "signed up")
    with open_vault.transaction() as tx:
        refresh_summaries(tx, [zoe], "2024-06-01T00:00:00+00:00")
    model = CustomersModel()
    model.set_vault(open_vault)
    everyone = model.total

    def ids(**chosen) -> list[int]:
        model.set_filter(ListFilter(**chosen))
        return sorted(_all_rows(model))

    assert ids(source="sheet:newsletter") == [zoe]
    assert ids(source="sheet:crm") == sorted([zoe, carla])
    assert len(ids(source="sheet:shop")) == everyone
    assert ids(email_consent="granted") == [zoe]
    assert len(ids(email_consent="not_granted")) == everyone - 1
    assert ids(tag="wholesale") == [zoe]
    assert ids(tag="whole") == []                  # whole tags only
    assert ids(restricted_only=True) == [carla]
    assert ids(tag="vip", restricted_only=True, source="sheet:crm") == [carla]
    assert ids(tag="wholesale", restricted_only=True) == []
    model.set_filter(ListFilter(email_consent="granted"))
    assert model.total == 1 and model.is_narrowed
    consent = [c.key for c in COLUMNS].index("consent")
    assert model.data(model.index(0, consent), CONSENT_ROLE) == ("granted", None)
    assert model.data(model.index(0, consent)) == "Email ✓  SMS ·"


def test_restricted_rows_are_marked_without_personal_data_in_tooltips(open_vault):
    _set_profile(open_vault, 2, restricted=1)
    model = CustomersModel()
    model.set_vault(open_vault)
    row = model.row_of(2)
    assert model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert "restricted" in model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole).lower()
    assert model.data(model.index(model.row_of(1), 0), Qt.ItemDataRole.DecorationRole) is None


def test_total_spent_shows_its_currency(open_vault):
    open_vault.conn.execute("UPDATE profiles SET total_spent = '45.00', spent_currency = 'GBP'"
                            " WHERE id = (SELECT min(id) FROM profiles)")
    model = CustomersModel()
    model.set_vault(open_vault)
    assert "45.00 GBP" in [model.data(model.index(r, SPENT)) for r in range(model.rowCount())]
