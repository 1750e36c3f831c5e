"""Erasure counts in the shop owner's words, so the confirmation, the receipt on screen, the receipt file and
the list of receipts say the same things the same way.

A count is only called removed when the data is gone. The person's emails, phone numbers and tool ids are
not removed in that sense: they stay as keyed hashes on the suppression list (so an old export imported
again skips them), and the receipt says so apart; so are orders kept anonymised for the accounts, and the
identifiers left off the list because other customers use them too. None of this is personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..audit import local_time

REMOVED_KINDS = ("source_records", "events", "consents", "decisions", "pairs", "search_terms", "notes",
                 "corrections", "restrictions", "history_versions", "safety_copies")

# kind -> (one, many); the erasure's counts and the access export's.
KIND_WORDS = {
    "source_records": ("record imported from your tools", "records imported from your tools"),
    "events": ("order, payment or support ticket", "orders, payments and support tickets"),
    "consents": ("consent statement", "consent statements"),
    "consent_statements": ("consent statement", "consent statements"),
    "file_rows": ("row of an imported file", "rows of imported files"),
    "decisions": ("decision of yours on whether records are the same person",
                  "decisions of yours on whether records are the same person"),
    "pairs": ("comparison made while matching records", "comparisons made while matching records"),
    "search_terms": ("search word for finding the customer", "search words for finding the customer"),
    "notes": ("note or tag", "notes and tags"),
    "corrections": ("correction", "corrections"),
    "restrictions": ("restriction or objection", "restrictions and objections"),
    "history_versions": ("earlier version of a record", "earlier versions of records"),
    "safety_copies": ("safety copy of the vault made before an update", "safety copies of the vault made before updates"),
    "orders": ("order", "orders"),
    "suppressed_identifiers": ("email, phone number or tool id", "emails, phone numbers and tool ids"),
    "shared_identifiers_left_out": ("email or phone number other customers also use",
                                    "emails and phone numbers other customers also use"),
}

REMOVED_TITLE = "Removed"
KEPT_TITLE = "Kept anonymised for the accounts (required by law)"
KEPT_NOTE = "Amount, currency, date, order number and items, with nothing that points to the person."
HASHED_TITLE = "Kept only as keyed hashes on the suppression list"
HASHED_NOTE = ("A keyed hash cannot be turned back into the email or number; it lets c360 skip this person's rows "
               "when an old export is imported again.")
SHARED_TITLE = "Left off the suppression list"
SHARED_NOTE = "Other customers use them too, so those customers' rows still import."


@dataclass(frozen=True)
class Section:
    """One part of a receipt: a title, one line per count, and what the title means."""
    title: str
    lines: list[str] = field(default_factory=list)
    note: str = ""


def kind_words(kind: str, count: int) -> str:
    """``records imported from your tools``: the words after the number."""
    fallback = kind.replace("_", " ")
    one, many = KIND_WORDS.get(kind, (fallback, fallback))
    return one if count == 1 else many


def count_words(kind: str, count: int) -> str:
    """``3 records imported from your tools``."""
    return f"{int(count):,} {kind_words(kind, int(count))}"


def _count(counts: dict, kind: str) -> int:
    value = (counts or {}).get(kind)
    return value if isinstance(value, int) else 0


def removed_lines(counts: dict | None) -> list[str]:
    """Each kind of data that is gone, with its count; kinds with none are left out."""
    return [count_words(kind, _count(counts, kind)) for kind in REMOVED_KINDS if _count(counts, kind)]


def receipt_sections(counts: dict | None, orders_kept: int = 0) -> list[Section]:
    """What an erasure removes, keeps anonymised, keeps as keyed hashes and leaves off the suppression list;
    the confirmation (with the preview's counts) and the receipt (with the erasure's) both show these."""
    sections = [Section(REMOVED_TITLE, removed_lines(counts))]
    if orders_kept:
        sections.append(Section(KEPT_TITLE, [count_words("orders", orders_kept)], KEPT_NOTE))
    hashed = _count(counts, "suppressed_identifiers")
    if hashed:
        sections.append(Section(HASHED_TITLE, [count_words("suppressed_identifiers", hashed)], HASHED_NOTE))
    shared = _count(counts, "shared_identifiers_left_out")
    if shared:
        sections.append(Section(SHARED_TITLE, [count_words("shared_identifiers_left_out", shared)], SHARED_NOTE))
    return sections


def section_sentence(section: Section) -> str:
    """``Kept only as keyed hashes on the suppression list: 5 emails, phone numbers and tool ids. A keyed…``"""
    text = f"{section.title}: {', '.join(section.lines) or 'nothing'}."
    return f"{text} {section.note}" if section.note else text


def kept_orders(receipt: dict) -> int:
    return _count(receipt.get("kept") or {}, "orders")


def namesakes_text(count: int) -> str:
    """Other profiles with the erased person's name: how many and where to look, never who."""
    if count <= 0:
        return ""
    profiles = "1 other customer profile has" if count == 1 else f"{count:,} other customer profiles have"
    return (f"{profiles} the same name. They may be other people, or this person in records that matching did "
            "not join: look them up under Privacy › Find a person, searching the name.")


def receipt_text(receipt: dict) -> str:
    """The receipt as a plain text the owner can file away."""
    lines = ["c360 erasure receipt",
             f"Receipt number: {receipt.get('id', '')}",
             f"Erased at: {local_time(str(receipt.get('erased_at', '')))}",
             f"Request reference: {receipt.get('reference') or '(none)'}"]
    for section in receipt_sections(receipt.get("counts"), kept_orders(receipt)):
        lines += ["", f"{section.title}:"]
        lines += [f"  - {line}" for line in section.lines] or ["  - nothing"]
        if section.note:
            lines.append(f"    ({section.note})")
    lines += ["", "This receipt holds no personal data of the erased person."]
    return "\n".join(lines) + "\n"


def write_receipt(receipt: dict, path: Path) -> Path:
    """``.json`` writes the receipt as JSON (its counts by their keys), anything else as text; returns the path."""
    if path.suffix.lower() == ".json":
        text = json.dumps(receipt, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    else:
        text = receipt_text(receipt)
    path.write_text(text, encoding="utf-8")
    return path

