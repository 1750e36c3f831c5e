"""SQLite's errors about the drive become messages a shop owner can act on; no other error is reworded."""

from __future__ import annotations

import sqlcipher3

from c360_desktop.core.errors import StorageFailed, storage_error


def test_sqlite_storage_errors_get_plain_words():
    cases = {"database or disk is full": "The disk is full", "attempt to write a readonly database": "read-only",
             "disk I/O error": "The drive reported an error", "database is locked": "busy"}
    for sqlite_text, words in cases.items():
        translated = storage_error(sqlcipher3.OperationalError(sqlite_text))
        assert isinstance(translated, StorageFailed) and words in str(translated)
        assert "nothing was changed" in str(translated)


def test_other_errors_are_not_reworded():
    assert storage_error(sqlcipher3.IntegrityError("UNIQUE constraint failed: profiles.id")) is None
    assert storage_error(ValueError("disk is full")) is None
