"""Numbered schema migrations. ``PRAGMA user_version`` holds the vault's schema version.

Each migration is a list of SQL statements applied in order; all pending
migrations run inside one transaction after an encrypted copy of the old file
is made (see ``vault.Vault._migrate``). Never edit a released migration: add one.
"""

from __future__ import annotations

MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        # Append-only, hash-chained. Details are JSON without personal data.
        """CREATE TABLE audit_log (
            seq       INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            details   TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        )""",
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    ],
}


def latest_version(migrations: dict[int, list[str]] | None = None) -> int:
    return max((migrations or MIGRATIONS).keys())
