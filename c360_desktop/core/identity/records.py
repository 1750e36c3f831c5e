"""The records as the matcher sees them: folded keys in columns, loaded once per run."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ingest.normalise import fold, in_latin_letters
from ..schema import SUMMARY_INDEX


@dataclass
class MatchRecords:
    ids: list[int] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    first: list[str] = field(default_factory=list)  # first token of the folded first name
    last: list[str] = field(default_factory=list)  # folded last name
    emails: list[tuple[str, ...]] = field(default_factory=list)
    phones: list[tuple[str, ...]] = field(default_factory=list)
    postal: list[str] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    birth: list[str] = field(default_factory=list)
    company: list[str] = field(default_factory=list)
    content_hash: list[str] = field(default_factory=list)
    generation: list[str] = field(default_factory=list)  # jr | sr | ii | iii | iv written in the name, or ""
    position: dict[int, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


def _real_first_name(folded: str, last: str, emails) -> str:
    """The first token of a first name, or "" when the field holds something else: a user name with
    digits, or, on a record without a last name, the local part of its own email (tools fill the name with
    it when it is missing). Anna Berg of anna@bergdesign.com keeps her name."""
    token = folded.split(" ", 1)[0] if folded else ""
    if not token or any(ch.isdigit() for ch in token):
        return ""
    if not last and any(token == fold(email.split("@", 1)[0]).replace(" ", "") for email in emails):
        return ""
    return token


GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii", "iv": "iv"}


def generation(folded_name: str) -> str:
    """Jr., Sr., II… written after the first word of a name (a first name "Junior" is a name): a father and
    his son share the rest of it."""
    return next((GENERATIONS[token] for token in folded_name.split()[1:] if token in GENERATIONS), "")


def _without_generation(folded_last: str) -> str:
    """``lee jr`` -> ``lee``: the suffix is compared on its own (see ``generation``)."""
    words = folded_last.split()
    kept = [word for word in words if word not in GENERATIONS]
    return " ".join(kept) if kept and len(kept) < len(words) else folded_last


def postal_key(postal: str | None) -> str:
    """Spaces and hyphens out; a US ZIP+4 compares on its first five digits."""
    key = (postal or "").replace(" ", "").replace("-", "").upper()
    return key[:5] if key.isdigit() and len(key) == 9 else key


@dataclass(frozen=True)
class MatchRules:
    """The deterministic evidence the owner can switch off in Settings."""

    email: bool = True
    phone: bool = True
    gmail_canonical: bool = True  # Gmail ignores dots and +tags: j.doe+shop@gmail.com is jdoe@gmail.com


def load_records(conn, record_ids=None, rules: MatchRules = MatchRules()) -> MatchRecords:
    """All records, or only ``record_ids`` (for re-grouping a few profiles after a decision)."""
    records = MatchRecords()
    keys: dict[int, tuple[list[str], list[str]]] = {}
    exact: dict[int, list[str]] = {}
    subset = ""
    if record_ids is not None:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS selected_records (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM selected_records")
        conn.executemany("INSERT OR IGNORE INTO selected_records(id) VALUES (?)", [(i,) for i in record_ids])
        subset = " WHERE {} IN (SELECT id FROM selected_records)"
    for record_id, kind, key in conn.execute(
            "SELECT record_id, kind, key FROM record_keys" + subset.format("record_id") + " ORDER BY record_id"):
        emails, phones = keys.setdefault(record_id, ([], []))
        if kind == "email":
            emails.append(key)
        elif kind == "phone":
            phones.append(key)
        else:
            exact.setdefault(record_id, []).append(key)
    folded: dict[str, str] = {}

    def folded_key(text: str | None) -> str:
        if not text:
            return ""
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(in_latin_letters(text))
        return value

    rows = conn.execute(
        "SELECT id, source, first_name, last_name, postal_code, city, address_key, birth_date, company, content_hash,"
        f" display_name FROM source_records {SUMMARY_INDEX}" + subset.format("id") + " ORDER BY id")
    for record_id, source, first, last, postal, city, address, birth, company, digest, display in rows:
        records.position[record_id] = len(records.ids)
        records.ids.append(record_id)
        records.source.append(source)
        first_key = folded_key(first)
        emails, phones = keys.get(record_id, ((), ()))
        records.last.append(_without_generation(folded_key(last)))
        records.generation.append(generation(folded_key(display)))
        records.first.append(_real_first_name(first_key, records.last[-1], emails))
        if not rules.gmail_canonical:
            emails = exact.get(record_id, [])
        records.emails.append(tuple(emails) if rules.email else ())
        records.phones.append(tuple(phones) if rules.phone else ())
        records.postal.append(postal_key(postal))
        records.city.append(folded_key(city))
        records.address.append(address or "")
        records.birth.append((birth or "")[:10])
        records.company.append(folded_key(company))
        records.content_hash.append(digest)
    return records
