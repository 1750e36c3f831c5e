"""Turning one file row into normalised values, consent statements and event fields.

A ``RowInterpreter`` is built once per file from its plan; ``interpret`` is then
called for every row and never raises for bad data: problems become issues
with the row number and a reason that does not repeat the value.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from ..identity.nicknames import is_known_name
from ..profiles.search import row_terms
from .dates import parse_date
from .fields import BY_NAME, CUSTOM, EMAIL_FIELDS, IGNORE, NAME_PARTS, PHONE_FIELDS
from .normalise import (
    INVALID,
    OK,
    UNKNOWN_COUNTRY,
    Normalised,
    country_code,
    fold,
    is_company_name,
    normalise_address,
    normalise_company,
    normalise_consent,
    normalise_country,
    normalise_email,
    normalise_id,
    normalise_money,
    normalise_name,
    normalise_number,
    normalise_phone,
    normalise_postal,
    normalise_text,
    split_full_name,
    split_labelled_phones,
)
from .regions import email_country, row_phone_region

ADDRESS_TEXT_FIELDS = ("address_line1", "address_line2", "city", "region", "shipping_address_line1",
                       "shipping_address_line2", "shipping_city", "shipping_region", "shipping_country", "country")
# On an event row, these describe the customer; on a customer row they are the same as their plain names.
LINK_ALIASES = {"customer_email": "email", "customer_name": "full_name"}
IDENTIFYING = ("email", "phone", "phone_mobile", "phone_home", "phone_work", "full_name", "last_name",
               "first_name", "source_record_id", "customer_ref", "company")
CONSENT_PURPOSES = {"consent_email": ("email_marketing", "consent_email_at"),
                    "consent_sms": ("sms_marketing", "consent_sms_at")}
PHONE_DECLARED_TYPES = {"phone_mobile": "mobile", "phone_home": "home", "phone_work": "work"}

# What ``json.dumps(raw, ensure_ascii=False, sort_keys=True)`` and the compact norm encoding build, without
# building an encoder for every call.
_RAW_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
_NORM_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Value:
    field: str
    raw: str
    result: Normalised


@dataclass(slots=True)
class Issue:
    field: str | None
    reason: str


@dataclass
class ConsentStatement:
    purpose: str
    status: str
    stated_at: str | None
    evidence: dict


@dataclass
class InterpretedRow:
    raw: dict[str, str]
    values: list[Value] = field(default_factory=list)
    consents: list[ConsentStatement] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    rejected: str | None = None

    def first(self, name: str) -> str | None:
        for value in self.values:
            if value.field == name and value.result.value is not None:
                return value.result.value
        return None

    def first_key(self, name: str) -> str | None:
        for value in self.values:
            if value.field == name and value.result.key:
                return value.result.key
        return None

    def all_values(self, name: str) -> list[str]:
        return [v.result.value for v in self.values if v.field == name and v.result.value is not None]

    def content_hash(self) -> str:
        return hashlib.sha256(_RAW_ENCODER.encode(self.raw).encode()).hexdigest()

    def prepared(self, source: str) -> PreparedRow:
        return prepare(self, source)

    def identifiers(self, source: str) -> list[tuple[str, str]]:
        """What identifies this person for suppression: emails, phones, the tool's id."""
        found = [("email", v.result.key) for v in self.values if v.field == "email" and v.result.key]
        found += [("phone", v.result.value) for v in self.values if v.field in PHONE_FIELDS and v.result.value]
        for name in ("source_record_id", "customer_ref"):
            ref = self.first(name)
            if ref:
                found.append(("id", f"{source}:{ref}"))
        return found

    def norm_json(self) -> str:
        """Every normalised value beside its raw cell, compactly (see ``encode_norm_item``)."""
        items = []
        for value in self.values:
            result = value.result
            detail = {**result.detail, "note": result.reason} if result.reason else result.detail
            items.append(encode_norm_item(value.field, value.raw, result.value, result.key, result.quality,
                                          detail or None))
        return _NORM_ENCODER.encode(items)

    def keys(self) -> list[tuple[str, str]]:
        """Matching keys of every email and phone on the row."""
        return matching_keys((v.field, v.result.value, v.result.key) for v in self.values)

    def summary_columns(self) -> tuple:
        """The denormalised first values stored on source_records (see the schema)."""
        phone = next((v.result.value for v in self.values if v.field in PHONE_FIELDS and v.result.value), None)
        postal, city, country, address_key = self._home()
        return (self.display_name(), self.first("first_name"), self.first("last_name"), self.first("email"), phone,
                postal, city, country, self.first("birth_date"), self.first("company"), address_key)

    def _home(self) -> tuple:
        """Postal code, city, country and street key of the person: their own address, else where their order
        was shipped when it was shipped to them by name (an Etsy order has only that), not to someone else (a
        gift)."""
        own = (self.first("postal_code"), self.first("city"), self.first("country_code") or self.first("country"),
               self.first_key("address_line1"))
        if any(own) or not self._ships_to_self():
            return own
        return (self.first("shipping_postal_code"), self.first("shipping_city"), self.first("shipping_country"),
                self.first_key("shipping_address_line1"))

    def _ships_to_self(self) -> bool:
        recipient = self.first_key("shipping_name")
        if recipient is None:
            return True
        name = self.first_key("full_name") or " ".join(
            filter(None, (self.first_key("first_name"), self.first_key("last_name"))))
        return recipient == name

    def display_name(self) -> str | None:
        full = self.first("full_name")
        if full:
            return full
        joined = " ".join(p for p in (self.first("first_name"), self.first("last_name")) if p)
        suffix = self.first("name_suffix")
        if joined and suffix and not fold(joined).endswith(fold(suffix)):   # Outlook's, Google's Suffix: "Jr."
            joined = f"{joined} {suffix}"
        return joined or self.first("company") or None


def unique_headers(headers: list[str]) -> list[str]:
    """Headers as raw-JSON keys: empty ones named by position, repeats numbered."""
    seen: dict[str, int] = {}
    result = []
    for index, header in enumerate(headers):
        name = header or f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        result.append(name)
    return result


_NAMED_BY = ("full_name", "first_name", "last_name", "company")
_COPY_NUMBER = re.compile(r"\s*\(\d+\)$")   # "Ann Lee (2)": a second customer of one display name


def _a_persons_name(display: str) -> bool:
    """Whether a display name is a person's: written "Smith, Ann" with a first name the nickname table knows.
    "Ivy Deli" and "Rose Bakery" start with first names too, so anything else is the business's ("Birch
    Coffee Co.", "Smith, Jones & Partners"): a business read as a first and last name would contradict its
    contact's own name in matching, while a person kept as a company only loses a name to compare."""
    last, comma, given = display.partition(",")
    words = fold(given).split()
    return bool(comma and last.strip() and words) and is_known_name(words[0]) and not is_company_name(display)


class RowInterpreter:
    def __init__(self, headers: list[str], mapping: list[str], *, region: str, date_order: str,
                 decimal_comma: bool = False, constants: dict | None = None, vocabularies: dict | None = None,
                 multi_value_separator: str | None = None, join: dict[str, str] | None = None,
                 is_event: bool = False, source: str = "", default_region: str | None = None,
                 row_regions: bool = True, name_columns: tuple[int, ...] = ()):
        self.headers = unique_headers(headers)
        self.mapping = [LINK_ALIASES.get(target, target) for target in mapping]
        self.region = (region or "US").upper()
        self.default_region = (default_region or self.region).upper()   # the file's region may be another
        self.row_regions = row_regions   # False: every number without a country code is read as ``region``
        self.date_order = date_order
        self.decimal_comma = decimal_comma
        self.constants = constants or {}
        self.consent_vocabularies = {target: tuple(vocabulary.items())
                                     for target, vocabulary in (vocabularies or {}).items()}
        self.separator = multi_value_separator
        # Two last-name columns are one surname in column order: a Dutch particle ("van der" + "Berg"), Spanish
        # first and second surnames ("García" + "López").
        self.join = {"last_name": " ", **(join or {})}
        self.is_event = is_event
        self.source = source
        self.name_columns = name_columns
        self.width = len(headers)
        self._mapped_columns = [(index, target) for index, target in enumerate(self.mapping)
                                if target not in (CUSTOM, IGNORE)]
        self._normalisers: dict[str, Callable[[str, str, str], Normalised]] = {}

    def __getstate__(self) -> dict:
        """Pickled for a worker process without the normalisers chosen so far: closures, which each process
        chooses again."""
        return {**self.__dict__, "_normalisers": {}}

    def interpret(self, cells: list[str]) -> InterpretedRow:
        raw = dict(zip(self.headers, cells))
        if len(cells) < self.width:
            raw.update((name, "") for name in self.headers[len(cells):])
        for extra_index, extra in enumerate(cells[self.width:], start=1):
            if extra.strip():
                raw[f"extra cell {extra_index}"] = extra
        row = InterpretedRow(raw=raw)
        if not "".join(cells).strip():
            row.rejected = "empty row"
            return row
        if len(cells) > self.width and "".join(cells[self.width:]).strip():
            row.issues.append(Issue(None, f"{len(cells) - self.width} more cells than the header has; kept as raw"))
        by_field: dict[str, list[str]] = {}
        for index, target in self._mapped_columns:
            if index >= len(cells):
                break
            cell = cells[index]
            parts = cell.split(self.separator) if self.separator and self.separator in cell else [cell]
            for part in parts:
                if part.strip():
                    by_field.setdefault(target, []).append(part)
        for target, separator in self.join.items():
            if len(by_field.get(target, ())) > 1:
                by_field[target] = [separator.join(part.strip() for part in by_field[target])]
        for target, constant in self.constants.items():
            by_field.setdefault(target, [constant])
        if self.name_columns and not any(name in by_field for name in _NAMED_BY):
            self._name_from_display(cells, by_field)
        self._normalise_all(row, by_field)
        self._consents(row, by_field)
        if not any(row.first(name) for name in IDENTIFYING) and not self.is_event:
            row.rejected = "nothing identifies a person on this row (no name, email, phone or id)"
        return row

    def _name_from_display(self, cells: list[str], by_field: dict[str, list[str]]) -> None:
        """A QuickBooks customer without a contact's name is known by its display name, else it would be a
        profile without a name. A sub-customer ("Parent:Job") names a job, not someone."""
        for index in self.name_columns:
            text = _COPY_NUMBER.sub("", cells[index].strip()) if index < len(cells) else ""
            if text and ":" not in text:
                by_field["full_name" if _a_persons_name(text) else "company"] = [text]
                return

    # ------------------------------------------------------------------------ values

    def _normalise_all(self, row: InterpretedRow, by_field: dict[str, list[str]]) -> None:
        written_country = (by_field.get("country_code") or by_field.get("country") or [""])[0]
        country = country_code(written_country)
        region = country or self.region
        # Where the row's address is, for its postcode: its own country, else the file's when it names none (a
        # country written but not recognised — "Svizzera" — is not the file's).
        place = country or (UNKNOWN_COUNTRY if written_country.strip() else self.region)
        if "full_name" in by_field and not any(part in by_field for part in NAME_PARTS):
            full = by_field["full_name"][0]
            if is_company_name(full):
                by_field.setdefault("company", [full])   # the contact is a company: no person's name to split
            else:
                for part, text in split_full_name(full).items():
                    row.values.append(Value(part, full, normalise_name(text)))
        email_region = "" if country else _email_region(by_field)
        other_country = self.row_regions and not country and (email_region or self.region != self.default_region)
        for target, cells in by_field.items():
            if target in CONSENT_PURPOSES:
                continue
            normalise = self._normalisers.get(target) or self._normaliser(target)
            phones = target in PHONE_FIELDS
            for cell in cells:
                for declared, part in split_labelled_phones(cell) if phones else (("", cell),):
                    at = row_phone_region(part, region, email_region, self.default_region) \
                        if phones and other_country else region
                    result = normalise_phone(part, at, declared) if declared else normalise(part, at, place)
                    row.values.append(Value(target, part, result))
                    if result.quality == INVALID:
                        row.issues.append(Issue(target, f"{BY_NAME[target].label.lower()}: {result.reason}"))

    def _normaliser(self, target: str) -> Callable[[str, str, str], Normalised]:
        """How a cell of ``target`` is normalised: ``(cell, region, place) -> Normalised`` (the region of phone
        numbers, the country of the address), chosen once per field rather than for every cell."""
        kind = BY_NAME[target].kind
        declared = PHONE_DECLARED_TYPES.get(target, "")
        yearless = target == "birth_date"   # a birthday without its year is still one; an order date is not
        by_kind = {
            "email": lambda cell, region, place: normalise_email(cell),
            "phone": lambda cell, region, place: normalise_phone(cell, region, declared),
            "date": lambda cell, region, place: parse_date(cell, self.date_order, yearless=yearless),
            "money": lambda cell, region, place: normalise_money(cell, self.decimal_comma),
            "number": lambda cell, region, place: normalise_number(cell),
            "name": lambda cell, region, place: normalise_name(cell),
        }
        if kind in by_kind:
            normalise = by_kind[kind]
        elif target in ("postal_code", "shipping_postal_code"):
            normalise = lambda cell, region, place: normalise_postal(cell, place)  # noqa: E731
        elif target in ADDRESS_TEXT_FIELDS:
            normalise = lambda cell, region, place: normalise_address(cell)  # noqa: E731
        elif target in ("source_record_id", "customer_ref"):
            normalise = lambda cell, region, place: normalise_id(cell)  # noqa: E731
        elif target == "company":
            normalise = lambda cell, region, place: normalise_company(cell)  # noqa: E731
        elif target == "country_code":
            normalise = lambda cell, region, place: normalise_country(cell)  # noqa: E731
        else:
            normalise = lambda cell, region, place: normalise_text(cell)  # noqa: E731
        self._normalisers[target] = normalise
        return normalise

    # ------------------------------------------------------------------------ consent

    def _consents(self, row: InterpretedRow, by_field: dict[str, list[str]]) -> None:
        for target, (purpose, time_field) in CONSENT_PURPOSES.items():
            for cell in by_field.get(target, []):
                result = normalise_consent(cell, self.consent_vocabularies.get(target, ()))
                if result.value is None:
                    row.issues.append(Issue(target, f"{BY_NAME[target].label.lower()}: {result.reason}"))
                    continue
                stated_at = self._consent_time(by_field, time_field, result.value)
                evidence = {"tool_status": result.detail.get("tool_status", "")}
                if by_field.get("consent_evidence"):
                    evidence["evidence"] = by_field["consent_evidence"][0].strip()
                if by_field.get("unsubscribe_reason") and result.value == "withdrawn":
                    evidence["reason"] = by_field["unsubscribe_reason"][0].strip()
                row.consents.append(ConsentStatement(purpose, result.value, stated_at, evidence))

    def _consent_time(self, by_field, time_field: str, status: str) -> str | None:
        candidates = [time_field]
        if status == "withdrawn":
            candidates.insert(0, "unsubscribed_at")
        # an event row's statement was made when the event happened (the order, the payment, the ticket), so
        # the latest order's choice is the current one whatever order the export lists its rows in
        candidates += ["order_date", "payment_date", "ticket_created_at", "updated_at", "created_at"]
        for name in candidates:
            for cell in by_field.get(name, []):
                parsed = parse_date(cell, self.date_order)
                if parsed.value:
                    return parsed.value
        return None


def _email_region(by_field: dict[str, list[str]]) -> str:
    """The country of the row's first email domain (``.fr``), or ""."""
    for name in EMAIL_FIELDS:
        for cell in by_field.get(name, ()):
            return email_country(cell)
    return ""


class PreparedRow(NamedTuple):
    """Everything the writer needs from one interpreted row, computed where it was interpreted (possibly in a
    worker process, which sends it back as a plain tuple): serialised raw and normalised values, keys, consent
    statements, record-key parts. A rejected row has only ``rejected`` and ``issues``."""

    rejected: str | None
    issues: list[tuple[str | None, str]]
    identifiers: list[tuple[str, str]] | None = None
    sid: str | None = None
    ref: str | None = None
    email_key: str | None = None
    name: str | None = None
    phone: str | None = None
    postal_key: str | None = None
    address_key: str | None = None
    company: str | None = None
    raw_json: str | None = None
    digest: str | None = None
    norm_json: str | None = None
    summary: tuple | None = None
    keys: list[tuple[str, str]] | None = None
    consents: list[tuple] | None = None
    terms: set[str] | None = None


def prepare(row: InterpretedRow, source: str) -> PreparedRow:
    issues = [(issue.field, issue.reason) for issue in row.issues]
    if row.rejected:
        return PreparedRow(row.rejected, issues)
    raw_json = _RAW_ENCODER.encode(row.raw)
    summary = row.summary_columns()
    keys = row.keys()
    display, first, last, *_rest, company, _address = summary
    return PreparedRow(
        None, issues, row.identifiers(source), row.first("source_record_id"), row.first("customer_ref"),
        row.first_key("email"), display, row.first("phone"), row.first_key("postal_code"),
        row.first_key("address_line1"), company, raw_json,
        hashlib.sha256(raw_json.encode()).hexdigest(), row.norm_json(), summary, keys,
        [(c.purpose, c.status, c.stated_at, c.evidence) for c in row.consents],
        row_terms(display, first, last, company, keys))


def matching_keys(values) -> list[tuple[str, str]]:
    """record_keys rows from (field, value, key) triples: canonical emails (Gmail dots and plus-tags
    removed), the exact addresses (for when that canonicalisation is switched off), and E.164 phones."""
    found = set()
    for field_name, value, key in values:
        if field_name == "email" and key:
            found.add(("email", key))
            found.add(("email_exact", value))
        elif field_name in PHONE_FIELDS and value:
            found.add(("phone", value))
    return sorted(found)


SAME_AS_VALUE = 1  # in a stored norm item, "the raw cell (or key) is the normalised value itself"
_NORM_DEFAULTS = (SAME_AS_VALUE, None, OK, None)


def encode_norm_item(field_name, raw, value, key, quality, detail) -> list:
    """``[field, value, raw, key, quality, detail]`` with a raw or key equal to the value written as 1 and
    trailing defaults dropped: most values are stored as ``[field, value]`` or ``[field, value, 1, key]``."""
    raw_part = SAME_AS_VALUE if raw == value else raw
    key_part = SAME_AS_VALUE if key is not None and key == value else key
    if detail is not None:
        return [field_name, value, raw_part, key_part, quality, detail]
    if quality != OK:
        return [field_name, value, raw_part, key_part, quality]
    if key_part is not None:
        return [field_name, value, raw_part, key_part]
    if raw_part != SAME_AS_VALUE:
        return [field_name, value, raw_part]
    return [field_name, value]


def norm_items(norm_json: str) -> list[tuple]:
    """A stored record's normalised values as (field, raw, value, key, quality, detail) tuples."""
    decoded = []
    for item in json.loads(norm_json):
        field_name, value, raw, key, quality, detail = item + list(_NORM_DEFAULTS[len(item) - 2:])
        decoded.append((field_name, value if raw == SAME_AS_VALUE else raw, value,
                        value if key == SAME_AS_VALUE else key, quality, detail))
    return decoded


def keys_from_norm(norm_json: str) -> list[tuple[str, str]]:
    """The record_keys of a stored record, recomputed from its norm JSON (used when restoring history)."""
    return matching_keys((item[0], item[2], item[3]) for item in norm_items(norm_json))


_FINGERPRINT_SPACE = re.compile(r"\s+")


def fingerprint(*parts: str | None) -> str:
    """A stable key for a row without an id: the same person's same data gives the same key."""
    text = "|".join(_FINGERPRINT_SPACE.sub(" ", (p or "").strip().lower()) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
