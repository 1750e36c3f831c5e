"""Watched folders: exports that land in a folder are imported automatically.

A file is imported once per content: its SHA-256 is compared with the imports
already in the vault (undone ones included, so an undo sticks while the file
is unchanged), so a re-saved identical file is skipped and a changed one is
imported again (the importer then reports what was updated). A file is read
only once it has stopped changing: its size and modification time must be
unchanged for ``settle_seconds`` (seen on two scans, or a modification time
already that old at the first scan; a time in the future counts from when the
file was first seen), which keeps a half-written or still-downloading export
out. A text export whose last line has no line break yet may be a writer that
paused mid-line for longer than that: it must be still for
``unterminated_settle_seconds`` (a minute) instead. They are looked at again
right before the file is read and once it has been read: a file that changed
meanwhile is rolled back and waits to settle again.

Only a file c360 knows how to read is imported unattended: one a tool preset
recognises, or one whose columns the owner mapped before. A pass goes on past
a file it cannot read and says why; a problem that can pass (a full disk, a
permission) is tried again at the next pass and said once. After the imports,
matching runs when something changed or when records are left unmatched (a
match interrupted by a kill, Ctrl-C or a lock before).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..errors import C360Error
from ..words import plural
from .importer import ImportCancelled, ImportReport, file_sha256, run_import
from .plan import ImportOptions, plan_import
from .readers import SPREADSHEET_SUFFIXES, readable_text

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
WATCHED_SUFFIXES = TEXT_SUFFIXES | set(SPREADSHEET_SUFFIXES)
IGNORED_PREFIXES = (".", "~$", ".~lock")  # hidden files, Office lock files, LibreOffice lock files
SETTING_KEY = "watched_folders"
CONFIRMED_MAPPINGS = ("preset", "remembered")  # how a plan's mapping may have been chosen to import unattended
NEEDS_MAPPING = ("it needs its columns mapped once: import it by hand, and later files with the same columns are "
                 "imported automatically.")
REMOVED = "it was removed before it could be imported."
MATCHING = "matching"  # FolderWatch.stage while the records are matched
IMPORTING = "importing"  # FolderWatch.stage while a file is imported

Signature = tuple[int, int]  # (size, mtime_ns)


class WatchedFolderError(C360Error):
    """The folder itself cannot be looked at (missing, not a folder, not readable): the whole pass waits."""


@dataclass
class WatchResult:
    file: str | None  # None: about the pass (matching), not one file
    report: ImportReport | None = None
    error: str | None = None
    waiting: str | None = None  # not read yet, and why


@dataclass
class _SeenFile:
    signature: Signature
    still_since: float


@dataclass
class FolderWatch:
    folder: Path
    settle_seconds: float = 2.0
    unterminated_settle_seconds: float = 60.0
    clock: Callable[[], float] = time.time
    stage: str | None = None  # IMPORTING or MATCHING while a pass does it: what an interruption stops
    _seen: dict[str, _SeenFile] = field(default_factory=dict)
    _done: dict[str, Signature] = field(default_factory=dict)  # name -> signature imported or not importable as is
    _said: dict[str | None, str] = field(default_factory=dict)  # file name (None: matching) -> problem last said
    _waiting: list[Path] = field(default_factory=list)  # not settled at the last scan, or changed after it
    _check_unmatched: bool = True  # on the first pass, and after a match that did not finish

    def candidates(self) -> list[Path]:
        try:
            if not self.folder.is_dir():
                raise WatchedFolderError(f"The watched folder {readable_text(str(self.folder))} does not exist or "
                                         "is not a folder.")
            return sorted(
                path for path in self.folder.iterdir()
                if path.is_file() and path.suffix.lower() in WATCHED_SUFFIXES
                and not path.name.startswith(IGNORED_PREFIXES)
            )
        except OSError as error:
            raise WatchedFolderError(f"The watched folder {readable_text(str(self.folder))} cannot be read "
                                     f"({_reason(error)}): check that c360 may open it.") from None

    def settled_files(self) -> list[tuple[Path, Signature]]:
        """Files whose size and mtime have not changed for ``settle_seconds`` and were not handled as they are,
        with the signature they were judged still at."""
        now = self.clock()
        settled, self._waiting = [], []
        present = set()
        for path in self.candidates():
            signature = file_signature(path)
            if signature is None:
                continue  # gone since the folder was listed
            present.add(path.name)
            if self._done.get(path.name) == signature:
                continue
            seen = self._seen.get(path.name)
            if seen is None or seen.signature != signature:
                seen = self._seen[path.name] = _SeenFile(signature, min(now, signature[1] / 1e9))
            if signature[0] > 0 and now - seen.still_since >= self._quiet_needed(path):
                settled.append((path, signature))
            else:
                self._waiting.append(path)
        self._forget_all_but(present)
        return settled

    def _quiet_needed(self, path: Path) -> float:
        if ends_mid_line(path):
            return max(self.settle_seconds, self.unterminated_settle_seconds)
        return self.settle_seconds

    def still_waiting(self) -> list[WatchResult]:
        """The files the last pass found still changing (or empty), for a run that ends now (``--once``)."""
        return [WatchResult(readable_text(path.name), waiting=_waiting_reason(path, self.unterminated_settle_seconds))
                for path in self._waiting]

    def import_settled(self, vault, options: ImportOptions | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None, match: bool = True,
                       on_result: Callable[[WatchResult], None] | None = None) -> list[WatchResult]:
        """Import what has settled, then match the new and changed records (incrementally).

        Returns what is worth saying (each problem once); ``on_result`` hears each as it happens. Raises
        ``WatchedFolderError`` when the folder cannot be looked at, and the owner's cancel."""
        results: list[WatchResult] = []

        def say(result: WatchResult | None) -> None:
            if result is not None and self._worth_saying(result):
                results.append(result)
                if on_result:
                    on_result(result)

        for path, signature in self.settled_files():
            self.stage = IMPORTING
            result = self._import_file(vault, path, signature, options or ImportOptions(), progress, cancelled)
            self.stage = None
            say(result)
        changed = any(r.report and (r.report.inserted or r.report.updated) for r in results)
        if match:
            say(self._match(vault, changed, cancelled))
        return results

    # ------------------------------------------------------------------ one file

    def _import_file(self, vault, path: Path, signature: Signature, options: ImportOptions,
                     progress, cancelled) -> WatchResult | None:
        try:
            return self._import_if_still(vault, path, signature, options, progress, cancelled)
        except OSError as error:  # removed or made unreadable meanwhile: tried again while it is there
            return WatchResult(readable_text(path.name), error=_file_problem(error))

    def _import_if_still(self, vault, path: Path, signature: Signature, options: ImportOptions,
                         progress, cancelled) -> WatchResult | None:
        name = readable_text(path.name)
        now = file_signature(path)
        if now is None:
            return WatchResult(name, error=REMOVED)
        if now != signature:  # changed since the scan: it waits to settle again
            self._waiting.append(path)
            return None
        if imported_before(vault.conn, path):
            self._done[path.name] = signature
            return None
        try:
            plan = plan_import(path, options, vault.conn)
            if plan.mapping_origin not in CONFIRMED_MAPPINGS:
                return self._not_importable(path, signature, NEEDS_MAPPING)
        except C360Error as error:
            return self._not_importable(path, signature, str(error))
        changed = _changed_since(path, signature)
        try:
            report = run_import(vault, plan, progress=progress,
                                cancelled=lambda: bool(cancelled and cancelled()) or changed())
        except ImportCancelled:
            if cancelled and cancelled():
                raise
            self._waiting.append(path)  # written to while it was read: rolled back, it waits to settle again
            return None
        except C360Error as error:  # the vault could not take it (a full disk): tried again at the next pass
            return WatchResult(name, error=readable_text(str(error)))
        self._done[path.name] = signature
        return WatchResult(name, report)

    def _not_importable(self, path: Path, signature: Signature, reason: str) -> WatchResult:
        """The file as it is cannot be imported unattended: said once, looked at again when it changes."""
        self._done[path.name] = signature
        return WatchResult(readable_text(path.name), error=readable_text(reason))

    # ------------------------------------------------------------------ matching

    def _match(self, vault, changed: bool, cancelled) -> WatchResult | None:
        if not changed and not (self._check_unmatched and has_unmatched_records(vault.conn)):
            self._check_unmatched = False
            return None
        from ..identity.engine import MatchCancelled, run_match

        self._check_unmatched = True  # until this match has finished
        self.stage = MATCHING
        try:
            run_match(vault, cancelled=cancelled)
        except MatchCancelled:
            raise
        except C360Error as error:
            self.stage = None
            return WatchResult(None, error=f"Matching did not finish: {error} It runs again at the next check.")
        self.stage = None
        self._check_unmatched = False
        self._said.pop(None, None)
        return None

    # ------------------------------------------------------------------ bookkeeping

    def _worth_saying(self, result: WatchResult) -> bool:
        """An import always; a problem only when it is not the one last said about that file."""
        if result.error is None:
            self._said.pop(result.file, None)
            return True
        if self._said.get(result.file) == result.error:
            return False
        self._said[result.file] = result.error
        return True

    def _forget_all_but(self, present: set[str]) -> None:
        """Files no longer in the folder: a file coming back under that name is looked at afresh."""
        for book in (self._seen, self._done):
            for name in set(book) - present:
                del book[name]
        shown = {readable_text(name) for name in present}
        for name in [name for name in self._said if name is not None and name not in shown]:
            del self._said[name]


def file_signature(path: Path) -> Signature | None:
    """(size, mtime in ns), or None when the file is gone."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def ends_mid_line(path: Path) -> bool:
    """A text export whose last character is no line break: maybe cut off mid-write. UTF-16 (Excel's "Unicode
    text", told by its byte order mark) ends in a two-byte line break."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return False
    try:
        with open(path, "rb") as handle:
            start = handle.read(2)
            handle.seek(max(0, handle.seek(0, os.SEEK_END) - 2))
            tail = handle.read()
    except OSError:
        return False
    if not tail:
        return False
    if start == b"\xff\xfe":
        return tail not in (b"\n\x00", b"\r\x00")
    if start == b"\xfe\xff":
        return tail not in (b"\x00\n", b"\x00\r")
    return tail[-1:] not in (b"\n", b"\r")


def _changed_since(path: Path, signature: Signature) -> Callable[[], bool]:
    def changed() -> bool:
        now = file_signature(path)
        if now is None:
            raise FileNotFoundError(2, os.strerror(2), str(path))
        return now != signature

    return changed


def _waiting_reason(path: Path, unterminated_settle_seconds: float) -> str:
    signature = file_signature(path)
    if signature is not None and signature[0] == 0:
        return "it is empty: left for the next run."
    if ends_mid_line(path):
        return (f"it was written to less than {plural(round(unterminated_settle_seconds), 'second')} ago and its "
                "last line has no line break yet, as when a download stops mid-line: left for the next run.")
    return "it was still being written: left for the next run."


def _reason(error: OSError) -> str:
    return (error.strerror or "input/output error").lower()


def _file_problem(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return REMOVED
    if isinstance(error, PermissionError):
        return "c360 is not allowed to read it: check the file's permissions. It is tried again at the next check."
    return f"it could not be read ({_reason(error)}). It is tried again at the next check."


def imported_before(conn, path: Path) -> bool:
    """True when an import of exactly this content is in the vault, undone or not: an undo sticks while the
    file stays as it is."""
    digest = file_sha256(path)
    return conn.execute("SELECT 1 FROM imports WHERE file_sha256 = ? LIMIT 1", (digest,)).fetchone() is not None


def has_unmatched_records(conn) -> bool:
    """True when a record is new or changed since the last match (what ``run_match`` compares incrementally)."""
    return conn.execute(
        "SELECT 1 FROM source_records r INDEXED BY source_records_summary"
        " LEFT JOIN profile_members m ON m.record_id = r.id WHERE m.matched_hash IS NOT r.content_hash LIMIT 1"
    ).fetchone() is not None


def watched_folders(vault) -> list[str]:
    return list(vault.setting(SETTING_KEY, []))


def set_watched_folders(vault, folders: list[str]) -> None:
    vault.set_setting(SETTING_KEY, sorted(set(folders)))
    vault.audit("watched_folders_changed", {"count": len(set(folders))})
