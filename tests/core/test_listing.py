"""The customer list's queries: every sort walks its index (no sort of the table), keyset pages lose and
repeat nothing, filters narrow exactly, rare filters become a short id list, counts stop early."""

from __future__ import annotations

import random

import pytest

from c360_desktop.core.profiles.listing import (
    SORT_INDEXES,
    SORTS,
    ListFilter,
    ListQuery,
    count_profiles,
    filtered_ids,
    known_sources,
    known_tags,
    list_page,
    page_query,
)

NOW = "2024-05-01T00:00:00+00:00"


def fill(vault, count: int, seed: int = 7) -> None:
    """Profiles with ties, missing values and numbers that sort differently as text."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, count + 1):
        rows.append((
            rng.choice(["Ann Lee", "Bob Ito", None, "Zoë Müller", "ann lee", ""]),
            rng.choice([None, "9.99", "10.00", "100.50", "1000.00", "25", "0.00"]),
            rng.randint(0, 4),
            rng.choice([None, "2024-01-02T10:00:00", "2023-12-31", "2024-01-02T10:00:00+00:00"]),
            rng.choice(["shopify", "shopify, stripe", "google_contacts", "etsy"]),
            rng.choice([None, "granted", "denied", "withdrawn"]),
            rng.choice([None, None, "vip", "vip, wholesale"]),
            1 if i % 37 == 0 else 0,
        ))
    with vault.transaction() as tx:
        tx.executemany(
            "INSERT INTO profiles(display_name, total_spent, order_count, last_activity_at, sources, consent_email,"
            " tags, restricted, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            [row + (NOW, NOW) for row in rows])


def plan(vault, query: ListQuery, after=None) -> list[str]:
    sql, params = page_query(query, after)
    return [row[3] for row in vault.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]


def walk(vault, query: ListQuery, limit: int) -> list[int]:
    ids, after = [], None
    while True:
        page = list_page(vault.conn, query, after, limit)
        ids += [row.id for row in page]
        if len(page) < limit:
            return ids
        after = page[-1].cursor


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_walks_its_index_with_and_without_a_cursor(vault, sort, descending):
    fill(vault, 50)
    query = ListQuery(sort, descending)
    first = plan(vault, query)
    assert any(SORT_INDEXES[sort] in step for step in first), first
    assert not any("TEMP B-TREE" in step for step in first), first
    page = list_page(vault.conn, query, limit=10)
    later = plan(vault, query, page[-1].cursor)
    assert any(step.startswith("SEARCH") and SORT_INDEXES[sort] in step for step in later), later
    assert not any("TEMP B-TREE" in step for step in later), later
    common = plan(vault, ListQuery(sort, descending, ListFilter(email_consent="granted", source="shopify")))
    assert any(SORT_INDEXES[sort] in step for step in common) and not any("TEMP B-TREE" in s for s in common)


@pytest.mark.parametrize("sort", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_give_exactly_the_full_order(vault, sort, descending):
    fill(vault, 230)
    expr, direction = SORTS[sort], " DESC" if descending else ""
    expected = [row[0] for row in vault.conn.execute(
        f"SELECT id FROM profiles ORDER BY {expr}{direction}, id{direction}")]
    assert walk(vault, ListQuery(sort, descending), limit=17) == expected


def test_total_spent_sorts_as_a_number(vault):
    fill(vault, 60)
    page = list_page(vault.conn, ListQuery("spent", True), limit=60)
    values = [float(row.total_spent or 0) for row in page]
    assert values == sorted(values, reverse=True) and values[0] == 1000.0


def test_filters_narrow_exactly(vault):
    fill(vault, 300)
    conn = vault.conn

    def ids(**chosen) -> set[int]:
        return set(walk(vault, ListQuery("name", False, ListFilter(**chosen)), limit=50))

    def where(sql: str) -> set[int]:
        return {row[0] for row in conn.execute(f"SELECT id FROM profiles WHERE {sql}")}

    assert ids(source="stripe") == where("sources = 'shopify, stripe'")
    assert ids(source="shopify") == where("sources LIKE 'shopify%'")
    assert ids(source="google_contacts") == where("sources = 'google_contacts'")
    assert ids(source="google") == set()
    assert ids(email_consent="granted") == where("consent_email = 'granted'")
    assert ids(email_consent="not_granted") == where("consent_email IS NULL OR consent_email != 'granted'")
    assert ids(tag="wholesale") == where("tags = 'vip, wholesale'")
    assert ids(tag="vip") == where("tags IS NOT NULL")
    assert ids(restricted_only=True) == where("restricted = 1")
    assert ids(tag="vip", restricted_only=True, source="etsy") == \
        where("tags IS NOT NULL AND restricted = 1 AND sources = 'etsy'")


def test_rare_filters_become_an_id_list_and_common_ones_stay_conditions(vault, tmp_path):
    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.privacy.restriction import restrict_processing
    from c360_desktop.core.profiles.edits import add_note
    from tests.identity.helpers import background, import_people, profile_of

    shop = import_people(vault, tmp_path, "shop", background(40))
    fair = import_people(vault, tmp_path, "fair", background(2))
    run_match(vault)
    first, second = profile_of(vault, shop["bg0"]), profile_of(vault, shop["bg1"])
    restrict_processing(vault, second, "disputes the data")
    add_note(vault, first, "tag", "vip", "big spender")
    assert profile_of(vault, fair["bg0"]) == first

    assert filtered_ids(vault.conn, ListFilter(restricted_only=True)) == [second]
    assert filtered_ids(vault.conn, ListFilter(tag="vip")) == [first]
    assert filtered_ids(vault.conn, ListFilter(source="sheet:fair")) == sorted({first, second})
    assert filtered_ids(vault.conn, ListFilter(source="sheet:fair", tag="vip")) == [first]
    assert filtered_ids(vault.conn, ListFilter(source="sheet:shop"), limit=20) is None   # common: a condition
    assert filtered_ids(vault.conn, ListFilter()) is None
    everyone = filtered_ids(vault.conn, ListFilter(email_consent="not_granted"))
    assert len(everyone) == vault.count("profiles")
    restricted = ListQuery("spent", True, ListFilter(restricted_only=True), (second,))
    assert [row.id for row in list_page(vault.conn, restricted)] == [second]
    assert count_profiles(vault.conn, restricted) == (1, False)
    # the ids are a superset: the page query applies every filter again
    both = ListQuery("name", False, ListFilter(restricted_only=True), (first, second))
    assert [row.id for row in list_page(vault.conn, both)] == [second]


def test_a_search_result_is_listed_in_the_chosen_order_with_the_filters(vault):
    fill(vault, 100)
    within = tuple(range(1, 101, 3))
    expected = [row[0] for row in vault.conn.execute(
        f"SELECT id FROM profiles WHERE id IN ({','.join(map(str, within))}) AND consent_email = 'granted'"
        " ORDER BY order_count DESC, id DESC")]
    query = ListQuery("orders", True, ListFilter(email_consent="granted"), within)
    assert walk(vault, query, limit=4) == expected
    assert count_profiles(vault.conn, query) == (len(expected), False)
    assert list_page(vault.conn, ListQuery(within=())) == []
    assert count_profiles(vault.conn, ListQuery(within=())) == (0, False)
    assert count_profiles(vault.conn, ListQuery(within=(1, 2, 3))) == (3, False)


def test_counts_stop_early_on_common_filters(vault):
    fill(vault, 120)
    assert count_profiles(vault.conn, ListQuery()) == (120, False)
    assert count_profiles(vault.conn, ListQuery(filters=ListFilter(source="shopify")), limit=10) == (10, True)


def test_filter_choices(vault):
    fill(vault, 20)
    assert known_sources(vault.conn) == []    # from imports: none here
    with vault.transaction() as tx:
        tx.execute("INSERT INTO imports(file_name, file_sha256, source, started_at) VALUES ('a.csv','x','stripe',?)",
                   (NOW,))
    assert known_sources(vault.conn) == ["stripe"]
    assert known_tags(vault.conn) == []


def test_an_unknown_sort_is_refused():
    with pytest.raises(ValueError):
        ListQuery("email")
