"""Search as you type: names, emails, phones, tool ids, order and ticket numbers -> profiles.

The index (``search_terms``) maps prefix-searchable terms to source records:
accent-folded name and company words, every email address, every phone's
E.164 digits, the tools' own ids, and the ids of the record's orders,
payments and tickets. A query is folded the same way; each word must be the
prefix of some term of the same record. Phone-like queries are also tried as
a national number of the default region, so ``(415) 555-0101``, ``415.555``
and ``+1 415 555 0101`` all find the same customer.

It is a plain table rather than an FTS5 index so that an erased person's
terms are gone with their rows (FTS5 keeps deleted tokens in its segments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from ..ingest.normalise import fold

_DERIVED_KEY = re.compile(r"^(email|fp|row):")
_NOT_DIGIT = re.compile(r"\D+")
_ID_TRIM = re.compile(r"^[#\s]+")
SELECTIVITY_CAP = 5000
RECORDS_PER_PROFILE = 2  # records fetched per wanted profile (a profile has a record or two per tool)
MIN_DIGITS_FOR_PHONE = 3


def name_terms(*texts: str | None) -> set[str]:
    """Folded words, plus each written word with its punctuation closed up (``O'Brien`` -> ``obrien``)."""
    terms = set()
    for text in texts:
        for written in (text or "").split():
            parts = fold(written).split()
            terms.update(parts)
            if len(parts) > 1:
                terms.add("".join(parts))
    return terms


def phrase_terms(name: str | None) -> set[str]:
    """A whole name as one term, in both orders (``maria garcia``, ``garcia maria``), so that a query of
    several words typed as a name is one index range scan however common each word is."""
    words = fold(name or "").split()
    if len(words) < 2:
        return set()
    return {" ".join(words), " ".join(words[-1:] + words[:-1])}


def id_term(value: str | None) -> str | None:
    if not value or _DERIVED_KEY.match(value):
        return None
    term = _ID_TRIM.sub("", value.strip().lower())
    return term or None


def contact_terms(kind: str, key: str) -> str:
    """An email as written (lower-cased) or a phone's E.164 digits, from a ``record_keys`` row."""
    return key.lower() if kind == "email_exact" else key.lstrip("+")


def row_terms(display, first, last, company, keys) -> set[str]:
    """The terms of one record from its names and its (kind, key) matching keys: what the importer indexes
    for each row it writes (computed where the row is interpreted)."""
    terms = name_terms(display, first, last, company) | phrase_terms(display)
    return terms | {contact_terms(kind, key) for kind, key in keys if kind in ("email_exact", "phone")}


def record_terms(conn, record_ids: list[int]) -> list[tuple[str, int]]:
    """Every search term of these records, from their stored columns, keys and events."""
    rows: list[tuple[str, int]] = []
    marks = ",".join("?" * len(record_ids))
    for record_id, display, first, last, company, source_id in conn.execute(
            f"SELECT id, display_name, first_name, last_name, company, source_record_id FROM source_records"
            f" WHERE id IN ({marks})", record_ids):
        rows.extend((term, record_id) for term in name_terms(display, first, last, company) | phrase_terms(display))
        term = id_term(source_id)
        if term:
            rows.append((term, record_id))
    for kind, key, record_id in conn.execute(
            f"SELECT kind, key, record_id FROM record_keys WHERE record_id IN ({marks})"
            " AND kind IN ('email_exact', 'phone')", record_ids):
        rows.append((contact_terms(kind, key), record_id))
    for name, value, record_id in conn.execute(
            f"SELECT field, value, record_id FROM profile_edits WHERE record_id IN ({marks})"
            " AND withdrawn_at IS NULL", record_ids):
        if name == "email":
            rows.append((value.lower(), record_id))
        elif name == "phone":
            rows.append((_NOT_DIGIT.sub("", value), record_id))
        else:
            rows.extend((term, record_id) for term in name_terms(value) | phrase_terms(value))
    for event_id, record_id in conn.execute(
            f"SELECT source_event_id, record_id FROM events WHERE record_id IN ({marks})", record_ids):
        term = id_term(event_id)
        if term:
            rows.append((term, record_id))
    return rows


def index_records(conn, record_ids) -> int:
    """(Re)build the terms of these records; returns how many terms were written."""
    ids = list(record_ids)
    written = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM search_terms WHERE record_id IN ({marks})", chunk)
        rows = record_terms(conn, chunk)
        conn.executemany("INSERT OR IGNORE INTO search_terms(term, record_id) VALUES (?,?)", rows)
        written += len(rows)
    return written


def ensure_index(conn) -> bool:
    """Build the index for a vault whose records predate it (schema 4); True if it had to."""
    if conn.execute("SELECT 1 FROM search_terms LIMIT 1").fetchone() is not None:
        return False
    ids = [row[0] for row in conn.execute("SELECT id FROM source_records")]
    if not ids:
        return False
    index_records(conn, ids)
    return True


@dataclass(frozen=True)
class SearchResult:
    profile_ids: list[int]
    truncated: bool  # a word matched more records than were looked at: keep typing to narrow


def _phone_prefixes(word: str, region: str) -> list[str]:
    digits = _NOT_DIGIT.sub("", word)
    if len(digits) < MIN_DIGITS_FOR_PHONE or len(digits) < len(word.replace(" ", "")) * 0.6:
        return []
    prefixes = {digits}
    if not word.lstrip().startswith(("+", "00")):
        code = phonenumbers.country_code_for_region(region.upper()) if region else 0
        national = digits.lstrip("0") if digits.startswith("0") else digits
        if code:
            prefixes.add(f"{code}{national}")
    return sorted(prefixes)


def query_words(query: str, region: str = "US") -> list[list[str]]:
    """The query as words, each with the alternative prefixes any of which may match it."""
    text = query.strip()
    if not text:
        return []
    phone = _phone_prefixes(text, region)
    if phone:
        return [phone]
    words = []
    for raw in text.split():
        lowered = raw.lower()
        options = {lowered, fold(raw).replace(" ", ""), id_term(lowered)}
        options.discard(None)
        options.discard("")
        if options:
            words.append(sorted(options))
    return words


def _range_condition(column: str, prefixes: list[str]) -> tuple[str, list[str]]:
    """SQL matching any of the prefixes on an indexed text column, as index range scans."""
    parts, params = [], []
    for prefix in prefixes:
        parts.append(f"({column} >= ? AND {column} < ?)")
        params += [prefix, prefix + "\U0010ffff"]
    return "(" + " OR ".join(parts) + ")", params


def _estimated_matches(conn, prefixes: list[str]) -> int:
    """How many terms start with the word, counted up to ``SELECTIVITY_CAP`` (cheap: an index-only scan)."""
    condition, params = _range_condition("term", prefixes)
    return conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM search_terms WHERE {condition} LIMIT ?)",
                        (*params, SELECTIVITY_CAP)).fetchone()[0]


def _matching_records(conn, words: list[list[str]], limit: int) -> list[int]:
    """Records having, for every word, a term it prefixes: driven by the most selective word, the others
    checked through the (record_id, term) index, stopping once ``limit`` records are found.

    Several words that make a name prefix (``maria g``) are first looked up as one phrase. When every
    word is common, the word-by-word check is skipped: it would visit tens of thousands of records."""
    phrase = fold(" ".join(w[0] for w in words)) if len(words) > 1 else ""
    found = _prefix_records(conn, [phrase], limit) if phrase else []
    if len(found) >= limit:
        return found
    estimates = [(_estimated_matches(conn, prefixes), -max(map(len, prefixes)), prefixes) for prefixes in words]
    estimates.sort(key=lambda item: item[:2])
    if phrase and estimates[0][0] >= SELECTIVITY_CAP:
        return found
    ranked = [prefixes for *_, prefixes in estimates]
    driving, params = _range_condition("d.term", ranked[0])
    joins = []
    for index, prefixes in enumerate(ranked[1:]):
        condition, extra = _range_condition(f"w{index}.term", prefixes)
        joins.append(f"AND EXISTS (SELECT 1 FROM search_terms w{index} WHERE w{index}.record_id = d.record_id"
                     f" AND {condition})")
        params += extra
    sql = f"SELECT DISTINCT d.record_id FROM search_terms d WHERE {driving} {' '.join(joins)} LIMIT ?"
    more = [row[0] for row in conn.execute(sql, (*params, limit))]
    return list(dict.fromkeys(found + more))[:limit]


def _prefix_records(conn, prefixes: list[str], limit: int) -> list[int]:
    condition, params = _range_condition("term", prefixes)
    return [row[0] for row in conn.execute(
        f"SELECT DISTINCT record_id FROM search_terms WHERE {condition} LIMIT ?", (*params, limit))]


def search_profiles(conn, query: str, *, region: str = "US", limit: int = 500) -> SearchResult:
    """Profiles whose records match every word of the query (at most ``limit``); [] for an empty query."""
    words = query_words(query, region)
    if not words:
        return SearchResult([], False)
    records = _matching_records(conn, words, limit * RECORDS_PER_PROFILE)
    profile_ids: set[int] = set()
    for start in range(0, len(records), 900):
        chunk = records[start:start + 900]
        marks = ",".join("?" * len(chunk))
        profile_ids.update(row[0] for row in conn.execute(
            f"SELECT DISTINCT profile_id FROM profile_members WHERE record_id IN ({marks})", chunk))
    ordered = sorted(profile_ids)
    truncated = len(records) >= limit * RECORDS_PER_PROFILE or len(ordered) > limit
    return SearchResult(ordered[:limit], truncated)
