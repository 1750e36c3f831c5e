"""Reading export files as tables of text, whatever their encoding, delimiter or format.

Every cell comes out as ``str``: nothing is parsed as a number here, so a phone
keeps its ``+``, a ZIP its leading zero and an 18-digit id all its digits.
Spreadsheet cells that the spreadsheet itself stored as numbers or dates are
turned back into the text a person would have typed (``4155550101``, not
``4155550101.0``; dates as ISO 8601).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import C360Error

SPREADSHEET_SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".xlsb": "xlsx"}
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}
SAMPLE_BYTES = 256 * 1024
BLOCK_BYTES = 1 << 20
HEADER_SEARCH_ROWS = 15
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MARKUP_TAGS = (b"<html", b"<table", b"<body", b"<!doctype html")

csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(C360Error):
    """The file is not a table c360 can read (binary, empty, damaged, password-protected)."""


class ReadOptionError(C360Error):
    """An encoding or delimiter override that c360 cannot use."""


# Undecodable bytes: never U+FFFD. Reading decodes them as Windows-1252 (the five bytes it leaves undefined as
# the code points of the same number, as browsers do), so a stray accent in a UTF-8 file stays an accent;
# ``find_undecodable`` marks them with a lone surrogate, which no decoder makes from valid input, to count them.
READ_AS_WINDOWS_1252 = "c360-read-as-windows-1252"
MARK_UNDECODABLE = "c360-mark-undecodable"
UNDECODABLE_MARK = "\udc00"
WINDOWS_1252 = "".join(bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in range(256))


def _read_as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(WINDOWS_1252[byte] for byte in error.object[error.start:error.end]), error.end


def readable_text(text: str) -> str:
    """Text that can be stored and printed. A file name that is not UTF-8 (``Kunden_M\\xe4rz.csv`` unpacked
    from a Windows zip) reaches Python with its stray bytes as lone surrogates, which neither SQLite nor a
    terminal takes; they are read as Windows-1252, as stray bytes inside a file are."""
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no byte became (a Windows name is UTF-16)
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", READ_AS_WINDOWS_1252)


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return UNDECODABLE_MARK * (error.end - error.start), error.end


codecs.register_error(READ_AS_WINDOWS_1252, _read_as_windows_1252)
codecs.register_error(MARK_UNDECODABLE, _mark_undecodable)


@dataclass(frozen=True)
class Undecodable:
    """Bytes of a text file that its encoding cannot decode."""

    count: int
    line: int  # physical line of the first, from 1
    decoded_non_ascii: int  # non-ASCII characters that did decode, in the whole file


@dataclass
class TableFile:
    """An export file opened for reading: how it was decoded and where its header is."""

    path: Path
    format: str  # "csv" | "xlsx" | "xls" | "ods"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    header_index: int = 0  # 0-based physical row of the header (preamble rows before it are skipped)
    headerless: bool = False  # the first wide row holds data: it is row 1, the columns are named "Column 1"…
    undecodable: Undecodable | None = None

    @property
    def file_name(self) -> str:
        return readable_text(self.path.name)

    @property
    def encoding_warning(self) -> str | None:
        """What the user must know when some bytes did not decode (counts and a line number: no data)."""
        found = self.undecodable
        if found is None:
            return None
        what, were = ("1 byte", "it was") if found.count == 1 else (f"{found.count:,} bytes", "they were")
        return (f"{what} of {self.file_name} could not be read as {self.encoding} (the first on line {found.line:,}):"
                f" {were} read as Windows-1252 characters. Check those rows, or choose the file's encoding.")

    @property
    def headerless_warning(self) -> str | None:
        if not self.headerless:
            return None
        return (f"{self.file_name} has no header row: its first line holds an email address or a phone number, "
                "not column names. It is read as data, the columns are named Column 1, Column 2…, and what each "
                "holds is guessed from its values: check the mapping.")

    @property
    def file_warnings(self) -> list[str]:
        """What the user must know about the file as a whole (no cell values)."""
        return [w for w in (self.encoding_warning, self.headerless_warning) if w]

    def describe(self) -> dict:
        return {
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": {"\t": "tab"}.get(self.delimiter or "", self.delimiter),
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": None if self.headerless else self.header_index + 1,
            "encoding_warning": self.encoding_warning,
            "headerless_warning": self.headerless_warning,
        }

    def data_rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(row_number, cells)`` after the header; row 1 is the first data row."""
        rows = _iter_raw_rows(self)
        for _ in range(self.header_index + (0 if self.headerless else 1)):
            next(rows, None)
        for number, cells in enumerate(rows, start=1):
            yield number, cells


def open_table(path: Path | str, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None) -> TableFile:
    """Detect format, encoding, delimiter, sheet and header row; overrides win over detection."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(f"{path.name} is not a file that can be read.")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"{path.name} is empty.")
    kind = _sniff_spreadsheet(path)
    table = TableFile(path=path, format=kind or "csv")
    if kind:
        table.sheets = _sheet_names(path)
        if sheet is not None and sheet not in table.sheets:
            raise UnreadableFile(f"{path.name} has no sheet named {sheet!r}; it has: {', '.join(table.sheets)}.")
        table.sheet = sheet or _data_sheet(path, table.sheets)
    else:
        _refuse_markup(path)
        table.encoding, table.undecodable = _whole_file_encoding(path, encoding)
        table.delimiter = (delimiter_from_option(delimiter) if delimiter is not None
                           else detect_delimiter(_text_sample(path, table.encoding)))
    table.header_index, table.header = _find_header(table)
    if any(_looks_like_data(cell) for cell in table.header):
        table.headerless = True
        table.header = [f"Column {n}" for n in range(1, _widest_row(table) + 1)]
    return table


def delimiter_from_option(option: str) -> str:
    """The delimiter a person named: comma, semicolon, tab, pipe, or the character itself (``\\t`` for tab)."""
    delimiter = DELIMITER_NAMES.get(option.lower(), option)
    if delimiter not in CANDIDATE_DELIMITERS:
        raise ReadOptionError(f"Unknown delimiter {option!r}: use comma, semicolon, tab or pipe.")
    return delimiter


def checked_encoding(name: str) -> str:
    """The encoding override itself, once Python knows it as a text encoding."""
    try:
        b"\x00\x00\x00\x00".decode(name)  # not b"": decoding nothing never looks the codec up
    except UnicodeDecodeError:
        pass
    except (LookupError, ValueError):
        raise ReadOptionError(f"Unknown encoding {name!r}: use a name such as utf-8, utf-16, cp1252 or latin-1."
                              ) from None
    return name


def _not_text(path: Path) -> UnreadableFile:
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return UnreadableFile(f"{path.name} cannot be read: the workbook is damaged or not a spreadsheet.")
    return UnreadableFile(f"{path.name} is a binary file, not a CSV or spreadsheet export.")


def _refuse_markup(path: Path) -> None:
    """Many web tools export "Excel" files that are HTML tables (or Excel 2003 XML) under .xls: say what to do."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        head = head.removeprefix(bom)
    head = head.replace(b"\x00", b"").lstrip().lower()
    advice = "open it in Excel and save it as CSV or XLSX, then import that."
    if head.startswith(b"mime-version:") or (head.startswith(b"<") and any(tag in head for tag in MARKUP_TAGS)):
        what = "a web page"
    elif head.startswith(b"<?xml"):
        what = "an XML file"
    elif head.startswith((b"%pdf-", b"{\\rtf")):
        what = "a PDF document" if head.startswith(b"%pdf-") else "a rich-text document"
        advice = "export the customers from the tool as CSV or XLSX and import that."
    else:
        return
    raise UnreadableFile(f"{path.name} is {what}, not a spreadsheet or CSV file: {advice}")


# ---------------------------------------------------------------------------- text files

def _whole_file_encoding(path: Path, override: str | None) -> tuple[str, Undecodable | None]:
    """The override or the detected encoding, with the bytes it cannot decode anywhere in the file.

    A pure-ASCII sample proves nothing: Excel's "CSV (Comma delimited)" on Windows writes cp1252, and its first
    accent may come after the sample. So the whole file is checked: when none of its non-ASCII bytes make a
    UTF-8 character, it is cp1252 (not charset detection on the bytes there: a few accented names are too
    little evidence, it took one cp1252 row for cp850). When some do — a cp1252 file's accents are lone bytes,
    never valid UTF-8 — the file mixes encodings: it stays UTF-8 and the stray bytes are read as Windows-1252,
    with a warning."""
    if override is not None:
        encoding = checked_encoding(override)
        return encoding, find_undecodable(path, encoding)
    encoding = detect_encoding(path)
    undecodable = find_undecodable(path, encoding)
    if undecodable and encoding == "utf-8" and not undecodable.decoded_non_ascii:
        encoding = "cp1252"
        undecodable = find_undecodable(path, encoding)
    return encoding, undecodable


def find_undecodable(path: Path, encoding: str) -> Undecodable | None:
    """One streaming pass over the whole file in binary blocks (about 0.2 s for 155 MB of UTF-8)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=MARK_UNDECODABLE)
    lines = count = decoded = 0
    first_line = None
    with path.open("rb") as handle:
        for text in _decoded_blocks(handle, decoder):
            if first_line is None:
                index = text.find(UNDECODABLE_MARK)
                if index >= 0:
                    first_line = lines + text[:index].count("\n") + 1
                else:
                    lines += text.count("\n")
            if not text.isascii():
                marks = text.count(UNDECODABLE_MARK)
                count += marks
                decoded += _non_ascii(text) - marks
    return Undecodable(count, first_line, decoded) if count else None


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _decoded_blocks(handle, decoder) -> Iterator[str]:
    for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def detect_encoding(path: Path) -> str:
    """The encoding the first ``SAMPLE_BYTES`` suggest (``_whole_file_encoding`` checks it against the rest)."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    for bom, name in BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if b"\x00" in sample:
        raise _not_text(path)
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start > len(sample) - 4 or _mostly_utf8(sample):  # a character cut by the sample's end
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or _looks_binary(sample.decode(best.encoding, errors="replace")):
        raise _not_text(path)
    if _utf8_with_windows_1252_strays(sample, best.encoding):
        return "utf-8"
    # Western exports in a single-byte code page are cp1252 far more often than anything else.
    return "cp1252" if best.encoding in {"latin_1", "iso8859_1", "iso8859_15", "cp1250", "cp1257"} else best.encoding


def _mostly_utf8(sample: bytes) -> bool:
    """A UTF-8 file with a few stray single-byte characters (a row pasted from elsewhere): at least as much of
    its non-ASCII text decodes as UTF-8 as does not (a single-byte file's accents are lone bytes, never valid
    UTF-8). It is read as UTF-8 and the stray bytes are reported, rather than all its accents garbled."""
    text = sample.decode("utf-8", errors=MARK_UNDECODABLE)
    stray = text.count(UNDECODABLE_MARK)
    decoded = _non_ascii(text) - stray
    return decoded >= stray > 0   # a tie too: UTF-8 with a warning beats mojibake nobody is told about


def _utf8_with_windows_1252_strays(sample: bytes, guessed: str) -> bool:
    """UTF-8 accents and a few lone bytes that the guessed single-byte encoding reads as Windows-1252 does (a
    short sheet where one row was pasted from elsewhere): read as UTF-8, the lone bytes give the same letters
    (they are read as Windows-1252, with a warning) and the UTF-8 accents stay right, where the guess would
    have garbled them silently. A guess that reads the lone bytes otherwise (Cyrillic cp1251) stands."""
    text = sample.decode("utf-8", errors="surrogateescape")
    escaped = [ord(char) - 0xDC00 for char in text if "\udc80" <= char <= "\udcff"]
    if not escaped or _non_ascii(text) == len(escaped):   # nothing stray, or nothing but
        return False
    strays = set(escaped)
    try:
        return all(bytes([byte]).decode(guessed) == WINDOWS_1252[byte] for byte in strays)
    except (UnicodeDecodeError, LookupError):
        return False


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2][:4096], sample[1::2][:4096]
    if len(even) < 8:
        return None
    if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\t\r\n")
    return controls > 0.02 * len(text) or text.count("\ufffd") > 0.05 * len(text)


def _text_sample(path: Path, encoding: str) -> str:
    with path.open("rb") as handle:
        raw = handle.read(SAMPLE_BYTES)
    text = raw.decode(encoding, errors=READ_AS_WINDOWS_1252)
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary(text):
        raise UnreadableFile(f"{path.name} is a binary file, not a CSV or spreadsheet export.")
    return text


def detect_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0].strip()
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        return first_line[4]
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the last line may be cut mid-row
    best, best_score = ",", -1.0
    for candidate in CANDIDATE_DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO("\n".join(lines[:200])), delimiter=candidate) if row]
        if not widths:
            continue
        width, frequency = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = frequency / len(widths) + 0.01 * min(width, 50)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _iter_text_rows(table: TableFile) -> Iterator[list[str]]:
    with table.path.open("r", encoding=table.encoding, errors=READ_AS_WINDOWS_1252, newline="") as handle:
        first = True
        for row in csv.reader(handle, delimiter=table.delimiter):
            if first:
                first = False
                if row and row[0].startswith("\ufeff"):
                    row[0] = row[0][1:]
                if len(row) == 1 and row[0].lower().startswith("sep="):
                    continue
            yield row


# ---------------------------------------------------------------------------- spreadsheets

def _sniff_spreadsheet(path: Path) -> str | None:
    """The workbook format from the first bytes, whatever the extension says: web tools export "Excel" files
    that are really TSV, CSV or HTML, and a real workbook may be renamed .csv."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):  # a ZIP: calamine tells xlsx, xlsb and ods apart by content
        _refuse_other_zip(path)
        return "ods" if path.suffix.lower() == ".ods" else "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2
        return "xls"
    return None


ZIPPED_DOCUMENTS = (("word/", "a Word document"), ("ppt/", "a PowerPoint presentation"))


def _refuse_other_zip(path: Path) -> None:
    """A Word file or a plain ZIP archive is a ZIP too: say what it is rather than "a damaged workbook"."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return   # calamine says the workbook is damaged
    if any(name.startswith("xl/") or name == "content.xml" for name in names):
        return
    what = next((label for prefix, label in ZIPPED_DOCUMENTS if any(n.startswith(prefix) for n in names)), None)
    if what:
        raise UnreadableFile(f"{path.name} is {what}, not a spreadsheet or CSV file: export the customers from "
                             "the tool as CSV or XLSX and import that.")
    raise UnreadableFile(f"{path.name} is a ZIP archive, not a spreadsheet: unzip it and import the CSV or XLSX "
                         "files inside.")


def _workbook(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        with path.open("rb") as handle:
            return CalamineWorkbook.from_filelike(handle)  # by content: from_path goes by the extension
    except Exception as error:  # calamine raises several unrelated types for damaged files
        kind = "password-protected" if "password" in str(error).lower() else "damaged or not a spreadsheet"
        raise UnreadableFile(f"{path.name} cannot be read: the workbook is {kind}.") from None


def _sheet_names(path: Path) -> list[str]:
    return list(_workbook(path).sheet_names)


def _data_sheet(path: Path, names: list[str]) -> str:
    """The sheet with the most rows (the first of equals): a workbook often opens on a summary or notes sheet
    before the data. The other sheets can be chosen (``--sheet``, the wizard's sheet list)."""
    workbook = _workbook(path)
    heights = [(workbook.get_sheet_by_name(name), name) for name in names]
    filled = [(sheet.height, -index, name) for index, (sheet, name) in enumerate(heights)
              if sheet.height > 0 and sheet.width > 0]
    if not filled:
        raise UnreadableFile(f"{path.name} has no sheet with any data.")
    return max(filled)[2]


def _iter_sheet_rows(table: TableFile) -> Iterator[list[str]]:
    sheet = _workbook(table.path).get_sheet_by_name(table.sheet)
    for row in sheet.iter_rows():
        yield [spreadsheet_cell_text(value) for value in row]


def spreadsheet_cell_text(value) -> str:
    """The text a person typed, from a typed spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


# ---------------------------------------------------------------------------- both

def _iter_raw_rows(table: TableFile) -> Iterator[list[str]]:
    return _iter_sheet_rows(table) if table.format != "csv" else _iter_text_rows(table)


def _find_header(table: TableFile) -> tuple[int, list[str]]:
    """The first row that is as wide as the data: skips report titles above the header (QuickBooks)."""
    head: list[list[str]] = []
    for row in _iter_raw_rows(table):
        head.append(row)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    filled = [sum(1 for cell in row if cell.strip()) for row in head]
    if not any(filled):
        raise UnreadableFile(f"{table.file_name} has no header row: it looks empty.")
    widest = max(filled)
    for index, count in enumerate(filled):
        if count >= max(1, 0.6 * widest):
            return index, [clean_header(cell) for cell in head[index]]
    return 0, [clean_header(cell) for cell in head[0]]


_EMAIL_LIKE = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;.]{2,}")
_NUMBER_LIKE = re.compile(r"\+?[\d ()./-]+")


def _looks_like_data(cell: str) -> bool:
    """An email address, or a number of seven digits or more (a phone, an id): never a column's name."""
    cell = cell.strip()
    return bool(_EMAIL_LIKE.fullmatch(cell)) or (
        bool(_NUMBER_LIKE.fullmatch(cell)) and sum(c.isdigit() for c in cell) >= 7)


def _widest_row(table: TableFile) -> int:
    widths = (len(row) for _, row in zip(range(HEADER_SEARCH_ROWS * 10), _iter_raw_rows(table)))
    return max(widths, default=len(table.header))


def clean_header(cell: str) -> str:
    return cell.replace("\ufeff", "").strip()
