"""The field-level redaction policy, and time-limited reveals.

Each privacy category (email, phone, address, birth date, notes, custom attributes, payment details,
names, ids) is shown, partially masked or hidden. Sensitive categories are masked by default. Every
surface (list, search results, review, profile, tooltips, window titles, redacted exports, the CLI)
passes values through ``RedactionPolicy.apply``; a reveal lifts the mask for one field of one profile
for a short time and is audited without the value.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from ..ingest.fields import BY_NAME, CUSTOM, IGNORE
from .redaction import mask_email, mask_phone, mask_text

MODES = ("show", "mask", "hide")
MODE_LABELS = {"show": "Show", "mask": "Partially mask", "hide": "Hide"}
CATEGORIES = {
    "name": "Names", "email": "Email addresses", "phone": "Phone numbers", "address": "Postal addresses",
    "birth_date": "Birth dates", "notes": "Notes and free text", "custom": "Custom attributes",
    "payment": "Payment details", "id": "Tool ids",
}
DEFAULT_POLICY = {"name": "show", "email": "mask", "phone": "mask", "address": "mask", "birth_date": "mask",
                  "notes": "mask", "custom": "mask", "payment": "hide", "id": "show"}
SETTING_POLICY = "redaction_policy"
HIDDEN = "(hidden)"
REVEAL_SECONDS = 30
CLIPBOARD_CLEAR_SECONDS = 20


# The town-level parts of an address: a partially masked address keeps them, hiding the street and postcode.
PLACE_FIELDS = ("city", "region", "country", "country_code", "shipping_city", "shipping_region", "shipping_country")


def category_of(field_name: str | None) -> str:
    """The privacy category of a canonical field (or of a column mapped to it); unknown -> custom."""
    if field_name in (None, CUSTOM, IGNORE):
        return "custom"
    if field_name in PLACE_FIELDS:
        return "place"
    known = BY_NAME.get(field_name)
    if known is None:
        return "custom"
    return "none" if known.category == "none" else known.category


def _masked(category: str, value: str) -> str:
    if category == "email":
        return mask_email(value)
    if category == "phone":
        return mask_phone(value)
    if category == "payment":
        digits = [c for c in value if c.isdigit()]
        return "•••• " + "".join(digits[-4:]) if len(digits) >= 4 else "••••"
    return mask_text(value)


def email_key_parts(key: str) -> tuple[str, str]:
    """``email:ann@x.com#2`` -> (``ann@x.com``, ``2``): c360's key for the second contact with one email. A ``#``
    inside the address (``anna#shop@x.com`` is valid) is part of the address, never the copy number."""
    email = key[len("email:"):]
    head, mark, copy = email.rpartition("#")
    if mark and copy.isdigit() and "@" in head:
        return head, copy
    return email, ""


@dataclass
class RedactionPolicy:
    modes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_POLICY))

    @classmethod
    def from_vault(cls, vault) -> "RedactionPolicy":
        stored = vault.setting(SETTING_POLICY, {}) or {}
        return cls({c: stored.get(c) if stored.get(c) in MODES else m for c, m in DEFAULT_POLICY.items()})

    @classmethod
    def reveal_all(cls) -> "RedactionPolicy":
        return cls({c: "show" for c in DEFAULT_POLICY})

    def save(self, vault) -> None:
        vault.set_setting(SETTING_POLICY, self.modes)
        vault.audit("redaction_policy_changed", {"modes": self.modes})

    def mode(self, category: str) -> str:
        if category == "place":
            return "hide" if self.modes.get("address") == "hide" else "show"
        return "show" if category == "none" else self.modes.get(category, "mask")

    def apply(self, category: str, value, revealed: bool = False) -> str:
        """The value as this surface may show it."""
        if value is None or value == "":
            return ""
        text = str(value)
        mode = "show" if revealed else self.mode(category)
        if mode == "show":
            return text
        if mode == "hide":
            return HIDDEN
        return _masked(category, text)

    def source_id(self, value: str | None) -> str:
        """A record's key: the tool's id, or a derived ``email:`` key that is an email address in disguise."""
        if value and value.startswith("email:"):
            email, copy = email_key_parts(value)
            return "email:" + self.apply("email", email) + (f"#{copy}" if copy else "")
        return self.apply("id", value)

    def redact_raw(self, raw: dict, categories: dict[str, str]) -> dict:
        """A raw source row with each cell redacted by its column's category (unknown columns: custom)."""
        return {header: self.apply(categories.get(header, "custom"), cell) for header, cell in raw.items()}


def column_categories(conn, import_id: int) -> dict[str, str]:
    """header -> privacy category for a file, from the mapping the import used."""
    row = conn.execute("SELECT options FROM imports WHERE id = ?", (import_id,)).fetchone()
    try:
        columns = json.loads(row[0]).get("columns", []) if row else []
    except (TypeError, ValueError):
        columns = []
    return {c.get("header"): category_of(c.get("field")) for c in columns if c.get("header") is not None}


class Reveals:
    """Which (profile, field) the owner revealed, until when. In memory only: a lock forgets them."""

    def __init__(self, seconds: int = REVEAL_SECONDS, clock=time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._until: dict[tuple[int, str], float] = {}

    def reveal(self, vault, profile_id: int, field_key: str, surface: str = "profile") -> float:
        """Reveal one field of one profile; audited (who, when, which field; never the value)."""
        vault.audit("field_revealed", {"profile_id": profile_id, "field": field_key, "surface": surface,
                                       "seconds": self.seconds})
        until = self._clock() + self.seconds
        self._until[(profile_id, field_key)] = until
        return until

    def is_revealed(self, profile_id: int, field_key: str) -> bool:
        until = self._until.get((profile_id, field_key))
        if until is None:
            return False
        if self._clock() >= until:
            del self._until[(profile_id, field_key)]
            return False
        return True

    def clear(self) -> None:
        self._until.clear()
