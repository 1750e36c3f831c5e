"""Deciding how to read a file before anything is written: tool, mapping, dates, decimals."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ..errors import C360Error
from .dates import DateOrder, decide_order
from .fields import BY_NAME, CUSTOM, PHONE_FIELDS, is_known
from .guess import guess_mapping, header_field
from .normalise import NORMALISATION_VERSION, fold
from .presets import Preset, detect_preset, get_preset, header_key
from .readers import TableFile, open_table
from .regions import PhoneRegion, chosen_region, decide_region

SAMPLE_ROWS = 5000
PREVIEW_ROWS = 20


class MappingError(C360Error):
    pass


@dataclass
class ImportOptions:
    preset: str | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    region: str = "US"                 # the default region (Settings, --region)
    phone_region: str | None = None    # the region chosen for this file's phone numbers (wizard, --phone-region)
    date_order: str | None = None
    mapping: list[str] | None = None  # one canonical field per column, from the wizard


@dataclass
class ImportPlan:
    table: TableFile
    preset: Preset | None
    confidence: float
    mapping_origin: str  # preset | remembered | guessed | user
    mapping: list[str]
    reasons: list[str]
    date_order: DateOrder
    decimal_comma: bool
    phone_region: PhoneRegion
    preview: list[list[str]] = field(default_factory=list)
    candidates: tuple = ()

    @property
    def source(self) -> str:
        if self.preset:
            return self.preset.source
        stem = _EXPORT_SUFFIX.sub("", fold(Path(self.table.file_name).stem).replace(" ", "_")).strip("_")
        return "sheet:" + (stem or "spreadsheet")

    @property
    def added_columns(self) -> list[str]:
        """Headers of the columns an export adds to its tool's own that were mapped by their names."""
        return [header for header, reason in zip(self.table.header, self.reasons) if reason.startswith(ADDED_COLUMN)]

    @property
    def region(self) -> str:
        """The country of this file's phone numbers written without a country code."""
        return self.phone_region.region

    @property
    def event_kind(self) -> str | None:
        if self.preset:
            return self.preset.event_kind
        mapped = set(self.mapping)
        for kind, fields in (("order", ("order_id", "order_number")), ("payment", ("payment_id",)),
                             ("ticket", ("ticket_id",))):
            if mapped.intersection(fields):
                return kind
        return None

    @property
    def signature(self) -> str:
        return header_signature(self.table.header)

    @property
    def reading(self) -> str:
        """What turns this file's cells into values besides the cells themselves: the mapping, region, date
        order, decimals and the normalisers' version. Stored with each import: a row whose cells did not
        change but were read differently (another region, a corrected date order, a newer c360) is not
        "unchanged"."""
        choices = [self.mapping, self.region, self.phone_region.default, self.date_order.order, self.decimal_comma,
                   self.preset.name if self.preset else None, NORMALISATION_VERSION]
        return hashlib.sha256(json.dumps(choices).encode()).hexdigest()[:16]

    def describe(self) -> dict:
        return {
            "file": self.table.file_name,
            **self.table.describe(),
            "preset": self.preset.name if self.preset else None,
            "tool": self.preset.tool if self.preset else None,
            "confidence": self.confidence,
            "mapping_origin": self.mapping_origin,
            "columns": [
                {"header": h, "field": f, "reason": r}
                for h, f, r in zip(self.table.header, self.mapping, self.reasons)
            ],
            "date_order": self.date_order.order,
            "date_order_grounds": self.date_order.describe(),
            "decimal_comma": self.decimal_comma,
            "region": self.region,
            "default_region": self.phone_region.default,
            "region_decided": self.phone_region.grounds,
            "region_grounds": self.phone_region.describe(),
            "reading": self.reading,
        }


_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|" + "|".join(
    ("january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"))
# What tells one export of a hand-made sheet from the next, not which sheet it is: a date or number, a month, a
# copy marker ("contacts_2024-05", "contacts_feb", "contacts (1)", "contacts_copy" are the sheet "contacts").
_EXPORT_SUFFIX = re.compile(rf"(?:[\d_\-\s.()]+|(?<=_)(?:copy|{_MONTHS})(?![a-z]))+$")


def header_signature(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(header_key(h) for h in headers).encode()).hexdigest()


def plan_import(path: Path | str, options: ImportOptions | None = None, conn=None) -> ImportPlan:
    """Open the file, recognise the tool (or guess), and decide dates and decimals from the data."""
    options = options or ImportOptions()
    table = open_table(path, encoding=options.encoding, delimiter=options.delimiter, sheet=options.sheet)
    sample = [cells for _, cells in islice(table.data_rows(), SAMPLE_ROWS)]
    preset, confidence, origin, mapping, reasons, candidates = _choose_mapping(table, sample, options, conn)
    phone_region = _phone_region(table, sample, mapping, options)
    date_order = _date_order(sample, mapping, preset, options)
    return ImportPlan(
        table=table,
        preset=preset,
        confidence=confidence,
        mapping_origin=origin,
        mapping=mapping,
        reasons=reasons,
        date_order=date_order,
        decimal_comma=_uses_decimal_comma(table, sample, mapping),
        phone_region=phone_region,
        preview=sample[:PREVIEW_ROWS],
        candidates=candidates,
    )


def _choose_mapping(table: TableFile, sample, options: ImportOptions, conn):
    headers = table.header
    detection = detect_preset(headers, table.file_name)
    preset = get_preset(options.preset) if options.preset else detection.preset
    if options.mapping is not None:
        _check_mapping(options.mapping, headers)
        return preset, 1.0, "user", list(options.mapping), ["chosen by you"] * len(headers), detection.candidates
    remembered = None if table.headerless else _remembered(conn, headers)
    if remembered and (options.preset is None or remembered[0] == options.preset):
        preset_name, mapping = remembered
        chosen = get_preset(preset_name) if preset_name else preset
        return chosen, 1.0, "remembered", mapping, ["as you mapped it last time"] * len(headers), detection.candidates
    if preset:
        confidence = 1.0 if options.preset else detection.confidence
        mapping = preset.mapping_for(headers)
        reasons = [f"{preset.tool} column" if f != CUSTOM else "kept as a custom attribute" for f in mapping]
        _read_unlisted_columns(headers, mapping, reasons, preset.tool)
        return preset, confidence, "preset", mapping, reasons, detection.candidates
    guesses, confidence = guess_mapping(headers, sample[:200])
    return None, confidence, "guessed", [g.field for g in guesses], [g.reason for g in guesses], detection.candidates


# What an export adds to a tool's own columns (Eventbrite's checkout questions "Mobile / WhatsApp" and "Postcode",
# a shop's custom fields) is mapped by its header, as a hand-made sheet's column would be, for the details that
# tell who someone is. Not a region, company or job title: a tool's own unlisted columns use those words for
# other things (Mailchimp's geo-IP REGION, Zendesk's and WooCommerce's user Role).
ADDED_COLUMN = "a column added to the "   # how such a column's reason begins
_UNLISTED_FIELDS = frozenset(("phone", "phone_mobile", "phone_home", "phone_work", "birth_date",
                              "address_line1", "address_line2", "city", "postal_code", "country"))


def _read_unlisted_columns(headers: list[str], mapping: list[str], reasons: list[str], tool: str) -> None:
    """Map, in place, the columns the preset does not list to the contact or address field their header names
    ("Postcode", "Mobile / WhatsApp"), when no column of the file has that field already: a phone only when the
    file has no phone at all, so that "Emergency contact phone" or a second number never becomes the
    customer's phone, nor changes which number comes first. Values alone decide nothing here."""
    taken = set(mapping)
    has_phone = not taken.isdisjoint(PHONE_FIELDS)
    for index, header in enumerate(headers):
        if mapping[index] != CUSTOM:
            continue
        named = _named_field(header)
        if named in _UNLISTED_FIELDS and named not in taken and not (named in PHONE_FIELDS and has_phone):
            mapping[index] = named
            reasons[index] = f"{ADDED_COLUMN}{tool} export: header name"
            taken.add(named)
            has_phone = has_phone or named in PHONE_FIELDS


def _named_field(header: str) -> str | None:
    """The field a header names, whole or by one of its parts around a slash ("Mobile / WhatsApp")."""
    found = header_field(header)
    if found or "/" not in header:
        return found
    return next(filter(None, (header_field(part) for part in header.split("/") if part.strip())), None)


def _check_mapping(mapping: list[str], headers: list[str]) -> None:
    if len(mapping) != len(headers):
        raise MappingError(f"The mapping has {len(mapping)} entries but the file has {len(headers)} columns.")
    unknown = sorted({m for m in mapping if not is_known(m)})
    if unknown:
        raise MappingError(f"Unknown fields in the mapping: {', '.join(unknown)}.")


def _remembered(conn, headers: list[str]):
    if conn is None:
        return None
    row = conn.execute("SELECT preset, mapping FROM mappings WHERE signature = ?", (header_signature(headers),)).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def remember_mapping(conn, plan: ImportPlan, now: str) -> None:
    """The mapping, for the next file with the same header. A file without a header row has none to
    recognise it by ("Column 1"… fit any file as wide): its mapping is not remembered."""
    if plan.table.headerless:
        return
    conn.execute(
        "INSERT INTO mappings(signature, preset, mapping, updated_at) VALUES (?,?,?,?) "
        "ON CONFLICT(signature) DO UPDATE SET preset = excluded.preset, mapping = excluded.mapping, "
        "updated_at = excluded.updated_at",
        (plan.signature, plan.preset.name if plan.preset else None, json.dumps(plan.mapping), now),
    )


def _date_order(sample, mapping, preset, options) -> DateOrder:
    if options.date_order in ("MDY", "DMY"):
        return DateOrder(options.date_order, "chosen")
    date_columns = [i for i, f in enumerate(mapping) if f in BY_NAME and BY_NAME[f].kind == "date"]
    values = (row[i] for row in sample for i in date_columns if i < len(row))
    return decide_order(values, preset.date_order if preset else None, options.region or "US")


def _phone_region(table, sample, mapping, options) -> PhoneRegion:
    if options.phone_region:
        return chosen_region(options.phone_region, options.region or "US")

    def cells(kinds=(), names=()):
        columns = [i for i, f in enumerate(mapping) if f in names or (f in BY_NAME and BY_NAME[f].kind in kinds)]
        return [row[i] for row in sample for i in columns if i < len(row) and row[i].strip()]

    return decide_region(cells(kinds=("phone",)), cells(names=("country_code", "country")), cells(kinds=("email",)),
                         table.header, options.region or "US")


def _uses_decimal_comma(table: TableFile, sample, mapping) -> bool:
    money_columns = [i for i, f in enumerate(mapping) if f in BY_NAME and BY_NAME[f].kind == "money"]
    comma = point = 0
    for row in sample[:1000]:
        for i in money_columns:
            if i < len(row):
                value = row[i].strip()
                if re.search(r",\d{1,2}(\D*)$", value):
                    comma += 1
                elif re.search(r"\.\d{1,2}(\D*)$", value):
                    point += 1
    if comma or point:
        return comma > point
    return table.delimiter == ";"
