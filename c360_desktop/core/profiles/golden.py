"""The golden record: one value per field for a profile, chosen by survivorship rules, with provenance.

Every known value of every member record is kept as a candidate with where it
came from (tool, file, row, import date). For each field the winner is, in order:

1. the owner's correction (a rectification, ``profile_edits``), which wins over every import;
2. the value the owner preferred while merging (``field_preferences``);
3. the field's configured rule: ``source_priority`` (the owner's order of tools), ``most_recent``
   (the record's own updated date, else when it was imported), ``most_complete`` (the longest value;
   for addresses, the one with most parts) or ``most_frequent`` (said by most records);
4. ties: most frequent, then most recent, then the earliest record.

Addresses compete as a unit (street, city, region, postal code, country from the same record), so a
golden address never mixes one record's street with another's town.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..ingest.rows import norm_items

RULES = ("most_frequent", "most_recent", "most_complete", "source_priority")
RULE_LABELS = {"most_frequent": "Most frequent", "most_recent": "Most recent",
               "most_complete": "Most complete", "source_priority": "Source priority"}
# field -> (label, the norm fields whose values compete, privacy category)
GOLDEN_FIELDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "name": ("Name", ("full_name",), "name"),
    "first_name": ("First name", ("first_name",), "name"),
    "last_name": ("Last name", ("last_name",), "name"),
    "email": ("Email", ("email",), "email"),
    "phone": ("Phone", ("phone", "phone_mobile", "phone_home", "phone_work"), "phone"),
    "address": ("Address", ("address_line1",), "address"),
    "birth_date": ("Birth date", ("birth_date",), "birth_date"),
    "company": ("Company", ("company",), "none"),
    "job_title": ("Job title", ("job_title",), "none"),
    "language": ("Language", ("language",), "none"),
}
DEFAULT_RULES = {name: "most_frequent" for name in GOLDEN_FIELDS} | {"address": "most_recent"}
ADDRESS_PARTS = ("address_line1", "address_line2", "city", "region", "postal_code", "country_code", "country")
SETTING_RULES = "survivorship_rules"
SETTING_SOURCE_ORDER = "source_priority"


@dataclass(frozen=True)
class Candidate:
    """One value one record gave for a field, and where it came from."""
    value: str
    raw: str | None
    record_id: int
    source: str
    file_name: str
    row_number: int
    seen_at: str            # the record's own updated date, else when it was imported
    kind: str = ""          # phone type, or which norm field it came from
    preferred: bool = False
    manual: bool = False
    reason: str | None = None

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class GoldenField:
    key: str
    label: str
    category: str
    value: str | None = None
    winner: Candidate | None = None
    decided_by: str | None = None   # 'manual', 'preferred' or a rule name
    others: list[Candidate] = field(default_factory=list)   # every other value, with its sources

    def to_json(self) -> dict:
        return {"key": self.key, "label": self.label, "category": self.category, "value": self.value,
                "decided_by": self.decided_by, "winner": self.winner.to_json() if self.winner else None,
                "others": [c.to_json() for c in self.others]}


@dataclass(frozen=True)
class Survivorship:
    rules: dict[str, str]
    source_order: tuple[str, ...]

    @classmethod
    def from_settings(cls, vault) -> "Survivorship":
        configured = vault.setting(SETTING_RULES, {}) or {}
        rules = {name: configured.get(name) if configured.get(name) in RULES else rule
                 for name, rule in DEFAULT_RULES.items()}
        return cls(rules, tuple(vault.setting(SETTING_SOURCE_ORDER, []) or []))

    @classmethod
    def default(cls) -> "Survivorship":
        return cls(dict(DEFAULT_RULES), ())


def member_records(conn, profile_id: int) -> list[tuple]:
    """(id, source, file_name, row_number, norm, updated_at, imported_at) of the profile's records."""
    return conn.execute(
        "SELECT r.id, r.source, r.file_name, r.row_number, r.norm, r.updated_at, i.started_at"
        " FROM profile_members m JOIN source_records r ON r.id = m.record_id"
        " JOIN imports i ON i.id = r.last_import_id WHERE m.profile_id = ? ORDER BY r.id", (profile_id,)).fetchall()


def _address_text(parts: dict[str, str]) -> str:
    town = " ".join(p for p in (parts.get("postal_code"), parts.get("city")) if p)
    country = parts.get("country_code") or parts.get("country")
    ordered = (parts.get("address_line1"), parts.get("address_line2"), town, parts.get("region"), country)
    return ", ".join(p for p in ordered if p)


def candidates_of(records: list[tuple], preferences: set[tuple[int, str]]) -> dict[str, list[Candidate]]:
    """Every golden field's candidate values across the records."""
    found: dict[str, list[Candidate]] = {name: [] for name in GOLDEN_FIELDS}
    for record_id, source, file_name, row_number, norm_json, _updated, imported_at in records:
        items = norm_items(norm_json)
        declared = next((v for f, _r, v, *_ in items if f == "updated_at" and v), None)
        seen_at = declared or imported_at

        def make(value, raw, kind, key, rid=record_id):
            return Candidate(value, raw, rid, source, file_name, row_number, seen_at, kind,
                             preferred=(rid, key) in preferences)

        address = {f: v for f, _r, v, *_ in reversed(items) if f in ADDRESS_PARTS and v}
        if address:
            found["address"].append(make(_address_text(address), None, "", "address"))
        for key, (_label, fields, _category) in GOLDEN_FIELDS.items():
            if key == "address":
                continue
            for field_name, raw, value, *_ in items:
                if field_name in fields and value:
                    found[key].append(make(value, raw, field_name.removeprefix("phone_"), key))
        if not any(f == "full_name" for f, *_ in items):
            parts = [next((v for f, _r, v, *_ in items if f == name and v), "") for name in ("first_name", "last_name")]
            joined = " ".join(p for p in parts if p)
            if joined:
                found["name"].append(make(joined, None, "joined", "name"))
    return found


def _ranking(rule: str, source_order: tuple[str, ...], counts: Counter):
    """A sort key: smaller is better under the rule, ties broken by frequency, recency, record age."""
    def rank_source(c: Candidate) -> int:
        return source_order.index(c.source) if c.source in source_order else len(source_order)

    def key(c: Candidate):
        first = {
            "most_frequent": -counts[c.value],
            "most_recent": _negated(c.seen_at),
            "most_complete": -(c.value.count(",") * 1000 + len(c.value)),
            "source_priority": rank_source(c),
        }[rule]
        return (not c.manual, not c.preferred, first, -counts[c.value], _negated(c.seen_at), c.record_id)
    return key


def _negated(text: str | None) -> tuple:
    """Sort recent dates first: ISO strings compared through their negated code points."""
    return tuple(-ord(ch) for ch in (text or ""))


def decide(key: str, candidates: list[Candidate], survivorship: Survivorship) -> GoldenField:
    label, _fields, category = GOLDEN_FIELDS.get(key, (key, (), "none"))
    golden = GoldenField(key, label, category)
    if not candidates:
        return golden
    rule = survivorship.rules.get(key, "most_frequent")
    counts = Counter(c.value for c in candidates if not c.manual)
    ordered = sorted(candidates, key=_ranking(rule, survivorship.source_order, counts))
    winner = ordered[0]
    golden.value, golden.winner = winner.value, winner
    golden.decided_by = "manual" if winner.manual else "preferred" if winner.preferred else rule
    golden.others = [c for c in ordered[1:]]
    return golden


def manual_candidates(conn, record_ids: list[int]) -> dict[str, list[Candidate]]:
    """The owner's live corrections as candidates that win over imports."""
    found: dict[str, list[Candidate]] = {}
    if not record_ids:
        return found
    marks = ",".join("?" * len(record_ids))
    for record_id, name, value, reason, edited_at in conn.execute(
            f"SELECT record_id, field, value, reason, edited_at FROM profile_edits WHERE record_id IN ({marks})"
            " AND withdrawn_at IS NULL ORDER BY edited_at DESC, id DESC", record_ids):
        if name in found:
            continue
        found[name] = [Candidate(value, None, record_id, "manual", "", 0, edited_at, "manual", manual=True,
                                 reason=reason)]
    return found


def golden_record(conn, profile_id: int, survivorship: Survivorship | None = None,
                  records: list[tuple] | None = None) -> dict[str, GoldenField]:
    survivorship = survivorship or Survivorship.default()
    records = records if records is not None else member_records(conn, profile_id)
    ids = [r[0] for r in records]
    preferences = set()
    if ids:
        marks = ",".join("?" * len(ids))
        preferences = {(r, f) for r, f in conn.execute(
            f"SELECT record_id, field FROM field_preferences WHERE record_id IN ({marks})", ids)}
    candidates = candidates_of(records, preferences)
    for name, manual in manual_candidates(conn, ids).items():
        candidates.setdefault(name, []).extend(manual)
    return {name: decide(name, found, survivorship) for name, found in candidates.items()}
