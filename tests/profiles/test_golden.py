"""Survivorship: each rule, ties, the owner's preference and corrections winning, provenance."""

from __future__ import annotations

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.profiles.edits import rectify, withdraw_edit
from c360_desktop.core.profiles.golden import Candidate, Survivorship, decide, golden_record
from tests.identity.helpers import background, import_people, profile_of


def candidate(value, record_id, source="shopify", seen_at="2024-01-01", **extra) -> Candidate:
    return Candidate(value, value, record_id, source, f"{source}.csv", record_id, seen_at, **extra)


def rules(rule: str, order=()) -> Survivorship:
    return Survivorship({"email": rule, "address": rule}, tuple(order))


def test_most_frequent_takes_the_value_most_records_give():
    found = [candidate("a@x.com", 1), candidate("b@x.com", 2, seen_at="2025-01-01"), candidate("a@x.com", 3)]
    golden = decide("email", found, rules("most_frequent"))
    assert golden.value == "a@x.com" and golden.decided_by == "most_frequent"
    assert {c.value for c in golden.others} == {"a@x.com", "b@x.com"}


def test_most_recent_takes_the_newest_statement():
    found = [candidate("a@x.com", 1), candidate("a@x.com", 3), candidate("b@x.com", 2, seen_at="2025-06-01")]
    assert decide("email", found, rules("most_recent")).value == "b@x.com"


def test_most_complete_prefers_the_fuller_address():
    found = [candidate("1 Main St, Springfield", 1, seen_at="2025-01-01"),
             candidate("1 Main St, Apt 4, 62701 Springfield, IL, US", 2)]
    assert decide("address", found, rules("most_complete")).value.startswith("1 Main St, Apt 4")


def test_source_priority_follows_the_owners_order_of_tools():
    found = [candidate("a@x.com", 1, "shopify"), candidate("a@x.com", 2, "shopify"), candidate("z@x.com", 3, "hubspot")]
    assert decide("email", found, rules("source_priority", ["hubspot", "shopify"])).value == "z@x.com"
    assert decide("email", found, rules("source_priority", ["shopify"])).value == "a@x.com"


def test_ties_fall_to_frequency_then_recency_then_the_oldest_record():
    same_source = [candidate("old@x.com", 1, seen_at="2023-01-01"), candidate("new@x.com", 2, seen_at="2024-01-01")]
    assert decide("email", same_source, rules("source_priority")).value == "new@x.com"
    same_day = [candidate("second@x.com", 5), candidate("first@x.com", 4)]
    assert decide("email", same_day, rules("most_recent")).value == "first@x.com"


def test_the_owners_preference_beats_the_rule_and_a_correction_beats_both():
    found = [candidate("a@x.com", 1), candidate("a@x.com", 2), candidate("b@x.com", 3, preferred=True)]
    golden = decide("email", found, rules("most_frequent"))
    assert (golden.value, golden.decided_by) == ("b@x.com", "preferred")
    found.append(candidate("fixed@x.com", 1, source="manual", manual=True, reason="customer called"))
    golden = decide("email", found, rules("most_frequent"))
    assert (golden.value, golden.decided_by, golden.winner.reason) == ("fixed@x.com", "manual", "customer called")


def test_a_golden_record_from_imports_shows_where_each_value_came_from(vault, tmp_path):
    base = {"first": "Maria", "last": "Lopez", "zip": "10001", "city": "New York", "birth": "1980-02-03"}
    shop = import_people(vault, tmp_path, "shop", [{**base, "id": "s1", "email": "maria@x.com", "phone": "+1 212 555 0101"},
                                                   *background(60)])
    desk = import_people(vault, tmp_path, "desk", [{**base, "id": "d1", "email": "maria@x.com", "phone": "+1 212 555 0199"},
                                                   *background(60, "other")])
    run_match(vault)   # the same name, email, birth date and postal code: linked though the phones differ
    profile_id = profile_of(vault, shop["s1"])
    assert profile_of(vault, desk["d1"]) == profile_id
    golden = golden_record(vault.conn, profile_id)
    assert golden["email"].value == "maria@x.com"
    assert {c.source for c in [golden["email"].winner, *golden["email"].others]} == {"sheet:shop", "sheet:desk"}
    assert golden["phone"].value == "+12125550101"   # a tie: the oldest record's
    assert golden["phone"].others[0].value == "+12125550199" and golden["phone"].others[0].file_name == "desk.csv"
    assert golden["birth_date"].value == "1980-02-03"


def test_a_correction_wins_over_every_import_until_withdrawn(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", [{"id": "s1", "first": "Jon", "last": "Smyth", "email": "jon@x.com"}])
    run_match(vault)
    profile_id = profile_of(vault, ids["s1"])
    rectify(vault, profile_id, "name", "John Smith", "customer asked to correct the spelling")
    assert golden_record(vault.conn, profile_id)["name"].value == "John Smith"
    assert vault.conn.execute("SELECT display_name FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0] == "John Smith"
    import_people(vault, tmp_path, "shop", [{"id": "s1", "first": "Jonny", "last": "Smyth", "email": "jon@x.com"}])
    run_match(vault)
    assert golden_record(vault.conn, profile_id)["name"].value == "John Smith"
    actions = [r[0] for r in vault.conn.execute("SELECT action FROM audit_log")]
    assert "profile_rectified" in actions
    assert "John Smith" not in str(list(vault.conn.execute("SELECT details FROM audit_log")))
    withdraw_edit(vault, profile_id, "name")
    assert golden_record(vault.conn, profile_id)["name"].value == "Jonny Smyth"
