"""`c360 import` with --delimiter and --encoding overrides, and exports saved under a spreadsheet extension."""

from __future__ import annotations

import json

import pytest

from tests.conftest import GOOD_PASSPHRASE, run_cli

ENV = {"C360_PASSPHRASE": GOOD_PASSPHRASE}


@pytest.fixture
def initialised(vault_path):
    result = run_cli("--vault", str(vault_path), "init", env=ENV)
    assert result.returncode == 0, result.stderr
    return vault_path


def import_json(vault_path, *args):
    result = run_cli("--vault", str(vault_path), "--json", "import", "--dry-run", *args, env=ENV)
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def assert_one_clean_line(result, *expected):
    assert result.returncode == 1, result.stderr
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "internal error" not in message and "Traceback" not in message
    for text in expected:
        assert text in message


@pytest.mark.parametrize("option, delimiter", [("semicolon", ";"), ("\\t", "\t"), ("tab", "\t"), ("pipe", "|"),
                                               (";", ";")])
def test_delimiter_names_and_escapes(initialised, tmp_path, option, delimiter):
    path = tmp_path / "contacts.txt"
    path.write_text(f"Name{delimiter}Email\nAnn Lee{delimiter}ann@example.org\n", encoding="utf-8")
    result, (report,) = import_json(initialised, "--delimiter", option, str(path))
    assert result.returncode == 0, result.stderr
    assert report["rows"] == 1 and report["inserted"] == 1
    assert report["detected"]["delimiter"] == {"\t": "tab"}.get(delimiter, delimiter)


@pytest.mark.parametrize("option", ["nonsense", "colon", ""])
def test_an_unknown_delimiter_is_one_clean_line(vault_path, tmp_path, option):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email\nAnn,ann@example.org\n", encoding="utf-8")
    result = run_cli("--vault", str(vault_path), "import", "--delimiter", option, str(path), env=ENV)
    assert_one_clean_line(result, "delimiter", "comma, semicolon, tab or pipe")


@pytest.mark.parametrize("option", ["nonsense", "base64"])
def test_an_unknown_encoding_is_one_clean_line(vault_path, tmp_path, option):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email\nAnn,ann@example.org\n", encoding="utf-8")
    result = run_cli("--vault", str(vault_path), "import", "--encoding", option, str(path), env=ENV)
    assert_one_clean_line(result, f"encoding '{option}'")


def test_a_forced_encoding_that_does_not_fit_is_shown(initialised, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Name,Email,City\r\nJosé Müller,jose@example.org,Zürich\r\n".encode("cp1252"))
    result = run_cli("--vault", str(initialised), "import", "--dry-run", "--encoding", "utf-8", str(path), env=ENV)
    assert result.returncode == 0, result.stderr
    assert "the file: 3 bytes of excel.csv could not be read as utf-8 (the first on line 2)" in result.stdout
    _, (report,) = import_json(initialised, "--encoding", "utf-8", str(path))
    assert "3 bytes" in report["detected"]["encoding_warning"]
    assert report["warnings"][0] == {"row": None, "field": None, "reason": report["detected"]["encoding_warning"]}
    imported = run_cli("--vault", str(initialised), "import", "--encoding", "utf-8", str(path), env=ENV)
    assert imported.returncode == 0, imported.stderr
    shown = run_cli("--vault", str(initialised), "imports", "show", "1", env=ENV)
    assert "the file: warning, 3 bytes of excel.csv" in shown.stdout


def test_text_exports_with_a_spreadsheet_extension(initialised, tmp_path):
    tsv = tmp_path / "export.xls"
    tsv.write_bytes(b"First Name\tLast Name\tEmail\nAnn\tLee\tann@example.com\n")
    csv = tmp_path / "export.xlsx"
    csv.write_bytes("First Name,Email\r\nJosé,jose@example.com\r\n".encode("cp1252"))
    result, reports = import_json(initialised, str(tsv), str(csv))
    assert result.returncode == 0, result.stderr
    assert [(r["detected"]["format"], r["detected"]["delimiter"], r["inserted"]) for r in reports] == [
        ("csv", "tab", 1), ("csv", ",", 1)]


def test_a_web_page_saved_as_xls_says_what_to_do(initialised, tmp_path):
    page = tmp_path / "export.xls"
    page.write_bytes(b"<html><body><table><tr><th>Email</th></tr>"
                     b"<tr><td>ann@example.com</td></tr></table></body></html>")
    result, (report,) = import_json(initialised, str(page))
    assert result.returncode == 1
    assert "web page" in report["error"] and "save it as CSV or XLSX" in report["error"]


def test_a_workbook_opens_on_its_data_sheet_and_names_the_others(initialised, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    book.active.append(["Total customers", 2])
    contacts = book.create_sheet("Contacts")
    for row in (["Name", "Email"], ["Ann Lee", "ann@example.org"], ["Bob Ray", "bob@example.org"]):
        contacts.append(row)
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    result = run_cli("--vault", str(initialised), "import", "--dry-run", str(path), env=ENV)
    assert "sheet 'Contacts' (also in the workbook: 'Summary'; --sheet NAME)" in result.stdout
    assert "rows 2: inserted 2" in result.stdout


def test_a_wrong_delimiter_that_keeps_every_row_out_says_what_to_check(initialised, tmp_path):
    path = tmp_path / "signups.csv"
    path.write_text("Name,Email,Notes\nAnn Lee,ann@example.org,stall\nBo Ray,bo@example.org,\n", encoding="utf-8")
    result = run_cli("--vault", str(initialised), "import", "--dry-run", "--delimiter", "semicolon", str(path), env=ENV)
    assert result.returncode == 0, result.stderr
    assert "nothing in this file could be imported" in result.stdout and "--delimiter" in result.stdout
