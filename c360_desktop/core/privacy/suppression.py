"""The suppression list: keyed hashes of erased people's identifiers, so old exports cannot bring them back.

Only HMAC-SHA256 digests under a random per-vault secret are stored: the list
proves nothing about who was erased to someone without the vault's key, and a
plain SHA-256 dictionary attack on emails does not work against it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac


class Suppressor:
    """Computes identifier digests with the vault's secret and checks them against the list."""

    def __init__(self, conn):
        secret_hex = conn.execute("SELECT value FROM meta WHERE key = 'suppression_key'").fetchone()[0]
        self._secret = bytes.fromhex(secret_hex)
        self._hashes = {row[0] for row in conn.execute("SELECT hash FROM suppression")}

    def digest(self, kind: str, identifier: str) -> str:
        mac = crypto_hmac.HMAC(self._secret, hashes.SHA256())
        mac.update(f"{kind}:{identifier}".encode("utf-8"))
        return mac.finalize().hex()

    def digests(self, identifiers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(kind, self.digest(kind, value)) for kind, value in identifiers if value]

    def is_suppressed(self, identifiers: list[tuple[str, str]]) -> bool:
        if not self._hashes:
            return False
        return any(digest in self._hashes for _, digest in self.digests(identifiers))

    def add(self, conn, identifiers: list[tuple[str, str]], request_ref: str | None = None) -> int:
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [(digest, kind, now, request_ref) for kind, digest in self.digests(identifiers)]
        conn.executemany("INSERT OR IGNORE INTO suppression(hash, kind, created_at, request_ref) VALUES (?,?,?,?)", rows)
        self._hashes.update(digest for digest, *_ in rows)
        return len(rows)

