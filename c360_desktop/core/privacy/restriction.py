"""Restriction of processing (Art. 18) and objection to direct marketing (Art. 21).

A restriction is kept on the profile's anchor record, so it follows the person through later matching
and is erased with them; ``profiles.restricted`` (kept by ``refresh_summaries``) is what analytics and
activation exports filter on. An objection to direct marketing is absolute (Art. 21(3)): it is recorded
as such and every marketing purpose gets a 'withdrawn' statement that wins over older opt-ins. Either ends
when the owner lifts it (the customer withdrew the objection, the disputed data was checked), with a reason
kept beside the first one and an audit entry; consent withdrawn by an objection stays withdrawn until the
customer opts in again.
"""

from __future__ import annotations

from datetime import UTC, datetime

from .. import audit
from ..errors import C360Error
from ..profiles.edits import anchor_record
from ..profiles.summary import refresh_summaries
from .consent import consent_overview, insert_owner_statement, is_marketing, purposes
from .requests import add_action, get_request

OBJECTION_EVIDENCE = "objection (Art. 21)"


class RestrictionError(C360Error):
    pass


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def marketing_purposes(vault) -> list[str]:
    return [p for p in purposes(vault) if is_marketing(p)]


def _add(conn, profile_id: int, kind: str, reason: str, request_id: int | None) -> int:
    if not (reason or "").strip():
        raise RestrictionError("Give a reason (it is kept with the restriction).")
    if request_id is not None:
        get_request(conn, request_id)
    record_id = anchor_record(conn, profile_id)
    restriction_id = conn.execute(
        "INSERT INTO restrictions(record_id, kind, reason, request_id, created_at) VALUES (?,?,?,?,?)",
        (record_id, kind, reason.strip(), request_id, _now())).lastrowid
    if request_id is not None:
        add_action(conn, request_id, "restricted" if kind == "restrict" else "objected",
                   {"profile_id": profile_id, "restriction_id": restriction_id})
    return restriction_id


def restrict_processing(vault, profile_id: int, reason: str, request_id: int | None = None) -> int:
    with vault.transaction() as conn:
        restriction_id = _add(conn, profile_id, "restrict", reason, request_id)
        refresh_summaries(conn, [profile_id], _now())
        audit.append(conn, "processing_restricted", {"profile_id": profile_id, "restriction_id": restriction_id,
                                                     "request_id": request_id})
    return restriction_id


def object_to_marketing(vault, profile_id: int, reason: str, request_id: int | None = None) -> int:
    wanted = marketing_purposes(vault)
    with vault.transaction() as conn:
        members = [r[0] for r in conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?",
                                              (profile_id,))]
        current = consent_overview(conn, members, {p: p for p in wanted})   # before: an objection withdraws all
        restriction_id = _add(conn, profile_id, "object", reason, request_id)
        record_id = anchor_record(conn, profile_id)
        withdrawn = [p for p in wanted if current[p].status != "withdrawn"]
        for purpose in withdrawn:
            insert_owner_statement(conn, record_id, purpose, "withdrawn",
                                   {"reason": reason.strip(), "ground": OBJECTION_EVIDENCE})
        refresh_summaries(conn, [profile_id], _now())
        audit.append(conn, "marketing_objection", {"profile_id": profile_id, "restriction_id": restriction_id,
                                                   "request_id": request_id, "purposes": withdrawn})
    return restriction_id


LIFT_ACTIONS = {"restrict": "restriction_lifted", "object": "objection_withdrawn"}   # kind -> audit action


def _check_lift_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise RestrictionError("Give a reason for lifting it (the person must be told first, Art. 18(3)).")
    return reason.strip()


def _lift(conn, restriction_id: int, reason: str) -> tuple[int, str]:
    """Mark one restriction or objection as ended, inside the caller's transaction; its profile and kind."""
    row = conn.execute(
        "SELECT m.profile_id, x.kind FROM restrictions x JOIN profile_members m ON m.record_id = x.record_id"
        " WHERE x.id = ? AND x.lifted_at IS NULL", (restriction_id,)).fetchone()
    if row is None:
        raise RestrictionError("That restriction no longer exists or was already lifted.")
    conn.execute("UPDATE restrictions SET lifted_at = ?, reason = reason || char(10) || ? WHERE id = ?",
                 (_now(), "Lifted: " + reason, restriction_id))
    audit.append(conn, LIFT_ACTIONS[row[1]], {"profile_id": row[0], "restriction_id": restriction_id})
    return row[0], row[1]


def lift_restriction(vault, restriction_id: int, reason: str) -> None:
    """End a restriction or objection; the reason is kept beside the original one."""
    reason = _check_lift_reason(reason)
    with vault.transaction() as conn:
        profile_id, _kind = _lift(conn, restriction_id, reason)
        refresh_summaries(conn, [profile_id], _now())


def active_restrictions(conn, profile_id: int, kind: str) -> list[int]:
    """The ids of the profile's restrictions (or objections) still in force: after a merge there may be several."""
    return [row[0] for row in conn.execute(
        "SELECT x.id FROM profile_members m JOIN restrictions x ON x.record_id = m.record_id"
        " WHERE m.profile_id = ? AND x.kind = ? AND x.lifted_at IS NULL ORDER BY x.id", (profile_id, kind))]


def lift_profile_restrictions(vault, profile_id: int, kind: str, reason: str) -> list[int]:
    """End every restriction (``kind`` 'restrict') or objection ('object') in force on a profile, as one change.

    Lifting an objection does not give marketing consent back: the withdrawals it recorded stay until the
    customer opts in again, which the owner records as a new consent statement."""
    reason = _check_lift_reason(reason)
    with vault.transaction() as conn:
        lifted = active_restrictions(conn, profile_id, kind)
        if not lifted:
            raise RestrictionError("There is nothing to lift: this customer has no restriction or objection "
                                   "of that kind in force.")
        for restriction_id in lifted:
            _lift(conn, restriction_id, reason)
        refresh_summaries(conn, [profile_id], _now())
    return lifted


def is_restricted(conn, profile_id: int) -> bool:
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM profile_members m JOIN restrictions x ON x.record_id = m.record_id"
        " WHERE m.profile_id = ? AND x.kind = 'restrict' AND x.lifted_at IS NULL)", (profile_id,)).fetchone()[0] == 1
