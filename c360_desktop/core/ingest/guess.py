"""A best-guess mapping for files no preset recognises: header words in several languages, then the values."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import resource_path
from .fields import CUSTOM
from .normalise import fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().\-/]{7,20}$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})")
_MONEY = re.compile(r"^[-(]?[$€£]?\s?\d{1,3}([,.\s]?\d{3})*([.,]\d{2})?\s?[$€£]?\)?$")
_POSTAL = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{4,5}(-\d{4})?)$", re.I)
VALUE_SHARE = 0.8


@dataclass(frozen=True)
class ColumnGuess:
    field: str
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


def guess_column(header: str, values: list[str]) -> ColumnGuess:
    """Values beat names when they are unambiguous: a column full of emails is an email column."""
    filled = [v.strip() for v in values if v and v.strip()]
    by_values = _guess_from_values(filled)
    by_name = _synonyms().get(fold(header))
    if by_values and (by_name is None or not _compatible(by_name, by_values.field)):
        return by_values
    if by_name:
        agrees = by_values is not None and _compatible(by_name, by_values.field)
        return ColumnGuess(by_name, 0.95 if agrees else 0.75, "header name" + (" and values" if agrees else ""))
    return ColumnGuess(CUSTOM, 0.5, "kept as a custom attribute")


def _compatible(name_field: str, value_field: str) -> bool:
    families = {"email": ("email",), "phone": ("phone",), "date": ("birth_date", "created_at", "updated_at",
                "order_date", "consent_email_at"), "postal_code": ("postal_code",)}
    if value_field == "phone":
        return name_field.startswith("phone") or name_field in ("source_record_id", "postal_code")
    return name_field in families.get(value_field, (value_field,)) or name_field == value_field


def _guess_from_values(filled: list[str]) -> ColumnGuess | None:
    if len(filled) < 2:
        return None

    def share(pattern: re.Pattern) -> float:
        return sum(1 for v in filled if pattern.match(v)) / len(filled)

    for pattern, target in ((_EMAIL, "email"), (_DATE, "date")):
        fraction = share(pattern)
        if fraction >= VALUE_SHARE:
            return ColumnGuess(target if target != "date" else "created_at", round(0.6 + 0.35 * fraction, 2),
                               f"{round(fraction * 100)}% of the values look like {'emails' if target == 'email' else 'dates'}")
    phone_fraction = sum(1 for v in filled if _PHONE.match(v) and sum(c.isdigit() for c in v) >= 7) / len(filled)
    if phone_fraction >= VALUE_SHARE and any(not v.isdigit() or v.startswith(("0", "+")) for v in filled):
        return ColumnGuess("phone", round(0.5 + 0.35 * phone_fraction, 2),
                           f"{round(phone_fraction * 100)}% of the values look like phone numbers")
    return None


def guess_mapping(headers: list[str], sample_rows: list[list[str]]) -> tuple[list[ColumnGuess], float]:
    """One guess per column, and an overall confidence (mean over the columns that were recognised)."""
    guesses = []
    for index, header in enumerate(headers):
        values = [row[index] for row in sample_rows if index < len(row)]
        guesses.append(guess_column(header, values))
    guesses = _deduplicate_dates(guesses)
    recognised = [g.confidence for g in guesses if g.field != CUSTOM]
    confidence = round(sum(recognised) / len(recognised), 2) if recognised else 0.0
    return guesses, confidence


def _deduplicate_dates(guesses: list[ColumnGuess]) -> list[ColumnGuess]:
    """Only one column may be "created at" by value alone; other date columns stay custom (still shown)."""
    seen = False
    result = []
    for guess in guesses:
        if guess.field == "created_at" and guess.reason.endswith("dates"):
            if seen:
                guess = ColumnGuess(CUSTOM, 0.5, guess.reason + "; kept as a custom date")
            seen = True
        result.append(guess)
    return result
