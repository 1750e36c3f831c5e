"""Undoing an import that changed the same record or order more than once: the state from before it comes back."""

from __future__ import annotations

import json

from c360_desktop.core.ingest.history import undo_import
from tests.ingest.test_importer import SHOPIFY_HEADER, do_import, shopify_row, write_csv

GOOGLE_HEADER = ["First Name", "Last Name", "File As", "Organization Name", "Notes", "Labels", "E-mail 1 - Label",
                 "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value", "Address 1 - Formatted", "Address 1 - City",
                 "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country"]
ORDERS_HEADER = ["Name", "Email", "Financial Status", "Currency", "Total", "Created at", "Lineitem quantity",
                 "Lineitem name", "Lineitem price", "Billing Name", "Id"]


def google_row(note, email, city, region, postal):
    return ["Dana", "Whitfield", "", "", note, "* myContacts", "* Work", email, "", "", "", city, region, postal, "US"]


def order_row(name, status, total, item, order_id):
    return [name, "ann@example.org", status, "USD", total, "2024-01-05 10:00:00 -0800", "1", item, total, "Ann Lee",
            order_id]


def record_state(vault, source_record_id) -> tuple:
    raw, file_name, last_import_id = vault.conn.execute(
        "SELECT raw, file_name, last_import_id FROM source_records WHERE source_record_id = ?",
        (source_record_id,)).fetchone()
    return json.loads(raw)["Default Address City"], file_name, last_import_id


def email_keys(vault) -> set[str]:
    return {key for key, in vault.conn.execute("SELECT key FROM record_keys WHERE kind = 'email'")}


def history_of(vault, import_id) -> int:
    return vault.conn.execute("SELECT count(*) FROM record_history WHERE import_id = ?", (import_id,)).fetchone()[0]


def test_undo_restores_a_record_an_import_updated_twice_by_its_tool_id(vault, tmp_path):
    jan = do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER,
                                     [shopify_row(1, "Ann", "Lee", "ann@example.org", city="Austin")]))
    feb = do_import(vault, write_csv(tmp_path / "customers_export_2.csv", SHOPIFY_HEADER, [
        shopify_row(1, "Ann", "Lee", "ann.denver@example.org", city="Denver"),
        shopify_row(2, "Bo", "Ng", "bo@example.org"),
        shopify_row(1, "Ann", "Lee", "ann.chicago@example.org", city="Chicago")]))
    assert (feb.inserted, feb.updated) == (1, 2)

    counts = undo_import(vault, feb.import_id)

    assert record_state(vault, "1") == ("Austin", "customers_export.csv", jan.import_id)
    assert email_keys(vault) == {"ann@example.org"}
    assert (counts["records_restored"], counts["records_removed"]) == (1, 1)
    assert history_of(vault, feb.import_id) == 0


def test_undo_of_a_google_contacts_file_with_the_same_person_twice_brings_back_the_earlier_import(vault, tmp_path):
    jan = do_import(vault, write_csv(tmp_path / "google_contacts_jan.csv", GOOGLE_HEADER,
                                     [google_row("Jan note", "dana.w@example.com", "Austin", "TX", "78701")]))
    feb = do_import(vault, write_csv(tmp_path / "google_contacts_feb.csv", GOOGLE_HEADER, [
        google_row("Feb note A", "dana.w@example.com", "Denver", "CO", "80205"),
        google_row("Feb note B", "dana.w@example.com", "Chicago", "IL", "60614")]))

    counts = undo_import(vault, feb.import_id)

    stored = vault.conn.execute("SELECT raw, file_name, last_import_id FROM source_records").fetchall()
    assert len(stored) == 1
    raw, file_name, last_import_id = stored[0]
    assert (json.loads(raw)["Notes"], json.loads(raw)["Address 1 - City"]) == ("Jan note", "Austin")
    assert (file_name, last_import_id) == ("google_contacts_jan.csv", jan.import_id)
    assert counts["records_restored"] == 1


def test_undo_leaves_a_record_the_import_created_twice_as_a_later_import_delivered_it(vault, tmp_path):
    first = do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, [
        shopify_row(1, "Ann", "Lee", "ann@example.org", city="Boston"),
        shopify_row(1, "Ann", "Lee", "ann@example.org", city="Denver")]))
    later = do_import(vault, write_csv(tmp_path / "customers_export_2.csv", SHOPIFY_HEADER,
                                       [shopify_row(1, "Ann", "Lee", "ann@example.org", city="Denver")]))
    assert (first.inserted, first.updated, later.unchanged) == (1, 1, 1)

    counts = undo_import(vault, first.import_id)

    assert record_state(vault, "1")[0] == "Denver"
    assert (counts["records_restored"], counts["records_removed"]) == (0, 0)
    assert history_of(vault, first.import_id) == 0


def test_undo_of_an_older_import_keeps_what_a_later_import_changed_since(vault, tmp_path):
    do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER,
                               [shopify_row(1, "Ann", "Lee", "ann@example.org", city="Austin")]))
    feb = do_import(vault, write_csv(tmp_path / "customers_export_2.csv", SHOPIFY_HEADER, [
        shopify_row(1, "Ann", "Lee", "ann@example.org", city="Denver"),
        shopify_row(1, "Ann", "Lee", "ann@example.org", city="Chicago")]))
    mar = do_import(vault, write_csv(tmp_path / "customers_export_3.csv", SHOPIFY_HEADER,
                                     [shopify_row(1, "Ann", "Lee", "ann@example.org", city="Seattle")]))

    counts = undo_import(vault, feb.import_id)

    assert record_state(vault, "1") == ("Seattle", "customers_export_3.csv", mar.import_id)
    assert counts["records_restored"] == 0


def test_undo_restores_an_order_an_import_changed_and_extended_further_down(vault, tmp_path):
    """The importer writes one history entry per order and import, however often the order recurs in the file."""
    jan = do_import(vault, write_csv(tmp_path / "orders_export_1.csv", ORDERS_HEADER,
                                     [order_row("#1001", "paid", "15.00", "Mug", "5001")]))
    feb = do_import(vault, write_csv(tmp_path / "orders_export_2.csv", ORDERS_HEADER, [
        order_row("#1001", "refunded", "15.00", "Mug", "5001"),
        order_row("#1002", "paid", "9.50", "Tea", "5002"),
        order_row("#1001", "", "", "Cup", "")]))

    counts = undo_import(vault, feb.import_id)

    status, data, last_import_id = vault.conn.execute(
        "SELECT status, data, last_import_id FROM events WHERE source_event_id = '#1001'").fetchone()
    assert (status, [item["name"] for item in json.loads(data)["items"]]) == ("paid", ["Mug"])
    assert last_import_id == jan.import_id
    assert (counts["events_restored"], counts["events_removed"]) == (1, 1)


def test_an_import_whose_record_a_not_the_same_person_decision_was_about_can_be_undone(vault, tmp_path):
    """The decision goes with the record; the follow-ons decided with it stay, on their own."""
    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.identity.review import decide, pending_pairs
    from tests.identity.helpers import background, import_people

    tom = {"first": "Tom", "last": "Fairweather", "phone": "+1 617 555 0148", "zip": "02134", "city": "Boston"}
    ids = {}
    for tool in ("shop", "till", "desk"):
        found = import_people(vault, tmp_path, tool, background(30, tool) + [
            dict(tom, id="t", email=f"tom@{tool}.example.com"),
            dict(tom, id="e", first="Emily", email=f"emily@{tool}.example.net")])
        ids[tool] = (found["t"], found["e"])
    run_match(vault)
    pair = next(p for p in pending_pairs(vault.conn, limit=100) if {p.left_id, p.right_id} == set(ids["shop"]))
    decide(vault, pair.id, "reject")
    shop_import = vault.conn.execute("SELECT import_id FROM source_records WHERE id = ?", (ids["shop"][0],)).fetchone()[0]
    undo_import(vault, shop_import)
    assert vault.conn.execute("SELECT count(*) FROM match_decisions WHERE with_decision IS NULL").fetchone()[0] >= 1
    assert vault.conn.execute("PRAGMA foreign_key_check").fetchall() == []
