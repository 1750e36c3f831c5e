"""Reading a vault the hard way: every page of the SQLCipher file and every frame of its WAL, decrypted
with the vault's raw key, including free pages and unused space where deleted rows could linger.

SQLCipher 4 defaults: 4096-byte pages, each encrypted with AES-256-CBC; the last 80 bytes of a page are
its reserve (16-byte IV, then a 64-byte HMAC-SHA512). Page 1 starts with the file's 16-byte salt, which
stands in for the first 16 bytes of the SQLite header. A raw key (``x'..'``) is the AES key itself: the
salt only derives the HMAC key, which decryption does not need. Adapted from
``shared/research/sqlcipher_probe.py``.
"""

from __future__ import annotations

import struct
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(data: bytes, key: bytes, first: bool) -> bytes:
    start, end = (SALT if first else 0), PAGE - RESERVE
    decryptor = Cipher(algorithms.AES(key), modes.CBC(data[end:end + 16])).decryptor()
    plain = decryptor.update(data[start:end]) + decryptor.finalize()
    return (b"SQLite format 3\x00" + plain) if first else plain


def database_pages(path: Path, key: bytes) -> list[bytes]:
    raw = Path(path).read_bytes()
    return [decrypt_page(raw[i:i + PAGE], key, first=i == 0) for i in range(0, len(raw) - len(raw) % PAGE, PAGE)]


def wal_frames(path: Path, key: bytes) -> list[bytes]:
    """Every frame physically in the WAL file, valid or left over from before a checkpoint."""
    path = Path(path)
    if not path.exists() or path.stat().st_size < WAL_HEADER:
        return []
    raw = path.read_bytes()
    frames = []
    for offset in range(WAL_HEADER, len(raw) - FRAME_HEADER - PAGE + 1, FRAME_HEADER + PAGE):
        page_number = struct.unpack(">I", raw[offset:offset + 4])[0]
        body = raw[offset + FRAME_HEADER:offset + FRAME_HEADER + PAGE]
        frames.append(decrypt_page(body, key, first=page_number == 1))
    return frames


def decrypted_files(path: Path, key: bytes) -> bytes:
    """The pages of the vault file at ``path`` and the frames of its WAL, decrypted and joined."""
    path = Path(path)
    return b"".join(database_pages(path, key) + wal_frames(path.with_name(path.name + "-wal"), key))


def decrypted_vault(vault) -> bytes:
    """Every page and WAL frame of an open vault, decrypted with its own key (to search for values)."""
    return decrypted_files(vault.path, bytes(vault._data_key))


def found_in(blob: bytes, values) -> set[str]:
    """Which of ``values`` occur in ``blob`` as UTF-8 (the encoding SQLite stores text in)."""
    return {value for value in values if value.encode("utf-8") in blob}
