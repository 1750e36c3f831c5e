"""The audit log: append-only, hash-chained, free of personal data.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own
canonical content, so editing, deleting or reordering an entry breaks the chain
at that point and ``verify`` names it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import AuditError

GENESIS_HASH = "0" * 64
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_LIKE = re.compile(r"\+?\d[\d ().-]{7,}\d")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    details: dict
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    problem: str = ""


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _canonical(seq: int, at: str, actor: str, action: str, details_json: str) -> bytes:
    return json.dumps([seq, at, actor, action, details_json], ensure_ascii=True, separators=(",", ":")).encode()


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, details_json: str) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(seq, at, actor, action, details_json)).hexdigest()


def _refuse_personal_data(details: dict) -> None:
    """A guard against a programming mistake: audit details carry ids and counts, never contact data."""
    for value in details.values():
        if isinstance(value, str) and (_EMAIL_LIKE.search(value) or _PHONE_LIKE.search(value)):
            raise AuditError("Refusing to write what looks like personal data into the audit log.")


def append(conn, action: str, details: dict | None = None, actor: str = "owner") -> AuditEntry:
    """Append one entry. Runs inside the caller's transaction if there is one."""
    details = details or {}
    _refuse_personal_data(details)
    details_json = json.dumps(details, sort_keys=True, ensure_ascii=True)
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (row[0] + 1, row[1]) if row else (1, GENESIS_HASH)
    at = _utc_now()
    digest = entry_hash(prev_hash, seq, at, actor, action, details_json)
    conn.execute(
        "INSERT INTO audit_log(seq, at, actor, action, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
        (seq, at, actor, action, details_json, prev_hash, digest),
    )
    return AuditEntry(seq, at, actor, action, details, prev_hash, digest)


def verify(conn) -> ChainReport:
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for seq, at, actor, action, details_json, prev_hash, digest in conn.execute(
        "SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log ORDER BY seq"
    ):
        count += 1
        if seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"entry {expected_seq} is missing")
        if prev_hash != expected_prev:
            return ChainReport(False, count, seq, f"entry {seq} does not follow entry {seq - 1}")
        if entry_hash(prev_hash, seq, at, actor, action, details_json) != digest:
            return ChainReport(False, count, seq, f"entry {seq} was altered after it was written")
        expected_prev, expected_seq = digest, seq + 1
    return ChainReport(True, count)


def entries(conn, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
    query = "SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log"
    params: tuple = ()
    if action:
        query += " WHERE action = ?"
        params = (action,)
    query += " ORDER BY seq DESC LIMIT ?"
    rows = conn.execute(query, params + (limit,)).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows]


def local_time(at: str) -> str:
    """A stored UTC time as this computer's local time, to the second (shown, never stored)."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at
