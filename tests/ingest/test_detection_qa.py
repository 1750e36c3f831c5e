"""QA findings on recognising files: date columns named in any language (B8), hand-made sheets taken for a tool (B14)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from c360_desktop.core.ingest.guess import guess_mapping, header_field
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.presets import all_presets, detect_preset

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
DATES = ["03/14/1985", "11/30/1990", "1972-01-05"]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def mapped(headers: list[str], columns: list[list[str]]) -> list[str]:
    guesses, _ = guess_mapping(headers, [list(row) for row in zip(*columns)])
    return [g.field for g in guesses]


# ------------------------------------------------------------------ B8: the header names a date column


@pytest.mark.parametrize("header", ["Date of Birth", "DOB", "Birthday", "Birthdate", "Geburtsdatum", "Geburtstag",
                                    "Date de naissance", "Fecha de nacimiento", "Data di nascita", "Geboortedatum"])
def test_a_birth_date_header_beats_the_dates_in_its_column(header):
    assert mapped(["Email", header], [["a@example.com", "b@example.com", "c@example.com"], DATES]) == \
        ["email", "birth_date"]


@pytest.mark.parametrize("header", ["Created", "Erstellt am", "Date created"])
def test_a_created_header_with_dates_is_created_at(header):
    assert mapped([header], [DATES]) == ["created_at"]


def test_the_qa_file_maps_birth_date_created_at_and_order_date():
    headers = ["Name", "Email", "Date of Birth", "Customer Since", "Order Date"]
    columns = [["Ann Lee", "Bob Ray"], ["ann@example.com", "bob@example.com"], ["03/14/1985", "11/30/1990"],
               ["01/02/2020", "06/07/2021"], ["2024-03-05", "2024-03-06"]]
    assert mapped(headers, columns) == ["full_name", "email", "birth_date", "created_at", "order_date"]


def test_dates_under_an_uninformative_header_are_still_guessed_from_the_values():
    assert mapped(["Email", "Seit"], [["a@example.com", "b@example.com", "c@example.com"], DATES]) == \
        ["email", "created_at"]


def test_dates_alone_do_not_make_a_second_created_at():
    assert mapped(["Created", "Last visit"], [DATES, DATES]) == ["created_at", "custom"]


def test_the_german_fixture_has_a_birth_date_and_a_customer_since_date():
    plan = plan_import(EXPORTS / "generic_de_semicolon.csv", ImportOptions(region="DE"))
    columns = dict(zip(plan.table.header, plan.mapping))
    assert columns["Geburtsdatum"] == "birth_date" and columns["Kunde seit"] == "created_at"
    assert plan.mapping.count("created_at") == 1


# ------------------------------------------------------------------ B14: a preset needs evidence from its headers

GENERIC_SHEETS = [["Name", "Email"], ["Name", "Email", "Notes"], ["Name", "Email", "City"],
                  ["Name", "Email", "Phone", "Organization", "Notes", "Tags"], ["First Name", "Last Name", "Email"],
                  ["ID", "FIRSTNAME", "LASTNAME", "EMAIL"]]


def named_like(pattern: str) -> str:
    """A file name the tool's own exports would have (``customers*.csv`` -> ``customers.csv``)."""
    return pattern.replace("*", "")


@pytest.mark.parametrize("headers", GENERIC_SHEETS, ids=lambda h: ",".join(h))
def test_a_hand_made_sheet_is_no_tool_export(headers):
    assert detect_preset(headers, "newsletter_signups.csv").preset is None


@pytest.mark.parametrize("file_name", ["customers.csv", "customers_2024.csv"])
@pytest.mark.parametrize("headers", [["Name", "Email"], ["Name", "Email", "City"]], ids=",".join)
def test_a_customers_csv_with_names_and_emails_is_not_woocommerce(headers, file_name):
    assert detect_preset(headers, file_name).preset is None


@pytest.mark.parametrize("preset", [p for p in all_presets() if p.filename_patterns], ids=lambda p: p.name)
def test_the_file_name_alone_never_makes_a_match(preset):
    for pattern in preset.filename_patterns:
        for headers in GENERIC_SHEETS:
            detection = detect_preset(headers, named_like(pattern))
            assert detection.preset is None, (pattern, headers, detection.candidates)


# Older or alternative layouts of real exports (from the export-format research); each must stay recognised.
REAL_VARIANTS = {
    "shopify_customers": ["First Name", "Last Name", "Email", "Company", "Address1", "Address2", "City", "Province",
                          "Province Code", "Country", "Country Code", "Zip", "Phone", "Accepts Marketing",
                          "Total Spent", "Total Orders", "Tags", "Note", "Tax Exempt"],
    "woocommerce_customers": ["Name", "Username", "Role", "Last active", "Date registered", "Email", "Orders",
                              "Total spend", "AOV", "Country / Region", "City", "Region", "Postal code"],
    "zendesk_users": ["name", "email", "external_id", "details", "notes", "phone", "role", "restriction",
                      "organization", "tags", "brand"],
    "freshdesk_contacts": ["Name", "Email", "Job Title", "Work Phone", "Mobile Phone", "Twitter ID", "Company",
                           "Address", "Time Zone", "Language", "Tags", "Description", "Unique External ID",
                           "Contact ID"],
    "quickbooks_customers": ["Customer full name", "Phone numbers", "Email", "Full name", "Bill address",
                             "Ship address"],
    "stripe_customers": ["id", "Description", "Email", "Name", "Created (UTC)", "Delinquent", "Plan", "Status",
                         "Total Spend", "Payment Count", "Refunded Volume", "Dispute Losses", "tag (metadata)"],
}


@pytest.mark.parametrize("name", sorted(REAL_VARIANTS))
def test_real_layouts_are_still_recognised_whatever_the_file_is_called(name):
    for file_name in ("", "customers.csv", "contacts.csv", "export.csv"):
        detection = detect_preset(REAL_VARIANTS[name], file_name)
        assert detection.preset is not None and detection.preset.name == name, (file_name, detection.candidates)


def test_two_unrelated_sheets_with_the_same_columns_do_not_overwrite_each_other(vault, tmp_path):
    header = ["Name", "Email", "Notes"]
    first = write_csv(tmp_path / "newsletter_signups.csv", header,
                      [["Ann Lee", "ann@example.com", "Signed up at the spring market"],
                       ["Bob Ray", "bob@example.com", "Wants the vegan range"]])
    second = write_csv(tmp_path / "workshop_waitlist.csv", header,
                       [["Ann Lee", "ann@example.com", "Waitlist: pottery workshop"]])
    sources, reports = [], []
    for path in (first, second):
        plan = plan_import(path, ImportOptions(), vault.conn)
        sources.append(plan.source)
        reports.append(run_import(vault, plan))
    assert sources == ["sheet:newsletter_signups", "sheet:workshop_waitlist"]
    assert (reports[1].inserted, reports[1].updated) == (1, 0)
    assert vault.count("source_records") == 3


@pytest.mark.parametrize("header, field_name", [
    ("Address 1 - City", "city"), ("Address 1 - Postal Code", "postal_code"), ("Address 1 - Street", "address_line1"),
    ("E-mail 1 - Value", "email"), ("Phone 2 - Value", "phone"), ("Organization 1 - Name", "company"),
    ("Phone 1 - Type", None), ("E-mail 1 - Type", None), ("Organization 1 - Title", None), ("Email 2", "email"),
])
def test_numbered_and_two_part_headers_name_their_field(header, field_name):
    """A hand-edited Google-style sheet: the part after " - " says what the column holds, unless it only says
    which kind (Mobile, Home) or nothing (Value, Name: then the part before does)."""
    assert header_field(header) == field_name


@pytest.mark.parametrize("header, fields", [
    (["Cognome", "Nome", "Email"], ["last_name", "first_name", "email"]),
    (["Name", "Surname", "Email"], ["first_name", "last_name", "email"]),
    (["Name", "Email"], ["full_name", "email"]),
    (["Full Name", "Last Name", "Email"], ["full_name", "last_name", "email"]),
])
def test_a_name_column_beside_a_surname_column_is_the_first_name(header, fields):
    guesses, _confidence = guess_mapping(header, [])
    assert [g.field for g in guesses] == fields


def test_a_name_column_of_whole_names_beside_a_surname_stays_the_whole_name():
    guesses, _confidence = guess_mapping(["Name", "Surname"], [["Anna Schmidt", "Schmidt"], ["Bo Ray", "Ray"]])
    assert [g.field for g in guesses] == ["full_name", "last_name"]
