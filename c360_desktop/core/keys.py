"""The vault's key envelope: a random data key wrapped by the passphrase.

The SQLCipher file is encrypted with a random 256-bit data key used as a raw
key (no SQLCipher KDF). The data key is stored only wrapped, with AES-256-GCM,
under a key derived from the passphrase by Argon2id, in a small JSON *key file*
beside the vault. This is the pattern of KeePassXC / Standard Notes / Signal:

* a passphrase change rewrites the key file only, never the vault;
* a wrong passphrase is told apart from a damaged vault by the GCM tag;
* the printable recovery key is the data key itself (with a checksum), so a
  lost or damaged key file never means a lost vault.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from .errors import KeyFileDamaged, WrongPassphrase, WrongRecoveryKey

KEY_FILE_FORMAT = "c360-key"
KEY_FILE_VERSION = 1
DATA_KEY_BYTES = 32

# Floors from SECURITY.md: at least 64 MiB and 3 passes; we calibrate time upward.
MIN_MEMORY_KIB = 64 * 1024
DEFAULT_MEMORY_KIB = 256 * 1024
MIN_ITERATIONS = 3
MAX_ITERATIONS = 40
LANES = 2
TARGET_SECONDS = 0.5

# Tests set this to derive keys in a millisecond (KeePassXC's fastKdf pattern).
FAST_KDF_ENV = "C360_INSECURE_FAST_KDF"


@dataclass(frozen=True)
class KdfParams:
    salt: bytes
    iterations: int
    memory_kib: int
    lanes: int

    def derive(self, passphrase: str) -> bytes:
        kdf = Argon2id(
            salt=self.salt,
            length=32,
            iterations=self.iterations,
            lanes=self.lanes,
            memory_cost=self.memory_kib,
        )
        return kdf.derive(passphrase.encode("utf-8"))

    def to_json(self) -> dict:
        return {
            "name": "argon2id",
            "salt": _b64(self.salt),
            "iterations": self.iterations,
            "memory_kib": self.memory_kib,
            "lanes": self.lanes,
        }

    @classmethod
    def from_json(cls, data: dict) -> "KdfParams":
        if data.get("name") != "argon2id":
            raise KeyFileDamaged("The key file names an unknown key derivation.")
        return cls(
            salt=_unb64(data["salt"]),
            iterations=int(data["iterations"]),
            memory_kib=int(data["memory_kib"]),
            lanes=int(data["lanes"]),
        )


def fast_kdf_requested() -> bool:
    return os.environ.get(FAST_KDF_ENV) == "1"


def calibrate_kdf(target_seconds: float = TARGET_SECONDS) -> KdfParams:
    """Pick Argon2id passes so that one derivation takes about ``target_seconds`` here."""
    salt = secrets.token_bytes(16)
    if fast_kdf_requested():
        return KdfParams(salt=salt, iterations=1, memory_kib=1024, lanes=1)
    iterations = MIN_ITERATIONS
    while True:
        params = KdfParams(salt, iterations, DEFAULT_MEMORY_KIB, LANES)
        started = time.perf_counter()
        params.derive("calibration")
        elapsed = time.perf_counter() - started
        if elapsed >= target_seconds * 0.8 or iterations >= MAX_ITERATIONS:
            return params
        per_pass = elapsed / iterations
        iterations = min(MAX_ITERATIONS, max(iterations + 1, round(target_seconds / per_pass)))


@dataclass(frozen=True)
class KeyEnvelope:
    """The parsed key file: everything needed to unwrap the data key with a passphrase."""

    vault_id: str
    kdf: KdfParams
    nonce: bytes
    wrapped_key: bytes

    def _associated_data(self) -> bytes:
        # Binds the KDF parameters and vault id to the ciphertext: editing them breaks the tag.
        header = {"format": KEY_FILE_FORMAT, "vault_id": self.vault_id, "kdf": self.kdf.to_json()}
        return json.dumps(header, sort_keys=True).encode()

    @classmethod
    def seal(cls, data_key: bytes, passphrase: str, vault_id: str, kdf: KdfParams | None = None) -> "KeyEnvelope":
        kdf = kdf or calibrate_kdf()
        nonce = secrets.token_bytes(12)
        draft = cls(vault_id=vault_id, kdf=kdf, nonce=nonce, wrapped_key=b"")
        wrapping_key = kdf.derive(passphrase)
        wrapped = AESGCM(wrapping_key).encrypt(nonce, bytes(data_key), draft._associated_data())
        return cls(vault_id=vault_id, kdf=kdf, nonce=nonce, wrapped_key=wrapped)

    def unseal(self, passphrase: str) -> bytearray:
        wrapping_key = self.kdf.derive(passphrase)
        try:
            key = AESGCM(wrapping_key).decrypt(self.nonce, self.wrapped_key, self._associated_data())
        except InvalidTag:
            raise WrongPassphrase("Wrong passphrase for this vault.") from None
        return bytearray(key)

    def to_bytes(self) -> bytes:
        document = {
            "format": KEY_FILE_FORMAT,
            "version": KEY_FILE_VERSION,
            "vault_id": self.vault_id,
            "kdf": self.kdf.to_json(),
            "cipher": "AES-256-GCM",
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
            "note": "c360 key file: keep it beside its vault. Without it, the vault opens only with the recovery key.",
        }
        return json.dumps(document, indent=2).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> "KeyEnvelope":
        try:
            document = json.loads(raw.decode("utf-8"))
            if document.get("format") != KEY_FILE_FORMAT:
                raise ValueError("format")
            if int(document.get("version", 0)) > KEY_FILE_VERSION:
                raise KeyFileDamaged("The key file was written by a newer version of c360. Update c360 to open it.")
            return cls(
                vault_id=str(document["vault_id"]),
                kdf=KdfParams.from_json(document["kdf"]),
                nonce=_unb64(document["nonce"]),
                wrapped_key=_unb64(document["wrapped_key"]),
            )
        except KeyFileDamaged:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise KeyFileDamaged(
                "The vault's key file is damaged or is not a c360 key file. "
                "Restore it from a backup or open the vault with its recovery key."
            ) from None

    @classmethod
    def read(cls, path: Path) -> "KeyEnvelope":
        return cls.from_bytes(path.read_bytes())

    def write(self, path: Path) -> None:
        write_atomically(path, self.to_bytes())


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a sibling temp file, fsync, then rename: a crash leaves the old or the new file, never half."""
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, content)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(DATA_KEY_BYTES))


_RECOVERY_CHECK_BYTES = 2


def recovery_key_for(data_key: bytes) -> str:
    """Printable form of the data key: base32 in groups of five, with a 2-byte checksum."""
    payload = bytes(data_key) + hashlib.sha256(bytes(data_key)).digest()[:_RECOVERY_CHECK_BYTES]
    text = base64.b32encode(payload).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 5] for i in range(0, len(text), 5))


def data_key_from_recovery(recovery_key: str) -> bytearray:
    cleaned = "".join(ch for ch in recovery_key.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    padded = cleaned + "=" * (-len(cleaned) % 8)
    try:
        payload = base64.b32decode(padded)
    except ValueError:
        raise WrongRecoveryKey("That is not a c360 recovery key: it should be 11 groups of letters and digits.") from None
    key, check = payload[:DATA_KEY_BYTES], payload[DATA_KEY_BYTES:]
    if len(key) != DATA_KEY_BYTES or hashlib.sha256(key).digest()[:_RECOVERY_CHECK_BYTES] != check:
        raise WrongRecoveryKey("That recovery key is mistyped: its checksum does not match. Check each group.")
    return bytearray(key)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
