"""Which country a file's phone numbers without a country code are read as: the default region unless the
file's numbers clearly belong to another country, a row's email domain, or the owner's choice."""

from __future__ import annotations

import pytest

from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.regions import decide_region, email_country, row_phone_region
from tests.conftest import GOOD_PASSPHRASE, run_cli
from tests.ingest.test_importer import do_import, write_csv

FRENCH = ["06 12 34 56 78", "01 42 68 53 00", "07 81 23 45 67", "06 98 76 54 32", "04 91 55 11 11"]
US = ["(415) 555-0101", "212 555 0199", "646-555-0100", "(312) 555-0142"]


def test_a_file_whose_header_and_numbers_are_french_is_read_as_france():
    choice = decide_region(FRENCH, [], ["a@gmail.com"], ["Prénom", "Nom", "Courriel", "Portable"], "ES")
    assert (choice.region, choice.grounds, choice.valid, choice.valid_in_default) == ("FR", "data", 5, 0)
    assert "France (FR)" in choice.describe() and "Spain (ES)" in choice.describe()


def test_a_french_sheet_in_a_german_or_italian_shop_is_french_though_their_plans_accept_its_numbers():
    header = ["Prénom", "Nom", "Courriel", "Téléphone"]
    assert decide_region(FRENCH, [], [], header, "DE").region == "FR"
    assert decide_region(FRENCH, [], [], header, "IT").region == "FR"


def test_a_language_is_no_country_the_numbers_decide_between_its_countries():
    """German headers are Switzerland's too: Swiss numbers fit Germany's plan as well, so nothing is chosen."""
    swiss = ["079 123 45 67", "044 668 18 00", "078 765 43 21", "031 322 21 11"]
    header = ["Vorname", "Nachname", "E-Mail", "Telefon", "PLZ", "Ort"]
    assert decide_region(swiss, [], [], header, "GB").grounds == "unfit"
    german = ["0221 5550123", "089 55501942", "030 1234567"]
    assert decide_region(german, ["Deutschland"] * 3, [], header, "US").region == "DE"   # the country column says


def test_the_country_column_points_to_the_country_of_national_numbers():
    irish = ["087 123 4567", "086 765 4321", "01 234 5678", "085 111 2222"]
    assert decide_region(irish, ["Ireland", "IE", "Ireland", "UK"], [], ["Name"], "GB").region == "IE"


def test_email_domains_point_to_the_country():
    dutch = ["070-4553112", "06-12345678", "020-1234567"]
    assert decide_region(dutch, [], ["a@b.nl", "c@d.nl", "e@gmail.com"], ["Name"], "US").region == "NL"


def test_numbers_that_fit_the_default_region_keep_it():
    choice = decide_region(US, [], ["bo@x.de"], ["Name"], "US")
    assert (choice.region, choice.grounds) == ("US", "default")


def test_numbers_that_fit_several_countries_and_nothing_points_to_one_keep_the_default_and_say_so():
    """German and Italian numbering plans accept most ten-digit numbers: fitting them proves nothing."""
    choice = decide_region(US, [], ["bo@x.de", "a@x.com", "b@x.com", "c@x.com"], ["Name"], "ES")
    assert (choice.region, choice.grounds) == ("ES", "unfit")
    assert "choose it for this file" in choice.describe()


def test_too_few_numbers_decide_nothing():
    assert decide_region(FRENCH[:2], [], [], ["Prénom"], "ES").grounds == "none"


def test_numbers_with_a_country_code_are_not_evidence():
    assert decide_region(["+33 6 12 34 56 78"] * 5, [], [], ["Prénom"], "ES").grounds == "none"


@pytest.mark.parametrize("email, region", [("marie@orange.fr", "FR"), ("x@ex.co.uk", "GB"), ("a@b.com", ""),
                                           ("a@startup.io", ""), ("not an email", "")])
def test_email_country(email, region):
    assert email_country(email) == region


def test_a_row_whose_email_points_to_another_country_reads_its_number_there():
    assert row_phone_region("030 1234567", "ES", "DE", "ES") == "DE"
    assert row_phone_region("612 345 678", "ES", "DE", "ES") == "ES"   # valid in the file's region: stays
    assert row_phone_region("+33 6 12 34 56 78", "ES", "DE", "ES") == "ES"


def test_in_a_file_read_as_another_country_a_number_without_its_trunk_zero_is_the_default_regions():
    """A Spanish customer on a French sheet of a Spanish shop: ``638 60 42 48`` is valid in France too, but a
    French number is written ``06 38 …``."""
    assert row_phone_region("638 60 42 48", "FR", "", "ES") == "ES"
    assert row_phone_region("06 38 60 42 48", "FR", "", "ES") == "FR"
    assert row_phone_region("638 60 42 48", "FR", "", "FR") == "FR"   # France is the shop's own country
    assert row_phone_region("33612345678", "FR", "", "DE") == "FR"    # a French number whose + was lost


def test_an_imported_french_sheet_in_a_spanish_shop_has_french_numbers(vault, tmp_path):
    rows = [["Marie", "Dupont", f"m{i}@gmail.com", number, "Paris"] for i, number in enumerate(FRENCH)]
    path = write_csv(tmp_path / "inscriptions.csv", ["Prénom", "Nom", "Courriel", "Portable", "Ville"], rows)
    report = do_import(vault, path, region="ES")
    assert report.detected["region"] == "FR" and report.detected["region_decided"] == "data"
    phones = [phone for (phone,) in vault.conn.execute("SELECT phone FROM source_records ORDER BY id")]
    assert phones == ["+33612345678", "+33142685300", "+33781234567", "+33698765432", "+33491551111"]


def test_spanish_customers_on_the_french_sheet_keep_spanish_numbers(vault, tmp_path):
    rows = [["Marie", "Dupont", f"m{i}@gmail.com", number, "Paris"] for i, number in enumerate(FRENCH)]
    rows.append(["Jordi", "Mas", "jordi@gmail.com", "638 60 42 48", "Barcelona"])
    path = write_csv(tmp_path / "inscriptions.csv", ["Prénom", "Nom", "Courriel", "Portable", "Ville"], rows)
    do_import(vault, path, region="ES")
    assert vault.conn.execute("SELECT phone FROM source_records WHERE first_name = 'Jordi'").fetchone() == (
        "+34638604248",)


def test_a_region_chosen_for_the_file_is_kept_whatever_the_numbers_look_like(vault, tmp_path):
    rows = [["Marie", "Dupont", f"m{i}@gmail.com", number, "Paris"] for i, number in enumerate(FRENCH)]
    path = write_csv(tmp_path / "inscriptions.csv", ["Prénom", "Nom", "Courriel", "Portable", "Ville"], rows)
    rows.append(["Klaus", "Meier", "klaus@web.de", "0171 2345678", "Köln"])   # his email says Germany: no matter
    path = write_csv(tmp_path / "inscriptions.csv", ["Prénom", "Nom", "Courriel", "Portable", "Ville"], rows)
    report = do_import(vault, path, region="ES", phone_region="NL")
    assert report.detected["region"] == "NL" and report.detected["region_decided"] == "chosen"
    phones = [phone for (phone,) in vault.conn.execute("SELECT phone FROM source_records ORDER BY id")]
    assert phones[0] == "+31612345678" and phones[-1] == "+311712345678"


def test_a_row_with_a_country_domain_in_a_file_of_the_default_region(vault, tmp_path):
    header = ["Name", "Email", "Phone"]
    rows = [["Ann Lee", "ann@x.com", US[0]], ["Bo Ray", "bo@web.de", "030 1234567"], ["Cy Dee", "cy@x.com", US[1]],
            ["Di Eve", "di@x.com", US[2]]]
    do_import(vault, write_csv(tmp_path / "contacts.csv", header, rows), region="US")
    phone, = vault.conn.execute("SELECT phone FROM source_records WHERE email = 'bo@web.de'").fetchone()
    assert phone == "+49301234567"


def test_choosing_a_phone_region_does_not_change_the_date_order(tmp_path):
    path = write_csv(tmp_path / "contacts.csv", ["Name", "Phone", "Birthday"],
                     [["Ann Lee", "(415) 555-0101", "03/05/1980"], ["Bo Ray", "(415) 555-0102", "04/06/1981"]])
    plan = plan_import(path, ImportOptions(region="US", phone_region="GB"))
    assert plan.region == "GB" and plan.date_order.order == "MDY"


def test_the_command_line_says_how_phone_numbers_were_read(vault_path, tmp_path):
    rows = [["Marie", "Dupont", f"m{i}@gmail.com", number, "Paris"] for i, number in enumerate(FRENCH)]
    path = write_csv(tmp_path / "inscriptions.csv", ["Prénom", "Nom", "Courriel", "Portable", "Ville"], rows)
    env = {"C360_PASSPHRASE": GOOD_PASSPHRASE, "C360_INSECURE_FAST_KDF": "1"}
    run_cli("--vault", str(vault_path), "init", env=env)
    shown = run_cli("--vault", str(vault_path), "import", str(path), "--region", "ES", env=env)
    assert "read as France (FR): 5 of 5 in this file are valid there" in shown.stdout
    chosen = run_cli("--vault", str(vault_path), "--json", "import", str(path), "--phone-region", "BE", env=env)
    assert '"region": "BE"' in chosen.stdout and '"updated": 5' in chosen.stdout
    wrong = run_cli("--vault", str(vault_path), "import", str(path), "--phone-region", "France", env=env)
    assert wrong.returncode != 0 and "not a country code" in wrong.stderr


def test_the_shops_country_is_the_settings_else_the_one_its_imports_were_read_with(vault, tmp_path):
    from c360_desktop.core.ingest.regions import REGION_SETTING, shop_region

    assert shop_region(vault) == "US"   # nothing imported, nothing chosen
    path = write_csv(tmp_path / "contacts.csv", ["Name", "Email", "Phone"], [["Ann Lee", "ann@example.com", "07700 900123"]])
    do_import(vault, path, region="GB")
    assert shop_region(vault) == "GB"
    for options in ("null", "[]", "not json", '{"region": "gb"}', '{"default_region": 5}'):   # older or damaged
        vault.conn.execute("INSERT INTO imports(file_name, file_sha256, source, started_at, options)"
                           " VALUES ('f', 'h', 's', 't', ?)", (options,))
    assert shop_region(vault) == "GB"
    vault.set_setting(REGION_SETTING, "ie")
    assert shop_region(vault) == "IE"


def test_a_phone_lookup_reads_the_number_as_the_shops_imports_did(vault_path, tmp_path):
    """Imported with ``--region GB`` and nothing set in Settings: ``07700 900123`` is the customer's +44 number."""
    path = write_csv(tmp_path / "contacts.csv", ["Name", "Email", "Phone"], [["Ann Lee", "ann@example.com", "07700 900123"]])
    env = {"C360_PASSPHRASE": GOOD_PASSPHRASE, "C360_INSECURE_FAST_KDF": "1"}
    run_cli("--vault", str(vault_path), "init", env=env)
    run_cli("--vault", str(vault_path), "import", str(path), "--region", "GB", env=env)
    run_cli("--vault", str(vault_path), "match", env=env)
    found = run_cli("--vault", str(vault_path), "--json", "gdpr", "find", "--phone", "07700 900123", env=env)
    assert found.returncode == 0 and '"profile_id"' in found.stdout
    shown = run_cli("--vault", str(vault_path), "profile", "show", "--phone", "07700900123", env=env)
    assert shown.returncode == 0 and shown.stdout.startswith("Profile 1: Ann Lee")
