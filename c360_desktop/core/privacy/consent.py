"""Consent as a ledger of statements; the current status per purpose is derived, never stored alone.

A statement says: for this purpose, this status (granted, denied, withdrawn, unknown), stated by this
tool (or the owner), at this time, with this evidence. The current status is the most recent statement,
with these protections: "unknown" is the absence of information, so it never replaces a known statement (it
is the status only while nothing else is known); a grant whose tool gave no time (an old export read again)
never overrides a withdrawal or a denial; and a withdrawal (an unsubscribe, an Art. 21 objection) is only
undone by a later, dated grant (a re-subscription). When the tools' latest statements disagree the conflict
stays visible; the owner's own statements (an objection, what a customer said on the phone) are not a tool's,
so they decide without being shown as a disagreement.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .. import audit
from ..errors import C360Error
from ..ingest.normalise import fold

PURPOSES = {"email_marketing": "Email marketing", "sms_marketing": "SMS marketing",
            "postal_marketing": "Postal marketing", "profiling": "Profiling / analytics"}
STATUSES = ("granted", "denied", "withdrawn", "unknown")
LEGAL_BASES = ("consent", "contract", "legal_obligation", "legitimate_interest")
SETTING_PURPOSES = "consent_purposes"
NEGATIVE = ("denied", "withdrawn")
OWNER_SOURCE = "manual"   # the source of the owner's own statements


class ConsentError(C360Error):
    pass


@dataclass(frozen=True)
class Statement:
    id: int
    record_id: int | None
    purpose: str
    status: str
    legal_basis: str | None
    stated_at: str | None
    source: str
    import_id: int | None
    evidence: dict
    recorded_at: str

    @property
    def effective_at(self) -> str:
        return self.stated_at or self.recorded_at

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PurposeStatus:
    purpose: str
    label: str
    status: str = "unknown"
    current: Statement | None = None
    conflict: bool = False           # the tools' latest statements disagree
    history: list[Statement] = field(default_factory=list)   # newest first

    def to_json(self) -> dict:
        return {"purpose": self.purpose, "label": self.label, "status": self.status, "conflict": self.conflict,
                "current": self.current.to_json() if self.current else None,
                "history": [s.to_json() for s in self.history]}


def purposes(vault=None) -> dict[str, str]:
    """The purposes the shop records consent for: the four standard ones plus the owner's own."""
    extra = (vault.setting(SETTING_PURPOSES, {}) or {}) if vault is not None else {}
    return {**PURPOSES, **extra}


def add_purpose(vault, label: str) -> str:
    """A purpose of the shop's own (e.g. "Loyalty programme"); returns its key. Audited."""
    label = " ".join(label.split())
    key = re.sub(r"[^a-z0-9]+", "_", fold(label)).strip("_")
    if not key or len(label) > 60:
        raise ConsentError("Name the purpose in a few words (at most 60 characters).")
    if key in purposes(vault):
        raise ConsentError(f"There is already a purpose called {purposes(vault)[key]!r}.")
    extra = dict(vault.setting(SETTING_PURPOSES, {}) or {})
    extra[key] = label
    vault.set_setting(SETTING_PURPOSES, extra)
    vault.audit("consent_purpose_added", {"purpose": key})
    return key


def remove_purpose(vault, key: str) -> None:
    """Stop offering a purpose of the shop's own; statements already recorded for it are kept and shown."""
    if key in PURPOSES:
        raise ConsentError("The four standard purposes cannot be removed.")
    extra = dict(vault.setting(SETTING_PURPOSES, {}) or {})
    if extra.pop(key, None) is not None:
        vault.set_setting(SETTING_PURPOSES, extra)
        vault.audit("consent_purpose_removed", {"purpose": key})


def current_status(statements: list[Statement]) -> tuple[Statement | None, bool]:
    """The statement in force, and whether the tools' latest statements disagree (the owner is not a tool)."""
    ordered = sorted(statements, key=lambda s: (s.effective_at, s.id))
    current = None
    for statement in ordered:
        if current is not None and not _replaces(statement, current):
            continue
        current = statement
    latest_by_source: dict[str, str] = {}
    for statement in ordered:
        if statement.status != "unknown" and statement.source != OWNER_SOURCE:
            latest_by_source[statement.source] = statement.status
    return current, len(set(latest_by_source.values())) > 1


def _replaces(statement: Statement, current: Statement) -> bool:
    """Whether a later ``statement`` takes over from the ``current`` one."""
    if statement.status == "unknown":            # no information: never hides what is known
        return current.status == "unknown"
    dated_grant = statement.status == "granted" and statement.stated_at is not None
    if current.status == "withdrawn":            # only a re-subscription undoes a withdrawal or an objection
        return dated_grant
    if current.status in NEGATIVE and statement.status == "granted":
        return dated_grant                       # an undated "yes" never overrides a denial
    return True


_COLUMNS = "id, record_id, purpose, status, legal_basis, stated_at, source, import_id, evidence, recorded_at"


def _statement(row) -> Statement:
    values = list(row)
    values[8] = json.loads(values[8] or "{}")
    return Statement(*values)


def statements_of(conn, record_ids: list[int]) -> list[Statement]:
    if not record_ids:
        return []
    marks = ",".join("?" * len(record_ids))
    return [_statement(row) for row in conn.execute(
        f"SELECT {_COLUMNS} FROM consents WHERE record_id IN ({marks})", record_ids)]


def is_marketing(purpose: str) -> bool:
    """Direct marketing and the profiling done for it (Art. 21(2)): what an objection covers."""
    return purpose.endswith("marketing") or purpose == "profiling"


def consent_overview(conn, record_ids: list[int], known: dict[str, str] | None = None) -> dict[str, PurposeStatus]:
    """Every purpose's status for a person (their records), with the full history newest first. While an
    objection to direct marketing stands (Art. 21(3)), every marketing purpose is withdrawn whatever a tool
    said after it: an order's "accepts marketing" box is no answer to it, only the owner lifting it is."""
    labels = dict(known or PURPOSES)
    by_purpose: dict[str, list[Statement]] = {}
    for statement in statements_of(conn, record_ids):
        by_purpose.setdefault(statement.purpose, []).append(statement)
        labels.setdefault(statement.purpose, statement.purpose.replace("_", " ").capitalize())
    objected = _objected(conn, record_ids)
    overview = {}
    for purpose, label in labels.items():
        found = by_purpose.get(purpose, [])
        current, conflict = current_status(found)
        if objected and is_marketing(purpose):
            current = _objection_statement(found) or current
        status = "withdrawn" if objected and is_marketing(purpose) else current.status if current else "unknown"
        overview[purpose] = PurposeStatus(purpose, label, status, current, conflict,
                                          sorted(found, key=lambda s: (s.effective_at, s.id), reverse=True))
    return overview


def _objected(conn, record_ids: list[int]) -> bool:
    if not record_ids:
        return False
    marks = ",".join("?" * len(record_ids))
    return conn.execute("SELECT 1 FROM restrictions WHERE kind = 'object' AND lifted_at IS NULL"
                        f" AND record_id IN ({marks}) LIMIT 1", record_ids).fetchone() is not None


def _objection_statement(found: list[Statement]) -> Statement | None:
    """The newest withdrawal the owner recorded (the objection's own), else the newest of a tool (an
    objection writes none for a purpose already withdrawn when it was made)."""
    negative = [s for s in found if s.status in NEGATIVE]
    return max(negative, key=lambda s: (s.source == OWNER_SOURCE, s.effective_at, s.id)) if negative else None


def touched_statuses(conn) -> dict[int, dict[str, str]]:
    """purpose -> current status for every profile in the temp table ``touched_members`` (record_id,
    profile_id), at once: the customer list's cached flags. Evidence is not read: it does not decide."""
    found: dict[tuple[int, str], list[tuple]] = {}
    for row in conn.execute(
            "SELECT t.profile_id, c.purpose, c.id, c.record_id, c.status, c.stated_at, c.source, c.recorded_at"
            " FROM touched_members t JOIN consents c ON c.record_id = t.record_id"):
        found.setdefault(row[:2], []).append(row[2:])
    statuses: dict[int, dict[str, str]] = {}
    for (profile_id, purpose), rows in found.items():
        statuses.setdefault(profile_id, {})[purpose] = _status_of(rows)
    objected = conn.execute("SELECT DISTINCT t.profile_id FROM touched_members t JOIN restrictions x"
                            " ON x.record_id = t.record_id WHERE x.kind = 'object' AND x.lifted_at IS NULL").fetchall()
    for (profile_id,) in objected:   # see consent_overview
        for purpose in statuses.get(profile_id, {}):
            if is_marketing(purpose):
                statuses[profile_id][purpose] = "withdrawn"
    return statuses


def _status_of(rows: list[tuple]) -> str:
    """``current_status`` over (id, record_id, status, stated_at, source, recorded_at) rows."""
    if len(rows) == 1 or all(row[2] == rows[0][2] for row in rows):   # whichever is in force says the same
        return rows[0][2]
    statements = [Statement(i, r, "", status, None, stated, source, None, {}, recorded)
                  for i, r, status, stated, source, recorded in rows]
    return (current_status(statements)[0] or statements[0]).status


def record_consent(vault, record_id: int, purpose: str, status: str, reason: str, *,
                   legal_basis: str | None = None, conn=None) -> int:
    """The owner's own statement (e.g. the customer asked by phone), audited with its reason."""
    if status not in STATUSES:
        raise ConsentError(f"Unknown consent status {status!r}.")
    if not reason.strip():
        raise ConsentError("Give a reason for changing consent (it is kept with the record).")
    if legal_basis is not None and legal_basis not in LEGAL_BASES:
        raise ConsentError(f"Unknown legal basis {legal_basis!r}.")
    with vault.transaction(conn) as tx:
        statement_id = insert_owner_statement(tx, record_id, purpose, status, {"reason": reason.strip()},
                                              legal_basis or "consent")
        profile = tx.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()
        if profile:
            from ..profiles.summary import refresh_summaries   # summaries read consent: imported late, no cycle

            refresh_summaries(tx, [profile[0]], datetime.now(timezone.utc).isoformat(timespec="seconds"))
        audit.append(tx, "consent_recorded", {"record_id": record_id, "purpose": purpose, "status": status})
        return statement_id


def insert_owner_statement(tx, record_id: int, purpose: str, status: str, evidence: dict,
                           legal_basis: str = "consent") -> int:
    """One manual statement, inside the caller's transaction (an objection writes several at once)."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    cursor = tx.execute(
        "INSERT INTO consents(record_id, purpose, status, legal_basis, stated_at, source, import_id, evidence,"
        " recorded_at) VALUES (?,?,?,?,?,?,NULL,?,?)",
        (record_id, purpose, status, legal_basis, now, OWNER_SOURCE,
         json.dumps({**evidence, "entered_by": "owner"}, ensure_ascii=False), now))
    return cursor.lastrowid
