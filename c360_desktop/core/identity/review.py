"""The review queue and the owner's decisions: merge, not the same person, undo, split.

Every decision is stored (it wins over the algorithm on every later match),
audited without personal data, and applied at once to the profiles involved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import audit
from ..errors import C360Error
from ..ingest.rows import norm_items
from .engine import Decisions, MatchSettings, recluster
from .records import load_records


class ReviewError(C360Error):
    pass


@dataclass(frozen=True)
class PendingPair:
    id: int
    left_id: int
    right_id: int
    probability: float
    reason: str | None


ORDERS = {
    "useful": "abs(p.probability - 0.5) ASC, p.id",  # the most uncertain first
    "score": "p.probability DESC, p.id",
    "recent": "p.updated_at DESC, p.id",
    "source": "l.source, r.source, abs(p.probability - 0.5) ASC, p.id",  # by tool, most uncertain first within
}


HELD = "(p.guard IS NOT NULL OR p.reason IS NOT NULL)"   # a guard holds it: only a person decides, pair by pair


def _where(min_score: float, max_score: float, source: str | None, held: bool | None) -> tuple[str, list]:
    where = "p.status = 'pending' AND p.probability BETWEEN ? AND ?"
    params: list = [min_score, max_score]
    if source:
        where += " AND (l.source = ? OR r.source = ?)"
        params += [source, source]
    if held is not None:
        where += f" AND {'' if held else 'NOT '}{HELD}"
    return where, params


def pending_pairs(conn, limit: int = 100, offset: int = 0, order: str = "useful", min_score: float = 0.0,
                  max_score: float = 1.0, source: str | None = None, held: bool | None = None) -> list[PendingPair]:
    """Pairs waiting for a decision; ``held`` False: only those no guard holds (what a bulk merge may take)."""
    where, params = _where(min_score, max_score, source, held)
    rows = conn.execute(
        f"SELECT p.id, p.left_id, p.right_id, p.probability, coalesce(p.reason, p.guard) FROM match_pairs p"
        f" JOIN source_records l ON l.id = p.left_id JOIN source_records r ON r.id = p.right_id"
        f" WHERE {where} ORDER BY {ORDERS[order]}"
        f" LIMIT ? OFFSET ?", params + [limit, offset]).fetchall()
    return [PendingPair(*row) for row in rows]


def still_pending(conn, pair_ids: list[int]) -> set[int]:
    """Which of these pairs still wait for a decision."""
    found: set[int] = set()
    for start in range(0, len(pair_ids), 500):
        chunk = pair_ids[start:start + 500]
        found |= {r[0] for r in conn.execute(
            f"SELECT id FROM match_pairs WHERE status = 'pending' AND id IN ({','.join('?' * len(chunk))})", chunk)}
    return found


def _pair(conn, pair_id: int) -> tuple[int, int, str]:
    row = conn.execute("SELECT left_id, right_id, status FROM match_pairs WHERE id = ?", (pair_id,)).fetchone()
    if row is None:
        raise ReviewError(f"There is no candidate pair number {pair_id} (it may have been decided or re-matched).")
    return row


def decide(vault, pair_id: int, decision: str, origin: str = "review") -> dict:
    """``merge`` or ``reject`` one candidate pair; returns the profiles it now belongs to."""
    if decision not in ("merge", "reject"):
        raise ReviewError("A decision is either merge or reject.")
    with vault.transaction() as conn:
        left, right, status = _pair(conn, pair_id)
        if status == ("rejected" if decision == "reject" else "merged"):   # an earlier decision said so already
            return _placed(conn, [left, right])
        if status != "pending":
            raise ReviewError(_settled_already(conn, left, right))
        decision_id = record_decision(conn, left, right, decision, origin)
        conn.execute("UPDATE match_pairs SET status = ?, reason = NULL WHERE id = ?",
                     ("merged" if decision == "merge" else "rejected", pair_id))
        others = _reject_between_profiles(conn, left, right, decision_id, origin) if decision == "reject" else []
        profiles = regroup(vault, conn, [left, right, *others])
        audit.append(conn, "review_" + decision, {"pair_id": pair_id, "origin": origin})
    return profiles


def _placed(conn, record_ids: list[int]) -> dict:
    return dict(conn.execute(f"SELECT record_id, profile_id FROM profile_members WHERE record_id IN"
                             f" ({','.join('?' * len(record_ids))})", record_ids).fetchall())


def _settled_already(conn, left: int, right: int) -> str:
    """Why a pair shown a moment ago can no longer be decided: a decision on another pair (a merge that joined
    the two records through other links) or a new match settled it. Deciding it anyway would undo that."""
    together = conn.execute(
        "SELECT count(DISTINCT profile_id) = 1 FROM profile_members WHERE record_id IN (?, ?)", (left, right)).fetchone()[0]
    where = "in one profile" if together else "in different profiles"
    return (f"This pair no longer waits for a decision: an earlier decision or a new match settled it, and the two "
            f"records are now {where}. To separate or join them, use the profile or the decision history.")


def _reject_between_profiles(conn, left: int, right: int, decision_id: int, origin: str) -> list[int]:
    """"Not the same person" is said of two people: the other pending pairs between the two records' profiles
    (Tom's and Emily's records from every tool, one pair for each combination) are kept apart with it, as
    follow-ons of ``decision_id``. Returns their records."""
    profiles = dict(conn.execute("SELECT record_id, profile_id FROM profile_members WHERE record_id IN (?, ?)",
                                 (left, right)).fetchall())
    if len(set(profiles.values())) != 2:
        return []
    pairs = conn.execute(
        "SELECT p.id, p.left_id, p.right_id FROM match_pairs p"
        " JOIN profile_members a ON a.record_id = p.left_id JOIN profile_members b ON b.record_id = p.right_id"
        " WHERE p.status = 'pending' AND ((a.profile_id = ? AND b.profile_id = ?) OR (a.profile_id = ? AND"
        " b.profile_id = ?))", (profiles[left], profiles[right], profiles[right], profiles[left])).fetchall()
    for pair_id, pair_left, pair_right in pairs:
        record_decision(conn, pair_left, pair_right, "reject", origin, with_decision=decision_id)
        conn.execute("UPDATE match_pairs SET status = 'rejected', reason = NULL WHERE id = ?", (pair_id,))
    return sorted({record for _, pair_left, pair_right in pairs for record in (pair_left, pair_right)})


def record_decision(conn, left: int, right: int, decision: str, origin: str, with_decision: int | None = None) -> int:
    left, right = min(left, right), max(left, right)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    conn.execute("UPDATE match_decisions SET undone_at = ? WHERE left_id = ? AND right_id = ? AND undone_at IS NULL",
                 (now, left, right))
    return conn.execute(
        "INSERT INTO match_decisions(left_id, right_id, decision, origin, decided_at, with_decision)"
        " VALUES (?,?,?,?,?,?)", (left, right, decision, origin, now, with_decision)).lastrowid


def undo_last_decision(vault) -> dict | None:
    """Take back the most recent standing decision (Ctrl+Z in the review screen), with its follow-ons."""
    with vault.transaction() as conn:
        row = conn.execute("SELECT id, left_id, right_id FROM match_decisions WHERE undone_at IS NULL"
                           " AND with_decision IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return _undo(vault, conn, *row)


def undo_decision(vault, decision_id: int) -> dict:
    with vault.transaction() as conn:
        row = conn.execute("SELECT id, left_id, right_id FROM match_decisions WHERE id = ? AND undone_at IS NULL"
                           " AND with_decision IS NULL", (decision_id,)).fetchone()
        if row is None:
            raise ReviewError(f"There is no standing decision number {decision_id}.")
        return _undo(vault, conn, *row)


def _undo(vault, conn, decision_id: int, left: int, right: int) -> dict:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    follow_ons = conn.execute("SELECT left_id, right_id FROM match_decisions WHERE with_decision = ?"
                              " AND undone_at IS NULL", (decision_id,)).fetchall()
    conn.execute("UPDATE match_decisions SET undone_at = ? WHERE (id = ? OR with_decision = ?) AND undone_at IS NULL",
                 (now, decision_id, decision_id))
    for pair_left, pair_right in [(left, right), *follow_ons]:
        conn.execute("UPDATE match_pairs SET status = 'pending' WHERE left_id = ? AND right_id = ?"
                     " AND status IN ('merged', 'rejected')", (pair_left, pair_right))
    records = {record for pair in follow_ons for record in pair}
    profiles = regroup(vault, conn, [left, right, *_linked_partners(conn, left, right), *sorted(records)])
    audit.append(conn, "review_undone", {"decision_id": decision_id})
    return profiles


def _linked_partners(conn, left: int, right: int) -> list[int]:
    """The records either side has a stored pair with: a merge may have taken a record out of the profile it
    was linked into (that link then waits as 'pending', refused by the chaining guard), and undoing the
    merge must re-cluster that profile too, so the record can go back."""
    return [partner for (partner,) in conn.execute(
        "SELECT CASE WHEN left_id IN (?, ?) THEN right_id ELSE left_id END FROM match_pairs"
        " WHERE (left_id IN (?, ?) OR right_id IN (?, ?)) AND status IN ('linked', 'merged', 'pending')",
        (left, right, left, right, left, right))]


def split_record(vault, record_id: int) -> dict:
    """Take one record out of its profile: "not the same person" against every other member, remembered."""
    with vault.transaction() as conn:
        row = conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()
        if row is None:
            raise ReviewError("That record is not in any profile yet; run matching first.")
        others = [r[0] for r in conn.execute(
            "SELECT record_id FROM profile_members WHERE profile_id = ? AND record_id != ?", (row[0], record_id))]
        if not others:
            raise ReviewError("That record is already alone in its profile.")
        for other in others:
            record_decision(conn, record_id, other, "reject", "split")
        conn.execute("UPDATE match_pairs SET status = 'rejected' WHERE (left_id = ? OR right_id = ?)"
                     " AND status != 'merged'", (record_id, record_id))
        profiles = regroup(vault, conn, [record_id] + others)
        audit.append(conn, "record_split", {"record_id": record_id, "from_profile": row[0]})
    return profiles


def regroup(vault, conn, record_ids: list[int]) -> dict:
    """Re-cluster the profiles these records belong to, with every standing decision among them."""
    profile_ids = {r[0] for r in conn.execute(
        f"SELECT DISTINCT profile_id FROM profile_members WHERE record_id IN ({','.join('?' * len(record_ids))})",
        record_ids)}
    members = [r[0] for r in conn.execute(
        f"SELECT record_id FROM profile_members WHERE profile_id IN ({','.join('?' * len(profile_ids))})",
        list(profile_ids))] if profile_ids else list(record_ids)
    settings = MatchSettings.load(vault)
    records = load_records(conn, members, rules=settings.rules)
    previous = {rid: (pid, digest) for rid, pid, digest in conn.execute(
        "SELECT m.record_id, m.profile_id, m.matched_hash FROM profile_members m"
        " WHERE m.record_id IN (SELECT id FROM selected_records)")}
    decisions = _decisions_among(conn, records)
    _recluster_subset(conn, records, settings, decisions, previous)
    return _placed(conn, record_ids)


def _decisions_among(conn, records) -> Decisions:
    by_pair = {}
    for left, right, decision in conn.execute(
        "SELECT left_id, right_id, decision FROM match_decisions WHERE undone_at IS NULL"
        " AND left_id IN (SELECT id FROM selected_records) AND right_id IN (SELECT id FROM selected_records)"
        " ORDER BY id"):
        by_pair[(records.position[left], records.position[right])] = decision
    return Decisions(by_pair)


def _recluster_subset(conn, records, settings, decisions, previous) -> None:
    """``recluster`` restricted to a closed set of records: pairs leaving it keep their status."""
    inside = (" AND left_id IN (SELECT id FROM selected_records)"
              " AND right_id IN (SELECT id FROM selected_records)")
    recluster(conn, records, settings, decisions, previous, scope=inside)


def count_pending(conn, min_score: float = 0.0, max_score: float = 1.0, source: str | None = None,
                  held: bool | None = None) -> int:
    where, params = _where(min_score, max_score, source, held)
    return conn.execute(
        "SELECT count(*) FROM match_pairs p JOIN source_records l ON l.id = p.left_id"
        f" JOIN source_records r ON r.id = p.right_id WHERE {where}", params).fetchone()[0]


def bulk_decide(vault, decision: str, min_score: float, max_score: float, source: str | None = None) -> int:
    """Merge (or reject) every pending pair in the score range: one transaction, one audit entry. A bulk
    merge leaves out the pairs a guard holds (different first names or birth dates, a shared mailbox…):
    their score says nothing about what holds them, so they are decided one by one."""
    if decision not in ("merge", "reject"):
        raise ReviewError("A decision is either merge or reject.")
    with vault.transaction() as conn:
        pairs = pending_pairs(conn, limit=1_000_000, min_score=min_score, max_score=max_score, source=source,
                              held=False if decision == "merge" else None)
        for pair in pairs:
            record_decision(conn, pair.left_id, pair.right_id, decision, "bulk")
        conn.executemany("UPDATE match_pairs SET status = ?, reason = NULL WHERE id = ?",
                         [("merged" if decision == "merge" else "rejected", pair.id) for pair in pairs])
        touched = sorted({rid for pair in pairs for rid in (pair.left_id, pair.right_id)})
        if touched:
            regroup(vault, conn, touched)
        audit.append(conn, "review_bulk_" + decision, {"pairs": len(pairs), "min_score": min_score,
                                                       "max_score": max_score})
    return len(pairs)


@dataclass(frozen=True)
class DecisionSummary:
    id: int
    left_id: int
    right_id: int
    decision: str
    origin: str
    decided_at: str
    undone_at: str | None
    follow_ons: int = 0   # the other pairs between the two profiles a "not the same person" decided with it


def decision_history(conn, limit: int = 200, record_id: int | None = None) -> list[DecisionSummary]:
    where, params = "WHERE d.with_decision IS NULL", []
    if record_id is not None:
        where, params = where + " AND (d.left_id = ? OR d.right_id = ?)", [record_id, record_id]
    rows = conn.execute(
        "SELECT d.id, d.left_id, d.right_id, d.decision, d.origin, d.decided_at, d.undone_at,"
        " (SELECT count(*) FROM match_decisions f WHERE f.with_decision = d.id)"
        f" FROM match_decisions d {where} ORDER BY d.id DESC LIMIT ?", params + [limit]).fetchall()
    return [DecisionSummary(*row) for row in rows]


def decided_today(conn) -> int:
    today = datetime.now(timezone.utc).date().isoformat()
    return conn.execute("SELECT count(*) FROM match_decisions WHERE decided_at >= ? AND undone_at IS NULL"
                        " AND with_decision IS NULL", (today,)).fetchone()[0]


def prefer_value(vault, record_id: int, field: str) -> None:
    """For ``field``, this record's value wins in its profile (chosen in review or on the profile)."""
    with vault.transaction() as conn:
        conn.execute("INSERT INTO field_preferences(record_id, field, decided_at) VALUES (?,?,?)"
                     " ON CONFLICT(record_id, field) DO UPDATE SET decided_at = excluded.decided_at",
                     (record_id, field, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        row = conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()
        if row:
            from ..profiles.summary import refresh_summaries

            refresh_summaries(conn, [row[0]], datetime.now(timezone.utc).isoformat(timespec="seconds"))
        audit.append(conn, "value_preferred", {"record_id": record_id, "field": field})


# ---------------------------------------------------------------------------- reading records for the review screen

PHONE_KINDS = {"phone": "", "phone_mobile": "mobile", "phone_home": "home", "phone_work": "work",
               "shipping_phone": "shipping"}
_CARD_COLUMNS = ("id", "source", "source_record_id", "origin", "file_name", "row_number", "display_name",
                 "first_name", "last_name", "email", "phone", "postal_code", "city", "country", "birth_date",
                 "company", "address_key", "created_at", "updated_at")


def _column_of(raw: dict, cell: str | None) -> str | None:
    """The header of the file column this raw value was read from (the cell itself, or a part of it)."""
    if not cell:
        return None
    for header, value in raw.items():
        if value == cell:
            return header
    for header, value in raw.items():
        if isinstance(value, str) and cell in value:
            return header
    return None


def record_card(conn, record_id: int) -> dict:
    """One record as the review screen shows it: its columns, every value with the raw cell it came
    from (header, file, row), all its emails and phones, the rows that fed it and its profile.

    ``values`` maps each normalised field to ``[{"value", "raw", "key", "column", "quality"}]``;
    ``emails`` and ``phones`` list every address and number of the record (``key`` is the matching
    key: the canonical address, the E.164 number), the one in the record's main column first.
    """
    row = conn.execute(f"SELECT {', '.join(_CARD_COLUMNS)}, raw, norm FROM source_records WHERE id = ?",
                       (record_id,)).fetchone()
    if row is None:
        raise ReviewError(f"There is no record number {record_id} (its import may have been undone).")
    card = dict(zip(_CARD_COLUMNS, row[:len(_CARD_COLUMNS)]))
    try:
        raw = json.loads(row[-2]) or {}
        norm = norm_items(row[-1])
    except (TypeError, ValueError):
        raw, norm = {}, []
    values: dict[str, list[dict]] = {}
    for item in norm:
        field_name, raw_value, value, key, quality, _detail = item
        values.setdefault(field_name, []).append({"value": value, "raw": raw_value, "key": key,
                                                  "column": _column_of(raw, raw_value), "quality": quality})
    card["values"] = values
    keys = conn.execute("SELECT kind, key FROM record_keys WHERE record_id = ? ORDER BY kind, key",
                        (record_id,)).fetchall()

    def first_value(fields, wanted):
        for field_name in fields:
            for item in values.get(field_name, []):
                if item["value"] == wanted:
                    return field_name, item
        return None, None

    emails = []
    for kind, exact in keys:
        if kind != "email_exact":
            continue
        _field, item = first_value(("email",), exact)
        item = item or {}
        emails.append({"value": exact, "raw": item.get("raw") or exact, "column": item.get("column"),
                       "key": item.get("key") or exact})
    phones = []
    for kind, number in keys:
        if kind != "phone":
            continue
        field_name, item = first_value(tuple(PHONE_KINDS), number)
        item = item or {}
        phones.append({"value": number, "raw": item.get("raw") or number, "column": item.get("column"),
                       "key": number, "kind": PHONE_KINDS.get(field_name or "phone", "")})
    emails.sort(key=lambda e: e["value"] != card["email"])
    phones.sort(key=lambda p: p["value"] != card["phone"])
    card["emails"], card["phones"] = emails, phones
    card["rows"] = [{"file_name": f, "row_number": n} for f, n in conn.execute(
        "SELECT file_name, row_number FROM record_rows WHERE record_id = ? ORDER BY file_name, row_number",
        (record_id,))] or [{"file_name": card["file_name"], "row_number": card["row_number"]}]
    member = conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()
    card["profile_id"] = member[0] if member else None
    created = values.get("created_at") or []
    card["created_in_source"] = created[0]["value"] if created else None
    return card


def record_labels(conn, record_ids) -> dict[int, dict]:
    """Name, first email and phone, and tool of many records at once (one query per 500), for lists."""
    ids = sorted({int(i) for i in record_ids})
    labels: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for rid, name, email, phone, source, updated in conn.execute(
                "SELECT id, display_name, email, phone, source, updated_at FROM source_records"
                f" WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            labels[rid] = {"name": name, "email": email, "phone": phone, "source": source, "updated_at": updated}
    return labels


def pending_sources(conn) -> list[tuple[str, int]]:
    """The tools that appear in pending pairs, with how many pending pairs involve each (for a filter)."""
    return [(source, count) for source, count in conn.execute(
        "SELECT source, count(DISTINCT pair_id) AS pairs FROM ("
        " SELECT p.id AS pair_id, s.source AS source FROM match_pairs p JOIN source_records s ON s.id = p.left_id"
        " WHERE p.status = 'pending'"
        " UNION ALL SELECT p.id, s.source FROM match_pairs p JOIN source_records s ON s.id = p.right_id"
        " WHERE p.status = 'pending') GROUP BY source ORDER BY pairs DESC, source")]


def pair_between(conn, left_id: int, right_id: int) -> PendingPair | None:
    """The stored candidate pair of these two records, if it is waiting for review."""
    left_id, right_id = min(left_id, right_id), max(left_id, right_id)
    row = conn.execute("SELECT id, left_id, right_id, probability, reason FROM match_pairs"
                       " WHERE left_id = ? AND right_id = ? AND status = 'pending'", (left_id, right_id)).fetchone()
    return PendingPair(*row) if row else None
