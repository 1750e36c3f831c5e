"""Consent ledger: the most recent statement wins, a withdrawal is never undone by an old opt-in, conflicts show."""

from __future__ import annotations

import csv

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.privacy.consent import Statement, consent_overview, current_status, record_consent
from c360_desktop.core.profiles.edits import anchor_record
from c360_desktop.core.profiles.profile import load_profile, profiles_by_email

MAILCHIMP = ["Email Address", "First Name", "Last Name", "OPTIN_TIME", "CONFIRM_TIME", "UNSUB_TIME", "UNSUB_REASON",
             "LEID", "EUID"]
SHOPIFY = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Total Spent", "Total Orders"]


def statement(n, status, stated_at, source="shopify", recorded_at="2026-01-01T00:00:00") -> Statement:
    return Statement(n, 1, "email_marketing", status, None, stated_at, source, 1, {}, recorded_at)


def test_the_latest_dated_statement_wins():
    current, conflict = current_status([statement(1, "granted", "2023-01-01"), statement(2, "withdrawn", "2024-05-01"),
                                        statement(3, "granted", "2025-02-01", source="mailchimp")])
    assert current.id == 3 and conflict is True   # Shopify's own latest still says withdrawn


def test_an_older_opt_in_imported_later_does_not_undo_a_withdrawal():
    withdrawal = statement(1, "withdrawn", "2024-05-01", source="mailchimp")
    old_dated = statement(2, "granted", "2023-03-01", recorded_at="2026-06-01")
    undated = statement(3, "granted", None, recorded_at="2026-06-01")
    current, conflict = current_status([withdrawal, old_dated, undated])
    assert current is withdrawal and conflict is True


def test_the_owner_s_own_statement_decides_without_being_a_tool_that_disagrees():
    objection = statement(3, "withdrawn", "2026-11-29T16:46:00", source="manual")
    current, conflict = current_status([statement(1, "granted", "2023-01-01"),
                                        statement(2, "granted", "2023-02-01", source="mailchimp"), objection])
    assert current is objection and conflict is False
    _, conflict = current_status([statement(1, "granted", "2023-01-01"), objection,
                                  statement(2, "withdrawn", "2024-02-01", source="mailchimp")])
    assert conflict is True   # the tools themselves still disagree


def _write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_tools_that_disagree_keep_the_withdrawal_and_show_the_conflict(vault, tmp_path):
    unsubscribed = _write(tmp_path / "mailchimp_unsubscribed.csv", MAILCHIMP, [
        ["ines.barros@example.pt", "Inês", "Barros", "2021-02-01 10:00:00", "2021-02-01 10:05:00",
         "2024-05-02 09:00:00", "Too many emails", "1", "a1"]])
    old_shop = _write(tmp_path / "shopify_customers.csv", SHOPIFY, [
        ["7001", "Inês", "Barros", "ines.barros@example.pt", "yes", "10.00", "1"]])
    for path in (unsubscribed, old_shop):   # the old Shopify export is imported last
        run_import(vault, plan_import(path, ImportOptions(), vault.conn))
    run_match(vault)
    [profile_id] = profiles_by_email(vault.conn, "ines.barros@example.pt")
    status = load_profile(vault.conn, profile_id).consent["email_marketing"]
    assert status.status == "withdrawn" and status.current.source == "mailchimp" and status.conflict
    assert [(s.source, s.status) for s in status.history] == [("shopify", "granted"), ("mailchimp", "withdrawn")]
    assert status.current.evidence.get("file") == "mailchimp_unsubscribed.csv"
    assert vault.conn.execute("SELECT consent_email FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0] == \
        "withdrawn"

    record_consent(vault, anchor_record(vault.conn, profile_id), "email_marketing", "granted",
                   "customer re-subscribed at the till")
    overview = consent_overview(vault.conn, [r[0] for r in vault.conn.execute(
        "SELECT record_id FROM profile_members WHERE profile_id = ?", (profile_id,))])
    assert overview["email_marketing"].status == "granted" and overview["email_marketing"].current.source == "manual"
    assert vault.conn.execute("SELECT consent_email FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0] == \
        "granted"
    assert "till" not in str(list(vault.conn.execute("SELECT details FROM audit_log")))
