"""Everything the profile screen and ``c360 profile show`` need about one person, in one read.

Values here are plaintext, read inside the vault; callers apply the redaction policy
(``privacy.policy``) before anything reaches a screen, a terminal or an export marked redacted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from ..errors import C360Error
from ..ingest.normalise import canonical_email, normalise_email, normalise_phone
from ..privacy.consent import PurposeStatus, consent_overview, purposes
from .edits import edits_of, notes_of
from .golden import GoldenField, Survivorship, golden_record, member_records
from .summary import CLOSED_TICKET

CLOSED_STATUSES = tuple(CLOSED_TICKET.strip("()").replace("'", "").replace(" ", "").split(","))


class ProfileNotFound(C360Error):
    pass


@dataclass
class Metrics:
    total_spent: str | None = None          # in the main currency
    currency: str | None = None
    spent_by_currency: dict[str, str] = field(default_factory=dict)
    order_count: int = 0
    average_order_value: str | None = None
    refunded: str | None = None
    payments: int = 0
    first_purchase_at: str | None = None
    last_purchase_at: str | None = None
    last_activity_at: str | None = None
    days_since_last_activity: int | None = None
    tickets_open: int = 0
    tickets_total: int = 0

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SourceRecord:
    id: int
    source: str
    source_record_id: str
    file_name: str
    row_number: int
    import_id: int
    imported_at: str
    raw: dict
    values: list[dict]        # {"field", "raw", "value", "quality"}
    rows: list[dict]          # every file row that fed it

    def to_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ProfileView:
    id: int
    golden: dict[str, GoldenField]
    sources: list[SourceRecord]
    metrics: Metrics
    consent: dict[str, PurposeStatus]
    notes: list[dict]
    edits: list[dict]
    restrictions: list[dict]

    @property
    def record_ids(self) -> list[int]:
        return [s.id for s in self.sources]

    @property
    def tools(self) -> list[str]:
        return sorted({s.source for s in self.sources})

    @property
    def restricted(self) -> bool:
        return any(r["kind"] == "restrict" for r in self.restrictions)

    @property
    def display_name(self) -> str:
        name = self.golden.get("name")
        return (name.value if name and name.value else None) or f"Profile {self.id}"

    def to_json(self) -> dict:
        return {"id": self.id, "display_name": self.display_name, "tools": self.tools,
                "golden": {k: g.to_json() for k, g in self.golden.items()},
                "sources": [s.to_json() for s in self.sources], "metrics": self.metrics.to_json(),
                "consent": {k: c.to_json() for k, c in self.consent.items()}, "notes": self.notes,
                "edits": self.edits, "restrictions": self.restrictions, "restricted": self.restricted}


def decimal_amount(value) -> Decimal | None:
    """An exact decimal from stored text; None when empty or not a number."""
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def metrics(conn, record_ids: list[int], today: date | None = None) -> Metrics:
    result = Metrics()
    if not record_ids:
        return result
    marks = ",".join("?" * len(record_ids))
    spent: dict[str, Decimal] = {}
    priced: dict[str, int] = {}   # orders with an amount, by currency
    paid: dict[str, Decimal] = {}
    refunded = Decimal(0)
    order_dates, payment_dates, activity = [], [], []
    for kind, at, amount, currency, status, data_json in conn.execute(
            f"SELECT kind, occurred_at, amount, currency, status, data FROM events WHERE record_id IN ({marks})",
            record_ids):
        money = decimal_amount(amount)
        if at:
            activity.append(at)
        if kind == "order":
            result.order_count += 1
            if at:
                order_dates.append(at)
            if money is not None:
                spent[currency or ""] = spent.get(currency or "", Decimal(0)) + money
                priced[currency or ""] = priced.get(currency or "", 0) + 1
            refund = decimal_amount(json.loads(data_json or "{}").get("refund_amount"))
            refunded += refund or 0
        elif kind == "payment":
            result.payments += 1
            if at:
                payment_dates.append(at)
            if money is not None:
                paid[currency or ""] = paid.get(currency or "", Decimal(0)) + money
        elif kind == "ticket":
            result.tickets_total += 1
            if (status or "open").lower() not in CLOSED_STATUSES:
                result.tickets_open += 1
    _kind, totals = max((("order", spent), ("payment", paid)), key=lambda kv: max(kv[1].values(), default=-1))
    if totals:
        main = max(totals, key=lambda c: totals[c])
        result.currency = main or None
        result.total_spent = f"{totals[main]:.2f}"
        result.spent_by_currency = {c or "?": f"{v:.2f}" for c, v in totals.items()}
    if len(spent) == 1:   # over the orders with an amount (a Square order line may have none), in one currency
        [(currency, amount)] = spent.items()
        result.average_order_value = f"{amount / priced[currency]:.2f}"
    result.refunded = f"{refunded:.2f}" if refunded else None
    purchases = order_dates + payment_dates
    if purchases:
        result.first_purchase_at, result.last_purchase_at = min(purchases), max(purchases)
    if activity:
        result.last_activity_at = max(activity)
        try:
            last = date.fromisoformat(result.last_activity_at[:10])
            result.days_since_last_activity = ((today or datetime.now(timezone.utc).date()) - last).days
        except ValueError:
            result.days_since_last_activity = None
    return result


def _sources(conn, records: list[tuple]) -> list[SourceRecord]:
    from ..ingest.rows import norm_items

    found = []
    for record_id, source, file_name, row_number, norm_json, _updated, imported_at in records:
        source_id, import_id, raw_json = conn.execute(
            "SELECT source_record_id, last_import_id, raw FROM source_records WHERE id = ?", (record_id,)).fetchone()
        values = [{"field": f, "raw": r, "value": v, "quality": q} for f, r, v, _k, q, _d in norm_items(norm_json)]
        rows = [{"file_name": f, "row_number": n, "import_id": i} for f, n, i in conn.execute(
            "SELECT file_name, row_number, import_id FROM record_rows WHERE record_id = ? ORDER BY import_id, row_number",
            (record_id,))]
        found.append(SourceRecord(record_id, source, source_id, file_name, row_number, import_id, imported_at,
                                  json.loads(raw_json or "{}"), values, rows))
    return found


def restrictions_of(conn, record_ids: list[int]) -> list[dict]:
    if not record_ids:
        return []
    marks = ",".join("?" * len(record_ids))
    return [{"id": i, "kind": k, "reason": r, "created_at": c} for i, k, r, c in conn.execute(
        f"SELECT id, kind, reason, created_at FROM restrictions WHERE record_id IN ({marks}) AND lifted_at IS NULL"
        " ORDER BY created_at", record_ids)]


def load_profile(conn, profile_id: int, *, survivorship: Survivorship | None = None,
                 known_purposes: dict[str, str] | None = None) -> ProfileView:
    records = member_records(conn, profile_id)
    if not records:
        raise ProfileNotFound(f"There is no profile number {profile_id} (it may have been merged, split or erased).")
    ids = [r[0] for r in records]
    return ProfileView(
        profile_id, golden_record(conn, profile_id, survivorship, records), _sources(conn, records),
        metrics(conn, ids), consent_overview(conn, ids, known_purposes or purposes()), notes_of(conn, ids),
        edits_of(conn, ids), restrictions_of(conn, ids))


def profiles_by_email(conn, email: str) -> list[int]:
    result = normalise_email(email)
    keys = {email.strip().lower()}
    if result.value:
        keys |= {result.value, canonical_email(result.value)}
    marks = ",".join("?" * len(keys))
    return [r[0] for r in conn.execute(
        f"SELECT DISTINCT m.profile_id FROM record_keys k JOIN profile_members m ON m.record_id = k.record_id"
        f" WHERE k.kind IN ('email', 'email_exact') AND k.key IN ({marks}) ORDER BY m.profile_id", sorted(keys))]


def profiles_by_phone(conn, phone: str, region: str = "US") -> list[int]:
    result = normalise_phone(phone, region)
    if result.value is None:
        return []
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT m.profile_id FROM record_keys k JOIN profile_members m ON m.record_id = k.record_id"
        " WHERE k.kind = 'phone' AND k.key = ? ORDER BY m.profile_id", (result.value,))]
