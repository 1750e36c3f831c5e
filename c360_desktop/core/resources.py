"""Where the data files shipped with c360 live (presets, synonyms, nickname table, icons)."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_ENV = "C360_RESOURCES"


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
