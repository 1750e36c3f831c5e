"""Data-subject requests: what was asked, when, by when it must be answered, and what was done.

The answer is due one month after receipt (Art. 12(3)), counted in calendar months: received on
31 January, due on 28 (or 29) February. It may be extended by two further months when the request is
complex, with a reason told to the person. A request holds no personal data: a reference (the shop's
ticket or letter number), dates, status, profile ids and the actions taken.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .. import audit
from ..errors import C360Error

REQUEST_KINDS = {"access": "Access (Art. 15)", "rectification": "Rectification (Art. 16)",
                 "erasure": "Erasure (Art. 17)", "restriction": "Restriction (Art. 18)",
                 "objection": "Objection (Art. 21)", "portability": "Portability (Art. 20)"}
CLOSED_STATUSES = ("done", "refused")
RESPONSE_MONTHS = 1
EXTENSION_MONTHS = 2


class RequestError(C360Error):
    pass


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class PrivacyRequest:
    id: int
    kind: str
    reference: str
    received_at: str
    due_at: str
    extension: str | None
    status: str
    profile_ids: list[int]
    closed_at: str | None
    actions: list[dict] = field(default_factory=list)

    @property
    def label(self) -> str:
        return REQUEST_KINDS.get(self.kind, self.kind)

    @property
    def days_left(self) -> int:
        return (date.fromisoformat(self.due_at) - date.today()).days

    @property
    def overdue(self) -> bool:
        return self.status == "open" and self.days_left < 0

    def to_json(self) -> dict:
        return {**self.__dict__, "label": self.label, "days_left": self.days_left, "overdue": self.overdue}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _received_date(received_at) -> date:
    if received_at is None:
        return date.today()
    if isinstance(received_at, datetime):
        return received_at.date()
    if isinstance(received_at, date):
        return received_at
    try:
        return date.fromisoformat(str(received_at).strip()[:10])
    except ValueError:
        raise RequestError("The date received must be written YYYY-MM-DD.") from None


def open_request(vault, kind: str, reference: str, *, received_at=None, profile_ids=()) -> int:
    """Register a request; due one month after it was received."""
    if kind not in REQUEST_KINDS:
        raise RequestError(f"Unknown kind of request {kind!r}: one of {', '.join(REQUEST_KINDS)}.")
    reference = (reference or "").strip()
    if not reference:
        raise RequestError("Give the request a reference (your ticket or letter number).")
    if "@" in reference:
        raise RequestError("The reference looks like an email address: use a ticket or letter number instead.")
    received = _received_date(received_at)
    if received > date.today():
        raise RequestError("The date received is in the future.")
    ids = sorted({int(i) for i in profile_ids})
    with vault.transaction() as conn:
        request_id = conn.execute(
            "INSERT INTO privacy_requests(kind, reference, received_at, due_at, profile_ids) VALUES (?,?,?,?,?)",
            (kind, reference, received.isoformat(), add_months(received, RESPONSE_MONTHS).isoformat(),
             json.dumps(ids))).lastrowid
        add_action(conn, request_id, "opened", {"profiles": len(ids)})
        audit.append(conn, "privacy_request_opened", {"request_id": request_id, "kind": kind, "profiles": len(ids)})
    return request_id


_COLUMNS = "id, kind, reference, received_at, due_at, extension, status, profile_ids, closed_at"


def _actions(conn, request_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {i: [] for i in request_ids}
    for start in range(0, len(request_ids), 900):
        chunk = request_ids[start:start + 900]
        for request_id, at, action, details in conn.execute(
                f"SELECT request_id, at, action, details FROM request_actions WHERE request_id IN"
                f" ({','.join('?' * len(chunk))}) ORDER BY id", chunk):
            found[request_id].append({"at": at, "action": action, "details": json.loads(details)})
    return found


def list_requests(conn, status: str | None = None) -> list[PrivacyRequest]:
    """Open requests first, soonest due first; then the closed ones, latest first."""
    where, params = ("WHERE status = ?", (status,)) if status else ("", ())
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM privacy_requests {where}"
        " ORDER BY status != 'open', CASE WHEN status = 'open' THEN due_at END, id DESC", params).fetchall()
    actions = _actions(conn, [r[0] for r in rows])
    return [PrivacyRequest(*r[:7], json.loads(r[7]), r[8], actions[r[0]]) for r in rows]


def get_request(conn, request_id: int) -> PrivacyRequest:
    row = conn.execute(f"SELECT {_COLUMNS} FROM privacy_requests WHERE id = ?", (request_id,)).fetchone()
    if row is None:
        raise RequestError(f"There is no request number {request_id}.")
    return PrivacyRequest(*row[:7], json.loads(row[7]), row[8], _actions(conn, [request_id])[request_id])


def _open_request(conn, request_id: int) -> PrivacyRequest:
    request = get_request(conn, request_id)
    if request.status != "open":
        raise RequestError(f"Request {request_id} is already closed ({request.status}).")
    return request


def extend_request(vault, request_id: int, reason: str) -> str:
    """Two further months (Art. 12(3)), once, with the reason told to the person; returns the new due date."""
    if not (reason or "").strip():
        raise RequestError("Give the reason for the extension: the person must be told why.")
    with vault.transaction() as conn:
        request = _open_request(conn, request_id)
        if request.extension:
            raise RequestError(f"Request {request_id} was already extended; the law allows two further months once.")
        due = add_months(date.fromisoformat(request.received_at), RESPONSE_MONTHS + EXTENSION_MONTHS).isoformat()
        conn.execute("UPDATE privacy_requests SET due_at = ?, extension = ? WHERE id = ?",
                     (due, reason.strip(), request_id))
        add_action(conn, request_id, "extended", {"due_at": due})
        audit.append(conn, "privacy_request_extended", {"request_id": request_id, "months": EXTENSION_MONTHS})
    return due


def close_request(vault, request_id: int, status: str = "done", note: str = "") -> None:
    if status not in CLOSED_STATUSES:
        raise RequestError(f"A request is closed as {' or '.join(CLOSED_STATUSES)}, not {status!r}.")
    if status == "refused" and not note.strip():
        raise RequestError("Say why the request is refused: the person must be told.")
    with vault.transaction() as conn:
        _open_request(conn, request_id)
        conn.execute("UPDATE privacy_requests SET status = ?, closed_at = ? WHERE id = ?",
                     (status, _now(), request_id))
        add_action(conn, request_id, "closed", {"status": status, "note": note.strip()})
        audit.append(conn, "privacy_request_closed", {"request_id": request_id, "status": status})


def add_action(conn, request_id: int, action: str, details: dict | None = None) -> None:
    """Note what was done for a request (inside the caller's transaction); an action on a profile links it."""
    row = conn.execute("SELECT profile_ids FROM privacy_requests WHERE id = ?", (request_id,)).fetchone()
    if row is None:
        raise RequestError(f"There is no request number {request_id}.")
    details = details or {}
    conn.execute("INSERT INTO request_actions(request_id, at, action, details) VALUES (?,?,?,?)",
                 (request_id, _now(), action, json.dumps(details, ensure_ascii=False)))
    profile_id = details.get("profile_id")
    linked = json.loads(row[0])
    if profile_id is not None and profile_id not in linked:
        conn.execute("UPDATE privacy_requests SET profile_ids = ? WHERE id = ?",
                     (json.dumps(sorted(linked + [profile_id])), request_id))
