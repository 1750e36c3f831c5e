"""A best-guess mapping for files no preset recognises: header words in several languages, then the values."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import resource_path
from .fields import BY_NAME, CUSTOM
from .normalise import fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})")
VALUE_SHARE = 0.8
FIELD_FOR_KIND = {"email": "email", "date": "created_at", "phone": "phone"}  # when the header names nothing


@dataclass(frozen=True)
class ColumnGuess:
    field: str
    confidence: float
    reason: str
    from_values_alone: bool = False


@dataclass(frozen=True)
class ValueGuess:
    """What a column's values look like (a kind of field, not yet a field)."""

    kind: str  # email | date | phone, as in fields.Field.kind
    confidence: float
    reason: str


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    data = json.loads(resource_path("header_synonyms.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for target, words in data.items():
        if target.startswith("_"):
            continue
        for word in words:
            table.setdefault(fold(word), target)
    return table


def is_common_header(header: str) -> bool:
    """Whether hand-made sheets use this header too (it is a word of header_synonyms.json): it tells no tool apart."""
    return fold(header) in _synonyms()


_NUMBERED = re.compile(r"\s*\d+$")
_SAYS_WHAT_KIND = ("type", "label")   # "Phone 1 - Type" holds "Mobile", not a phone number
_SAYS_NOTHING = ("value", "name")     # "E-mail 1 - Value" is an email, "Organization 1 - Name" a company


def header_field(header: str) -> str | None:
    """The field a header names: the whole header, else its parts around " - " or ":" (a trailing number
    dropped), as Google Contacts writes them: "Address 1 - City" is a city, "E-mail 1 - Value" an email."""
    table = _synonyms()
    found = _lookup(table, header)
    parts = [part for part in re.split(r"\s+-\s+|:", header) if part.strip()]
    if found or len(parts) < 2:
        return found
    first, last = parts[0], parts[-1]
    kind = fold(_NUMBERED.sub("", last))
    if kind in _SAYS_WHAT_KIND:
        return None
    if kind in _SAYS_NOTHING:
        return _lookup(table, first) or _lookup(table, last)
    return _lookup(table, last)   # "Organization 1 - Title" is no organisation: unknown stays custom


def _lookup(table: dict[str, str], text: str) -> str | None:
    return table.get(fold(text)) or table.get(fold(_NUMBERED.sub("", text)))


def guess_column(header: str, values: list[str]) -> ColumnGuess:
    """Values beat names when they are unambiguous: a column full of emails is an email column.

    A name of the same kind as the values is more precise than they are: dates under "Date of Birth" are a birth
    date, not a creation date.
    """
    filled = [v.strip() for v in values if v and v.strip()]
    by_values = _guess_from_values(filled)
    by_name = header_field(header)
    agrees = by_values is not None and by_name is not None and _compatible(by_name, by_values.kind)
    if by_values and not agrees:
        return ColumnGuess(FIELD_FOR_KIND[by_values.kind], by_values.confidence, by_values.reason,
                           from_values_alone=True)
    if by_name:
        return ColumnGuess(by_name, 0.95 if agrees else 0.75, "header name" + (" and values" if agrees else ""))
    return ColumnGuess(CUSTOM, 0.5, "kept as a custom attribute")


def _compatible(name_field: str, value_kind: str) -> bool:
    """Whether the field a header names can hold values of this kind (long ids and postcodes look like phones)."""
    if name_field in BY_NAME and BY_NAME[name_field].kind == value_kind:
        return True
    return value_kind == "phone" and name_field in ("source_record_id", "postal_code")


def _guess_from_values(filled: list[str]) -> ValueGuess | None:
    if len(filled) < 2:
        return None

    def share(pattern: re.Pattern) -> float:
        return sum(1 for v in filled if pattern.match(v)) / len(filled)

    for pattern, kind in ((_EMAIL, "email"), (_DATE, "date")):
        fraction = share(pattern)
        if fraction >= VALUE_SHARE:
            return ValueGuess(kind, round(0.6 + 0.35 * fraction, 2),
                              f"{round(fraction * 100)}% of the values look like {kind}s")
    phone_fraction = sum(1 for v in filled if _PHONE.match(v) and sum(c.isdigit() for c in v) >= 7) / len(filled)
    if phone_fraction >= VALUE_SHARE and any(not v.isdigit() or v.startswith(("0", "+")) for v in filled):
        return ValueGuess("phone", round(0.5 + 0.35 * phone_fraction, 2),
                          f"{round(phone_fraction * 100)}% of the values look like phone numbers")
    return None


def guess_mapping(headers: list[str], sample_rows: list[list[str]]) -> tuple[list[ColumnGuess], float]:
    """One guess per column, and an overall confidence (mean over the columns that were recognised)."""
    guesses = []
    for index, header in enumerate(headers):
        values = [row[index] for row in sample_rows if index < len(row)]
        guesses.append(guess_column(header, values))
    guesses = _name_beside_a_surname(headers, sample_rows, _deduplicate_dates(guesses))
    recognised = [g.confidence for g in guesses if g.field != CUSTOM]
    confidence = round(sum(recognised) / len(recognised), 2) if recognised else 0.0
    return guesses, confidence


# A header that says only "name": beside a surname column it is the first name (Name + Surname, Nome + Cognome).
_JUST_NAME = frozenset(("name", "nome", "naam", "navn", "namn", "nimi"))


def _name_beside_a_surname(headers: list[str], sample_rows: list[list[str]],
                           guesses: list[ColumnGuess]) -> list[ColumnGuess]:
    """"Name" (Italian "Nome", Dutch "Naam") in a file with a surname column is the first name, unless its values
    are whole names (most with a space). "Full Name" or "Contact Name" beside "Last Name" stays the whole name."""
    fields = {g.field for g in guesses}
    if "last_name" not in fields or "first_name" in fields:
        return guesses
    result = []
    for index, (header, guess) in enumerate(zip(headers, guesses)):
        values = [row[index].strip() for row in sample_rows if index < len(row) and row[index].strip()]
        whole_names = sum(" " in value for value in values) > len(values) / 2
        if guess.field == "full_name" and fold(header) in _JUST_NAME and not whole_names:
            guess = ColumnGuess("first_name", guess.confidence, guess.reason + " (beside a surname: the first name)")
        result.append(guess)
    return result


def _deduplicate_dates(guesses: list[ColumnGuess]) -> list[ColumnGuess]:
    """Dates alone make one column "created at" at most, none if a header names it; the rest stay custom (shown)."""
    taken = any(g.field == "created_at" and not g.from_values_alone for g in guesses)
    result = []
    for guess in guesses:
        if guess.field == "created_at" and guess.from_values_alone:
            if taken:
                guess = ColumnGuess(CUSTOM, 0.5, guess.reason + "; kept as a custom date")
            taken = True
        result.append(guess)
    return result
