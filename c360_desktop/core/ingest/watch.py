"""Watched folders: exports that land in a folder are imported automatically.

A file is imported once per content: its SHA-256 is compared with the imports
already in the vault, so a re-saved identical file is skipped and a changed
one is imported again (the importer then reports what was updated). A file is
read only once it has stopped changing: its size and modification time must
be unchanged for ``settle_seconds`` (seen on two scans, or a modification
time already that old at the first scan), which keeps a half-written or
still-downloading export out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import C360Error
from .importer import ImportReport, file_sha256, run_import
from .plan import ImportOptions, plan_import
from .readers import SPREADSHEET_SUFFIXES

WATCHED_SUFFIXES = {".csv", ".tsv", ".txt"} | set(SPREADSHEET_SUFFIXES)
IGNORED_PREFIXES = (".", "~$", ".~lock")  # hidden files, Office lock files, LibreOffice lock files
SETTING_KEY = "watched_folders"


@dataclass
class WatchResult:
    file: str
    report: ImportReport | None = None
    error: str | None = None


@dataclass
class FolderWatch:
    folder: Path
    settle_seconds: float = 2.0
    clock: Callable[[], float] = time.time
    _seen: dict[str, tuple[int, int, float]] = field(default_factory=dict)  # name -> (size, mtime_ns, first seen at)
    _done: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (size, mtime_ns) already handled

    def candidates(self) -> list[Path]:
        if not self.folder.is_dir():
            raise C360Error(f"The watched folder {self.folder} does not exist or is not a folder.")
        return sorted(
            path for path in self.folder.iterdir()
            if path.is_file() and path.suffix.lower() in WATCHED_SUFFIXES and not path.name.startswith(IGNORED_PREFIXES)
        )

    def settled_files(self) -> list[Path]:
        """Files whose size and mtime have not changed for ``settle_seconds`` and were not handled as they are."""
        now = self.clock()
        settled = []
        for path in self.candidates():
            stat = path.stat()
            signature = (stat.st_size, stat.st_mtime_ns)
            if self._done.get(path.name) == signature:
                continue
            seen = self._seen.get(path.name)
            if seen is None or seen[:2] != signature:
                seen = (*signature, min(now, stat.st_mtime_ns / 1e9))
                self._seen[path.name] = seen
            if now - seen[2] >= self.settle_seconds and stat.st_size > 0:
                settled.append(path)
        return settled

    def import_settled(self, vault, options: ImportOptions | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None, match: bool = True) -> list[WatchResult]:
        """Import what has settled, then match the new and changed records (incrementally)."""
        conn = vault.conn
        results = []
        for path in self.settled_files():
            stat = path.stat()
            self._done[path.name] = (stat.st_size, stat.st_mtime_ns)
            if already_imported(conn, path):
                continue
            try:
                plan = plan_import(path, options or ImportOptions(), conn)
                results.append(WatchResult(path.name, run_import(vault, plan, progress=progress, cancelled=cancelled)))
            except C360Error as error:
                results.append(WatchResult(path.name, error=str(error)))
        changed = any(r.report and (r.report.inserted or r.report.updated) for r in results)
        if match and changed:
            from ..identity.engine import run_match

            run_match(vault, cancelled=cancelled)
        return results


def already_imported(conn, path: Path) -> bool:
    """True when an import of exactly this content is in the vault and was not undone."""
    digest = file_sha256(path)
    row = conn.execute("SELECT 1 FROM imports WHERE file_sha256 = ? AND status = 'done' LIMIT 1", (digest,)).fetchone()
    return row is not None


def watched_folders(vault) -> list[str]:
    return list(vault.setting(SETTING_KEY, []))


def set_watched_folders(vault, folders: list[str]) -> None:
    vault.set_setting(SETTING_KEY, sorted(set(folders)))
    vault.audit("watched_folders_changed", {"count": len(set(folders))})
