"""Watched folders while the app runs: a timer, one background check at a time, announcements.

Every ``interval_ms`` the watcher asks the core which files in each watched
folder have settled (stopped changing) and imports them with the remembered
mapping, on its own vault connection, on the vault pool (so never at the
same time as an import started by hand). Results come back as
``WatchOutcome`` values; the Imports page announces them: each imported
file, each file that could not be (once per problem), and a folder problem
once. ``stop()`` (on lock) cancels a running check, which the core rolls back;
``start(vault)`` (on unlock) begins again from a clean slate: already imported
content is recognised by its hash, so nothing is imported twice, and records a
cancelled match left unmatched are matched by the first check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from ..core.errors import C360Error
from ..core.ingest.plan import ImportOptions
from ..core.ingest.regions import shop_region
from ..core.ingest.watch import FolderWatch, watched_folders
from . import icons, import_jobs
from .dialogs.common import short_path, user_message

DEFAULT_INTERVAL_MS = 5000


@dataclass(frozen=True)
class WatchOutcome:
    folder: str
    file: str | None
    report: object | None = None  # ImportReport
    error: str | None = None

    def message(self) -> str:
        """One line for a notification: the file name and counts, never a customer's data."""
        where = short_path(Path(self.folder))
        if self.file is None:
            return f"Watched folder {where}: {self.error}"
        if self.report is not None:
            r = self.report
            return (f"Imported {self.file} from {where}: {r.inserted:,} added, {r.updated:,} updated, "
                    f"{r.unchanged:,} unchanged, {r.rejected:,} rejected.")
        return f"{self.file} in {where} was not imported: {self.error}"


class FolderWatcher(QObject):
    """``start(vault)`` / ``stop()``; ``outcomes`` carries what each check imported or could not."""

    outcomes = Signal(list)  # list[WatchOutcome]
    status_changed = Signal(str)

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = DEFAULT_INTERVAL_MS,
                 settle_seconds: float = 2.0):
        super().__init__(parent)
        self.settle_seconds = settle_seconds
        self._timer = QTimer(self)
        self._timer.setInterval(max(10, int(interval_ms)))
        self._timer.timeout.connect(self.check_now)
        self._vault = None
        self._watches: dict[str, FolderWatch] = {}
        self._flag: import_jobs.CancelFlag | None = None
        self._generation = 0
        self._folder_errors: dict[str, str] = {}
        self.last_check: datetime | None = None

    # ------------------------------------------------------------------ control

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def set_interval_ms(self, interval_ms: int) -> None:
        self._timer.setInterval(max(10, int(interval_ms)))

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def checking(self) -> bool:
        return self._flag is not None

    def start(self, vault) -> None:
        if vault is not self._vault:
            self._reset()
        self._vault = vault
        if not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._flag is not None:
            self._flag.set()
        self._vault = None
        self._reset()

    def _reset(self) -> None:
        self._generation += 1
        self._watches = {}
        self._folder_errors = {}
        self._flag = None

    # ------------------------------------------------------------------ checking

    def check_now(self) -> bool:
        """Start one background check unless one is running; False when nothing was started."""
        vault = self._vault
        if vault is None or not vault.is_open or self._flag is not None or import_jobs.busy():
            return False
        try:
            folders = [str(f) for f in watched_folders(vault)]
            region = shop_region(vault)
        except Exception:  # noqa: BLE001 - the vault is busy or closing: try again at the next tick
            return False
        for gone in set(self._watches) - set(folders):
            del self._watches[gone]
            self._folder_errors.pop(gone, None)
        for folder in folders:
            if folder not in self._watches:
                self._watches[folder] = FolderWatch(Path(folder), settle_seconds=self.settle_seconds)
        if not folders:
            self.status_changed.emit("")
            return False
        watches = list(self._watches.items())
        options = ImportOptions(region=region.upper())
        generation = self._generation

        def work(conn, flag):
            found: list[WatchOutcome] = []
            for folder, watch in watches:
                if flag.is_set():
                    break
                try:
                    for result in watch.import_settled(vault.view(conn), options, cancelled=flag.is_set):
                        found.append(WatchOutcome(folder, result.file, result.report, result.error))
                except C360Error as error:
                    found.append(WatchOutcome(folder, None, error=str(error)))
                except OSError as error:
                    found.append(WatchOutcome(folder, None, error=user_message(error)))
            return found

        self._flag = import_jobs.run_job(vault, work, lambda found: self._finished(found, generation),
                                         lambda exc: self._failed(exc, generation))
        return True

    def _finished(self, found: list[WatchOutcome], generation: int) -> None:
        if generation != self._generation:
            return  # stopped (locked) meanwhile: whatever was cancelled was rolled back
        self._flag = None
        self.last_check = datetime.now()
        announce = []
        problems = {o.folder: o.error or "" for o in found if o.file is None}
        for outcome in found:
            if outcome.file is None:
                if self._folder_errors.get(outcome.folder) != outcome.error:
                    announce.append(outcome)  # a folder problem is said once, not at every tick
            else:
                announce.append(outcome)
        self._folder_errors = problems
        self.status_changed.emit(self.status_text())
        if announce:
            self.outcomes.emit(announce)

    def _failed(self, exc: BaseException, generation: int) -> None:
        if generation != self._generation:
            return
        self._flag = None
        self.status_changed.emit(f"Watched folders could not be checked: {user_message(exc)}")

    def status_text(self) -> str:
        count = len(self._watches)
        if not count:
            return ""
        when = self.last_check.strftime("%H:%M:%S") if self.last_check else "not yet"
        problems = len(self._folder_errors)
        text = (f"Watching {count} {'folder' if count == 1 else 'folders'} while c360 is open: new or changed "
                f"exports are imported automatically. Last checked: {when}.")
        if problems:
            text += f" {problems} {'folder has' if problems == 1 else 'folders have'} a problem (see below)."
        return text


class Notifier(QObject):
    """A desktop notification when the system has a tray; otherwise the window's status bar."""

    def __init__(self, window_of: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self._widget = window_of
        self.tray: QSystemTrayIcon | None = None
        self.last_message = ""

    def notify(self, title: str, text: str) -> str:
        """Returns how it was shown: "tray" or "status"."""
        self.last_message = text
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self.tray is None:
                self.tray = QSystemTrayIcon(icons.app_icon(), self)
                self.tray.setToolTip("c360")
            self.tray.show()
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)
            return "tray"
        window = self._widget.window()
        status_bar = getattr(window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(text, 15000)
        return "status"

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
