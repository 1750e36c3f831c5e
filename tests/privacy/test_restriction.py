"""Restriction (Art. 18) flags the profile; objection (Art. 21) withdraws every marketing purpose."""

from __future__ import annotations

import pytest

from c360_desktop.core import audit
from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.privacy.consent import consent_overview
from c360_desktop.core.privacy.find import FindError, find_candidates
from c360_desktop.core.privacy.restriction import (
    OBJECTION_EVIDENCE,
    RestrictionError,
    active_restrictions,
    is_restricted,
    lift_profile_restrictions,
    lift_restriction,
    object_to_marketing,
    restrict_processing,
)
from c360_desktop.core.profiles.profile import profiles_by_email

from .world import CANARY_EMAIL, CONTROL_EMAIL, import_files, write_exports


@pytest.fixture
def canary(vault, tmp_path) -> int:
    import_files(vault, write_exports(tmp_path))
    run_match(vault)
    return profiles_by_email(vault.conn, CANARY_EMAIL)[0]


def _flag(vault, profile_id: int) -> int:
    return vault.conn.execute("SELECT restricted FROM profiles WHERE id = ?", (profile_id,)).fetchone()[0]


def test_restriction_sets_the_flag_until_it_is_lifted(vault, canary):
    restriction_id = restrict_processing(vault, canary, "contests the address")
    assert is_restricted(vault.conn, canary) and _flag(vault, canary) == 1
    control = profiles_by_email(vault.conn, CONTROL_EMAIL)[0]
    assert not is_restricted(vault.conn, control) and _flag(vault, control) == 0
    lift_restriction(vault, restriction_id, "address corrected, customer told")
    assert not is_restricted(vault.conn, canary) and _flag(vault, canary) == 0
    with pytest.raises(RestrictionError):
        lift_restriction(vault, restriction_id, "twice")
    with pytest.raises(RestrictionError, match="reason"):
        restrict_processing(vault, canary, "")
    actions = [e.action for e in audit.entries(vault.conn, limit=5)]
    assert "processing_restricted" in actions and "restriction_lifted" in actions


def test_objection_withdraws_every_marketing_purpose_with_its_ground(vault, canary):
    members = [r[0] for r in vault.conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?",
                                                (canary,))]
    assert consent_overview(vault.conn, members)["email_marketing"].status == "granted"
    object_to_marketing(vault, canary, "phoned to stop all mailings")
    overview = consent_overview(vault.conn, members)
    for purpose in ("email_marketing", "sms_marketing", "postal_marketing", "profiling"):
        current = overview[purpose].current
        assert overview[purpose].status == "withdrawn" and current.evidence["ground"] == OBJECTION_EVIDENCE
    assert vault.conn.execute("SELECT consent_email, restricted FROM profiles WHERE id = ?",
                              (canary,)).fetchone() == ("withdrawn", 0)
    object_to_marketing(vault, canary, "said it again")
    assert len(consent_overview(vault.conn, members)["sms_marketing"].history) == 1


def test_the_owner_s_objection_is_not_a_disagreement_of_the_tools(vault, canary):
    object_to_marketing(vault, canary, "phoned to stop all mailings")
    members = [r[0] for r in vault.conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?",
                                                (canary,))]
    overview = consent_overview(vault.conn, members)
    assert overview["email_marketing"].status == "withdrawn"
    assert not [purpose for purpose, status in overview.items() if status.conflict]


def test_lifting_a_profile_s_objection_ends_every_one_in_force_and_keeps_consent_withdrawn(vault, canary):
    first = object_to_marketing(vault, canary, "letter")
    second = object_to_marketing(vault, canary, "said it again on the phone")
    restriction = restrict_processing(vault, canary, "contests the address")
    with pytest.raises(RestrictionError, match="reason"):
        lift_profile_restrictions(vault, canary, "object", " ")
    assert lift_profile_restrictions(vault, canary, "object", "customer withdrew the objection") == [first, second]
    assert active_restrictions(vault.conn, canary, "object") == []
    assert active_restrictions(vault.conn, canary, "restrict") == [restriction] and is_restricted(vault.conn, canary)
    members = [r[0] for r in vault.conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?",
                                                (canary,))]
    assert consent_overview(vault.conn, members)["email_marketing"].status == "withdrawn"
    entries = audit.entries(vault.conn, limit=2)
    assert [(e.action, e.details) for e in entries] == [
        ("objection_withdrawn", {"profile_id": canary, "restriction_id": second}),
        ("objection_withdrawn", {"profile_id": canary, "restriction_id": first})]
    with pytest.raises(RestrictionError, match="nothing to lift"):
        lift_profile_restrictions(vault, canary, "object", "twice")
    lift_profile_restrictions(vault, canary, "restrict", "address corrected, customer told")
    assert not is_restricted(vault.conn, canary) and _flag(vault, canary) == 0


def test_find_lists_every_candidate_with_what_matched(vault, canary):
    found = find_candidates(vault.conn, email=CANARY_EMAIL.upper(), phone="(415) 555-7731", name="petra zqw")
    assert [(c["profile_id"], c["matched_on"]) for c in found] == [(canary, ["email", "phone", "name"])]
    assert found[0]["record_count"] == 1 and found[0]["primary_email"] == CANARY_EMAIL
    assert find_candidates(vault.conn, email="nobody@example.org") == []
    with pytest.raises(FindError):
        find_candidates(vault.conn, email=" ")


def _later_opt_in(vault, tmp_path, name: str) -> None:
    """A tool's export, read after the objection, whose newer row says the customer accepts marketing."""
    sheet = tmp_path / f"{name}.csv"
    sheet.write_text(f"Email,Accepts Email Marketing,Email consent date\n{CANARY_EMAIL},yes,2099-01-01\n",
                     encoding="utf-8")
    run_import(vault, plan_import(sheet, ImportOptions(mapping=["email", "consent_email", "consent_email_at"]),
                                  vault.conn))
    run_match(vault)


def test_a_tool_saying_yes_after_an_objection_does_not_undo_it_until_it_is_lifted(vault, canary, tmp_path):
    object_to_marketing(vault, canary, "letter: no more marketing")
    _later_opt_in(vault, tmp_path, "orders_later")
    members = [r[0] for r in vault.conn.execute("SELECT record_id FROM profile_members WHERE profile_id = ?",
                                                (canary,))]
    overview = consent_overview(vault.conn, members)
    assert overview["email_marketing"].status == "withdrawn"
    assert overview["email_marketing"].current.evidence["ground"] == OBJECTION_EVIDENCE
    assert vault.conn.execute("SELECT consent_email FROM profiles WHERE id = ?", (canary,)).fetchone()[0] == "withdrawn"
    lift_profile_restrictions(vault, canary, "object", "customer asked for the newsletter again")
    _later_opt_in(vault, tmp_path, "signup_later")
    assert consent_overview(vault.conn, members)["email_marketing"].status == "granted"
