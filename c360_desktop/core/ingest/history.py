"""The import history: listing imports, their issues, and undoing one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import audit
from ..errors import C360Error
from ..profiles.search import index_records
from ..profiles.summary import refresh_summaries
from .rows import keys_from_norm


class UndoError(C360Error):
    pass


@dataclass(frozen=True)
class ImportSummary:
    id: int
    file_name: str
    preset: str | None
    source: str
    status: str
    started_at: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    suppressed: int
    warnings: int

    def to_json(self) -> dict:
        return dict(self.__dict__)


_COLUMNS = "id, file_name, preset, source, status, started_at, rows, inserted, updated, unchanged, rejected, " \
           "suppressed, warnings"


def list_imports(conn, limit: int = 200) -> list[ImportSummary]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM imports ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [ImportSummary(*row) for row in rows]


def import_issues(conn, import_id: int, severity: str | None = None) -> list[dict]:
    query = "SELECT row_number, severity, field, reason FROM import_issues WHERE import_id = ?"
    params: tuple = (import_id,)
    if severity:
        query += " AND severity = ?"
        params += (severity,)
    rows = conn.execute(query + " ORDER BY row_number", params).fetchall()
    return [{"row": r[0] or None, "severity": r[1], "field": r[2], "reason": r[3]} for r in rows]   # 0: the file


def undo_import(vault, import_id: int) -> dict:
    """Remove what an import added and restore what it changed, in one transaction.

    Records and events it created go, unless a later import also delivered them;
    records and events it changed get their previous values back, unless a later
    import changed them again (the newer data stays).
    """
    with vault.transaction() as conn:
        return _undo(conn, import_id)


def undo_preview(conn, import_id: int) -> dict:
    """What ``undo_import`` would remove and restore, counted by undoing it in a transaction that is always
    rolled back: the import's own counts cannot say it (two order rows of one customer made one record; a
    later import may have delivered some of them too). Nothing changes."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        return _undo(conn, import_id)
    finally:
        conn.execute("ROLLBACK")


def _undo(conn, import_id: int) -> dict:
    row = conn.execute("SELECT status FROM imports WHERE id = ?", (import_id,)).fetchone()
    if row is None:
        raise UndoError(f"There is no import number {import_id}.")
    if row[0] == "undone":
        raise UndoError(f"Import {import_id} was already undone.")
    touched_profiles = [r[0] for r in conn.execute(
        "SELECT DISTINCT m.profile_id FROM profile_members m JOIN source_records r ON r.id = m.record_id"
        " WHERE r.import_id = ? OR r.last_import_id = ?"
        " UNION SELECT DISTINCT m.profile_id FROM profile_members m JOIN events e ON e.record_id = m.record_id"
        " WHERE e.import_id = ? OR e.last_import_id = ?", (import_id,) * 4)]
    touched_records = [r[0] for r in conn.execute(
        "SELECT id FROM source_records WHERE import_id = ? OR last_import_id = ?"
        " UNION SELECT record_id FROM events WHERE (import_id = ? OR last_import_id = ?) AND record_id IS NOT NULL",
        (import_id,) * 4)]
    counts = {
        "events_removed": _remove_created(conn, "events", "event_rows", "event_id", import_id),
        "events_restored": _restore_events(conn, import_id),
        "records_restored": _restore_records(conn, import_id),
    }
    counts["consents_removed"] = conn.execute("DELETE FROM consents WHERE import_id = ?", (import_id,)).rowcount
    counts["records_removed"] = _remove_created(conn, "source_records", "record_rows", "record_id", import_id,
                                                also_used_by="SELECT import_id FROM events WHERE record_id = t.id")
    conn.execute("DELETE FROM record_rows WHERE import_id = ?", (import_id,))
    conn.execute("DELETE FROM event_rows WHERE import_id = ?", (import_id,))
    conn.execute("UPDATE imports SET status = 'undone' WHERE id = ?", (import_id,))
    conn.execute("DELETE FROM profiles WHERE id NOT IN (SELECT profile_id FROM profile_members)")
    index_records(conn, touched_records)
    refresh_summaries(conn, touched_profiles, datetime.now(timezone.utc).isoformat(timespec="seconds"))
    audit.append(conn, "import_undone", {"import_id": import_id, **counts})
    return counts


def _remove_created(conn, table: str, rows_table: str, key: str, import_id: int, also_used_by: str = "") -> int:
    """Delete what this import created and no other live import delivered or uses; hand the rest to the oldest
    other. Set by set, not item by item: what hangs on the removed items goes one table at a time before them
    (the foreign keys' cascade, row by row, took 33 s for a 100,000-row import; this about a third of it)."""
    users = f"SELECT import_id FROM {rows_table} WHERE {key} = t.id" + (f" UNION ALL {also_used_by}" if also_used_by else "")
    conn.execute("CREATE TEMP TABLE undone_items (id INTEGER PRIMARY KEY, other_import INTEGER)")
    try:
        conn.execute(f"INSERT INTO temp.undone_items SELECT t.id, (SELECT min(import_id) FROM ({users})"
                     f" WHERE import_id != ?1) FROM {table} t WHERE t.import_id = ?1", (import_id,))
        conn.execute(f"UPDATE {table} SET import_id = (SELECT other_import FROM temp.undone_items u"
                     f" WHERE u.id = {table}.id) WHERE id IN (SELECT id FROM temp.undone_items"
                     " WHERE other_import IS NOT NULL)")
        removed = "SELECT id FROM temp.undone_items WHERE other_import IS NULL"
        if table == "source_records":
            _release_follow_ons(conn, removed)
        for child, column in _cascading_children(conn, table):
            conn.execute(f"DELETE FROM {child} WHERE {column} IN ({removed})")
        return conn.execute(f"DELETE FROM {table} WHERE id IN ({removed})").rowcount
    finally:
        conn.execute("DROP TABLE temp.undone_items")


def _release_follow_ons(conn, removed: str) -> None:
    """Decisions taken with one about a removed record ("not the same person" said of two profiles) stand on
    their own once it goes: ``with_decision`` has no ON DELETE, and a follow-on may be about records that stay."""
    conn.execute("UPDATE match_decisions SET with_decision = NULL WHERE with_decision IN (SELECT id FROM"
                 f" match_decisions WHERE left_id IN ({removed}) OR right_id IN ({removed}))")


def _cascading_children(conn, table: str) -> list[tuple[str, str]]:
    """(table, column) of every foreign key that deletes its rows with a row of ``table``, read from the schema
    so that a table added later is never missed."""
    tables = [name for name, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [(child, fk[3]) for child in tables for fk in conn.execute(f'PRAGMA foreign_key_list("{child}")')
            if fk[2] == table and fk[6] == "CASCADE"]


def _restore(conn, table: str, history: str, key: str, import_id: int, after=None) -> int:
    """Put back what this import replaced, where no later import changed it again; ``after(id, previous)``
    rebuilds what derives from the restored row. Returns how many items were restored.

    An item the import changed more than once (its id on two rows of the file) has an entry per change:
    the earliest holds the state from before the import, the later ones states within it. An item the
    import created has only states within it, so it keeps its values: it goes, or stays as a later import
    delivered it."""
    restored = 0
    for item_id, previous_json in conn.execute(
        f"SELECT h.{key}, h.previous FROM {history} h JOIN {table} t ON t.id = h.{key}"
        f" WHERE h.id IN (SELECT min(id) FROM {history} WHERE import_id = ? GROUP BY {key})"
        " AND t.last_import_id = ?", (import_id, import_id)).fetchall():
        previous = json.loads(previous_json)
        if previous["last_import_id"] != import_id:
            columns = ", ".join(f"{name} = ?" for name in previous)
            conn.execute(f"UPDATE {table} SET {columns} WHERE id = ?", (*previous.values(), item_id))
            if after:
                after(item_id, previous)
            restored += 1
        conn.execute(f"DELETE FROM {history} WHERE import_id = ? AND {key} = ?", (import_id, item_id))
    return restored


def _restore_records(conn, import_id: int) -> int:
    def rebuild_keys(record_id: int, previous: dict) -> None:
        conn.execute("DELETE FROM record_keys WHERE record_id = ?", (record_id,))
        conn.executemany("INSERT OR IGNORE INTO record_keys(kind, key, record_id) VALUES (?,?,?)",
                         [(kind, key, record_id) for kind, key in keys_from_norm(previous["norm"])])

    return _restore(conn, "source_records", "record_history", "record_id", import_id, rebuild_keys)


def _restore_events(conn, import_id: int) -> int:
    return _restore(conn, "events", "event_history", "event_id", import_id)
