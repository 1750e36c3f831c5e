"""Why two records are (or are not) the same person, in words and in bits."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .compare import COMPARISONS
from .engine import MODEL_SETTING, Scorer
from .model import MatchModel, TermFrequencies
from .records import load_records

FIELD_COLUMNS = {
    "first_name": ("first_name",), "last_name": ("last_name",), "email": ("email",), "phone": ("phone",),
    "location": ("postal_code", "city"), "address": ("address_key",), "birth_date": ("birth_date",),
    "company": ("company",),
}


@dataclass(frozen=True)
class Evidence:
    comparison: str
    label: str
    level: int
    level_label: str
    weight: float  # bits: positive for, negative against, 0 when it cannot tell
    left: str
    right: str

    @property
    def strength(self) -> str:
        if self.level == 0:
            return "cannot tell"
        if self.weight >= 6:
            return "strong"
        if self.weight >= 2:
            return "for"
        if self.weight > -2:
            return "weak"
        return "against"

    def in_words(self) -> str:
        values = f"{self.left} / {self.right}" if self.left != self.right else self.left
        return f"{self.label} {values}: {self.level_label}, {self.strength}" if self.level else \
            f"{self.label}: missing on one side"

    def to_json(self) -> dict:
        return {"comparison": self.comparison, "level": self.level, "level_label": self.level_label,
                "weight": round(self.weight, 2), "strength": self.strength, "left": self.left, "right": self.right,
                "words": self.in_words()}


def explain_pair(vault, left_id: int, right_id: int, display=lambda field, value: value or "") -> dict:
    """The probability and each comparison's contribution; ``display`` masks values per the redaction policy.

    A stored candidate pair is explained as it was scored (with its term-frequency bits); any other
    pair is compared now, without term frequencies.
    """
    conn = vault.conn
    left_id, right_id = min(left_id, right_id), max(left_id, right_id)
    stored = vault.setting(MODEL_SETTING)
    model = MatchModel.from_json(stored) if stored else MatchModel.untrained()
    row = conn.execute("SELECT levels, probability, weight, guard FROM match_pairs WHERE left_id = ? AND right_id = ?",
                       (left_id, right_id)).fetchone()
    if row:
        saved = json.loads(row[0])
        levels = tuple(saved[c.name] for c in COMPARISONS)
        tf_bits, probability_, weight, guard = saved.get("_tf", 0.0), row[1], row[2], row[3]
    else:
        records = load_records(conn, [left_id, right_id])
        pair = Scorer(model, records, TermFrequencies()).score(records.position[left_id], records.position[right_id])
        levels, tf_bits, probability_, weight, guard = pair.levels, 0.0, pair.probability, pair.weight, pair.guard
    tables = model.log_ratio_table()
    columns = {rid: dict(zip(*_row(conn, rid))) for rid in (left_id, right_id)}
    evidence = []
    for c, (comparison, level) in enumerate(zip(COMPARISONS, levels)):
        if comparison.name in ("email", "phone"):
            left, right = _contacts_in_words(conn, comparison.name, left_id, right_id, level, display)
        else:
            names = FIELD_COLUMNS[comparison.name]
            left = ", ".join(display(n, columns[left_id].get(n)) for n in names if columns[left_id].get(n))
            right = ", ".join(display(n, columns[right_id].get(n)) for n in names if columns[right_id].get(n))
        evidence.append(Evidence(comparison.name, comparison.label, level, comparison.levels[level],
                                 float(tables[c][level]), left, right))
    return {"probability": probability_, "weight": weight, "term_frequency_bits": tf_bits, "guard": guard,
            "evidence": [e.to_json() for e in evidence]}


def _contacts_in_words(conn, kind: str, left_id: int, right_id: int, level: int, display) -> tuple[str, str]:
    """Every email (or phone) of each side; when they agree, the value they share."""
    values = {rid: [k for k, in conn.execute("SELECT key FROM record_keys WHERE record_id = ? AND kind = ?"
                                             " ORDER BY key", (rid, kind))] for rid in (left_id, right_id)}
    shared = sorted(set(values[left_id]) & set(values[right_id]))
    if level == 1 and shared:
        text = ", ".join(display(kind, v) for v in shared)
        return text, text
    return tuple(", ".join(display(kind, v) for v in values[rid]) for rid in (left_id, right_id))


def _row(conn, record_id: int):
    names = sorted({n for group in FIELD_COLUMNS.values() for n in group})
    values = conn.execute(f"SELECT {', '.join(names)} FROM source_records WHERE id = ?", (record_id,)).fetchone()
    return names, values
