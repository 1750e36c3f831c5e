"""The cached summary columns of ``profiles``, recomputed from members and events when they change.

Name, email and phone: the owner's live correction, else the value the owner preferred
(``field_preferences``), else the most frequent among the profile's records, else the most recently
updated (the golden record's default rules). Consent flags follow ``privacy.consent``.
"""

from __future__ import annotations

from ..privacy.consent import profile_statuses

CLOSED_TICKET = "('solved', 'closed', 'resolved', 'done', 'deleted', 'archived')"


def _preferred(column: str, preference: str) -> str:
    """A subquery choosing one value of ``source_records.column`` for the profile being updated."""
    return f"""coalesce((
                SELECT e.value FROM profile_members m JOIN profile_edits e ON e.record_id = m.record_id
                WHERE m.profile_id = profiles.id AND e.field = '{preference}' AND e.withdrawn_at IS NULL
                ORDER BY e.edited_at DESC, e.id DESC LIMIT 1), (
                SELECT r.{column} FROM profile_members m JOIN source_records r ON r.id = m.record_id
                LEFT JOIN field_preferences f ON f.record_id = r.id AND f.field = '{preference}'
                WHERE m.profile_id = profiles.id AND r.{column} IS NOT NULL
                GROUP BY r.{column}
                ORDER BY max(f.decided_at IS NOT NULL) DESC, count(*) DESC, max(r.updated_at) DESC LIMIT 1))"""


def refresh_summaries(conn, profile_ids, now: str) -> None:
    ids = list(profile_ids)
    if not ids:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_profiles (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM touched_profiles")
    conn.executemany("INSERT OR IGNORE INTO touched_profiles(id) VALUES (?)", [(i,) for i in ids])
    conn.execute(
        f"""
        UPDATE profiles SET
            display_name = {_preferred("display_name", "name")},
            primary_email = {_preferred("email", "email")},
            primary_phone = {_preferred("phone", "phone")},
            sources = (
                SELECT group_concat(source, ', ') FROM (
                    SELECT DISTINCT r.source FROM profile_members m JOIN source_records r ON r.id = m.record_id
                    WHERE m.profile_id = profiles.id ORDER BY r.source)),
            record_count = (SELECT count(*) FROM profile_members m WHERE m.profile_id = profiles.id),
            order_count = (
                SELECT count(*) FROM profile_members m JOIN events e ON e.record_id = m.record_id
                WHERE m.profile_id = profiles.id AND e.kind = 'order'),
            total_spent = coalesce(
                (SELECT printf('%.2f', sum(CAST(e.amount AS REAL))) FROM profile_members m
                 JOIN events e ON e.record_id = m.record_id
                 WHERE m.profile_id = profiles.id AND e.kind = 'order' AND e.amount IS NOT NULL),
                (SELECT printf('%.2f', sum(CAST(e.amount AS REAL))) FROM profile_members m
                 JOIN events e ON e.record_id = m.record_id
                 WHERE m.profile_id = profiles.id AND e.kind = 'payment' AND e.amount IS NOT NULL)),
            last_activity_at = (
                SELECT max(e.occurred_at) FROM profile_members m JOIN events e ON e.record_id = m.record_id
                WHERE m.profile_id = profiles.id),
            ticket_count = (
                SELECT count(*) FROM profile_members m JOIN events e ON e.record_id = m.record_id
                WHERE m.profile_id = profiles.id AND e.kind = 'ticket'),
            open_tickets = (
                SELECT count(*) FROM profile_members m JOIN events e ON e.record_id = m.record_id
                WHERE m.profile_id = profiles.id AND e.kind = 'ticket'
                  AND lower(coalesce(e.status, 'open')) NOT IN {CLOSED_TICKET}),
            tags = (
                SELECT group_concat(text, ', ') FROM (
                    SELECT DISTINCT n.text FROM profile_members m JOIN profile_notes n ON n.record_id = m.record_id
                    WHERE m.profile_id = profiles.id AND n.kind = 'tag' AND n.removed_at IS NULL ORDER BY n.text)),
            restricted = EXISTS (
                SELECT 1 FROM profile_members m JOIN restrictions x ON x.record_id = m.record_id
                WHERE m.profile_id = profiles.id AND x.kind = 'restrict' AND x.lifted_at IS NULL),
            consent_email = NULL,
            consent_sms = NULL,
            updated_at = ?
        WHERE id IN (SELECT id FROM touched_profiles)
        """,
        (now,),
    )
    with_consent = [(statuses.get("email_marketing"), statuses.get("sms_marketing"), pid)
                    for pid, statuses in profile_statuses(conn, ids).items()]
    conn.executemany("UPDATE profiles SET consent_email = ?, consent_sms = ? WHERE id = ?", with_consent)
