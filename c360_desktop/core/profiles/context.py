"""What a record's history says in short: orders, spend, tickets, consent (for the review screen)."""

from __future__ import annotations

from dataclasses import dataclass

from ..privacy.consent import consent_overview


@dataclass(frozen=True)
class RecordContext:
    orders: int
    total_spent: str | None
    last_order_at: str | None
    tickets: int
    last_ticket_at: str | None
    payments: int
    consent: dict  # purpose -> latest status

    def to_json(self) -> dict:
        return dict(self.__dict__)


def record_context(conn, record_id: int) -> RecordContext:
    def summary(kind: str):
        return conn.execute(
            "SELECT count(*), printf('%.2f', sum(CAST(amount AS REAL))), max(occurred_at) FROM events"
            " WHERE record_id = ? AND kind = ?", (record_id, kind)).fetchone()

    orders, spent, last_order = summary("order")
    tickets, _, last_ticket = summary("ticket")
    payments, paid, _ = summary("payment")
    consent = {purpose: item.status for purpose, item in consent_overview(conn, [record_id], {}).items()}
    return RecordContext(orders, spent if orders else (paid if payments else None), last_order, tickets,
                         last_ticket, payments, consent)
