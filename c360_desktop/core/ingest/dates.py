"""Dates in exports: ISO, US and European orders, two-digit years, Excel serial numbers.

Whether ``03/04/2024`` is March or April is decided once per file from the
data (a first number above 12 means day-first), then from the tool's known
habit, then from the region; the decision and its grounds are reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .normalise import EMPTY, INVALID, OK, REPAIRED, Normalised, clean_text

MDY, DMY, YMD = "MDY", "DMY", "YMD"
LOCALE = "locale"   # a preset's date order when the tool writes dates as its user's locale does
MONTH_FIRST_REGIONS = {"US", "PH", "FM", "MH", "PW", "BZ"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIAL_RANGE = (10000, 80000)  # 1927 to 2119: smaller numbers are more likely years or ids

_NUMERIC = re.compile(
    r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_DOTTED = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_YEARLESS = re.compile(r"^(--)?(\d{1,2})[/.\-](\d{1,2})\.?$")
# How tools write a birthday whose year they were not told: Square ``0000-06-14``, Apple's contacts ``1604-06-14``.
_NO_YEAR = re.compile(r"^(?:0000|1604)-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_SERIAL = re.compile(r"^\d{1,5}(\.\d+)?$")
_ZERO_DATES = {"0/0/00", "0/0/0000", "00/00/0000", "0000-00-00", "0000-00-00 00:00:00", "n/a", "none", "null", "-"}


@dataclass(frozen=True)
class DateOrder:
    order: str  # MDY or DMY (ISO dates never need it)
    grounds: str  # "data", "tool", "region", "chosen", "none" (no date in the file needs an order)
    ambiguous_values: int = 0

    def describe(self) -> str:
        words = {"MDY": "month first (MM/DD/YYYY)", "DMY": "day first (DD/MM/YYYY)"}[self.order]
        if self.grounds == "none":
            return "no date in this file needs a day/month order"
        grounds = {
            "data": "decided from the values in the file",
            "tool": "the tool's known format",
            "region": "assumed from the default region; no value in the file settles it",
            "chosen": "as chosen for this file",
        }[self.grounds]
        return f"{words}: {grounds}"


def decide_order(values, tool_hint: str | None, region: str) -> DateOrder:
    """Look at every slash/dot date of a file: a first part above 12 proves day-first, a second proves
    month-first, and dots (``05.03.2024``) are written day-first wherever they are used. A tool whose dates
    follow its user's locale (hint ``LOCALE``: Salesforce reports, Outlook) leaves the rest to the region."""
    day_first = month_first = ambiguous = 0
    for value in values:
        match = _NUMERIC.match(value.strip())
        if not match or len(match.group(1)) == 4:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second or _DOTTED.match(value.strip()):
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        else:
            ambiguous += 1
    if day_first or month_first:
        return DateOrder(DMY if day_first > month_first else MDY, "data", ambiguous)
    if tool_hint in (MDY, DMY):
        return DateOrder(tool_hint, "tool", ambiguous)
    if not ambiguous:
        return DateOrder(MDY if region.upper() in MONTH_FIRST_REGIONS else DMY, "none")
    return DateOrder(MDY if region.upper() in MONTH_FIRST_REGIONS else DMY, "region", ambiguous)


@lru_cache(maxsize=131072)
def parse_date(raw: str, order: str = MDY, allow_serial: bool = True, yearless: bool = False) -> Normalised:
    """ISO 8601 from a cell. A day and month without a year (Mailchimp's ``MM/DD`` birthday, Google's
    ``--06-14``, Square's ``0000-06-14``) is kept as ``--MM-DD`` where ``yearless`` allows it (birth dates),
    else reported: no year is made up."""
    text = clean_text(raw)
    if not text:
        return EMPTY
    if text.lower() in _ZERO_DATES:
        return EMPTY
    no_year = _NO_YEAR.match(text) if yearless else None
    if no_year:
        return _day_and_month(_YEARLESS.match(f"--{no_year.group(1)}-{no_year.group(2)}"), order, yearless)
    if allow_serial and _SERIAL.match(text):
        return _from_excel_serial(text)
    iso = _from_iso(text)
    if iso:
        return Normalised(iso)
    match = _NUMERIC.match(text)
    if match:
        return _from_numeric(match, order)
    short = _YEARLESS.match(text)
    if short:
        return _day_and_month(short, order, yearless)
    return _from_words(text, order)


def _day_and_month(match: re.Match, order: str, yearless: bool) -> Normalised:
    first, second = int(match.group(2)), int(match.group(3))
    month, day = (second, first) if order == DMY and not match.group(1) else (first, second)
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):   # 2000: 29 February exists
        return Normalised(None, None, INVALID, "not a date")
    if not yearless:
        return Normalised(None, None, INVALID, "a day and month without a year")
    return Normalised(f"--{month:02d}-{day:02d}")


def _from_iso(text: str) -> str | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    candidate = re.sub(r"\s+([+-]\d{2}):?(\d{2})$", r"\1:\2", text.replace(" UTC", "+00:00"))
    try:
        value = dt.datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return _iso(value, has_time=len(text) > 10)


def _from_numeric(match: re.Match, order: str) -> Normalised:
    a, b, c = match.group(1), match.group(2), match.group(3)
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif order == DMY:
        day, month, year = int(a), int(b), _year(c)
    else:
        month, day, year = int(a), int(b), _year(c)
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    meridiem = (match.group(7) or "").lower().replace(".", "")
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    try:
        value = dt.datetime(year, month, day, hour, minute, second, tzinfo=_zone(match.group(8)))
    except ValueError:
        return Normalised(None, None, INVALID, "not a real calendar date")
    return Normalised(_iso(value, has_time=match.group(4) is not None))


def _from_words(text: str, order: str) -> Normalised:
    from dateutil import parser as dateutil_parser

    try:
        value = dateutil_parser.parse(text, dayfirst=order == DMY, default=dt.datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return Normalised(None, None, INVALID, "not a date")
    has_time = bool(re.search(r"\d:\d", text))
    return Normalised(_iso(value, has_time))


def _from_excel_serial(text: str) -> Normalised:
    number = float(text)
    low, high = EXCEL_SERIAL_RANGE
    if not low <= number <= high:
        return Normalised(None, None, INVALID, "a number, not a date")
    value = dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=number)
    return Normalised(_iso(value, has_time=number != int(number)), None, REPAIRED, "spreadsheet serial date converted")


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        pivot = dt.date.today().year % 100 + 10
        year += 2000 if year <= pivot else 1900
    return year


def _zone(text: str | None):
    if not text:
        return None
    if text in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _iso(value: dt.datetime, has_time: bool) -> str:
    if not has_time:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")


__all__ = ["DMY", "MDY", "YMD", "DateOrder", "OK", "decide_order", "parse_date"]


def readable_date(value: str | None) -> str | None:
    """A date for people rather than files: a birthday stored without its year (ISO ``--06-14``) reads
    "14 June (year not given)"; any other value is returned as it is."""
    if not value or not value.startswith("--") or len(value) != 7:
        return value
    month, day = int(value[2:4]), int(value[5:7])
    return f"{day} {calendar.month_name[month]} (year not given)" if 1 <= month <= 12 else value
