"""Readers, QA findings: late single-byte accents (B5), override options and wrong extensions (B16)."""

from __future__ import annotations

import pytest

from c360_desktop.core.errors import C360Error
from c360_desktop.core.ingest.readers import UnreadableFile, open_table

HEADER = "First Name,Last Name,Email,City"
PADDING_BYTES = 270_000   # past the 256 KB sample that encoding detection reads


def ascii_rows_then(tail: list[str], encoding: str, head: list[str] = ()) -> bytes:
    """An export whose first non-ASCII row comes only after ``PADDING_BYTES`` of plain rows."""
    lines, size, i = [HEADER, *head], 0, 0
    while size < PADDING_BYTES:
        i += 1
        lines.append(f"Customer{i},Plain{i},customer{i}@example.com,Springfield")
        size += len(lines[-1]) + 2
    return ("\r\n".join(lines) + "\r\n").encode("utf-8") + ("\r\n".join(tail) + "\r\n").encode(encoding)


def all_cells(table) -> list[str]:
    return [cell for _, cells in table.data_rows() for cell in cells]


LATE_ROWS = ["José,Müller,jose.mueller@example.com,Zürich", "Zoë,Lefèvre,zoe.lefevre@example.net,Besançon"]


# ---------------------------------------------------------------------------- B5: encodings of the whole file

def test_cp1252_accents_after_the_sample_are_read_as_cp1252(tmp_path):
    path = tmp_path / "excel_windows.csv"
    path.write_bytes(ascii_rows_then(LATE_ROWS, "cp1252"))
    table = open_table(path)
    assert table.encoding == "cp1252"
    assert all_cells(table)[-8:] == [*LATE_ROWS[0].split(","), *LATE_ROWS[1].split(",")]
    assert table.describe()["encoding_warning"] is None


def test_utf8_accents_after_the_sample_stay_utf8(tmp_path):
    path = tmp_path / "late_utf8.csv"
    path.write_bytes(ascii_rows_then(LATE_ROWS, "utf-8"))
    table = open_table(path)
    assert table.encoding == "utf-8"
    assert all_cells(table)[-4:] == LATE_ROWS[1].split(",")


def test_a_utf8_file_with_late_cp1252_rows_keeps_both_and_says_so(tmp_path):
    path = tmp_path / "concatenated.csv"
    path.write_bytes(ascii_rows_then(LATE_ROWS, "cp1252", head=["Chloé,Dubois,chloe@example.org,Paris"]))
    table = open_table(path)
    cells = all_cells(table)
    assert table.encoding == "utf-8"
    assert cells[:4] == ["Chloé", "Dubois", "chloe@example.org", "Paris"]
    assert cells[-8:] == [*LATE_ROWS[0].split(","), *LATE_ROWS[1].split(",")]
    assert not any("\ufffd" in cell for cell in cells)
    warning = table.describe()["encoding_warning"]
    first_line = path.read_bytes().split(b"\r\n").index(LATE_ROWS[0].encode("cp1252")) + 1
    assert "6 bytes" in warning and f"line {first_line:,}" in warning and "utf-8" in warning
    assert "Jos" not in warning and "Zürich" not in warning   # no customer data in messages


def test_a_short_sheet_with_more_stray_bytes_than_utf8_accents_stays_utf8(tmp_path):
    path = tmp_path / "pasted.csv"
    path.write_bytes("Name,City\r\nChloé,Paris\r\n".encode("utf-8") + "José,Zürich\r\n".encode("cp1252"))
    table = open_table(path)
    assert table.encoding == "utf-8"
    assert all_cells(table) == ["Chloé", "Paris", "José", "Zürich"]
    assert "2 bytes" in table.encoding_warning and "line 3" in table.encoding_warning


def test_a_cyrillic_single_byte_file_is_not_taken_for_utf8_by_a_chance_pair(tmp_path):
    rows = ["Иван,Потёмкин,Москва", "Ольга,Смирнова,Санкт-Петербург", "Пётр,Иванов,Казань"] * 5
    path = tmp_path / "contacts.csv"
    path.write_bytes("\r\n".join(["Имя,Фамилия,Город", *[r.upper() for r in rows]]).encode("cp1251"))
    assert "ТЁ".encode("cp1251").decode("utf-8")   # a valid UTF-8 character by chance
    table = open_table(path)
    assert table.encoding != "utf-8" and all_cells(table)[:3] == ["ИВАН", "ПОТЁМКИН", "МОСКВА"]


def test_a_forced_encoding_that_does_not_fit_never_gives_replacement_characters(tmp_path):
    path = tmp_path / "excel_windows.csv"
    path.write_bytes(("Name,City\r\nJosé,Zürich\r\nAnn,Leeds\r\n").encode("cp1252"))
    table = open_table(path, encoding="utf-8")
    assert all_cells(table) == ["José", "Zürich", "Ann", "Leeds"]
    assert "2 bytes" in table.encoding_warning and "line 2" in table.encoding_warning


def test_a_byte_cp1252_leaves_undefined_is_kept_and_reported(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"Name,Note\r\nAnn,a\x81b\r\n" + b"Bob,plain\r\n" * 20)
    table = open_table(path, encoding="cp1252")
    assert all_cells(table)[:2] == ["Ann", "a\x81b"]
    assert "1 byte " in table.encoding_warning


def test_files_that_decode_cleanly_have_no_warning(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_bytes("Name,City\r\nZoë,Besançon\r\n".encode())
    assert open_table(path).encoding_warning is None


# ---------------------------------------------------------------------------- B16: override options

@pytest.mark.parametrize("option, delimiter", [("semicolon", ";"), ("Semicolon", ";"), (";", ";"), ("tab", "\t"),
                                               ("\\t", "\t"), ("\t", "\t"), ("pipe", "|"), ("|", "|"),
                                               ("comma", ","), (",", ",")])
def test_delimiter_overrides_by_name_or_character(tmp_path, option, delimiter):
    path = tmp_path / "f.txt"
    path.write_text(f"Name{delimiter}Email\nAnn{delimiter}ann@example.org\n", encoding="utf-8")
    table = open_table(path, delimiter=option)
    assert table.delimiter == delimiter and table.header == ["Name", "Email"]


@pytest.mark.parametrize("option", ["nonsense", "colon", "", ";;"])
def test_an_unknown_delimiter_is_a_clear_error(tmp_path, option):
    path = tmp_path / "f.csv"
    path.write_text("Name,Email\nAnn,ann@example.org\n", encoding="utf-8")
    with pytest.raises(C360Error, match="delimiter.*comma, semicolon, tab or pipe"):
        open_table(path, delimiter=option)


@pytest.mark.parametrize("option", ["nonsense", "base64"])
def test_an_unknown_encoding_is_a_clear_error(tmp_path, option):
    path = tmp_path / "f.csv"
    path.write_text("Name,Email\nAnn,ann@example.org\n", encoding="utf-8")
    with pytest.raises(C360Error, match=f"encoding '{option}'"):
        open_table(path, encoding=option)


# ---------------------------------------------------------------------------- B16: content, not extension

def test_tsv_saved_as_xls_is_read_as_text(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"First Name\tLast Name\tEmail\nAnn\tLee\tann@example.com\n")
    table = open_table(path)
    assert (table.format, table.delimiter) == ("csv", "\t")
    assert list(table.data_rows()) == [(1, ["Ann", "Lee", "ann@example.com"])]


def test_cp1252_csv_saved_as_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes("First Name,City\r\nJosé,Málaga\r\nZoë,Besançon\r\n".encode("cp1252"))
    table = open_table(path)
    assert (table.format, table.encoding) == ("csv", "cp1252")
    assert all_cells(table) == ["José", "Málaga", "Zoë", "Besançon"]


def test_utf16_unicode_text_saved_as_xls_is_read_as_text(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xff\xfe" + "Name\tEmail\r\nZoë\tzoe@example.org\r\n".encode("utf-16-le"))
    assert all_cells(open_table(path)) == ["Zoë", "zoe@example.org"]


@pytest.mark.parametrize("name, content, what", [
    ("export.xls", b"<html><body><table><tr><th>Email</th></tr></table></body></html>", "web page"),
    ("export.xls", b"\xef\xbb\xbf\r\n  <!DOCTYPE html>\n<html><table></table></html>", "web page"),
    ("export.xls", b'<meta charset="utf-8"><table border=1><tr><td>Email</td></tr></table>', "web page"),
    ("export.xls", b"\xff\xfe" + "<html><table></table></html>".encode("utf-16-le"), "web page"),
    ("export.xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n", "web page"),
    ("export.xls", b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "XML"),
    ("export.csv", b"<html><body><table><tr><td>Email</td></tr></table></body></html>", "web page"),
])
def test_web_pages_and_xml_are_refused_with_what_to_do(tmp_path, name, content, what):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=f"{what}.*save it as CSV or XLSX") as raised:
        open_table(path)
    assert "damaged" not in str(raised.value)


def test_a_csv_whose_first_cell_starts_with_a_bracket_is_still_a_csv(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("<Name>,Email\nAnn,ann@example.org\n", encoding="utf-8")
    assert open_table(path).header == ["<Name>", "Email"]


@pytest.mark.parametrize("name", ["book.xls", "book.csv", "book.ods", "book.xlsx"])
def test_a_real_workbook_opens_whatever_its_extension(tmp_path, name):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["Name", "Email"])
    book.active.append(["Ann", "ann@example.org"])
    path = tmp_path / name
    book.save(path)
    table = open_table(path)
    assert table.format in ("xlsx", "ods") and all_cells(table) == ["Ann", "ann@example.org"]


@pytest.mark.parametrize("name", ["broken.xlsx", "broken.xls", "broken.ods"])
def test_binary_that_is_no_workbook_under_a_spreadsheet_extension_is_damaged(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnreadableFile, match="damaged or not a spreadsheet"):
        open_table(path)


def test_a_utf8_file_with_a_stray_single_byte_row_near_the_top_stays_utf8_and_says_so(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes("Name,Email,City\r\nZoë Ça,zoe@example.org,Köln\r\n".encode("utf-8")
                     + "José Müller,jose@example.org,Zürich\r\n".encode("cp1252"))
    table = open_table(path)
    assert table.encoding == "utf-8"
    assert [cells[0] for _, cells in table.data_rows()] == ["Zoë Ça", "José Müller"]
    assert "3 bytes of contacts.csv could not be read as utf-8 (the first on line 3)" in table.encoding_warning


def test_a_utf8_file_whose_first_stray_byte_comes_before_its_accents_stays_utf8(tmp_path):
    path = tmp_path / "contacts.csv"
    ascii_rows = "".join(f"Ann Lee{i},ann{i}@example.org,Boston\r\n" for i in range(20_000))   # past the sample
    path.write_bytes(("Name,Email,City\r\n" + ascii_rows).encode() + "José,jose@example.org,Zürich\r\n".encode("cp1252")
                     + "".join(f"Zoë{i},zoe{i}@example.org,Köln\r\n" for i in range(5)).encode())
    table = open_table(path)
    assert table.encoding == "utf-8"
    assert [cells[0] for _, cells in table.data_rows()][-6:] == ["José"] + [f"Zoë{i}" for i in range(5)]
    assert "(the first on line 20,002)" in table.encoding_warning


def test_a_file_without_a_header_row_keeps_its_first_line_as_data_and_says_so(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Qwinn,Headerman,qwinn@example.org,+44 20 7946 0018\nYara,Quixley,yara@example.org,\n",
                    encoding="utf-8")
    table = open_table(path)
    assert table.headerless and table.header == ["Column 1", "Column 2", "Column 3", "Column 4"]
    assert [number for number, _ in table.data_rows()] == [1, 2]
    assert all_cells(table)[:3] == ["Qwinn", "Headerman", "qwinn@example.org"]
    assert "no header row" in table.headerless_warning and "Qwinn" not in table.headerless_warning


@pytest.mark.parametrize("header", ["Name,Email,Phone 1,Zip", "Customer ID,E-mail address,Tel.,2024 orders",
                                    "Kundennummer,E-Mail,Telefon (mobil),PLZ"])
def test_column_names_with_digits_or_email_words_are_a_header(tmp_path, header):
    path = tmp_path / "people.csv"
    path.write_text(f"{header}\nAnn,ann@example.com,+1 415 555 0101,94110\n", encoding="utf-8")
    assert not open_table(path).headerless


@pytest.mark.parametrize("name, content, what", [
    ("customers.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nName Email\n", "a PDF document"),
    ("customers.rtf", b"{\\rtf1\\ansi Name, Email\\par}", "a rich-text document"),
])
def test_a_document_is_refused_with_what_it_is(tmp_path, name, content, what):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=what):
        open_table(path)


def test_a_word_file_or_a_zip_archive_is_named_as_such_not_a_damaged_workbook(tmp_path):
    import zipfile

    word, archive = tmp_path / "customers.docx", tmp_path / "export.xlsx"
    with zipfile.ZipFile(word, "w") as handle:
        handle.writestr("word/document.xml", "<w:document/>")
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("customers.csv", "Name,Email\n")
    with pytest.raises(UnreadableFile, match="is a Word document"):
        open_table(word)
    with pytest.raises(UnreadableFile, match="is a ZIP archive, not a spreadsheet: unzip it"):
        open_table(archive)
