"""The cached summary columns of ``profiles``, recomputed from members and events when they change.

Name, email and phone: the owner's live correction, else the value the owner preferred
(``field_preferences``), else the most frequent among the profile's records, else the most recently
updated (the golden record's default rules). Consent flags follow ``privacy.consent``.

Set-based: each figure is one grouped query over the touched profiles' members (a matching run
touches hundreds of thousands of profiles; correlated subqueries per profile cost minutes there).
"""

from __future__ import annotations

from ..privacy.consent import profile_statuses

CLOSED_TICKET = "('solved', 'closed', 'resolved', 'done', 'deleted', 'archived')"
# summary column -> (source_records column, field_preferences / profile_edits field)
PREFERRED = {"display_name": ("display_name", "name"), "primary_email": ("email", "email"),
             "primary_phone": ("phone", "phone")}


def _preferred(column: str, preference: str) -> str:
    """(profile_id, value): per profile the corrected, else preferred, else most frequent, else newest value."""
    return f"""
        SELECT profile_id, value FROM (
            SELECT profile_id, value, row_number() OVER (
                PARTITION BY profile_id ORDER BY corrected DESC, chosen DESC, seen DESC, newest DESC) AS rank
            FROM (
                SELECT t.profile_id, r.{column} AS value, 0 AS corrected, max(f.record_id IS NOT NULL) AS chosen,
                       count(*) AS seen, max(r.updated_at) AS newest
                FROM touched_members t JOIN source_records r ON r.id = t.record_id
                LEFT JOIN field_preferences f ON f.record_id = r.id AND f.field = '{preference}'
                WHERE r.{column} IS NOT NULL GROUP BY t.profile_id, r.{column}
                UNION ALL
                SELECT t.profile_id, e.value, 1, 0, 0, e.edited_at || printf('%012d', e.id)
                FROM touched_members t JOIN profile_edits e ON e.record_id = t.record_id
                WHERE e.field = '{preference}' AND e.withdrawn_at IS NULL))
        WHERE rank = 1"""


def _money_sum(kind: str) -> str:
    """The exact-decimal text of a sum of amounts, NULL when there is none (printf turns NULL into 0.00)."""
    total = f"sum(CASE WHEN e.kind = '{kind}' THEN CAST(e.amount AS REAL) END)"
    return f"CASE WHEN {total} IS NOT NULL THEN printf('%.2f', {total}) END"


_EVENT_FIGURES = f"""
    SELECT t.profile_id,
           sum(e.kind = 'order') AS orders,
           {_money_sum("order")} AS order_total,
           {_money_sum("payment")} AS payment_total,
           max(e.occurred_at) AS last_activity,
           sum(e.kind = 'ticket') AS tickets,
           sum(e.kind = 'ticket' AND lower(coalesce(e.status, 'open')) NOT IN {CLOSED_TICKET}) AS open_tickets
    FROM touched_members t JOIN events e ON e.record_id = t.record_id GROUP BY t.profile_id"""

_SOURCES = """
    SELECT profile_id, group_concat(source, ', ') AS sources, sum(records) AS records FROM (
        SELECT t.profile_id, r.source, count(*) AS records
        FROM touched_members t JOIN source_records r ON r.id = t.record_id
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


def refresh_summaries(conn, profile_ids, now: str) -> None:
    ids = list(profile_ids)
    if not ids:
        return
    _touch(conn, ids)
    preferred_joins = "\n".join(
        f"LEFT JOIN ({_preferred(column, preference)}) AS p_{name} ON p_{name}.profile_id = t.id"
        for name, (column, preference) in PREFERRED.items())
    conn.execute("DROP TABLE IF EXISTS temp.profile_summary")
    conn.execute(f"""
        CREATE TEMP TABLE profile_summary AS
        SELECT t.id AS id, p_display_name.value AS display_name, p_primary_email.value AS primary_email,
               p_primary_phone.value AS primary_phone, s.sources, coalesce(s.records, 0) AS record_count,
               coalesce(ev.orders, 0) AS order_count, coalesce(ev.order_total, ev.payment_total) AS total_spent,
               ev.last_activity AS last_activity_at, coalesce(ev.tickets, 0) AS ticket_count,
               coalesce(ev.open_tickets, 0) AS open_tickets, g.tags, x.profile_id IS NOT NULL AS restricted
        FROM touched_profiles t
        {preferred_joins}
        LEFT JOIN ({_SOURCES}) AS s ON s.profile_id = t.id
        LEFT JOIN ({_EVENT_FIGURES}) AS ev ON ev.profile_id = t.id
        LEFT JOIN ({_TAGS}) AS g ON g.profile_id = t.id
        LEFT JOIN ({_RESTRICTED}) AS x ON x.profile_id = t.id""")
    columns = ("display_name", "primary_email", "primary_phone", "sources", "record_count", "order_count",
               "total_spent", "last_activity_at", "ticket_count", "open_tickets", "tags", "restricted")
    conn.execute(
        f"UPDATE profiles SET {', '.join(f'{c} = s.{c}' for c in columns)}, consent_email = NULL,"
        " consent_sms = NULL, updated_at = ? FROM profile_summary AS s WHERE profiles.id = s.id", (now,))
    conn.execute("DROP TABLE temp.profile_summary")
    with_consent = [(statuses.get("email_marketing"), statuses.get("sms_marketing"), pid)
                    for pid, statuses in profile_statuses(conn, ids).items()]
    conn.executemany("UPDATE profiles SET consent_email = ?, consent_sms = ? WHERE id = ?", with_consent)
