"""The cached summary columns of ``profiles``, recomputed from members and events when they change.

Name, email and phone: the owner's live correction, else the value the owner preferred
(``field_preferences``), else the most frequent among the profile's records, else the most recently
updated (the golden record's default rules). Consent flags follow ``privacy.consent``.

Set-based: each figure is one grouped query, or one Python pass, over the touched profiles' members (a
matching run touches hundreds of thousands of profiles; correlated subqueries per profile cost minutes).
"""

from __future__ import annotations

from contextlib import nullcontext

from ..bulk import indexes_rebuilt
from ..privacy.consent import touched_statuses
from ..schema import SUMMARY_INDEX

CLOSED_TICKET = "('solved', 'closed', 'resolved', 'done', 'deleted', 'archived')"
PREFERRED_FIELDS = ("name", "email", "phone")   # field_preferences / profile_edits fields, in summary order
BULK_PROFILES = 10_000   # touched profiles from which the sort indexes are rebuilt rather than updated


def _preferred_values(conn) -> dict[int, list[str | None]]:
    """Per touched profile [name, email, phone]: the live correction, else the value the owner preferred,
    else the most frequent among its records, else the most recently updated. One pass over the members."""
    preferences: dict[int, set[str]] = {}
    for record_id, field_name in conn.execute(
            "SELECT f.record_id, f.field FROM touched_members t JOIN field_preferences f ON f.record_id = t.record_id"):
        preferences.setdefault(record_id, set()).add(field_name)
    members: dict[int, list[tuple]] = {}
    for row in conn.execute(
            "SELECT t.profile_id, r.id, r.display_name, r.email, r.phone, r.updated_at"
            f" FROM touched_members t JOIN source_records r {SUMMARY_INDEX} ON r.id = t.record_id"):
        members.setdefault(row[0], []).append(row)
    best = {pid: _best_values(rows, preferences) for pid, rows in members.items()}
    for profile_id, field_name, value in conn.execute(
            "SELECT t.profile_id, e.field, e.value FROM touched_members t JOIN profile_edits e"
            " ON e.record_id = t.record_id WHERE e.withdrawn_at IS NULL AND e.field IN ('name', 'email', 'phone')"
            " ORDER BY e.edited_at, e.id"):
        best.setdefault(profile_id, [None, None, None])[PREFERRED_FIELDS.index(field_name)] = value
    return best


def _best_values(rows: list[tuple], preferences: dict[int, set[str]]) -> list[str | None]:
    """[name, email, phone] among one profile's (profile_id, record_id, name, email, phone, updated_at) rows:
    preferred, then most frequent, then most recent, then the first record."""
    if len(rows) == 1:   # most profiles: nothing competes
        return list(rows[0][2:5])
    best = []
    for slot, field_name in enumerate(PREFERRED_FIELDS):
        tally: dict[str, tuple] = {}
        for row in rows:
            value = row[2 + slot]
            if value is not None:
                seen, count, newest = tally.get(value, (False, 0, ""))
                tally[value] = (seen or field_name in preferences.get(row[1], ()), count + 1, max(newest, row[5]))
        best.append(max(tally.items(), key=lambda kv: kv[1])[0] if tally else None)
    return best


_EVENT_FIGURES = f"""
    SELECT t.profile_id,
           sum(e.kind = 'order') AS orders,
           max(e.occurred_at) AS last_activity,
           sum(e.kind = 'ticket') AS tickets,
           sum(e.kind = 'ticket' AND lower(coalesce(e.status, 'open')) NOT IN {CLOSED_TICKET}) AS open_tickets
    FROM touched_members t JOIN events e ON e.record_id = t.record_id GROUP BY t.profile_id"""

# What a customer spent: their orders' total or their payments' total, whichever is larger, never both (a
# payment in Stripe is often for an order in Shopify), in the currency most of it was in (see profile.metrics).
_SPEND = """
    SELECT profile_id, printf('%.2f', total) AS total_spent, nullif(currency, '') AS spent_currency FROM (
        SELECT profile_id, total, currency,
               row_number() OVER (PARTITION BY profile_id ORDER BY total DESC, kind) AS rank
        FROM (SELECT t.profile_id, e.kind, upper(coalesce(e.currency, '')) AS currency,
                     sum(CAST(e.amount AS REAL)) AS total
              FROM touched_members t JOIN events e ON e.record_id = t.record_id
              WHERE e.kind IN ('order', 'payment') AND coalesce(e.amount, '') != ''
              GROUP BY t.profile_id, e.kind, currency))
    WHERE rank = 1"""

_SOURCES = f"""
    SELECT profile_id, group_concat(source, ', ') AS sources, sum(records) AS records FROM (
        SELECT t.profile_id, r.source, count(*) AS records
        FROM touched_members t JOIN source_records r {SUMMARY_INDEX} ON r.id = t.record_id
        GROUP BY t.profile_id, r.source ORDER BY t.profile_id, r.source)
    GROUP BY profile_id"""

_TAGS = """
    SELECT profile_id, group_concat(text, ', ') AS tags FROM (
        SELECT DISTINCT t.profile_id, n.text FROM touched_members t JOIN profile_notes n ON n.record_id = t.record_id
        WHERE n.kind = 'tag' AND n.removed_at IS NULL ORDER BY t.profile_id, n.text)
    GROUP BY profile_id"""

_RESTRICTED = """
    SELECT DISTINCT t.profile_id FROM touched_members t JOIN restrictions x ON x.record_id = t.record_id
    WHERE x.kind = 'restrict' AND x.lifted_at IS NULL"""


def _touch(conn, ids: list[int]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_profiles (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_members (record_id INTEGER PRIMARY KEY, profile_id INTEGER)")
    conn.execute("DELETE FROM touched_profiles")
    conn.execute("DELETE FROM touched_members")
    conn.executemany("INSERT OR IGNORE INTO touched_profiles(id) VALUES (?)", [(i,) for i in ids])
    conn.execute("INSERT INTO touched_members SELECT m.record_id, m.profile_id FROM touched_profiles t"
                 " JOIN profile_members m ON m.profile_id = t.id")


def _values_table(conn) -> None:
    """The figures worked out in Python (preferred name/email/phone, consent flags) as a temp table."""
    preferred = _preferred_values(conn)
    consent = touched_statuses(conn)
    conn.execute("DROP TABLE IF EXISTS temp.summary_values")
    conn.execute("CREATE TEMP TABLE summary_values (id INTEGER PRIMARY KEY, display_name, primary_email,"
                 " primary_phone, consent_email, consent_sms)")
    conn.executemany("INSERT INTO summary_values VALUES (?,?,?,?,?,?)", (
        (pid, *values, consent.get(pid, {}).get("email_marketing"), consent.get(pid, {}).get("sms_marketing"))
        for pid, values in preferred.items()))


def _sort_indexes_rebuilt_if_most(conn, touched: int):
    """The list's sort indexes rebuilt after the update when it rewrites most profiles (a first matching
    run), kept up to date row by row otherwise."""
    if touched >= BULK_PROFILES and touched * 2 >= conn.execute("SELECT count(*) FROM profiles").fetchone()[0]:
        return indexes_rebuilt(conn, "profiles")
    return nullcontext()


def refresh_summaries(conn, profile_ids, now: str) -> None:
    ids = list(profile_ids)
    if not ids:
        return
    _touch(conn, ids)
    _values_table(conn)
    conn.execute("DROP TABLE IF EXISTS temp.profile_summary")
    conn.execute(f"""
        CREATE TEMP TABLE profile_summary AS
        SELECT t.id AS id, v.display_name, v.primary_email, v.primary_phone, s.sources,
               coalesce(s.records, 0) AS record_count, coalesce(ev.orders, 0) AS order_count,
               sp.total_spent, sp.spent_currency, ev.last_activity AS last_activity_at,
               coalesce(ev.tickets, 0) AS ticket_count, coalesce(ev.open_tickets, 0) AS open_tickets, g.tags,
               x.profile_id IS NOT NULL AS restricted, v.consent_email, v.consent_sms
        FROM touched_profiles t
        LEFT JOIN summary_values v ON v.id = t.id
        LEFT JOIN ({_SOURCES}) AS s ON s.profile_id = t.id
        LEFT JOIN ({_EVENT_FIGURES}) AS ev ON ev.profile_id = t.id
        LEFT JOIN ({_SPEND}) AS sp ON sp.profile_id = t.id
        LEFT JOIN ({_TAGS}) AS g ON g.profile_id = t.id
        LEFT JOIN ({_RESTRICTED}) AS x ON x.profile_id = t.id""")
    columns = ("display_name", "primary_email", "primary_phone", "sources", "record_count", "order_count",
               "total_spent", "spent_currency", "last_activity_at", "ticket_count", "open_tickets", "tags", "restricted",
               "consent_email", "consent_sms")
    with _sort_indexes_rebuilt_if_most(conn, len(ids)):
        conn.execute(f"UPDATE profiles SET {', '.join(f'{c} = s.{c}' for c in columns)}, updated_at = ?"
                     " FROM profile_summary AS s WHERE profiles.id = s.id", (now,))
    conn.execute("DROP TABLE temp.profile_summary")
    conn.execute("DROP TABLE temp.summary_values")
