"""An audit entry's details in plain words, for the Privacy page's audit log: ``customer #8 · restriction #1``
instead of ``{"profile_id": 8, "request_id": null, "restriction_id": 1}``.

Ids read as what they number, purposes and fields by their labels, counts in the words of the erasure
receipt, yes and no for flags; a detail nobody gave (``null``) is left out. Nothing is hidden: an unknown
key is shown with its underscores made spaces. The log holds no personal data, so neither do these words.
The CSV export keeps the JSON, for programs.
"""

from __future__ import annotations

from collections.abc import Callable

from ..ingest.presets import all_presets
from ..profiles.golden import GOLDEN_FIELDS
from .consent import PURPOSES
from .erasure_words import count_words, receipt_sections
from .requests import REQUEST_KINDS

SEPARATOR = " · "
ID_WORDS = {"profile_id": "customer #{}", "from_profile": "from customer #{}", "request_id": "request #{}",
            "restriction_id": "restriction #{}", "receipt_id": "erasure receipt #{}", "record_id": "record #{}",
            "import_id": "import #{}", "note_id": "note #{}", "edit_id": "correction #{}",
            "decision_id": "decision #{}", "pair_id": "pair of records #{}"}
KEY_WORDS = {
    "purposes": "consent withdrawn for", "purpose": "purpose", "field": "field", "status": "status",
    "kind": "kind", "full": "all records compared again", "retrained": "model re-estimated",
    "redacted": "redacted copy", "keep_invoices": "keep orders anonymised", "compared_pairs": "pairs compared",
    "auto_merged": "merged automatically", "queued": "sent to review", "inserted": "new", "suppressed":
    "skipped (erased people)", "surface": "where", "origin": "from", "auto": "auto-merge threshold",
    "review": "review threshold", "min_score": "lowest score", "max_score": "highest score",
    "schema_version": "schema version", "from": "from schema", "to": "to schema", "preset": "tool preset",
}


def _label(key: str) -> str:
    return KEY_WORDS.get(key, key.replace("_", " "))


def _plain(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dict):
        return ", ".join(f"{_label(str(k))} {_plain(v)}" for k, v in value.items() if v not in (None, "", 0))
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


class DetailWords:
    """``describe(action, details)``; the shop's own consent purposes by their labels when given."""

    def __init__(self, purpose_labels: dict[str, str] | None = None):
        self.purposes = {**PURPOSES, **(purpose_labels or {})}
        self._values: dict[str, Callable] = {
            "purposes": lambda v: ", ".join(self._purpose(p) for p in v) if v else "none (already withdrawn)",
            "purpose": self._purpose,
            "field": lambda v: GOLDEN_FIELDS.get(v, (str(v).replace("_", " "),))[0],
            "kind": lambda v: REQUEST_KINDS.get(v, str(v).replace("_", " ")),
            "counts": lambda v: ", ".join(count_words(k, n) for k, n in v.items() if isinstance(n, int) and n),
            "preset": lambda v: {preset.name: preset.label for preset in all_presets()}.get(v, v),
        }

    def _purpose(self, key) -> str:
        return self.purposes.get(key, str(key).replace("_", " ").capitalize())

    def describe(self, action: str, details: dict) -> str:
        details = {k: v for k, v in (details or {}).items() if v not in (None, "", 0, [], {})}   # nothing to say
        parts = [ID_WORDS[key].format(details.pop(key)) for key in ID_WORDS if key in details]
        if action == "profile_erased":
            parts += _erased(details.pop("counts", {}), details.pop("kept", {}))
        for key, value in sorted(details.items()):
            shown = self._values[key](value) if key in self._values else _plain(value)
            parts.append(f"{_label(key)}: {shown}" if key != "counts" else shown)
        return SEPARATOR.join(part for part in parts if part)


def _erased(counts: dict, kept: dict) -> list[str]:
    """An erasure's counts as its receipt words them: removed, kept anonymised, kept as keyed hashes."""
    orders = kept.get("orders") if isinstance(kept, dict) else 0
    return [f"{section.title.lower()}: {', '.join(section.lines)}"
            for section in receipt_sections(counts, orders if isinstance(orders, int) else 0) if section.lines]
