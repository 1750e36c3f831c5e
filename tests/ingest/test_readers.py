"""Readers: encodings, delimiters, quoting, spreadsheets, broken files."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from c360_desktop.core.ingest.readers import UnreadableFile, open_table

ROWS = [["Name", "Email", "Phone", "Zip"], ["Zoë Ärnström", "zoe@example.org", "+1 415 555 0101", "02134"],
        ["Ann Smith", "ann@example.org", "(415) 555-0102", "94107"]]


def write_text(path, text: str, encoding: str, bom: bytes = b""):
    path.write_bytes(bom + text.encode(encoding))
    return path


def as_csv(rows, delimiter=","):
    return "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"


def read_all(table):
    return [cells for _, cells in table.data_rows()]


@pytest.mark.parametrize("encoding, bom, expected", [
    ("utf-8", b"", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ("utf-16-le", b"\xff\xfe", "utf-16-le"),
    ("utf-16-be", b"\xfe\xff", "utf-16-be"),
    ("utf-16-le", b"", "utf-16-le"),
    ("cp1252", b"", "cp1252"),
])
def test_encodings(tmp_path, encoding, bom, expected):
    path = write_text(tmp_path / "f.csv", as_csv(ROWS, "\t" if "16" in encoding else ","), encoding, bom)
    table = open_table(path)
    assert table.encoding == expected
    assert table.header == ROWS[0]
    assert read_all(table)[0][0] == "Zoë Ärnström"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(tmp_path, delimiter):
    path = write_text(tmp_path / "f.txt", as_csv(ROWS, delimiter), "utf-8")
    table = open_table(path)
    assert table.delimiter == delimiter
    assert read_all(table)[1] == ROWS[2]


def test_excel_sep_line_and_override(tmp_path):
    path = write_text(tmp_path / "f.csv", "sep=;\r\n" + as_csv(ROWS, ";"), "utf-8")
    table = open_table(path)
    assert table.delimiter == ";" and table.header == ROWS[0]
    forced = open_table(path, delimiter=",", encoding="latin-1")
    assert forced.delimiter == "," and forced.encoding == "latin-1"


def test_quoted_newlines_delimiters_and_ragged_rows(tmp_path):
    text = 'Name,Notes,Email\r\n"Smith, Ann","line one\nline two",ann@example.org\r\nBob,short\r\nCara,x,c@example.org,EXTRA\r\n'
    table = open_table(write_text(tmp_path / "f.csv", text, "utf-8"))
    rows = read_all(table)
    assert rows[0] == ["Smith, Ann", "line one\nline two", "ann@example.org"]
    assert rows[1] == ["Bob", "short"] and rows[2][-1] == "EXTRA"


def test_report_title_rows_above_the_header_are_skipped(tmp_path):
    text = "Customer Contact List\r\nMy Shop\r\n\r\nCustomer,Email,Phone Numbers\r\nAnn,ann@example.org,555\r\n"
    table = open_table(write_text(tmp_path / "f.csv", text, "utf-8"))
    assert table.header == ["Customer", "Email", "Phone Numbers"] and table.header_index == 3
    assert list(table.data_rows()) == [(1, ["Ann", "ann@example.org", "555"])]


def test_xlsx_numbers_dates_and_sheets(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["just a note"])
    sheet = book.create_sheet("Customers")
    sheet.append(["Name", "Phone", "Zip", "Joined", "Big id", "Amount"])
    sheet.append(["Ann", 4155550101, "02134", dt.datetime(2024, 3, 4), "123456789012345678", 12.5])
    path = tmp_path / "book.xlsx"
    book.save(path)
    table = open_table(path, sheet="Customers")
    assert table.sheets == ["Notes", "Customers"]
    assert open_table(path).sheet == "Customers"   # the sheet with the data, not the note before it
    assert read_all(table) == [["Ann", "4155550101", "02134", "2024-03-04", "123456789012345678", "12.5"]]
    with pytest.raises(UnreadableFile, match="no sheet named"):
        open_table(path, sheet="Orders")


def test_ods(tmp_path):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("odf")
    path = tmp_path / "contacts.ods"
    pandas.DataFrame({"Email": ["ann@example.org"], "Phone": ["'+44 7700 900123"]}).to_excel(path, engine="odf", index=False)
    table = open_table(path)
    assert table.format == "xlsx" or table.format == "ods"
    assert read_all(table) == [["ann@example.org", "'+44 7700 900123"]]


@pytest.mark.parametrize("content", [os.urandom(5000), b"\x00\x01\x02" * 1000, b"PK\x03\x04garbage" * 50,
                                     b"\xd0\xcf\x11\xe0" + os.urandom(600)])
def test_binary_and_damaged_files_are_refused_cleanly(tmp_path, content):
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        open_table(path)


def test_empty_and_blank_files(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFile, match="empty"):
        open_table(empty)
    blank = write_text(tmp_path / "blank.csv", "\r\n\r\n,,\r\n", "utf-8")
    with pytest.raises(UnreadableFile):
        open_table(blank)
