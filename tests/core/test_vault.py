"""The vault: a real SQLCipher file in a temp folder, opened, abused and checked."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest
import sqlcipher3

from c360_desktop.core import audit, keys
from c360_desktop.core.errors import (
    KeyFileMissing,
    NotAVault,
    TooManyAttempts,
    VaultChanged,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultTooNew,
    WeakPassphrase,
    WrongPassphrase,
    WrongRecoveryKey,
)
from c360_desktop.core.schema import MIGRATIONS
from c360_desktop.core.vault import Vault, key_path_for, lock_path_for, retry_delay
from tests.conftest import GOOD_PASSPHRASE, OTHER_PASSPHRASE

CANARY = "zqxcanary-7731@example.org"


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_connection(path, data_key: bytes):
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
    return conn


def test_create_then_reopen_keeps_data(vault_path):
    vault, recovery = Vault.create(vault_path, GOOD_PASSPHRASE)
    vault.set_setting("auto_lock_minutes", 7)
    vault_id = vault.vault_id
    vault.close()
    with Vault.open(vault_path, GOOD_PASSPHRASE) as again:
        assert again.setting("auto_lock_minutes") == 7
        assert again.vault_id == vault_id
        assert again.schema_version == max(MIGRATIONS)
    assert len(recovery.split("-")) == 11


def test_file_is_encrypted_from_first_byte(vault, vault_path):
    vault.close()
    assert vault_path.read_bytes()[:16] != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(vault_path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_connection_pragmas(vault):
    conn = vault.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")


def test_bulk_transaction_writes_without_key_checks_then_restores_them(vault):
    conn = vault.conn
    version = vault.data_version(conn)
    with vault.bulk_transaction(conn, version, lambda tx: False):   # nothing committed meanwhile: not asked
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
        conn.execute("INSERT INTO settings(key, value) VALUES ('bulk', '1')")
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert vault.setting("bulk") == 1


@pytest.mark.parametrize("still_valid", [True, False])
def test_bulk_transaction_after_another_commit_asks_whether_what_was_read_still_holds(vault, still_valid):
    conn = vault.conn
    version = vault.data_version(conn)
    other = vault.new_connection()
    with vault.transaction(other):
        other.execute("INSERT INTO settings(key, value) VALUES ('meanwhile', '1')")
    asked = []

    def check(tx):
        asked.append(tx.execute("SELECT value FROM settings WHERE key = 'meanwhile'").fetchone())
        return still_valid

    def write():
        with vault.bulk_transaction(conn, version, check):
            conn.execute("INSERT INTO settings(key, value) VALUES ('bulk', '1')")

    if still_valid:
        write()
    else:
        with pytest.raises(VaultChanged, match="run it again"):
            write()
    assert asked == [("1",)]
    assert (vault.setting("bulk") == 1) is still_valid
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    vault.release_connection(other)


def test_vault_files_are_private(vault, vault_path):
    for path in (vault_path, key_path_for(vault_path), lock_path_for(vault_path)):
        assert oct(path.stat().st_mode & 0o777) == "0o600", path.name


def test_creating_over_an_existing_file_is_refused(vault_path):
    vault_path.write_bytes(b"precious")
    with pytest.raises(VaultExists):
        Vault.create(vault_path, GOOD_PASSPHRASE)
    assert vault_path.read_bytes() == b"precious"


def test_weak_passphrase_is_refused_with_a_reason(vault_path):
    with pytest.raises(WeakPassphrase, match="weak"):
        Vault.create(vault_path, "password1")
    assert not vault_path.exists()


def test_wrong_passphrase_says_so_and_changes_nothing(vault, vault_path):
    vault.close()
    before = sha256(vault_path)
    with pytest.raises(WrongPassphrase, match="passphrase"):
        Vault.open(vault_path, OTHER_PASSPHRASE)
    assert sha256(vault_path) == before
    Vault.open(vault_path, GOOD_PASSPHRASE).close()


def test_failed_unlocks_are_audited_after_the_next_success(vault, vault_path):
    vault.close()
    for _ in range(2):
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_path, OTHER_PASSPHRASE)
    with Vault.open(vault_path, GOOD_PASSPHRASE) as again:
        failed = audit.entries(again.conn, action="unlock_failed")
        assert failed and failed[0].details == {"attempts": 2}


def test_repeated_failures_make_the_user_wait(vault, vault_path):
    vault.close()
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            Vault.open(vault_path, OTHER_PASSPHRASE)
    with pytest.raises(TooManyAttempts) as waited:
        Vault.open(vault_path, GOOD_PASSPHRASE)
    assert waited.value.retry_after > 0
    assert [retry_delay(n) for n in (1, 2, 3, 4, 5)] == [0, 0, 2, 4, 8]
    assert retry_delay(50) == 60


def test_change_passphrase_refuses_the_old_one_and_keeps_data(vault, vault_path):
    vault.set_setting("canary", CANARY)
    vault.change_passphrase(GOOD_PASSPHRASE, OTHER_PASSPHRASE)
    vault.close()
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, GOOD_PASSPHRASE)
    with Vault.open(vault_path, OTHER_PASSPHRASE) as again:
        assert again.setting("canary") == CANARY
        assert audit.entries(again.conn, action="passphrase_changed")


def test_change_passphrase_needs_the_current_one(vault):
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase(OTHER_PASSPHRASE, "another-fine-passphrase-42")


def test_recovery_key_opens_and_resets_the_passphrase(vault_path):
    vault, recovery = Vault.create(vault_path, GOOD_PASSPHRASE)
    vault.set_setting("canary", CANARY)
    vault.close()
    key_path_for(vault_path).unlink()
    with pytest.raises(KeyFileMissing, match="recovery key"):
        Vault.open(vault_path, GOOD_PASSPHRASE)
    with Vault.recover(vault_path, recovery.lower().replace("-", " "), OTHER_PASSPHRASE) as recovered:
        assert recovered.setting("canary") == CANARY
    Vault.open(vault_path, OTHER_PASSPHRASE).close()


def test_a_mistyped_recovery_key_is_caught_by_its_checksum(vault, vault_path):
    recovery = vault.recovery_key()
    vault.close()
    typo = ("B" if recovery[0] != "B" else "C") + recovery[1:]
    with pytest.raises(WrongRecoveryKey, match="checksum"):
        Vault.recover(vault_path, typo, OTHER_PASSPHRASE)


def test_plain_sqlite_file_is_not_a_vault(tmp_path):
    path = tmp_path / "plain.db"
    sqlite3.connect(path).execute("CREATE TABLE t(x)").connection.commit()
    before = sha256(path)
    with pytest.raises(NotAVault, match=r"\(unencrypted\) SQLite"):
        Vault.open(path, GOOD_PASSPHRASE)
    assert sha256(path) == before


@pytest.mark.parametrize("content", [b"", b"hello, I am a spreadsheet\n", os.urandom(3000)])
def test_foreign_files_are_not_vaults(tmp_path, content):
    path = tmp_path / "foreign.c360"
    path.write_bytes(content)
    with pytest.raises(NotAVault):
        Vault.open(path, GOOD_PASSPHRASE)
    assert path.read_bytes() == content


def test_random_pages_without_key_file_mention_the_key_file(tmp_path):
    path = tmp_path / "random.c360"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(KeyFileMissing):
        Vault.open(path, GOOD_PASSPHRASE)


def test_truncated_vault_is_reported_as_damaged(vault, vault_path):
    for i in range(300):
        vault.set_setting(f"filler{i}", "x" * 500)
    vault.close()
    data = vault_path.read_bytes()
    vault_path.write_bytes(data[: len(data) // 2])
    before = sha256(vault_path)
    with pytest.raises(VaultDamaged, match="damaged"):
        Vault.open(vault_path, GOOD_PASSPHRASE)
    assert sha256(vault_path) == before


def test_truncated_mid_page_is_reported_as_damaged(vault, vault_path):
    vault.close()
    data = vault_path.read_bytes()
    vault_path.write_bytes(data[:-100])
    with pytest.raises(VaultDamaged, match="truncated"):
        Vault.open(vault_path, GOOD_PASSPHRASE)


def test_corrupted_first_page_is_reported_as_damaged(vault, vault_path):
    vault.close()
    data = bytearray(vault_path.read_bytes())
    data[5] ^= 0xFF  # the salt: nothing decrypts any more
    vault_path.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        Vault.open(vault_path, GOOD_PASSPHRASE)


def test_key_file_of_another_vault_is_not_mistaken_for_a_wrong_passphrase(tmp_path):
    first, _ = Vault.create(tmp_path / "a.c360", GOOD_PASSPHRASE)
    second, _ = Vault.create(tmp_path / "b.c360", GOOD_PASSPHRASE)
    first.close()
    second.close()
    key_path_for(tmp_path / "a.c360").write_bytes(key_path_for(tmp_path / "b.c360").read_bytes())
    with pytest.raises(VaultDamaged, match="another vault"):
        Vault.open(tmp_path / "a.c360", GOOD_PASSPHRASE)


def test_vault_from_a_newer_version_is_refused_untouched(vault, vault_path):
    data_key = bytes(vault._data_key)
    vault.close()
    conn = raw_connection(vault_path, data_key)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = sha256(vault_path)
    with pytest.raises(VaultTooNew, match="newer version"):
        Vault.open(vault_path, GOOD_PASSPHRASE)
    assert sha256(vault_path) == before


def test_second_open_in_the_same_process_is_refused(vault, vault_path):
    with pytest.raises(VaultInUse, match="already open"):
        Vault.open(vault_path, GOOD_PASSPHRASE)


def test_second_process_is_refused(vault, vault_path):
    script = textwrap.dedent(
        f"""
        import sys
        from c360_desktop.core.vault import Vault
        from c360_desktop.core.errors import VaultInUse
        try:
            Vault.open({str(vault_path)!r}, {GOOD_PASSPHRASE!r})
        except VaultInUse as error:
            print(error); sys.exit(7)
        sys.exit(0)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 7, result.stderr
    assert "already open" in result.stdout


def test_lock_is_released_when_the_process_dies(vault_path):
    script = textwrap.dedent(
        f"""
        import os, signal
        from c360_desktop.core.vault import Vault
        Vault.create({str(vault_path)!r}, {GOOD_PASSPHRASE!r})
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    subprocess.run([sys.executable, "-c", script], timeout=60)
    Vault.open(vault_path, GOOD_PASSPHRASE).close()


def test_migration_to_the_next_version_keeps_data_and_copies_the_old_file(vault_path, tmp_path):
    v1 = {1: MIGRATIONS[1]}
    vault, _ = Vault.create(vault_path, GOOD_PASSPHRASE, migrations=v1)
    vault.set_setting("canary", CANARY)
    vault.close()
    v2 = dict(v1)
    v2[2] = ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes(body) VALUES ('hello')"]
    with Vault.open(vault_path, GOOD_PASSPHRASE, migrations=v2) as migrated:
        assert migrated.schema_version == 2
        assert migrated.setting("canary") == CANARY
        assert migrated.conn.execute("SELECT body FROM notes").fetchone() == ("hello",)
        assert audit.entries(migrated.conn, action="schema_migrated")[0].details == {"from": 1, "to": 2}
    copies = [p for p in tmp_path.iterdir() if ".before-schema-2." in p.name and p.suffix == ".c360"]
    assert len(copies) == 1
    with Vault.open(copies[0], GOOD_PASSPHRASE, migrations=v1) as old:
        assert old.schema_version == 1
        assert old.setting("canary") == CANARY


def test_a_failing_migration_leaves_the_vault_as_it_was(vault_path):
    v1 = {1: MIGRATIONS[1]}
    Vault.create(vault_path, GOOD_PASSPHRASE, migrations=v1)[0].close()
    broken = dict(v1)
    broken[2] = ["CREATE TABLE fine (x)", "THIS IS NOT SQL"]
    with pytest.raises(VaultDamaged):
        Vault.open(vault_path, GOOD_PASSPHRASE, migrations=broken)
    with Vault.open(vault_path, GOOD_PASSPHRASE, migrations=v1) as again:
        assert again.schema_version == 1
        assert not again.table_exists("fine")


def test_canary_never_appears_in_any_file_bytes(vault, vault_path, tmp_path):
    vault.set_setting("canary", CANARY)
    with vault.transaction() as tx:
        tx.execute("CREATE TABLE scratch (body TEXT)")
        tx.executemany("INSERT INTO scratch VALUES (?)", [(CANARY,)] * 500)
    needle = CANARY.encode()
    files_while_open = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files_while_open)
    for path in files_while_open:
        assert needle not in path.read_bytes(), path.name
    vault.close()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), path.name


def test_closed_vault_refuses_queries(vault):
    vault.close()
    with pytest.raises(VaultLocked):
        vault.conn.execute("SELECT 1")
    assert not vault.is_open


def test_key_file_holds_no_secret_in_clear(vault, vault_path):
    data_key = bytes(vault._data_key)
    text = key_path_for(vault_path).read_bytes()
    assert data_key.hex().encode() not in text and data_key not in text
    envelope = keys.KeyEnvelope.read(key_path_for(vault_path))
    assert bytes(envelope.unseal(GOOD_PASSPHRASE)) == data_key


def test_edited_kdf_parameters_break_the_key_file(vault, vault_path):
    vault.close()
    path = key_path_for(vault_path)
    path.write_text(path.read_text().replace('"iterations": 1', '"iterations": 2'))
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, GOOD_PASSPHRASE)


def test_a_damaged_key_file_gets_its_own_message(vault, vault_path):
    vault.close()
    key_path_for(vault_path).write_text("{not json")
    with pytest.raises(Exception, match="key file is damaged"):
        Vault.open(vault_path, GOOD_PASSPHRASE)


def test_verify_passphrase_audits_failures_and_slows_down(vault):
    vault.verify_passphrase(GOOD_PASSPHRASE)
    for _ in range(3):
        with pytest.raises(WrongPassphrase):
            vault.verify_passphrase(OTHER_PASSPHRASE)
    with pytest.raises(TooManyAttempts):
        vault.verify_passphrase(GOOD_PASSPHRASE)
    assert len(audit.entries(vault.conn, action="passphrase_check_failed")) == 3


def test_a_view_works_through_its_own_connection_and_closing_it_keeps_the_vault_open(vault):
    conn = vault.new_connection()
    view = vault.view(conn)
    view.set_setting("from_worker", 1)
    assert vault.setting("from_worker") == 1 and view.conn is conn
    view.close()
    assert vault.is_open and not view.is_open
    vault.release_connection(conn)


def test_schema_7_recomputes_what_every_customer_spent_with_its_currency(vault_path, tmp_path):
    """Profiles summarised by the old rule (orders alone, no currency) are summarised again by the new one."""
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import ImportOptions, plan_import

    six = {version: MIGRATIONS[version] for version in MIGRATIONS if version <= 6}
    vault, _ = Vault.create(vault_path, GOOD_PASSPHRASE, migrations=six)
    payments = tmp_path / "payments.csv"
    payments.write_text("Payment ID,Email,Amount,Currency\npy_1,ann@example.org,400.00,gbp\n"
                        "py_2,ann@example.org,131.02,gbp\n", encoding="utf-8")
    run_import(vault, plan_import(payments, ImportOptions(
        mapping=["payment_id", "email", "payment_amount", "payment_currency"]), vault.conn))
    with vault.transaction() as tx:
        tx.execute("INSERT INTO profiles(id, total_spent, created_at, updated_at) VALUES (1, '77.28', '', '')")
        tx.execute("INSERT INTO profile_members(record_id, profile_id, matched_hash) SELECT id, 1, content_hash"
                   " FROM source_records")
    vault.close()
    with Vault.open(vault_path, GOOD_PASSPHRASE) as migrated:
        assert migrated.conn.execute("SELECT total_spent, spent_currency FROM profiles").fetchone() == ("531.02", "GBP")
