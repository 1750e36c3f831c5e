"""Consent ordering: "unknown" is the absence of information and never replaces a known statement; a withdrawal
(or an Art. 21 objection) is only undone by a later, dated grant; an order row's statement carries its order date."""

from __future__ import annotations


from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.privacy.access import access_document
from c360_desktop.core.privacy.access_html import summary_html
from c360_desktop.core.privacy.consent import Statement, current_status
from c360_desktop.core.privacy.restriction import object_to_marketing
from c360_desktop.core.profiles.profile import load_profile, profiles_by_email
from tests.ingest.test_importer import write_csv

EMAIL = "zq-order-4821@example.org"

MAILCHIMP = ["Email Address", "First Name", "Last Name", "OPTIN_TIME", "CONFIRM_TIME", "UNSUB_TIME", "UNSUB_REASON",
             "LEID", "EUID"]
SQUARE = ["Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Square Customer ID",
          "Creation Source", "First Visit", "Last Visit", "Transaction Count", "Lifetime Spend",
          "Email Subscription Status"]
SHOPIFY = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Total Spent", "Total Orders"]
ORDERS = ["Name", "Email", "Financial Status", "Paid at", "Accepts Marketing", "Currency", "Subtotal", "Total",
          "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Billing Name", "Id"]


def statement(n, status, stated_at, source="shopify", recorded_at="2026-01-01T00:00:00") -> Statement:
    return Statement(n, 1, "email_marketing", status, None, stated_at, source, 1, {}, recorded_at)


# ----------------------------------------------------------------------------- the derivation

def test_an_undated_unknown_never_replaces_a_withdrawal():
    withdrawal = statement(1, "withdrawn", "2023-07-13T11:05:39", source="mailchimp", recorded_at="2026-01-01")
    unknown = statement(2, "unknown", None, source="square", recorded_at="2026-01-02")
    undated_yes = statement(3, "granted", None, source="shopify", recorded_at="2026-01-03")
    current, conflict = current_status([withdrawal, unknown, undated_yes])
    assert current is withdrawal and conflict is True
    current, _ = current_status([withdrawal, unknown])
    assert current is withdrawal


def test_a_dated_unknown_never_replaces_a_known_statement():
    for known in ("granted", "denied", "withdrawn"):
        first = statement(1, known, "2023-01-01")
        later_unknown = statement(2, "unknown", "2025-01-01", source="square")
        assert current_status([first, later_unknown])[0] is first


def test_unknown_is_the_status_only_when_nothing_else_is_known():
    only = statement(1, "unknown", None, source="square")
    assert current_status([only])[0] is only
    earlier_unknown = statement(1, "unknown", "2022-01-01", source="square")
    grant = statement(2, "granted", "2023-01-01")
    assert current_status([earlier_unknown, grant])[0] is grant
    undated_grant = statement(3, "granted", None)
    assert current_status([earlier_unknown, undated_grant])[0] is undated_grant


def test_a_withdrawal_is_only_undone_by_a_later_dated_grant():
    withdrawal = statement(1, "withdrawn", "2024-05-01", source="manual")
    undated_no = statement(2, "denied", None, recorded_at="2026-06-01")
    assert current_status([withdrawal, undated_no])[0] is withdrawal
    undated_yes = statement(3, "granted", None, recorded_at="2026-06-02")
    assert current_status([withdrawal, undated_no, undated_yes])[0] is withdrawal
    resubscribed = statement(4, "granted", "2026-07-01", source="mailchimp")
    assert current_status([withdrawal, undated_no, undated_yes, resubscribed])[0] is resubscribed


def test_the_designed_rules_still_hold():
    # a dated unsubscribe beats an undated "yes"; the latest dated statement wins; a denial is kept from an undated yes
    withdrawal = statement(1, "withdrawn", "2023-07-13", source="mailchimp")
    assert current_status([withdrawal, statement(2, "granted", None)])[0] is withdrawal
    denial = statement(1, "denied", "2023-01-01")
    assert current_status([denial, statement(2, "granted", None, source="mailchimp")])[0] is denial
    newer = statement(3, "granted", "2024-01-01", source="mailchimp")
    assert current_status([denial, newer])[0] is newer
    older_denied, newer_granted = statement(1, "denied", "2023-01-01"), statement(2, "granted", "2024-01-01")
    assert current_status([newer_granted, older_denied]) == (newer_granted, False)


# ----------------------------------------------------------------------------- real imports

def _import(vault, *paths):
    for path in paths:
        run_import(vault, plan_import(path, ImportOptions(), vault.conn))
        run_match(vault)


def _email_consent(vault):
    [profile_id] = profiles_by_email(vault.conn, EMAIL)
    status = load_profile(vault.conn, profile_id).consent["email_marketing"]
    flag = vault.conn.execute("SELECT consent_email FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0]
    return profile_id, status, flag


def _mailchimp_unsubscribed(tmp_path):
    return write_csv(tmp_path / "mailchimp_unsubscribed.csv", MAILCHIMP, [
        [EMAIL, "Zqbert", "Zqkaminski", "2022-04-22 06:47:00", "2022-04-22 06:49:00", "2023-07-13 11:05:39",
         "Too many emails", "418240720", "8af0c42ec6"]])


def _square_unknown(tmp_path):
    return write_csv(tmp_path / "square_customers.csv", SQUARE, [
        ["", "Zqbert", "Zqkaminski", EMAIL, "3125550187", "SQ1", "Point of Sale", "9/18/2023", "2/8/2024", "3",
         "$60.00", "Unknown"]])


def _shopify_yes(tmp_path):
    return write_csv(tmp_path / "shopify_customers.csv", SHOPIFY, [
        ["'7391000000001", "Zqbert", "Zqkaminski", EMAIL, "yes", "120.00", "2"]])


def test_an_unknown_from_square_does_not_let_an_undated_yes_undo_an_unsubscribe(vault, tmp_path):
    _import(vault, _mailchimp_unsubscribed(tmp_path))
    assert _email_consent(vault)[1].status == "withdrawn"
    _import(vault, _square_unknown(tmp_path))
    _, status, flag = _email_consent(vault)
    assert (status.status, status.current.source, flag) == ("withdrawn", "mailchimp", "withdrawn")
    _import(vault, _shopify_yes(tmp_path))
    profile_id, status, flag = _email_consent(vault)
    assert (status.status, status.current.source, flag) == ("withdrawn", "mailchimp", "withdrawn")
    assert status.conflict   # Mailchimp and Shopify still disagree, and that stays visible

    document = access_document(vault, profile_id)
    assert document["consent"]["email_marketing"]["status"] == "withdrawn"
    assert document["consent"]["email_marketing"]["current"]["source"] == "mailchimp"
    assert "<td>Withdrawn</td><td>Mailchimp</td>" in summary_html(document).replace("\n", "")


def test_an_objection_is_not_undone_by_an_unknown_imported_later(vault, tmp_path):
    _import(vault, _shopify_yes(tmp_path))
    profile_id, status, _ = _email_consent(vault)
    assert status.status == "granted"
    object_to_marketing(vault, profile_id, "asked to stop all mailings")
    _import(vault, _square_unknown(tmp_path))
    _, status, flag = _email_consent(vault)
    assert (status.status, status.current.source, flag) == ("withdrawn", "manual", "withdrawn")
    _import(vault, _shopify_yes(tmp_path))
    _, status, flag = _email_consent(vault)
    assert (status.status, status.current.source, flag) == ("withdrawn", "manual", "withdrawn")


def test_an_order_rows_statement_carries_the_order_date(vault, tmp_path):
    newest_first = write_csv(tmp_path / "shopify_orders.csv", ORDERS, [
        ["#2004", EMAIL, "paid", "2024-08-01 10:00:00 -0500", "yes", "USD", "55.00", "55.00",
         "2024-08-01 10:00:00 -0500", "1", "Speckled Mug", "55.00", "Zqbert Zqkaminski", "9000000004"],
        ["#2003", EMAIL, "paid", "2024-06-03 10:00:00 -0500", "no", "USD", "55.00", "55.00",
         "2024-06-03 10:00:00 -0500", "1", "Speckled Mug", "55.00", "Zqbert Zqkaminski", "9000000003"]])
    _import(vault, newest_first)
    rows = vault.conn.execute("SELECT status, stated_at FROM consents ORDER BY id").fetchall()
    assert len(rows) == 2 and all(stated for _, stated in rows)
    assert {status: stated[:10] for status, stated in rows} == {"granted": "2024-08-01", "denied": "2024-06-03"}
    _, status, flag = _email_consent(vault)
    assert (status.status, flag) == ("granted", "granted") and status.current.stated_at.startswith("2024-08-01")
    assert status.conflict is False
