"""Rectification (Art. 16), notes and tags: the owner's own data about a profile.

A correction is kept as a manual source that wins over every import until it is withdrawn; the
imported values stay beside it. Manual data is attached to the profile's anchor record (its oldest
member) so that it follows the person through later matching and is erased with them.
Audit entries name the profile, the field and the reason's length, never a value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import audit
from ..errors import C360Error
from ..ingest.normalise import normalise_email, normalise_phone
from .golden import GOLDEN_FIELDS
from .search import index_records
from .summary import refresh_summaries

MAX_TAG_LENGTH = 40
UNSAVED_EDIT_KEPT = "unsaved_edit_kept"   # setting: the kind of edit kept at the last lock, nothing more


class EditError(C360Error):
    pass


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def anchor_record(conn, profile_id: int) -> int:
    row = conn.execute("SELECT min(record_id) FROM profile_members WHERE profile_id = ?", (profile_id,)).fetchone()
    if row is None or row[0] is None:
        raise EditError(f"There is no profile number {profile_id}.")
    return row[0]


def _checked_value(field: str, value: str, region: str) -> str:
    value = value.strip()
    if not value:
        raise EditError("The corrected value is empty: to remove a correction, withdraw it.")
    if field == "email":
        result = normalise_email(value)
        if result.value is None:
            raise EditError("That is not a valid email address.")
        return result.value
    if field == "phone":
        result = normalise_phone(value, region)
        if result.value is None:
            raise EditError("That phone number could not be understood; include the country code.")
        return result.value
    return value


def _members(conn, profile_id: int) -> list[int]:
    return [r[0] for r in conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?", (profile_id,))]


def _after_change(conn, profile_id: int) -> None:
    index_records(conn, _members(conn, profile_id))
    refresh_summaries(conn, [profile_id], _now())


def rectify(vault, profile_id: int, field: str, value: str, reason: str, *, region: str = "US") -> int:
    if field not in GOLDEN_FIELDS:
        raise EditError(f"{field!r} is not a field of the profile.")
    if not reason.strip():
        raise EditError("Give a reason for the correction (it is kept with it).")
    clean = _checked_value(field, value, region)
    with vault.transaction() as conn:
        record_id = anchor_record(conn, profile_id)
        cursor = conn.execute(
            "INSERT INTO profile_edits(record_id, field, value, reason, edited_at) VALUES (?,?,?,?,?)",
            (record_id, field, clean, reason.strip(), _now()))
        _after_change(conn, profile_id)
        audit.append(conn, "profile_rectified", {"profile_id": profile_id, "field": field, "edit_id": cursor.lastrowid})
        return cursor.lastrowid


def withdraw_edit(vault, profile_id: int, field: str) -> int:
    """Withdraw the live corrections of a field: the imported values decide again."""
    with vault.transaction() as conn:
        members = _members(conn, profile_id)
        marks = ",".join("?" * len(members)) or "NULL"
        count = conn.execute(
            f"UPDATE profile_edits SET withdrawn_at = ? WHERE field = ? AND withdrawn_at IS NULL"
            f" AND record_id IN ({marks})", (_now(), field, *members)).rowcount
        if count:
            _after_change(conn, profile_id)
            audit.append(conn, "profile_correction_withdrawn", {"profile_id": profile_id, "field": field})
        return count


def add_note(vault, profile_id: int, kind: str, text: str, reason: str | None = None) -> int:
    text = text.strip()
    if kind not in ("note", "tag"):
        raise EditError(f"Unknown kind {kind!r}: a note or a tag.")
    if not text:
        raise EditError(f"The {kind} is empty.")
    if kind == "tag":
        text = " ".join(text.lower().split())
        if len(text) > MAX_TAG_LENGTH or "," in text:
            raise EditError(f"A tag is one short label without commas (at most {MAX_TAG_LENGTH} characters).")
    with vault.transaction() as conn:
        record_id = anchor_record(conn, profile_id)
        cursor = conn.execute(
            "INSERT INTO profile_notes(record_id, kind, text, reason, created_at) VALUES (?,?,?,?,?)",
            (record_id, kind, text, (reason or "").strip() or None, _now()))
        refresh_summaries(conn, [profile_id], _now())
        audit.append(conn, f"profile_{kind}_added", {"profile_id": profile_id, "note_id": cursor.lastrowid})
        return cursor.lastrowid


def remove_note(vault, note_id: int) -> None:
    with vault.transaction() as conn:
        row = conn.execute(
            "SELECT m.profile_id, n.kind FROM profile_notes n JOIN profile_members m ON m.record_id = n.record_id"
            " WHERE n.id = ? AND n.removed_at IS NULL", (note_id,)).fetchone()
        if row is None:
            raise EditError("That note or tag no longer exists.")
        conn.execute("UPDATE profile_notes SET removed_at = ? WHERE id = ?", (_now(), note_id))
        refresh_summaries(conn, [row[0]], _now())
        audit.append(conn, f"profile_{row[1]}_removed", {"profile_id": row[0], "note_id": note_id})


def notes_of(conn, record_ids: list[int]) -> list[dict]:
    if not record_ids:
        return []
    marks = ",".join("?" * len(record_ids))
    return [{"id": i, "kind": k, "text": t, "reason": r, "created_at": c} for i, k, t, r, c in conn.execute(
        f"SELECT id, kind, text, reason, created_at FROM profile_notes WHERE record_id IN ({marks})"
        " AND removed_at IS NULL ORDER BY created_at DESC, id DESC", record_ids)]


def edits_of(conn, record_ids: list[int]) -> list[dict]:
    """Every correction, live and withdrawn, newest first (the rectification history)."""
    if not record_ids:
        return []
    marks = ",".join("?" * len(record_ids))
    return [{"id": i, "field": f, "value": v, "reason": r, "edited_at": e, "withdrawn_at": w}
            for i, f, v, r, e, w in conn.execute(
                f"SELECT id, field, value, reason, edited_at, withdrawn_at FROM profile_edits"
                f" WHERE record_id IN ({marks}) ORDER BY edited_at DESC, id DESC", record_ids)]


@dataclass(frozen=True)
class UnsavedEdit:
    """A note, tag, correction or consent statement the owner was typing when the vault locked."""

    profile_id: int | None  # the profile its record is in now; None: it went with its person (erased, undone)
    kind: str
    fields: dict


def keep_unsaved_edit(conn, profile_id: int, kind: str, fields: dict) -> None:
    """Keep what was typed on the profile's anchor record (one at a time: the window has one dialog open)."""
    with_anchor = (anchor_record(conn, profile_id), kind, json.dumps(fields), _now())
    conn.execute("DELETE FROM unsaved_edits")
    conn.execute("INSERT INTO unsaved_edits(record_id, kind, fields, kept_at) VALUES (?, ?, ?, ?)", with_anchor)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (UNSAVED_EDIT_KEPT, json.dumps(kind)))


def take_unsaved_edit(conn) -> UnsavedEdit | None:
    """The kept edit, removed from the vault, with the profile its record is in now (matching may have moved it).
    One that went with its person meanwhile (an erasure, an undone import) comes back with no profile and no
    fields, so that the owner hears what became of it: the setting that says one was kept holds no personal data."""
    row = conn.execute("SELECT u.kind, u.fields, m.profile_id FROM unsaved_edits u"
                       " LEFT JOIN profile_members m ON m.record_id = u.record_id").fetchone()
    kept = conn.execute("SELECT value FROM settings WHERE key = ?", (UNSAVED_EDIT_KEPT,)).fetchone()
    conn.execute("DELETE FROM unsaved_edits")
    conn.execute("DELETE FROM settings WHERE key = ?", (UNSAVED_EDIT_KEPT,))
    if row is not None:
        return UnsavedEdit(row[2], row[0], json.loads(row[1]))
    return UnsavedEdit(None, json.loads(kept[0]), {}) if kept else None
