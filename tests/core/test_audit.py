"""The audit log: hash chain verification and tamper detection through a raw connection."""

from __future__ import annotations

import pytest
import sqlcipher3

from c360_desktop.core import audit
from c360_desktop.core.errors import AuditError


def _raw(vault):
    """A second connection that bypasses the app, as an attacker with the key would."""
    return vault.new_connection()


def test_chain_verifies_with_many_entries(vault):
    for i in range(20):
        vault.audit("import_finished", {"import_id": i, "rows": i * 10})
    report = audit.verify(vault.conn)
    assert report.ok and report.entries == 21  # + vault_created


def test_the_log_is_append_only_for_the_app(vault):
    vault.audit("test_event", {"n": 1})
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        vault.conn.execute("UPDATE audit_log SET action = 'other' WHERE seq = 1")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        vault.conn.execute("DELETE FROM audit_log WHERE seq = 1")


def _with_triggers_dropped(conn, statement: str, params=()):
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(statement, params)


@pytest.mark.parametrize(
    "statement, broken_at",
    [
        ("UPDATE audit_log SET details = '{\"rows\": 999}' WHERE seq = 3", 3),
        ("UPDATE audit_log SET at = '2020-01-01T00:00:00' WHERE seq = 2", 2),
        ("DELETE FROM audit_log WHERE seq = 3", 3),
        ("UPDATE audit_log SET action = 'nothing' WHERE seq = 5", 5),
    ],
)
def test_tampering_is_detected_and_located(vault, statement, broken_at):
    for i in range(5):
        vault.audit("import_finished", {"rows": i})
    _with_triggers_dropped(_raw(vault), statement)
    report = audit.verify(vault.conn)
    assert not report.ok
    assert report.first_broken_seq == broken_at


def test_recomputing_one_hash_still_breaks_the_next_link(vault):
    for i in range(4):
        vault.audit("import_finished", {"rows": i})
    conn = _raw(vault)
    row = conn.execute("SELECT seq, at, actor, action, prev_hash FROM audit_log WHERE seq = 2").fetchone()
    forged = audit.entry_hash(row[4], row[0], row[1], row[2], row[3], '{"rows": 100}')
    _with_triggers_dropped(conn, "UPDATE audit_log SET details = '{\"rows\": 100}', hash = ? WHERE seq = 2", (forged,))
    report = audit.verify(vault.conn)
    assert not report.ok and report.first_broken_seq == 3


@pytest.mark.parametrize("value", ["ann.smith@example.org", "+1 415 555 0101"])
def test_personal_data_is_refused(vault, value):
    with pytest.raises(AuditError):
        vault.audit("profile_revealed", {"value": value})


def test_lifecycle_events_are_recorded(vault_path):
    from c360_desktop.core.vault import Vault
    from tests.conftest import GOOD_PASSPHRASE

    Vault.create(vault_path, GOOD_PASSPHRASE)[0].close()
    with Vault.open(vault_path, GOOD_PASSPHRASE) as vault:
        actions = [e.action for e in reversed(audit.entries(vault.conn))]
    assert actions == ["vault_created", "vault_locked", "vault_opened"]
