"""Erasing one person must not suppress identifiers other customers still carry (a household landline, a
shared mailbox), while everything that is the erased person's own stays suppressed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.privacy.erasure import erase_profile
from c360_desktop.core.profiles.profile import profiles_by_email

from .world import _header, import_files

TOM = {"Customer ID": "'7391000000002", "First Name": "Tom", "Last Name": "Fairweather",
       "Email": "tom.fairweather@example.com", "Accepts Email Marketing": "no",
       "Default Address Address1": "14 Elm St", "Default Address City": "Boston",
       "Default Address Province Code": "MA", "Default Address Country Code": "US", "Default Address Zip": "'02134",
       "Default Address Phone": "'+16175550148", "Phone": "'+16175550171", "Total Spent": "271.48",
       "Total Orders": "8"}
EMILY = {"Customer ID": "'7391000000003", "First Name": "Emily", "Last Name": "Fairweather",
         "Email": "emily.fw@example.net", "Accepts Email Marketing": "yes",
         "Default Address Address1": "14 Elm St", "Default Address City": "Boston",
         "Default Address Province Code": "MA", "Default Address Country Code": "US",
         "Default Address Zip": "'02134", "Default Address Phone": "'+16175550148", "Total Spent": "80.00",
         "Total Orders": "1"}
MAYA = {"Customer ID": "'7391000000004", "First Name": "Maya", "Last Name": "Okafor",
        "Email": "info@okaforceramics.com", "Accepts Email Marketing": "yes",
        "Default Address Company": "Okafor Ceramics", "Default Address Address1": "12 Harbour Rd",
        "Default Address City": "Portland", "Default Address Province Code": "OR",
        "Default Address Country Code": "US", "Default Address Zip": "'97201", "Phone": "'+15035550142",
        "Total Spent": "667.93", "Total Orders": "7"}
JON = {"Email Address": "info@okaforceramics.com", "First Name": "Jon", "Last Name": "Reyes",
       "OPTIN_TIME": "2022-09-06 09:10:36", "CONFIRM_TIME": "2022-09-06 09:18:14", "CC": "US", "REGION": "OR",
       "LAST_CHANGED": "2024-04-16 10:10:33", "LEID": "418245691", "EUID": "8a0f006e12"}


def _order(number, email, name, street, city, zip_code, phone, total, order_id):
    return {"Name": number, "Email": email, "Financial Status": "paid", "Currency": "USD", "Subtotal": total,
            "Total": total, "Created at": "2024-06-01 10:00:00 -0400", "Lineitem quantity": "1",
            "Lineitem name": "Speckled Mug - Blue", "Lineitem price": total, "Billing Name": name,
            "Billing Address1": street, "Billing City": city, "Billing Zip": zip_code, "Billing Country": "US",
            "Billing Phone": phone, "Shipping Name": name, "Id": order_id, "Phone": phone}


def _write(path: Path, template: str, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, _header(template), restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _household(vault, folder: Path) -> None:
    """Tom and Emily share a landline; Jon subscribed with Maya's shop mailbox. Then Tom and Jon are erased."""
    import_files(vault, [_write(folder / "household.csv", "shopify_customers.csv", [TOM, EMILY, MAYA]),
                         _write(folder / "jon.csv", "mailchimp_subscribed.csv", [JON])])
    run_match(vault)
    (tom,) = profiles_by_email(vault.conn, "tom.fairweather@example.com")
    erase_profile(vault, tom, reference="REQ-1")
    (jon,) = [p for (p,) in vault.conn.execute(
        "SELECT m.profile_id FROM profile_members m JOIN source_records r ON r.id = m.record_id"
        " WHERE r.source = 'mailchimp'")]
    erase_profile(vault, jon, reference="REQ-2")


def _orders(vault, profile_id) -> int:
    return vault.conn.execute(
        "SELECT count(*) FROM events e JOIN profile_members m ON m.record_id = e.record_id"
        " WHERE m.profile_id = ? AND e.kind = 'order'", (profile_id,)).fetchone()[0]


def _names(vault) -> set[str]:
    return {n for (n,) in vault.conn.execute("SELECT first_name FROM source_records")}


def test_other_household_members_still_import_after_an_erasure(vault, tmp_path):
    _household(vault, tmp_path)
    orders = _write(tmp_path / "later_orders.csv", "shopify_orders.csv", [
        _order("#2001", "emily.fw@example.net", "Emily Fairweather", "14 Elm St", "Boston", "'02134",
               "+16175550148", "42.00", "9000000001"),
        _order("#2002", "info@okaforceramics.com", "Maya Okafor", "12 Harbour Rd", "Portland", "'97201",
               "+15035550142", "110.00", "9000000002")])
    (report,) = import_files(vault, [orders])
    assert report.suppressed == 0
    updated = [{**EMILY, "Total Spent": "122.00", "Total Orders": "2"},
               {**MAYA, "Total Spent": "777.93", "Total Orders": "8"}]
    (report,) = import_files(vault, [_write(tmp_path / "household_v2.csv", "shopify_customers.csv", updated)])
    assert (report.suppressed, report.updated) == (0, 2)
    run_match(vault)
    (emily,) = profiles_by_email(vault.conn, "emily.fw@example.net")
    (maya,) = profiles_by_email(vault.conn, "info@okaforceramics.com")
    assert _orders(vault, emily) == 1 and _orders(vault, maya) == 1
    assert _names(vault) == {"Emily", "Maya"}


def test_the_erased_people_do_not_come_back(vault, tmp_path):
    _household(vault, tmp_path)
    # Tom's own row (which carries the shared landline too), his orders (one with only the shared landline
    # besides his name and his own email), and Jon's subscription with the shared mailbox.
    reports = import_files(vault, [
        _write(tmp_path / "household.csv", "shopify_customers.csv", [TOM, EMILY, MAYA]),
        _write(tmp_path / "tom_orders.csv", "shopify_orders.csv", [
            _order("#1001", "tom.fairweather@example.com", "Tom Fairweather", "14 Elm St", "Boston", "'02134",
                   "+16175550148", "30.00", "8000000001"),
            _order("#1002", "tom.fairweather@example.com", "Tom Fairweather", "", "", "", "+16175550171",
                   "12.00", "8000000002")]),
        _write(tmp_path / "jon.csv", "mailchimp_subscribed.csv", [JON]),
        _write(tmp_path / "tom_only_row.csv", "shopify_customers.csv", [
            {**TOM, "Email": "", "Phone": "", "Default Address Phone": "'+16175550148"}])])
    assert [r.suppressed for r in reports] == [1, 2, 1, 1]
    run_match(vault)
    assert _names(vault) == {"Emily", "Maya"}
    assert not profiles_by_email(vault.conn, "tom.fairweather@example.com")


def test_the_audit_counts_shared_identifiers_without_values(vault, tmp_path):
    _household(vault, tmp_path)
    details = [json.loads(d) for (d,) in vault.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'profile_erased' ORDER BY seq")]
    text = json.dumps(details)
    assert "+16175550148" not in text and "okaforceramics" not in text
    assert [d["counts"]["shared_identifiers_left_out"] for d in details] == [1, 1]
    receipts = [json.loads(c) for (c,) in vault.conn.execute("SELECT counts FROM erasures ORDER BY id")]
    # Tom: own email, own mobile and his Shopify id stay suppressed; Jon: his Mailchimp record key does.
    assert receipts[0]["suppressed_identifiers"] >= 3 and receipts[1]["suppressed_identifiers"] >= 1


def test_the_receipt_says_how_many_shared_identifiers_were_left_off_the_list():
    from c360_desktop.core.privacy.erasure_words import receipt_text, removed_lines

    counts = {"source_records": 2, "suppressed_identifiers": 3, "shared_identifiers_left_out": 1}
    text = receipt_text({"id": 3, "erased_at": "2026-11-29T15:00:00+00:00", "counts": counts, "kept": {}})
    assert "Left off the suppression list:\n  - 1 email or phone number other customers also use" in text
    assert "other customers" not in text.split("Removed:")[1].split("Kept")[0]
    assert "other customers" not in " ".join(removed_lines(counts))
