"""Per-user preferences in QSettings: vault paths only, never customer data.

The organisation and application names set in ``app.main`` decide where they
live; tests point QSettings at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "vaults/recent"
MAX_RECENT = 8


def app_settings() -> QSettings:
    return QSettings()


class RecentVaults:
    """Most-recent-first list of vault file paths."""

    def __init__(self, settings: QSettings | None = None):
        self._settings = settings or app_settings()

    def paths(self) -> list[Path]:
        raw = self._settings.value(RECENT_KEY, [])
        if isinstance(raw, str):
            raw = [raw]
        return [Path(p) for p in (raw or []) if p]

    def existing(self) -> list[Path]:
        return [p for p in self.paths() if p.exists()]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        paths = [path] + [p for p in self.paths() if p != path]
        self._settings.setValue(RECENT_KEY, [str(p) for p in paths[:MAX_RECENT]])
        self._settings.sync()

    def remove(self, path: Path) -> None:
        self._settings.setValue(RECENT_KEY, [str(p) for p in self.paths() if p != Path(path)])

    def clear(self) -> None:
        self._settings.remove(RECENT_KEY)
