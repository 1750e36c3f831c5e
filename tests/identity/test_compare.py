"""Each comparison and the nickname table."""

from __future__ import annotations

import pytest

from c360_desktop.core.identity import compare as c
from c360_desktop.core.identity.nicknames import are_nicknames
from c360_desktop.core.identity.records import MatchRecords


@pytest.mark.parametrize("a, b", [("bob", "robert"), ("liz", "elizabeth"), ("sasha", "alexander"), ("bill", "william"),
                                  ("peggy", "margaret"), ("pepe", "jose"), ("bobby", "bob"), ("nicky", "nicola"),
                                  ("toni", "antonio"), ("pili", "pilar"), ("enzo", "vincenzo"), ("liam", "william"),
                                  ("lasse", "lars"), ("kalle", "karl"), ("pelle", "per"), ("kicki", "kristina"),
                                  ("mange", "magnus"), ("jussi", "juhani")])
def test_nicknames(a, b):
    assert are_nicknames(a, b) and are_nicknames(b, a)


@pytest.mark.parametrize("a, b", [("bob", "alice"), ("john", "mary"), ("", "bob")])
def test_not_nicknames(a, b):
    assert not are_nicknames(a, b)


@pytest.mark.parametrize("a, b, level", [
    ("ann", "ann", 1), ("robert", "bob", 2), ("katherine", "katharine", 3), ("j", "john", 4), ("j", "mary", 5),
    ("kate", "kathleen", 2), ("fran", "francesca", 2), ("seba", "sebastian", 2), ("al", "alice", 5),
    ("john", "mary", 5), ("", "mary", 0), ("stefan", "stefanie", 5), ("frank", "frankie", 2),
    ("rick", "rickie", 2), ("jm", "jean", 4), ("jp", "mary", 5), ("jm", "jp", 5),
])
def test_first_names(a, b, level):
    assert c.compare_first(a, b) == level


@pytest.mark.parametrize("a, b, level", [("smith", "smith", 1), ("smith", "smyth", 2), ("garcia lopez", "garcia", 2),
                                         ("smith", "jones", 3), ("", "jones", 0)])
def test_last_names(a, b, level):
    assert c.compare_last(a, b) == level


def test_emails_phones_locations_birth_dates():
    assert c.compare_emails(("ann@x.com",), ("b@y.com", "ann@x.com")) == 1
    assert c.compare_emails(("ann.lee@x.com",), ("ann.lee@work.org",)) == 2
    assert c.compare_emails(("annlee@x.com",), ("anlee@x.com",)) == 2  # one typo, same domain
    assert c.compare_emails(("william1975@x.com",), ("willima1975@x.com",)) == 2  # two letters swapped
    assert c.compare_emails(("anna.svensson85@x.com",), ("anna.svensson86@x.com",)) == 3  # two namesakes' numbers
    assert c.compare_emails(("annalee7@x.com",), ("annalee@x.com",)) == 3
    assert c.compare_emails(("ann@x.com",), ("bo@y.com",)) == 3
    assert c.compare_phones(("+14155550101",), ("+14155550101",)) == 1
    assert c.compare_phones(("+14155550101",), ("+4415550101",)) == 2
    assert c.compare_location("02134", "02134", "", "") == 1
    assert c.compare_location("02134", "02139", "boston", "boston") == 2
    assert c.compare_location("", "", "boston", "austin") == 3
    assert c.compare_birth("1980-03-04", "1980-04-03") == 2
    assert c.compare_birth("1980-03-04", "1981-03-04") == 2
    assert c.compare_birth("1980-03-04", "1975-11-22") == 3


def _records(*people) -> MatchRecords:
    records = MatchRecords()
    for n, (first, last) in enumerate(people):
        records.position[n] = n
        records.ids.append(n)
        for column, value in (("first", first), ("last", last), ("emails", ()), ("phones", ()), ("postal", ""),
                              ("city", ""), ("address", ""), ("birth", ""), ("company", ""), ("source", "x"),
                              ("content_hash", ""), ("generation", "")):
            getattr(records, column).append(value)
    return records


def test_swapped_first_and_last_names():
    records = _records(("jose", "garcia"), ("garcia", "jose"), ("thomas", "jones"), ("jones", "tommy"))
    assert c.compare(records, 0, 1)[:2] == (1, 1)
    assert c.compare(records, 2, 3)[:2] == (2, 1)  # swapped, and Tommy is Thomas
    assert c.compare_emails(("orders@a.com",), ("orders@b.com",)) == 3  # a role name is not a person
    assert c.compare_names("susan", "mararvik", "mararvik", "") == (0, 1)  # only a surname, in the first-name field


@pytest.mark.parametrize("email, role", [("office@chenco.io", True), ("the.smiths@example.com", True),
                                         ("thesmiths@example.com", True), ("larsenfamily@gmx.de", True),
                                         ("info-desk@x.org", True), ("ann.lee@example.com", False)])
def test_role_and_household_addresses(email, role):
    from c360_desktop.core.identity.roles import is_role_address

    assert is_role_address(email) == role


def test_a_birthday_without_its_year_agrees_in_part_or_conflicts():
    from c360_desktop.core.identity.compare import compare_birth

    assert compare_birth("--06-14", "1988-06-14") == 2
    assert compare_birth("--06-14", "--06-14") == 2   # day and month alone are weaker than a whole date
    assert compare_birth("--06-14", "1988-07-14") == 3


def test_a_mans_and_a_womans_form_of_a_name_are_different_first_names():
    from c360_desktop.core.identity.compare import compare_first

    for him, her in (("paul", "paula"), ("mario", "maria"), ("michael", "michelle"), ("daniel", "danielle"),
                     ("louis", "louise"), ("joseph", "josephine"), ("eric", "erica")):
        assert compare_first(him, her) == 5, (him, her)
    for one, other in (("ann", "anna"), ("ann", "anne"), ("chris", "christine"), ("alex", "alexandra"), ("mari", "maria"),
                       ("katie", "kati"), ("bob", "robert")):
        assert compare_first(one, other) == 2, (one, other)


@pytest.mark.parametrize("a, b, level", [
    ("12 harbour rd", "12 harbour rd", 1), ("12 harbour rd", "12 harbour rd apt 3", 2),
    ("flat 2 10 high st", "10 high st", 2), ("141 main st", "174 main st", 3), ("7 rue du lac", "9 rue du lac", 3),
    ("main st", "main st 4", 2), ("12 harbour rd", "", 0), ("unit 5 141 main st", "unit 5 174 main st", 3),
    ("12 harbour rd apt 3", "3 harbour rd", 3),
])
def test_another_house_number_is_another_address(a, b, level):
    assert c.compare_address(a, b) == level


def test_a_street_backs_agreeing_names_only_in_the_same_place():
    from c360_desktop.core.identity.engine import guard_reason

    levels = [0] * len(c.COMPARISONS)
    levels[c.FIRST] = levels[c.LAST] = levels[c.ADDRESS] = 1
    levels[c.EMAIL] = levels[c.PHONE] = 3
    assert guard_reason(tuple(levels), False, False) is None     # no postal code to say otherwise
    levels[c.LOCATION] = 3                                       # "141 Main St" in another town
    assert guard_reason(tuple(levels), False, False) is not None


@pytest.mark.parametrize("a, b, level", [
    ("van der berg", "berg", 2), ("garcia lopez", "garcia", 2), ("de boer", "de wit", 3), ("van houten", "van dijk", 3),
    ("van der berg", "van der meer", 3), ("van houten", "van houtem", 2), ("martinez pujol", "martinez ruiz", 3),
    ("martinez ruiz", "martinez", 2),
])
def test_a_surname_particle_alone_in_common_is_no_likeness(a, b, level):
    assert c.compare_last(a, b) == level


def test_two_accounts_of_one_tool_with_another_email_and_another_street_wait_whatever_the_phone():
    from c360_desktop.core.identity.engine import TWO_ACCOUNTS, guard_reason
    levels = [c.MISSING] * len(c.COMPARISONS)
    levels[c.FIRST] = levels[c.LAST] = levels[c.LOCATION] = 1
    levels[c.EMAIL] = levels[c.ADDRESS] = 3          # no phone on either: Shopify customers often have none
    assert guard_reason(tuple(levels), False, False, same_tool=True) == TWO_ACCOUNTS
    assert guard_reason(tuple(levels), False, False, same_tool=False) is None   # across tools: one person, moved
    levels[c.BIRTH] = 1
    assert guard_reason(tuple(levels), False, False, same_tool=True) is None    # the same birth date says who


def test_two_people_whose_first_and_last_names_both_differ_are_not_asked_about():
    """Stephanie Anderson and Christine Jackson on one phone (housemates, a salon's number) are no question for
    the owner; "Smith Lauren" and "Lauren Williams" on one email still are (names swapped, and married?)."""
    from c360_desktop.core.identity.engine import APART, guard_reason
    levels = [c.MISSING] * len(c.COMPARISONS)
    levels[c.FIRST], levels[c.LAST], levels[c.PHONE] = 5, 3, 1
    assert guard_reason(tuple(levels), False, False, name_in_common=False) == APART
    assert guard_reason(tuple(levels), False, False, name_in_common=True) == "different first names"


@pytest.mark.parametrize("a, b, levels", [
    (("marcus", "smith"), ("smith", "m"), (4, 1)), (("smith", "k"), ("keisha", "smith"), (4, 1)),
    (("jones", "tommy"), ("tommy", "jones"), (1, 1)), (("ann", "lee"), ("bob", "ray"), (5, 3)),
])
def test_names_swapped_in_one_tool_also_with_an_initial(a, b, levels):
    assert c.compare_names(*a, *b) == levels


def test_names_in_other_scripts_compare_in_latin_letters():
    from c360_desktop.core.ingest.normalise import fold, in_latin_letters
    assert fold(in_latin_letters("Ольга Иванова")) == "olga ivanova"
    assert fold(in_latin_letters("Νίκος")) == "nikos"
    assert in_latin_letters("Zoë Müller") == "Zoë Müller"   # Latin: left to fold
