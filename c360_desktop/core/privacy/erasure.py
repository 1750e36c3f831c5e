"""Erasure (Art. 17): everything held about one person goes, and the freed pages keep nothing of it.

Deleting the member records cascades (foreign keys) to their keys, file rows, history, search terms,
consent statements, match pairs and decisions, field preferences, corrections, notes, restrictions and
events (with the events' rows and history). The profile row goes with its membership. Before that the
person's identifiers are added to the suppression list (keyed hashes only), so re-importing an old
export skips their rows; identifiers other customers' records still carry (a household landline, a shared
mailbox) are left out, and only their count is recorded, so the others' future rows still import. Orders
the law makes the shop keep (invoices) can be kept anonymised instead: amount, currency, date, order
number and items stay, the link to the person and the raw row do not.

The connection runs with ``secure_delete=ON``, so SQLite overwrites deleted cells and freed pages with
zeros; a WAL checkpoint with TRUNCATE then copies those pages into the main file and empties the WAL,
whose old frames would otherwise still hold the person's rows. The encrypted safety copies made before
schema migrations (beside the vault file) are deleted too: they hold everyone as they were.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from .. import audit
from ..errors import C360Error
from ..ingest.fields import BY_NAME, PHONE_FIELDS
from ..ingest.normalise import normalise_email
from ..ingest.rows import norm_items
from ..profiles.profile import ProfileNotFound
from .requests import add_action, get_request
from .suppression import Suppressor

SETTING_KEEP_INVOICES = "erasure_keep_invoices"
KEPT_EVENT_KINDS = ("order",)
KEPT_DATA_FIELDS = frozenset(name for name, spec in BY_NAME.items() if spec.group == "order" and spec.category in
                             ("none", "payment")) | {"currency_from_amount"}
KEPT_ITEM_KEYS = ("name", "sku", "quantity", "price")


class ErasureError(C360Error):
    pass


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _marks(ids) -> str:
    return ",".join("?" * len(ids))


def member_ids(conn, profile_id: int) -> list[int]:
    ids = [r[0] for r in conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?", (profile_id,))]
    if not ids:
        raise ProfileNotFound(f"There is no profile number {profile_id} (it may have been merged, split or erased).")
    return ids


def _count(conn, sql: str, ids: list[int]) -> int:
    return conn.execute(sql.format(marks=_marks(ids)), ids * sql.count("{marks}")).fetchone()[0]


_PREVIEW_SQL = {
    "source_records": "SELECT count(*) FROM source_records WHERE id IN ({marks})",
    "events": "SELECT count(*) FROM events WHERE record_id IN ({marks})",
    "consents": "SELECT count(*) FROM consents WHERE record_id IN ({marks})",
    "decisions": "SELECT count(*) FROM match_decisions WHERE left_id IN ({marks}) OR right_id IN ({marks})",
    "pairs": "SELECT count(*) FROM match_pairs WHERE left_id IN ({marks}) OR right_id IN ({marks})",
    "search_terms": "SELECT count(*) FROM search_terms WHERE record_id IN ({marks})",
    "notes": "SELECT (SELECT count(*) FROM profile_notes WHERE record_id IN ({marks}))"
             " + (SELECT count(*) FROM unsaved_edits WHERE record_id IN ({marks}))",
    "corrections": "SELECT count(*) FROM profile_edits WHERE record_id IN ({marks})",
    "restrictions": "SELECT count(*) FROM restrictions WHERE record_id IN ({marks})",
    "history_versions": "SELECT (SELECT count(*) FROM record_history WHERE record_id IN ({marks}))"
                        " + (SELECT count(*) FROM event_history h JOIN events e ON e.id = h.event_id"
                        " WHERE e.record_id IN ({marks}))",
}


def erasure_preview(conn, profile_id: int, keep_invoices: bool = False) -> dict[str, int]:
    """What erasing this profile removes, per kind (the confirmation names these counts); with
    ``keep_invoices``, the orders kept anonymised are counted apart from the events that go."""
    ids = member_ids(conn, profile_id)
    counts = {kind: _count(conn, sql, ids) for kind, sql in _PREVIEW_SQL.items()}
    counts["kept_invoices"] = _kept_count(conn, ids) if keep_invoices else 0
    counts["events"] -= counts["kept_invoices"]
    return counts


def preview_with_copies(vault, profile_id: int, keep_invoices: bool = False) -> dict[str, int]:
    """The preview, plus the pre-migration safety copies of the vault that erasing will delete."""
    return {**erasure_preview(vault.conn, profile_id, keep_invoices), "safety_copies": len(vault.safety_copies())}


def erasure_counts(vault, profile_id: int, keep_invoices: bool) -> dict[str, int]:
    """What the confirmation names, counted as the receipt will count it: the preview with the safety copies,
    the identifiers that stay as keyed hashes and those left off because others share them, and how many of
    the person's activities are orders (``orders``: they go, or are kept anonymised with ``keep_invoices``)."""
    ids = member_ids(vault.conn, profile_id)
    identifiers, shared = identifiers_to_suppress(vault.conn, ids)
    return {**preview_with_copies(vault, profile_id, keep_invoices), "suppressed_identifiers": len(identifiers),
            "shared_identifiers_left_out": shared, "orders": _kept_count(vault.conn, ids)}


def _kept_count(conn, ids: list[int]) -> int:
    kinds = ",".join(f"'{k}'" for k in KEPT_EVENT_KINDS)
    return _count(conn, f"SELECT count(*) FROM events WHERE record_id IN ({{marks}}) AND kind IN ({kinds})", ids)


# ----------------------------------------------------------------------------- identifiers

def _identifiers_of_norm(source: str, norm_json: str) -> set[tuple[str, str]]:
    """The identifiers the importer checks (``InterpretedRow.identifiers``), read back from stored values;
    emails both as canonical matching key and as written."""
    found = set()
    for field_name, _raw, value, key, _quality, _detail in norm_items(norm_json):
        if field_name == "email" and key:
            found |= {("email", key), ("email", value)}
        elif field_name in PHONE_FIELDS and value:
            found.add(("phone", value))
        elif field_name in ("source_record_id", "customer_ref") and value:
            found.add(("id", f"{source}:{value}"))
    return found


def person_identifiers(conn, record_ids: list[int]) -> list[tuple[str, str]]:
    """Every email, phone and tool id of these records, in their current and every earlier version."""
    found: set[tuple[str, str]] = set()
    sources = {}
    for record_id, source, source_record_id, norm in conn.execute(
            f"SELECT id, source, source_record_id, norm FROM source_records WHERE id IN ({_marks(record_ids)})",
            record_ids):
        sources[record_id] = source
        found.add(("id", f"{source}:{source_record_id}"))
        found |= _identifiers_of_norm(source, norm)
    for record_id, previous in conn.execute(
            f"SELECT record_id, previous FROM record_history WHERE record_id IN ({_marks(record_ids)})", record_ids):
        norm = json.loads(previous).get("norm")
        if norm:
            found |= _identifiers_of_norm(sources[record_id], norm)
    return sorted(found | _corrected_identifiers(conn, record_ids))


def _corrected_identifiers(conn, record_ids: list[int]) -> set[tuple[str, str]]:
    """Emails and phones the owner corrected on the profile (stored normalised): a later export of a tool the
    owner had updated to match carries them, and must not bring the person back."""
    found = set()
    for field_name, value in conn.execute(
            f"SELECT field, value FROM profile_edits WHERE record_id IN ({_marks(record_ids)})"
            " AND field IN ('email', 'phone')", record_ids):
        if field_name == "phone":
            found.add(("phone", value))
            continue
        found.add(("email", value))
        key = normalise_email(value).key
        if key:
            found.add(("email", key))
    return found


_SHARED_SQL = {
    "email": "SELECT record_id FROM record_keys WHERE kind IN ('email', 'email_exact') AND key = ?",
    "phone": "SELECT record_id FROM record_keys WHERE kind = 'phone' AND key = ?",
}


def _carried_by_others(conn, kind: str, value: str, own: set[int]) -> bool:
    """Emails and phones can be shared; a tool's id or a record key names one record (unique per tool)."""
    if kind not in _SHARED_SQL:
        return False
    return any(record_id not in own for (record_id,) in conn.execute(_SHARED_SQL[kind], (value,)))


def identifiers_to_suppress(conn, record_ids: list[int]) -> tuple[list[tuple[str, str]], int]:
    """The person's identifiers to put on the suppression list, and how many were left out because records
    outside ``record_ids`` (other customers: a household landline, a shared shop mailbox) still carry them:
    suppressing those would silently drop the other customers' future rows. The person's own email, phone,
    tool ids and record keys stay, so their old rows (even ones that also carry a shared value) are still
    skipped on a re-import."""
    own = set(record_ids)
    kept, shared = [], 0
    for kind, value in person_identifiers(conn, record_ids):
        if not value:
            continue
        if _carried_by_others(conn, kind, value, own):
            shared += 1
        else:
            kept.append((kind, value))
    return kept, shared


# ----------------------------------------------------------------------------- erasing

def _anonymise_invoices(conn, ids: list[int]) -> int:
    """Orders stay for the accounts: no person, no raw row, no history; only order fields and items."""
    kinds = ",".join(f"'{k}'" for k in KEPT_EVENT_KINDS)
    kept = conn.execute(f"SELECT id, data FROM events WHERE record_id IN ({_marks(ids)}) AND kind IN ({kinds})",
                        ids).fetchall()
    for event_id, data_json in kept:
        conn.execute("DELETE FROM event_history WHERE event_id = ?", (event_id,))
        conn.execute("UPDATE events SET record_id = NULL, raw = '[]', data = ? WHERE id = ?",
                     (json.dumps(_anonymised(json.loads(data_json or "{}")), ensure_ascii=False), event_id))
    return len(kept)


def _anonymised(data: dict) -> dict:
    kept = {key: value for key, value in data.items() if key in KEPT_DATA_FIELDS}
    kept["items"] = [{k: v for k, v in item.items() if k in KEPT_ITEM_KEYS} for item in data.get("items", [])]
    return kept


def _delete_person(conn, profile_id: int, ids: list[int]) -> None:
    conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        conn.execute(f"DELETE FROM source_records WHERE id IN ({_marks(chunk)})", chunk)


def _check_reference(reference: str | None) -> str | None:
    reference = (reference or "").strip() or None
    if reference and "@" in reference:
        raise ErasureError("The reference looks like an email address: use a request or ticket number, "
                           "since the receipt must hold no personal data.")
    return reference


def keeps_invoices(vault, keep_invoices: bool | None = None) -> bool:
    """The caller's choice, else the vault's setting (off unless the owner turned it on)."""
    return bool(vault.setting(SETTING_KEEP_INVOICES, False)) if keep_invoices is None else keep_invoices


def erase_profile(vault, profile_id: int, *, reference: str | None = None, request_id: int | None = None,
                  keep_invoices: bool | None = None) -> dict:
    """Erase one person; returns the receipt (id, erased_at, reference, counts, kept), which holds no PII, and
    ``pages_scrubbed``: False when another connection's open read kept the WAL from being emptied (it is
    emptied when the vault locks)."""
    reference = _check_reference(reference)
    keep = keeps_invoices(vault, keep_invoices)
    with vault.transaction() as conn:
        if request_id is not None:
            get_request(conn, request_id)
        ids = member_ids(conn, profile_id)
        counts = {**erasure_preview(conn, profile_id, keep), "safety_copies": len(vault.safety_copies())}
        identifiers, shared = identifiers_to_suppress(conn, ids)
        counts["suppressed_identifiers"] = Suppressor(conn).add(conn, identifiers, reference)
        counts["shared_identifiers_left_out"] = shared
        kept = {"orders": _anonymise_invoices(conn, ids)} if keep else {}
        _delete_person(conn, profile_id, ids)
        receipt = _write_receipt(conn, reference, request_id, counts, kept)
        if request_id is not None:
            add_action(conn, request_id, "erased", {"profile_id": profile_id, "receipt_id": receipt["id"]})
        audit.append(conn, "profile_erased", {"profile_id": profile_id, "receipt_id": receipt["id"],
                                              "request_id": request_id, "counts": counts, "kept": kept})
    vault.delete_safety_copies()   # encrypted copies made before a migration still hold the person
    return {**receipt, "pages_scrubbed": scrub_freed_pages(vault.conn)}


def _write_receipt(conn, reference, request_id, counts: dict, kept: dict) -> dict:
    if kept:
        kept = {**kept, "why": "kept anonymised for the accounts (a legal obligation, Art. 17(3)(b)):"
                               " amount, currency, date, order number and items, with no link to the person"}
    erased_at = _now()
    receipt_id = conn.execute(
        "INSERT INTO erasures(erased_at, reference, request_id, counts, kept) VALUES (?,?,?,?,?)",
        (erased_at, reference, request_id, json.dumps(counts), json.dumps(kept))).lastrowid
    return {"id": receipt_id, "erased_at": erased_at, "reference": reference, "request_id": request_id,
            "counts": counts, "kept": kept}


def scrub_freed_pages(conn, wait_ms: int = 1000) -> bool:
    """Copy the zeroed pages into the main file and empty the WAL. False when another connection still
    reads an older snapshot (an open cursor) after ``wait_ms``: call again once it is done; locking the
    vault finishes it in any case."""
    previous = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}").fetchall()
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(previous)}").fetchall()
    return busy == 0


def erasure_receipts(conn) -> list[dict]:
    return [{"id": i, "erased_at": at, "reference": ref, "request_id": req, "counts": json.loads(counts),
             "kept": json.loads(kept)} for i, at, ref, req, counts, kept in conn.execute(
        "SELECT id, erased_at, reference, request_id, counts, kept FROM erasures ORDER BY id DESC")]
