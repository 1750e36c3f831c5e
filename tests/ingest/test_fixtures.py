"""Every fixture export (real header layouts, each tool's quirks) is recognised and imported without hints."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.presets import all_presets
from c360_desktop.core.ingest.readers import UnreadableFile

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
NOT_EXPORTS = {"ground_truth.csv", "garbage.bin", "empty.csv", "generic_de_semicolon.csv"}
PRESET_FILES = sorted(p for p in EXPORTS.iterdir() if p.name not in NOT_EXPORTS)
REQUIRED_TOOLS = {"shopify_customers", "shopify_orders", "woocommerce_customers", "woocommerce_orders",
                  "square_customers", "stripe_customers", "stripe_payments", "mailchimp_subscribed",
                  "mailchimp_unsubscribed", "mailchimp_cleaned", "klaviyo_profiles", "hubspot_contacts",
                  "zendesk_tickets", "zendesk_users", "freshdesk_contacts", "freshdesk_tickets", "quickbooks_customers",
                  "xero_contacts", "etsy_sold_orders", "eventbrite_attendees", "google_contacts",
                  "outlook_com_contacts", "outlook_desktop_contacts"}


def expected_preset(path: Path) -> str:
    return path.stem.split("__")[0]


def ground_truth() -> dict[str, dict[int, str]]:
    truth: dict[str, dict[int, str]] = defaultdict(dict)
    with open(EXPORTS / "ground_truth.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[row["file"]][int(row["row"])] = row["person_id"]
    return truth


def test_every_required_tool_has_a_preset_and_a_fixture():
    names = {p.name for p in all_presets()}
    assert REQUIRED_TOOLS <= names
    assert REQUIRED_TOOLS <= {expected_preset(p) for p in PRESET_FILES}


@pytest.mark.parametrize("path", PRESET_FILES, ids=lambda p: p.name)
def test_fixture_is_detected_without_hints(path):
    plan = plan_import(path)
    assert plan.preset is not None and plan.preset.name == expected_preset(path), plan.candidates
    assert plan.confidence >= 0.5


def test_all_fixtures_import_and_every_identified_row_is_kept(vault):
    truth = ground_truth()
    for path in PRESET_FILES:
        report = run_import(vault, plan_import(path, ImportOptions(), vault.conn))
        assert report.rows == len(truth[path.name]), path.name
        for rejection in report.rejections:
            assert truth[path.name][rejection["row"]] == "", (path.name, rejection)
    stored = set(vault.conn.execute("SELECT file_name, row_number FROM record_rows UNION "
                                    "SELECT file_name, row_number FROM event_rows").fetchall())
    imported = {p.name for p in PRESET_FILES}
    expected = {(f, r) for f, rows in truth.items() if f in imported for r, person in rows.items() if person}
    assert expected <= stored


def test_quirks_are_repaired_or_flagged(vault):
    for name in ("square_customers.csv", "quickbooks_customers.csv", "shopify_customers.csv", "zendesk_users.csv"):
        run_import(vault, plan_import(EXPORTS / name, ImportOptions(), vault.conn))
    phones = {r[0] for r in vault.conn.execute("SELECT key FROM record_keys WHERE kind = 'phone'")}
    assert all(p.startswith("+") and p[1:].isdigit() for p in phones)
    assert "+15125550193" in phones  # QuickBooks "Phone:… Mobile:…" cell split into two numbers
    warnings = vault.conn.execute("SELECT reason FROM import_issues WHERE severity = 'warning'").fetchall()
    assert any("scientific notation lost" in w[0] for w in warnings)


def test_german_semicolon_file_gets_a_guessed_mapping():
    plan = plan_import(EXPORTS / "generic_de_semicolon.csv", ImportOptions(region="DE"))
    assert plan.preset is None and plan.table.delimiter == ";" and plan.table.encoding == "cp1252"
    assert {"first_name", "last_name", "email", "postal_code", "city"} <= set(plan.mapping)
    assert plan.decimal_comma and plan.date_order.order == "DMY"


@pytest.mark.parametrize("name", ["garbage.bin", "empty.csv"])
def test_garbage_and_empty_are_refused(name):
    with pytest.raises(UnreadableFile):
        plan_import(EXPORTS / name)
