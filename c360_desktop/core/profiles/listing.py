"""The customer list: filtered, sorted pages of ``profiles`` by keyset pagination.

Each sort key's ORDER BY expression is written exactly as its index was created in schemas 4 and 5
(``profiles_by_name``, ``_spent``, ``_orders``, ``_activity``, ``_tickets``), so
SQLite walks the index instead of sorting a million rows, and a page starts where the previous one
ended (the rows after ``(last value, last id)``) instead of skipping rows with OFFSET.

Filters that few profiles pass (restricted, a tag, a rarely seen tool) are first turned into a
short list of profile ids, from their own small tables or one sequential pass, so a page never walks
the whole index looking for the rare match; filters most profiles pass are conditions checked while
walking the index.
Values here are plaintext: callers apply the redaction policy before showing them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

SORTS = {
    "name": "coalesce(display_name, '')",
    "spent": "CAST(coalesce(total_spent, 0) AS REAL)",
    "orders": "order_count",
    "activity": "coalesce(last_activity_at, '')",
    "tickets": "open_tickets",
}
SORT_INDEXES = {"name": "profiles_by_name", "spent": "profiles_by_spent", "orders": "profiles_by_orders",
                "activity": "profiles_by_activity", "tickets": "profiles_by_tickets"}
SPARSE_LIMIT = 5000  # a filter passed by at most this many profiles is resolved to their ids first
COUNT_LIMIT = 10_000  # filtered counts stop here ("10,000+")

_COLUMNS = ("id, display_name, primary_email, primary_phone, sources, order_count, total_spent, spent_currency,"
            " last_activity_at, consent_email, consent_sms, open_tickets, ticket_count, restricted, tags")


@dataclass(frozen=True)
class ListFilter:
    """What the owner narrowed the list to; empty fields mean "any"."""
    source: str | None = None
    email_consent: str | None = None   # 'granted' | 'not_granted'
    tag: str | None = None
    restricted_only: bool = False

    @property
    def is_empty(self) -> bool:
        return self == ListFilter()

    def conditions(self) -> tuple[list[str], list]:
        """SQL conditions on ``profiles`` and their parameters."""
        where, params = [], []
        if self.source:
            where.append("instr(', ' || coalesce(sources, '') || ', ', ?) > 0")
            params.append(f", {self.source}, ")
        if self.tag:
            where.append("instr(', ' || coalesce(tags, '') || ', ', ?) > 0")
            params.append(f", {self.tag}, ")
        if self.restricted_only:
            where.append("restricted = 1")
        if self.email_consent == "granted":
            where.append("consent_email = 'granted'")
        elif self.email_consent == "not_granted":
            where.append("coalesce(consent_email, '') != 'granted'")
        return where, params


@dataclass(frozen=True)
class ListQuery:
    """A sort, filters, and optionally the only profiles to consider (a search result)."""
    sort: str = "name"
    descending: bool = False
    filters: ListFilter = field(default_factory=ListFilter)
    within: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")


@dataclass(frozen=True)
class ProfileRow:
    id: int
    display_name: str | None
    email: str | None
    phone: str | None
    sources: str | None
    order_count: int
    total_spent: str | None
    spent_currency: str | None
    last_activity_at: str | None
    consent_email: str | None
    consent_sms: str | None
    open_tickets: int
    ticket_count: int
    restricted: bool
    tags: str | None
    sort_value: object   # the sort expression's value: where the next page starts

    @property
    def tools(self) -> list[str]:
        return [part.strip() for part in (self.sources or "").split(",") if part.strip()]

    @property
    def cursor(self) -> tuple:
        return (self.sort_value, self.id)


def page_query(query: ListQuery, after: tuple | None = None, limit: int = 200) -> tuple[str, list]:
    """The SQL of one page (exposed so tests can check its plan)."""
    expr = SORTS[query.sort]
    where, params = query.filters.conditions()
    if query.within is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(query.within)))
    if after is not None:
        # Not the row value ``(expr, id) > (?, ?)``: SQLite seeks an expression index only on ``expr >= ?``.
        beyond = "<" if query.descending else ">"
        where.append(f"{expr} {beyond}= ? AND ({expr} {beyond} ? OR id {beyond} ?)")
        params.extend((after[0], after[0], after[1]))
    direction = " DESC" if query.descending else ""
    sql = (f"SELECT {_COLUMNS}, {expr} FROM profiles"
           f"{' WHERE ' + ' AND '.join(where) if where else ''}"
           f" ORDER BY {expr}{direction}, id{direction} LIMIT ?")
    return sql, params + [limit]


def list_page(conn, query: ListQuery, after: tuple | None = None, limit: int = 200) -> list[ProfileRow]:
    """Up to ``limit`` profiles in the query's order, starting after the cursor ``(sort value, id)``."""
    if query.within is not None and not query.within:
        return []
    sql, params = page_query(query, after, limit)
    return [ProfileRow(*row[:13], bool(row[13]), row[14], row[15]) for row in conn.execute(sql, params)]


def count_profiles(conn, query: ListQuery, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """How many profiles the query lists, counting at most ``limit`` (-> (count, more than limit))."""
    if query.within is not None:
        if not query.within:
            return 0, False
        if query.filters.is_empty:
            return len(query.within), False
    elif query.filters.is_empty:
        return conn.execute("SELECT count(*) FROM profiles").fetchone()[0], False
    where, params = query.filters.conditions()
    if query.within is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(query.within)))
    found = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM profiles WHERE {' AND '.join(where)} LIMIT ?)",
                         params + [limit + 1]).fetchone()[0]
    return min(found, limit), found > limit


def filtered_ids(conn, filters: ListFilter, limit: int = SPARSE_LIMIT) -> list[int] | None:
    """The profiles that may pass the filters when at most ``limit`` do (None otherwise, or without filters).

    Restrictions, tags and a tool's records are looked up in their own tables; otherwise one sequential
    pass over ``profiles`` stops as soon as the filters prove common. Rare matches are then fetched by
    id: walking a sort index for them would look up every row of the table. The page query applies
    every filter again, so these ids may be a superset.
    """
    where, params = filters.conditions()
    if not where:
        return None
    looked_up = [found for found in (
        _bounded(conn, _RESTRICTED, [], limit) if filters.restricted_only else None,
        _bounded(conn, _TAGGED, [filters.tag], limit) if filters.tag else None,
        _source_ids(conn, filters.source, limit) if filters.source else None) if found is not None]
    if looked_up:
        return sorted(set.intersection(*looked_up))
    ids = [row[0] for row in conn.execute(
        f"SELECT id FROM profiles NOT INDEXED WHERE {' AND '.join(where)} LIMIT ?", params + [limit + 1])]
    return ids if len(ids) <= limit else None


_RESTRICTED = ("SELECT DISTINCT m.profile_id FROM restrictions x JOIN profile_members m ON m.record_id = x.record_id"
               " WHERE x.kind = 'restrict' AND x.lifted_at IS NULL")
_TAGGED = ("SELECT DISTINCT m.profile_id FROM profile_notes n JOIN profile_members m ON m.record_id = n.record_id"
           " WHERE n.kind = 'tag' AND n.text = ? AND n.removed_at IS NULL")


def _bounded(conn, sql: str, params: list, limit: int) -> set[int] | None:
    ids = {row[0] for row in conn.execute(f"{sql} LIMIT ?", params + [limit + 1])}
    return ids if len(ids) <= limit else None


def _source_ids(conn, source: str, limit: int) -> set[int] | None:
    """A tool's profiles through its imports (few rows) and the records' import index, if it has few records."""
    records = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM imports i JOIN source_records r ON r.import_id = i.id"
        " WHERE i.source = ? LIMIT ?)", (source, limit + 1)).fetchone()[0]
    if records > limit:
        return None
    return {row[0] for row in conn.execute(
        "SELECT DISTINCT m.profile_id FROM imports i JOIN source_records r ON r.import_id = i.id"
        " JOIN profile_members m ON m.record_id = r.id WHERE i.source = ?", (source,))}


def known_sources(conn) -> list[str]:
    """Every tool something was imported from (the source filter's choices)."""
    return [row[0] for row in conn.execute("SELECT DISTINCT source FROM imports WHERE source IS NOT NULL"
                                           " ORDER BY source")]


def known_tags(conn) -> list[str]:
    """Every tag on some profile (the tag filter's choices)."""
    return [row[0] for row in conn.execute("SELECT DISTINCT text FROM profile_notes WHERE kind = 'tag'"
                                           " AND removed_at IS NULL ORDER BY text")]
