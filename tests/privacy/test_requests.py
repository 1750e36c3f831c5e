"""The requests register: due one calendar month after receipt, extendable once by two months."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from c360_desktop.core import audit
from c360_desktop.core.privacy.requests import (
    RequestError,
    add_months,
    close_request,
    extend_request,
    get_request,
    list_requests,
    open_request,
)


@pytest.mark.parametrize("received, months, due", [
    ("2024-01-31", 1, "2024-02-29"), ("2023-01-31", 1, "2023-02-28"), ("2024-08-31", 1, "2024-09-30"),
    ("2024-12-31", 1, "2025-01-31"), ("2024-03-15", 1, "2024-04-15"), ("2024-11-30", 3, "2025-02-28"),
])
def test_months_are_calendar_months_clamped_to_the_month_end(received, months, due):
    assert add_months(date.fromisoformat(received), months).isoformat() == due


def test_a_request_is_due_in_a_month_can_be_extended_once_and_closed(vault):
    request_id = open_request(vault, "erasure", "LETTER-1", received_at="2024-01-31", profile_ids=[3, 1])
    request = get_request(vault.conn, request_id)
    assert (request.due_at, request.status, request.profile_ids) == ("2024-02-29", "open", [1, 3])
    assert request.overdue
    with pytest.raises(RequestError, match="reason"):
        extend_request(vault, request_id, " ")
    assert extend_request(vault, request_id, "several tools to search") == "2024-04-30"
    with pytest.raises(RequestError, match="already extended"):
        extend_request(vault, request_id, "again")
    with pytest.raises(RequestError, match="why"):
        close_request(vault, request_id, "refused")
    close_request(vault, request_id, "done", "answered by post")
    closed = get_request(vault.conn, request_id)
    assert closed.status == "done" and closed.closed_at and not closed.overdue
    assert [a["action"] for a in closed.actions] == ["opened", "extended", "closed"]
    with pytest.raises(RequestError, match="already closed"):
        close_request(vault, request_id)
    details = [e.details for e in audit.entries(vault.conn, limit=10) if e.action.startswith("privacy_request")]
    assert len(details) == 3 and "LETTER" not in str(details)


def test_open_requests_come_first_soonest_due_and_days_left_counts_down(vault):
    late = open_request(vault, "access", "A-1", received_at=date.today() - timedelta(days=40))
    fresh = open_request(vault, "objection", "O-2")
    done = open_request(vault, "restriction", "R-3")
    close_request(vault, done)
    listed = list_requests(vault.conn)
    assert [r.id for r in listed] == [late, fresh, done]
    assert listed[0].overdue and listed[0].days_left < 0 and not listed[1].overdue and listed[1].days_left >= 28
    assert [r.id for r in list_requests(vault.conn, "open")] == [late, fresh]
    assert listed[1].to_json()["label"] == "Objection (Art. 21)"


@pytest.mark.parametrize("kind, reference, received, message", [
    ("complaint", "X-1", None, "Unknown kind"), ("access", "  ", None, "reference"),
    ("access", "someone@example.com", None, "email"), ("access", "X-2", "31/01/2024", "YYYY-MM-DD"),
    ("access", "X-3", (date.today() + timedelta(days=2)).isoformat(), "future"),
])
def test_bad_requests_are_refused_with_a_clear_message(vault, kind, reference, received, message):
    with pytest.raises(RequestError, match=message):
        open_request(vault, kind, reference, received_at=received)
    assert list_requests(vault.conn) == []
    with pytest.raises(RequestError, match="no request number 9"):
        extend_request(vault, 9, "reason")
