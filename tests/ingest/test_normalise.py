"""Normalisers: each keeps intent, repairs only the unambiguous, and flags the rest."""

from __future__ import annotations

import pytest

from c360_desktop.core.ingest.dates import DMY, MDY, decide_order, parse_date, readable_date
from c360_desktop.core.ingest.normalise import (
    INVALID,
    REPAIRED,
    canonical_email,
    clean_text,
    country_code,
    fold,
    is_company_name,
    normalise_address,
    normalise_company,
    normalise_consent,
    normalise_email,
    normalise_id,
    normalise_money,
    normalise_name,
    normalise_phone,
    normalise_postal,
    split_full_name,
)


@pytest.mark.parametrize("raw, value, key", [
    ("  Ann.Smith@Example.COM ", "ann.smith@example.com", "ann.smith@example.com"),
    ("mailto:bob+shop@example.org", "bob+shop@example.org", "bob@example.org"),
    ("J.Doe+news@GoogleMail.com", "j.doe+news@googlemail.com", "jdoe@gmail.com"),
    ("<carla@example.net>", "carla@example.net", "carla@example.net"),
])
def test_email(raw, value, key):
    result = normalise_email(raw)
    assert (result.value, result.key) == (value, key)


@pytest.mark.parametrize("raw", ["not-an-email", "a@b", "ann@@example.com", "ann smith@example.com"])
def test_invalid_email_is_flagged_without_repeating_it(raw):
    result = normalise_email(raw)
    assert result.value is None and result.quality == INVALID and raw not in result.reason


def test_gmail_canonicalisation_only_for_gmail():
    assert canonical_email("a.b+x@gmail.com") == "ab@gmail.com"
    assert canonical_email("a.b+x@example.com") == "a.b@example.com"


@pytest.mark.parametrize("raw, region, e164", [
    ("(415) 555-0101", "US", "+14155550101"),
    ("'+1 415 555 0101", "US", "+14155550101"),
    ("4155550101.0", "US", "+14155550101"),
    ("4.155550101E+09", "US", "+14155550101"),
    ("07700 900123", "GB", "+447700900123"),
    ("0044 7700 900123", "US", "+447700900123"),
    ("030 1234567", "DE", "+49301234567"),
])
def test_phone_to_e164(raw, region, e164):
    assert normalise_phone(raw, region).value == e164


def test_phone_extension_and_type():
    result = normalise_phone("+1 415 555 0101 ext. 42", "US", "work")
    assert result.value == "+14155550101"
    assert result.detail["extension"] == "42" and result.detail["type"] == "work"


def test_excel_scientific_notation_that_lost_digits_is_flagged_not_guessed():
    result = normalise_phone("4.15555E+09", "US")
    assert result.value is None and result.quality == INVALID and "lost" in result.reason


def test_excel_decimal_is_repaired_and_says_so():
    assert normalise_phone("4155550101.0", "US").quality == REPAIRED


@pytest.mark.parametrize("raw", ["123", "abc", "++--", "0"])
def test_not_phones(raw):
    assert normalise_phone(raw, "US").value is None


def test_a_postcode_leading_zero_is_restored_where_five_digit_codes_start_with_zero():
    assert normalise_postal("2134", "US").value == "02134"
    assert normalise_postal("2134", "US").quality == REPAIRED
    assert normalise_postal("8016", "ES").value == "08016" and normalise_postal("1067", "DE").key == "01067"
    assert normalise_postal("2134", "AU").value == "2134"      # four digits is a whole Australian postcode
    assert normalise_postal("1017", "NL").value == "1017"
    assert normalise_postal("sw1a 1aa", "GB").value == "SW1A 1AA"


def test_names_and_accent_folding():
    assert split_full_name("Smith, Ann B.") == {"first_name": "Ann", "middle_name": "B.", "last_name": "Smith"}
    assert split_full_name("Dr. José María García Jr.")["last_name"] == "García"
    assert fold("José  María-García") == "jose maria garcia"
    assert fold("Müller Straße") == "muller strasse"


def test_address_key_abbreviates():
    assert normalise_address("12  Main Street, Apartment 4").key == normalise_address("12 main st apt 4").key


def test_country_codes():
    assert country_code("United States") == "US" and country_code("uk") == "GB" and country_code("DE") == "DE"
    assert country_code("Atlantis") == ""


@pytest.mark.parametrize("raw, decimal_comma, value, currency", [
    ("$1,204.50", False, "1204.50", "USD"),
    ("-$0.95", False, "-0.95", "USD"),
    ("1.234,56 €", True, "1234.56", "EUR"),
    ("12,50", False, "12.50", ""),
    ("(15.00)", False, "-15.00", ""),
    ("EUR 9", False, "9", "EUR"),
])
def test_money(raw, decimal_comma, value, currency):
    result = normalise_money(raw, decimal_comma)
    assert result.value == value and result.detail.get("currency", "") == currency


@pytest.mark.parametrize("raw, status", [("yes", "granted"), ("FALSE", "denied"), ("unsubscribed", "withdrawn"),
                                         ("NEVER_SUBSCRIBED", "denied"), ("cleaned", "unknown")])
def test_consent_vocabulary(raw, status):
    assert normalise_consent(raw).value == status


@pytest.mark.parametrize("raw, order, iso", [
    ("2024-03-04", MDY, "2024-03-04"),
    ("03/04/2024", MDY, "2024-03-04"),
    ("03/04/2024", DMY, "2024-04-03"),
    ("4.3.24", DMY, "2024-03-04"),
    ("2024-01-05 10:00:00 -0800", MDY, "2024-01-05T10:00:00-08:00"),
    ("2024-01-05T10:00:00Z", MDY, "2024-01-05T10:00:00+00:00"),
    ("01/05/24 3:07 PM", MDY, "2024-01-05T15:07:00"),
    ("45292", MDY, "2024-01-01"),
    ("March 4, 2024", MDY, "2024-03-04"),
])
def test_dates(raw, order, iso):
    assert parse_date(raw, order).value == iso


def test_impossible_and_zero_dates():
    assert parse_date("02/30/2024", MDY).quality == INVALID
    assert parse_date("0/0/00", MDY).value is None and parse_date("0/0/00", MDY).quality != INVALID
    assert parse_date("1234", MDY).quality == INVALID  # a small number is not a plausible spreadsheet date


def test_date_order_decided_from_data_then_tool_then_region():
    assert decide_order(["01/02/2024", "25/03/2024"], None, "US").order == DMY
    assert decide_order(["01/02/2024", "03/25/2024"], None, "GB").order == MDY
    assert decide_order(["01/02/2024"], "MDY", "GB").grounds == "tool"
    region = decide_order(["01/02/2024"], None, "GB")
    assert (region.order, region.grounds) == (DMY, "region")
    assert decide_order(["2024-01-02"], None, "GB").grounds == "none"


def test_stored_norm_items_round_trip_compactly():
    from c360_desktop.core.ingest.rows import encode_norm_item, norm_items
    import json

    items = [("first_name", "Ann", "Ann", "ann", "ok", None), ("city", "Boston", "Boston", None, "ok", None),
             ("email", "ANN@X.COM", "ann@x.com", "ann@x.com", "repaired", None),
             ("phone", "4155550101.0", "+14155550101", "+14155550101", "repaired", {"note": "x"}),
             ("email", "bad", None, None, "invalid", {"note": "not a valid email address"})]
    stored = json.dumps([encode_norm_item(*item) for item in items])
    assert norm_items(stored) == items
    assert encode_norm_item(*items[1]) == ["city", "Boston"]


def test_a_leading_apostrophe_goes_before_numbers_and_stays_before_letters():
    from c360_desktop.core.ingest.normalise import clean_text

    assert [clean_text(t) for t in ("'02134", "'+1 415 555 0101", "'=A1", "'6000000000000")] == \
        ["02134", "+1 415 555 0101", "=A1", "6000000000000"]
    assert [clean_text(t) for t in ("'t Hart", "'s-Hertogenbosch", "'quoted'")] == \
        ["'t Hart", "'s-Hertogenbosch", "'quoted'"]


def test_in_a_decimal_comma_file_a_dot_before_three_digits_groups_thousands():
    from c360_desktop.core.ingest.normalise import normalise_money

    amounts = {"1.500": "1500", "12.480,00": "12480.00", "89,90": "89.90", "0.250": "0.250", "12.5": "12.5"}
    assert {text: normalise_money(text, True).value for text in amounts} == amounts
    assert normalise_money("1.500", False).value == "1.500"


def test_ids_in_scientific_notation_are_expanded_only_when_no_digit_was_lost():
    from c360_desktop.core.ingest.normalise import INVALID, REPAIRED, normalise_id

    assert normalise_id("7.39105E+12").quality == INVALID
    assert normalise_id("1.234567890123457e+17").value is None
    assert (normalise_id("7.391051234567E+12").value, normalise_id("7.391051234567E+12").quality) == \
        ("7391051234567", REPAIRED)
    assert (normalise_id("'6000000000000").value, normalise_id("cus_NffrFeUfNV2Hib").key) == \
        ("6000000000000", "cus_nffrfeufnv2hib")


def test_dotted_dates_are_day_first_and_a_locale_tool_leaves_the_order_to_the_region():
    from c360_desktop.core.ingest.dates import LOCALE

    dotted = decide_order(["05.03.2024", "07.11.1979"], "MDY", "US")
    assert (dotted.order, dotted.grounds) == (DMY, "data")
    assert decide_order(["05/03/2024"], LOCALE, "GB").order == DMY
    assert decide_order(["05/03/2024"], LOCALE, "US").order == MDY
    assert decide_order(["05/03/2024"], LOCALE, "GB").grounds == "region"


def test_a_birthday_without_its_year_is_kept_as_day_and_month_and_no_other_date_gets_a_year_made_up():
    assert parse_date("10/02", MDY, yearless=True).value == "--10-02"
    assert parse_date("10/02", DMY, yearless=True).value == "--02-10"
    assert parse_date("--06-14", DMY, yearless=True).value == "--06-14"   # Google: always month then day
    assert parse_date("14.06.", DMY, yearless=True).value == "--06-14"
    assert parse_date("29/02", DMY, yearless=True).value == "--02-29"
    assert parse_date("31/02", DMY, yearless=True).quality == INVALID
    missing_year = parse_date("10/02", MDY)
    assert (missing_year.value, missing_year.reason) == (None, "a day and month without a year")
    assert readable_date("--06-14") == "14 June (year not given)"
    assert [readable_date(v) for v in ("1984-06-14", None, "")] == ["1984-06-14", None, ""]


@pytest.mark.parametrize("garbled, repaired", [
    ("BjÃ¶rn Neumann", "Björn Neumann"), ("JosÃ© GarcÃ­a", "José García"), ("MÃ¼nchen", "München"),
    ("Ã‰milie", "Émilie"),
])
def test_utf8_a_tool_stored_as_windows_1252_is_repaired_in_the_normalised_value(garbled, repaired):
    assert clean_text(garbled) == repaired
    assert normalise_name(garbled).key == fold(repaired)


@pytest.mark.parametrize("text", ["Åsa Öberg", "Ärger", "São Paulo", "Zoë", "Ã…sa", "ÂÂ Café", "İstanbul"])
def test_real_accents_and_ambiguous_text_are_left_as_they_are(text):
    assert clean_text(text) == text


@pytest.mark.parametrize("placeholder", ["0", "00", "0.0", "-1", "-", "Guest", "NULL", "none", "#N/A", "n/a"])
def test_a_placeholder_for_no_id_is_no_id(placeholder):
    assert normalise_id(placeholder).value is None and normalise_id(placeholder).quality != INVALID


def test_ids_that_only_look_like_placeholders_stay_ids():
    assert [normalise_id(text).value for text in ("10", "0012", "A0", "guest-17")] == ["10", "0012", "A0", "guest-17"]


@pytest.mark.parametrize("cell, region, e164", [
    ("447457791536", "US", "+447457791536"), ("491717965734", "US", "+491717965734"),
    ("34623880034.0", "US", "+34623880034"),
])
def test_an_international_number_whose_plus_a_spreadsheet_dropped_is_repaired(cell, region, e164):
    result = normalise_phone(cell, region)
    assert (result.value, result.quality) == (e164, REPAIRED) and "+ was lost" in result.reason


@pytest.mark.parametrize("cell, region, e164", [("4155550101", "US", "+14155550101"), ("4930123456", "DE", "+4930123456")])
def test_a_number_possible_in_the_region_is_read_in_the_region(cell, region, e164):
    assert normalise_phone(cell, region).value == e164


@pytest.mark.parametrize("cell", ["12345678", "41555501012", "33155501012", "61255501012"])
def test_digits_that_are_no_mobile_number_with_a_plus_stay_invalid(cell):
    """A US number typed with a digit too many reads as a foreign landline with a +: no repair, a warning."""
    assert normalise_phone(cell, "US").quality == INVALID


@pytest.mark.parametrize("name", ["Saffron Foods UG", "Acme, Inc.", "Whitfield & Co", "Müller GmbH & Co. KG",
                                  "Dupont S.A.", "Nordic Tea Oy", "Tea Traders Ltd.", "Acme Co.", "Björn AB",
                                  "Siemens AG", "Fiat SpA", "Smith & Wesson LP", "Law Firm P.C."])
def test_a_name_ending_in_a_legal_form_is_a_company(name):
    assert is_company_name(name)


@pytest.mark.parametrize("name", ["John Smith", "Maria de Sá", "Anna Sa", "Whitfield Studio", "Jane Doe-Smith", "Inc",
                                  "Jennifer Co", "Anna Ab", "Marco Spa", "Kim Lp", "Mary Jane P C"])
def test_people_are_not_companies(name):
    assert not is_company_name(name)


@pytest.mark.parametrize("cell", ["Smith Household", "The Müller Family", "Individual", "Self-employed", "Privat", "N/A"])
def test_what_a_private_customers_company_field_holds_is_no_company(cell):
    assert normalise_company(cell).value is None


@pytest.mark.parametrize("cell", ["Smith Family Farm", "Okafor Ceramics", "Acme Inc."])
def test_real_companies_stay(cell):
    assert normalise_company(cell).value == cell


@pytest.mark.parametrize("cell", ["0000-06-14", "0000-06-14T00:00:00", "1604-06-14"])
def test_a_birthday_whose_year_the_tool_was_not_told_keeps_day_and_month(cell):
    """Square writes 0000-MM-DD, Apple's contacts 1604-MM-DD."""
    assert parse_date(cell, yearless=True).value == "--06-14"
    assert parse_date("0000-06-14").value is None     # an order date needs its year
