"""The vault: one SQLCipher 4 file, its key file, and the connections to it.

Files for a vault ``shop.c360``:

* ``shop.c360``       the SQLCipher database (random-looking from byte 0);
* ``shop.c360.key``   the key envelope (see ``keys``); no secret in clear;
* ``shop.c360.lock``  held with an OS lock while a c360 process has the vault
                      open; also counts failed unlocks (no personal data).

Journal mode is WAL: the GUI reads while a background import writes, and a
killed process leaves the file consistent. WAL keeps old page images until a
checkpoint, so closing and erasure checkpoint with TRUNCATE; every page of the
WAL is encrypted like the database. ``temp_store=MEMORY`` because SQLCipher
does not encrypt temporary files.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import sqlcipher3

from . import audit, keys
from .errors import (
    KeyFileDamaged,
    KeyFileMissing,
    NotAVault,
    TooManyAttempts,
    VaultChanged,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultNotFound,
    VaultTooNew,
    WrongPassphrase,
    WrongRecoveryKey,
)
from .parallel import keep_from_workers, release_from_workers
from .passphrase import require_strong
from .profiles import search, summary
from .schema import MIGRATIONS, latest_version

PAGE_SIZE = 4096
SQLITE_PLAINTEXT_MAGIC = b"SQLite format 3\x00"
CONNECTION_PRAGMAS = (
    "temp_store = MEMORY",
    "secure_delete = ON",
    "foreign_keys = ON",
    "journal_mode = WAL",
    "synchronous = NORMAL",
    "busy_timeout = 10000",
    "cache_size = -65536",  # 64 MiB of decrypted pages: imports and matching touch many index pages
)
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60.0


def key_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".key")


def lock_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def retry_delay(failed_attempts: int) -> float:
    """No wait for the first few mistakes, then 2, 4, 8 … seconds, capped at a minute."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY_SECONDS, 2.0 ** (failed_attempts - FREE_ATTEMPTS + 1))


class _ProcessLock:
    """An exclusive OS lock on ``<vault>.lock``; released when the process dies."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise VaultInUse(
                "This vault is already open in another c360 window or process. Close it there first."
            ) from None
        self._fd = fd
        keep_from_workers(fd)

    def read_state(self) -> dict:
        os.lseek(self._fd, 0, os.SEEK_SET)
        raw = os.read(self._fd, 4096)
        try:
            state = json.loads(raw.decode()) if raw.strip() else {}
        except ValueError:
            state = {}
        return state if isinstance(state, dict) else {}

    def write_state(self, state: dict) -> None:
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.ftruncate(self._fd, 0)
        os.write(self._fd, json.dumps(state).encode())

    def release(self) -> None:
        if self._fd is not None:
            release_from_workers(self._fd)
            os.close(self._fd)
            self._fd = None


def _connect(path: Path, data_key: bytearray):
    """Open one connection with the raw data key and every pragma c360 relies on."""
    key_hex = bytes(data_key).hex()
    if not re.fullmatch(r"[0-9a-f]{64}", key_hex):
        raise ValueError("data key must be 32 bytes")
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        for pragma in CONNECTION_PRAGMAS:
            conn.execute("PRAGMA " + pragma).fetchall()
    except sqlcipher3.DatabaseError:
        conn.close()
        raise
    return conn


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _restrict_permissions(path: Path) -> None:
    if sys.platform != "win32" and path.exists():
        os.chmod(path, 0o600)


class Vault:
    """An unlocked vault. Create with ``Vault.create`` or ``Vault.open``; ``close()`` locks it."""

    def __init__(self, path: Path, data_key: bytearray, process_lock: _ProcessLock, conn):
        self.path = path
        self._data_key = data_key
        self._process_lock = process_lock
        self._conn = conn
        self._extra_connections: set = set()
        self._guard = threading.Lock()
        self._failed_checks = 0
        self._last_failed_check = 0.0
        self._is_view = False

    # ----------------------------------------------------------------- creating and opening

    @classmethod
    def create(cls, path: Path | str, passphrase: str, *, migrations=None) -> tuple["Vault", str]:
        """Create a new vault. Returns the open vault and its printable recovery key."""
        path = Path(path)
        if path.exists() or key_path_for(path).exists():
            raise VaultExists(f"A file named {path.name} already exists there; choose another name or open it.")
        require_strong(passphrase)
        path.parent.mkdir(parents=True, exist_ok=True)
        process_lock = _ProcessLock(lock_path_for(path))
        process_lock.acquire()
        data_key = keys.new_data_key()
        vault_id = str(uuid.uuid4())
        try:
            keys.KeyEnvelope.seal(data_key, passphrase, vault_id).write(key_path_for(path))
            conn = _connect(path, data_key)
            _restrict_permissions(path)
            vault = cls(path, data_key, process_lock, conn)
            with vault.transaction() as tx:
                vault._apply_migrations(tx, 0, migrations or MIGRATIONS)
                tx.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [("vault_id", vault_id), ("created_at", _utc_now()), ("created_by", _app_version())],
                )
                audit.append(tx, "vault_created", {"schema_version": latest_version(migrations)})
        except BaseException:
            process_lock.release()
            for leftover in (path, key_path_for(path), lock_path_for(path)):
                leftover.unlink(missing_ok=True)
            raise
        return vault, keys.recovery_key_for(data_key)

    @classmethod
    def open(cls, path: Path | str, passphrase: str, *, migrations=None) -> "Vault":
        path = Path(path)
        cls._check_file_looks_like_vault(path)
        process_lock = _ProcessLock(lock_path_for(path))
        process_lock.acquire()
        try:
            envelope = cls._read_envelope(path)
            state = process_lock.read_state()
            cls._enforce_retry_delay(state)
            try:
                data_key = envelope.unseal(passphrase)
            except WrongPassphrase:
                failures = int(state.get("failed_attempts", 0)) + 1
                process_lock.write_state({"failed_attempts": failures, "last_failed_at": time.time()})
                delay = retry_delay(failures)
                suffix = f" Try again in {delay:.0f} seconds." if delay else " Try again."
                raise WrongPassphrase("Wrong passphrase for this vault." + suffix, retry_after=delay) from None
            vault = cls._open_with_key(path, data_key, process_lock, migrations, envelope.vault_id)
            vault._record_unlock(state, "vault_opened")
            process_lock.write_state({})
            return vault
        except BaseException:
            process_lock.release()
            raise

    @classmethod
    def recover(cls, path: Path | str, recovery_key: str, new_passphrase: str, *, migrations=None) -> "Vault":
        """Open with the recovery key and write a fresh key file for ``new_passphrase``."""
        path = Path(path)
        cls._check_file_looks_like_vault(path, need_key_file=False)
        require_strong(new_passphrase)
        data_key = keys.data_key_from_recovery(recovery_key)
        process_lock = _ProcessLock(lock_path_for(path))
        process_lock.acquire()
        try:
            try:
                vault = cls._open_with_key(path, data_key, process_lock, migrations, expected_vault_id=None)
            except VaultDamaged:
                raise WrongRecoveryKey(
                    "That recovery key does not open this vault (or the vault file is damaged)."
                ) from None
            envelope = keys.KeyEnvelope.seal(data_key, new_passphrase, vault.vault_id)
            envelope.write(key_path_for(path))
            _restrict_permissions(key_path_for(path))
            vault.audit("vault_recovered", {"method": "recovery_key"})
            process_lock.write_state({})
            return vault
        except BaseException:
            process_lock.release()
            raise

    @staticmethod
    def _check_file_looks_like_vault(path: Path, need_key_file: bool = True) -> None:
        if not path.exists():
            raise VaultNotFound(f"There is no vault at {path}.")
        if path.is_dir():
            raise NotAVault(f"{path.name} is a folder, not a c360 vault.")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
        if head == SQLITE_PLAINTEXT_MAGIC:
            raise NotAVault(f"{path.name} is an ordinary (unencrypted) SQLite database, not a c360 vault.")
        if need_key_file and not key_path_for(path).exists():
            if size == 0 or size % PAGE_SIZE:
                raise NotAVault(f"{path.name} is not a c360 vault.")
            raise KeyFileMissing(
                f"The key file {key_path_for(path).name} is missing beside {path.name}: it is not a c360 vault, "
                "or its key file was moved. Put the key file back, or open the vault with its recovery key."
            )
        if size == 0 or size % PAGE_SIZE:
            raise VaultDamaged(
                f"{path.name} is truncated or damaged ({size} bytes is not a whole number of pages). "
                "Restore it from a backup; nothing was changed."
            )

    @staticmethod
    def _read_envelope(path: Path) -> keys.KeyEnvelope:
        try:
            return keys.KeyEnvelope.read(key_path_for(path))
        except OSError as exc:
            raise KeyFileDamaged(f"The key file could not be read ({exc.strerror}).") from None

    @staticmethod
    def _enforce_retry_delay(state: dict) -> None:
        failures = int(state.get("failed_attempts", 0))
        wait = retry_delay(failures) - (time.time() - float(state.get("last_failed_at", 0)))
        if failures and wait > 0:
            raise TooManyAttempts(
                f"Too many wrong passphrases. Wait {wait:.0f} seconds before trying again.", retry_after=wait
            )

    @classmethod
    def _open_with_key(cls, path, data_key, process_lock, migrations, expected_vault_id):
        damaged = VaultDamaged(
            f"{path.name} could not be decrypted with its key: the vault file is damaged, or the key file "
            "belongs to another vault. Restore it from a backup; nothing was changed."
        )
        try:
            conn = _connect(path, data_key)
        except sqlcipher3.DatabaseError:
            raise damaged from None
        vault = cls(path, data_key, process_lock, conn)
        try:
            vault._check_not_truncated()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            migrations = migrations or MIGRATIONS
            if version > latest_version(migrations):
                raise VaultTooNew(
                    f"{path.name} was written by a newer version of c360 (schema {version}); "
                    "update c360 to open it. Nothing was changed."
                )
            if expected_vault_id and vault.vault_id != expected_vault_id:
                raise damaged
            if version < latest_version(migrations):
                vault._migrate(version, migrations)
        except sqlcipher3.DatabaseError:
            conn.close()
            raise damaged from None
        except BaseException:
            conn.close()
            raise
        return vault

    def _check_not_truncated(self) -> None:
        wal = self.path.with_name(self.path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            return
        page_count = self._conn.execute("PRAGMA page_count").fetchone()[0]
        if page_count * PAGE_SIZE > self.path.stat().st_size:
            raise sqlcipher3.DatabaseError("truncated")

    def _record_unlock(self, state: dict, action: str) -> None:
        with self.transaction() as tx:
            failures = int(state.get("failed_attempts", 0))
            if failures:
                audit.append(tx, "unlock_failed", {"attempts": failures})
            audit.append(tx, action, {})

    # ----------------------------------------------------------------- migrations

    def _migrate(self, from_version: int, migrations: dict[int, list[str]]) -> None:
        self._snapshot(f"before-schema-{latest_version(migrations)}")
        with self.transaction() as tx:
            self._apply_migrations(tx, from_version, migrations)
            if from_version < 4 <= latest_version(migrations):
                search.ensure_index(tx)
            if from_version < 7 <= latest_version(migrations):   # spending with its currency, by today's rule
                profile_ids = [row[0] for row in tx.execute("SELECT id FROM profiles")]
                summary.refresh_summaries(tx, profile_ids, datetime.now(timezone.utc).isoformat(timespec="seconds"))
            audit.append(tx, "schema_migrated", {"from": from_version, "to": latest_version(migrations)})

    @staticmethod
    def _apply_migrations(tx, from_version: int, migrations: dict[int, list[str]]) -> None:
        for version in sorted(v for v in migrations if v > from_version):
            for statement in migrations[version]:
                tx.execute(statement)
            tx.execute(f"PRAGMA user_version = {int(version)}")

    def safety_copies(self) -> list[Path]:
        """The encrypted copies made before schema migrations (``_snapshot``), with their key files."""
        pattern = f"{self.path.stem}.before-*{self.path.suffix}"
        return sorted(p for p in self.path.parent.glob(pattern) if p != self.path)

    def delete_safety_copies(self) -> int:
        """Remove them (an erasure must not survive in a copy); returns how many vault copies went."""
        copies = self.safety_copies()
        for snapshot in copies:
            for suffix in ("", "-wal", "-shm"):
                snapshot.with_name(snapshot.name + suffix).unlink(missing_ok=True)
            key_path_for(snapshot).unlink(missing_ok=True)
        return len(copies)

    def _snapshot(self, label: str) -> Path:
        """An encrypted copy (same key) of the vault and its key file, made before a risky change."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.{label}.{stamp}{self.path.suffix}")
        shutil.copyfile(self.path, target)
        shutil.copyfile(key_path_for(self.path), key_path_for(target))
        _restrict_permissions(target)
        _restrict_permissions(key_path_for(target))
        return target

    # ----------------------------------------------------------------- using

    @property
    def conn(self):
        if self._conn is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return self._conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @property
    def vault_id(self) -> str:
        return self.meta("vault_id") or ""

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def new_connection(self):
        """A separate connection for a worker thread; closed with the vault."""
        if self._conn is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        conn = _connect(self.path, self._data_key)
        self._extra_connections.add(conn)
        return conn

    def view(self, conn) -> "Vault":
        """This unlocked vault seen through another connection (a worker thread's own), for core calls
        that take a vault. Closing a view only forgets the connection; the vault stays open."""
        view = copy.copy(self)
        view._conn = conn
        view._is_view = True
        view._guard = threading.Lock()
        return view

    def release_connection(self, conn) -> None:
        self._extra_connections.discard(conn)
        conn.close()

    @contextmanager
    def transaction(self, conn=None) -> Iterator:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls everything back."""
        conn = conn or self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:   # SQLite has already rolled back after some errors (a full disk)
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @staticmethod
    def data_version(conn) -> int:
        """Changes whenever another connection commits (SQLite's ``data_version``): taken before a long job
        reads, it tells whether what was read is still what the vault holds."""
        return conn.execute("PRAGMA data_version").fetchone()[0]

    @contextmanager
    def bulk_transaction(self, conn, read_version: int, still_valid: Callable[[object], bool]) -> Iterator:
        """A ``transaction`` without per-row foreign-key checks, for bulk writes (matching: ~800,000 pairs and
        600,000 memberships at 1M records) whose every reference was read by this connection since
        ``read_version``. Checking each reference means a random read of a page of ``source_records`` — most
        of the write time. If another connection committed since the read (an audit entry, a note, an undo…),
        ``still_valid(conn)`` must confirm, under the write lock, that every row referenced still exists;
        otherwise ``VaultChanged`` is raised before anything is written."""
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with self.transaction(conn):
                if self.data_version(conn) != read_version and not still_valid(conn):
                    raise VaultChanged()
                yield conn
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def rollback_journal(self, conn) -> Iterator[bool]:
        """For a bulk write by the only connection open (the command line, a scheduled job): a rollback
        journal instead of WAL, so each new page is written once, into the vault, rather than into the WAL and
        then copied at the checkpoint (a 1M-row import writes 3.6 GB). The journal keeps the pages the write
        changes as they were, encrypted like the vault, and is deleted at commit; after a killed process the
        next open rolls the vault back from it. Other connections (the GUI reads while it imports) need WAL,
        so with any open nothing changes. Yields whether the journal was switched; WAL is back after."""
        alone = conn is self._conn and not self._is_view and not self._extra_connections
        switched = alone and conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        try:
            yield switched
        finally:
            if switched:
                conn.execute("PRAGMA journal_mode = WAL").fetchall()

    def audit(self, action: str, details: dict | None = None) -> audit.AuditEntry:
        with self._guard:
            return audit.append(self.conn, action, details)

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def setting(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    def table_exists(self, name: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return row is not None

    def count(self, table: str, where: str = "") -> int:
        """Row count of a table, 0 if this schema version does not have it yet."""
        if not self.table_exists(table):
            return 0
        return self.conn.execute(f'SELECT count(*) FROM "{table}" {where}').fetchone()[0]

    def info(self) -> dict:
        return {
            "records": self.count("source_records"),
            "events": self.count("events"),
            "profiles": self.count("profiles"),
            "pending_reviews": self.count("match_pairs", "WHERE status = 'pending'"),
            "suppressed": self.count("suppression"),
            "imports": self.count("imports"),
            "schema_version": self.schema_version,
            "vault": str(self.path),
        }

    def recovery_key(self) -> str:
        """Shown again only to someone who has just unlocked the vault."""
        if self._conn is None:
            raise VaultLocked("The vault is locked. Unlock it to continue.")
        return keys.recovery_key_for(self._data_key)

    def verify_passphrase(self, passphrase: str) -> None:
        """Confirm it is the owner before something sensitive; wrong answers are audited and slowed down."""
        if self._failed_checks:
            wait = retry_delay(self._failed_checks) - (time.time() - self._last_failed_check)
            if wait > 0:
                raise TooManyAttempts(f"Too many wrong passphrases. Wait {wait:.0f} seconds.", retry_after=wait)
        try:
            keys.KeyEnvelope.read(key_path_for(self.path)).unseal(passphrase)
        except WrongPassphrase:
            self._failed_checks += 1
            self._last_failed_check = time.time()
            self.audit("passphrase_check_failed", {"attempts": self._failed_checks})
            delay = retry_delay(self._failed_checks)
            raise WrongPassphrase("Wrong passphrase." + (f" Try again in {delay:.0f} seconds." if delay else ""),
                                  retry_after=delay) from None
        self._failed_checks = 0

    def change_passphrase(self, old_passphrase: str, new_passphrase: str) -> None:
        """Re-wrap the data key under a new passphrase; the vault file itself is not rewritten."""
        key_file = key_path_for(self.path)
        self.verify_passphrase(old_passphrase)
        envelope = keys.KeyEnvelope.read(key_file)
        require_strong(new_passphrase)
        keys.KeyEnvelope.seal(self._data_key, new_passphrase, envelope.vault_id).write(key_file)
        _restrict_permissions(key_file)
        self.audit("passphrase_changed", {})

    def close(self, reason: str = "closed") -> None:
        """Lock: checkpoint the WAL, close every connection, forget the key, release the process lock."""
        if self._conn is None:
            return
        if self._is_view:
            self._conn = None
            return
        for extra in list(self._extra_connections):   # first: their reads would keep the WAL from emptying
            extra.close()
        try:
            audit.append(self._conn, "vault_locked", {"reason": reason})
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlcipher3.Error:
            pass
        self._conn.close()
        self._conn = None
        for i in range(len(self._data_key)):
            self._data_key[i] = 0
        self._process_lock.release()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _app_version() -> str:
    from .. import __version__

    return __version__
