"""Rows real exports bring: blank lines, footers, damaged ids, the same person twice, repeated headers."""

from __future__ import annotations

import csv
import json

from c360_desktop.core.ingest.history import undo_import
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.vault import Vault
from tests.conftest import GOOD_PASSPHRASE
from tests.ingest.test_importer import EXPORTS, SHOPIFY_HEADER, do_import, shopify_row, write_csv

CONTACTS = ["Name", "Email", "Phone", "City"]


def stored_emails(vault) -> list[str]:
    return [email for email, in vault.conn.execute("SELECT email FROM source_records ORDER BY row_number")]


def test_rows_with_one_cell_after_a_blank_line_are_data_when_fuller_rows_follow(vault, tmp_path):
    rows = [["Ann Lee", "ann@example.com", "(415) 555-0101", "Boston"], ["", "", "", ""],
            ["Bob Ray", "bob@example.com", "(415) 555-0102", "Austin"],
            ["", "carol@example.com", "", ""], ["", "dave@example.com", "", ""], ["", "", "", ""],
            ["", "erin@example.com", "", ""], ["Fay Fox", "fay@example.com", "", "Denver"]]
    report = do_import(vault, write_csv(tmp_path / "contacts.csv", CONTACTS, rows))
    assert (report.rows, report.inserted, report.rejected) == (6, 6, 0)
    assert stored_emails(vault) == ["ann@example.com", "bob@example.com", "carol@example.com", "dave@example.com",
                                    "erin@example.com", "fay@example.com"]
    assert [n for n, in vault.conn.execute("SELECT row_number FROM source_records ORDER BY id")] == [1, 3, 4, 5, 7, 8]


def test_single_cell_rows_after_a_blank_line_at_the_end_are_a_footer(vault, tmp_path):
    rows = [["Ann Lee", "ann@example.com", "(415) 555-0101", "Boston"], ["", "", "", ""],
            ["Confidential Information - Do Not Distribute", "", "", ""],
            ["Generated Friday, June 12, 2026 07:33 AM GMTZ", "", "", ""]]
    report = do_import(vault, write_csv(tmp_path / "report.csv", CONTACTS, rows))
    assert (report.rows, report.inserted, report.rejected) == (1, 1, 0)
    assert [w["row"] for w in report.warnings] == [3, 4]
    assert all("footer" in w["reason"] and "not imported" in w["reason"] for w in report.warnings)


def test_two_different_rows_with_one_email_are_two_contacts_and_a_re_import_changes_nothing(vault, tmp_path):
    rows = [["Dana Whitfield", "dana.w@example.com", "(512) 555-0193", "Austin"],
            ["Dana Whitfield", "dana.w@example.com", "", "Denver"],
            ["Dana Whitfield", "dana.w@example.com", "", "Denver"],   # the same row again: the same contact
            ["Ann Lee", "ann@example.com", "", "Boston"]]
    path = write_csv(tmp_path / "contacts.csv", CONTACTS, rows)
    report = do_import(vault, path)
    assert (report.inserted, report.updated, report.unchanged) == (3, 0, 1)
    cities = vault.conn.execute("SELECT city, phone FROM source_records WHERE email = 'dana.w@example.com'"
                                " ORDER BY id").fetchall()
    assert cities == [("Austin", "+15125550193"), ("Denver", None)]
    again = do_import(vault, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    assert vault.count("record_history") == 0


def test_an_id_a_spreadsheet_turned_into_scientific_notation_keys_nobody(vault, tmp_path):
    rows = [shopify_row(7391051234567, "Dana", "Whitfield", "dana@example.com"),
            shopify_row(7391051234568, "Maya", "Okafor", "maya@example.com"),
            shopify_row(7391051234569, "Tom", "Fairweather", "tom@example.com")]
    for row in rows:
        row[0] = "7.39105E+12"   # what Excel saves for a 13-digit number
    report = do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows))
    assert (report.inserted, report.updated) == (3, 0)
    assert sorted(stored_emails(vault)) == ["dana@example.com", "maya@example.com", "tom@example.com"]
    assert report.warning_count == 3
    assert all("scientific notation lost digits" in w["reason"] for w in report.warnings)


def test_a_postcode_without_a_country_follows_the_file_region(vault, tmp_path):
    rows = [["Olivia Smith", "olivia@example.com.au", "0412 345 678", "Sydney", "2000"],
            ["Jack Brown", "jack@example.com.au", "0412 345 679", "Darwin", "0800"]]
    path = write_csv(tmp_path / "contacts.csv", CONTACTS + ["Postcode"], rows)
    do_import(vault, path, region="AU")
    assert [p for p, in vault.conn.execute("SELECT postal_code FROM source_records ORDER BY id")] == ["2000", "0800"]


def test_the_header_row_again_mid_file_is_skipped_and_reported(vault, tmp_path):
    rows = [["Ann Lee", "ann@example.com", "", "Boston"], CONTACTS, ["Bob Ray", "bob@example.com", "", "Austin"]]
    report = do_import(vault, write_csv(tmp_path / "contacts.csv", CONTACTS, rows))
    assert (report.rows, report.inserted, report.rejected) == (3, 2, 1)
    assert report.rejections[0]["row"] == 2 and "header row again" in report.rejections[0]["reason"]
    assert stored_emails(vault) == ["ann@example.com", "bob@example.com"]


def _orders(vault) -> list[tuple]:
    return sorted((key, at, amount, status, len(json.loads(data)["items"])) for key, at, amount, status, data in
                  vault.conn.execute("SELECT source_event_id, occurred_at, amount, status, data FROM events"))


def _customers(vault) -> list[tuple]:
    return sorted(vault.conn.execute("SELECT display_name, email, phone, city FROM source_records").fetchall())


def test_an_orders_sheet_sorted_by_product_gives_the_same_orders_and_customers(tmp_path):
    """Sorting puts an order's other lines before its first (which has the total, date and buyer)."""
    header, *rows = list(csv.reader(open(EXPORTS / "shopify_orders.csv", encoding="utf-8-sig")))
    by_product = sorted(rows, key=lambda row: row[header.index("Lineitem name")])
    assert [row[0] for row in by_product] != [row[0] for row in rows]
    sorted_file = write_csv(tmp_path / "orders_export_1.csv", header, by_product)
    as_exported, _ = Vault.create(tmp_path / "a.c360", GOOD_PASSPHRASE)
    as_sorted, _ = Vault.create(tmp_path / "b.c360", GOOD_PASSPHRASE)
    do_import(as_exported, EXPORTS / "shopify_orders.csv")
    first = do_import(as_sorted, sorted_file)
    assert first.events == len({row[0] for row in rows})
    assert _orders(as_sorted) == _orders(as_exported)
    assert _customers(as_sorted) == _customers(as_exported)
    stored = as_sorted.conn.execute("SELECT * FROM events ORDER BY id").fetchall()
    again = do_import(as_sorted, sorted_file)   # no line counted twice; undoing it changes nothing
    assert (again.inserted, again.events, again.updated, again.unchanged) == (0, 0, 0, len(rows))
    assert as_sorted.conn.execute("SELECT * FROM events ORDER BY id").fetchall() == stored
    assert as_sorted.conn.execute("SELECT count(*) FROM event_history").fetchone()[0] == 0
    undo_import(as_sorted, again.import_id)
    assert _orders(as_sorted) == _orders(as_exported) and _customers(as_sorted) == _customers(as_exported)
    quantity = header.index("Lineitem quantity")
    by_product[-1][quantity] = str(int(by_product[-1][quantity]) + 1)   # a real change is still an update
    changed = do_import(as_sorted, write_csv(tmp_path / "orders_export_1.csv", header, by_product))
    assert changed.updated >= 1 and as_sorted.conn.execute("SELECT count(*) FROM event_history").fetchone()[0] == 1


SALESFORCE_REPORT = ["Contact ID", "First Name", "Last Name", "Account Name", "Mailing City", "Mailing Country",
                     "Phone", "Email", "Email Opt Out", "Contact Owner", "Created Date", "Birthdate"]


def test_a_salesforce_report_in_a_european_locale_reads_its_dates_day_first(vault, tmp_path):
    """Salesforce writes dates in its user's locale: the region decides, and dots are always day-first."""
    rows = [["0035g00000im1Fm", "Lukas", "Brenner", "Brenner GmbH", "Köln", "Deutschland", "0221 5550123",
             "lukas.brenner@example.net", "0", "Sam Ortiz", "{created}", "{birth}"]]
    for name, created, birth, region in (("de.csv", "05.03.2024", "07.11.1979", "US"),
                                         ("gb.csv", "05/03/2024", "07/11/1979", "GB")):
        row = [cell.format(created=created, birth=birth) for cell in rows[0]]
        report = do_import(vault, write_csv(tmp_path / name, SALESFORCE_REPORT, [row]), region=region)
        assert report.preset == "salesforce_contacts_report"
        stored = vault.conn.execute("SELECT birth_date FROM source_records WHERE id = (SELECT max(id) FROM"
                                    " source_records)").fetchone()[0]
        assert stored == "1979-11-07", name


def test_the_same_file_read_another_way_updates_what_it_changes_and_nothing_else(vault, tmp_path):
    rows = [["0035g00000im1Fm", "Lukas", "Brenner", "Brenner GmbH", "Köln", "Deutschland", "0221 5550123",
             "lukas.brenner@example.net", "0", "Sam Ortiz", "05/03/2024", "07/11/1979"],
            ["0035g00000RZJop", "Noah", "Fischer", "Fischer KG", "München", "Deutschland", "089 55501942",
             "noah.fischer@example.org", "1", "Sam Ortiz", "", ""]]
    path = write_csv(tmp_path / "report.csv", SALESFORCE_REPORT, rows)
    first = do_import(vault, path, date_order="MDY")
    birth = "SELECT birth_date FROM source_records WHERE source_record_id = '0035g00000im1Fm'"
    assert first.inserted == 2 and vault.conn.execute(birth).fetchone()[0] == "1979-07-11"
    corrected = do_import(vault, path, date_order="DMY")   # only Lukas has dates
    assert (corrected.updated, corrected.unchanged) == (1, 1)
    assert vault.conn.execute(birth).fetchone()[0] == "1979-11-07"
    again = do_import(vault, path, date_order="DMY")
    assert (again.updated, again.unchanged) == (0, 2)


def test_two_orders_exports_pasted_into_one_file_count_each_line_once(vault, tmp_path):
    header, *rows = list(csv.reader(open(EXPORTS / "shopify_orders.csv", encoding="utf-8-sig")))
    pasted = write_csv(tmp_path / "orders_export_1.csv", header, rows[:4] + [header] + rows)
    report = do_import(vault, pasted)
    assert report.rejected == 1 and "header row again" in report.rejections[0]["reason"]
    single, _ = Vault.create(tmp_path / "one.c360", GOOD_PASSPHRASE)
    do_import(single, EXPORTS / "shopify_orders.csv")
    assert _orders(vault) == _orders(single)


def test_etsy_order_items_name_the_buyer_of_the_known_order_and_make_no_second_record(vault):
    do_import(vault, EXPORTS / "etsy_sold_orders.csv")
    buyers = vault.conn.execute("SELECT count(*) FROM source_records").fetchone()[0]
    items = do_import(vault, EXPORTS / "etsy_sold_order_items.csv")
    assert (items.inserted, items.rejected) == (0, 0)
    assert vault.conn.execute("SELECT count(*) FROM source_records").fetchone()[0] == buyers
    dana = vault.conn.execute("SELECT id FROM source_records WHERE source_record_id = 'whitfieldd'").fetchone()[0]
    linked = vault.conn.execute(
        "SELECT count(*) FROM event_rows er JOIN events e ON e.id = er.event_id"
        " WHERE er.file_name = 'etsy_sold_order_items.csv' AND e.record_id = ?", (dana,)).fetchone()[0]
    assert linked == 2   # her mug and her tea towel


def test_an_order_shipped_to_the_buyer_by_name_gives_their_town_but_a_gift_does_not(vault, tmp_path):
    header = ["Order ID", "Buyer", "Ship Name", "Ship Address1", "Ship City", "Ship Zipcode", "Sale Date", "Item Total"]
    rows = [["1001", "Dana Whitfield", "Dana Whitfield", "801 Congress Ave", "Austin", "78701", "05/07/24", "24.00"],
            ["1002", "Jose Alvarez", "Maria Alvarez", "1500 Brickell Ave", "Miami", "33129", "05/08/24", "38.00"]]
    mapping = ["order_id", "full_name", "shipping_name", "shipping_address_line1", "shipping_city",
               "shipping_postal_code", "order_date", "order_total"]
    path = write_csv(tmp_path / "orders.csv", header, rows)
    run_import(vault, plan_import(path, ImportOptions(mapping=mapping), vault.conn))
    homes = dict(vault.conn.execute("SELECT display_name, postal_code || ' ' || city FROM source_records"))
    assert homes == {"Dana Whitfield": "78701 Austin", "Jose Alvarez": None}


def test_a_file_without_a_header_row_imports_its_first_customer_and_remembers_no_mapping(vault, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Qwinn,Headerman,qwinn@example.org,+44 20 7946 0018\n"
                    "Yara,Quixley,yara@example.org,+44 20 7946 0019\n", encoding="utf-8")
    report = do_import(vault, path)
    assert (report.rows, report.inserted) == (2, 2)
    assert stored_emails(vault) == ["qwinn@example.org", "yara@example.org"]
    assert report.warnings[0]["row"] is None and "no header row" in report.warnings[0]["reason"]
    raw = vault.conn.execute("SELECT raw FROM source_records WHERE email = 'yara@example.org'").fetchone()[0]
    assert "Qwinn" not in raw and "qwinn" not in vault.conn.execute("SELECT options FROM imports").fetchone()[0]
    assert vault.conn.execute("SELECT count(*) FROM mappings").fetchone()[0] == 0


def test_two_woocommerce_order_exports_are_one_tool_and_name_the_same_customer(vault):
    """The WebToffee plugin's export carries WooCommerce's customer ids and order numbers: its orders are the
    Analytics export's orders, whose buyer is only a name."""
    for name in ("woocommerce_customers.csv", "woocommerce_orders_webtoffee.csv", "woocommerce_orders.csv"):
        do_import(vault, EXPORTS / name)
    sources = {s for s, in vault.conn.execute("SELECT DISTINCT source FROM events")}
    assert sources == {"woocommerce"}
    buyers = vault.conn.execute("SELECT DISTINCT r.source_record_id FROM events e JOIN source_records r"
                                " ON r.id = e.record_id WHERE e.source_event_id = '1171'").fetchall()
    assert buyers == [("58",)]


def test_monthly_exports_of_one_hand_made_sheet_are_one_source(vault, tmp_path):
    """A later export under a dated name updates the records of the earlier one instead of duplicating them."""
    header = ["Name", "Email", "City"]
    first = do_import(vault, write_csv(tmp_path / "market_list_jan.csv", header,
                                       [["Ann Lee", "ann@example.com", "Leeds"]]))
    later = do_import(vault, write_csv(tmp_path / "market_list_feb (1).csv", header,
                                       [["Ann Lee", "ann@example.com", "York"], ["Bo Ray", "bo@example.com", "Hull"]]))
    assert first.source == later.source == "sheet:market_list"
    assert (later.inserted, later.updated) == (1, 1)
    other = do_import(vault, write_csv(tmp_path / "market_list_online.csv", header,
                                       [["Ann Lee", "ann@example.com", "York"]]))
    assert other.source == "sheet:market_list_online"   # another sheet: its own records


EVENTBRITE = ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Ticket Type", "Attendee #",
              "Order Type", "Currency", "Total Paid", "Attendee Status"]


def _attendee(order: str, first: str, last: str, email: str, attendee: str) -> list[str]:
    return [order, "03/05/24 07:52", first, last, email, "1", "General Admission", attendee, "Eventbrite Completed",
            "USD", "28.21", "Checked In"]


def _people(vault) -> list[tuple[str, str]]:
    return vault.conn.execute("SELECT display_name, source_record_id FROM source_records ORDER BY id").fetchall()


def test_a_guest_on_the_buyers_email_is_a_record_of_their_own_and_stays_one_on_re_import(vault, tmp_path):
    """Keyed by the email alone, the guest and the buyer were one record before matching could see two names."""
    rows = [_attendee("9101", "James", "Drator", "james_drator@gmail.com", "1501"),
            _attendee("9101", "Mei", "Williams", "james_drator@gmail.com", "1502"),
            _attendee("9207", "Jim", "Drator", "james_drator@gmail.com", "1603"),   # his nickname: still him
            _attendee("9311", "Mei", "Williams", "James_Drator@gmail.com", "1704")]
    path = write_csv(tmp_path / "attendees.csv", EVENTBRITE, rows)
    report = do_import(vault, path)
    assert report.rejected == 0
    assert _people(vault) == [("James Drator", "email:james_drator@gmail.com"),
                              ("Mei Williams", "email:james_drator@gmail.com#2")]
    customer_of = dict(vault.conn.execute("SELECT e.source_event_id, r.display_name FROM events e"
                                          " JOIN source_records r ON r.id = e.record_id"))
    assert customer_of == {"1501": "James Drator", "1502": "Mei Williams", "1603": "James Drator",
                           "1704": "Mei Williams"}
    again = do_import(vault, path)
    assert (again.inserted, again.updated) == (0, 0) and len(_people(vault)) == 2


def test_a_guest_who_shares_the_buyers_first_name_is_someone_else_too(vault, tmp_path):
    rows = [_attendee("9120", "Orla", "Ó Ceallaigh", "orla.oc@gmail.com", "1501"),
            _attendee("9120", "Orla", "Nolan", "orla.oc@gmail.com", "1502"),
            _attendee("9121", "Orla", "O Ceallaigh", "orla.oc@gmail.com", "1503")]   # her again, accent lost
    do_import(vault, write_csv(tmp_path / "attendees.csv", EVENTBRITE, rows))
    assert _people(vault) == [("Orla Ó Ceallaigh", "email:orlaoc@gmail.com"),   # Gmail ignores the dots
                              ("Orla Nolan", "email:orlaoc@gmail.com#2")]


def test_an_order_in_another_name_on_a_customers_email_is_not_given_to_that_customer(vault, tmp_path):
    do_import(vault, EXPORTS / "shopify_customers.csv")
    with open(EXPORTS / "shopify_orders.csv", newline="", encoding="utf-8") as handle:
        header, maya_line = list(csv.reader(handle))[:2]
    orders = []
    for number, billing_name in (("#2001", "MAYA OKAFOR"), ("#2002", "Daniel Okafor")):
        line = dict(zip(header, maya_line), Name=number, **{"Billing Name": billing_name, "Shipping Name": ""})
        orders.append([line[column] for column in header])
    path = write_csv(tmp_path / "orders_export.csv", header, orders)
    do_import(vault, path)
    customer_of = dict(vault.conn.execute("SELECT e.source_event_id, r.display_name FROM events e"
                                          " JOIN source_records r ON r.id = e.record_id"))
    assert customer_of == {"#2001": "Maya Okafor", "#2002": "Daniel Okafor"}
    again = do_import(vault, path)   # Daniel's record has Maya's email too: Maya's order must still find her
    assert (again.inserted, again.updated) == (0, 0)


def test_an_order_billed_to_a_department_or_to_the_company_stays_with_the_customer(vault, tmp_path):
    do_import(vault, EXPORTS / "shopify_customers.csv")
    with open(EXPORTS / "shopify_orders.csv", newline="", encoding="utf-8") as handle:
        header, maya_line = list(csv.reader(handle))[:2]
    orders = []
    for number, billing_name, company in (("#3001", "Accounts Payable", ""), ("#3002", "Harbour Pottery", "Harbour Pottery")):
        line = dict(zip(header, maya_line), Name=number,
                    **{"Billing Name": billing_name, "Billing Company": company, "Shipping Name": ""})
        orders.append([line[column] for column in header])
    do_import(vault, write_csv(tmp_path / "orders_export.csv", header, orders))
    customer_of = dict(vault.conn.execute("SELECT e.source_event_id, r.display_name FROM events e"
                                          " JOIN source_records r ON r.id = e.record_id"))
    assert customer_of == {"#3001": "Maya Okafor", "#3002": "Maya Okafor"}


def test_guest_orders_with_customer_id_0_are_each_their_own_buyer(vault, tmp_path):
    """WooCommerce gives every guest order customer id 0: as an id it made all guests one customer."""
    with open(EXPORTS / "woocommerce_orders_webtoffee.csv", newline="", encoding="utf-8") as handle:
        header, *lines = list(csv.reader(handle))
    guests = []
    for number, (first, last, email) in enumerate((("Carol", "Davis", "cdavis@example.com"),
                                                    ("Freja", "Jørgensen", "frejaj@example.dk"),
                                                    ("Carol", "Davis", "cdavis@example.com")), start=9001):
        line = dict(zip(header, lines[0]), order_id=str(number), order_number=str(number), customer_id="0",
                    customer_user="0", customer_email=email, billing_email=email, billing_first_name=first,
                    billing_last_name=last, shipping_first_name=first, shipping_last_name=last, billing_phone="")
        guests.append([line[column] for column in header])
    report = do_import(vault, write_csv(tmp_path / "orders.csv", header, guests))
    assert report.rejected == 0
    assert sorted(_people(vault)) == [("Carol Davis", "email:cdavis@example.com"),
                                      ("Freja Jørgensen", "email:frejaj@example.dk")]


def test_a_company_as_the_contacts_name_is_its_company_not_a_person_called_saffron(vault, tmp_path):
    rows = [["Saffron Foods UG", "pschmidt@saffronfoods.net", "Berlin"], ["Paul Schmidt", "paul@example.de", "Berlin"]]
    do_import(vault, write_csv(tmp_path / "contacts.csv", ["Name", "Email", "City"], rows))
    stored = vault.conn.execute("SELECT display_name, first_name, last_name, company FROM source_records"
                                " ORDER BY row_number").fetchall()
    assert stored == [("Saffron Foods UG", None, None, "Saffron Foods UG"), ("Paul Schmidt", "Paul", "Schmidt", None)]


def test_an_order_finds_its_buyer_among_customers_of_one_household_sharing_an_email(vault, tmp_path):
    customers = [shopify_row("501", "Daniel", "Okafor", "okafors@example.com"),
                 shopify_row("502", "Maya", "Okafor", "okafors@example.com")]
    do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, customers))
    with open(EXPORTS / "shopify_orders.csv", newline="", encoding="utf-8") as handle:
        header, maya_line = list(csv.reader(handle))[:2]
    line = dict(zip(header, maya_line), Name="#4001", Email="okafors@example.com",
                **{"Billing Name": "Daniel Okafor", "Shipping Name": ""})
    report = do_import(vault, write_csv(tmp_path / "orders_export.csv", header, [[line[c] for c in header]]))
    assert report.inserted == 1   # the order, and no second Daniel made from it
    assert vault.conn.execute("SELECT r.source_record_id FROM events e JOIN source_records r ON r.id = e.record_id"
                              ).fetchall() == [("501",)]


def test_a_dutch_particle_column_and_spanish_second_surname_join_the_last_name(vault, tmp_path):
    dutch = write_csv(tmp_path / "klantenlijst.csv", ["Voornaam", "Tussenvoegsel", "Achternaam", "E-mailadres",
                                                       "Woonplaats"],
                      [["Jan", "van der", "Berg", "jan@example.nl", "Utrecht"], ["Anouk", "", "Peters",
                                                                                  "anouk@example.nl", "Delft"]])
    spanish = write_csv(tmp_path / "socios.csv", ["Nombre", "Primer apellido", "Segundo apellido", "Correo"],
                        [["María", "García", "López", "maria@example.es"]])
    do_import(vault, dutch)
    do_import(vault, spanish)
    do_import(vault, write_csv(tmp_path / "socios_2.csv", ["Nombre", "Primer apellido", "Segundo apellido", "Correo"],
                               [["José", "García", "García", "jose@example.es"]]))
    rows = vault.conn.execute("SELECT first_name, last_name, city FROM source_records ORDER BY id").fetchall()
    assert rows == [("Jan", "van der Berg", "Utrecht"), ("Anouk", "Peters", "Delft"), ("María", "García López", None),
                    ("José", "García García", None)]


def test_a_postcode_of_a_country_not_recognised_is_left_as_written(vault, tmp_path):
    path = write_csv(tmp_path / "clienti.csv", ["Nome", "Cognome", "Email", "CAP", "Città", "Paese"],
                     [["Luca", "Bianchi", "luca@example.ch", "6900", "Lugano", "Confederazione Elvetica"],
                      ["Sara", "Neri", "sara@example.it", "0184", "Roma", "Italia"]])
    do_import(vault, path, region="IT")
    assert [p for (p,) in vault.conn.execute("SELECT postal_code FROM source_records ORDER BY id")] == ["6900", "00184"]


WOO_CUSTOMERS = ["Name", "Username", "Last Active", "Sign Up", "Email", "Orders", "Total Spend", "AOV",
                 "Country / Region", "City", "Region", "Postal Code", "Billing Phone", "Shipping Phone", "Role"]


def _woo_customer(name: str, email: str, phone: str, orders: str) -> list[str]:
    return [name, "", "2023-04-16 12:29:19", "", email, orders, "17.43", "17.43", "CA", "Toronto", "ON", "M6H 7Z8",
            phone, "", ""]


def test_a_later_export_does_not_give_a_record_to_someone_else_on_its_email(vault, tmp_path):
    """Claire shops from her husband's email: the later export's row in her name is a record of her own, not an
    update that would put her name on Mark's record (and his orders with it), which no review could undo."""
    mark = _woo_customer("Mark Williams", "mark_williams@gmail.com", "+1 647 425 8535", "2")
    do_import(vault, write_csv(tmp_path / "wc-customers-report-export-1.csv", WOO_CUSTOMERS, [mark]))
    claire = _woo_customer("Claire Turner", "mark_williams@gmail.com", "+1 416 683 3637", "1")
    mark_later = _woo_customer("Mark Williams", "mark_williams@gmail.com", "+1 647 425 8535", "3")
    later = do_import(vault, write_csv(tmp_path / "wc-customers-report-export-2.csv", WOO_CUSTOMERS, [claire, mark_later]))
    assert (later.inserted, later.updated) == (1, 1)
    assert _people(vault) == [("Mark Williams", "email:mark_williams@gmail.com"),
                              ("Claire Turner", "email:mark_williams@gmail.com#2")]


def test_a_later_export_still_updates_its_record_under_a_nickname_or_a_married_name(vault, tmp_path):
    rows = [_woo_customer("Margaret Hale", "maggie.hale@gmail.com", "+1 647 425 8535", "2")]
    do_import(vault, write_csv(tmp_path / "wc-customers-report-export-1.csv", WOO_CUSTOMERS, rows))
    rows = [_woo_customer("Maggie Hale", "maggie.hale@gmail.com", "+1 647 425 8535", "3")]
    later = do_import(vault, write_csv(tmp_path / "wc-customers-report-export-2.csv", WOO_CUSTOMERS, rows))
    assert (later.inserted, later.updated) == (0, 1)
    rows = [_woo_customer("Maggie Okafor", "maggie.hale@gmail.com", "+1 647 425 8535", "4")]
    latest = do_import(vault, write_csv(tmp_path / "wc-customers-report-export-3.csv", WOO_CUSTOMERS, rows))
    assert (latest.inserted, latest.updated) == (0, 1)
    assert _people(vault) == [("Maggie Okafor", "email:maggiehale@gmail.com")]   # Gmail ignores the dots


def test_the_checkout_questions_an_export_adds_are_read_as_the_details_they_name(vault, tmp_path):
    """Eventbrite writes each custom checkout question as a column of its own: a phone and a postcode asked
    there tell who the guest is as well as the preset's columns do."""
    header = EVENTBRITE + ["Mobile / WhatsApp", "Postcode", "Dietary requirements"]
    rows = [_attendee("9170", "Shahid", "Karim", "amira.hassan@hotmail.co.uk", "1501") + ["+8801711198384", "M16 8PP", "Vegan"],
            _attendee("9171", "Ann", "Lee", "ann@example.com", "1502") + ["07700 900123", "SW1A 1AA", ""]]
    path = write_csv(tmp_path / "attendees.csv", header, rows)
    plan = plan_import(path, ImportOptions(region="GB"), vault.conn)
    fields = dict(zip(header, plan.mapping))
    assert (fields["Mobile / WhatsApp"], fields["Postcode"], fields["Dietary requirements"]) == \
        ("phone_mobile", "postal_code", "custom")
    assert fields["Email"] == "email" and fields["Attendee #"] == "source_record_id"   # the preset's own columns stay
    run_import(vault, plan)
    stored = vault.conn.execute("SELECT phone, postal_code FROM source_records ORDER BY id").fetchall()
    assert stored == [("+8801711198384", "M16 8PP"), ("+447700900123", "SW1A 1AA")]


def test_a_quickbooks_customer_without_a_contact_is_named_by_its_display_name(vault, tmp_path):
    """Without a contact's Full name, QuickBooks' "Customer full name" is all there is to call the customer by:
    a person's name when written "Last, First", otherwise the business's ("Ivy Deli" is no Ivy), never a first
    and last name that would contradict its contact's; a sub-customer ("Parent:Job") names a job."""
    path = tmp_path / "Shop_Customer Contact List.csv"
    path.write_text("Harbour & Oak Trading\nCustomer Contact List\n\n"
                    "Customer full name,Phone numbers,Email,Full name,Bill address,Ship address\n"
                    "Birch Coffee Co.,Phone:(503) 555-0100,accounts@birchcoffee.com,,,\n"
                    "\"Smith, Ann (2)\",Mobile:(503) 555-0142,ann.smith@example.com,,,\n"
                    "Okafor Ceramics,Mobile:(503) 555-0143,maya.okafor@example.com,Maya Okafor,,\n"
                    "Kaffeehaus Sonnenschein,Phone:(503) 555-0144,hello@kaffeehaus.de,,,\n"
                    "Ivy Deli,Phone:(503) 555-0145,accountspayable@ivydeli.co,,,\n"
                    "Birch Coffee Co.:Pop-up,,,,,\n", encoding="utf-8")
    report = do_import(vault, path)
    assert report.preset == "quickbooks_customers" and report.rejected == 0
    stored = vault.conn.execute("SELECT source_record_id, display_name, first_name, last_name, company"
                                " FROM source_records ORDER BY id").fetchall()
    assert stored[:5] == [("Birch Coffee Co.", "Birch Coffee Co.", None, None, "Birch Coffee Co."),
                          ("Smith, Ann (2)", "Smith, Ann", "Ann", "Smith", None),
                          ("Okafor Ceramics", "Maya Okafor", "Maya", "Okafor", None),
                          ("Kaffeehaus Sonnenschein", "Kaffeehaus Sonnenschein", None, None, "Kaffeehaus Sonnenschein"),
                          ("Ivy Deli", "Ivy Deli", None, None, "Ivy Deli")]
    assert [row[1] for row in stored[5:]] in ([], [None])


def test_an_added_column_never_gives_someone_else_s_number_nor_a_second_one(vault, tmp_path):
    """"Emergency contact phone" names no field of the customer's; a file with a phone of its own keeps it
    as the only one (Outlook's unlisted "Company Main Phone" is the switchboard, not the contact's)."""
    header = EVENTBRITE + ["Emergency contact phone", "Cell Phone", "Mobile / WhatsApp"]
    rows = [_attendee("9170", "Ann", "Lee", "ann@example.com", "1501") + ["07700 900999", "07700 900123", "07700 900124"]]
    plan = plan_import(write_csv(tmp_path / "attendees.csv", header, rows), ImportOptions(region="GB"), vault.conn)
    fields = dict(zip(header, plan.mapping))
    assert (fields["Emergency contact phone"], fields["Cell Phone"], fields["Mobile / WhatsApp"]) == \
        ("custom", "phone_mobile", "custom")


def test_a_file_read_by_an_older_c360_updates_the_names_it_showed_differently(vault, tmp_path):
    """The same cells, read by a c360 that left Outlook's Suffix out of the name: "updated", not "unchanged"."""
    path = tmp_path / "contacts.csv"
    path.write_text("First Name,Last Name,Suffix,E-mail Address\nRobert,Lee,Jr.,bobby.lee@example.net\n"
                    "Ann,Lee,,ann.lee@example.net\n", encoding="utf-8")
    mapping = ["first_name", "last_name", "name_suffix", "email"]
    do_import(vault, path, mapping=mapping)
    vault.conn.execute("UPDATE source_records SET display_name = 'Robert Lee' WHERE display_name = 'Robert Lee Jr.'")
    vault.conn.execute("UPDATE imports SET options = json_set(options, '$.reading', 'an older c360')")
    again = do_import(vault, path, mapping=mapping)
    assert (again.updated, again.unchanged) == (1, 1)
    assert [name for name, _key in _people(vault)] == ["Robert Lee Jr.", "Ann Lee"]
