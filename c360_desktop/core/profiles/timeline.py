"""A profile's timeline: orders (with items), payments, refunds, tickets, subscriptions and consent
changes, attendance, imports, merges and splits, corrections — newest first, filterable by kind.

Built from several tools' rows: an event's ``data`` holds its normalised fields; consent statements,
import batches and the owner's decisions come from their own tables. Undated entries sort last.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..privacy.consent import PURPOSES
from .profile import decimal_amount

KINDS = {"order": "Orders", "payment": "Payments", "refund": "Refunds", "ticket": "Support tickets",
         "subscription": "Subscriptions", "consent": "Consent changes", "attendance": "Events attended",
         "import": "Imports", "merge": "Merges and splits", "edit": "Corrections and notes"}


@dataclass
class TimelineEntry:
    at: str | None
    kind: str
    title: str
    source: str = ""
    amount: str | None = None
    currency: str | None = None
    status: str | None = None
    detail: dict = field(default_factory=dict)   # items, file and row, evidence...

    def to_json(self) -> dict:
        return dict(self.__dict__)


def _marks(ids) -> str:
    return ",".join("?" * len(ids))


def _event_entries(conn, ids) -> list[TimelineEntry]:
    entries = []
    for kind, source, event_id, at, amount, currency, status, title, data_json in conn.execute(
            f"SELECT kind, source, source_event_id, occurred_at, amount, currency, status, title, data FROM events"
            f" WHERE record_id IN ({_marks(ids)})", ids):
        data = json.loads(data_json or "{}")
        label = {"order": "Order", "payment": "Payment", "ticket": "Ticket", "attendance": "Attended",
                 "subscription": "Subscription"}.get(kind, kind.capitalize())
        detail = {"id": event_id, "items": data.get("items", [])}
        if kind == "ticket":   # a subject is free text the customer wrote: the redaction policy's "notes"
            detail["subject"] = title
            title = event_id
        title_text = f"{label} {title or event_id}".strip()
        detail.update({k: v for k, v in data.items() if k in ("ticket_priority", "ticket_channel", "payment_method",
                                                               "fulfillment_status", "event_name", "ticket_type")})
        entries.append(TimelineEntry(at, kind, title_text, source, amount, currency, status, detail))
        refund = decimal_amount(data.get("refund_amount"))
        if refund:
            entries.append(TimelineEntry(at, "refund", f"Refund on {title_text.lower()}", source,
                                         f"{refund:.2f}", currency, None, {"id": event_id}))
    return entries


def _consent_entries(conn, ids) -> list[TimelineEntry]:
    entries = []
    for purpose, status, at, recorded, source, evidence in conn.execute(
            f"SELECT purpose, status, stated_at, recorded_at, source, evidence FROM consents"
            f" WHERE record_id IN ({_marks(ids)})", ids):
        words = PURPOSES.get(purpose, purpose.replace("_", " ").capitalize())
        kind = "subscription" if purpose == "email_marketing" and source != "manual" else "consent"
        entries.append(TimelineEntry(at, kind, f"{words}: {status}", source, status=status,   # undated: listed last
                                     detail={"evidence": json.loads(evidence or "{}"), "recorded_at": recorded}))
    return entries


def _import_entries(conn, ids) -> list[TimelineEntry]:
    return [TimelineEntry(at, "import", f"Imported from {file_name}", source, detail={"import_id": import_id,
                                                                                      "rows": rows})
            for import_id, file_name, source, at, rows in conn.execute(
                f"SELECT i.id, i.file_name, i.source, i.started_at, count(*) FROM record_rows rr"
                f" JOIN imports i ON i.id = rr.import_id WHERE rr.record_id IN ({_marks(ids)})"
                f" GROUP BY i.id", ids)]


def _decision_entries(conn, ids) -> list[TimelineEntry]:
    titles = {("merge", "review"): "Merged in review", ("merge", "bulk"): "Merged in bulk",
              ("reject", "split"): "Split from this profile", ("reject", "review"): "Marked as a different person",
              ("reject", "bulk"): "Marked as different (bulk)"}
    entries = []
    for decision, origin, at, undone in conn.execute(
            f"SELECT decision, origin, decided_at, undone_at FROM match_decisions WHERE with_decision IS NULL"
            f" AND (left_id IN ({_marks(ids)}) OR right_id IN ({_marks(ids)}))", ids + ids):
        title = titles.get((decision, origin), f"{decision.capitalize()} ({origin})")
        entries.append(TimelineEntry(at, "merge", title + (" — undone" if undone else ""), "c360",
                                     detail={"undone_at": undone}))
    return entries


def _edit_entries(conn, ids) -> list[TimelineEntry]:
    entries = [TimelineEntry(at, "edit", f"Corrected {name.replace('_', ' ')}", "manual",
                             detail={"reason": reason, "withdrawn_at": withdrawn})
               for name, reason, at, withdrawn in conn.execute(
                   f"SELECT field, reason, edited_at, withdrawn_at FROM profile_edits WHERE record_id IN ({_marks(ids)})",
                   ids)]
    entries += [TimelineEntry(at, "edit", f"{kind.capitalize()} added", "manual", detail={kind: text})
                for kind, text, at in conn.execute(
                    f"SELECT kind, text, created_at FROM profile_notes WHERE record_id IN ({_marks(ids)})"
                    " AND removed_at IS NULL", ids)]
    return entries


def timeline(conn, record_ids: list[int], kinds: set[str] | None = None) -> list[TimelineEntry]:
    ids = list(record_ids)
    if not ids:
        return []
    entries = (_event_entries(conn, ids) + _consent_entries(conn, ids) + _import_entries(conn, ids)
               + _decision_entries(conn, ids) + _edit_entries(conn, ids))
    if kinds:
        entries = [e for e in entries if e.kind in kinds]
    dated = sorted((e for e in entries if e.at), key=lambda e: e.at, reverse=True)
    return dated + [e for e in entries if not e.at]
